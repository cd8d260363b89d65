import type { AppRouter, RouterInputs } from '@mlrpc/api';
import type { ChatStreamEvent } from '@mlrpc/schema';
import { createTRPCClient, type TRPCClient } from '@trpc/client';
import { chatStream, type ChatStreamOptions } from './chat-stream.js';
import type { ClientOptions } from './client-options.js';
import { mlrpcLinks } from './mlrpc-links.js';
import { waitForJob, type Job, type WaitForJobOptions } from './wait-for-job.js';

export type { ClientOptions, HeaderMap } from './client-options.js';

/** Helpers on every client, beside the procedures (no procedure has these names). */
export interface ClientHelpers {
  /** One chat turn as an async iterable of events; aborting the signal stops the generation. */
  chatStream: (
    input: RouterInputs['chat']['stream'],
    options?: ChatStreamOptions,
  ) => AsyncGenerator<ChatStreamEvent>;
  /** Resolves with the job once it has finished, reporting progress on the way. */
  waitForJob: (jobId: string, options?: WaitForJobOptions) => Promise<Job>;
}

export type MlrpcClient = TRPCClient<AppRouter> & ClientHelpers;

/**
 * A typed mlrpc client for Node 20 and browsers alike: batched HTTP for queries and
 * mutations, SSE (through the `eventsource` package, which can send headers) for subscriptions.
 */
export function createClient(options: ClientOptions): MlrpcClient {
  const procedures = createTRPCClient<AppRouter>({ links: mlrpcLinks(options) });
  const helpers: ClientHelpers = {
    chatStream: (input, streamOptions) => chatStream(procedures, input, streamOptions),
    waitForJob: (jobId, waitOptions) => waitForJob(procedures, jobId, waitOptions),
  };
  // tRPC's client is a proxy that turns every property into a procedure path; this one answers
  // the helpers' names itself and hands everything else on.
  return new Proxy(procedures, {
    get: (target, key, receiver) =>
      typeof key === 'string' && Object.hasOwn(helpers, key)
        ? helpers[key as keyof ClientHelpers]
        : (Reflect.get(target, key, receiver) as unknown),
  }) as MlrpcClient;
}
