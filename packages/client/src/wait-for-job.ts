import type { AppRouter, RouterOutputs } from '@mlrpc/api';
import type { TRPCClient } from '@trpc/client';
import { MlrpcError } from './mlrpc-error.js';
import { wholeJobResult } from './whole-job-result.js';

export type Job = RouterOutputs['jobs']['get'];

export interface WaitForJobOptions {
  /** Called with 0..1 as the job advances (per embed batch, per generated token). */
  onProgress?: (progress: number, job: Job) => void;
  /** Stops waiting (the job itself goes on; cancel it with jobs.cancel). */
  signal?: AbortSignal;
}

/**
 * Follows a job until it finishes and returns it: `completed` with its whole `result` (every
 * page of a big one), or `failed`
 * (`error` says why) or `cancelled`. Rides out reconnects (the watch resumes from its last event).
 */
export function waitForJob(
  client: TRPCClient<AppRouter>,
  jobId: string,
  options: WaitForJobOptions = {},
): Promise<Job> {
  return new Promise<Job>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(MlrpcError.from(new Error('stopped waiting for the job')));
      return;
    }
    let lastProgress = -1;
    const subscription = client.jobs.watch.subscribe(
      { jobId },
      {
        onData: ({ data: job }) => {
          if (job.progress !== lastProgress) {
            lastProgress = job.progress;
            options.onProgress?.(job.progress, job);
          }
          if (job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled') {
            finish();
            // A big result arrives a page at a time: the caller gets all of it.
            wholeJobResult(client, job).then(resolve, (error: unknown) =>
              reject(MlrpcError.from(error)),
            );
          }
        },
        onError: (error) => {
          finish();
          reject(MlrpcError.from(error));
        },
      },
    );
    const onAbort = () => {
      finish();
      reject(MlrpcError.from(new Error('stopped waiting for the job')));
    };
    function finish() {
      options.signal?.removeEventListener('abort', onAbort);
      subscription.unsubscribe();
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
