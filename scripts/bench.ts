// Benchmarks: npm run bench. Measures the limits P1–P6 on generated workbooks (test/support/synthetic.ts), prints
// one table and writes out/bench.json, each figure as { value, goal, met }.
//
//   BENCH_P1_ROWS     rows of the largest P1 workbook (default 100000, as the P1 asks; about 2.5 minutes and 3 GB here)
//   BENCH_ROWS        rows of the P3 / P4 / P6 workbook (default 10000)
//   BENCH_RUNS        repeated runs whose median P3 and P4 take (default 3)
//   BENCH_SKIP_PANE   set to 1 to leave out P5 (webpack build and Chromium)
//   BENCH_ONLY        measure only these figures, e.g. P5 or P3,P4 (P1, P2 and P6 come from one step)
import { spawn, spawnSync } from 'child_process';
import * as ExcelJS from 'exceljs';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { cpus, totalmem, tmpdir } from 'os';
import { join } from 'path';
import { gzipSync } from 'zlib';
import { planRefresh, WritePlan } from '../src/engine';
import { snapshotWithNames } from '../src/xlsx/apply';
import { dataRowsOf, generateWorkbook, toEmulatorInit, toExcelJs, toSnapshot } from '../test/support/synthetic';
import { EmulatedRefresh, formulaBytesPerRow, judgedRows, refreshThroughEmulator, rulesPerOutputColumn, syncGoal, writeOverhead } from './bench/structure';

const ROOT = join(__dirname, '..');
const P1_MAX_ROWS = Number(process.env.BENCH_P1_ROWS ?? 100_000);
/** Rows of the workbook whose write request P6 weighs (its reads are measured by a read-only pass first). */
const P6_ROWS = 2_000;
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const CHROMIUM = '/usr/bin/chromium';
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const PANE_LOADS = 5;

/** One figure of out/bench.json. */
interface Figure {
  readonly value: unknown;
  readonly goal: string;
  readonly met: boolean;
}

/** A line of the printed table. */
interface Line {
  readonly key: string;
  readonly what: string;
  readonly value: string;
  readonly goal: string;
  readonly met: boolean | null;
}

const lines: Line[] = [];
const started = Date.now();

function progress(text: string): void {
  process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

function count(n: number): string {
  return n.toLocaleString('en-GB');
}

async function timed<T>(f: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const t0 = process.hrtime.bigint();
  const result = await f();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, result };
}

