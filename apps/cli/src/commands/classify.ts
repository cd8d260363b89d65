import type { Command } from 'commander';
import { connect } from '../connection.js';
import { print } from '../output.js';
import { imageFromArgument } from '../read-input.js';

/** `mlrpc classify <path|url|->`: top-k labels of an image. */
export function classifyCommand(program: Command): void {
  program
    .command('classify <image>')
    .description('classify an image: a file path, an http(s) URL, or - for stdin')
    .option('-m, --model <id>', 'a model other than the default')
    .option('-k, --top-k <k>', 'how many labels', (value) => Number(value), 5)
    .action(async (image: string, options: { model?: string; topK: number }, command: Command) => {
      const source = await imageFromArgument(image);
      const { client, json } = connect(command);
      const selection = { topK: options.topK, ...(options.model ? { model: options.model } : {}) };
      // A file or stdin goes up as raw bytes (a form upload), a URL for the server to fetch.
      const result =
        source instanceof Uint8Array
          ? await client.predictImage.mutate({ image: source, ...selection })
          : await client.predict.mutate({ image: source, ...selection });
      const predictions = result.kind === 'image-classification' ? result.predictions : [];
      print(json, result, () =>
        predictions
          .map(
            (prediction) =>
              `${prediction.label.padEnd(24)} ${'#'.repeat(Math.round(prediction.confidence * 30)).padEnd(30)} ${(prediction.confidence * 100).toFixed(1)}%`,
          )
          .join('\n'),
      );
    });
}
