import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  pipeline,
  type TextClassificationPipeline,
} from '@huggingface/transformers';
import { createClient } from '@mlrpc/client';
import { closedLoop } from './load.js';
import { modelsDir, sharedRoot } from './paths.js';
import { itemsPerSecond, repeat } from './statistics.js';

/** Texts per call and callers at once through the server; the same batch size in-process. */
export const textBatch = 32;
export const textCallers = 4;
/** Documents per rerank call (one query each). */
export const rerankDocuments = 100;

/** The held-out SpamAssassin messages (real e-mail, a few words to 1,500 characters). */
export async function readMessages(): Promise<string[]> {
  const text = await readFile(path.join(sharedRoot, 'data/spam/test.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { text: string }).text);
}

function useLocalModels(): void {
  env.allowRemoteModels = false;
  env.localModelPath = `${modelsDir}/`;
}

/** Texts per second of the spam classifier called in-process, 32 texts a call, as a pipeline. */
export async function rawTextClassification(messages: string[], runs: number, seconds: number) {
  useLocalModels();
  const classifier: TextClassificationPipeline = await pipeline(
    'text-classification',
    'local/spam-bert-tiny',
    { dtype: 'fp32', device: 'cpu' },
  );
  const classify = (offset: number) => {
    const start = offset % (messages.length - textBatch);
    return classifier(messages.slice(start, start + textBatch));
  };
  await classify(0);
  const results = await repeat(runs, () => itemsPerSecond(seconds, textBatch, classify));
  await classifier.dispose();
  return results;
}

/** Texts per second through the server: 4 callers, 32 texts a call. */
export async function serverTextClassification(
  url: string,
  messages: string[],
  runs: number,
  seconds: number,
) {
  const client = createClient({ url, batch: false });
  const call = (caller: number, sequence: number) => {
    const start = ((caller * 7 + sequence) * textBatch) % (messages.length - textBatch);
    return client.predict.mutate({
      model: 'spam',
      texts: messages.slice(start, start + textBatch),
      topK: 1,
    });
  };
  await closedLoop(textCallers, 1_000, call);
  return (await repeat(runs, () => closedLoop(textCallers, seconds * 1000, call))).map(
    (result) => result.perSecond * textBatch,
  );
}

/** (query, document) pairs per second of the cross-encoder in-process, 32 pairs a call. */
export async function rawRerank(
  lemmas: string[],
  glosses: string[],
  runs: number,
  seconds: number,
) {
  useLocalModels();
  const source = 'local/wordnet-reranker-tiny';
  const tokenizer = await AutoTokenizer.from_pretrained(source);
  const model = await AutoModelForSequenceClassification.from_pretrained(source, { dtype: 'fp32' });
  const score = async (offset: number) => {
    const start = offset % (glosses.length - textBatch);
    const query = lemmas[offset % lemmas.length] ?? 'x';
    const inputs = tokenizer(new Array<string>(textBatch).fill(query), {
      text_pair: glosses.slice(start, start + textBatch),
      padding: true,
      truncation: true,
    });
    await model(inputs);
  };
  await score(0);
  const results = await repeat(runs, () => itemsPerSecond(seconds, textBatch, score));
  await model.dispose();
  return results;
}

/** Pairs per second through the server: 4 callers, each ranking 100 documents for a query. */
export async function serverRerank(
  url: string,
  lemmas: string[],
  glosses: string[],
  runs: number,
  seconds: number,
) {
  const client = createClient({ url, batch: false });
  const call = (caller: number, sequence: number) => {
    const offset = caller * 7 + sequence;
    const start = (offset * rerankDocuments) % (glosses.length - rerankDocuments);
    return client.rerank.mutate({
      model: 'wordnet-reranker',
      query: lemmas[offset % lemmas.length] ?? 'x',
      documents: glosses.slice(start, start + rerankDocuments),
    });
  };
  await closedLoop(textCallers, 1_000, call);
  return (await repeat(runs, () => closedLoop(textCallers, seconds * 1000, call))).map(
    (result) => result.perSecond * rerankDocuments,
  );
}
