import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repositoryRoot } from './paths.js';

/** Where screenshots go; CI keeps `test-results/` as the run's artifacts. */
export const screenshotsRoot = path.join(repositoryRoot, 'test-results/playground');

/** Debian's chromium (installed by .ci/run), or the browser named by CHROMIUM_PATH. */
function chromiumPath(): string {
  // The one knob for machines whose browser lives elsewhere (e.g. Chrome on a laptop).
  // eslint-disable-next-line no-restricted-syntax
  const configured = process.env.CHROMIUM_PATH;
  const candidates = [configured, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) {
    throw new Error(
      'browser tests need Chromium: `apt-get install chromium` (.ci/run does it), or set CHROMIUM_PATH',
    );
  }
  return found;
}

/** A headless Chromium driven by playwright-core; no browser download, the system's own. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath() });
}

export interface PlaygroundPage {
  page: Page;
  /** Uncaught exceptions and console errors, other than the browser's own note on failed requests. */
  errors: string[];
  /** Saves a full-page screenshot under test-results/playground/. */
  screenshot(name: string): Promise<void>;
}

/** Opens the playground the server serves at `/` in a fresh browser context (own storage). */
export async function openPlayground(browser: Browser, url: string): Promise<PlaygroundPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // Chromium logs every 4xx/5xx response this way; the page shows those to the user itself.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  await page.goto(url);
  await page.locator('body[data-ready=true]').waitFor();
  return {
    page,
    errors,
    async screenshot(name) {
      await mkdir(screenshotsRoot, { recursive: true });
      await page.screenshot({ path: path.join(screenshotsRoot, `${name}.png`), fullPage: true });
    },
  };
}
