/**
 * The task pane and the ribbon command in a real browser (Debian's Chromium, driven by playwright-core), against the
 * Excel emulator seeded with seed report 000. office.js is replaced by a shim (test/support/browser/office-shim.ts)
 * served at its CDN address; every other request that leaves localhost is blocked and reported.
 *
 * Builds what it serves in beforeAll (the add-in with the project's webpack config, the shim with its own), so it
 * needs no earlier build. Leaves a screenshot of the pane in test/artifacts/taskpane.png.
 *
 * The shim's displayDialogAsync opens the dialog's page as a new window of the same browser context (so the test
 * sees it as a new page); the dialog's messageParent reaches the opener's shim.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
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

declare global {
  interface Window {
    /** How many times the fake ribbon event was completed. */
    __completions?: number;
    /** Whether each form submission had its default action cancelled when it reached the window. */
    __submits?: boolean[];
    /** The function file's global, on hosts without Office.actions. */
    refreshScorecard?: (event: { completed(): void }) => unknown;
  }
}

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

/** The workbook's saved options (workbook settings), parsed. */
async function savedOptions(page: Page): Promise<{
  amber: { kind: string; value: number };
  palette: string;
  fitToWidth?: boolean;
  overrides: { sheet: string; range?: string; targetColumn?: string; rowPolarity?: Record<string, string> }[];
}> {
  return JSON.parse(String((await dumpWorkbook(page)).settings['scorecard.options']));
}

