import { limits } from '@mlrpc/client';
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { print } from '../output.js';
import { readTexts } from '../read-input.js';
import { UsageError } from '../usage-error.js';

/** The texts of a text command, checked against the live limit (jobs take more). */
export async function textsFor(args: string[], file: string | undefined): Promise<string[]> {
  const texts = await readTexts(args, file);
  if (texts.length === 0) throw new UsageError('give texts, or --file with one per line');
  if (texts.length > limits.predictMaxTexts) {
    throw new UsageError(
      `${texts.length} texts: at most ${limits.predictMaxTexts} per call; for more, use \`mlrpc jobs submit\``,
    );
  }
  return texts;
}

/** `mlrpc classify-text <text...> | --file`: labels per text (sentiment, spam...). */
export function classifyTextCommand(program: Command): void {
  program
    .command('classify-text [texts...]')
    .description('label texts with a text-classification model (spam, sentiment...)')
    .option('-f, --file <path>', 'a file with one text per line (- for stdin)')
    .option('-m, --model <id>', 'a model other than the default')
    .option('-k, --top-k <k>', 'labels per text', (value) => Number(value), 1)
    .action(
      async (
        args: string[],
        options: { file?: string; model?: string; topK: number },
        command: Command,
      ) => {
        const texts = await textsFor(args, options.file);
        const { client, json } = connect(command);
        const result = await client.predict.mutate({
          task: 'text-classification',
          texts,
          topK: options.topK,
          ...(options.model ? { model: options.model } : {}),
        });
        const predictions = result.kind === 'text-classification' ? result.predictions : [];
        print(json, result, () =>
          predictions
            .map((labels, index) => {
              const shown = labels
                .map((label) => `${label.label} ${(label.confidence * 100).toFixed(1)}%`)
                .join(', ');
              return `${shown.padEnd(24)}  ${(texts[index] ?? '').replace(/\s+/g, ' ').slice(0, 60)}`;
            })
            .join('\n'),
        );
      },
    );
}
