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
