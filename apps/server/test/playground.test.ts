import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { hashApiKey } from '@mlrpc/api';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPlayground, type PlaygroundPage } from './support/browser.js';
import { readSpamTestSet } from './support/heldout-data.js';
import { digitsRoot } from './support/paths.js';
import { startTestServer, type TestServer } from './support/test-server.js';

let harness: TestServer;
let browser: Browser;
let current: PlaygroundPage | undefined;
beforeAll(async () => {
  [harness, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  await harness.client.models.load.mutate({ id: 'llama-random' });
});
afterAll(async () => {
  await browser?.close();
  await harness?.close();
});
afterEach(async ({ task }) => {
  // Every test leaves a screenshot of where it ended, and no script error behind.
  if (!current) return;
  await current.screenshot(task.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase());
  const errors = current.errors;
  await current.page.context().close();
  current = undefined;
  expect(errors).toEqual([]);
});

async function open(): Promise<PlaygroundPage> {
  current = await openPlayground(browser, harness.url);
  return current;
}

async function digitFile(label: string): Promise<string> {
  const folder = path.join(digitsRoot, label);
  return path.join(folder, (await readdir(folder)).sort()[0] ?? '');
}

/** The served tokens the server counted for a model so far. */
async function generatedTokens(model: string): Promise<number> {
  const { models } = await harness.client.models.list.query();
  return models
    .filter((info) => info.id === model)
    .reduce((sum, info) => sum + info.stats.generatedTokens, 0);
}

describe('the playground (real Chromium, real server)', () => {
  it('is served at / beside the API, health, metrics and docs routes', async () => {
    const page = await fetch(`${harness.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(await page.text()).toMatch(/<title>mlrpc playground<\/title>/);
    const health = await fetch(`${harness.url}/health`);
    expect(((await health.json()) as { status: string }).status).toBe('healthy');
    expect(await (await fetch(`${harness.url}/metrics`)).text()).toMatch(/^# HELP/m);
    expect(await (await fetch(`${harness.url}/docs/`)).text()).toMatch(/swagger/i);
    expect((await fetch(`${harness.url}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${harness.url}/api/models`)).status).toBe(200);
    expect((await fetch(`${harness.url}/assets/missing.js`)).status).toBe(404);

    const { page: browserPage } = await open();
    await expect
      .poll(() => browserPage.locator('#server-status').textContent())
      .toMatch(/^healthy/);
    const chatModels = await browserPage
      .locator('#chat select[name=model] option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(chatModels[0]).toBe('wordnet-chat');
    expect(chatModels).toContain('llama-random');
  });

  it('chats: the answer streams in, stops at the end, and the next turn has the history', async () => {
    const { page } = await open();
    const prompt = page.locator('#chat textarea[name=prompt]');
    // Every text the answer bubble shows, in order, as the page renders it.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const answer = document.querySelector('#chat .message.assistant:last-child .content');
        if (answer?.textContent) seen.push(answer.textContent);
      }).observe(document.querySelector('#chat .messages') as Node, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await prompt.fill('Define metal.');
    await prompt.press('Enter');
    await expect.poll(() => page.locator('#chat .stats').textContent()).toMatch(/finished: stop/);
    const answer = await page.locator('#chat .message.assistant .content').last().textContent();
    expect(answer).toMatch(/^Any of several chemical elements/);
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    const distinct = [...new Set(seen)];
    expect(distinct.length).toBeGreaterThanOrEqual(3);
    for (const [index, text] of distinct.entries()) {
      expect(answer?.startsWith(text), `render ${index} is a prefix of the answer`).toBe(true);
    }

    const secondTurn = page.waitForRequest((request) => request.url().includes('chat.stream'));
    await prompt.fill('Define dog.');
    await page.locator('#chat button[type=submit]').click();
    // The second turn carries the first question and answer with it.
    const sent = decodeURIComponent((await secondTurn).url());
    expect(sent).toContain('Define metal.');
    expect(sent).toContain('Any of several chemical elements');
    expect(sent).toContain('Define dog.');
    await expect.poll(() => page.locator('#chat .message').count()).toBe(4);
    await expect.poll(() => page.locator('#chat').getAttribute('data-state')).toBe('idle');
    expect(await page.locator('#chat .stats').textContent()).toMatch(/finished: (stop|length)/);
    await expect
      .poll(() => page.locator('#chat .message.assistant .content').last().textContent())
      .toMatch(/\w+/);
  });

  it('chats: Stop ends a long generation on the server, mid-stream', async () => {
    const { page } = await open();
    await page.locator('#chat select[name=model]').selectOption('llama-random');
    await page.locator('#chat input[name=maxTokens]').fill('4096');
    const before = await generatedTokens('llama-random');
    await page.locator('#chat textarea[name=prompt]').fill('Tell me a very long story.');
    await page.locator('#chat button[type=submit]').click();
    const answer = page.locator('#chat .message.assistant .content').last();
    const stop = page.locator('#chat button[name=stop]');
    await expect.poll(async () => (await answer.textContent())?.length ?? 0).toBeGreaterThan(20);
    const early = (await answer.textContent())?.length ?? 0;
    await expect.poll(async () => (await answer.textContent())?.length ?? 0).toBeGreaterThan(early);
    expect(await stop.isVisible()).toBe(true);
    await stop.click();

    await expect.poll(() => page.locator('#chat .message.stopped').count()).toBe(1);
    expect(await stop.isVisible()).toBe(false);
    expect(await page.locator('#chat .stats').textContent()).toMatch(/^stopped after/);
    const shown = await answer.textContent();
    // The server stops too: its token count settles far short of the 4,096 asked for.
    let settled = await generatedTokens('llama-random');
    await expect
      .poll(
        async () => {
          const previous = settled;
          settled = await generatedTokens('llama-random');
          return settled === previous;
        },
        { interval: 300 },
      )
      .toBe(true);
    expect(settled - before).toBeLessThan(4096);
    expect(await answer.textContent()).toBe(shown);
    // The page is ready for the next turn.
    expect(await page.locator('#chat button[type=submit]').isEnabled()).toBe(true);
  });

  it('classifies digit images from the file picker and by drag-and-drop, uploading their bytes', async () => {
    const { page } = await open();
    const topLabel = page.locator('#classify .bars .bar').first();
    const sent: Array<{ url: string; type: string | undefined }> = [];
    page.on('request', (request) => {
      if (!request.url().includes('/trpc/predict')) return;
      sent.push({ url: request.url(), type: request.headers()['content-type'] });
    });

    await page.locator('#classify input[type=file]').setInputFiles(await digitFile('3'));
    await expect.poll(() => topLabel.getAttribute('data-label')).toBe('3');
    expect(await page.locator('#classify .bars .bar').count()).toBe(5);
    const confidences = await page
      .locator('#classify .bars .bar')
      .evaluateAll((rows) => rows.map((row) => Number((row as HTMLElement).dataset.confidence)));
    expect(confidences).toEqual([...confidences].sort((left, right) => right - left));
    expect(confidences[0]).toBeGreaterThan(0.5);
    expect(await page.locator('#classify .drop-zone img').isVisible()).toBe(true);

    const seven = await readFile(await digitFile('7'));
    const dataTransfer = await page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'seven.png', { type: 'image/png' }));
      return transfer;
    }, seven.toString('base64'));
    await page.locator('#classify .drop-zone').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => topLabel.getAttribute('data-label')).toBe('7');
    expect(await page.locator('#classify .stats').textContent()).toMatch(/^digits v1/);
    // Both went up as multipart uploads of the file's bytes, not as base64 in JSON.
    expect(sent).toHaveLength(2);
    for (const request of sent) {
      expect(request.url).toMatch(/\/trpc\/predictImage$/);
      expect(request.type).toMatch(/^multipart\/form-data; boundary=/);
    }
  });

  it('says what is wrong with a file that is not an image, or not a valid one', async () => {
    const { page } = await open();
    const picker = page.locator('#classify input[type=file]');
    const stats = page.locator('#classify .stats');
    await picker.setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello'),
    });
    await expect.poll(() => stats.textContent()).toMatch(/notes\.txt is not an image/);
    await picker.setInputFiles({
      name: 'broken.png',
      mimeType: 'image/png',
      buffer: Buffer.from('this is not a PNG at all'),
    });
    await expect.poll(() => page.locator('#classify').getAttribute('data-state')).toBe('error');
    expect(await stats.textContent()).toMatch(/INVALID_INPUT|INVALID_IMAGE/);
    expect(await stats.textContent()).toMatch(/request [\w-]+/);
    expect(await page.locator('#classify .bars .bar').count()).toBe(0);
  });

  it('embeds sentences into a similarity heat map that reflects their meaning', async () => {
    const { page } = await open();
    await page.locator('#embed button[type=submit]').click();
    await expect.poll(() => page.locator('#embed').getAttribute('data-state')).toBe('done');
    const similarity = (row: number, column: number) =>
      page
        .locator(`#embed td[data-row="${row}"][data-column="${column}"]`)
        .getAttribute('data-similarity')
        .then(Number);
    expect(await page.locator('#embed td').count()).toBe(25);
    for (let index = 0; index < 5; index += 1) {
      expect(await similarity(index, index)).toBeCloseTo(1, 5);
    }
    // "a small dog" is closer to "a young puppy" than to "the price of shares on the stock market".
    expect(await similarity(0, 1)).toBeGreaterThan((await similarity(0, 3)) + 0.2);
    expect(await similarity(1, 0)).toBeCloseTo(await similarity(0, 1), 6);
    expect(await page.locator('#embed .stats').textContent()).toMatch(/96 dimensions/);
  });

  it('labels texts as spam or ham, and highlights entities where they are in each text', async () => {
    const { page } = await open();
    const panel = page.locator('#text');
    await expect.poll(() => panel.locator('select[name=tagger] option').count()).toBeGreaterThan(0);
    // One real held-out ham and one spam message the model gets right through the API.
    const messages = (await readSpamTestSet()).filter((message) => message.text.length < 400);
    const direct = await harness.client.predict.mutate({
      task: 'text-classification',
      texts: messages.slice(0, 60).map((message) => message.text),
    });
    const right = messages.filter(
      (message, index) =>
        direct.kind === 'text-classification' &&
        direct.predictions[index]?.[0]?.label === message.label,
    );
    const ham = right.find((message) => message.label === 'ham');
    const spam = right.find((message) => message.label === 'spam');
    // The panel takes one text per line, with \n written for newlines inside a text.
    const texts = [ham?.text ?? '', spam?.text ?? ''].map((text) => text.replaceAll('\n', '\\n'));
    await panel.locator('textarea[name=texts]').fill(texts.join('\n'));
    await panel.locator('button[name=classify]').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('done');
    const labels = await panel
      .locator('.text-result')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.label));
    expect(labels).toEqual(['ham', 'spam']);

    await panel
      .locator('textarea[name=texts]')
      .fill('Émilie  met Zoë at the Café de Flore 😀 in Paris.');
    await panel.locator('button[name=entities]').click();
    await expect.poll(() => panel.locator('.entity-text').count()).toBe(1);
    // Each mark holds exactly the entity's characters of the text, and the line reads as typed.
    const line = await panel.locator('.entity-text').evaluate((paragraph) => ({
      text: Array.from(paragraph.childNodes)
        .map((node) =>
          node instanceof HTMLElement
            ? (node.firstChild?.textContent ?? '')
            : (node.textContent ?? ''),
        )
        .join(''),
      marks: paragraph.querySelectorAll('mark').length,
    }));
    expect(line.text).toBe('Émilie  met Zoë at the Café de Flore 😀 in Paris.');
    await panel.locator('input[name=mask]').check();
    await panel.locator('button[name=entities]').click();
    await expect.poll(() => panel.locator('.masked-text').count()).toBe(1);
    const masked = await panel.locator('.masked-text').textContent();
    expect(masked?.match(/\[[A-Z]+\]/g)?.length ?? 0).toBe(line.marks);
  });

  it('ranks documents against a query, best first', async () => {
    const { page } = await open();
    const panel = page.locator('#rerank');
    await expect.poll(() => panel.locator('select[name=model] option').count()).toBeGreaterThan(1);
    const options = await panel
      .locator('select[name=model] option')
      .evaluateAll((items) => items.map((item) => (item as HTMLOptionElement).value));
    expect(options[0]).toBe('wordnet-reranker');
    expect(options).toContain('wordnet-minilm');
    await panel.locator('input[name=query]').fill('dog');
    await panel.locator('button[type=submit]').click();
    await expect.poll(() => panel.getAttribute('data-state')).toBe('done');
    const shown = await panel
      .locator('.ranking .bar')
      .evaluateAll((rows) => rows.map((row) => Number((row as HTMLElement).dataset.index)));
    const documents = (await panel.locator('textarea[name=documents]').inputValue()).split('\n');
    const direct = await harness.client.rerank.mutate({ query: 'dog', documents });
    expect(shown).toEqual(direct.results.map((result) => result.index));
  });

  it('submits an embedding job and shows its progress live until it completes', async () => {
    const { page } = await open();
    await page.locator('#jobs input[name=repeat]').fill('3000');
    // Every progress value the job's row shows, in order.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progress: number[] }).progress = seen;
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('#jobs .job:first-child progress');
        if (bar && seen.at(-1) !== bar.value) seen.push(bar.value);
      }).observe(document.querySelector('#jobs .job-list') as Node, {
        subtree: true,
        childList: true,
      });
    });
    await page.locator('#jobs button[type=submit]').click();
    const row = page.locator('#jobs .job').first();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    expect(await row.locator('.job-result').textContent()).toBe('9000 vectors × 96');
    expect(await row.locator('.job-percent').textContent()).toBe('100%');
    const progress = await page.evaluate(
      () => (window as unknown as { progress: number[] }).progress,
    );
    expect(progress.some((value) => value > 0 && value < 1)).toBe(true);
    expect(progress).toEqual([...progress].sort((left, right) => left - right));

    const jobId = await row.getAttribute('data-job-id');
    const job = await harness.client.jobs.get.query({ jobId: jobId ?? '' });
    expect(job.status).toBe('completed');
  });

  it('cancels a running job from its row', async () => {
    const { page } = await open();
    await page.locator('#jobs input[name=repeat]').fill('10000');
    await page.locator('#jobs button[type=submit]').click();
    const row = page.locator('#jobs .job').first();
    await expect.poll(() => row.getAttribute('data-status')).toBe('running');
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => row.getAttribute('data-status')).toBe('cancelled');
    const job = await harness.client.jobs.get.query({
      jobId: (await row.getAttribute('data-job-id')) ?? '',
    });
    expect(job.status).toBe('cancelled');
    expect(job.progress).toBeLessThan(1);
  });
});

