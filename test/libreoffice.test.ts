/**
 * LibreOffice agrees: a second spreadsheet engine recalculates the refreshed workbooks (cached results
 * removed first) and every visible cell of every block (Latest, Variance, Variance %, Status, Trend) must equal
 * the engine's verdict for the row: the seeds, the bundled example, the edge-case rows and the awkward rows.
 * Needs LibreOffice Calc (soffice) and pdftoppm: the tests fail, saying so, where they are missing.
 */
import { execFileSync } from 'child_process';
import * as ExcelJS from 'exceljs';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { cellAddress, EvaluatedRow, planPrint, planRefresh, STATUS_TEXT, TREND_TEXT, WritePlan } from '../src/engine';
import { MOVEMENT_ARROWS, STATUS_VOCABULARY, TREND_VOCABULARY, Verdict } from '../src/engine/rules/vocabulary';
import { RuleValue } from '../src/engine/rules';
import { applyPlanToWorkbook, snapshotWithNames } from '../src/xlsx/apply';
import { refreshWorkbook } from '../src/xlsx/refresh';
import { FIXTURES, SEEDS } from './support/acceptance';
import { buildTypedWorkbook } from './support/excel-typing';
import { buildExampleWorkbook } from './support/example-workbook';
import { AWKWARD_SHEETS, convertWithLibreOffice, requireSoffice } from './support/libreoffice';
import { rulesOf } from './support/workbook-dump';

const ARTIFACTS = join(__dirname, 'artifacts');
const work = mkdtempSync(join(tmpdir(), 'scorecard-lo-test-'));

interface Case {
  readonly name: string;
  readonly plan: WritePlan;
  readonly recalculated: ExcelJS.Workbook;
  readonly shown: ShownCell[][];
}

/** Removes every cached formula result, so only a recalculation can fill them. */
function withoutCachedResults(wb: ExcelJS.Workbook): void {
  wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => {
    if (cell.formula) cell.value = { formula: cell.formula } as ExcelJS.CellFormulaValue;
  })));
}

/** Tables whose rows are hard to get right in formulas: percentages typed as bare numbers, a unit mismatch, strict bounds, ranges. */
function edgeCaseWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Report');
  const pct = (n: number, fmt = '0%'): { n: number; fmt: string } => ({ n, fmt });
  const rows: Array<Array<string | number | { n: number; fmt: string } | null>> = [
    ['Measure', 'Target', '2015/16', '2016/17', 'Polarity'],
    ['% of visits on time (pasted)', '85%', '70', '80', 'Greater is better'],
    ['% of visits on time (typed)', pct(0.85), 70, 80, 'Greater is better'],
    ['Number of children in care', '287', '250', '90%', 'Lower is better'],
    ['% of schools good or better', '>85%', pct(0.8), pct(0.85), 'Greater is better'],
    ['Caseload per social worker', '16 - 18', '21', '17', ''],
    ['Caseload per team leader', '16 - 18', '15', '19', 'Goldilocks'],
    ['% of families referred again', '20% reduction', '6.0%', '4.9%', ''],
    ['Average days to complete', '<20', '22.4', '22.4', 'Lower is better'],
    ['Complaints upheld', '0', '3', '1', ''],
    ['% on target, one-sided', '>85%', pct(0.9), pct(0.95), 'Goldilocks'],
    ['Average class size', '25', '27', '24', 'Goldilocks'],
    ['% of calls answered (target typed bare)', 85, pct(0.8), pct(0.9), 'Greater is better'],
    ['% of calls answered (target as text)', '>85', '80%', '84%', ''],
  ];
  rows.forEach((r, i) => r.forEach((v, c) => {
    if (v === null) return;
    const cell = ws.getCell(i + 1, c + 1);
    if (typeof v === 'object') { cell.value = v.n; cell.numFmt = v.fmt; } else cell.value = v;
  }));
  return wb;
}

/** The awkward rows, one sheet a shape. */
function awkwardWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  for (const sheet of AWKWARD_SHEETS) {
    const ws = wb.addWorksheet(sheet.name);
    sheet.rows.forEach((r, i) => r.forEach((v, c) => {
      if (v === null) return;
      const cell = ws.getCell(i + 1, c + 1);
      if (typeof v === 'object') { cell.value = v.n; cell.numFmt = v.fmt; } else cell.value = v;
    }));
  }
  return wb;
}

