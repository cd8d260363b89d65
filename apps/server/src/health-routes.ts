import type { ModelManager } from '@mlrpc/models';
import { Router } from 'express';

export interface HealthRouteOptions {
  models: ModelManager;
  serverVersion: string;
  startedAt: number;
  /** True once shutdown began: readiness fails at once so traffic drains away. */
  isShuttingDown: () => boolean;
  /** Whether the job store answers (Redis, when REDIS_URL is set). */
  jobsAvailable: () => boolean;
}

/** Plain-HTTP probes for orchestrators, which cannot speak tRPC (liveness: request-listener.ts). */
export function healthRoutes(options: HealthRouteOptions): Router {
  const router = Router();
  router.get('/health', (_request, response) => {
    const health = options.models.health();
    response.status(health.status === 'unhealthy' ? 503 : 200).json({
      ...health,
      version: options.serverVersion,
      uptimeSeconds: (Date.now() - options.startedAt) / 1000,
    });
  });
  router.get('/health/ready', (_request, response) => {
    const shuttingDown = options.isShuttingDown();
    const jobs = options.jobsAvailable() ? 'ok' : 'unreachable';
    const ready = !shuttingDown && options.models.isReady() && jobs === 'ok';
    const models = options.models
      .health()
      .models.map(({ id, version, state, error }) => ({ id, version, state, error }));
    response.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : shuttingDown ? 'shutting-down' : 'not-ready',
      jobs,
      models,
    });
  });
  return router;
}
