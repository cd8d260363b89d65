import { limits } from '@mlrpc/client';
import type { Connection } from './connection.js';
import { element, nonBlankLines, required } from './dom.js';
import { errorMessage } from './error-message.js';
import { similarityMatrix } from './similarity.js';

const exampleSentences = [
  'a small dog',
  'a young puppy',
  'a large wild cat',
  'the price of shares on the stock market',
  'a unit of money',
];
/** More rows than this make the heat map unreadable, not more useful. */
const maxSentences = 16;

/** A cell's colour: pale for unrelated, deep for alike, so the eye finds the pairs at once. */
function cellColour(similarity: number): string {
  const strength = Math.max(0, Math.min(1, similarity));
  return `hsl(221 83% ${Math.round(96 - strength * 56)}%)`;
}

/** The similarity table: one row and one column per sentence, the value in each cell. */
function heatMap(texts: string[], matrix: number[][]): HTMLTableElement {
  const table = element('table');
  const head = element('tr');
  head.append(element('th'));
  texts.forEach((_text, column) => head.append(element('th', 'index', String(column + 1))));
  table.append(element('thead'), element('tbody'));
  table.tHead?.append(head);
  texts.forEach((text, row) => {
    const line = element('tr');
    const label = element('th', 'sentence', `${row + 1}. ${text}`);
    label.scope = 'row';
    label.title = text;
    line.append(label);
    matrix[row]?.forEach((similarity, column) => {
      const cell = element('td', '', similarity.toFixed(2));
      cell.style.background = cellColour(similarity);
      if (similarity > 0.6) cell.classList.add('strong');
      cell.title = `${texts[row]} ↔ ${texts[column]}: ${similarity.toFixed(3)}`;
      cell.dataset.row = String(row);
      cell.dataset.column = String(column);
      cell.dataset.similarity = String(similarity);
      line.append(cell);
    });
    table.tBodies[0]?.append(line);
  });
  return table;
}

/** Embeds a few sentences and shows how alike each pair is as a cosine-similarity heat map. */
export function mountEmbedPanel(panel: HTMLElement, connection: Connection): void {
  const model = required(panel, 'select[name=model]', HTMLSelectElement);
  const form = required(panel, 'form.embed-form', HTMLFormElement);
  const textarea = required(form, 'textarea[name=texts]', HTMLTextAreaElement);
  const submit = required(form, 'button[type=submit]', HTMLButtonElement);
  const output = required(panel, '.heat-map', HTMLDivElement);
  const stats = required(panel, '.stats', HTMLParagraphElement);
  textarea.value = exampleSentences.join('\n');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const texts = nonBlankLines(textarea.value);
    if (texts.length < 2 || texts.length > maxSentences) {
      stats.textContent = `give between 2 and ${maxSentences} sentences, one per line`;
      return;
    }
    const tooLong = texts.find((text) => text.length > limits.embedMaxTextLength);
    if (tooLong !== undefined) {
      stats.textContent = `each sentence holds at most ${limits.embedMaxTextLength} characters`;
      return;
    }
    submit.disabled = true;
    panel.dataset.state = 'running';
    stats.textContent = 'embedding…';
    const started = performance.now();
    connection.client.embed
      .mutate({ texts, ...(model.value ? { model: model.value } : {}) })
      .then((result) => {
        output.replaceChildren(heatMap(texts, similarityMatrix(result.embeddings)));
        stats.textContent = `${result.model} v${result.version} · ${result.dimension} dimensions · ${result.usage.promptTokens} tokens · ${(performance.now() - started).toFixed(0)} ms`;
        panel.dataset.state = 'done';
      })
      .catch((error: unknown) => {
        stats.textContent = errorMessage(error);
        panel.dataset.state = 'error';
      })
      .finally(() => (submit.disabled = false));
  });
}
