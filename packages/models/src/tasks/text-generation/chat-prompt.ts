import type { PreTrainedTokenizer, TextGenerationPipeline } from '@huggingface/transformers';
import type { ChatMessage } from '@mlrpc/schema';
import type { GenerateSettings } from './text-generation-model.js';

/** The prompt's token ids: the chat template with the assistant's turn opened. */
export function promptTokens(tokenizer: PreTrainedTokenizer, messages: ChatMessage[]): number[] {
  const prompt = tokenizer.apply_chat_template(messages, {
    add_generation_prompt: true,
    tokenize: true,
    return_tensor: false,
  }) as unknown as { input_ids: number[] } | number[];
  return Array.isArray(prompt) ? prompt : prompt.input_ids;
}

/** Earlier assistant text as tokens, for a continuation given as text (no ids at hand). */
export function continuationTokens(
  tokenizer: PreTrainedTokenizer,
  settings: GenerateSettings,
): number[] {
  return settings.continueFrom
    ? tokenizer.encode(settings.continueFrom, { add_special_tokens: false })
    : [];
}

/** The tokens that end a turn: the generation config's, else the model config's. */
export function endOfSequenceIds(generator: TextGenerationPipeline): Set<number> {
  const configured =
    (generator.model.generation_config as { eos_token_id?: number | number[] } | null)
      ?.eos_token_id ??
    (generator.model.config as { eos_token_id?: number | number[] }).eos_token_id;
  const ids = Array.isArray(configured) ? configured : configured === undefined ? [] : [configured];
  return new Set(ids);
}
