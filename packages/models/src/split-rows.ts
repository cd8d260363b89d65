/** Splits a row-major matrix into plain arrays, the shape JSON callers expect. */
export function splitRows(data: Float32Array, width: number): number[][] {
  const rows: number[][] = [];
  for (let offset = 0; offset < data.length; offset += width) {
    rows.push(Array.from(data.subarray(offset, offset + width)));
  }
  return rows;
}
