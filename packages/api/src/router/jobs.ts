import {
  jobGetInputSchema,
  jobIdInputSchema,
  jobSchema,
  jobsListInputSchema,
  jobsListOutputSchema,
  jobsWatchInputSchema,
  jobSubmitInputSchema,
  type jobSubmitUnionSchema,
} from '@mlrpc/schema';
import { tracked, type TRPCRouterRecord } from '@trpc/server';
import { ApiError, fromEngineError } from '../api-error.js';
import { jobsProcedure, submitJobProcedure } from '../trpc.js';

/** `<job id>:<version>` */
function versionAfter(jobId: string, lastEventId: string | null | undefined): number {
  if (!lastEventId) return 0;
  const [id, version] = [
    lastEventId.slice(0, lastEventId.lastIndexOf(':')),
    Number(lastEventId.split(':').at(-1)),
  ];
  if (id !== jobId || !Number.isInteger(version)) {
    throw new ApiError(
      'INVALID_INPUT',
      `lastEventId "${lastEventId}" is not an event of job ${jobId}`,
    );
  }
  return version;
}

export const jobsRouter = {
  /** Queues inference to run in the background; returns at once with the job's id and status. */
  submit: submitJobProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/jobs',
        tags: ['jobs'],
        protect: true,
        summary: 'Queue inference as a background job',
      },
    })
    // Validated as one object (a JSON body REST and OpenAPI can describe), typed as the
    // per-kind union it is equivalent to (see jobSubmitInputSchema), so callers keep precise types.
    .input(jobSubmitInputSchema as unknown as typeof jobSubmitUnionSchema)
    .output(jobSchema)
    .mutation(({ ctx, input }) => ctx.jobs.submit(ctx.owner, input)),
  get: jobsProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/jobs/{jobId}',
        tags: ['jobs'],
        protect: true,
        summary:
          'A job: status, progress, error, or a page of its result (resultOffset, resultLimit)',
      },
    })
    .input(jobGetInputSchema)
    .output(jobSchema)
    .query(({ ctx, input }) =>
      ctx.jobs.get(ctx.owner, input.jobId, {
        offset: input.resultOffset,
        limit: input.resultLimit,
      }),
    ),
  /** The caller's jobs, newest first; pass `nextCursor` back for the next page. */
  list: jobsProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/jobs',
        tags: ['jobs'],
        protect: true,
        summary: 'Your jobs, newest first',
      },
    })
    .input(jobsListInputSchema)
    .output(jobsListOutputSchema)
    .query(({ ctx, input }) => ctx.jobs.list(ctx.owner, input)),
  cancel: jobsProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/jobs/{jobId}/cancel',
        tags: ['jobs'],
        protect: true,
        summary: 'Cancel a queued or running job',
      },
    })
    .input(jobIdInputSchema)
    .output(jobSchema)
    .mutation(({ ctx, input }) => ctx.jobs.cancel(ctx.owner, input.jobId)),
  /** The job's status, progress and finally its result or error, as they change; resumable. */
  watch: jobsProcedure.input(jobsWatchInputSchema).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const after = versionAfter(input.jobId, input.lastEventId);
    const stop = AbortSignal.any([signal ?? new AbortController().signal, ctx.shutdown]);
    try {
      for await (const { version, job } of ctx.jobs.watch(ctx.owner, input.jobId, after, stop)) {
        yield tracked(`${job.id}:${version}`, job);
      }
    } catch (error) {
      // Inside the stream no middleware maps engine errors: a missing job must be a 404 (which
      // clients give up on), not a 500 (which they retry forever).
      if (!stop.aborted) throw fromEngineError(error);
      if (ctx.shutdown.aborted && !signal?.aborted) {
        // A 503 makes the client reconnect with its last event id: to a replica still serving.
        throw new ApiError('SHUTTING_DOWN', 'the server is shutting down; watch again', {
          retryAfterSeconds: 1,
        });
      }
    }
  }),
} satisfies TRPCRouterRecord;
