import type { JobResult } from '@mlrpc/schema';
import { storeResult, type StoredResult } from '../stored-result.js';

interface PackedRows {
  float32: string;
  rows: number;
  width: number;
}

function isPacked(value: unknown): value is PackedRows {
  return typeof value === 'object' && value !== null && 'float32' in value;
}

/**
 * Stores a job's result compactly: embedding matrices (10,000 x 384 for a big job) as float32
 * bytes, a fifth of their JSON size. Lossless: the models compute in float32.
 */
export function encodeJobResult(result: JobResult): string {
  const { result: rest, vectors } = storeResult(result);
  if (!vectors) return JSON.stringify(result);
  const { data, rows, width } = vectors;
  const packed: PackedRows = {
    float32: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64'),
    rows,
    width,
  };
  return JSON.stringify({ ...rest, embeddings: packed });
}

/** Reverses encodeJobResult, leaving embeddings packed (a page of them is built on demand). */
export function decodeJobResult(text: string): StoredResult {
  const value = JSON.parse(text) as JobResult & { embeddings?: unknown };
  if (!isPacked(value.embeddings)) return { result: value };
  const { float32, rows, width } = value.embeddings;
  const bytes = Buffer.from(float32, 'base64');
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return { result: { ...value, embeddings: [] }, vectors: { data, rows, width } };
}