/** The machine the figures come from. */
function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}`;
}

// ---------------------------------------------------------------------------------------------------------------
// P1, P2 (and the emulated half of P6): whole-workbook refreshes through the Excel emulator
// ---------------------------------------------------------------------------------------------------------------

interface P1Run {
  readonly sheets: number;
  readonly rows: number;
  readonly syncs: number;
  readonly goal: number;
  readonly bytesPerSync: number;
  readonly maxSyncBytes: number;
  readonly totalBytes: number;
  readonly seconds: number;
  readonly error: string | null;
  readonly met: boolean;
}

async function measureP1(): Promise<{ runs: P1Run[]; small: WritePlan | null; large: WritePlan | null; largeRows: number; p6: EmulatedRefresh | null }> {
  const sizes: Array<readonly [number, number]> = [[1, 100], [1, ROWS], [10, ROWS], [100, ROWS], [1, P1_MAX_ROWS]];
  const runs: P1Run[] = [];
  let small: WritePlan | null = null;
  let large: WritePlan | null = null;
  let p6: EmulatedRefresh | null = null;
  for (const [sheets, rows] of sizes) {
    progress(`P1: refreshing ${count(sheets)} sheet(s), ${count(rows)} rows through the Excel emulator`);
    const book = generateWorkbook({ rows, sheets, seed: 11 });
    const { ms, result } = await timed(() => refreshThroughEmulator(toEmulatorInit(book)));
    const goal = syncGoal(result.totalBytes);
    const met = result.error === null && result.syncs <= goal && result.maxSyncBytes <= 5_000_000;
    runs.push({
      sheets, rows: dataRowsOf(book), syncs: result.syncs, goal, bytesPerSync: result.syncs === 0 ? 0 : Math.round(result.totalBytes / result.syncs),
      maxSyncBytes: result.maxSyncBytes, totalBytes: result.totalBytes, seconds: Number((ms / 1000).toFixed(1)), error: result.error, met,
    });
    if (sheets === 1 && rows === 100) small = result.plan;
    if (sheets === 1 && rows === P1_MAX_ROWS) large = result.plan ?? planRefresh(toSnapshot(book));
  }
  progress(`P6: refreshing ${count(P6_ROWS)} rows through the Excel emulator, after a read-only pass`);
  p6 = await refreshThroughEmulator(toEmulatorInit(generateWorkbook({ rows: P6_ROWS, seed: 11 })), { measureReads: true });
  return { runs, small, large, largeRows: P1_MAX_ROWS, p6 };
}

// ---------------------------------------------------------------------------------------------------------------
// P3: the engine against ExcelJS reading the same workbook
// ---------------------------------------------------------------------------------------------------------------

async function measureP3(file: string): Promise<{ engineMs: number; readMs: number }> {
  const reads: number[] = [];
  let wb = new ExcelJS.Workbook();
  for (let i = 0; i < RUNS; i++) {
    progress(`P3: ExcelJS reads the ${count(ROWS)}-row workbook (${i + 1}/${RUNS})`);
    const fresh = new ExcelJS.Workbook();
    reads.push((await timed(() => fresh.xlsx.readFile(file))).ms);
    wb = fresh;
  }
  const engine: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    progress(`P3: the engine detects, evaluates and plans it (${i + 1}/${RUNS})`);
    // A snapshot of its own each run, as each refresh reads one: the engine keeps its reading of a snapshot's cell
    // with the cell, so planning the same snapshot again would skip the reading a refresh does.
    const snapshot = snapshotWithNames(wb);
    engine.push((await timed(() => planRefresh(snapshot))).ms);
  }
  return { engineMs: median(engine), readMs: median(reads) };
}

// ---------------------------------------------------------------------------------------------------------------
// P4: `scorecard refresh` against an ExcelJS read + write passthrough, each in a process of its own
// ---------------------------------------------------------------------------------------------------------------

/** Builds lib/ (the compiled command line) when any of its sources is newer. */
function ensureCompiledCli(): void {
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true })
    .reduce((t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
  const built = join(ROOT, 'lib', 'cli', 'main.js');
  const sources = Math.max(...['engine', 'xlsx', 'csv', 'cli'].map((d) => newest(join(ROOT, 'src', d))));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  progress('P4: compiling the command line (lib/)');
  const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`compiling the command line failed:\n${r.stdout}${r.stderr}`);
}

function runChild(step: 'passthrough' | 'refresh', input: string, output: string): Promise<{ ms: number; maxRssBytes: number }> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [join(__dirname, 'bench', 'child.js'), step, input, output], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) fail(new Error(`${step} failed (exit ${code}): ${err.trim()}`));
      else done({ ms, maxRssBytes: (JSON.parse(out.trim().split('\n').pop() ?? '{}') as { maxRssBytes: number }).maxRssBytes });
    });
  });
}

async function measureP4(file: string, dir: string): Promise<{ refreshMs: number; passMs: number; refreshRss: number; passRss: number; outBytes: number }> {
  ensureCompiledCli();
  const pass: Array<{ ms: number; maxRssBytes: number }> = [];
  const refresh: Array<{ ms: number; maxRssBytes: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    progress(`P4: ExcelJS read + write passthrough (${i + 1}/${RUNS})`);
    pass.push(await runChild('passthrough', file, join(dir, 'passthrough.xlsx')));
    progress(`P4: scorecard refresh (${i + 1}/${RUNS})`);
    refresh.push(await runChild('refresh', file, join(dir, 'refreshed.xlsx')));
  }
  return {
    refreshMs: median(refresh.map((r) => r.ms)), passMs: median(pass.map((r) => r.ms)),
    refreshRss: median(refresh.map((r) => r.maxRssBytes)), passRss: median(pass.map((r) => r.maxRssBytes)),
    outBytes: statSync(join(dir, 'refreshed.xlsx')).size,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// P5: the task pane's JavaScript and its time to ready in headless Chromium
// ---------------------------------------------------------------------------------------------------------------

async function measureP5(dir: string): Promise<{ gzipBytes: number; scripts: string[]; readyMs: number }> {
  const { buildProduction, buildShim } = await import('../test/support/browser/build');
  const { serveDirectory } = await import('../test/support/browser/serve');
  const { seedWorkbook } = await import('../test/support/browser/seed');
  const { chromium } = await import('playwright-core');
  progress('P5: building the add-in for production (webpack) and the office.js stand-in');
  const dist = join(dir, 'dist');
  const [, shimPath] = await Promise.all([buildProduction(dist), buildShim(join(dir, 'shim'))]);
  const html = readFileSync(join(dist, 'taskpane.html'), 'utf8');
  // The production page is minified: attribute values may lose their quotes.
  const scripts = [...html.matchAll(/<script\b[^>]*?\ssrc=(?:"([^"]+)"|'([^']+)'|([^\s>]+))/g)].map((m) => (m[1] ?? m[2] ?? m[3] ?? '').split('?')[0] ?? '')
    .filter((src) => !/^https?:/.test(src) && !/office\.js$/.test(src));
  const gzipBytes = scripts.reduce((n, src) => n + gzipSync(readFileSync(join(dist, src))).length, 0);
  const shim = readFileSync(shimPath, 'utf8');
  const server = await serveDirectory(dist);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  const times: number[] = [];
  try {
    const workbook = seedWorkbook(join(ROOT, 'test', 'fixtures', 'seeds', '000_c181ff5ffa342356.tsv'), 'Report');
    for (let i = 0; i < PANE_LOADS; i++) {
      progress(`P5: loading the pane in Chromium (${i + 1}/${PANE_LOADS})`);
      const context = await browser.newContext({ viewport: { width: 340, height: 900 }, locale: 'en-GB' });
      await context.route('**/*', async (route) => {
        const url = route.request().url();
        if (url === OFFICE_JS) await route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: shim });
        else if (new URL(url).hostname === '127.0.0.1') await route.continue();
        else await route.abort('blockedbyclient');
      });
      await context.addInitScript((c) => {
        (window as unknown as { __SHIM_CONFIG__: unknown }).__SHIM_CONFIG__ = c;
      }, { workbook });
      const page = await context.newPage();
      const t0 = Date.now();
      await page.goto(`${server.url}taskpane.html`);
      await page.waitForSelector('#pane[aria-busy="false"]', { timeout: 30_000 });
      times.push(Date.now() - t0);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return { gzipBytes, scripts, readyMs: median(times) };
}

// ---------------------------------------------------------------------------------------------------------------

function add(key: string, what: string, value: string, goal: string, met: boolean | null): void {
  lines.push({ key, what, value, goal, met });
}

/** Runs one step; a step that fails is shown as failed, with its reason, and the run goes on. */
async function step(keys: readonly string[], goal: string, figures: Record<string, Figure>, run: () => Promise<void>): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((k) => k.trim().toUpperCase());
  if (only !== undefined && !keys.some((k) => only.includes(k))) return;
  try {
    await run();
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
    progress(`${keys.join(', ')} failed: ${reason}`);
    for (const key of keys) {
      add(key, 'could not be measured', `failed: ${reason.slice(0, 44)}`, goal, false);
      figures[key] = { value: { error: reason }, goal, met: false };
    }
  }
}

function printTable(title: string): void {
  const widths = [6, 58, 44, 22];
  const row = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' ').trimEnd();
  process.stdout.write(`\n${title}\n${row(['key', 'what', 'value', 'goal'])}  met\n${'-'.repeat(136)}\n`);
  for (const l of lines) process.stdout.write(`${row([l.key, l.what, l.value, l.goal])}  ${l.met === null ? '' : l.met ? 'yes' : 'NO'}\n`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-bench-'));
  const figures: Record<string, Figure> = {};
  let fileGrowth: { out: number; in: number } | null = null;
  try {
    let p1: Awaited<ReturnType<typeof measureP1>> | null = null;
    await step(['P1', 'P2', 'P6'], 'see the issue', figures, async () => {
      p1 = await measureP1();
    });
    if (p1 !== null) {
      const { runs, small, large, largeRows, p6 } = p1 as Awaited<ReturnType<typeof measureP1>>;
      for (const r of runs) {
        const what = `syncs, ${r.sheets} sheet${r.sheets === 1 ? '' : 's'} × ${count(r.rows)} rows (${r.seconds} s)`;
        const value = r.error !== null ? `failed: ${r.error.slice(0, 60)}` : `${r.syncs} syncs, ${megabytes(r.bytesPerSync)}/sync (max ${megabytes(r.maxSyncBytes)})`;
        add('P1', what, value, `≤ ${r.goal} (3 + 1 per 5 MB)`, r.met);
      }
      figures.P1 = { value: runs, goal: 'syncs ≤ 3 + one per whole 5 MB of request and response bytes; no sync over 5 MB; the refresh succeeds', met: runs.every((r) => r.met) };

      const rulesSmall = small === null ? null : rulesPerOutputColumn(small);
      const rulesLarge = large === null ? null : rulesPerOutputColumn(large);
      add('P2', 'conditional-format rules per output column, 100 rows', String(rulesSmall), '≤ 4', rulesSmall !== null && rulesSmall <= 4);
      add('P2', `conditional-format rules per output column, ${count(largeRows)} rows`, String(rulesLarge), '≤ 4', rulesLarge !== null && rulesLarge <= 4);
      figures.P2 = {
        value: { rows100: rulesSmall, [`rows${largeRows}`]: rulesLarge }, goal: '≤ 4 rules per output column',
        met: rulesSmall !== null && rulesLarge !== null && rulesSmall <= 4 && rulesLarge <= 4,
      };

      const overhead = p6 === null ? null : writeOverhead(p6);
      const plan6 = p6?.plan ?? null;
      const perRow = plan6 === null ? null : formulaBytesPerRow(plan6);
      add('P6', `request bytes written / bytes of the new cells, ${count(P6_ROWS)} rows`, overhead === null ? 'refresh failed' : `${overhead.toFixed(2)}×`, '≤ 1.25×', overhead !== null && overhead <= 1.25);
      add('P6', `formula bytes per judged row (${plan6 === null ? '?' : count(judgedRows(plan6))} rows)`, perRow === null ? 'refresh failed' : perRow.toFixed(0), '≤ 600', perRow !== null && perRow <= 600);
      figures.P6 = {
        value: { writeOverhead: overhead === null ? null : Number(overhead.toFixed(3)), formulaBytesPerRow: perRow === null ? null : Math.round(perRow), rows: P6_ROWS },
        goal: '≤ 1.25× the new cells\' bytes, ≤ 600 formula bytes per judged row',
        met: overhead !== null && overhead <= 1.25 && perRow !== null && perRow <= 600,
      };
    }

    // The P3 / P4 workbook, as a file
    const book = generateWorkbook({ rows: ROWS, seed: 11 });
    const file = join(dir, `synthetic-${ROWS}.xlsx`);
    await toExcelJs(book).xlsx.writeFile(file);

    await step(['P3'], '≤ 0.3', figures, async () => {
      const p3 = await measureP3(file);
      const ratio = p3.engineMs / p3.readMs;
      add('P3', `engine (detect + evaluate + plan) / ExcelJS read, ${count(ROWS)} rows`, `${ratio.toFixed(2)} (${seconds(p3.engineMs)} / ${seconds(p3.readMs)})`, '≤ 0.3', ratio <= 0.3);
      figures.P3 = { value: { ratio: Number(ratio.toFixed(3)), engineSeconds: p3.engineMs / 1000, readSeconds: p3.readMs / 1000, rows: ROWS, runs: RUNS }, goal: '≤ 0.3', met: ratio <= 0.3 };
    });

    await step(['P4', 'P4 (memory)'], '≤ 1.5×, ≤ 2× memory', figures, async () => {
      const p4 = await measureP4(file, dir);
      const ratio = p4.refreshMs / p4.passMs;
      const rss = p4.refreshRss / p4.passRss;
      add('P4', `scorecard refresh / ExcelJS read + write, ${count(ROWS)} rows`, `${ratio.toFixed(2)}× (${seconds(p4.refreshMs)} / ${seconds(p4.passMs)})`, '≤ 1.5×', ratio <= 1.5);
      add('P4', 'peak RSS of refresh / of the passthrough', `${rss.toFixed(2)}× (${megabytes(p4.refreshRss)} / ${megabytes(p4.passRss)})`, '≤ 2×', rss <= 2);
      figures.P4 = {
        value: { ratio: Number(ratio.toFixed(3)), refreshSeconds: p4.refreshMs / 1000, passthroughSeconds: p4.passMs / 1000, rows: ROWS, runs: RUNS },
        goal: '≤ 1.5×', met: ratio <= 1.5,
      };
      figures['P4 (memory)'] = { value: { ratio: Number(rss.toFixed(3)), refreshBytes: p4.refreshRss, passthroughBytes: p4.passRss }, goal: '≤ 2×', met: rss <= 2 };
      fileGrowth = { out: p4.outBytes, in: statSync(file).size };
    });
    if (fileGrowth !== null) {
      const g = fileGrowth as { out: number; in: number };
      add('P6', '.xlsx written by refresh / the input file', `${(g.out / g.in).toFixed(2)}× (${megabytes(g.out)} / ${megabytes(g.in)})`, '(shown only)', null);
    }

    if (process.env.BENCH_SKIP_PANE === '1' && process.env.BENCH_ONLY === undefined) {
      add('P5', 'task pane (left out: BENCH_SKIP_PANE=1)', '', '≤ 150 KB, < 1 s', null);
    } else {
      await step(['P5'], '≤ 150 KB gzipped, ready < 1 s', figures, async () => {
        const p5 = await measureP5(dir);
        add('P5', `task-pane JavaScript, gzipped (${p5.scripts.length} files, office.js excluded)`, `${(p5.gzipBytes / 1024).toFixed(1)} KB`, '≤ 150 KB', p5.gzipBytes <= 150 * 1024);
        add('P5', `time until the pane is ready, headless Chromium (median of ${PANE_LOADS})`, `${p5.readyMs} ms`, '< 1 s', p5.readyMs < 1000);
        figures.P5 = {
          value: { gzipKB: Number((p5.gzipBytes / 1024).toFixed(1)), scripts: p5.scripts, readyMs: p5.readyMs },
          goal: '≤ 150 KB gzipped, ready < 1 s', met: p5.gzipBytes <= 150 * 1024 && p5.readyMs < 1000,
        };
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const order = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6'];
  lines.sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
  const title = `Scorecard Refresh benchmarks — ${machine()} — ${new Date().toISOString().slice(0, 10)} — ${((Date.now() - started) / 1000).toFixed(0)} s`;
  printTable(title);
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const ordered = Object.fromEntries(['P1', 'P2', 'P3', 'P4', 'P4 (memory)', 'P5', 'P6'].filter((k) => figures[k] !== undefined).map((k) => [k, figures[k]]));
  writeFileSync(join(ROOT, 'out', 'bench.json'), `${JSON.stringify({ machine: machine(), ...ordered }, null, 2)}\n`);
  process.stdout.write('\nWrote out/bench.json\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exitCode = 1;
});
