import type OpenAI from 'openai';
import type { ChatMessage } from '@mlrpc/schema';
import type { GeneratePayload } from '../generate-codec.js';

type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** mlrpc's messages in OpenAI's shape, tool turns included. */
export function upstreamMessages(
  messages: ChatMessage[],
  continueFrom: string | undefined,
): Message[] {
  const converted = messages.map((message): Message => {
    const name = message.name === undefined ? {} : { name: message.name };
    switch (message.role) {
      case 'tool':
        return { role: 'tool', content: message.content, tool_call_id: message.toolCallId ?? '' };
      case 'assistant':
        return {
          role: 'assistant',
          content: message.content,
          ...name,
          ...(message.toolCalls
            ? {
                tool_calls: message.toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  function: { name: call.name, arguments: call.arguments },
                })),
              }
            : {}),
        };
      case 'system':
      case 'user':
        return { role: message.role, content: message.content, ...name };
    }
  });
  // A resumed generation asks the upstream to go on from what was already streamed.
  return continueFrom ? [...converted, { role: 'assistant', content: continueFrom }] : converted;
}

/**
 * The streamed chat request for a remote server: sampling settings, and what shapes the reply
 * (response format, tools, logprobs) passed through for the upstream to enforce.
 */
export function upstreamChatRequest(
  model: string,
  payload: GeneratePayload,
): OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming {
  const { settings } = payload;
  const { responseFormat, tools, toolChoice, topLogprobs } = settings;
  return {
    model,
    messages: upstreamMessages(payload.messages, settings.continueFrom),
    max_tokens: settings.maxTokens,
    temperature: settings.temperature,
    top_p: settings.topP,
    ...(settings.stop.length > 0 ? { stop: settings.stop } : {}),
    ...(settings.seed === undefined ? {} : { seed: settings.seed }),
    ...(responseFormat?.type === 'json' ? { response_format: { type: 'json_object' } } : {}),
    ...(responseFormat?.type === 'json-schema'
      ? {
          response_format: {
            type: 'json_schema',
            json_schema: {
              name: responseFormat.name ?? 'response',
              schema: responseFormat.schema,
              strict: true,
            },
          },
        }
      : {}),
    ...(tools?.length
      ? {
          tools: tools.map((tool) => ({
            type: 'function' as const,
            function: {
              name: tool.name,
              parameters: tool.parameters,
              ...(tool.description === undefined ? {} : { description: tool.description }),
            },
          })),
          parallel_tool_calls: settings.parallelToolCalls ?? true,
          ...(toolChoice === undefined
            ? {}
            : {
                tool_choice:
                  typeof toolChoice === 'object'
                    ? { type: 'function' as const, function: { name: toolChoice.name } }
                    : toolChoice,
              }),
        }
      : {}),
    ...(topLogprobs === undefined ? {} : { logprobs: true, top_logprobs: topLogprobs }),
    stream: true,
    stream_options: { include_usage: true },
  };
}
