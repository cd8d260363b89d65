import type { Job } from '@mlrpc/client';

/** What a finished job produced, in one line. */
function outcomeOf(result: NonNullable<Job['result']>): string {
  if ('embeddings' in result)
    return `${result.embeddings.length} embeddings of ${result.dimension}`;
  if ('text' in result) return result.text;
  if ('results' in result) return `${result.results.length} documents ranked`;
  switch (result.kind) {
    case 'image-classification':
      return JSON.stringify(result.predictions);
    case 'tensor':
      return JSON.stringify(result.outputs);
    case 'text-classification':
      return `${result.predictions.length} texts labelled`;
    case 'token-classification':
      return `${result.entities.flat().length} entities in ${result.entities.length} texts`;
  }
}

/** One line per job: id, kind, status, progress, and what it produced or why it failed. */
export function jobSummary(job: Job): string {
  const outcome =
    job.status === 'failed'
      ? `${job.error?.errorCode}: ${job.error?.message}`
      : job.result
        ? outcomeOf(job.result)
        : '';
  return `${job.id}  ${job.kind.padEnd(7)} ${job.status.padEnd(9)} ${Math.round(job.progress * 100)}%  ${outcome}`.trimEnd();
}
