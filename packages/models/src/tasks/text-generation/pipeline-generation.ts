import {
  InterruptableStoppingCriteria,
  random,
  Tensor,
  TextStreamer,
  type TextGenerationPipeline,
} from '@huggingface/transformers';
import { ModelError } from '../../model-error.js';
import { continuationTokens, endOfSequenceIds, promptTokens } from './chat-prompt.js';
import { StopSequenceFilter } from './stop-sequence-filter.js';
import type { Generation, TextGenerationModel } from './text-generation-model.js';

/** transformers.js' process-wide generator, which its sampler draws from (typed loosely upstream). */
interface SeedableRandom {
  seed(value: number): void;
}

/**
 * Generation through transformers.js' own `generate`, one at a time: the fallback for models
 * whose session the batch decoder cannot drive (no float32 KV cache in the usual layout). It
 * streams word by word and resumes from text, not token ids.
 */
export function pipelineGeneration(generator: TextGenerationPipeline): TextGenerationModel {
  const { tokenizer } = generator;
  const endOfSequence = new Set([...endOfSequenceIds(generator)].map(BigInt));
  let previous: Promise<unknown> = Promise.resolve();

  const generateOne: TextGenerationModel['generate'] = async (messages, options) => {
    if (options.constraint || options.topLogprobs !== undefined) {
      throw new ModelError(
        'INVALID_INPUT',
        "this model runs through transformers.js' own generate (its ONNX session has no KV cache mlrpc can drive): JSON output, tool calls and logprobs need one that has",
      );
    }
    const prompt = promptTokens(tokenizer, messages, options);
    const earlier = options.continueFromTokens?.ids ?? continuationTokens(tokenizer, options);
    const ids = [...prompt, ...earlier];
    const inputs = {
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [1, ids.length]),
    };
    // transformers.js samples from one seedable generator: one generation at a time keeps seeds exact.
    if (options.seed !== undefined) (random as SeedableRandom).seed(options.seed);
    const interrupt = new InterruptableStoppingCriteria();
    const onAbort = () => interrupt.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const filter = new StopSequenceFilter(options.stop);
    let text = '';
    let completionTokens = 0;
    let lastToken: bigint | undefined;
    const show = (piece: string, tokens: number) => {
      text += piece;
      if (piece || tokens) options.onStep({ text: piece, tokens });
    };
    const streamer = new TextStreamer(tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (piece: string) => {
        show(filter.push(piece), 0);
        if (filter.stopped) interrupt.interrupt();
      },
      token_callback_function: (tokens: bigint[]) => {
        completionTokens += tokens.length;
        lastToken = tokens.at(-1);
        show('', tokens.length);
      },
    });
    try {
      await generator.model.generate({
        ...inputs,
        max_new_tokens: options.maxTokens,
        do_sample: options.temperature > 0,
        ...(options.temperature > 0
          ? { temperature: options.temperature, top_p: options.topP }
          : {}),
        streamer,
        stopping_criteria: [interrupt],
      });
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    show(filter.flush(), 0);
    const finishReason: Generation['finishReason'] = filter.stopped
      ? 'stop'
      : options.signal?.aborted
        ? 'abort'
        : lastToken !== undefined && endOfSequence.has(lastToken)
          ? 'stop'
          : completionTokens >= options.maxTokens
            ? 'length'
            : 'stop';
    return { text, finishReason, promptTokens: prompt.length, completionTokens };
  };

  return {
    generate(messages, options) {
      const run = previous.then(() => generateOne(messages, options));
      previous = run.catch(() => undefined);
      return run;
    },
    dispose: () => generator.dispose(),
  };
}
