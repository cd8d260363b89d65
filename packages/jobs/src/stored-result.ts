import type { JobResult, JobResultPage } from '@mlrpc/schema';
import { pageOfResult, type ResultWindow } from './result-window.js';

/**
 * A finished job's result as kept: embedding matrices as one float32 array (4 bytes a number
 * instead of a JS array's ~9-20), everything else as it came. Lossless: models compute in float32.
 */
export interface StoredResult {
  /** The result; for packed embeddings, with `embeddings` empty (they are in `vectors`). */
  result: JobResult;
  vectors?: { data: Float32Array; rows: number; width: number };
}

/** Packs an embedding result's rows; other results are kept as they are. */
export function storeResult(result: JobResult): StoredResult {
  if (!('embeddings' in result)) return { result };
  const rows = result.embeddings;
  const width = rows[0]?.length ?? 0;
  if (!rows.every((row) => row.length === width)) return { result };
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, index) => data.set(row, index * width));
  return { result: { ...result, embeddings: [] }, vectors: { data, rows: rows.length, width } };
}

/** A window of a stored result, building only the rows it holds. */
export function viewResult(
  stored: StoredResult,
  window: ResultWindow,
): { result: JobResult; resultPage: JobResultPage | null } {
  const { vectors } = stored;
  if (!vectors || !('embeddings' in stored.result)) return pageOfResult(stored.result, window);
  const end = Math.min(vectors.rows, window.offset + window.limit);
  const start = Math.min(window.offset, end);
  const embeddings = Array.from({ length: end - start }, (_, index) =>
    Array.from(
      vectors.data.subarray((start + index) * vectors.width, (start + index + 1) * vectors.width),
    ),
  );
  return {
    result: { ...stored.result, embeddings },
    resultPage: { offset: start, count: end - start, total: vectors.rows },
  };
}
