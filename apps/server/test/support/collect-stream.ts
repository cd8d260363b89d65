import { expect } from 'vitest';
import type { MlrpcClient, RouterInputs } from '@mlrpc/client';

type StreamEvent = {
  id: string;
  data: { type: string; text?: string; finishReason?: string; [key: string]: unknown };
  receivedAt: number;
};

/**
 * Subscribes to chat.stream and resolves with every event (and when it arrived) once `end`
 * comes, or unsubscribes early after so many deltas or events (a cut connection).
 */
export function collectChatStream(
  client: MlrpcClient,
  input: RouterInputs['chat']['stream'],
  options: { stopAfterDeltas?: number; stopAfterEvents?: number } = {},
): Promise<StreamEvent[]> {
  return new Promise((resolve, reject) => {
    const events: StreamEvent[] = [];
    let deltas = 0;
    const subscription = client.chat.stream.subscribe(input, {
      onData: ({ id, data }) => {
        events.push({ id, data, receivedAt: performance.now() });
        if (data.type === 'delta') deltas += 1;
        if (
          data.type === 'end' ||
          data.type === 'error' ||
          deltas === options.stopAfterDeltas ||
          events.length === options.stopAfterEvents
        ) {
          subscription.unsubscribe();
          resolve(events);
        }
      },
      onError: (error) => {
        subscription.unsubscribe();
        reject(error);
      },
    });
  });
}

/** The text a stream's delta events carry, joined. */
export const textOf = (events: Array<{ data: { type: string; text?: string } }>): string =>
  events
    .filter((event) => event.data.type === 'delta')
    .map((event) => event.data.text ?? '')
    .join('');

/**
 * Cuts a stream after each of its events in turn (started through `start`) and resumes it with
 * the last event id through `resume`: every joined stream must be the whole one, its event
 * indices without gaps or repeats, ending as it did.
 */
export async function expectExactResumeAfterEveryCut(
  start: MlrpcClient,
  resume: MlrpcClient,
  input: RouterInputs['chat']['stream'],
  whole: StreamEvent[],
): Promise<void> {
  for (let cut = 1; cut < whole.length; cut += 1) {
    const first = await collectChatStream(start, input, { stopAfterEvents: cut });
    const rest = await collectChatStream(resume, { ...input, lastEventId: first.at(-1)?.id ?? '' });
    const joined = [...first, ...rest];
    expect(textOf(joined), `cut after event ${cut}`).toBe(textOf(whole));
    expect(joined.map((event) => Number(event.id.split(':')[1]))).toEqual(
      joined.map((_, index) => index),
    );
    expect(joined.at(-1)?.data).toMatchObject({ type: 'end', finishReason: 'stop' });
  }
}