/** Returns true when `selector`'s first match has the keyboard focus. */
function hasFocus(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((e) => e === document.activeElement);
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser test needs Debian's chromium at ${CHROMIUM}: apt-get install chromium`);
  }
  workDir = mkdtempSync(join(tmpdir(), 'scorecard-browser-'));
  const [, shimPath] = await Promise.all([buildAddin(join(workDir, 'dist')), buildShim(join(workDir, 'shim'))]);
  shimSource = readFileSync(shimPath, 'utf8');
  // Excel runs the pane and the ribbon command in two runtimes over one workbook: here, two frames of one page.
  writeFileSync(join(workDir, 'dist', 'two-runtimes.html'), [
    '<!doctype html><html><head><meta charset="utf-8"><title>Two runtimes</title>',
    `<script src="${OFFICE_JS}"></script></head><body>`,
    '<iframe name="pane" src="taskpane.html" width="340" height="600"></iframe>',
    '<iframe name="command" src="commands.html" width="10" height="10"></iframe>',
    '</body></html>',
  ].join('\n'));
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

    // The pane links to the summary sheet the refresh wrote.
    await page.getByRole('button', { name: /^Open the summary sheet/ }).click();
    expect(await eventually(() => selectedAddress(page), (a) => a === "'Scorecard summary'!A1")).toBe("'Scorecard summary'!A1");
    expect(await textOnceContains(page, '#status', 'Selected')).toBe('Selected Scorecard summary!A1.');

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

  it('meets WCAG 2.2 AA by axe-core, before and after a refresh (tables, findings, rows and options drawn)', async () => {
    const { page } = await openPage('taskpane.html');
    await waitUntilReady(page);
    const audit = async (): Promise<string[]> => {
      // Evaluated through the browser's protocol: the pane's Content-Security-Policy refuses inline scripts, as it should.
      await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
      return page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown }> }> }> } }).axe;
        const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
        return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
      });
    };
    expect(await audit()).toEqual([]);
    await page.getByRole('button', { name: 'Refresh scorecard' }).click();
    await textOnceContains(page, '#last-run', /✓|✗/);
    await page.locator('details, .table-card').first().waitFor();
    expect(await audit()).toEqual([]);
  });

  it('saves an override and the options in the workbook settings', async () => {
    const { page, errors } = await openPage('taskpane.html');
    await waitUntilReady(page);
    await page.locator('details.rows-table summary', { hasText: 'Indicators' }).click();
    const details = page.locator('details.rows-table', { hasText: 'Indicators' });
    await details.getByRole('button', { name: 'Edit overrides' }).click();
    await details.getByLabel('Target column').fill('b');
    await details.locator('select[data-row="30"]').selectOption('higher');
    // The form's own handler cancels the submission in the event itself: by the time it reaches the window it is.
    await page.evaluate(() => {
      window.__submits = [];
      window.addEventListener('submit', (event) => window.__submits?.push(event.defaultPrevented));
    });
    await details.getByRole('button', { name: 'Save', exact: true }).click();
    expect(await textOnceContains(page, '#status', 'apply on the next refresh')).toMatch(/^Saved your choices for Indicators/);
    expect(await page.evaluate(() => window.__submits)).toEqual([true]);
    expect(await details.locator('form.editor').count()).toBe(0);
    expect(await hasFocus(page, 'details.rows-table:has-text("Indicators") button[data-focus-key^="edit:"]')).toBe(true);

    await page.getByLabel('Amber band amount').fill('10');
    await page.getByLabel('Amber band amount').press('Tab');
    expect(await textOnceContains(page, '#status', 'Saved the bands')).toContain('Saved the bands');
    await page.getByLabel('Palette').selectOption('colour-blind');
    expect(await textOnceContains(page, '#status', 'Saved the palette')).toContain('Saved the palette');
    expect(await page.evaluate(() => document.documentElement.dataset.palette)).toBe('colour-blind');

    const saved = await savedOptions(page);
    expect(saved.amber).toEqual({ kind: 'relative', value: 0.1 });
    expect(saved.palette).toBe('colour-blind');
    expect(saved.overrides).toEqual([expect.objectContaining({ sheet: 'Report', targetColumn: 'B', rowPolarity: { 30: 'higher' } })]);
    expect(errors).toEqual([]);
  });

  it('opens with one read of the workbook: its saved options fill the form and the preview lists its tables', async () => {
    const saved = { amber: { kind: 'relative', value: 0.1 }, palette: 'colour-blind', fitToWidth: true };
    const { page, errors } = await openPage('taskpane.html', { workbook: { ...seedWorkbook(SEED, 'Report'), settings: { 'scorecard.options': JSON.stringify(saved) } } });
    await waitUntilReady(page);
    expect(await textOnceContains(page, '#tables-note', 'preview')).toContain('preview');
    expect(await page.locator('.table-card', { has: page.locator('.table-title', { hasText: /^Indicators$/ }) }).count()).toBe(1);
    expect(await page.getByLabel('Amber band amount').inputValue()).toBe('10');
    expect(await page.getByLabel('Palette').inputValue()).toBe('colour-blind');
    expect(await page.getByLabel(/Fit to page width/).isChecked()).toBe(true);
    expect(await page.evaluate(() => window.__emulator?.runCount)).toBe(1);
    expect(errors).toEqual([]);
  });

  it('says the workbook could not be read as the pane opens, and still shows the saved options', async () => {
    const saved = { amber: { kind: 'relative', value: 0.1 }, palette: 'colour-blind' };
    const workbook = { ...seedWorkbook(SEED, 'Report'), settings: { 'scorecard.options': JSON.stringify(saved) } };
    const { page, errors } = await openPage('taskpane.html', { workbook, failingRuns: 1 });
    await waitUntilReady(page);
    const bar = page.locator('.notification');
    await bar.waitFor({ state: 'visible' });
    expect(await bar.getAttribute('role')).toBe('alert');
    expect(await bar.innerText()).toContain('The workbook could not be read');
    expect(await page.getByLabel('Amber band amount').inputValue()).toBe('10');
    expect(await page.getByLabel('Palette').inputValue()).toBe('colour-blind');
    expect(await page.locator('.table-card').count()).toBe(0);
    expect(await page.locator('#refresh').isEnabled()).toBe(true);
    expect(errors.every((e) => e.startsWith('console: The workbook could not be read'))).toBe(true);
  });

  it('saves quick option changes in order, each on top of the one before', async () => {
    // Every Excel.run starts 200 ms late, so the second save starts while the first is still under way.
    const { page, errors } = await openPage('taskpane.html', { runDelayMs: 200 });
    await waitUntilReady(page);
    await page.evaluate(() => {
      const palette = document.getElementById('palette') as HTMLSelectElement;
      palette.value = 'colour-blind';
      palette.dispatchEvent(new Event('change'));
      const amber = document.getElementById('amber-amount') as HTMLInputElement;
      amber.value = '10';
      amber.dispatchEvent(new Event('change'));
    });
    // Shown at once, before anything is saved.
    expect(await page.evaluate(() => document.documentElement.dataset.palette)).toBe('colour-blind');
    expect(await textOnceContains(page, '#options-note', 'Saved')).toBe('Saved');
    expect(await page.locator('#status').textContent()).toBe('Saved the bands. They apply on the next refresh.');
    const saved = await savedOptions(page);
    expect(saved.palette).toBe('colour-blind');
    expect(saved.amber).toEqual({ kind: 'relative', value: 0.1 });
    expect(errors).toEqual([]);
  });

  it('saves "Fit to page width" in the workbook from the keyboard, and the next refresh fits the scorecard one page wide', async () => {
    const { page, errors } = await openPage('taskpane.html');
    await waitUntilReady(page);
    const fit = page.getByRole('checkbox', { name: 'Fit to page width' });
    expect(await fit.isChecked()).toBe(false);
    expect(await fit.getAttribute('aria-describedby')).toBe('fit-to-width-hint');
    await fit.focus();
    await page.keyboard.press('Space');
    expect(await textOnceContains(page, '#status', 'one page wide')).toBe('Saved: from the next refresh, sheets with a scorecard print landscape, one page wide.');
    expect((await savedOptions(page)).fitToWidth).toBe(true);
    expect((await dumpWorkbook(page)).sheets.find((s) => s.name === 'Report')?.pageLayout).toBeUndefined();

    await page.getByRole('button', { name: 'Refresh scorecard' }).click();
    await textOnceContains(page, '#last-run', /✓|✗/);
    expect((await dumpWorkbook(page)).sheets.find((s) => s.name === 'Report')?.pageLayout)
      .toEqual({ printTitleColumns: 'A:B', zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 }, orientation: 'Landscape' });

    // Ticked off again: saved as off.
    await fit.focus();
    await page.keyboard.press('Space');
    expect(await textOnceContains(page, '#status', 'leaves the page setup')).toBe('Saved: the next refresh leaves the page setup as it is.');
    expect((await savedOptions(page)).fitToWidth).toBe(false);
    expect(errors).toEqual([]);
  });

  it('keeps what is typed in the override editor, and the focus, when a re-check redraws the pane', async () => {
    const { page, errors } = await openPage('taskpane.html');
    await waitUntilReady(page);
    await page.getByLabel('Re-check as I type').check();
    expect(await textOnceContains(page, '#status', 'Re-checking as you type')).toContain('Re-checking');
    await page.locator('details.rows-table summary', { hasText: 'Indicators' }).click();
    const details = page.locator('details.rows-table', { hasText: 'Indicators' });
    await details.getByRole('button', { name: 'Edit overrides' }).click();
    await details.getByLabel('Leave this table out').check();
    await details.locator('select[data-row="30"]').selectOption('lower');
    const column = details.getByLabel('Target column');
    await column.click();
    await page.keyboard.type('c');
    await column.evaluate((input) => {
      (input as HTMLElement).dataset.before = 'redraw';
    });

    // Someone edits the sheet: the re-check's summary redraws the rows while the person is typing.
    const counts = page.locator('.table-card', { has: page.locator('.table-title', { hasText: /^Indicators$/ }) }).locator('.counts .sr-only');
    await page.evaluate(() => window.__emulator?.edit('Report', 'D31', '280'));
    expect(await eventually(() => counts.textContent(), (l) => l?.startsWith('7 green') === true)).toBe('7 green, 0 amber, 1 red, 0 no data');
    expect(await column.getAttribute('data-before')).toBeNull();
    expect(await column.inputValue()).toBe('c');
    expect(await hasFocus(page, 'input[name="targetColumn"]')).toBe(true);
    expect(await details.getByLabel('Leave this table out').isChecked()).toBe(true);
    expect(await details.locator('select[data-row="30"]').inputValue()).toBe('lower');
    // The caret stayed at the end: typing carries on.
    await page.keyboard.type('d');
    expect(await column.inputValue()).toBe('cd');

    // Cancel closes the editor, drops what was typed, and gives the focus back to Edit overrides.
    await details.getByRole('button', { name: 'Cancel' }).click();
    expect(await details.locator('form.editor').count()).toBe(0);
    expect(await hasFocus(page, 'details.rows-table:has-text("Indicators") button[data-focus-key^="edit:"]')).toBe(true);
    await page.keyboard.press('Enter');
    expect(await column.inputValue()).toBe('');
    expect(errors).toEqual([]);
  });

  it('says nothing when a re-check meets Excel editing a cell', async () => {
    const { page, errors } = await openPage('taskpane.html');
    await waitUntilReady(page);
    await page.getByLabel('Re-check as I type').check();
    expect(await textOnceContains(page, '#status', 'Re-checking as you type')).toContain('Re-checking');
    await page.evaluate(async () => {
      window.__emulator?.setCellEditMode(true);
      await window.__emulator?.edit('Report', 'D31', '280');
    });
    await page.waitForTimeout(1500);
    expect(await page.locator('.notification').count()).toBe(0);
    expect(await page.locator('#last-run').textContent()).not.toContain('✗');
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

    // The choice is the person's: kept in the browser's storage, never in the workbook (co-authors would inherit it).
    expect(await page.evaluate(() => localStorage.getItem('scorecard.recheck-as-I-type'))).toBe('on');
    expect((await dumpWorkbook(page)).settings['scorecard.options']).toBeUndefined();

    await page.getByLabel('Re-check as I type').uncheck();
    expect(await textOnceContains(page, '#status', 'Stopped re-checking')).toContain('Stopped');
    await page.evaluate(() => window.__emulator?.edit('Report', 'D31', '303'));
    await page.waitForTimeout(1500);
    expect(await counts.textContent()).toBe('7 green, 0 amber, 1 red, 0 no data');
    expect(await page.evaluate(() => localStorage.getItem('scorecard.recheck-as-I-type'))).toBeNull();
    expect(errors).toEqual([]);
  });

  it('starts with re-checking off, and on again for the person who chose it, whatever the workbook says', async () => {
    const { page, context, errors } = await openPage('taskpane.html', {
      workbook: { ...seedWorkbook(SEED, 'Report'), settings: { 'scorecard.options': JSON.stringify({ watch: true }) } },
    });
    await waitUntilReady(page);
    expect(await page.getByLabel('Re-check as I type').isChecked()).toBe(false);
    await page.getByLabel('Re-check as I type').check();
    expect(await textOnceContains(page, '#status', 'Re-checking as you type')).toContain('Re-checking');
    // The same person opens the pane again (same browser profile): the choice is still theirs.
    const again = await context.newPage();
    await again.goto(`${server.url}taskpane.html`);
    await waitUntilReady(again);
    expect(await again.getByLabel('Re-check as I type').isChecked()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows a failed refresh as a notification with a plain message', async () => {
    const { page, errors } = await openPage('taskpane.html', { protectedSheets: ['Report'] });
    await waitUntilReady(page);
    await page.getByRole('button', { name: 'Refresh scorecard' }).click();
    const bar = page.locator('.notification');
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
    // Re-checking as you type (Worksheet.onChanged) is off, and says why.
    expect(await page.locator('#watch').isDisabled()).toBe(true);
    expect(await page.locator('#watch').isChecked()).toBe(false);
    expect(await page.locator('#watch-hint').textContent()).toMatch(/Excel 2019 or Microsoft 365/);
    expect((await dumpWorkbook(page)).settings).toEqual({});
  });
});

