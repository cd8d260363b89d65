import type { JobResult } from '@mlrpc/schema';

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
  if ('embeddings' in result) {
    const rows = result.embeddings;
    const width = rows[0]?.length ?? 0;
    if (rows.every((row) => row.length === width)) {
      const flat = new Float32Array(rows.length * width);
      rows.forEach((row, index) => flat.set(row, index * width));
      const packed: PackedRows = {
        float32: Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength).toString('base64'),
        rows: rows.length,
        width,
      };
      return JSON.stringify({ ...result, embeddings: packed });
    }
  }
  return JSON.stringify(result);
}

/** Reverses encodeJobResult. */
export function decodeJobResult(text: string): JobResult {
  const value = JSON.parse(text) as JobResult & { embeddings?: unknown };
  if (!isPacked(value.embeddings)) return value;
  const { float32, rows, width } = value.embeddings;
  const bytes = Buffer.from(float32, 'base64');
  const flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const embeddings = Array.from({ length: rows }, (_, index) =>
    Array.from(flat.subarray(index * width, (index + 1) * width)),
  );
  return { ...value, embeddings };
}
