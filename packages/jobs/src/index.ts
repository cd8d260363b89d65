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
