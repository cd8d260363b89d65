import {
  env,
  pipeline,
  TextStreamer,
  type TextGenerationPipeline,
} from '@huggingface/transformers';
import { createClient } from '@mlrpc/client';
import { modelsDir } from './paths.js';
import { repeat } from './statistics.js';

export const generatedTokens = 128;
const messages = [{ role: 'user' as const, content: 'Tell me about rivers.' }];

export interface GenerationRun {
  tokensPerSecond: number;
  ttftMs: number;
}

/** Raw transformers.js generation in-process: the ceiling for tokens/s and time to first token. */
export async function rawGeneration(runs: number): Promise<GenerationRun[]> {
  env.allowRemoteModels = false;
  env.localModelPath = `${modelsDir}/`;
  const generator: TextGenerationPipeline = await pipeline(
    'text-generation',
    'local/tiny-random-LlamaForCausalLM-smollm-tokenizer',
    { dtype: 'fp32', device: 'cpu' },
  );
  const once = async (): Promise<GenerationRun> => {
    const started = performance.now();
    let firstText: number | undefined;
    let tokens = 0;
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      callback_function: () => (firstText ??= performance.now()),
      token_callback_function: (ids: bigint[]) => (tokens += ids.length),
    });
    await generator(messages, { max_new_tokens: generatedTokens, do_sample: false, streamer });
    const seconds = (performance.now() - started) / 1000;
    return {
      tokensPerSecond: tokens / seconds,
      ttftMs: (firstText ?? performance.now()) - started,
    };
  };
  await once();
  const results = await repeat(runs, once);
  await generator.dispose();
  return results;
}

/** The same generation through the server, streamed over SSE to a typed client, timed by the client. */
export async function serverGeneration(url: string, runs: number): Promise<GenerationRun[]> {
  const client = createClient({ url });
  const once = () =>
    new Promise<GenerationRun>((resolve, reject) => {
      const started = performance.now();
      let firstText: number | undefined;
      const subscription = client.chat.stream.subscribe(
        { model: 'llama-random', messages, maxTokens: generatedTokens },
        {
          onData: ({ data }) => {
            if (data.type === 'delta') firstText ??= performance.now();
            if (data.type === 'end') {
              subscription.unsubscribe();
              const seconds = (performance.now() - started) / 1000;
              resolve({
                tokensPerSecond: data.usage.completionTokens / seconds,
                ttftMs: (firstText ?? performance.now()) - started,
              });
            }
          },
          onError: reject,
        },
      );
    });
  await once();
  return repeat(runs, once);
}

/** Stream counts the concurrency table reports. */
export const streamCounts = [1, 2, 4, 8, 16];

export interface ConcurrentRun {
  /** Completion tokens per second, all streams together. */
  tokensPerSecond: number;
  /** Median time to first text of the generations in the run. */
  ttftMs: number;
  generations: number;
}

/**
 * `streams` callers each streaming chat turns back to back for `seconds` (a closed loop, as many
 * users at once): the aggregate tokens/s, and the time to first token they saw under that load.
 */
export async function concurrentGeneration(
  url: string,
  model: string,
  prompts: string[],
  maxTokens: number,
  streams: number,
  seconds: number,
): Promise<ConcurrentRun> {
  const client = createClient({ url });
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let tokens = 0;
  const ttfts: number[] = [];
  await Promise.all(
    Array.from({ length: streams }, async (_, caller) => {
      for (let turn = 0; performance.now() < deadline; turn += 1) {
        const content = prompts[(caller * 31 + turn) % prompts.length] ?? 'Go on.';
        const asked = performance.now();
        let first: number | undefined;
        for await (const event of client.chatStream({
          model,
          messages: [{ role: 'user', content }],
          maxTokens,
        })) {
          if (event.type === 'delta') first ??= performance.now();
          if (event.type === 'end') tokens += event.usage.completionTokens;
        }
        ttfts.push((first ?? performance.now()) - asked);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const sorted = ttfts.sort((a, b) => a - b);
  return {
    tokensPerSecond: tokens / elapsed,
    ttftMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
    generations: ttfts.length,
  };
}
