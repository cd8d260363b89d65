import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedRoot } from './paths.js';

/** Held-out WordNet glosses: real sentences for embedding tests. */
export async function readGlosses(): Promise<string[]> {
  const text = await readFile(
    path.join(sharedRoot, 'data/wordnet/heldout-lemma-gloss.jsonl'),
    'utf8',
  );
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { gloss: string }).gloss);
}
