import { limits } from '@mlrpc/client';
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { print } from '../output.js';
import { readTexts } from '../read-input.js';
import { UsageError } from '../usage-error.js';

/** `mlrpc rerank <query> <document...> | --file`: documents best first for a query. */
export function rerankCommand(program: Command): void {
  program
    .command('rerank <query> [documents...]')
    .description('order documents by relevance to a query (a cross-encoder or embedding model)')
    .option('-f, --file <path>', 'a file with one document per line (- for stdin)')
    .option('-m, --model <id>', 'a model other than the default')
    .option('-n, --top-n <n>', 'only the best n', (value) => Number(value))
    .action(
      async (
        query: string,
        args: string[],
        options: { file?: string; model?: string; topN?: number },
        command: Command,
      ) => {
        const documents = await readTexts(args, options.file);
        if (documents.length === 0) throw new UsageError('give documents, or --file');
        if (documents.length > limits.rerankMaxDocuments) {
          throw new UsageError(
            `${documents.length} documents: at most ${limits.rerankMaxDocuments} per call; for more, use \`mlrpc jobs submit rerank\``,
          );
        }
        const { client, json } = connect(command);
        const result = await client.rerank.mutate({
          query,
          documents,
          ...(options.topN ? { topN: options.topN } : {}),
          ...(options.model ? { model: options.model } : {}),
        });
        print(json, result, () =>
          result.results
            .map(
              (item, rank) =>
                `${String(rank + 1).padStart(3)}. ${item.score.toFixed(4)}  [${item.index}] ${(documents[item.index] ?? '').slice(0, 70)}`,
            )
            .join('\n'),
        );
      },
    );
}
