// Browser tests: the real Séjour app listening on 127.0.0.1 (random port, PGlite in memory,
// Hérault seeded), driven by playwright-core through Debian's chromium, with axe-core for
// accessibility. One app and one browser per test file; a fresh browser context (cookies,
// JavaScript on or off) per journey.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildApp } from '../../src/app';
import type { Config } from '../../src/config';
import type { Database } from '../../src/db/database';
import { HERAULT } from '../../src/modules/prefectures/seed-data';
import { seedPrefecture } from '../../src/modules/prefectures/seed-prefecture';
import { openTestDatabase, testConfig } from './build';
import { reservePort } from './port';

type Closer = { after(fn: () => Promise<void> | void): void };

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for Chromium as root in a sandbox without network (see README "Tests"). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Pages opened with JavaScript disabled: DevTools evaluation still works there, but timers and
 * promises of the page never run, so axe-core would wait forever. */
const withoutJavaScript = new WeakSet<Page>();

export interface BrowserApp {
  app: FastifyInstance;
  database: Database;
  prefectureId: string;
  /** http://127.0.0.1:<port>, also the app's PUBLIC_URL, so links in mails work. */
  baseUrl: string;
  browser: Browser;
  /** A fresh context (no cookies) and page; both closed after the test. */
  newPage(t: Closer, opts: { javaScriptEnabled: boolean; locale?: string; viewport?: { width: number; height: number } }): Promise<BrowserPage>;
}

export interface BrowserPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions, failed requests and 4xx/5xx answers to assets, as they happen. */
  problems: string[];
}

/** Starts the app on a random port of 127.0.0.1 and launches Chromium. Everything is closed in t.after. */
export async function startBrowserApp(t: Closer, opts: { config?: Partial<Config> } = {}): Promise<BrowserApp> {
  const database = await openTestDatabase(t, 'pglite');
  // The port is known only once listening, and PUBLIC_URL must be the real address: reserve a
  // free port first with a throwaway server, then start the app on it.
  const port = await reservePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const app = await buildApp(testConfig({ ...opts.config, publicUrl: baseUrl, host: '127.0.0.1', port }), { database, logger: false });
  t.after(() => app.close());
  await app.listen({ host: '127.0.0.1', port });
  const { id: prefectureId } = await seedPrefecture(app.deps.db, HERAULT);

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
  t.after(() => browser.close());

  return {
    app,
    database,
    prefectureId,
    baseUrl,
    browser,
    async newPage(tt, { javaScriptEnabled, locale = 'fr-FR', viewport = { width: 1280, height: 900 } }) {
      const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled, locale, viewport });
      tt.after(() => context.close());
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      if (!javaScriptEnabled) withoutJavaScript.add(page);
      const problems: string[] = [];
      page.on('console', (msg) => {
        // Chromium logs every 4xx/5xx as a console error, a 404 page's own status included: the
        // 'response' listener below reports failing assets, the test checks the page's status.
        if (msg.text().startsWith('Failed to load resource')) return;
        if (msg.type() === 'error') problems.push(`console error on ${page.url()}: ${msg.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`uncaught exception on ${page.url()}: ${err.message}`));
      page.on('requestfailed', (req) => {
        const error = req.failure()?.errorText ?? '?';
        // An asset still loading when the page navigates away (a form posted, a link followed) is
        // cancelled by the browser itself: not a failure of the server.
        if (error === 'net::ERR_ABORTED' && req.resourceType() !== 'document') return;
        problems.push(`request failed: ${req.url()} (${error})`);
      });
      page.on('response', (res) => {
        if (res.request().resourceType() !== 'document' && res.status() >= 400) problems.push(`asset ${res.url()} answered ${res.status()}`);
      });
      return { context, page, problems };
    },
  };
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;
function axe(): string {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the page as it is and fails listing every
 * violation. axe is evaluated through the DevTools protocol, which the page's CSP does not
 * govern; in a context with JavaScript disabled, the same HTML is checked in a scratch
 * JavaScript-enabled page (the app's own scripts stay off there, so the markup is the one
 * a no-JavaScript visitor gets).
 */
export async function expectAxeClean(page: Page, label = page.url()): Promise<void> {
  let target = page;
  let scratch: BrowserContext | null = null;
  if (withoutJavaScript.has(page)) {
    const browser = page.context().browser();
    if (!browser) throw new Error('expectAxeClean: no browser for the page');
    scratch = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() ?? { width: 1280, height: 900 } });
    target = await scratch.newPage();
    const html = await page.content();
    const url = page.url();
    // Serve the captured HTML at the page's own address, assets from the app as usual; block scripts.
    await target.route('**/*', async (route) => {
      const req = route.request();
      if (req.url() === url && req.resourceType() === 'document') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      if (req.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    await target.goto(url);
  }
  try {
    await target.evaluate(axe());
    const violations = await target.evaluate(async () => {
      const w = window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: AxeViolation[] }> } };
      const result = await w.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        resultTypes: ['violations'],
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
      }));
    });
    if (violations.length) {
      const lines = violations.map(
        (v) =>
          `- ${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${v.nodes
            .slice(0, 5)
            .map((n) => `    at ${JSON.stringify(n.target)}${n.failureSummary ? `: ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`)
            .join('\n')}`,
      );
      throw new Error(`axe-core found ${violations.length} accessibility violation(s) on ${label}:\n${lines.join('\n')}`);
    }
  } finally {
    await scratch?.close();
  }
}


/** With JavaScript on: DSFR's module loaded without errors (it marks <html data-fr-js="true">). */
export async function expectDsfrScriptsLoaded(bp: BrowserPage): Promise<void> {
  await bp.page.waitForFunction(() => document.documentElement.getAttribute('data-fr-js') === 'true', undefined, { timeout: 10_000 });
  expectNoProblems(bp);
}

/** WCAG 1.4.10 (reflow): nothing makes the page scroll sideways at the current width. */
export async function expectNoHorizontalScroll(page: Page, label = page.url()): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()}${el.className ? ` class="${String(el.className)}"` : ''}>`);
    return { scroll: document.documentElement.scrollWidth, width, wide };
  });
  if (overflow.scroll > overflow.width + 1) {
    throw new Error(`${label} scrolls sideways at ${overflow.width}px (content ${overflow.scroll}px wide): ${overflow.wide.join(', ')}`);
  }
}

export function expectNoProblems(bp: BrowserPage): void {
  if (bp.problems.length) throw new Error(`Browser problems:\n${bp.problems.join('\n')}`);
}
