import type { EmbedOutput, RerankOutput } from '@mlrpc/schema';
import { EmbeddingCache } from './embedding-cache.js';
import { rankResults } from './rank-results.js';
import type { RerankInput } from './rerank-task.js';

/** About 64 MB of float32 numbers: 170,000 MiniLM-sized vectors. */
const cache = new EmbeddingCache(16 * 1024 * 1024);

const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
};

/**
 * Reranking with an embedding model (a bi-encoder): the query and each document are embedded
 * apart and scored by cosine similarity. Document vectors are cached per model version, so a
 * collection reranked again and again is embedded once.
 */
export async function rerankByEmbeddings(
  input: RerankInput,
  served: { model: string; version: string },
  embed: (input: { texts: string[] }) => Promise<unknown>,
): Promise<RerankOutput> {
  const keyOf = (text: string) => `${served.model}@${served.version}\u0000${text}`;
  const vectors = new Map<string, Float32Array>();
  for (const document of input.documents) {
    const cached = cache.get(keyOf(document));
    if (cached) vectors.set(document, cached);
  }
  const missing = [...new Set([input.query, ...input.documents])].filter(
    (text) => !vectors.has(text),
  );
  const outputs: EmbedOutput[] = [];
  // One embed call per job-part-sized slice, so a thousand documents batch like live traffic.
  for (let start = 0; start < missing.length; start += 256) {
    const texts = missing.slice(start, start + 256);
    const output = (await embed({ texts })) as EmbedOutput;
    outputs.push(output);
    texts.forEach((text, index) => {
      const vector = Float32Array.from(output.embeddings[index] ?? []);
      vectors.set(text, vector);
      // Documents are what repeats between calls; queries rarely do.
      if (text !== input.query || input.documents.includes(text)) cache.set(keyOf(text), vector);
    });
  }
  const query = vectors.get(input.query) ?? new Float32Array();
  const scores = input.documents.map((document) =>
    cosine(query, vectors.get(document) ?? new Float32Array()),
  );
  return {
    model: served.model,
    version: served.version,
    inferenceTimeMs: outputs.reduce((sum, output) => sum + output.inferenceTimeMs, 0),
    queueTimeMs: outputs.reduce((sum, output) => sum + output.queueTimeMs, 0),
    batchSize: Math.max(1, ...outputs.map((output) => output.batchSize)),
    results: rankResults(scores, input.documents, input),
    usage: {
      promptTokens: outputs.reduce((sum, output) => sum + output.usage.promptTokens, 0),
    },
  };
}
