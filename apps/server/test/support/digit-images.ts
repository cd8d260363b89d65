import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { digitsRoot } from './paths.js';

export interface DigitImage {
  file: string;
  label: string;
}

/** The 360 held-out digit PNGs with their labels, from labels.csv. */
export async function readDigitImages(): Promise<DigitImage[]> {
  const csv = await readFile(path.join(digitsRoot, 'labels.csv'), 'utf8');
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [file = '', label = ''] = line.split(',');
      return { file, label };
    });
}

/** Runs calls with a fixed number in flight, so a test neither serializes nor floods the server. */
export async function mapConcurrently<Item, Result>(
  items: Item[],
  concurrency: number,
  call: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results: Result[] = new Array<Result>(items.length);
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await call(items[index] as Item);
    }
  });
  await Promise.all(workers);
  return results;
}
