import { limits } from '@mlrpc/client';
import type { Connection } from './connection.js';
import { element, nonBlankLines, required } from './dom.js';
import { errorMessage } from './error-message.js';

const exampleDocuments = [
  'a member of the genus Canis that has been domesticated by man',
  'a financial institution that accepts deposits',
  'a young dog',
  'a large body of salt water',
  'an animal kept as a companion',
];

/** A query and documents, one per line, ranked best first with their relevance as bars. */
export function mountRerankPanel(panel: HTMLElement, connection: Connection): void {
  const model = required(panel, 'select[name=model]', HTMLSelectElement);
  const form = required(panel, 'form.rerank-form', HTMLFormElement);
  const query = required(form, 'input[name=query]', HTMLInputElement);
  const textarea = required(form, 'textarea[name=documents]', HTMLTextAreaElement);
  const ranking = required(panel, '.ranking', HTMLOListElement);
  const stats = required(panel, '.stats', HTMLParagraphElement);
  textarea.value = exampleDocuments.join('\n');

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const documents = nonBlankLines(textarea.value);
    if (
      !query.value.trim() ||
      documents.length === 0 ||
      documents.length > limits.rerankMaxDocuments
    ) {
      stats.textContent = `give a query and between 1 and ${limits.rerankMaxDocuments} documents`;
      return;
    }
    panel.dataset.state = 'running';
    stats.textContent = 'ranking…';
    const started = performance.now();
    connection.client.rerank
      .mutate({ query: query.value, documents, ...(model.value ? { model: model.value } : {}) })
      .then((result) => {
        const top = Math.max(...result.results.map((item) => Math.abs(item.score)), 1e-9);
        ranking.replaceChildren(
          ...result.results.map((item) => {
            const row = element('li', 'bar');
            const fill = element('span', 'fill');
            fill.style.width = `${Math.max((Math.abs(item.score) / top) * 100, 0.5)}%`;
            row.append(
              element('span', 'label', documents[item.index] ?? ''),
              fill,
              element('span', 'value', item.score.toFixed(3)),
            );
            row.dataset.index = String(item.index);
            row.title = documents[item.index] ?? '';
            return row;
          }),
        );
        stats.textContent = `${result.model} v${result.version} · ${result.usage.promptTokens} tokens · ${(performance.now() - started).toFixed(0)} ms`;
        panel.dataset.state = 'done';
      })
      .catch((error: unknown) => {
        stats.textContent = errorMessage(error);
        panel.dataset.state = 'error';
      });
  });
}
