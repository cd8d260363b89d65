import type { JobResult, JobResultPage } from '@mlrpc/schema';

/** Which rows of a job's result a response should carry. */
export interface ResultWindow {
  offset: number;
  limit: number;
}

/** The rows a caller gets without asking: enough for a glance, bounded for the server. */
export const firstPage = (limit: number): ResultWindow => ({ offset: 0, limit });

/** A result's rows, for kinds whose result is one row per input; undefined for the others. */
export function resultRows(result: JobResult): unknown[] | undefined {
  if ('embeddings' in result) return result.embeddings;
  if ('results' in result) return result.results;
  if ('kind' in result) {
    if (result.kind === 'text-classification') return result.predictions;
    if (result.kind === 'token-classification') return result.entities;
  }
  return undefined;
}

/**
 * The window of a result's rows (and of the per-row lists beside them, masked texts), with
 * where it sits in the whole: a 100,000-row result goes out a page at a time, never whole.
 */
export function pageOfResult(
  result: JobResult,
  window: ResultWindow,
): { result: JobResult; resultPage: JobResultPage | null } {
  const rows = resultRows(result);
  if (!rows) return { result, resultPage: null };
  const end = Math.min(rows.length, window.offset + window.limit);
  const start = Math.min(window.offset, end);
  const slice = <Row>(list: Row[]) => list.slice(start, end);
  let paged: JobResult = result;
  if ('embeddings' in result) paged = { ...result, embeddings: slice(result.embeddings) };
  else if ('results' in result) paged = { ...result, results: slice(result.results) };
  else if ('kind' in result && result.kind === 'text-classification') {
    paged = { ...result, predictions: slice(result.predictions) };
  } else if ('kind' in result && result.kind === 'token-classification') {
    paged = {
      ...result,
      entities: slice(result.entities),
      ...(result.maskedTexts ? { maskedTexts: slice(result.maskedTexts) } : {}),
    };
  }
  return { result: paged, resultPage: { offset: start, count: end - start, total: rows.length } };
}
