import type { PreTrainedTokenizer, TextGenerationPipeline } from '@huggingface/transformers';
import type { ChatMessage, ToolDefinition } from '@mlrpc/schema';
import type { GenerateSettings } from './text-generation-model.js';

type TemplateMessage = Record<string, unknown>;

const parsedArguments = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** Messages as Hugging Face chat templates with tool support read them. */
function templateMessages(messages: ChatMessage[]): TemplateMessage[] {
  return messages.map(({ role, content, name, toolCalls, toolCallId }) => ({
    role,
    content,
    ...(name === undefined ? {} : { name }),
    ...(toolCalls
      ? {
          tool_calls: toolCalls.map((call) => ({
            id: call.id,
            type: 'function',
            function: { name: call.name, arguments: parsedArguments(call.arguments) },
          })),
        }
      : {}),
    ...(toolCallId === undefined ? {} : { tool_call_id: toolCallId }),
  }));
}

/**
 * The documented fallback for templates without tools: the tools and the reply format in a
 * system message, earlier calls as the JSON the model would have written, and tool results as
 * user turns naming the call they answer.
 */
function fallbackMessages(
  messages: ChatMessage[],
  tools: ToolDefinition[] | undefined,
): TemplateMessage[] {
  const names = new Map<string, string>();
  const rendered: TemplateMessage[] = messages.map((message) => {
    if (message.toolCalls) {
      for (const call of message.toolCalls) names.set(call.id, call.name);
      const calls = message.toolCalls.map((call) => ({
        name: call.name,
        arguments: parsedArguments(call.arguments),
      }));
      return { role: 'assistant', content: `${message.content}${JSON.stringify(calls)}` };
    }
    if (message.role === 'tool') {
      const name = names.get(message.toolCallId ?? '') ?? message.name ?? 'a tool';
      return {
        role: 'user',
        content: `Result of ${name} (call ${message.toolCallId ?? ''}):\n${message.content}`,
      };
    }
    return { role: message.role, content: message.content };
  });
  if (!tools?.length) return rendered;
  const described = tools.map(({ name, description, parameters }) => ({
    name,
    description,
    parameters,
  }));
  const instructions =
    `You can call these functions:\n${JSON.stringify(described)}\n` +
    'To call functions, reply with only a JSON array: [{"name": "<function>", "arguments": {...}}]';
  const first = rendered[0];
  if (first?.role === 'system')
    return [
      { role: 'system', content: `${String(first.content)}\n\n${instructions}` },
      ...rendered.slice(1),
    ];
  return [{ role: 'system', content: instructions }, ...rendered];
}

/** Whether the model's chat template renders tools itself. */
function templateHasTools(tokenizer: PreTrainedTokenizer): boolean {
  const template = (tokenizer as unknown as { chat_template?: unknown }).chat_template;
  const text = typeof template === 'string' ? template : JSON.stringify(template ?? '');
  return text.includes('tools');
}

/**
 * The prompt's token ids: the chat template with the assistant's turn opened (tools through
 * the template when it has them, else the fallback), or a raw prompt's own tokens.
 */
export function promptTokens(
  tokenizer: PreTrainedTokenizer,
  messages: ChatMessage[],
  settings: Pick<GenerateSettings, 'prompt' | 'tools' | 'toolChoice'> = {},
): number[] {
  if (settings.prompt !== undefined) return tokenizer.encode(settings.prompt);
  const tools = settings.toolChoice === 'none' ? undefined : settings.tools;
  const native = templateHasTools(tokenizer);
  const prompt = tokenizer.apply_chat_template(
    (native
      ? templateMessages(messages)
      : fallbackMessages(messages, tools)) as unknown as ChatMessage[],
    {
      add_generation_prompt: true,
      tokenize: true,
      return_tensor: false,
      ...(native && tools?.length
        ? {
            tools: tools.map(({ name, description, parameters }) => ({
              type: 'function',
              function: { name, description, parameters },
            })),
          }
        : {}),
    },
  ) as unknown as { input_ids: number[] } | number[];
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
