/**
 * The task pane and the ribbon command in a real browser (Debian's Chromium, driven by playwright-core), against the
 * Excel emulator seeded with seed report 000. office.js is replaced by a shim (test/support/browser/office-shim.ts)
 * served at its CDN address; every other request that leaves localhost is blocked and reported.
 *
 * Builds what it serves in beforeAll (the add-in with the project's webpack config, the shim with its own), so it
 * needs no earlier build. Leaves a screenshot of the pane in test/artifacts/taskpane.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import type { WorkbookDump } from './support/excel-emulator';
import { buildAddin, buildShim, ROOT } from './support/browser/build';
import type { ShimConfig } from './support/browser/office-shim';
import { seedWorkbook } from './support/browser/seed';
import { serveDirectory, StaticServer } from './support/browser/serve';

const CHROMIUM = '/usr/bin/chromium';
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const SEED = join(ROOT, 'test', 'fixtures', 'seeds', '000_c181ff5ffa342356.tsv');
const ARTIFACTS = join(ROOT, 'test', 'artifacts');
const PANE_WIDTH = 340;

let workDir: string;
let server: StaticServer;
let browser: Browser;
let shimSource: string;

/** A page on its own browser context, with what it logged and what it tried to fetch from outside. */
interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly blocked: string[];
  readonly errors: string[];
}

const sessions: Session[] = [];

async function openPage(file: string, config: Partial<ShimConfig> = {}): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: PANE_WIDTH, height: 900 }, deviceScaleFactor: 1, locale: 'en-GB' });
  const blocked: string[] = [];
  const errors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === OFFICE_JS) {
      await route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: shimSource });
      return;
    }
    const { hostname } = new URL(url);
    if (hostname === '127.0.0.1' || hostname === 'localhost') {
      await route.continue();
      return;
    }
    blocked.push(url);
    await route.abort('blockedbyclient');
  });
  const shimConfig: ShimConfig = { workbook: seedWorkbook(SEED, 'Report'), ...config };
  await context.addInitScript((c: ShimConfig) => {
    (window as unknown as { __SHIM_CONFIG__: ShimConfig }).__SHIM_CONFIG__ = c;
  }, shimConfig);
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  const session = { context, page, blocked, errors };
  sessions.push(session);
  await page.goto(`${server.url}${file}`);
  return session;
}

function dumpWorkbook(page: Page): Promise<WorkbookDump> {
  return page.evaluate(() => {
    const emulator = window.__emulator;
    if (!emulator) throw new Error('The office.js shim did not start the emulator');
    return emulator.dump();
  });
}

function selectedAddress(page: Page): Promise<string> {
  return page.evaluate(() => window.__emulator?.selectedAddress ?? '');
}

/** Returns the cells of the Status column the refresh wrote next to the table whose rows span `rows`. */
function statusColumn(dump: WorkbookDump, sheet: string, rows: readonly number[]): { header: string; cells: { address: string; formula: string | null }[] } {
  const cells = dump.sheets.find((s) => s.name === sheet)?.cells ?? {};
  const headers = Object.entries(cells).filter(([, c]) => c.value === 'Status');
  for (const [address] of headers) {
    const column = /^[A-Z]+/.exec(address)?.[0] ?? '';
    const below = rows.map((row) => ({ address: `${column}${row}`, formula: cells[`${column}${row}`]?.formula ?? null }));
    if (below.some((c) => c.formula !== null)) return { header: address, cells: below };
  }
  return { header: '', cells: [] };
}

/** Polls `read` until it satisfies `check` (or the time is up), then returns its last value for expect() to judge. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < until) {
    await new Promise((wake) => setTimeout(wake, 50));
    value = await read();
  }
  return value;
}

/** The text of the first element matching `selector`, once it contains `expected` (or after the timeout). */
function textOnceContains(page: Page, selector: string, expected: string | RegExp): Promise<string> {
  const matches = (t: string): boolean => (typeof expected === 'string' ? t.includes(expected) : expected.test(t));
  return eventually(async () => (await page.locator(selector).first().textContent()) ?? '', matches);
}