function seedWorkbook(seed: string): ExcelJS.Workbook {
  return buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${seed}.tsv`), 'utf8'), 'Report');
}

const cases: Case[] = [];
let editedPlan: WritePlan | undefined;
let edited: ExcelJS.Workbook | undefined;

beforeAll(async () => {
  requireSoffice();
  const inputs: Array<{ name: string; plan: WritePlan; path: string }> = [];
  for (const seed of SEEDS) {
    const wb = seedWorkbook(seed);
    const plan = refreshWorkbook(wb);
    withoutCachedResults(wb);
    const path = join(work, `${seed}.xlsx`);
    await wb.xlsx.writeFile(path);
    inputs.push({ name: seed, plan, path });
  }
  const more: Array<[string, ExcelJS.Workbook]> = [['edge-cases', edgeCaseWorkbook()], ['awkward-rows', awkwardWorkbook()], ['example', buildExampleWorkbook()]];
  for (const [name, wb] of more) {
    const plan = refreshWorkbook(wb);
    withoutCachedResults(wb);
    const path = join(work, `${name}.xlsx`);
    await wb.xlsx.writeFile(path);
    inputs.push({ name, plan, path });
  }
  // The same seed with a target edited in place after the refresh: the sheet must re-judge it by itself.
  const wb = seedWorkbook(SEEDS[0]);
  editedPlan = refreshWorkbook(wb);
  (wb.getWorksheet('Report') as ExcelJS.Worksheet).getCell('B31').value = 310;
  withoutCachedResults(wb);
  const editedPath = join(work, 'edited.xlsx');
  await wb.xlsx.writeFile(editedPath);

  const outDir = join(work, 'out');
  mkdirSync(outDir, { recursive: true });
  convertWithLibreOffice([...inputs.map((i) => i.path), editedPath], 'xlsx', outDir);
  const htmlDir = join(work, 'html');
  mkdirSync(htmlDir, { recursive: true });
  convertWithLibreOffice(inputs.map((i) => i.path), 'html', htmlDir);
  for (const i of inputs) {
    const out = new ExcelJS.Workbook();
    await out.xlsx.readFile(join(outDir, `${i.name}.xlsx`));
    cases.push({ name: i.name, plan: i.plan, recalculated: out, shown: shownCells(readFileSync(join(htmlDir, `${i.name}.html`), 'utf8')) });
  }
  edited = new ExcelJS.Workbook();
  await edited.xlsx.readFile(join(outDir, 'edited.xlsx'));
});

/** A cell as LibreOffice shows it: its text and the fill its conditional formats gave it (RRGGBB, or null). */
interface ShownCell {
  readonly text: string;
  readonly fill: string | null;
}

/** The visible cells of the first sheet of LibreOffice's HTML export, row by row. */
function shownCells(html: string): ShownCell[][] {
  const sheet = /<table[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
  const decode = (t: string): string => t.replace(/<[^>]+>/g, '').replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();
  return [...sheet.matchAll(/<tr[\s\S]*?<\/tr>/g)].map(([row]) => [...row.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)]
    .map((m) => ({ text: decode(m[2] ?? ''), fill: /bgcolor="#([0-9A-Fa-f]{6})"/.exec(m[1] ?? '')?.[1]?.toUpperCase() ?? null })));
}

function resultAt(wb: ExcelJS.Workbook, row: number, col: number, sheet = 'Report'): unknown {
  const cell = (wb.getWorksheet(sheet) as ExcelJS.Worksheet).getRow(row + 1).getCell(col + 1);
  const v = cell.value as unknown;
  if (v !== null && typeof v === 'object' && 'formula' in (v as object)) return cell.result ?? null;
  return v;
}

/** A cell as the engine's rules computed it: a number, a text, or "" for an empty result. */
function expected(v: RuleValue | undefined): unknown {
  if (v === undefined) return '';
  return v.kind === 'number' || v.kind === 'text' ? v.value : v.kind === 'blank' ? '' : v;
}

/** Equal as the sheet shows it: numbers to 9 significant digits, "" and an empty cell alike. */
function agrees(got: unknown, want: unknown): boolean {
  const g = got ?? '';
  if (typeof g === 'number' && typeof want === 'number') return Math.abs(g - want) <= 1e-9 * Math.max(1, Math.abs(want));
  return g === want;
}

const VISIBLE = ['latest', 'variance', 'variancePct', 'status', 'trend'] as const;

/** Compares every visible block cell of every row; returns the disagreements and the number of cells compared. */
function compare(c: Case): { cells: number; rows: number; wrong: string[] } {
  const wrong: string[] = [];
  let cells = 0;
  let rows = 0;
  for (const block of c.plan.blocks) {
    const table = c.plan.evaluation.tables.find((t) => t.table.range === block.tableRange && t.table.sheet === block.sheet);
    for (const row of table?.rows ?? []) {
      rows++;
      for (const k of VISIBLE) {
        cells++;
        const got = resultAt(c.recalculated, row.row, block.columns[k], block.sheet);
        const want = expected(row.block[k]);
        if (!agrees(got, want)) wrong.push(`${block.sheet}!${block.title ?? block.tableRange} row ${row.row + 1} ${k}: sheet ${JSON.stringify(got)}, engine ${JSON.stringify(want)}`);
      }
    }
  }
  return { cells, rows, wrong };
}

/** The verdict the row's status and trend cells must say: the pane's words, the trend's arrow the way the value moved. */
function verdictText(row: EvaluatedRow): { status: string; trend: string } {
  const words = TREND_TEXT[row.trend];
  if ((row.trend !== 'improving' && row.trend !== 'worsening') || row.shape.kind === 'ratings') return { status: expected(row.block.status) as string, trend: words };
  const { latest, previous, change } = row.block;
  const moved = row.shape.kind === 'budget' ? (change?.kind === 'number' ? change.value : 0)
    : latest?.kind === 'number' && previous?.kind === 'number' ? latest.value - previous.value : 0;
  return { status: expected(row.block.status) as string, trend: `${MOVEMENT_ARROWS[moved > 0 ? 'up' : 'down']}${words.slice(1)}` };
}

describe('LibreOffice recalculates the refreshed workbooks to the engine\'s verdicts', () => {
  it.each([...SEEDS, 'edge-cases', 'awkward-rows', 'example'])('agrees on every visible block cell of %s', (name) => {
    const c = cases.find((x) => x.name === name) as Case;
    const result = compare(c);
    // The figures of this run, for the note.
    process.stdout.write(`LibreOffice, ${name}: ${result.cells - result.wrong.length}/${result.cells} cells agree over ${result.rows} rows\n`);
    expect(result.wrong).toEqual([]);
    expect(result.rows).toBeGreaterThan(name === 'edge-cases' ? 8 : name === 'awkward-rows' ? 25 : 20);
  });

  it.each([...SEEDS, 'edge-cases', 'awkward-rows', 'example'])('shows the pane\'s status word and trend on every row of %s', (name) => {
    const c = cases.find((x) => x.name === name) as Case;
    for (const block of c.plan.blocks) {
      const table = c.plan.evaluation.tables.find((t) => t.table.range === block.tableRange && t.table.sheet === block.sheet);
      for (const row of table?.rows ?? []) {
        const where = `${block.sheet} row ${row.row + 1}`;
        const { status, trend } = verdictText(row);
        if (row.status === 'none') expect([where, status.startsWith('○')]).toEqual([where, true]);
        else expect([where, status]).toEqual([where, STATUS_TEXT[row.status]]);
        expect([where, resultAt(c.recalculated, row.row, block.columns.trend, block.sheet) ?? '']).toEqual([where, trend]);
      }
    }
  });

  it('re-judges a row when its target is edited in place, without the add-in', () => {
    const block = editedPlan?.blocks.find((b) => b.title === 'Indicators');
    expect(block).toBeDefined();
    // Row 31: 303 against a maximum of 287 was red; against 310 it is green.
    expect(resultAt(edited as ExcelJS.Workbook, 30, block?.columns.status ?? 0)).toBe('● Green');
    expect(resultAt(edited as ExcelJS.Workbook, 30, block?.columns.variance ?? 0)).toBe(-7);
  });

  it('keeps the conditional formats on the status cells through LibreOffice\'s save', () => {
    const c = cases.find((x) => x.name === SEEDS[0]) as Case;
    const block = c.plan.blocks.find((b) => b.title === 'Indicators');
    const letter = String.fromCharCode(65 + (block?.columns.status ?? 0));
    const refs = rulesOf(c.recalculated.getWorksheet('Report') as ExcelJS.Worksheet).map((r) => r.ref);
    expect(refs.some((ref) => ref.includes(`${letter}25:${letter}32`))).toBe(true);
  });

  it.each([...SEEDS, 'example'])('colours the status and trend cells of every table of %s by their own row, through rules its stacked tables share', (name) => {
    const c = cases.find((x) => x.name === name) as Case;
    // The default traffic lights; grey for a status that is no verdict; a trend that is no verdict stays unfilled.
    const fills: Record<Verdict, string | null> = { green: 'C6EFCE', amber: 'FFEB9C', red: 'FFC7CE', none: 'EDEDED' };
    const statusWords = new Map(Object.values(STATUS_VOCABULARY).map((e) => [`${e.shape} ${e.word}`, e.verdict]));
    const trendWords = new Map<string, Verdict>(Object.values(TREND_VOCABULARY).filter((e) => e.word !== '').flatMap((e) => ['↑', '↓', '→', '↔'].map((a) => [`${a} ${e.word}`, e.verdict] as const)));
    const wrong: string[] = [];
    let status = 0;
    let trend = 0;
    c.shown.forEach((row, r) => row.forEach((cell) => {
      const s = statusWords.get(cell.text);
      const t = trendWords.get(cell.text);
      if (s !== undefined) {
        status++;
        if (cell.fill !== fills[s]) wrong.push(`row ${r + 1}: "${cell.text}" filled ${cell.fill ?? 'none'}`);
      } else if (t !== undefined) {
        trend++;
        if (cell.fill !== (t === 'none' ? null : fills[t])) wrong.push(`row ${r + 1}: "${cell.text}" filled ${cell.fill ?? 'none'}`);
      }
    }));
    const judged = c.plan.evaluation.tables.filter((t) => t.table.sheet === c.plan.blocks[0]?.sheet).reduce((n, t) => n + t.rows.length, 0);
    expect(status).toBe(judged);
    expect(trend).toBeGreaterThan(0);
    expect(wrong).toEqual([]);
    // The tables stacked in the block's columns share each rule: there are fewer rules than tables times tests.
    const stacked = c.plan.blocks.filter((b) => b.sheet === c.plan.blocks[0]?.sheet && b.left === c.plan.blocks[0]?.left).length;
    if (stacked > 1) expect(c.plan.rules.some((r) => r.range.split(' ').length === stacked)).toBe(true);
  });

  it('renders the refreshed seed 000 Indicators to a PNG kept as a test artefact', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    // Print the Indicators table with its scorecard columns on one landscape page.
    const wb = seedWorkbook(SEEDS[0]);
    refreshWorkbook(wb);
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    ws.getColumn(1).width = 46;
    ws.pageSetup = { ...ws.pageSetup, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
    for (let r = 1; r <= ws.rowCount; r++) if (r < 21 || r > 32) ws.getRow(r).hidden = true;
    for (let c = 16; c <= ws.columnCount; c++) ws.getColumn(c).hidden = true;
    const source = join(work, 'indicators.xlsx');
    await wb.xlsx.writeFile(source);
    convertWithLibreOffice([source], 'pdf', work);
    const pdf = join(work, 'indicators.pdf');
    expect(existsSync(pdf)).toBe(true);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '1', pdf, join(ARTIFACTS, 'seed-000-refreshed')]);
    const png = ['seed-000-refreshed-1.png', 'seed-000-refreshed-01.png'].map((f) => join(ARTIFACTS, f)).find((f) => existsSync(f));
    expect(png).toBeDefined();
    expect(statSync(png as string).size).toBeGreaterThan(5000);
  });

  it.each([...SEEDS, 'example'])('recalculates the summary sheet of %s to the counts, bars and exceptions the refresh cached', (name) => {
    const c = cases.find((x) => x.name === name) as Case;
    const summary = c.plan.summary;
    expect(summary).not.toBeNull();
    const wrong: string[] = [];
    let formulas = 0;
    for (const cell of summary?.cells ?? []) {
      if (cell.value.kind !== 'formula') continue;
      formulas++;
      const got = resultAt(c.recalculated, cell.row, cell.col, summary?.sheet);
      if (!agrees(got, cell.value.cached)) wrong.push(`${cellAddress(cell.row, cell.col)} ${cell.value.formula}: LibreOffice ${JSON.stringify(got)}, cached ${JSON.stringify(cell.value.cached)}`);
    }
    expect(formulas).toBeGreaterThan(8);
    expect(wrong).toEqual([]);
  });

  it('renders the refreshed demo\'s summary sheet and a printed page of its scorecard, kept as test artefacts', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const wb = buildExampleWorkbook();
    const plan = refreshWorkbook(wb);
    const source = join(work, 'demo.xlsx');
    await wb.xlsx.writeFile(source);
    convertWithLibreOffice([source], 'pdf', work);
    const pdf = join(work, 'demo.pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBeGreaterThan(1);
    // The summary is the last sheet and prints on one page wide: its last page.
    execFileSync('pdftoppm', ['-png', '-r', '110', '-singlefile', '-f', String(pages), '-l', String(pages), pdf, join(ARTIFACTS, 'summary')]);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-singlefile', '-f', '1', '-l', '1', pdf, join(ARTIFACTS, 'printed-page')]);
    for (const f of ['summary.png', 'printed-page.png']) expect(statSync(join(ARTIFACTS, f)).size).toBeGreaterThan(5000);
    expect(plan.summary?.sheet).toBe(wb.worksheets[wb.worksheets.length - 1]?.name);
  });

  it('prints a measure and its status on the same page with Fit to page width, and on different pages without it; the fitted page kept as a test artefact', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const fitted = buildExampleWorkbook();
    const plan = planRefresh(snapshotWithNames(fitted));
    applyPlanToWorkbook(fitted, plan, { print: planPrint(plan) });
    const plain = buildExampleWorkbook();
    refreshWorkbook(plain);
    const files = { fitted: join(work, 'demo-fit-to-width.xlsx'), plain: join(work, 'demo-own-page-setup.xlsx') };
    await fitted.xlsx.writeFile(files.fitted);
    await plain.xlsx.writeFile(files.plain);
    convertWithLibreOffice([files.fitted, files.plain], 'pdf', work);
    /** The text of each printed page of a PDF. */
    const pagesOf = (pdf: string): string[] => {
      const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
      return Array.from({ length: count }, (_, i) => execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), '-layout', pdf, '-'], { encoding: 'utf8' }));
    };
    // Indicators row 10: "Decrease the number of children requiring accommodation…", 303 against at most 287, Red.
    const measure = 'Decrease the number of children requiring';
    const fittedPages = pagesOf(join(work, 'demo-fit-to-width.pdf'));
    const plainPages = pagesOf(join(work, 'demo-own-page-setup.pdf'));
    const fittedPage = fittedPages.findIndex((t) => t.includes(measure));
    const plainPage = plainPages.findIndex((t) => t.includes(measure));
    expect(fittedPage).toBeGreaterThanOrEqual(0);
    expect(plainPage).toBeGreaterThanOrEqual(0);
    const line = (text: string): string => text.split('\n').find((l) => l.includes(measure)) ?? '';
    expect(line(fittedPages[fittedPage] ?? '')).toMatch(/■ Red/);
    expect(plainPages[plainPage]).not.toMatch(/■ Red|● Green/);
    expect(fittedPages.length).toBeLessThan(plainPages.length);
    execFileSync('pdftoppm', ['-png', '-r', '80', '-singlefile', '-f', String(fittedPage + 1), '-l', String(fittedPage + 1), join(work, 'demo-fit-to-width.pdf'), join(ARTIFACTS, 'printed-page-fit-to-width')]);
    expect(statSync(join(ARTIFACTS, 'printed-page-fit-to-width.png')).size).toBeGreaterThan(5000);
  });
});
