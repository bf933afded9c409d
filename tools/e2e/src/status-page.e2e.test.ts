import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AnthropicLocal, startAnthropicLocal } from '@scenewise/anthropic-local';
import { namespaced } from '@scenewise/contracts';
import { createTestDatabase, type TestDatabase } from '@scenewise/db/testing';
import { deleteNamespaceStreams, randomNamespace } from '@scenewise/messaging/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { apiClient, type JobView } from './api-client';
import { type Pipeline, type ServiceProcess, serviceProblems, startPipeline, startService, workspaceRoot } from './service-harness';

/**
 * The health service's status page in a real headless Chromium (Debian's `chromium`, driven by
 * playwright-core; nothing is downloaded), served by the built services running as processes.
 */

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];
const screenshots = join(workspaceRoot, 'tmp');
// Missing Chromium fails every test with this sentence (a skipped browser test proves nothing).
const chromiumMissing = existsSync(CHROMIUM)
  ? undefined
  : `Chromium is missing at ${CHROMIUM}: the status page is tested in a real browser. Install it with: apt-get install -y chromium`;

// User data on the page: if it were not escaped, this title would add an image to the table.
const hostileTitle = '<img src=x onerror="window.pwned=1">Night <b>Shift</b>';
const script = ['INT. DINER - NIGHT', 'EXT. PARKING LOT - NIGHT', 'INT. CAR - CONTINUOUS']
  .map((heading, i) => `${heading}\n\nMara waits. Scene ${i}.\n\nMARA\nStill here.\n`)
  .join('\n');

