import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedRoot } from './paths.js';

/**
 * Natural sentences of about 20 tokens: WordNet glosses of 14 to 18 words. Similar lengths keep
 * batches free of padding, so batch-size effects are the model's, not the padding's.
 */
export async function readSentences(): Promise<string[]> {
  const text = await readFile(
    path.join(sharedRoot, 'data/wordnet/heldout-lemma-gloss.jsonl'),
    'utf8',
  );
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { gloss: string }).gloss)
    .filter((gloss) => {
      const words = gloss.split(' ').length;
      return words >= 14 && words <= 18;
    });
}
