import { randomUUID } from 'node:crypto';
import type { ChatStreamEvent, ToolCall, ToolChoice, ToolDefinition } from '@mlrpc/schema';
import type { ConstraintSpec } from './constraints/constraint-factory.js';
import type { GenerateSettings } from './text-generation-model.js';

/** Calls one reply may hold when parallel calls are allowed. */
const maxParallelCalls = 8;

/**
 * The JSON a reply of tool calls is: `[{"name": ..., "arguments": {...}}, ...]`, each call's
 * arguments valid against its function's parameters. One call when a function is named or
 * parallel calls are off.
 */
export function toolCallsSchema(
  tools: ToolDefinition[],
  choice: ToolChoice | undefined,
  parallel: boolean,
): Record<string, unknown> {
  const named = typeof choice === 'object' ? choice.name : undefined;
  const calls = tools
    .filter((tool) => named === undefined || tool.name === named)
    .map((tool) => ({
      type: 'object',
      properties: { name: { const: tool.name }, arguments: tool.parameters },
      required: ['name', 'arguments'],
    }));
  return {
    type: 'array',
    items: calls.length === 1 ? calls[0] : { anyOf: calls },
    minItems: 1,
    maxItems: named !== undefined || !parallel ? 1 : maxParallelCalls,
  };
}

/**
 * What a generation's output must be, from the caller's settings: tool calls when a call is
 * required (or, with `auto`, when the model's first token starts one), else the response format.
 */
export function outputConstraint(settings: GenerateSettings): ConstraintSpec | undefined {
  const { tools, toolChoice, responseFormat } = settings;
  if (tools?.length && toolChoice !== 'none') {
    return {
      schema: toolCallsSchema(tools, toolChoice, settings.parallelToolCalls ?? true),
      optional: toolChoice === undefined || toolChoice === 'auto',
    };
  }
  if (responseFormat?.type === 'json') return { schema: 'json-object', optional: false };
  if (responseFormat?.type === 'json-schema')
    return { schema: responseFormat.schema, optional: false };
  return undefined;
}

/** A new call id in OpenAI's form. */
export const newToolCallId = () => `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;

type ToolCallEvent = Extract<ChatStreamEvent, { type: `tool-call-${string}` }>;

const callHeader = /^\{"name":"((?:[^"\\]|\\.)*)","arguments":$/;

/**
 * Reads a reply of tool calls as it streams and tells each call's start (id and name), its
 * arguments as they come (JSON text, OpenAI's `tool_calls` deltas), and its end.
 */
export class ToolCallStream {
  readonly calls: ToolCall[] = [];
  private header = '';
  private phase: 'between' | 'header' | 'arguments' = 'between';
  private depth = 0;
  private inString = false;
  private escaped = false;

  push(text: string): ToolCallEvent[] {
    const events: ToolCallEvent[] = [];
    let delta = '';
    const flush = () => {
      if (!delta) return;
      const index = this.calls.length - 1;
      (this.calls[index] as ToolCall).arguments += delta;
      events.push({ type: 'tool-call-delta', index, arguments: delta });
      delta = '';
    };
    for (const char of text) {
      if (this.phase === 'between') {
        if (char === '{') {
          this.phase = 'header';
          this.header = '{';
        }
      } else if (this.phase === 'header') {
        this.header += char;
        const match = callHeader.exec(this.header);
        if (match) {
          const call = {
            id: newToolCallId(),
            name: JSON.parse(`"${match[1]}"`) as string,
            arguments: '',
          };
          this.calls.push(call);
          events.push({
            type: 'tool-call-start',
            index: this.calls.length - 1,
            id: call.id,
            name: call.name,
          });
          this.phase = 'arguments';
          this.depth = 0;
        }
      } else if (this.closesCall(char)) {
        flush();
        const index = this.calls.length - 1;
        events.push({ type: 'tool-call-end', index, ...(this.calls[index] as ToolCall) });
        this.phase = 'between';
      } else {
        delta += char;
      }
    }
    flush();
    return events;
  }

  /** Tracks the arguments' nesting; true at the `}` that closes the call object itself. */
  private closesCall(char: string): boolean {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (char === '\\') this.escaped = true;
      else if (char === '"') this.inString = false;
      return false;
    }
    if (char === '"') this.inString = true;
    else if (char === '{' || char === '[') this.depth += 1;
    else if (char === '}' || char === ']') {
      if (this.depth === 0) return true;
      this.depth -= 1;
    }
    return false;
  }
}

/** A whole reply of tool calls, read the way a stream of it is. */
export function parseToolCalls(text: string): ToolCall[] {
  const reader = new ToolCallStream();
  reader.push(text);
  return reader.calls;
}
