import type { TextGenerationPipeline } from '@huggingface/transformers';
import type { ModelEntry } from '../../model-config.js';
import type { LoadContext } from '../../runtime/load-context.js';
import { loadPipeline } from '../../runtime/transformers-pipeline.js';
import { continuationTokens, endOfSequenceIds, promptTokens } from './chat-prompt.js';
import { ConstraintFactory } from './constraints/constraint-factory.js';
import { buildTokenVocabulary } from './constraints/token-vocabulary.js';
import { BatchDecoder } from './decoding/batch-decoder.js';
import { DecoderSession, type OrtSession } from './decoding/decoder-session.js';
import { DecodingSequence } from './decoding/decoding-sequence.js';
import { pipelineGeneration } from './pipeline-generation.js';
import type { TextGenerationModel } from './text-generation-model.js';

/** Prompt tokens a newcomer's prefill takes per pass, so the others' next token waits little. */
const prefillChunk = 256;

/**
 * Chat through a transformers.js causal LM: its tokenizer and chat template, and its ONNX
 * session driven by mlrpc's batch decoder (up to `maxBatchSize` sequences decoding together,
 * `maxBatchTokens` cached tokens in all). A model whose session the decoder cannot drive falls
 * back to transformers.js' own generate, one generation at a time.
 */
export async function loadTransformersTextGeneration(
  entry: ModelEntry,
  context: LoadContext,
): Promise<TextGenerationModel> {
  const generator = (await loadPipeline(
    'text-generation',
    entry,
    context,
  )) as TextGenerationPipeline;
  const sessions = (generator.model as unknown as { sessions?: Record<string, OrtSession> })
    .sessions;
  const session = DecoderSession.from(sessions?.model);
  if (!session) return pipelineGeneration(generator);
  const { tokenizer } = generator;
  const config = generator.model.config as {
    max_position_embeddings?: number;
    vocab_size?: number;
  };
  const decode = (ids: number[]) => tokenizer.decode(ids, { skip_special_tokens: true });
  const endOfSequence = endOfSequenceIds(generator);
  const vocabularySize = config.vocab_size ?? tokenizer.get_vocab().size;
  const tools = {
    decode,
    endOfSequence,
    maxContext: config.max_position_embeddings ?? Number.POSITIVE_INFINITY,
    constraints: new ConstraintFactory(
      () =>
        buildTokenVocabulary(
          decode,
          vocabularySize,
          tokenizer.encode('a', { add_special_tokens: false }),
        ),
      [...endOfSequence],
    ),
  };
  const decoder = new BatchDecoder(session, {
    maxSequences: entry.maxBatchSize,
    maxTokens: entry.maxBatchTokens,
    prefillChunk,
  });
  return {
    async generate(messages, options) {
      const prompt = promptTokens(tokenizer, messages, options);
      const fromText = continuationTokens(tokenizer, options);
      // A text continuation was shown whole: none of its tokens waits for its text.
      const earlier = options.continueFromTokens ?? {
        ids: fromText,
        textTokens: fromText.length,
        heldText: '',
      };
      const sequence = new DecodingSequence(
        {
          prompt,
          settings: { ...options, continueFromTokens: earlier },
          signal: options.signal,
          onStep: options.onStep,
        },
        tools,
      );
      return decoder.add(sequence);
    },
    dispose: () => generator.dispose(),
  };
}
