import { limits } from '@mlrpc/client';
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { print } from '../output.js';
import { readTexts } from '../read-input.js';
import { UsageError } from '../usage-error.js';

/** `mlrpc embed <text...> | --file`: sentence embeddings. */
export function embedCommand(program: Command): void {
  program
    .command('embed [texts...]')
    .description('embed texts (arguments, or one per line of --file; - reads stdin)')
    .option('-f, --file <path>', 'a file with one text per line')
    .option('-m, --model <id>', 'a model other than the default')
    .action(
      async (args: string[], options: { file?: string; model?: string }, command: Command) => {
        const texts = await readTexts(args, options.file);
        if (texts.length === 0) throw new UsageError('give texts to embed, or --file');
        if (texts.length > limits.embedMaxTexts) {
          throw new UsageError(
            `${texts.length} texts: embed takes at most ${limits.embedMaxTexts}; for more, use \`mlrpc jobs submit embed --file\``,
          );
        }
        const { client, json } = connect(command);
        const result = await client.embed.mutate({
          texts,
          ...(options.model ? { model: options.model } : {}),
        });
        print(json, result, () =>
          [
            `${result.model}@${result.version}: ${result.embeddings.length} x ${result.dimension} (${result.inferenceTimeMs.toFixed(1)} ms)`,
            ...result.embeddings.map(
              (vector, index) =>
                `${texts[index]?.slice(0, 40).padEnd(40)}  [${vector
                  .slice(0, 4)
                  .map((value) => value.toFixed(4))
                  .join(', ')}, ...]`,
            ),
          ].join('\n'),
        );
      },
    );
}
