import type { ChatInput, OpenAIChatRequest } from '@mlrpc/schema';

/** OpenAI's request field names to mlrpc's chat input; tRPC validates the result as usual. */
export function toChatInput(request: OpenAIChatRequest): ChatInput {
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  return {
    model: request.model,
    messages: request.messages,
    ...(maxTokens == null ? {} : { maxTokens }),
    ...(request.temperature == null ? {} : { temperature: request.temperature }),
    ...(request.top_p == null ? {} : { topP: request.top_p }),
    ...(stop == null ? {} : { stop }),
    ...(request.user == null ? {} : { routingKey: request.user }),
    ...(request.seed == null ? {} : { seed: request.seed }),
  };
}