describe('two runtimes', () => {
  it('makes the pane\'s refresh wait while the ribbon command\'s refresh runs, in another frame over the same workbook', async () => {
    // Every Excel.run starts 600 ms late: the command's refresh is still running when the pane's Refresh is clicked.
    const { page, errors } = await openPage('two-runtimes.html', { runDelayMs: 600 });
    const pane = page.frame({ name: 'pane' });
    const command = page.frame({ name: 'command' });
    if (!pane || !command) throw new Error('the page has no pane or command frame');
    await pane.waitForSelector('#pane[aria-busy="false"]');
    await command.waitForFunction(() => window.__shim?.actions.has('refreshScorecard') === true);
    await command.evaluate(() => {
      window.__completions = 0;
      window.__shim?.invoke('refreshScorecard', { completed: () => void (window.__completions = (window.__completions ?? 0) + 1) });
    });
    // The command holds the lock both runtimes see...
    await command.waitForFunction(() => localStorage.getItem('scorecard.refresh-lock') !== null);
    await pane.click('#refresh');
    // ...so the pane says it waits, and refreshes once the command is done.
    const waited = await eventually(async () => (await pane.locator('#status').textContent()) ?? '', (t) => t.startsWith('Waiting'));
    expect(waited).toBe('Waiting: a refresh started from the ribbon or another pane is still running…');
    expect(await command.evaluate(() => window.__completions)).toBe(0);
    const done = await eventually(async () => (await pane.locator('#status').textContent()) ?? '', (t) => t.startsWith('Done'), 20_000);
    expect(done).toMatch(/^Done: /);
    expect(await command.evaluate(() => window.__completions)).toBe(1);
    expect(await page.evaluate(() => localStorage.getItem('scorecard.refresh-lock'))).toBeNull();
    const dump = await dumpWorkbook(page);
    const blockNames = dump.names.filter((n) => n.name.endsWith('_Block')).map((n) => n.name);
    expect(new Set(blockNames).size).toBe(blockNames.length);
    expect(statusColumn(dump, 'Report', [25, 26, 27, 28, 29, 30, 31, 32]).cells.every((c) => c.formula?.startsWith('='))).toBe(true);
    expect(errors).toEqual([]);
  });
});

