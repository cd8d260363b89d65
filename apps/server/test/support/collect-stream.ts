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
