import { env, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { createClient } from '@mlrpc/client';
import { closedLoop } from './load.js';
import { modelsDir } from './paths.js';
import { itemsPerSecond, repeat } from './statistics.js';

export const rawBatchSizes = [1, 8, 32];
export const callerCounts = [1, 8, 32];

/** The ceiling: the same model called in-process by transformers.js at fixed batch sizes. */
export async function rawEmbedThroughput(sentences: string[], runs: number, seconds: number) {
  env.allowRemoteModels = false;
  env.localModelPath = `${modelsDir}/`;
  const extractor: FeatureExtractionPipeline = await pipeline(
    'feature-extraction',
    'local/all-MiniLM-L6-v2-random',
    {
      dtype: 'q8',
      device: 'cpu',
    },
  );
  const results: Record<number, number[]> = {};
  for (const size of rawBatchSizes) {
    await extractor(sentences.slice(0, size), { pooling: 'mean', normalize: true });
    results[size] = await repeat(runs, () =>
      itemsPerSecond(seconds, size, (offset) => {
        const start = offset % (sentences.length - size);
        return extractor(sentences.slice(start, start + size), {
          pooling: 'mean',
          normalize: true,
        });
      }),
    );
  }
  await extractor.dispose();
  return results;
}

/** Sentences per second through the server: `callers` independent clients, one sentence a call. */
export async function serverEmbedThroughput(
  url: string,
  model: string,
  sentences: string[],
  runs: number,
  seconds: number,
) {
  const client = createClient({ url, batch: false });
  const stats = async () => (await client.models.get.query({ id: model })).models[0]?.stats;
  const call = (caller: number, sequence: number) =>
    client.embed.mutate({
      model,
      texts: [sentences[(caller * 7919 + sequence) % sentences.length] ?? 'x'],
    });
  const results: Record<number, number[]> = {};
  const meanBatch: Record<number, number> = {};
  for (const callers of callerCounts) {
    await closedLoop(callers, 1000, call);
    const before = await stats();
    results[callers] = (await repeat(runs, () => closedLoop(callers, seconds * 1000, call))).map(
      (result) => result.perSecond,
    );
    const after = await stats();
    const batches = (after?.batches ?? 0) - (before?.batches ?? 0);
    meanBatch[callers] = ((after?.items ?? 0) - (before?.items ?? 0)) / Math.max(1, batches);
  }
  return { results, meanBatch };
}
