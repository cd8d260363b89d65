import { createClient } from '@mlrpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collectChatStream,
  expectExactResumeAfterEveryCut,
  textOf,
} from './support/collect-stream.js';
import { expectApiError } from './support/expect-api-error.js';
import { startTcpProxy } from './support/tcp-proxy.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
beforeAll(async () => {
  harness = await startTestServer();
});
afterAll(() => harness.close());

const metal = { messages: [{ role: 'user' as const, content: 'Define metal.' }] };
const answer =
  'Any of several chemical elements that are usually shiny solids that conduct heat or electricity and can be formed into sheets etc.';

describe('chat.stream resume', () => {
  it('resumes exactly after a cut at every event of a real answer', async () => {
    const teacher = { messages: [{ role: 'user' as const, content: 'What does teacher mean?' }] };
    const whole = await collectChatStream(harness.client, teacher);
    expect(textOf(whole)).toBe('A person whose occupation is teaching.');
    await expectExactResumeAfterEveryCut(harness.client, harness.client, teacher, whole);
  });

  it('continues an interrupted generation from the last event id, exactly, without duplicates or gaps', async () => {
    const cancelled = async () =>
      (await harness.client.models.get.query({ id: 'wordnet-chat' })).models[0]?.stats.cancelled ??
      0;
    const cancelledBefore = await cancelled();
    const firstPart = await collectChatStream(harness.client, metal, { stopAfterDeltas: 3 });
    const lastSeen = firstPart.at(-1)?.id ?? '';
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The disconnect stopped the first run mid-answer: what follows is a true continuation.
    expect(await cancelled()).toBe(cancelledBefore + 1);
    const rest = await collectChatStream(harness.client, { ...metal, lastEventId: lastSeen });
    const all = [...firstPart, ...rest];
    const indices = all.map((event) => Number(event.id.split(':')[1]));
    expect(indices).toEqual(indices.map((_, index) => index));
    expect(new Set(all.map((event) => event.id.split(':')[0])).size).toBe(1);
    const text = all
      .filter((event) => event.data.type === 'delta')
      .map((event) => event.data.text)
      .join('');
    expect(text).toBe(answer);
    expect(all.filter((event) => event.data.type === 'start')).toHaveLength(1);
    expect(all.at(-1)?.data).toMatchObject({ type: 'end', finishReason: 'stop' });
  });

  it('recovers by itself when the connection is cut: the same subscription gets the exact rest', async () => {
    const proxy = await startTcpProxy(harness.url);
    const client = createClient({ url: proxy.url });
    const received: Array<{ id: string; type: string; text?: string }> = [];
    const states: string[] = [];
    await new Promise<void>((resolve, reject) => {
      let deltas = 0;
      const subscription = client.chat.stream.subscribe(metal, {
        onData: ({ id, data }) => {
          received.push({
            id,
            type: data.type,
            ...(data.type === 'delta' ? { text: data.text } : {}),
          });
          if (data.type === 'delta' && ++deltas === 3) proxy.cut();
          if (data.type === 'end') {
            subscription.unsubscribe();
            resolve();
          }
        },
        onConnectionStateChange: (state) => states.push(state.state),
        onError: reject,
      });
    });
    await proxy.close();
    // The link noticed the cut and reconnected on its own.
    expect(states.filter((state) => state === 'connecting').length).toBeGreaterThanOrEqual(2);
    const indices = received.map((event) => Number(event.id.split(':')[1]));
    expect(indices).toEqual(indices.map((_, index) => index));
    const text = received.map((event) => event.text ?? '').join('');
    expect(text).toBe(answer);
  });

  it('replays the remaining events of a finished generation', async () => {
    const whole = await collectChatStream(harness.client, metal);
    const replay = await collectChatStream(harness.client, {
      ...metal,
      lastEventId: whole[1]?.id ?? '',
    });
    expect(replay.map((event) => event.id)).toEqual(whole.slice(2).map((event) => event.id));
  });

  it('refuses an unknown or malformed last event id', async () => {
    await expectApiError(
      harness.client.chat.complete
        .mutate(metal)
        .then(() =>
          collectChatStream(harness.client, { ...metal, lastEventId: 'no-such-generation:3' }),
        ),
      {
        code: 'NOT_FOUND',
        httpStatus: 404,
        errorCode: 'NOT_FOUND',
        message: /unknown or has expired/,
      },
    );
    await expectApiError(collectChatStream(harness.client, { ...metal, lastEventId: 'garbage' }), {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      errorCode: 'INVALID_INPUT',
    });
  });

  it('serves 200 callers following one live generation without stalling the server', async () => {
    // A long generation kept running by its first caller; 200 more follow it from event 0.
    const long = {
      model: 'llama-random',
      messages: [{ role: 'user' as const, content: 'Go on.' }],
      maxTokens: 4000,
    };
    const controller = new AbortController();
    let generationId = '';
    const started = new Promise<void>((resolve, reject) => {
      const subscription = harness.client.chat.stream.subscribe(long, {
        onData: ({ data }) => {
          if (data.type === 'start') {
            generationId = data.generationId;
            resolve();
          }
        },
        onError: reject,
      });
      controller.signal.addEventListener('abort', () => subscription.unsubscribe());
    });
    await started;
    const input = encodeURIComponent(JSON.stringify({ json: long }));
    const follow = async (): Promise<number> => {
      const reader = new AbortController();
      const response = await fetch(`${harness.url}/trpc/chat.stream?input=${input}`, {
        headers: { accept: 'text/event-stream', 'last-event-id': `${generationId}:0` },
        signal: reader.signal,
      });
      expect(response.status).toBe(200);
      const decoder = new TextDecoder();
      const body = response.body?.getReader();
      let frames = 0;
      while (body && frames < 30) {
        const { done, value } = await body.read();
        if (done) break;
        frames += (decoder.decode(value, { stream: true }).match(/^data: /gm) ?? []).length;
      }
      reader.abort();
      return frames;
    };
    let probing = true;
    let slowestProbeMs = 0;
    const probes = (async () => {
      while (probing) {
        const sent = performance.now();
        await fetch(`${harness.url}/health/live`);
        slowestProbeMs = Math.max(slowestProbeMs, performance.now() - sent);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      const frames = await Promise.all(Array.from({ length: 200 }, follow));
      expect(frames.every((count) => count >= 30)).toBe(true);
    } finally {
      probing = false;
      await probes;
      controller.abort();
      await harness.client.chat.cancel.mutate({ generationId });
    }
    // 200 followers once stalled the event loop for 12 s; a wake-up per event for all of them
    // now costs little more than one (a generous bound for a busy 2-core machine).
    expect(slowestProbeMs).toBeLessThan(3_000);
  });
});
