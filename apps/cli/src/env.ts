import { z } from 'zod';

/** The CLI's settings from the environment; flags override them. */
const envSchema = z.object({
  // Checked where it is used (connection.ts), so a bad value is reported as a usage mistake.
  MLRPC_URL: z.string().default('http://127.0.0.1:3000'),
  MLRPC_API_KEY: z.string().min(1).optional(),
});
export type CliEnv = z.infer<typeof envSchema>;

/** Reads MLRPC_URL and MLRPC_API_KEY (empty values count as unset). */
export function readEnv(source: Record<string, string | undefined> = process.env): CliEnv {
  const present = Object.fromEntries(
    Object.entries(source).filter(([key, value]) => key.startsWith('MLRPC_') && value),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`invalid environment: ${lines.join('; ')}`);
  }
  return parsed.data;
}
