import { limits } from '@mlrpc/client';
import type { Connection } from './connection.js';
import { element, numberFrom, required } from './dom.js';
import { errorMessage } from './error-message.js';

/**
 * Image classification by drag-and-drop or file picker: the image is previewed, uploaded as the
 * file's raw bytes (no base64), and the top-k labels come back as bars sized by confidence.
 */
export function mountClassifyPanel(panel: HTMLElement, connection: Connection): void {
  const model = required(panel, 'select[name=model]', HTMLSelectElement);
  const topK = required(panel, 'input[name=topK]', HTMLInputElement);
  const zone = required(panel, '.drop-zone', HTMLLabelElement);
  const picker = required(zone, 'input[type=file]', HTMLInputElement);
  const preview = required(zone, 'img', HTMLImageElement);
  const bars = required(panel, '.bars', HTMLOListElement);
  const stats = required(panel, '.stats', HTMLParagraphElement);
  let current = 0;

  const classify = async (file: File) => {
    const call = ++current;
    bars.replaceChildren();
    panel.dataset.state = 'running';
    if (!file.type.startsWith('image/')) {
      stats.textContent = `${file.name} is not an image (${file.type || 'unknown type'})`;
      panel.dataset.state = 'error';
      return;
    }
    if (file.size > limits.imageMaxBytes) {
      stats.textContent = `${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the server takes at most ${limits.imageMaxBytes / 1024 / 1024} MiB`;
      panel.dataset.state = 'error';
      return;
    }
    stats.textContent = `classifying ${file.name}…`;
    try {
      if (preview.src.startsWith('blob:')) URL.revokeObjectURL(preview.src);
      preview.src = URL.createObjectURL(file);
      preview.alt = file.name;
      preview.hidden = false;
      const started = performance.now();
      const result = await connection.client.predictImage.mutate({
        image: file,
        topK: numberFrom(topK, limits.topKDefault),
        ...(model.value ? { model: model.value } : {}),
      });
      if (call !== current) return;
      bars.replaceChildren(
        ...result.predictions.map((prediction) => {
          const row = element('li', 'bar');
          const percent = `${(prediction.confidence * 100).toFixed(1)}%`;
          const fill = element('span', 'fill');
          fill.style.width = `${Math.max(prediction.confidence * 100, 0.5)}%`;
          row.append(
            element('span', 'label', prediction.label),
            fill,
            element('span', 'value', percent),
          );
          row.dataset.label = prediction.label;
          row.dataset.confidence = String(prediction.confidence);
          return row;
        }),
      );
      stats.textContent = `${result.model} v${result.version} · ${(performance.now() - started).toFixed(0)} ms`;
      panel.dataset.state = 'done';
    } catch (error) {
      if (call !== current) return;
      stats.textContent = errorMessage(error);
      panel.dataset.state = 'error';
    }
  };

  // A file the browser cannot draw either: no broken-image icon, the server's answer says why.
  preview.addEventListener('error', () => (preview.hidden = true));
  picker.addEventListener('change', () => {
    const file = picker.files?.[0];
    if (file) void classify(file);
    picker.value = '';
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    const file = event.dataTransfer?.files[0];
    if (file) void classify(file);
  });
  zone.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      picker.click();
    }
  });
}
