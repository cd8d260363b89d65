import type { Entity, EntityAggregation } from '@mlrpc/schema';
import type { TaggedToken } from './token-classification-model.js';

interface Labeled {
  label: string;
  score: number;
  start: number;
  end: number;
}

/** `B-PER` -> [B, PER]; a label without a B-/I- prefix continues (as transformers does). */
function tagOf(label: string): [string, string] {
  return /^[BI]-/.test(label) ? [label.slice(0, 1), label.slice(2)] : ['I', label];
}

function best(scores: number[]): { index: number; score: number } {
  let index = 0;
  scores.forEach((score, candidate) => {
    if (score > (scores[index] ?? -Infinity)) index = candidate;
  });
  return { index, score: scores[index] ?? 0 };
}

/** Tokens grouped into words: a token starts a word unless it touches the previous one. */
function words(tokens: TaggedToken[], text: string): TaggedToken[][] {
  const grouped: TaggedToken[][] = [];
  tokens.forEach((token, index) => {
    const previous = tokens[index - 1];
    const attached = previous && !/\s/.test(text.slice(previous.end, token.start));
    if (attached && grouped.length > 0) grouped.at(-1)?.push(token);
    else grouped.push([token]);
  });
  return grouped;
}

/** One label for a word from its pieces, as transformers' `first`, `average` and `max` do. */
function labelWord(
  pieces: TaggedToken[],
  labels: string[],
  strategy: 'first' | 'average' | 'max',
): Labeled {
  const [first] = pieces as [TaggedToken];
  const last = pieces.at(-1) ?? first;
  let scores = first.scores;
  if (strategy === 'max') {
    scores = pieces.reduce((top, piece) =>
      best(piece.scores).score > best(top.scores).score ? piece : top,
    ).scores;
  } else if (strategy === 'average') {
    scores = first.scores.map(
      (_, label) =>
        pieces.reduce((sum, piece) => sum + (piece.scores[label] ?? 0), 0) / pieces.length,
    );
  }
  const { index, score } = best(scores);
  return { label: labels[index] ?? String(index), score, start: first.start, end: last.end };
}

/** Consecutive pieces of one type merge until a B- starts another (transformers' grouping). */
function group(labeled: Labeled[]): Labeled[] {
  const groups: Labeled[][] = [];
  for (const item of labeled) {
    const open = groups.at(-1);
    const [prefix, type] = tagOf(item.label);
    const previous = open?.at(-1);
    if (open && previous && tagOf(previous.label)[1] === type && prefix !== 'B') open.push(item);
    else groups.push([item]);
  }
  return groups.map((members) => {
    const [first] = members as [Labeled];
    return {
      label: tagOf(first.label)[1],
      score: members.reduce((sum, member) => sum + member.score, 0) / members.length,
      start: first.start,
      end: (members.at(-1) ?? first).end,
    };
  });
}

/**
 * Turns a text's tagged tokens into entities: labels per token (`none`, `simple`) or per word
 * (`first`, `average`, `max`), B-/I- pieces merged, ignored labels dropped. Every entity's text
 * is the caller's own string between its offsets.
 */
export function aggregateEntities(
  text: string,
  tokens: TaggedToken[],
  labels: string[],
  options: { aggregation: EntityAggregation; ignoreLabels: string[] },
): Entity[] {
  const { aggregation } = options;
  const labeled: Labeled[] =
    aggregation === 'none' || aggregation === 'simple'
      ? tokens.map((token) => {
          const { index, score } = best(token.scores);
          return {
            label: labels[index] ?? String(index),
            score,
            start: token.start,
            end: token.end,
          };
        })
      : words(tokens, text).map((pieces) => labelWord(pieces, labels, aggregation));
  const entities = aggregation === 'none' ? labeled : group(labeled);
  const ignored = new Set(options.ignoreLabels);
  return entities
    .filter((entity) => !ignored.has(entity.label) && entity.end > entity.start)
    .map((entity) => ({
      type: entity.label,
      text: text.slice(entity.start, entity.end),
      start: entity.start,
      end: entity.end,
      score: Math.min(1, Math.max(0, entity.score)),
    }));
}

/** The text with each entity replaced by `[TYPE]` (a B-/I- prefix dropped): a PII scrubber. */
export function maskEntities(text: string, entities: Entity[]): string {
  let masked = '';
  let cursor = 0;
  for (const entity of [...entities].sort((a, b) => a.start - b.start)) {
    if (entity.start < cursor) continue;
    masked += `${text.slice(cursor, entity.start)}[${tagOf(entity.type)[1]}]`;
    cursor = entity.end;
  }
  return masked + text.slice(cursor);
}