describe('the status page in headless Chromium', () => {
  let database: TestDatabase;
  let claude: AnthropicLocal;
  let pipeline: Pipeline;
  /** A second health service, configured with a retired model. */
  let retiredHealth: ServiceProcess | undefined;
  let browser: Browser;
  let job: JobView;
  const namespace = randomNamespace();
  /** Script errors and CSP violations the page reported: there must be none. */
  const pageErrors: string[] = [];

  async function openPage(url: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (err) => pageErrors.push(`${url}: ${err.message}`));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(`${url}: ${m.text()}`));
    await page.goto(url);
    return page;
  }

  const row = (page: Page, attr: 'data-service' | 'data-role', value: string) => page.locator('tr', { has: page.locator(`td[${attr}="${value}"]`) });

  beforeAll(async () => {
    if (chromiumMissing) return;
    mkdirSync(screenshots, { recursive: true });
    [database, claude, browser] = await Promise.all([
      createTestDatabase(),
      startAnthropicLocal({ latencyMs: 20 }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
    pipeline = await startPipeline({ databaseUrl: database.url, namespace, anthropicBaseUrl: claude.url });
    const api = apiClient(pipeline.api.url);
    const { id } = await api.uploadScript(script, hostileTitle);
    job = await api.waitForJob((await api.analyze(id)).jobId);
  }, 90_000);

  beforeEach(() => {
    if (chromiumMissing) throw new Error(chromiumMissing);
    pageErrors.length = 0;
    onTestFailed(() => console.error(`what the services logged:\n${serviceProblems(pipeline)}`));
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([pipeline?.stop(), retiredHealth?.stop()]);
    await Promise.all([claude?.close(), database?.drop()]);
    if (!chromiumMissing) await deleteNamespaceStreams(namespaced(namespace));
  });

  it('shows every part ok, the dashboard and the job just run, with its title as text', async () => {
    expect(job.status).toBe('succeeded');
    const page = await openPage(`${pipeline.health.url}/`);
    // Each service beats every 5 s: the page refreshes itself until it has heard them all.
    await page.locator('h1 .pill[data-state="ok"]').waitFor({ timeout: 15_000 });
    expect(await page.title()).toBe('scenewise: ok');
    await expect(page.locator('.banner').count()).resolves.toBe(0);
    for (const service of ['api', 'orchestrator', 'summarizer']) {
      expect(await row(page, 'data-service', service).locator('.pill').innerText()).toBe('up');
    }
    const summaryModel = row(page, 'data-role', 'sceneSummary');
    expect(await summaryModel.locator('.pill').getAttribute('data-state')).toBe('ok');
    expect(await summaryModel.innerText()).toContain('resolves to claude-haiku-4-5-20251001');
    expect(await page.locator('#database .pill').innerText()).toBe('ok');
    expect(await page.locator('#messaging .pill').first().innerText()).toBe('ok');

    expect(await page.locator('#jobs-per-hour .value').innerText()).toBe('1');
    expect(await page.locator('#error-rate .value').innerText()).toBe('0.0 %');
    expect(await page.locator('#tokens-today .value').innerText()).toMatch(/^[1-9][\d,]* in · [1-9][\d,]* out$/);
    expect(await page.locator('#cost-today .value').innerText()).toMatch(/^\$0\.\d{4}$/);

    const jobRow = page.locator('#jobs tbody tr').first();
    expect(await jobRow.locator('td.title').innerText()).toBe(hostileTitle);
    expect(await jobRow.locator('.pill').innerText()).toBe('succeeded');
    expect(await jobRow.locator('.pill').getAttribute('data-state')).toBe('ok');
    expect(await jobRow.innerText()).toContain('3 ok · 0 failed');
    expect(await page.locator('#jobs img').count()).toBe(0);
    expect(await page.evaluate('typeof window.pwned')).toBe('undefined');

    await page.screenshot({ path: join(screenshots, 'status-page-ok.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a retired model as retired, with its replacement, under the degraded banner', async () => {
    // The model the seed system died of; the local server answers 404 for it, as Anthropic does.
    retiredHealth = await startService(
      'health',
      { databaseUrl: database.url, namespace, anthropicBaseUrl: claude.url },
      { MODEL_SCENE_SUMMARY: 'claude-3-5-sonnet-20241022' },
    );
    const page = await openPage(`${retiredHealth.url}/status`);
    // Until it has heard every service's heartbeat, it also lists them as down.
    await page.locator('#services h2 .pill[data-state="ok"]').waitFor({ timeout: 15_000 });
    expect(await page.title()).toBe('scenewise: degraded');
    expect(await page.locator('h1 .pill').getAttribute('data-state')).toBe('degraded');
    expect(await page.locator('.banner li').allInnerTexts()).toEqual([
      'model claude-3-5-sonnet-20241022 (role sceneSummary) was retired on 2025-10-22; set MODEL_SCENE_SUMMARY to claude-sonnet-4-5',
    ]);
    const model = row(page, 'data-role', 'sceneSummary');
    expect(await model.locator('.pill').innerText()).toBe('retired');
    expect(await model.locator('.pill').getAttribute('data-state')).toBe('down');
    expect(await model.innerText()).toContain('replace with claude-sonnet-4-5');
    expect(await row(page, 'data-role', 'scriptAnalysis').locator('.pill').innerText()).toBe('ok');
    await page.screenshot({ path: join(screenshots, 'status-page-retired-model.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('turns a service red when its heartbeats stop, without a reload', async () => {
    const page = await openPage(`${pipeline.health.url}/`);
    const summarizer = row(page, 'data-service', 'summarizer');
    await summarizer.locator('.pill[data-state="ok"]').waitFor({ timeout: 15_000 });
    await page.evaluate("document.documentElement.setAttribute('data-loaded-once', 'yes')");

    await pipeline.summarizers[0]!.stop();
    // Gone after two and a half missed beats (12.5 s), seen at the page's next refresh (5 s).
    await summarizer.locator('.pill[data-state="down"]').waitFor({ timeout: 25_000 });
    expect(await summarizer.innerText()).toContain('0 of 1 alive');
    expect(await page.locator('.banner').innerText()).toContain('no live summarizer instance');
    expect(await page.locator('h1 .pill').innerText()).toBe('degraded');
    expect(await row(page, 'data-service', 'api').locator('.pill').innerText()).toBe('up');
    // The same document, re-rendered by its script from /status.json.
    expect(await page.locator('html').getAttribute('data-loaded-once')).toBe('yes');
    await page.screenshot({ path: join(screenshots, 'status-page-summarizer-down.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 45_000);
});