async function waitUntilReady(page: Page): Promise<void> {
  await page.waitForSelector('#pane[aria-busy="false"]');
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser test needs Debian's chromium at ${CHROMIUM}: apt-get install chromium`);
  }
  workDir = mkdtempSync(join(tmpdir(), 'scorecard-browser-'));
  const [, shimPath] = await Promise.all([buildAddin(join(workDir, 'dist')), buildShim(join(workDir, 'shim'))]);
  shimSource = readFileSync(shimPath, 'utf8');
  server = await serveDirectory(join(workDir, 'dist'));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}, 240_000);

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.context.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('task pane', () => {
  it('refreshes the seed workbook, lists tables and findings, and goes to a finding\'s cell', async () => {
    const { page, blocked, errors } = await openPage('taskpane.html');
    await waitUntilReady(page);
    expect(await textOnceContains(page, '#tables-note', 'preview')).toContain('preview');

    await page.getByRole('button', { name: 'Refresh scorecard' }).click();
    expect(await textOnceContains(page, '#last-run', /✓|✗/)).toMatch(/^last run \d\d:\d\d ✓succeeded$/);
    expect(await page.locator('#status').textContent()).toMatch(/^Done: /);

    const indicators = page.locator('.table-card', { has: page.locator('.table-title', { hasText: /^Indicators$/ }) });
    expect(await indicators.locator('.counts .sr-only').textContent()).toBe('6 green, 0 amber, 2 red, 0 no data');
    expect(await indicators.locator('.counts .count').allTextContents()).toEqual(['●6', '▲0', '■2', '○0']);
    expect(await indicators.locator('.badge').textContent()).toBe('KPI');
    const programme = page.locator('.table-card.is-skipped', { has: page.locator('.table-title', { hasText: /^Programme$/ }) });
    expect(await programme.count()).toBe(1);
    expect(await programme.locator('.badge').textContent()).toBe('skipped');

    const findings = page.locator('#findings .finding');
    const direction = findings.filter({ hasText: 'Direction ▲ says improving' });
    const fraction = findings.filter({ hasText: '32.6% does not match 395/1221 = 32.4%' });
    expect(await direction.locator('.finding-cell').textContent()).toBe('H30');
    expect(await fraction.locator('.finding-cell').textContent()).toBe('E30');
    // Warnings come before notes.
    const severities = await findings.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-severity')));
    expect(severities.indexOf('info')).toBeGreaterThan(severities.lastIndexOf('warning'));

    await fraction.click();
    expect(await eventually(() => selectedAddress(page), (a) => a === 'Report!E30')).toBe('Report!E30');
    expect(await textOnceContains(page, '#status', 'Selected')).toBe('Selected Report!E30.');
    // Keyboard: Enter and Space on a focused finding do the same.
    await direction.focus();
    await page.keyboard.press('Enter');
    expect(await eventually(() => selectedAddress(page), (a) => a === 'Report!H30')).toBe('Report!H30');
    await fraction.focus();
    await page.keyboard.press('Space');
    expect(await eventually(() => selectedAddress(page), (a) => a === 'Report!E30')).toBe('Report!E30');

    const status = statusColumn(await dumpWorkbook(page), 'Report', [25, 26, 27, 28, 29, 30, 31, 32]);
    expect(status.header).not.toBe('');
    expect(status.cells.every((c) => c.formula?.startsWith('='))).toBe(true);

    await page.locator('details.rows-table summary', { hasText: 'Indicators' }).click();
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await page.mouse.move(0, 0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'taskpane.png'), fullPage: true });

    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('saves an override and the options in the workbook settings', async () => {
    const { page, errors } = await openPage('taskpane.html');
    await waitUntilReady(page);
    await page.locator('details.rows-table summary', { hasText: 'Indicators' }).click();
    const details = page.locator('details.rows-table', { hasText: 'Indicators' });
    await details.getByRole('button', { name: 'Edit overrides' }).click();
    await details.getByLabel('Target column').fill('b');
    await details.locator('select[data-row="30"]').selectOption('higher');
    await details.getByRole('button', { name: 'Save', exact: true }).click();
    expect(await textOnceContains(page, '#status', 'apply on the next refresh')).toMatch(/^Saved your choices for Indicators/);

    await page.getByLabel('Amber band amount').fill('10');
    await page.getByLabel('Amber band amount').press('Tab');
    expect(await textOnceContains(page, '#status', 'Saved the bands')).toContain('Saved the bands');
    await page.getByLabel('Palette').selectOption('colour-blind');
    expect(await textOnceContains(page, '#status', 'Saved the palette')).toContain('Saved the palette');
    expect(await page.evaluate(() => document.documentElement.dataset.palette)).toBe('colour-blind');

    const saved = JSON.parse(String((await dumpWorkbook(page)).settings['scorecard.options'])) as {
      amber: { kind: string; value: number };
      palette: string;
      overrides: { sheet: string; range?: string; targetColumn?: string; rowPolarity?: Record<string, string> }[];
    };
    expect(saved.amber).toEqual({ kind: 'relative', value: 0.1 });
    expect(saved.palette).toBe('colour-blind');
    expect(saved.overrides).toEqual([expect.objectContaining({ sheet: 'Report', targetColumn: 'B', rowPolarity: { 30: 'higher' } })]);
    expect(errors).toEqual([]);
  });

  it('re-checks as the user types once the option is on, and stops when it is off', async () => {
    const { page, errors } = await openPage('taskpane.html');
    await waitUntilReady(page);
    const counts = page.locator('.table-card', { has: page.locator('.table-title', { hasText: /^Indicators$/ }) }).locator('.counts .sr-only');
    await page.getByLabel('Re-check as I type').check();
    expect(await textOnceContains(page, '#status', 'Re-checking as you type')).toContain('Re-checking');
    // Row 31's latest outturn (303, against a maximum of 287) becomes 280: red turns green.
    await page.evaluate(() => window.__emulator?.edit('Report', 'D31', '280'));
    expect(await eventually(() => counts.textContent(), (l) => l?.startsWith('7 green') === true)).toBe('7 green, 0 amber, 1 red, 0 no data');
    expect(await page.locator('#tables-note').textContent()).toContain('re-checked');

    await page.getByLabel('Re-check as I type').uncheck();
    expect(await textOnceContains(page, '#status', 'Stopped re-checking')).toContain('Stopped');
    await page.evaluate(() => window.__emulator?.edit('Report', 'D31', '303'));
    await page.waitForTimeout(1500);
    expect(await counts.textContent()).toBe('7 green, 0 amber, 1 red, 0 no data');
    expect(JSON.parse(String((await dumpWorkbook(page)).settings['scorecard.options'])).watch).toBe(false);
    expect(errors).toEqual([]);
  });

  it('shows a failed refresh as a notification with a plain message', async () => {
    const { page, errors } = await openPage('taskpane.html', { protectedSheets: ['Report'] });
    await waitUntilReady(page);
    await page.getByRole('button', { name: 'Refresh scorecard' }).click();
    const bar = page.locator('.office-js-helpers-notification');
    await bar.waitFor({ state: 'visible' });
    expect(await bar.getAttribute('role')).toBe('alert');
    const said = await bar.innerText();
    expect(said).toContain('The scorecard was not refreshed');
    expect(said).toContain('Report');
    expect(said).not.toMatch(/[{}]|\[object|Stack Trace/);
    expect(await textOnceContains(page, '#last-run', '✗')).toMatch(/✗failed$/);
    expect(await page.locator('#refresh').isEnabled()).toBe(true);
    // What the pane logged for developers is the only console error.
    expect(errors.every((e) => e.startsWith('console: The scorecard was not refreshed'))).toBe(true);
  });

  it('says to open it from Excel when there is no Office host', async () => {
    const { page } = await openPage('taskpane.html', { host: null });
    await page.locator('#host-message').waitFor({ state: 'visible' });
    expect(await page.getByRole('alert').innerText()).toMatch(/Open this page from Excel/);
    expect(await page.locator('#refresh').isDisabled()).toBe(true);
  });

  it('explains which Excel is needed and disables Refresh without ExcelApi 1.6', async () => {
    const { page } = await openPage('taskpane.html', { excelApi: '1.5' });
    await page.locator('#host-message').waitFor({ state: 'visible' });
    expect(await page.getByRole('alert').innerText()).toMatch(/Excel 2019 or Microsoft 365/);
    expect(await page.locator('#refresh').isDisabled()).toBe(true);
    expect((await dumpWorkbook(page)).settings).toEqual({});
  });
});

describe('ribbon command', () => {
  async function invokeRefresh(page: Page): Promise<number> {
    await page.waitForFunction(() => window.__shim?.actions.has('refreshScorecard') === true);
    return page.evaluate(() => new Promise<number>((resolve, reject) => {
      let completed = 0;
      const event = {
        completed: () => {
          completed += 1;
          // A second completed() would show up here as 2 after a tick.
          setTimeout(() => resolve(completed), 50);
        },
      };
      try {
        window.__shim?.invoke('refreshScorecard', event);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    }));
  }

  it('refreshes the workbook and completes the event', async () => {
    const { page, blocked, errors } = await openPage('commands.html');
    expect(await invokeRefresh(page)).toBe(1);
    const status = statusColumn(await dumpWorkbook(page), 'Report', [25, 26, 27, 28, 29, 30, 31, 32]);
    expect(status.cells.every((c) => c.formula?.startsWith('='))).toBe(true);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('completes the event when the refresh fails, and says why in the console', async () => {
    const { page, errors } = await openPage('commands.html', { protectedSheets: ['Report'] });
    expect(await invokeRefresh(page)).toBe(1);
    expect(statusColumn(await dumpWorkbook(page), 'Report', [25]).header).toBe('');
    expect(errors.some((e) => e.includes('The scorecard was not refreshed') && e.includes('Report'))).toBe(true);
  });
});
