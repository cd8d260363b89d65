import { z } from 'zod';
import { chatCompleteOutputSchema, chatInputSchema } from './chat.js';
import { embedOutputSchema } from './embed.js';
import { errorCodeSchema } from './error-code.js';
import { limits } from './limits.js';
import { modelSelectionShape } from './model-reference.js';
import { jobPredictInputSchema, predictOutputSchema } from './predict.js';
import { jobRerankInputSchema, rerankOutputSchema } from './rerank.js';

/** Embedding as a job takes far more texts than a live call; it runs in batches with progress. */
export const jobEmbedInputSchema = z
  .object({
    ...modelSelectionShape,
    texts: z
      .array(
        z
          .string()
          .max(limits.embedMaxTextLength)
          .refine((text) => text.trim().length > 0, 'text must not be blank'),
      )
      .min(1)
      .max(limits.jobEmbedMaxTexts),
  })
  .strict();

/** What a job runs: the procedure of the same name, with a job's larger inputs. */
export const jobKindSchema = z.enum(['embed', 'predict', 'chat', 'rerank']);

const jobOptionsShape = {
  /** 1 (first) .. 10 (last); default 5. */
  priority: z.number().int().min(1).max(10).default(5),
  /** The same key from the same owner returns the existing job instead of a new one. */
  idempotencyKey: z.string().min(1).max(200).optional(),
};

const inputSchemaByKind = {
  embed: jobEmbedInputSchema,
  predict: jobPredictInputSchema,
  chat: chatInputSchema,
  rerank: jobRerankInputSchema,
} as const;

/** Each kind with its own input: the precise shape callers and backends work with. */
export const jobSubmitUnionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embed'), input: jobEmbedInputSchema, ...jobOptionsShape }).strict(),
  z
    .object({ kind: z.literal('predict'), input: jobPredictInputSchema, ...jobOptionsShape })
    .strict(),
  z.object({ kind: z.literal('chat'), input: chatInputSchema, ...jobOptionsShape }).strict(),
  z.object({ kind: z.literal('rerank'), input: jobRerankInputSchema, ...jobOptionsShape }).strict(),
]);
export type JobSubmitInput = z.input<typeof jobSubmitUnionSchema>;
export type JobSubmission = z.output<typeof jobSubmitUnionSchema>;

/**
 * The same acceptance as jobSubmitUnionSchema written as one object (kind, and an input checked
 * against that kind's schema), because REST/OpenAPI bodies must be objects. The procedure
 * validates with this and types with the union.
 */
export const jobSubmitInputSchema = z
  .object({
    kind: jobKindSchema,
    input: z.union([
      jobEmbedInputSchema,
      jobPredictInputSchema,
      chatInputSchema,
      jobRerankInputSchema,
    ]),
    ...jobOptionsShape,
  })
  .strict()
  .superRefine((value, context) => {
    const parsed = inputSchemaByKind[value.kind].safeParse(value.input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        context.addIssue({ ...issue, path: ['input', ...issue.path] });
      }
    }
  });
export type JobKind = JobSubmission['kind'];

export const jobStatusSchema = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const jobResultSchema = z.union([
  embedOutputSchema,
  predictOutputSchema,
  chatCompleteOutputSchema,
  rerankOutputSchema,
]);
export type JobResult = z.infer<typeof jobResultSchema>;

/** Which rows of a long result a response carries; `total` is how many the job produced. */
export const jobResultPageSchema = z.object({
  offset: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});
export type JobResultPage = z.infer<typeof jobResultPageSchema>;

export const jobSchema = z.object({
  id: z.string(),
  kind: jobKindSchema,
  status: jobStatusSchema,
  /** 0..1; embed jobs advance per batch, chat jobs per generated token. */
  progress: z.number().min(0).max(1),
  priority: z.number().int(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  attempts: z.number().int().nonnegative(),
  /** In `jobs.list`, always null: fetch a job's result with `jobs.get`. */
  result: jobResultSchema.nullable(),
  /** Set when the result has rows (embeddings, text predictions, ranked documents): the ones here. */
  resultPage: jobResultPageSchema.nullable(),
  error: z.object({ errorCode: errorCodeSchema, message: z.string() }).nullable(),
});
export type Job = z.infer<typeof jobSchema>;

export const jobIdInputSchema = z.object({ jobId: z.string().min(1).max(100) }).strict();

/** A job, with a window on its result's rows: big results come a page at a time. */
export const jobGetInputSchema = jobIdInputSchema
  .extend({
    resultOffset: z.coerce.number().int().min(0).default(0),
    resultLimit: z.coerce
      .number()
      .int()
      .min(1)
      .max(limits.jobResultPageMax)
      .default(limits.jobResultPageDefault),
  })
  .strict();

export const jobsListInputSchema = z
  .object({
    status: jobStatusSchema.optional(),
    /** From the previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();

export const jobsListOutputSchema = z.object({
  jobs: z.array(jobSchema),
  nextCursor: z.string().nullable(),
});

export const jobsWatchInputSchema = jobIdInputSchema.extend({
  lastEventId: z.string().max(200).nullish(),
});
