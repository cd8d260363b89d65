import {
  limits,
  type Job,
  type JobResult,
  type JobStatus,
  type JobSubmission,
} from '@mlrpc/schema';
import type { Redis } from 'ioredis';
import type { JobFailure } from '../job-failure.js';
import { firstPage, type ResultWindow } from '../result-window.js';
import { viewResult } from '../stored-result.js';
import { decodeJobResult, encodeJobResult } from './job-result-codec.js';

/** Every field of a job's hash but its result. */
const recordFields = [
  'id',
  'owner',
  'kind',
  'status',
  'progress',
  'priority',
  'createdAt',
  'startedAt',
  'finishedAt',
  'attempts',
  'error',
  'submission',
  'version',
] as const;
import type { RedisKeys } from './redis-keys.js';

/**
 * Applies a change to a job record only if its status is one of the allowed ones, bumps its
 * version, starts the retention clock once it is finished, and tells watchers, all atomically.
 * Returns the new version, 0 when the status did not allow the change, -1 when there is no record.
 */
const transitionScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local status = redis.call('HGET', KEYS[1], 'status')
if ARGV[2] ~= '' and not string.find(',' .. ARGV[2] .. ',', ',' .. status .. ',', 1, true) then
  return 0
end
for index = 4, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[index], ARGV[index + 1]) end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
local now = redis.call('HGET', KEYS[1], 'status')
if now == 'completed' or now == 'failed' or now == 'cancelled' then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  local idempotency = redis.call('HGET', KEYS[1], 'idempotencyKey')
  if idempotency and idempotency ~= '' then redis.call('PEXPIRE', idempotency, ARGV[3]) end
end
redis.call('PUBLISH', ARGV[1], redis.call('HGET', KEYS[1], 'id'))
return version
`;

type TransitionCommand = (
  key: string,
  channel: string,
  allowed: string,
  retentionMs: number,
  ...fields: string[]
) => Promise<number>;

/** A job as stored: the public record plus what only the backend and workers need. */
export interface JobRecord {
  owner: string;
  submission: JobSubmission;
  version: number;
  job: Job;
}

/** The parts of a job that change after submission. */
export interface JobChange {
  status?: JobStatus;
  progress?: number;
  startedAt?: number;
  finishedAt?: number;
  attempts?: number;
  result?: JobResult;
  error?: JobFailure | null;
}

function numberOrNull(text: string | undefined): number | null {
  return text ? Number(text) : null;
}

/** Job records in Redis hashes: the source of truth for status, progress and results. */
export class JobRecordStore {
  private readonly transition: TransitionCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {
    if (!('mlrpcJobTransition' in redis)) {
      redis.defineCommand('mlrpcJobTransition', { numberOfKeys: 1, lua: transitionScript });
    }
    const command = (redis as unknown as Record<string, TransitionCommand>)['mlrpcJobTransition'];
    this.transition = (...args) => (command as TransitionCommand).apply(redis, args);
  }

  /** Writes a new queued job and lists it under its owner. */
  async create(
    owner: string,
    job: Job,
    submission: JobSubmission,
    idempotencyKey: string | undefined,
  ): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.job(job.id), {
        id: job.id,
        owner,
        kind: job.kind,
        priority: String(job.priority),
        createdAt: String(job.createdAt),
        status: job.status,
        progress: '0',
        attempts: '0',
        version: '1',
        submission: JSON.stringify(submission),
        idempotencyKey: idempotencyKey ?? '',
      })
      .zadd(this.keys.ownerJobs(owner), job.createdAt, job.id)
      .exec();
  }

  /**
   * A job's record, with the window of its result's rows a response may carry; `null` leaves the
   * result out (listings), without reading it from Redis at all.
   */
  async read(
    jobId: string,
    window: ResultWindow | null = firstPage(limits.jobResultPageDefault),
  ): Promise<JobRecord | null> {
    const fields: Record<string, string | undefined> =
      window === null
        ? Object.fromEntries(
            (await this.redis.hmget(this.keys.job(jobId), ...recordFields)).map(
              (value: string | null, index): [string, string | undefined] => [
                recordFields[index] ?? '',
                value ?? undefined,
              ],
            ),
          )
        : await this.redis.hgetall(this.keys.job(jobId));
    if (!fields['id'] || !fields['owner'] || !fields['submission']) return null;
    const viewed =
      window !== null && fields['result']
        ? viewResult(decodeJobResult(fields['result']), window)
        : { result: null, resultPage: null };
    const job: Job = {
      id: fields['id'],
      kind: fields['kind'] as Job['kind'],
      status: fields['status'] as JobStatus,
      progress: Number(fields['progress'] ?? 0),
      priority: Number(fields['priority']),
      createdAt: Number(fields['createdAt']),
      startedAt: numberOrNull(fields['startedAt']),
      finishedAt: numberOrNull(fields['finishedAt']),
      attempts: Number(fields['attempts'] ?? 0),
      result: viewed.result,
      resultPage: viewed.resultPage,
      error: fields['error'] ? (JSON.parse(fields['error']) as JobFailure) : null,
    };
    return {
      owner: fields['owner'],
      submission: JSON.parse(fields['submission']) as JobSubmission,
      version: Number(fields['version']),
      job,
    };
  }

  /** Status of each job (null for those gone), without loading results. */
  async statuses(jobIds: string[]): Promise<Array<JobStatus | null>> {
    const pipeline = this.redis.pipeline();
    for (const jobId of jobIds) pipeline.hget(this.keys.job(jobId), 'status');
    const replies = (await pipeline.exec()) ?? [];
    return replies.map(([, status]) => (typeof status === 'string' ? (status as JobStatus) : null));
  }

  /** Applies `change` if the job's status is in `from` (any status when empty); see the script. */
  async update(jobId: string, from: readonly JobStatus[], change: JobChange): Promise<number> {
    const fields: string[] = [];
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) continue;
      if (name === 'result') fields.push(name, encodeJobResult(value as JobResult));
      else if (name === 'error') fields.push(name, value === null ? '' : JSON.stringify(value));
      else fields.push(name, String(value));
    }
    return this.transition(
      this.keys.job(jobId),
      this.keys.changesChannel,
      from.join(','),
      this.retentionMs,
      ...fields,
    );
  }

  /** Reserves an idempotency key for a new job; returns the job id already holding it, if any. */
  async claimIdempotencyKey(key: string, jobId: string): Promise<string | null> {
    const claimed = await this.redis.set(key, jobId, 'NX');
    return claimed === 'OK' ? null : this.redis.get(key);
  }

  async releaseIdempotencyKey(key: string): Promise<void> {
    await this.redis.del(key);
  }

  /** Replaces a stale claim (its job is gone) with a new job id. */
  async takeOverIdempotencyKey(key: string, jobId: string): Promise<void> {
    await this.redis.set(key, jobId);
  }

  /** The owner's job ids from `start`, newest first. */
  async ownerJobIds(owner: string, start: number, count: number): Promise<string[]> {
    return this.redis.zrevrange(this.keys.ownerJobs(owner), start, start + count - 1);
  }

  /** Position of a job in its owner's newest-first list, or null when it is not there. */
  async ownerJobRank(owner: string, jobId: string): Promise<number | null> {
    return this.redis.zrevrank(this.keys.ownerJobs(owner), jobId);
  }

  /** Drops ids whose records expired from the owner's list. */
  async forgetOwnerJobs(owner: string, jobIds: string[]): Promise<void> {
    if (jobIds.length > 0) await this.redis.zrem(this.keys.ownerJobs(owner), ...jobIds);
  }
}
