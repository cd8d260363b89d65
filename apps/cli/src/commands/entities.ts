import type { Command } from 'commander';
import { connect } from '../connection.js';
import { print } from '../output.js';
import { textsFor } from './classify-text.js';

type Aggregation = 'none' | 'simple' | 'first' | 'average' | 'max';

/** `mlrpc entities <text...> | --file`: named entities with their offsets, or masked texts. */
export function entitiesCommand(program: Command): void {
  program
    .command('entities [texts...]')
    .description('find named entities (people, places...) in texts; --mask scrubs them')
    .option('-f, --file <path>', 'a file with one text per line (- for stdin)')
    .option('-m, --model <id>', 'a model other than the default')
    .option('-a, --aggregation <how>', 'none, simple, first, average or max', 'simple')
    .option('--mask', 'print each text with its entities replaced by [TYPE]')
    .action(
      async (
        args: string[],
        options: { file?: string; model?: string; aggregation: Aggregation; mask?: boolean },
        command: Command,
      ) => {
        const texts = await textsFor(args, options.file);
        const { client, json } = connect(command);
        const result = await client.predict.mutate({
          task: 'token-classification',
          texts,
          aggregation: options.aggregation,
          mask: options.mask ?? false,
          ...(options.model ? { model: options.model } : {}),
        });
        if (result.kind !== 'token-classification') {
          print(json, result, () => `${result.model} is not a token-classification model`);
          return;
        }
        print(json, result, () =>
          options.mask
            ? (result.maskedTexts ?? []).join('\n')
            : result.entities
                .map((entities, index) =>
                  [
                    texts[index] ?? '',
                    ...entities.map(
                      (entity) =>
                        `  ${entity.type.padEnd(8)} ${`${entity.start}-${entity.end}`.padEnd(9)} ${(entity.score * 100).toFixed(0).padStart(3)}%  ${entity.text}`,
                    ),
                  ].join('\n'),
                )
                .join('\n'),
        );
      },
    );
}
