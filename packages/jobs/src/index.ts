export { BullmqJobBackend, type BullmqJobOptions } from './bullmq/bullmq-job-backend.js';
export {
  BullmqJobWorker,
  type BullmqJobWorkerOptions,
  type JobWorkerEvent,
} from './bullmq/bullmq-job-worker.js';
export {
  connectRedis,
  connectRedisFailFast,
  type RedisJobSettings,
} from './bullmq/redis-connection.js';
export { EmbeddedJobBackend, type EmbeddedJobOptions } from './embedded/embedded-job-backend.js';
export {
  finishedStatuses,
  type JobBackend,
  type JobContext,
  type JobListQuery,
  type JobProcessor,
  type JobSnapshot,
} from './job-backend.js';
export { JobError } from './job-error.js';
export { isTransientFailure, jobFailureOf, type JobFailure } from './job-failure.js';
