import { MlrpcError } from '@mlrpc/client';
import type { Connection } from './connection.js';
import { errorMessage } from './error-message.js';
import { fillModelSelects } from './model-select.js';

const refreshIntervalMs = 10_000;

/**
 * Keeps the header's badge true to the server's health and the model menus true to its models,
 * so a user sees at once when the server is down, degraded, wants an API key, or has just
 * loaded a model.
 */
export function watchServerStatus(badge: HTMLElement, connection: Connection): () => Promise<void> {
  const refresh = async () => {
    try {
      const health = await connection.client.health.query();
      const ready = health.models.filter((model) => model.ready).length;
      badge.textContent = `${health.status} · v${health.version} · ${ready}/${health.models.length} models loaded${health.gpuAvailable ? ' · GPU' : ''}`;
      badge.dataset.status = health.status;
    } catch (error) {
      badge.textContent = errorMessage(error);
      badge.dataset.status = 'unhealthy';
      return;
    }
    try {
      const { models } = await connection.client.models.list.query();
      fillModelSelects(document, models);
      badge.title = '';
    } catch (error) {
      // Health is public; the model list is not: say why the menus are empty.
      const unauthorized = MlrpcError.from(error).errorCode === 'UNAUTHORIZED';
      badge.textContent += unauthorized ? ' · API key needed' : ' · models unavailable';
      badge.title = errorMessage(error);
    }
  };
  void refresh();
  window.setInterval(() => void refresh(), refreshIntervalMs);
  return refresh;
}
