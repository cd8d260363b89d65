import type { Job } from '@mlrpc/client';

const stage: Record<Job['status'], number> = {
  queued: 0,
  running: 1,
  completed: 2,
  failed: 2,
  cancelled: 2,
};

/**
 * Whether `incoming` is at least as recent as `shown`: a list fetched before a watch update can
 * arrive after it, and must not move a job's row backwards. A retry (more attempts) is newer
 * even though it starts again from queued.
 */
export function isCurrentSnapshot(shown: Job | undefined, incoming: Job): boolean {
  if (!shown) return true;
  if (incoming.attempts !== shown.attempts) return incoming.attempts > shown.attempts;
  if (stage[incoming.status] !== stage[shown.status]) {
    return stage[incoming.status] > stage[shown.status];
  }
  return incoming.progress >= shown.progress;
}
