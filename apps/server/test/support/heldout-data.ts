import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sharedRoot } from './paths.js';

async function readJsonLines<Row>(relative: string): Promise<Row[]> {
  const text = await readFile(path.join(sharedRoot, relative), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Row);
}

/** The 1,000 held-out WordNet lemma/gloss pairs (glosses never seen in training). */
export function readLemmaGlosses(): Promise<Array<{ lemma: string; gloss: string }>> {
  return readJsonLines('data/wordnet/heldout-lemma-gloss.jsonl');
}

/** The held-out SpamAssassin messages with their labels. */
export function readSpamTestSet(): Promise<Array<{ text: string; label: 'ham' | 'spam' }>> {
  return readJsonLines('data/spam/test.jsonl');
}

/** Mean reciprocal rank and recall@1, given the rank (0 = first) of each query's answer. */
export function rankMetrics(ranks: number[]): { mrr: number; recallAt1: number } {
  return {
    mrr: ranks.reduce((sum, rank) => sum + 1 / (rank + 1), 0) / ranks.length,
    recallAt1: ranks.filter((rank) => rank === 0).length / ranks.length,
  };
}
