import { randomBytes } from 'node:crypto';
import { hashApiKey } from '@mlrpc/api';
import { apiKeyEntrySchema } from '@mlrpc/schema';

// `pnpm --silent api-key <id> <scopes>`: makes a new random key and the entry that configures it.
const [id, scopes = 'infer'] = process.argv.slice(2);
const key = `mlrpc_${randomBytes(24).toString('base64url')}`;
const entry = apiKeyEntrySchema.safeParse({
  id,
  sha256: hashApiKey(key),
  scopes: scopes.split(',').map((scope) => scope.trim()),
});
if (!id || !entry.success) {
  console.error('usage: pnpm --silent api-key <id> <infer,jobs,admin>');
  if (entry.error) console.error(entry.error.issues.map((issue) => issue.message).join('\n'));
  process.exit(2);
}
console.log(`key (give it to the caller; it is not stored anywhere): ${key}`);
console.log(`entry for API_KEYS or API_KEYS_FILE: ${JSON.stringify(entry.data)}`);
