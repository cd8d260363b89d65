import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedRoot } from './paths.js';

/** The dictionary questions the WordNet chat model was trained on (it answers, then stops). */
export async function readChatPrompts(): Promise<string[]> {
  const text = await readFile(path.join(sharedRoot, 'data/wordnet-chat/eval.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { split: string; messages: Array<{ content: string }> })
    .filter((row) => row.split === 'train')
    .map((row) => row.messages[0]?.content ?? '');
}

/** Held-out WordNet lemmas and all their glosses, for reranking. */
export async function readLemmasAndGlosses(): Promise<{ lemmas: string[]; glosses: string[] }> {
  const text = await readFile(
    path.join(sharedRoot, 'data/wordnet/heldout-lemma-gloss.jsonl'),
    'utf8',
  );
  const rows = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { lemma: string; gloss: string });
  return { lemmas: rows.map((row) => row.lemma), glosses: rows.map((row) => row.gloss) };
}

/**
 * Natural sentences of about 20 tokens: WordNet glosses of 14 to 18 words. Similar lengths keep
 * batches free of padding, so batch-size effects are the model's, not the padding's.
 */
export async function readSentences(): Promise<string[]> {
  const text = await readFile(
    path.join(sharedRoot, 'data/wordnet/heldout-lemma-gloss.jsonl'),
    'utf8',
  );
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { gloss: string }).gloss)
    .filter((gloss) => {
      const words = gloss.split(' ').length;
      return words >= 14 && words <= 18;
    });
}
