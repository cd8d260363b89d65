import { limits, type RouterOutputs } from '@mlrpc/client';
import type { Connection } from './connection.js';
import { element, nonBlankLines, required } from './dom.js';
import { errorMessage } from './error-message.js';

type Entities = Extract<RouterOutputs['predict'], { kind: 'token-classification' }>['entities'];

const exampleTexts = [
  'Subject: Lunch tomorrow?\n\nHi Ann, are we still on for noon at the Café de Flore in Paris?',
  'Subject: YOU WON $1,000,000!!!\n\nClick here now to claim your free cash prize',
];

/** A text with each entity wrapped in a highlighted mark carrying its type and score. */
function highlighted(text: string, entities: Entities[number]): HTMLParagraphElement {
  const line = element('p', 'entity-text');
  let cursor = 0;
  for (const entity of entities) {
    if (entity.start < cursor) continue;
    line.append(text.slice(cursor, entity.start));
    const mark = element('mark', 'entity', entity.text);
    mark.dataset.type = entity.type;
    mark.title = `${entity.type} ${(entity.score * 100).toFixed(0)}% · characters ${entity.start}-${entity.end}`;
    mark.append(element('sup', 'entity-type', entity.type));
    line.append(mark);
    cursor = entity.end;
  }
  line.append(text.slice(cursor));
  return line;
}

/**
 * Texts, one per line, labelled by a text classifier (top label and confidence per text) or
 * searched for entities by a token classifier (each entity highlighted in place, or masked).
 */
export function mountTextPanel(panel: HTMLElement, connection: Connection): void {
  const classifier = required(panel, 'select[name=classifier]', HTMLSelectElement);
  const tagger = required(panel, 'select[name=tagger]', HTMLSelectElement);
  const mask = required(panel, 'input[name=mask]', HTMLInputElement);
  const form = required(panel, 'form.text-form', HTMLFormElement);
  const textarea = required(form, 'textarea[name=texts]', HTMLTextAreaElement);
  const results = required(panel, '.text-results', HTMLOListElement);
  const stats = required(panel, '.stats', HTMLParagraphElement);
  // Each example is one message; newlines inside it are written as \n on its line.
  textarea.value = exampleTexts.map((text) => text.replaceAll('\n', '\\n')).join('\n');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const entities = (event.submitter as HTMLButtonElement | null)?.name === 'entities';
    const texts = nonBlankLines(textarea.value).map((line) => line.replaceAll('\\n', '\n'));
    if (texts.length === 0 || texts.length > limits.predictMaxTexts) {
      stats.textContent = `give between 1 and ${limits.predictMaxTexts} texts, one per line`;
      return;
    }
    panel.dataset.state = 'running';
    stats.textContent = entities ? 'finding entities…' : 'classifying…';
    const started = performance.now();
    const model = entities ? tagger.value : classifier.value;
    connection.client.predict
      .mutate({
        texts,
        task: entities ? 'token-classification' : 'text-classification',
        topK: 2,
        mask: mask.checked,
        ...(model ? { model } : {}),
      })
      .then((result) => {
        if (result.kind === 'text-classification') {
          results.replaceChildren(
            ...result.predictions.map((labels, index) => {
              const row = element('li', 'text-result');
              const top = labels[0];
              const badge = element(
                'span',
                'label-badge',
                top ? `${top.label} ${(top.confidence * 100).toFixed(1)}%` : '?',
              );
              if (top) row.dataset.label = top.label;
              row.append(badge, element('span', 'text-snippet', texts[index] ?? ''));
              return row;
            }),
          );
        } else if (result.kind === 'token-classification') {
          results.replaceChildren(
            ...result.entities.map((found, index) => {
              const row = element('li', 'text-result');
              row.dataset.entities = String(found.length);
              row.append(
                result.maskedTexts
                  ? element('p', 'masked-text', result.maskedTexts[index] ?? '')
                  : highlighted(texts[index] ?? '', found),
              );
              return row;
            }),
          );
        }
        stats.textContent = `${result.model} v${result.version} · ${texts.length} texts · ${(performance.now() - started).toFixed(0)} ms`;
        panel.dataset.state = 'done';
      })
      .catch((error: unknown) => {
        stats.textContent = errorMessage(error);
        panel.dataset.state = 'error';
      });
  });
}
