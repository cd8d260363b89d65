import { createInterface } from 'node:readline';
import type { MlrpcClient } from '@mlrpc/client';
import type { Command } from 'commander';
import { connect } from '../connection.js';
import { exitCodes } from '../exit-codes.js';
import { print } from '../output.js';

type Message = { role: 'system' | 'user' | 'assistant'; content: string };

interface ChatOptions {
  model?: string;
  maxTokens?: number;
  system?: string;
}

interface Turn {
  text: string;
  finishReason: string;
  model?: string;
  version?: string;
  usage?: { promptTokens: number; completionTokens: number };
}

/** One streamed turn: text to stdout as it comes; aborting stops the generation on the server. */
async function streamTurn(
  client: MlrpcClient,
  messages: Message[],
  options: ChatOptions,
  json: boolean,
  signal: AbortSignal,
): Promise<Turn> {
  const turn: Turn = { text: '', finishReason: 'abort' };
  for await (const event of client.chatStream(
    {
      messages,
      ...(options.model ? { model: options.model } : {}),
      ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
    },
    { signal },
  )) {
    if (event.type === 'start') Object.assign(turn, { model: event.model, version: event.version });
    if (event.type === 'delta') {
      turn.text += event.text;
      if (!json) process.stdout.write(event.text);
    }
    if (event.type === 'end')
      Object.assign(turn, { finishReason: event.finishReason, usage: event.usage });
    if (event.type === 'error') throw new Error(`${event.errorCode}: ${event.message}`);
  }
  if (json) print(true, turn, () => '');
  else process.stdout.write(turn.finishReason === 'abort' ? ' [stopped]\n' : '\n');
  return turn;
}

/** `mlrpc chat [prompt]`: one streamed answer, or an interactive session without a prompt. */
export function chatCommand(program: Command): void {
  program
    .command('chat [prompt...]')
    .description(
      'chat: one answer for a prompt, or an interactive session (Ctrl-C stops an answer)',
    )
    .option('-m, --model <id>', 'a model other than the default')
    .option('--max-tokens <n>', 'longest answer, in tokens', (value) => Number(value))
    .option('-s, --system <text>', 'a system message first')
    .action(async (words: string[], options: ChatOptions, command: Command) => {
      const { client, json } = connect(command);
      const history: Message[] = options.system
        ? [{ role: 'system', content: options.system }]
        : [];
      if (words.length > 0) {
        const controller = new AbortController();
        const interrupt = () => controller.abort();
        process.once('SIGINT', interrupt);
        try {
          await streamTurn(
            client,
            [...history, { role: 'user', content: words.join(' ') }],
            options,
            json,
            controller.signal,
          );
        } finally {
          process.off('SIGINT', interrupt);
        }
        if (controller.signal.aborted) process.exitCode = exitCodes.interrupted;
        return;
      }
      await interactive(client, history, options, json);
    });
}

/** A session: each line is a turn; Ctrl-C stops the answer being written, Ctrl-C again or Ctrl-D ends. */
async function interactive(
  client: MlrpcClient,
  history: Message[],
  options: ChatOptions,
  json: boolean,
): Promise<void> {
  const terminal = process.stdin.isTTY;
  const lines = createInterface({ input: process.stdin, output: process.stdout, terminal });
  let generation: AbortController | undefined;
  lines.on('SIGINT', () => {
    if (generation) generation.abort();
    else lines.close();
  });
  if (terminal)
    process.stdout.write('Chat (Ctrl-C stops an answer; Ctrl-D or Ctrl-C at the prompt quits)\n');
  lines.setPrompt('> ');
  lines.prompt();
  for await (const line of lines) {
    if (line.trim() === '') {
      lines.prompt();
      continue;
    }
    history.push({ role: 'user', content: line });
    generation = new AbortController();
    try {
      const turn = await streamTurn(client, history, options, json, generation.signal);
      history.push({ role: 'assistant', content: turn.text });
    } finally {
      generation = undefined;
    }
    lines.prompt();
  }
}