describe('the playground against a server that requires API keys', () => {
  const apiKey = 'playground-key-1234567890';
  let secured: TestServer;
  beforeAll(async () => {
    secured = await startTestServer({
      API_KEYS: JSON.stringify([
        { id: 'web', sha256: hashApiKey(apiKey), scopes: ['infer', 'jobs'] },
      ]),
    });
  });
  afterAll(() => secured?.close());

  it('asks for a key, then sends it on every call and on the chat stream', async () => {
    current = await openPlayground(browser, secured.url);
    const { page } = current;
    const badge = page.locator('#server-status');
    await expect.poll(() => badge.textContent()).toMatch(/^healthy.*API key needed$/);
    await page.locator('#embed button[type=submit]').click();
    await expect.poll(() => page.locator('#embed .stats').textContent()).toMatch(/UNAUTHORIZED/);
    expect(await page.locator('#embed .stats').textContent()).toMatch(/enter an API key/);

    await page.locator('#api-key').fill(apiKey);
    await page.locator('#api-key-form button[type=submit]').click();
    await expect.poll(() => badge.textContent()).not.toMatch(/API key needed/);
    // Kept across a reload, in this browser only.
    await page.reload();
    await page.locator('body[data-ready=true]').waitFor();
    expect(await page.locator('#api-key').inputValue()).toBe(apiKey);
    await expect
      .poll(() => page.locator('#chat select[name=model] option').count())
      .toBeGreaterThan(0);
    const prompt = page.locator('#chat textarea[name=prompt]');
    await prompt.fill('Define metal.');
    await prompt.press('Enter');
    await expect.poll(() => page.locator('#chat .stats').textContent()).toMatch(/finished: stop/);
    expect(await page.locator('#chat .message.assistant .content').textContent()).toMatch(
      /^Any of several chemical elements/,
    );
    await page.locator('#embed button[type=submit]').click();
    await expect.poll(() => page.locator('#embed').getAttribute('data-state')).toBe('done');
  });
});
