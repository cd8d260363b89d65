import { existsSync } from 'node:fs';
import { engineSettingsShape, parseSettings } from '@mlrpc/engine';
import { z } from 'zod';

/** The worker reads the server's settings (one `.env` serves both); Redis is required here. */
export const envSchema = z.object({
  ...engineSettingsShape,
  REDIS_URL: engineSettingsShape.REDIS_URL.unwrap(),
  /**
   * Port of the worker's health probes (/health/live, /health/ready); 0 turns them off. Not
   * `PORT`: a worker sharing the server's `.env` must not reach for the server's port.
   */
  WORKER_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  HOST: z.string().min(1).default('127.0.0.1'),
});
export type Env = z.infer<typeof envSchema>;

/** Parses the process environment (after a `.env` file in the working directory, if present). */
export function parseEnv(source?: Record<string, string | undefined>): Env {
  if (!source && existsSync('.env')) process.loadEnvFile('.env');
  return parseSettings(envSchema, source ?? process.env);
}

/** Looks up `env:NAME` secrets named in the model config. */
export function secretFromEnv(name: string): string | undefined {
  return process.env[name];
}