describe('ribbon command', () => {
  /** Presses the ribbon button: calls the action (associated, or the function file's global) with a fake event. */
  async function pressRibbonButton(page: Page, via: 'actions' | 'global' = 'actions'): Promise<void> {
    if (via === 'actions') await page.waitForFunction(() => window.__shim?.actions.has('refreshScorecard') === true);
    else await page.waitForFunction(() => typeof window.refreshScorecard === 'function');
    await page.evaluate((how) => {
      window.__completions = 0;
      const event = { completed: () => void (window.__completions = (window.__completions ?? 0) + 1) };
      if (how === 'actions') window.__shim?.invoke('refreshScorecard', event);
      else window.refreshScorecard?.(event);
    }, via);
  }

  function completions(page: Page): Promise<number> {
    return page.evaluate(() => window.__completions ?? 0);
  }

  /** Waits for the event to be completed, then a moment more (a second completed() would show), and returns the count. */
  async function completedCount(page: Page): Promise<number> {
    await eventually(() => completions(page), (n) => n > 0);
    await page.waitForTimeout(100);
    return completions(page);
  }

  it('refreshes the workbook and completes the event', async () => {
    const { page, blocked, errors } = await openPage('commands.html');
    await pressRibbonButton(page);
    expect(await completedCount(page)).toBe(1);
    const status = statusColumn(await dumpWorkbook(page), 'Report', [25, 26, 27, 28, 29, 30, 31, 32]);
    expect(status.cells.every((c) => c.formula?.startsWith('='))).toBe(true);
    expect(await page.evaluate(() => window.__shim?.dialogs)).toEqual([]);
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('shows a failed refresh in a dialog, and completes the event once the dialog is closed', async () => {
    const { context, page, blocked, errors } = await openPage('commands.html', { protectedSheets: ['Report'] });
    const opened = context.waitForEvent('page');
    await pressRibbonButton(page);
    const dialog = await opened;
    await dialog.waitForLoadState();

    const urls = (await page.evaluate(() => window.__shim?.dialogs)) ?? [];
    expect(urls).toHaveLength(1);
    const url = new URL(urls[0] ?? '');
    expect(url.pathname).toBe('/message.html');
    expect(url.searchParams.get('title')).toBe('The scorecard was not refreshed');
    expect(dialog.url()).toBe(url.href);

    expect(await textOnceContains(dialog, '#title', 'refreshed')).toBe('The scorecard was not refreshed');
    const message = await dialog.locator('#message').textContent();
    expect(message).toContain('Report');
    expect(message).not.toMatch(/[{}]|\[object|Stack Trace/);
    expect(await hasFocus(dialog, '#close')).toBe(true);
    // Still open: the event waits for it (completing it would close the dialog on some hosts).
    expect(await completions(page)).toBe(0);

    const closed = dialog.waitForEvent('close');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await closed;
    expect(await completedCount(page)).toBe(1);
    expect(await page.evaluate(() => window.__shim?.dialogMessages)).toEqual(['close']);
    expect(statusColumn(await dumpWorkbook(page), 'Report', [25]).header).toBe('');
    expect(blocked).toEqual([]);
    expect(errors.every((e) => e.startsWith('console: The scorecard was not refreshed'))).toBe(true);
  });

  it('completes the event once when the person closes the dialog themselves', async () => {
    const { context, page } = await openPage('commands.html', { protectedSheets: ['Report'] });
    const opened = context.waitForEvent('page');
    await pressRibbonButton(page);
    const dialog = await opened;
    await dialog.locator('#title', { hasText: 'refreshed' }).waitFor();
    await dialog.close();
    expect(await completedCount(page)).toBe(1);
  });

  it('says why in the console, and completes the event, where there is no dialog API', async () => {
    const { page, errors } = await openPage('commands.html', { protectedSheets: ['Report'], dialogApi: false });
    await pressRibbonButton(page);
    expect(await completedCount(page)).toBe(1);
    expect(statusColumn(await dumpWorkbook(page), 'Report', [25]).header).toBe('');
    expect(errors.some((e) => e.includes('The scorecard was not refreshed') && e.includes('Report'))).toBe(true);
    expect(await page.evaluate(() => window.__shim?.dialogs)).toEqual([]);
  });

  it('runs as the function file\'s global refreshScorecard where Office.actions is missing', async () => {
    const { page, errors } = await openPage('commands.html', { actionsApi: false });
    await pressRibbonButton(page, 'global');
    expect(await completedCount(page)).toBe(1);
    expect(await page.evaluate(() => window.__shim?.actions.size)).toBe(0);
    const status = statusColumn(await dumpWorkbook(page), 'Report', [25, 26, 27, 28, 29, 30, 31, 32]);
    expect(status.cells.every((c) => c.formula?.startsWith('='))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows the title and message from the dialog\'s URL as text only', async () => {
    const title = '<b>Bold</b> & <i>more</i>';
    const message = '<img src="x" onerror="window.__injected = 1">Line';
    const query = new URLSearchParams({ title, message }).toString();
    const { page, errors } = await openPage(`message.html?${query}`);
    expect(await textOnceContains(page, '#title', 'Bold')).toBe(title);
    expect(await page.locator('#message').textContent()).toBe(message);
    expect(await page.locator('main b, main i, main img').count()).toBe(0);
    expect(await page.title()).toBe(title);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
