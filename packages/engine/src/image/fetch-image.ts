import { Agent, fetch, type Response } from 'undici';
import { ModelError } from '@mlrpc/models';
import type { AddressPolicy } from './address-policy.js';

export interface ImageFetchOptions {
  maxBytes: number;
  /** Pixels an image's header may declare (its sides are bounded by limits.imageMaxSide). */
  maxPixels: number;
  timeoutMs: number;
  maxRedirects: number;
  /** Which hosts may be fetched from (public ones plus IMAGE_FETCH_ALLOW). */
  addressPolicy: AddressPolicy;
}

/** One connection pool per policy, resolving host names through it. */
const agents = new WeakMap<AddressPolicy, Agent>();
function agentFor(policy: AddressPolicy): Agent {
  let agent = agents.get(policy);
  if (!agent) {
    agent = new Agent({ connect: { lookup: policy.lookup } });
    agents.set(policy, agent);
  }
  return agent;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

function fetchFailed(url: URL, reason: string, cause?: unknown): ModelError {
  return new ModelError(
    'IMAGE_FETCH_FAILED',
    `could not fetch image from ${url.origin}: ${reason}`,
    {
      cause,
    },
  );
}

/** undici hides the system error (ECONNREFUSED, ENOTFOUND...) a few causes deep. */
function networkErrorCode(error: unknown): string {
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current instanceof AggregateError && current.errors[0] instanceof Error) {
      return networkErrorCode(current.errors[0]);
    }
  }
  return error instanceof Error ? error.message : String(error);
}

function checkProtocol(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ModelError('IMAGE_FETCH_FAILED', `redirect to unsupported protocol ${url.protocol}`);
  }
}

async function readCapped(response: Response, url: URL, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ModelError(
      'IMAGE_TOO_LARGE',
      `image at ${url.origin} is ${declared} bytes; limit ${maxBytes}`,
    );
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return new Uint8Array();
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await response.body.cancel().catch(() => undefined);
      throw new ModelError('IMAGE_TOO_LARGE', `image at ${url.origin} exceeds ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/**
 * Downloads an image with a byte cap, a timeout and a bounded number of redirects, each hop
 * checked again, so a caller's URL cannot make the server hang, fill its memory, or reach what
 * only the server can reach (loopback, private networks, cloud metadata).
 */
export async function fetchImage(
  rawUrl: string,
  options: ImageFetchOptions,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  let url = new URL(rawUrl);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
  for (let hop = 0; ; hop += 1) {
    checkProtocol(url);
    // Decided before any connection: the host, after DNS, on every hop.
    await options.addressPolicy.check(url);
    let response: Response;
    try {
      response = await fetch(url, {
        redirect: 'manual',
        signal: combined,
        dispatcher: agentFor(options.addressPolicy),
      });
    } catch (error) {
      if (signal?.aborted)
        throw new ModelError('CANCELLED', 'the caller went away', { cause: error });
      if (timeout.aborted) throw fetchFailed(url, `timed out after ${options.timeoutMs} ms`, error);
      throw fetchFailed(url, `connection failed (${networkErrorCode(error)})`, error);
    }
    if (redirectStatuses.has(response.status)) {
      await response.body?.cancel();
      const location = response.headers.get('location');
      if (!location) throw fetchFailed(url, `HTTP ${response.status} without a location`);
      if (hop >= options.maxRedirects) {
        throw fetchFailed(url, `more than ${options.maxRedirects} redirects`);
      }
      url = new URL(location, url);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw fetchFailed(url, `HTTP ${response.status}`);
    }
    try {
      return await readCapped(response, url, options.maxBytes);
    } catch (error) {
      if (error instanceof ModelError) throw error;
      if (timeout.aborted) throw fetchFailed(url, `timed out after ${options.timeoutMs} ms`, error);
      throw fetchFailed(url, 'the download broke off', error);
    }
  }
}
