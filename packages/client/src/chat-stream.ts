import type { AppRouter, RouterInputs } from '@mlrpc/api';
import type { ChatStreamEvent } from '@mlrpc/schema';
import type { TRPCClient } from '@trpc/client';

export interface ChatStreamOptions {
  /** Aborting stops the generation on the server (and ends the iteration). */
  signal?: AbortSignal;
}

/**
 * One chat turn as an async iterable of events (`start`, `delta`, `end`), for `for await` loops.
 * Reconnects resume where they left off (the subscription carries the last event id).
 */
export async function* chatStream(
  client: TRPCClient<AppRouter>,
  input: RouterInputs['chat']['stream'],
  options: ChatStreamOptions = {},
): AsyncGenerator<ChatStreamEvent> {
  const queue: ChatStreamEvent[] = [];
  let failure: Error | undefined;
  let finished = false;
  let wake: () => void = () => undefined;
  const subscription = client.chat.stream.subscribe(input, {
    onData: ({ data }) => {
      queue.push(data);
      if (data.type === 'end') finished = true;
      wake();
    },
    onError: (error) => {
      failure = error;
      wake();
    },
    onComplete: () => {
      finished = true;
      wake();
    },
  });
  const stop = () => {
    finished = true;
    wake();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    for (;;) {
      const event = queue.shift();
      if (event) {
        yield event;
        continue;
      }
      if (failure) throw failure;
      if (finished || options.signal?.aborted) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    subscription.unsubscribe();
  }
}
