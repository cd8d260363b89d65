import {
  InterruptableStoppingCriteria,
  random,
  TextStreamer,
  Tensor,
  type TextGenerationPipeline,
} from '@huggingface/transformers';
import type { ModelEntry } from '../../model-config.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import { StopSequenceFilter } from './stop-sequence-filter.js';
import type { TextGenerationModel } from './text-generation-model.js';

function eosTokenIds(generator: TextGenerationPipeline): Set<bigint> {
  const configured = (
    generator.model.generation_config as { eos_token_id?: number | number[] } | null
  )?.eos_token_id;
  const ids = Array.isArray(configured) ? configured : configured === undefined ? [] : [configured];
  return new Set(ids.map((id) => BigInt(id)));
}

/** transformers.js' process-wide generator, which its sampler draws from (typed loosely upstream). */
interface SeedableRandom {
  seed(value: number): void;
}

/** Chat generation through a transformers.js text-generation pipeline's tokenizer and model. */
export async function loadTransformersTextGeneration(
  entry: ModelEntry,
  context: LoadContext,
): Promise<TextGenerationModel> {
  const generator = (await loadPipeline(
    'text-generation',
    entry,
    context,
  )) as TextGenerationPipeline;
  const { tokenizer } = generator;
  const endOfSequence = eosTokenIds(generator);

  return {
    async generate(messages, options) {
      const prompt = tokenizer.apply_chat_template(messages, {
        add_generation_prompt: true,
        tokenize: true,
        return_tensor: false,
      }) as unknown as { input_ids: number[] };
      const continued = options.continueFrom
        ? tokenizer.encode(options.continueFrom, { add_special_tokens: false })
        : [];
      const ids = [...prompt.input_ids, ...continued];
      const inputs = {
        input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(ids.length).fill(1n), [
          1,
          ids.length,
        ]),
      };
      // transformers.js samples from one seedable generator; a worker runs one generation at a time.
      if (options.seed !== undefined) (random as SeedableRandom).seed(options.seed);
      const interrupt = new InterruptableStoppingCriteria();
      const onAbort = () => interrupt.interrupt();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const filter = new StopSequenceFilter(options.stop);
      let text = '';
      let completionTokens = 0;
      let lastToken: bigint | undefined;
      const show = (piece: string) => {
        if (!piece) return;
        text += piece;
        options.onText(piece);
      };
      const streamer = new TextStreamer(tokenizer, {
        skip_prompt: true,
        skip_special_tokens: true,
        callback_function: (piece: string) => {
          show(filter.push(piece));
          if (filter.stopped) interrupt.interrupt();
        },
        token_callback_function: (tokens: bigint[]) => {
          completionTokens += tokens.length;
          lastToken = tokens.at(-1);
          options.onTokens?.(tokens.length);
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
      show(filter.flush());
      const finishReason = filter.stopped
        ? 'stop'
        : options.signal?.aborted
          ? 'abort'
          : lastToken !== undefined && endOfSequence.has(lastToken)
            ? 'stop'
            : completionTokens >= options.maxTokens
              ? 'length'
              : 'stop';
      return {
        text,
        finishReason,
        promptTokens: prompt.input_ids.length,
        completionTokens,
      };
    },
    async dispose() {
      await generator.dispose();
    },
  };
}
