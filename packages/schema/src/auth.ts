import { z } from 'zod';

/**
 * What an API key may do: `infer` (embed, predict, chat, models.list/get), `jobs` (jobs.*),
 * `admin` (everything, and alone loads and unloads models).
 */
export const scopeSchema = z.enum(['infer', 'jobs', 'admin']);
export type Scope = z.infer<typeof scopeSchema>;

/** One API key as configured: its id (who owns jobs), the SHA-256 of the key, and its scopes. */
export const apiKeyEntrySchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\w.@-]+$/, 'letters, digits, and . _ @ - only'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the hex SHA-256 of the key (64 characters)'),
    scopes: z.array(scopeSchema).min(1),
  })
  .strict();
export type ApiKeyEntry = z.infer<typeof apiKeyEntrySchema>;

export const apiKeyEntriesSchema = z.array(apiKeyEntrySchema);
