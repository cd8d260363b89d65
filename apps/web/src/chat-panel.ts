import type { RouterInputs } from '@mlrpc/client';
import type { Connection } from './connection.js';
import { element, numberFrom, required } from './dom.js';
import { errorMessage } from './error-message.js';

type ChatMessage = NonNullable<RouterInputs['chat']['stream']['messages']>[number];

/**
 * Chat with live streaming: tokens are appended as they arrive over SSE, Stop aborts the
 * generation on the server, and the conversation so far is sent with every turn.
 */
export function mountChatPanel(panel: HTMLElement, connection: Connection): void {
  const model = required(panel, 'select[name=model]', HTMLSelectElement);
  const maxTokens = required(panel, 'input[name=maxTokens]', HTMLInputElement);
  const temperature = required(panel, 'input[name=temperature]', HTMLInputElement);
  const list = required(panel, '.messages', HTMLOListElement);
  const form = required(panel, 'form.composer', HTMLFormElement);
  const prompt = required(form, 'textarea[name=prompt]', HTMLTextAreaElement);
  const send = required(form, 'button[type=submit]', HTMLButtonElement);
  const stop = required(form, 'button[name=stop]', HTMLButtonElement);
  const clear = required(form, 'button[name=clear]', HTMLButtonElement);
  const stats = required(panel, '.stats', HTMLParagraphElement);
  let messages: ChatMessage[] = [];
  let running: AbortController | undefined;

  const show = (role: ChatMessage['role'], text: string): HTMLElement => {
    const item = element('li', `message ${role}`);
    const content = element('div', 'content', text);
    item.append(element('span', 'role', role === 'user' ? 'You' : 'Model'), content);
    list.append(item);
    list.scrollTop = list.scrollHeight;
    return content;
  };

  const setRunning = (controller: AbortController | undefined) => {
    running = controller;
    send.disabled = controller !== undefined;
    stop.hidden = controller === undefined;
    panel.dataset.state = controller ? 'streaming' : 'idle';
  };

  const turn = async (text: string) => {
    messages.push({ role: 'user', content: text });
    show('user', text);
    const answer = show('assistant', '');
    answer.classList.add('pending');
    const controller = new AbortController();
    setRunning(controller);
    stats.textContent = '';
    let reply = '';
    let ended = false;
    try {
      const input = {
        messages,
        maxTokens: numberFrom(maxTokens, 128),
        temperature: numberFrom(temperature, 0),
        ...(model.value ? { model: model.value } : {}),
      };
      for await (const event of connection.client.chatStream(input, {
        signal: controller.signal,
      })) {
        if (event.type === 'start') {
          answer.parentElement?.setAttribute('title', `${event.model} v${event.version}`);
        } else if (event.type === 'delta') {
          reply += event.text;
          answer.textContent = reply;
          list.scrollTop = list.scrollHeight;
        } else if (event.type === 'end') {
          ended = true;
          stats.textContent = `${event.usage.completionTokens} tokens · ${event.tokensPerSecond.toFixed(0)} tokens/s · first token after ${event.ttftMs.toFixed(0)} ms · finished: ${event.finishReason}`;
        } else if (event.type === 'error') {
          throw new Error(`${event.message} [${event.errorCode}]`);
        }
      }
      if (!ended && controller.signal.aborted) {
        answer.parentElement?.classList.add('stopped');
        stats.textContent = `stopped after ${reply.length} characters`;
      }
      messages.push({ role: 'assistant', content: reply });
    } catch (error) {
      answer.parentElement?.classList.add('error');
      answer.textContent = reply ? `${reply}\n\n${errorMessage(error)}` : errorMessage(error);
      // The turn failed: drop it from the history so the next one is not sent a broken exchange.
      messages.pop();
    } finally {
      answer.classList.remove('pending');
      setRunning(undefined);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = prompt.value.trim();
    if (!text || running) return;
    prompt.value = '';
    void turn(text);
  });
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => running?.abort());
  clear.addEventListener('click', () => {
    running?.abort();
    messages = [];
    list.replaceChildren();
    stats.textContent = '';
  });
}
