import { limits } from '@mlrpc/schema';
import { z } from 'zod';

/** `1/true/yes/on` or `0/false/no/off`, as environment variables spell booleans. */
export const envFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

export const envMilliseconds = z.coerce.number().int().nonnegative();

/**
 * Settings of the engine and its jobs, shared by the API server and `apps/worker` so both read
 * the same environment the same way (each app's env.ts adds its own and parses them).
 */
export const engineSettingsShape = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Path of the model config file (JSON), relative to the working directory. */
  MODELS_CONFIG: z.string().min(1).default('config/models.json'),
  /** Root folder for local models laid out like the hub: `<org>/<name>/...`. */
  MODELS_DIR: z.string().min(1).default('models'),
  /** Where models downloaded from the Hugging Face hub are cached. */
  MODELS_CACHE_DIR: z.string().min(1).default('.cache/models'),
  /** `1` never downloads: only MODELS_DIR and the cache are used. */
  MODELS_OFFLINE: envFlag.default(false),
  /** Load every task's default model at start-up instead of on first use. */
  MODELS_PRELOAD: envFlag.default(true),
  /** Most model versions loaded at once; the least recently used idle one is unloaded. */
  MODELS_MAX_LOADED: z.coerce.number().int().positive().optional(),
  /** After a failed model load, refuse calls for this long before trying again. */
  MODEL_LOAD_RETRY_MS: envMilliseconds.default(5_000),
  IMAGE_MAX_BYTES: z.coerce.number().int().positive().default(limits.imageMaxBytes),
  IMAGE_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  IMAGE_FETCH_TIMEOUT_MS: envMilliseconds.default(10_000),
  IMAGE_FETCH_MAX_REDIRECTS: z.coerce.number().int().min(0).max(10).default(3),
  /**
   * Image URLs may only reach public addresses; these hosts, addresses and CIDR ranges are
   * allowed too (comma-separated), e.g. an internal image store: `images.internal,10.2.0.0/16`.
   */
  IMAGE_FETCH_ALLOW: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  /** Redis for durable jobs shared by servers and workers; unset = in-process jobs, not durable. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default('mlrpc'),
  /** Jobs running at once in this process. */
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(1),
  /** Waiting jobs beyond this are refused with QUEUE_FULL. */
  JOBS_MAX_QUEUED: z.coerce.number().int().min(1).default(1_000),
  /** In-process jobs: bytes of input all waiting jobs may hold (they wait in this process's memory). */
  JOBS_MAX_QUEUED_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(256 * 1024 * 1024),
  /** How long finished jobs and their results are kept. */
  JOBS_RETENTION_MS: envMilliseconds.default(24 * 60 * 60 * 1000),
  /** Tries per job for transient failures (Redis backend); bad input is never retried. */
  JOBS_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** First retry delay; it doubles with each further retry. */
  JOBS_BACKOFF_MS: envMilliseconds.default(2_000),
  /** A job whose worker stops renewing its lock for this long goes to another worker. */
  JOBS_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long in-flight work gets to finish after SIGTERM. */
  SHUTDOWN_GRACE_MS: envMilliseconds.default(10_000),
};

export const engineSettingsSchema = z.object(engineSettingsShape);
export type EngineSettings = z.infer<typeof engineSettingsSchema>;

/**
 * Parses settings, failing with one readable line per bad variable (empty values count as unset).
 */
export function parseSettings<Schema extends z.ZodType>(
  schema: Schema,
  source: Record<string, string | undefined>,
): z.infer<Schema> {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
