import type { AppRouter, RouterOutputs } from '@mlrpc/api';
import type { TRPCClient } from '@trpc/client';

type Job = RouterOutputs['jobs']['get'];
type JobResult = NonNullable<Job['result']>;

/** The most rows one jobs.get may carry (the server's limits.jobResultPageMax). */
const pageRows = 10_000;

/** A result with the rows of a later page appended (the same kind of result, by construction). */
function appendRows(whole: JobResult, page: JobResult): JobResult {
  if ('embeddings' in whole && 'embeddings' in page) {
    return { ...whole, embeddings: [...whole.embeddings, ...page.embeddings] };
  }
  if ('results' in whole && 'results' in page) {
    return { ...whole, results: [...whole.results, ...page.results] };
  }
  if ('kind' in whole && 'kind' in page) {
    if (whole.kind === 'text-classification' && page.kind === 'text-classification') {
      return { ...whole, predictions: [...whole.predictions, ...page.predictions] };
    }
    if (whole.kind === 'token-classification' && page.kind === 'token-classification') {
      return {
        ...whole,
        entities: [...whole.entities, ...page.entities],
        ...(whole.maskedTexts && page.maskedTexts
          ? { maskedTexts: [...whole.maskedTexts, ...page.maskedTexts] }
          : {}),
      };
    }
  }
  return whole;
}

/**
 * A finished job with all of its result's rows: the server sends big results a page at a time
 * (`resultPage`), so the rest are fetched with jobs.get and joined here.
 */
export async function wholeJobResult(client: TRPCClient<AppRouter>, job: Job): Promise<Job> {
  const page = job.resultPage;
  if (!job.result || !page || page.offset + page.count >= page.total) return job;
  let result = job.result;
  let next = page.offset + page.count;
  while (next < page.total) {
    const more = await client.jobs.get.query({
      jobId: job.id,
      resultOffset: next,
      resultLimit: pageRows,
    });
    if (!more.result || !more.resultPage || more.resultPage.count === 0) break;
    result = appendRows(result, more.result);
    next = more.resultPage.offset + more.resultPage.count;
  }
  return {
    ...job,
    result,
    resultPage: { offset: page.offset, count: next - page.offset, total: page.total },
  };
}
