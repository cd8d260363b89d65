import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedRoot } from './paths.js';

/** Natural sentences of about 20 tokens: the WordNet glosses of the held-out set. */
export async function readSentences(): Promise<string[]> {
  const text = await readFile(
    path.join(sharedRoot, 'data/wordnet/heldout-lemma-gloss.jsonl'),
    'utf8',
  );
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { gloss: string }).gloss)
    .filter((gloss) => gloss.split(' ').length >= 8);
}
