import { ApiError } from '@mlrpc/api';
import type {
  ChatInput,
  ChatMessage,
  OpenAIChatMessage,
  OpenAIChatRequest,
  OpenAICompletionRequest,
} from '@mlrpc/schema';

/** Any integer seed, as OpenAI takes it, onto mlrpc's 32-bit seeds (equal seeds stay equal). */
export function toSeed(seed: number): number {
  const range = 2 ** 32;
  return ((seed % range) + range) % range;
}

/** A message's text: a string, or its text parts joined; other parts refused by name. */
function contentText(message: OpenAIChatMessage, index: number): string {
  const { content } = message;
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part, partIndex) => {
      if (part.type === 'text' && 'text' in part) return String(part.text);
      throw new ApiError(
        'INVALID_INPUT',
        `messages.${index}.content.${partIndex}: ${part.type} parts are not supported by text-generation models; send text parts`,
      );
    })
    .join('');
}

/** OpenAI's messages as mlrpc's: `developer` is a system turn, tool calls and results kept. */
export function toChatMessages(messages: OpenAIChatMessage[]): ChatMessage[] {
  return messages.map((message, index) => {
    const text = contentText(message, index);
    const name = message.name == null ? {} : { name: message.name };
    if (message.role === 'tool') {
      return { role: 'tool', content: text, toolCallId: message.tool_call_id ?? '' };
    }
    if (message.role === 'assistant' && message.tool_calls?.length) {
      return {
        role: 'assistant',
        content: text,
        ...name,
        toolCalls: message.tool_calls.map((call) => ({
          id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        })),
      };
    }
    return { role: message.role === 'developer' ? 'system' : message.role, content: text, ...name };
  });
}

/** Sampling fields both /v1/chat/completions and /v1/completions share. */
function samplingOf(
  request: OpenAIChatRequest | OpenAICompletionRequest,
  maxTokens: number | null | undefined,
): Partial<ChatInput> {
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  return {
    model: request.model,
    ...(maxTokens == null ? {} : { maxTokens }),
    ...(request.temperature == null ? {} : { temperature: request.temperature }),
    ...(request.top_p == null ? {} : { topP: request.top_p }),
    ...(stop == null ? {} : { stop }),
    ...(request.user == null ? {} : { routingKey: request.user }),
    ...(request.seed == null ? {} : { seed: toSeed(request.seed) }),
  };
}

/** OpenAI's chat request as mlrpc's chat input; tRPC validates the result as usual. */
export function toChatInput(request: OpenAIChatRequest): ChatInput {
  const format = request.response_format;
  const choice = request.tool_choice;
  return {
    ...samplingOf(request, request.max_completion_tokens ?? request.max_tokens),
    messages: toChatMessages(request.messages),
    ...(format?.type === 'json_object' ? { responseFormat: { type: 'json' } } : {}),
    ...(format?.type === 'json_schema'
      ? {
          responseFormat: format.json_schema.schema
            ? {
                type: 'json-schema',
                schema: format.json_schema.schema,
                name: format.json_schema.name,
              }
            : { type: 'json' },
        }
      : {}),
    ...(request.tools?.length
      ? {
          tools: request.tools.map(({ function: tool }) => ({
            name: tool.name,
            ...(tool.description == null ? {} : { description: tool.description }),
            ...(tool.parameters == null ? {} : { parameters: tool.parameters }),
          })),
        }
      : {}),
    ...(choice == null
      ? {}
      : { toolChoice: typeof choice === 'string' ? choice : { name: choice.function.name } }),
    ...(request.parallel_tool_calls == null
      ? {}
      : { parallelToolCalls: request.parallel_tool_calls }),
    ...(request.logprobs ? { logprobs: true, topLogprobs: request.top_logprobs ?? 0 } : {}),
  };
}

/** OpenAI's legacy completion request: its prompt continued as raw text, no chat template. */
export function toCompletionInput(request: OpenAICompletionRequest): ChatInput {
  const prompt = typeof request.prompt === 'string' ? request.prompt : (request.prompt[0] ?? '');
  return {
    ...samplingOf(request, request.max_tokens ?? 16),
    prompt,
    ...(request.logprobs == null ? {} : { logprobs: true, topLogprobs: request.logprobs }),
  };
}
