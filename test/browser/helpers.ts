// Chromium for the inspector's tests: Debian's package (/usr/bin/chromium, or CHROMIUM_PATH),
// launched headless with a fresh profile and without its background connections (this machine's
// closed network refuses them, which would otherwise fill the logs), one mock per test, and every
// console error and uncaught exception of the page collected so that a test can assert there were none.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startKapsoMock, type KapsoMock, type KapsoMockOptions } from '../../src/index.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];
export const SCREENSHOTS = new URL('./screenshots/', import.meta.url).pathname;
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);

let context: BrowserContext;
let profile: string;
const mocks: KapsoMock[] = [];
const watched: { page: Page; errors: string[]; allowed: RegExp[] }[] = [];

/** One browser per test file, with a fresh profile (--user-data-dir) of its own. */
export function useBrowser(): { readonly context: BrowserContext } {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'kapso-inspector-profile-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: DESKTOP });
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });
  afterEach(async () => {
    const pages = watched.splice(0);
    // Headless Chromium now and then never finishes closing a page (a CI run waited out the 60 s
    // hook timeout here; Playwright's persistent contexts met the same, microsoft/playwright#18485).
    // The next test opens a page of its own, so a page that has not closed after 10 s is left behind.
    for (const { page } of pages) {
      if (!(await settles(page.close(), 10_000))) console.warn(`a page of "${expect.getState().currentTestName}" did not close within 10 s; left open`);
    }
    if (!(await settles(context.clearCookies(), 10_000))) throw new Error('the browser did not clear its cookies within 10 s');
    // close() cuts every connection after 800 ms, so a mock that stalls here is a defect, reported as such.
    const closing = Promise.all(mocks.splice(0).map((m) => m.close()));
    if (!(await settles(closing, 20_000))) throw new Error('a mock did not close within 20 s');
    // Every page of the test: no console error, no uncaught exception (but those the test expected).
    for (const { errors, allowed } of pages) expect(errors.filter((e) => !allowed.some((a) => a.test(e)))).toEqual([]);
  });
  afterAll(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
  });
  return {
    get context() {
      return context;
    },
  };
}

/** Whether `p` settles (either way) within `ms`. */
async function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([p.then(() => true, () => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A mock for this test (closed after it). */
export async function mock(options: KapsoMockOptions = {}): Promise<KapsoMock> {
  const m = await startKapsoMock(options);
  mocks.push(m);
  return m;
}

export interface Inspector {
  page: Page;
  /** Console errors and uncaught exceptions so far. */
  errors: string[];
  /** Console errors the test expects (a 401 from a wrong token), not counted as failures. */
  allow(pattern: RegExp): void;
}

/** A new page on the inspector of `m` (at `hash`), watched for errors. */
export async function openInspector(m: KapsoMock, { hash = '', viewport = DESKTOP } = {}): Promise<Inspector> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const entry = { page, errors: [] as string[], allowed: [] as RegExp[] };
  page.on('console', (msg) => {
    if (msg.type() === 'error') entry.errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => entry.errors.push(`exception: ${err.message}`));
  watched.push(entry);
  await page.goto(`${m.origin}/__inspector/${hash}`);
  return { page, errors: entry.errors, allow: (pattern) => entry.allowed.push(pattern) };
}

/** Saves a screenshot under test/browser/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** Calls the mock's API as the app under development would. */
export async function api(m: KapsoMock, method: string, path: string, body?: unknown, key = m.apiKey): Promise<{ status: number; body: any }> {
  const res = await fetch(`${m.url}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/**
 * Controls without an accessible name among those on screen: each input, select, textarea, button
 * and link needs a label, an aria-label or aria-labelledby, or (buttons, links) text.
 */
export async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('input, select, textarea, button, a[href], summary')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      const labelledBy = el.getAttribute('aria-labelledby')?.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
      const byFor = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : undefined;
      const wrapping = el.closest('label')?.textContent;
      const text = ['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) ? el.textContent : '';
      const name = [el.getAttribute('aria-label'), labelledBy, byFor, wrapping, text].find((s) => s && s.trim() !== '');
      if (!name) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}
