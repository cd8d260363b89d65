#!/usr/bin/env node
import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { chatCommand } from './commands/chat.js';
import { classifyCommand } from './commands/classify.js';
import { classifyTextCommand } from './commands/classify-text.js';
import { embedCommand } from './commands/embed.js';
import { entitiesCommand } from './commands/entities.js';
import { healthCommand } from './commands/health.js';
import { jobsCommand } from './commands/jobs.js';
import { modelsCommand } from './commands/models.js';
import { rerankCommand } from './commands/rerank.js';
import { serverUrl, type GlobalOptions } from './connection.js';
import { exitCodes } from './exit-codes.js';
import { reportError } from './output.js';
import { UsageError } from './usage-error.js';

// `mlrpc ... | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(exitCodes.ok);
  throw error;
});

const { version } = JSON.parse(
  await readFile(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

const program = new Command('mlrpc')
  .description('Call an mlrpc server: models, embeddings, images, chat and jobs')
  .version(version, '-V, --version', 'print the version of this CLI')
  .option('--url <url>', 'server URL (env MLRPC_URL, default http://127.0.0.1:3000)')
  .option('--api-key <key>', 'API key (env MLRPC_API_KEY)')
  .option('--json', 'print JSON, for scripts')
  .exitOverride()
  .showHelpAfterError();
for (const register of [
  healthCommand,
  modelsCommand,
  embedCommand,
  classifyCommand,
  classifyTextCommand,
  entitiesCommand,
  rerankCommand,
  chatCommand,
  jobsCommand,
]) {
  register(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; anything else commander reports is a usage mistake.
    process.exitCode = error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
  } else if (error instanceof UsageError) {
    process.stderr.write(`usage: ${error.message}\n`);
    process.exitCode = exitCodes.usage;
  } else {
    const options = program.opts<GlobalOptions>();
    let url: string | undefined;
    try {
      url = serverUrl(options);
    } catch {
      url = undefined;
    }
    process.exitCode = reportError(error, options.json ?? false, url);
  }
}
