import { existsSync } from 'node:fs';
import { parseRateLimitRules } from '@mlrpc/api';
import { engineSettingsShape, envFlag, envMilliseconds, parseSettings } from '@mlrpc/engine';
import { z } from 'zod';

/** Every setting the server reads, with its default: the one place `process.env` is parsed. */
export const envSchema = z.object({
  ...engineSettingsShape,
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** How long a finished or interrupted chat stream can still be resumed by its last event id. */
  CHAT_RESUME_TTL_MS: envMilliseconds.default(60_000),
  /** With REDIS_URL: this server also runs jobs (off: only `pnpm worker` processes do). */
  JOBS_PROCESS_IN_SERVER: envFlag.default(true),
  /** API keys as JSON: [{ "id", "sha256", "scopes": ["infer"|"jobs"|"admin"] }]; none = auth off. */
  API_KEYS: z.string().optional(),
  /** A file holding the same JSON list (both may be used). */
  API_KEYS_FILE: z.string().optional(),
  /** Per key (or address, with auth off) and procedure group, e.g. `predict=10/minute,default=600/minute`. */
  RATE_LIMITS: z
    .string()
    .default('off')
    .transform((text, context) => {
      try {
        return parseRateLimitRules(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /**
   * After SIGTERM: readiness fails at once, but requests are still served (each response asking
   * to close its connection) for this long, so load balancers stop sending before the port closes.
   */
  SHUTDOWN_DRAIN_MS: envMilliseconds.default(1_000),
  /** Longest a client may take to send a whole request (slow senders hold sockets). */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /**
   * Origins (scheme://host[:port], comma-separated) whose pages may call /trpc, /api and /v1 from
   * a browser; empty (the default) allows same-origin pages only.
   */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text, context) => {
      const origins = text
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean);
      for (const origin of origins) {
        let parsed: URL | undefined;
        try {
          parsed = new URL(origin);
        } catch {
          parsed = undefined;
        }
        if (!parsed || parsed.origin !== origin) {
          context.addIssue({
            code: 'custom',
            message: `"${origin}" is not an origin such as https://app.example.com or http://localhost:5173`,
          });
        }
      }
      return origins;
    }),
  /** Serve the web playground (chat, classification, embeddings, jobs) at `/`. */
  PLAYGROUND: envFlag.default(true),
  /** Largest request body; base64 images are a third larger than their bytes. */
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
});
export type Env = z.infer<typeof envSchema>;

/** The process environment, with a `.env` file in the working directory loaded first if present. */
export function processEnv(): Record<string, string | undefined> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** Parses settings, failing with one readable line per bad variable. */
export function parseEnv(source: Record<string, string | undefined> = processEnv()): Env {
  return parseSettings(envSchema, source);
}
