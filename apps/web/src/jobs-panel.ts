import { limits, type Job } from '@mlrpc/client';
import type { Connection } from './connection.js';
import { element, nonBlankLines, numberFrom, required } from './dom.js';
import { errorMessage } from './error-message.js';
import { isCurrentSnapshot } from './job-snapshot.js';

const listRefreshMs = 5_000;
const exampleTexts = ['a word and its meaning', 'a sentence to embed', 'one more line of text'];
const finished = new Set<Job['status']>(['completed', 'failed', 'cancelled']);

/** What a finished job produced, in a few words. */
function resultSummary(job: Job): string {
  if (job.error) return `${job.error.errorCode}: ${job.error.message}`;
  const result = job.result;
  if (!result) return '';
  // A big result comes a page at a time: the page says how many rows there are in all.
  const rows = (count: number) => job.resultPage?.total ?? count;
  if ('embeddings' in result)
    return `${rows(result.embeddings.length)} vectors × ${result.dimension}`;
  if ('text' in result) return `${result.usage.completionTokens} tokens`;
  if ('results' in result) return `${rows(result.results.length)} documents ranked`;
  switch (result.kind) {
    case 'image-classification':
      return result.predictions[0]?.label ?? '';
    case 'tensor':
      return 'tensor outputs';
    case 'text-classification':
      return `${rows(result.predictions.length)} texts labelled`;
    case 'token-classification':
      return `${result.entities.flat().length} entities in ${rows(result.entities.length)} texts`;
  }
}

function duration(job: Job): string {
  if (job.startedAt === null) return '';
  const seconds = ((job.finishedAt ?? Date.now()) - job.startedAt) / 1000;
  return `${seconds.toFixed(1)} s`;
}

/**
 * The caller's jobs with live progress: every unfinished job is watched over SSE until it ends,
 * new ones (from this page, the CLI or another client) appear on the next refresh, and queued or
 * running jobs can be cancelled.
 */
export function mountJobsPanel(panel: HTMLElement, connection: Connection): () => Promise<void> {
  const form = required(panel, 'form.job-form', HTMLFormElement);
  const textarea = required(form, 'textarea[name=texts]', HTMLTextAreaElement);
  const repeat = required(form, 'input[name=repeat]', HTMLInputElement);
  const refreshButton = required(form, 'button[name=refresh]', HTMLButtonElement);
  const list = required(panel, '.job-list', HTMLOListElement);
  const rows = new Map<string, HTMLLIElement>();
  const watches = new Map<string, () => void>();
  const summaries = new Map<string, string>();
  const describing = new Set<string>();
  const notice = element('p', 'stats');
  notice.setAttribute('aria-live', 'polite');
  form.after(notice);
  textarea.value = exampleTexts.join('\n');

  const shown = new Map<string, Job>();
  const render = (job: Job) => {
    const row = rows.get(job.id) ?? element('li', 'job');
    if (!isCurrentSnapshot(shown.get(job.id), job)) return row;
    shown.set(job.id, job);
    row.dataset.jobId = job.id;
    row.dataset.status = job.status;
    const progress = element('progress');
    progress.max = 1;
    progress.value = job.progress;
    progress.setAttribute('aria-label', `progress of job ${job.id}`);
    const header = element('div', 'job-header');
    header.append(
      element('span', 'job-kind', job.kind),
      element('code', 'job-id', job.id.slice(0, 12)),
      element('span', `job-status ${job.status}`, job.status),
      element('span', 'job-percent', `${Math.round(job.progress * 100)}%`),
      element('span', 'job-time', duration(job)),
    );
    if (!finished.has(job.status)) {
      const cancel = element('button', 'small', 'Cancel');
      cancel.type = 'button';
      cancel.addEventListener('click', () => {
        cancel.disabled = true;
        connection.client.jobs.cancel
          .mutate({ jobId: job.id })
          .then(render)
          .catch((error: unknown) => (notice.textContent = errorMessage(error)));
      });
      header.append(cancel);
    }
    // Listings carry no results: a row keeps the summary its watch or a jobs.get gave it.
    const summary = resultSummary(job) || summaries.get(job.id) || '';
    if (summary) summaries.set(job.id, summary);
    else if (job.status === 'completed') describe(job.id);
    row.replaceChildren(header, progress, element('div', 'job-result', summary));
    if (!rows.has(job.id)) rows.set(job.id, row);
    return row;
  };

  /** A finished job seen only in a listing: its first result row, to say what it produced. */
  const describe = (jobId: string) => {
    if (describing.has(jobId)) return;
    describing.add(jobId);
    connection.client.jobs.get
      .query({ jobId, resultLimit: 1 })
      .then(render)
      .catch((error: unknown) => (notice.textContent = errorMessage(error)));
  };

  const watch = (job: Job) => {
    if (finished.has(job.status) || watches.has(job.id)) return;
    const subscription = connection.client.jobs.watch.subscribe(
      { jobId: job.id },
      {
        onData: ({ data }) => {
          render(data);
          if (finished.has(data.status)) stopWatching(data.id);
        },
        onError: (error) => {
          notice.textContent = errorMessage(error);
          stopWatching(job.id);
        },
      },
    );
    watches.set(job.id, () => subscription.unsubscribe());
  };
  const stopWatching = (jobId: string) => {
    watches.get(jobId)?.();
    watches.delete(jobId);
  };

  const refresh = async () => {
    try {
      const { jobs } = await connection.client.jobs.list.query({ limit: 20 });
      list.replaceChildren(...jobs.map(render));
      for (const job of jobs) watch(job);
      const listed = new Set(jobs.map((job) => job.id));
      for (const jobId of rows.keys()) {
        if (!listed.has(jobId)) {
          rows.delete(jobId);
          shown.delete(jobId);
          stopWatching(jobId);
        }
      }
    } catch (error) {
      notice.textContent = errorMessage(error);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const lines = nonBlankLines(textarea.value);
    const texts = Array.from({ length: numberFrom(repeat, 1) }, () => lines).flat();
    if (texts.length === 0 || texts.length > limits.jobEmbedMaxTexts) {
      notice.textContent = `a job embeds 1 to ${limits.jobEmbedMaxTexts} texts; this is ${texts.length}`;
      return;
    }
    notice.textContent = `submitting ${texts.length} texts…`;
    connection.client.jobs.submit
      .mutate({ kind: 'embed', input: { texts } })
      .then((job) => {
        notice.textContent = `job ${job.id} submitted: ${texts.length} texts`;
        list.prepend(render(job));
        watch(job);
      })
      .catch((error: unknown) => (notice.textContent = errorMessage(error)));
  });
  refreshButton.addEventListener('click', () => void refresh());
  window.setInterval(() => void refresh(), listRefreshMs);
  void refresh();
  return refresh;
}
