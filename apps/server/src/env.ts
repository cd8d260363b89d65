import { existsSync } from 'node:fs';
import { limits } from '@mlrpc/schema';
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const milliseconds = z.coerce.number().int().nonnegative();

/** Every setting the server reads, with its default: the one place `process.env` is parsed. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Path of the model config file (JSON), relative to the working directory. */
  MODELS_CONFIG: z.string().min(1).default('config/models.json'),
  /** Root folder for local models laid out like the hub: `<org>/<name>/...`. */
  MODELS_DIR: z.string().min(1).default('models'),
  /** Where models downloaded from the Hugging Face hub are cached. */
  MODELS_CACHE_DIR: z.string().min(1).default('.cache/models'),
  /** `1` never downloads: only MODELS_DIR and the cache are used. */
  MODELS_OFFLINE: flag.default(false),
  /** Load every task's default model at start-up instead of on first use. */
  MODELS_PRELOAD: flag.default(true),
  /** Most model versions loaded at once; the least recently used idle one is unloaded. */
  MODELS_MAX_LOADED: z.coerce.number().int().positive().optional(),
  /** After a failed model load, refuse calls for this long before trying again. */
  MODEL_LOAD_RETRY_MS: milliseconds.default(5_000),
  /** How long a finished or interrupted chat stream can still be resumed by its last event id. */
  CHAT_RESUME_TTL_MS: milliseconds.default(60_000),
  /** Background jobs running at once in this server (embedded job backend). */
  JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(1),
  /** Queued jobs beyond this are refused with QUEUE_FULL. */
  JOBS_MAX_QUEUED: z.coerce.number().int().min(1).default(1_000),
  /** How long finished jobs and their results are kept. */
  JOBS_RETENTION_MS: milliseconds.default(24 * 60 * 60 * 1000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long in-flight requests get to finish after SIGTERM. */
  SHUTDOWN_GRACE_MS: milliseconds.default(10_000),
  /** Largest request body; base64 images are a third larger than their bytes. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  IMAGE_MAX_BYTES: z.coerce.number().int().positive().default(limits.imageMaxBytes),
  IMAGE_MAX_PIXELS: z.coerce.number().int().positive().default(40_000_000),
  IMAGE_FETCH_TIMEOUT_MS: milliseconds.default(10_000),
  IMAGE_FETCH_MAX_REDIRECTS: z.coerce.number().int().min(0).max(10).default(3),
});
export type Env = z.infer<typeof envSchema>;

/** The process environment, with a `.env` file in the working directory loaded first if present. */
export function processEnv(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** Parses settings, failing with one readable line per bad variable. */
export function parseEnv(source: Record<string, string | undefined> = processEnv()): Env {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
