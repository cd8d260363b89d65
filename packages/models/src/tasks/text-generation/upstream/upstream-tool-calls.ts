import type OpenAI from 'openai';

type ToolCallDelta = OpenAI.Chat.Completions.ChatCompletionChunk.Choice.Delta.ToolCall;

/**
 * An upstream's tool-call deltas written as the JSON a local model's constrained reply is
 * (`[{"name":"...","arguments":...}]`), so one reader turns both into mlrpc's tool-call events.
 */
export class UpstreamToolCalls {
  private current = -1;
  private started = false;
  private hasArguments = false;

  /** The JSON text these deltas add. */
  push(deltas: ToolCallDelta[]): string {
    let text = '';
    for (const delta of deltas) {
      if (delta.index !== this.current) {
        text += this.current < 0 ? '[' : `${this.hasArguments ? '' : '{}'}},`;
        this.hasArguments = false;
        this.current = delta.index;
        text += `{"name":${JSON.stringify(delta.function?.name ?? '')},"arguments":`;
        this.started = true;
      }
      const piece = delta.function?.arguments ?? '';
      if (piece.trim()) this.hasArguments = true;
      text += piece;
    }
    return text;
  }

  /** Closes the reply; '' when no call came. */
  finish(): string {
    return this.started ? `${this.hasArguments ? '' : '{}'}}]` : '';
  }
}
