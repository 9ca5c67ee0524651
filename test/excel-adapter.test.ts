import * as ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { join } from 'path';
import {
  BLOCK_COLUMNS, cellAddress, CellSnapshot, isWordListName, LEDGER_SHEET, parseCellAddress, parseReference, planPrint, planRefresh, rangeRects, rectWithin, moveFormulaRows, SUMMARY_NAME, SUMMARY_SHEET, WorkbookSnapshot, withoutOwnBlocks,
} from '../src/engine';
import { charsToPoints, FormatPiece, formatPieces, needsTextPrefix, packSteps, SUMMARY_CHART_NAME, textInput, utf8Length } from '../src/excel/apply';
import { MIN_SPLIT_ROOM, PAYLOAD_LIMIT_BYTES, SyncCounter, toRefreshError } from '../src/excel/host';
import {
  checkRequirements, DEFAULT_OPTIONS, detectScorecard, loadOptions, openScorecard, OPTIONS_KEY, RefreshError, RefreshSummary, refreshScorecard,
  removeScorecard, runExclusive, saveOptions, ScorecardOptions, selectCell, startWatch,
} from '../src/excel';
import { parseOptions } from '../src/excel/settings';
import { apparentMerges, HEAD_COLUMNS, HEAD_ROWS, MEASURED_SHEETS, readWorkbook, SHEET_CELL_BUDGET } from '../src/excel/snapshot';
import { describeError } from '../src/ui/notify';
import { applyPlanToWorkbook, snapshotWithNames } from '../src/xlsx/apply';
import { refreshWorkbook } from '../src/xlsx/refresh';
import { FIXTURES, SEEDS } from './support/acceptance';
import { comparableFromEmulator, comparableFromExcelJs } from './support/compare-workbooks';
import { emulatorInitFromExcelJs } from './support/emulator-from-exceljs';
import {
  createExcelEmulator as createBareEmulator, EmulatedCell, EmulatedWorkbookInit, ExcelEmulator, ExcelEmulatorOptions, WorkbookDump,
} from './support/excel-emulator';
import { buildTypedWorkbook } from './support/excel-typing';

const [SEED_000, SEED_004] = SEEDS;

function typedSeed(seed: string): ExcelJS.Workbook {
  return buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${seed}.tsv`), 'utf8'), 'Report');
}

// Each emulator stands in for the Office host too: `Office.context.requirements` answers as it supports.
let restoreOffice: (() => void) | undefined;
afterEach(() => {
  restoreOffice?.();
  restoreOffice = undefined;
});

function createExcelEmulator(init: EmulatedWorkbookInit, options: ExcelEmulatorOptions = {}): ExcelEmulator {
  const emulator = createBareEmulator(init, options);
  restoreOffice?.();
  restoreOffice = emulator.installOffice();
  return emulator;
}

function emulatorOf(wb: ExcelJS.Workbook, options: ExcelEmulatorOptions = {}): ExcelEmulator {
  return createExcelEmulator(emulatorInitFromExcelJs(wb), options);
}

async function readWith(emulator: ExcelEmulator): Promise<WorkbookSnapshot> {
  return emulator.run(async (context: Excel.RequestContext) => (await readWorkbook(context, new SyncCounter(context))).snapshot);
}

/**
 * What the conditional formats of a sheet do, area by area: each area with its colour and its test written against
 * the area's own top row, sorted. Two sheets whose rules colour the same cells alike give the same list, however
 * the rules are shared among areas.
 */
function rulesByArea(dump: WorkbookDump, sheet = 0): string[] {
  return (dump.sheets[sheet]?.conditionalFormats ?? []).flatMap((cf) => {
    const areas = rangeRects('S', cf.range) ?? [];
    const top = areas[0]?.top ?? 0;
    return areas.map((a) => `${cellAddress(a.top, a.left)}:${cellAddress(a.bottom, a.right)} ${cf.fill ?? ''} ${moveFormulaRows(cf.formula ?? '', a.top - top) ?? 'off the sheet'}`);
  }).sort();
}

/** The cell of a named block column on a given 1-based row, e.g. ('TargetAsRead', 29) → "J29". */
function blockCell(dump: WorkbookDump, column: string, row: number): string {
  for (const n of dump.names.filter((x) => x.name.endsWith(`_${column}`))) {
    const r = parseReference(n.reference);
    if (r && r.top <= row - 1 && r.bottom >= row - 1) return cellAddress(row - 1, r.left);
  }
  throw new Error(`no ${column} column covers row ${row}`);
}

function rowOf(summary: RefreshSummary, title: string, row: number): RefreshSummary['tables'][number]['rows'][number] | undefined {
  return summary.tables.find((t) => t.title === title)?.rows.find((r) => r.row === row);
}

/** A sheet's cells for a generated KPI table of `rows` measures under a title and a header row. */
function kpiCells(rows: number): Record<string, EmulatedCell> {
  const cells: Record<string, EmulatedCell> = {
    A1: { value: 'Indicators' },
    A2: { value: 'Performance Measure' }, B2: { value: 'Target 2016/17' }, C2: { value: '2015/16' }, D2: { value: '2016/17' }, E2: { value: 'Polarity' },
  };
  for (let i = 0; i < rows; i++) {
    const r = i + 3;
    cells[`A${r}`] = { value: `Measure number ${i + 1}` };
    cells[`B${r}`] = { value: 50 + (i % 40) };
    cells[`C${r}`] = { value: 40 + (i % 30) };
    cells[`D${r}`] = { value: 45 + (i % 35) };
    cells[`E${r}`] = { value: i % 2 ? 'Greater is better' : 'Lower is better' };
  }
  return cells;
}

function maxRequestBytes(emulator: ExcelEmulator): number {
  return Math.max(...emulator.syncPayloads.map((p) => p.requestBytes));
}

function maxResponseBytes(emulator: ExcelEmulator): number {
  return Math.max(...emulator.syncPayloads.map((p) => p.responseBytes));
}

/** Waits until `predicate` holds, or fails after `ms`. */
async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The dump with the ids of the ledger and summary sheets left out: a removal deletes the ledger and the next refresh
 * adds a new one, and every refresh replaces the summary sheet with a new one.
 */
function withoutLedgerId(dump: WorkbookDump): WorkbookDump {
  return { ...dump, sheets: dump.sheets.map((s) => (s.name === LEDGER_SHEET || s.name === SUMMARY_SHEET ? { ...s, id: '' } : s)) };
}

/** The snapshot with its defined names in name order (the order names were added in is the adapter's own). */
function namesSorted(snapshot: WorkbookSnapshot): WorkbookSnapshot {
  return { ...snapshot, names: [...(snapshot.names ?? [])].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** The names a file refresh writes too: all but the one that marks the summary's chart, which only Excel draws. */
function withoutChartName<T extends { readonly names?: ReadonlyArray<{ readonly name: string }> }>(workbook: T): T {
  return { ...workbook, names: (workbook.names ?? []).filter((n) => n.name !== SUMMARY_CHART_NAME) };
}

function withoutColumnLayout(dump: WorkbookDump): WorkbookDump {
  return { ...dump, sheets: dump.sheets.map((s) => ({ ...s, columnWidths: {}, hiddenColumns: [] })) };
}

/**
 * Read round trips of a one-sheet workbook: one where the sheet fits the active sheet's first rows and columns, read
 * with the measures (src/excel/snapshot.ts HEAD_ROWS × HEAD_COLUMNS); two otherwise.
 */
function readSyncsOf(wb: ExcelJS.Workbook): number {
  const ws = wb.worksheets[0] as ExcelJS.Worksheet;
  return ws.rowCount <= HEAD_ROWS && ws.columnCount <= HEAD_COLUMNS ? 1 : 2;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('reading the workbook', () => {
  it.each(SEEDS)('reads seed %s into the same snapshot as the file reader, in one sync where it fits the active sheet\'s first rows, two otherwise', async (seed) => {
    const wb = typedSeed(seed);
    const emulator = emulatorOf(wb);
    const snapshot = await readWith(emulator);
    expect(snapshot).toEqual(snapshotWithNames(wb));
    expect(emulator.syncCount).toBe(readSyncsOf(wb));
  });

  it.each(SEEDS)('reads a refreshed seed %s like the file reader, leaving out the blocks it wrote', async (seed) => {
    const file = typedSeed(seed);
    refreshWorkbook(file);
    const emulator = emulatorOf(typedSeed(seed));
    await refreshScorecard(emulator.run);
    const mine = await readWith(emulator);
    expect(namesSorted(withoutChartName(withoutOwnBlocks(mine)))).toEqual(namesSorted(withoutOwnBlocks(snapshotWithNames(file))));
  });

  it('reads text that looks like a formula as text, not as a formula', async () => {
    const emulator = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: '=HYPERLINK("http://x","y")' }, A2: { value: 3, formula: '=1+2' } } }] });
    const snapshot = await readWith(emulator);
    expect(snapshot.sheets[0]?.rows[0]?.[0]).toEqual({ value: '=HYPERLINK("http://x","y")', numberFormat: 'General', text: '=HYPERLINK("http://x","y")' });
    expect(snapshot.sheets[0]?.rows[1]?.[0]).toEqual({ value: 3, formula: '1+2', numberFormat: 'General', text: '3' });
  });

  it('skips a sheet whose used range a stray value makes huge, with a notice naming it and the range, still in one read sync', async () => {
    const seed = emulatorInitFromExcelJs(typedSeed(SEED_004)).sheets[0];
    const stray: Record<string, EmulatedCell> = { ...kpiCells(3), Z200000: { value: 'x' } };
    const emulator = createExcelEmulator({ sheets: [{ name: 'Report', cells: seed?.cells ?? {} }, { name: 'Stray', cells: stray }] });
    expect(26 * 200_000).toBeGreaterThan(SHEET_CELL_BUDGET);
    const detected = await detectScorecard(emulator.run);
    // The active sheet (Report) is read with the measures; the stray sheet is measured and not read.
    expect(detected.syncs).toBe(1);
    expect(Math.max(...emulator.syncPayloads.map((p) => p.responseBytes))).toBeLessThan(200_000);
    expect(detected.tables.map((t) => t.sheet)).toEqual(['Report']);
    expect(detected.notices).toEqual([{
      sheet: 'Stray',
      cell: 'Z200000',
      message: expect.stringMatching(/^Sheet "Stray" was not read: its used range A1:Z200000 covers 5,200,000 cells, more than Scorecard Refresh reads from one sheet \(2,000,000\)\./),
    }]);
    emulator.resetCounters();
    const summary = await refreshScorecard(emulator.run);
    // One read, one write.
    expect(summary.syncs).toBe(2);
    expect(summary.notices.map((n) => n.sheet)).toEqual(['Stray']);
    expect(emulator.dump().sheets.find((s) => s.name === 'Stray')?.cells.G3).toBeUndefined();
  });

  it('reads a workbook of more sheets than the first sync measures in one more sync', async () => {
    const sheet = emulatorInitFromExcelJs(typedSeed(SEED_004)).sheets[0];
    const emulator = createExcelEmulator({ sheets: Array.from({ length: MEASURED_SHEETS + 5 }, (_, i) => ({ name: `Team ${i + 1}`, cells: sheet?.cells ?? {} })) });
    const summary = await detectScorecard(emulator.run);
    expect(summary.tables).toHaveLength(MEASURED_SHEETS + 5);
    expect(summary.syncs).toBe(3);
  });

  it('reads error values as errors', async () => {
    const emulator = createExcelEmulator({ sheets: [{ name: 'S', cells: { A1: { value: '#DIV/0!' }, A2: { value: 'DIV/0' } } }] });
    const rows = (await readWith(emulator)).sheets[0]?.rows;
    expect(rows?.[0]?.[0]?.value).toEqual({ error: '#DIV/0!' });
    expect(rows?.[1]?.[0]?.value).toBe('DIV/0');
  });
});

describe('refresh gives the same workbook as the file path', () => {
  it.each(SEEDS)('leaves seed %s with the cells, formats, rules, names and columns the .xlsx refresh writes', async (seed) => {
    const file = typedSeed(seed);
    refreshWorkbook(file);
    const emulator = emulatorOf(typedSeed(seed));
    await refreshScorecard(emulator.run);
    expect(withoutChartName(comparableFromEmulator(emulator.dump()))).toEqual(comparableFromExcelJs(file));
  });

  it('converts the plan\'s character widths to points the way Excel sizes columns', () => {
    expect(charsToPoints(8.43)).toBeCloseTo(48, 1);
    expect(charsToPoints(22)).toBe(119.25);
  });
});

describe('round trips', () => {
  it.each(SEEDS)('refreshes seed %s in its reads (one or two) and one write, each under 5 MB', async (seed) => {
    const wb = typedSeed(seed);
    const emulator = emulatorOf(wb);
    const summary = await refreshScorecard(emulator.run);
    expect(emulator.syncCount).toBe(readSyncsOf(wb) + 1);
    expect(summary.syncs).toBe(emulator.syncCount);
    expect(emulator.calculationSuspensions).toBe(1);
    expect(maxRequestBytes(emulator)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(emulator.enableEvents).toBe(true);
  });

  it('refreshes a workbook of 20 sheets in three syncs', async () => {
    const sheet = emulatorInitFromExcelJs(typedSeed(SEED_004)).sheets[0];
    const init: EmulatedWorkbookInit = { sheets: Array.from({ length: 20 }, (_, i) => ({ name: `Team ${i + 1}`, cells: sheet?.cells ?? {} })) };
    const emulator = createExcelEmulator(init);
    const summary = await refreshScorecard(emulator.run);
    expect(summary.tables).toHaveLength(20);
    expect(emulator.syncCount).toBe(3);
    emulator.resetCounters();
    await refreshScorecard(emulator.run);
    expect(emulator.syncCount).toBe(3);
  });

  it('refreshes a scorecard beside a 20,000-row data sheet in three syncs', async () => {
    const data: Record<string, EmulatedCell> = { A1: { value: 'Transaction' }, B1: { value: 'Cost centre' }, C1: { value: 'Narrative' } };
    for (let r = 2; r <= 20_001; r++) {
      data[`A${r}`] = { value: `TX-${r}` };
      data[`B${r}`] = { value: `CC${r % 97}` };
      data[`C${r}`] = { value: `Payment to supplier ${r % 311}` };
    }
    const seed = emulatorInitFromExcelJs(typedSeed(SEED_000)).sheets[0];
    const emulator = createExcelEmulator({ sheets: [{ name: 'Report', cells: seed?.cells ?? {} }, { name: 'Ledger data', cells: data }] });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.tables.map((t) => t.sheet)).toEqual(['Report', 'Report', 'Report', 'Report']);
    expect(emulator.syncCount).toBe(3);
    expect(maxResponseBytes(emulator)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  });

  it('reads a 20,000-row scorecard in two syncs and writes it in as few requests as 5 MB allows', async () => {
    const emulator = createExcelEmulator({ sheets: [{ name: 'Big', cells: kpiCells(20_000) }] });
    const detected = await detectScorecard(emulator.run);
    expect(detected.tables[0]?.rows).toHaveLength(20_000);
    expect(emulator.syncCount).toBe(2);
    emulator.resetCounters();
    const summary = await refreshScorecard(emulator.run);
    const writes = emulator.syncPayloads.slice(2);
    const bytes = writes.reduce((n, p) => n + p.requestBytes, 0);
    expect(summary.syncs).toBe(emulator.syncCount);
    expect(writes.length).toBe(Math.ceil(bytes / PAYLOAD_LIMIT_BYTES));
    expect(maxRequestBytes(emulator)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    expect(emulator.enableEvents).toBe(true);
    // A refresh reads around its own blocks, so refreshing again reads as little as the first time.
    const firstRead = emulator.syncPayloads[1]?.responseBytes ?? 0;
    emulator.resetCounters();
    await refreshScorecard(emulator.run);
    expect(emulator.syncPayloads[1]?.responseBytes).toBeLessThan(firstRead * 1.1);
  }, 300_000);

  it('refreshes a small scorecard beside a 12,000 × 15 numeric sheet, reading only the numeric sheet\'s first rows', async () => {
    const numbers: Record<string, EmulatedCell> = {};
    for (let r = 1; r <= 12_000; r++) {
      for (let c = 0; c < 15; c++) numbers[cellAddress(r - 1, c)] = { value: Math.round((r * 37.71 + c * 1.13) * 1000) / 1000 };
    }
    const seed = emulatorInitFromExcelJs(typedSeed(SEED_004)).sheets[0];
    const emulator = createExcelEmulator({ sheets: [{ name: 'Report', cells: seed?.cells ?? {} }, { name: 'Readings', cells: numbers }] });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.tables.map((t) => t.sheet)).toEqual(['Report']);
    // One sync to measure, one for the scorecard and the numeric sheet's head, one to write.
    expect(summary.syncs).toBe(3);
    expect(emulator.syncPayloads.every((p) => p.error === undefined)).toBe(true);
    expect(maxResponseBytes(emulator)).toBeLessThan(PAYLOAD_LIMIT_BYTES / 10);
  });

  it('reads a scorecard too large for one response in row bands, asking again in halves for a band heavier than its head', async () => {
    // Narratives are empty in the first rows and long below: the bands sized by the head come back too large at first.
    const cells = kpiCells(8_000);
    cells.F2 = { value: 'Narrative' };
    for (let r = 200; r <= 8_002; r++) cells[`F${r}`] = { value: `Narrative for measure ${r}: ${'performance held up against the profile. '.repeat(7)}` };
    const emulator = createExcelEmulator({ sheets: [{ name: 'Big', cells }] });
    const plain = utf8Length(JSON.stringify(Object.values(cells).map((c) => c.value)));
    expect(plain * 2).toBeGreaterThan(PAYLOAD_LIMIT_BYTES);
    const summary = await detectScorecard(emulator.run);
    expect(summary.tables[0]?.rows).toHaveLength(8_000);
    const refused = emulator.syncPayloads.filter((p) => p.error === 'ResponsePayloadSizeLimitExceeded');
    expect(refused.length).toBeGreaterThan(0);
    expect(summary.syncs).toBe(emulator.syncCount);
    expect(Math.max(...emulator.syncPayloads.filter((p) => p.error === undefined).map((p) => p.responseBytes))).toBeLessThan(PAYLOAD_LIMIT_BYTES);
    const snapshot = await readWith(emulator);
    expect(snapshot.sheets[0]?.rows[8_001]?.[5]?.text).toMatch(/^Narrative for measure 8002: /);
  }, 300_000);

  it('finds a large scorecard on the active sheet that starts below the rows read with the measures', async () => {
    // 30,000 rows from row 81: too large to read whole, and out of reach of the active sheet's first rows.
    const cells: Record<string, EmulatedCell> = {};
    for (const [address, cell] of Object.entries(kpiCells(30_000))) {
      const { row, col } = parseCellAddress(address);
      cells[cellAddress(row + 80, col)] = cell;
    }
    const emulator = createExcelEmulator({ sheets: [{ name: 'Big', cells }] });
    const detected = await detectScorecard(emulator.run);
    expect(detected.tables[0]?.rows).toHaveLength(30_000);
    // Measured with the active sheet's (empty) first rows, then the table's head, then its rest.
    expect(detected.syncs).toBe(emulator.syncCount);
    expect(emulator.syncCount).toBeGreaterThanOrEqual(3);
    expect(maxResponseBytes(emulator)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  }, 300_000);

  it('finds a large scorecard on the active sheet right of the columns read with the measures, under a title in A1', async () => {
    // A title in A1 and 20,000 rows from column BU: the active sheet's first rows hold none of the table's columns.
    const cells: Record<string, EmulatedCell> = { A1: { value: 'Quarterly scorecard' } };
    for (const [address, cell] of Object.entries(kpiCells(20_000))) {
      const { row, col } = parseCellAddress(address);
      cells[cellAddress(row, col + 72)] = cell;
    }
    const emulator = createExcelEmulator({ sheets: [{ name: 'Wide', cells }] });
    const detected = await detectScorecard(emulator.run);
    expect(detected.notices).toEqual([]);
    expect(detected.tables[0]?.rows).toHaveLength(20_000);
    expect(detected.tables[0]?.range).toMatch(/^BU\d+:BY20002$/);
    expect(maxResponseBytes(emulator)).toBeLessThan(PAYLOAD_LIMIT_BYTES);
  }, 300_000);

  it('measures again without the active sheet\'s first rows when Excel refuses them as too large, and still reads every sheet', async () => {
    // 60 rows × 10 columns of 10,000-character notes on the active sheet: some 6 MB.
    const notes: Record<string, EmulatedCell> = {};
    for (let r = 0; r < HEAD_ROWS; r++) for (let c = 0; c < 10; c++) notes[cellAddress(r, c)] = { value: `${'Narrative of the quarter. '.repeat(385)}${r}/${c}` };
    const seed = emulatorInitFromExcelJs(typedSeed(SEED_004)).sheets[0];
    const emulator = createExcelEmulator({ sheets: [{ name: 'Notes', cells: notes }, { name: 'Report', cells: seed?.cells ?? {} }] });
    const detected = await detectScorecard(emulator.run);
    expect(emulator.syncPayloads[0]?.error).toBe('ResponsePayloadSizeLimitExceeded');
    expect(detected.tables.map((t) => t.sheet)).toEqual(['Report']);
    expect(detected.syncs).toBe(emulator.syncCount);
    const snapshot = await readWith(emulator);
    expect(snapshot.sheets[0]?.rows[59]?.[9]?.text).toMatch(/59\/9$/);
  }, 120_000);

  it('packs steps into requests under the budget, in order', () => {
    const steps = [3, 3, 3, 5, 1].map((bytes, i) => ({ bytes, i }));
    expect(packSteps(steps, 6).map((b) => b.map((s) => s.i))).toEqual([[0, 1], [2], [3, 4]]);
  });

  it('cuts a step that can be cut (a write of many rows) to fill the room a request has left', () => {
    interface Piece { readonly bytes: number; readonly name: string; readonly split?: (room: number) => readonly [Piece, Piece] | undefined }
    // A write of `n` rows of 1,000 bytes each, cut between rows.
    const rows = (n: number): Piece => ({
      bytes: n * 1_000, name: `${n} rows`,
      split: (room) => {
        const k = Math.floor(room / 1_000);
        return k >= 1 && k < n ? [{ bytes: k * 1_000, name: `${k} rows` }, rows(n - k)] : undefined;
      },
    });
    const named = (batches: Piece[][]): string[][] => batches.map((b) => b.map((s) => s.name));
    expect(named(packSteps([{ bytes: 100_000, name: 'names' }, rows(250), { bytes: 120_000, name: 'ledger' }], 200_000)))
      .toEqual([['names', '100 rows'], ['150 rows'], ['ledger']]);
    // Longer than two requests: cut twice.
    expect(named(packSteps([rows(450)], 200_000))).toEqual([['200 rows'], ['200 rows'], ['50 rows']]);
    // Too little room left to be worth the ranges a cut repeats: the step starts the next request.
    expect(named(packSteps([{ bytes: 200_000 - MIN_SPLIT_ROOM + 1, name: 'names' }, rows(100)], 200_000))).toEqual([['names'], ['100 rows']]);
  });
});

describe('number formats of a written rectangle', () => {
  const G = 'General';
  const P = '0.0%';
  const M = '"£"#,##0';
  /** The format each cell ends with when the pieces are set in order (undefined: never set). */
  function applied(pieces: readonly FormatPiece[], rows: number, cols: number): Array<Array<string | undefined>> {
    const grid: Array<Array<string | undefined>> = Array.from({ length: rows }, () => new Array<string | undefined>(cols).fill(undefined));
    for (const p of pieces) {
      for (let r = p.top; r <= p.bottom; r++) {
        for (let c = p.left; c <= p.right; c++) {
          const f = typeof p.format === 'string' ? p.format : p.format[r - p.top]?.[c - p.left];
          if (f !== null && f !== undefined) (grid[r] as Array<string | undefined>)[c] = f;
        }
      }
    }
    return grid;
  }
  // A header, then figures whose unit differs by row, with rows the write leaves alone (null) between them.
  const formats: Array<Array<string | null>> = [[G, G, G], ...Array.from({ length: 40 }, (_, i) => [i % 10 === 3 && i < 30 ? M : P, i % 2 === 0 ? P : null, i % 7 === 0 ? null : G])];

  it('gives every written cell its format, in a rectangle the add-in owns, and a column of one format under its header one piece', () => {
    const pieces = formatPieces(formats, 0, 0, true);
    const grid = applied(pieces, formats.length, 3);
    formats.forEach((row, r) => row.forEach((f, c) => {
      if (f !== null) expect(grid[r]?.[c]).toBe(f);
    }));
    // A and B take 0.0% in one piece, C General in one, gaps included; then A's header and its three rows of money,
    // and B's header.
    expect(pieces.map((p) => [p.left, p.right, p.top, p.bottom, p.format])).toEqual([
      [0, 1, 0, 40, P], [2, 2, 0, 40, G], [0, 0, 0, 0, G], [0, 0, 4, 4, M], [0, 0, 14, 14, M], [0, 0, 24, 24, M], [1, 1, 0, 0, G],
    ]);
  });

  it('leaves alone every cell it does not write, in a rectangle of the user\'s', () => {
    const pieces = formatPieces(formats, 5, 2, false);
    const grid = applied(pieces.map((p) => ({ ...p, top: p.top - 5, bottom: p.bottom - 5, left: p.left - 2, right: p.right - 2 })), formats.length, 3);
    formats.forEach((row, r) => row.forEach((f, c) => expect(grid[r]?.[c]).toBe(f ?? undefined)));
  });
});

describe('idempotence and removal', () => {
  it.each(SEEDS)('leaves seed %s identical when refreshed twice, and gives the original back on removal', async (seed) => {
    const emulator = emulatorOf(typedSeed(seed));
    const original = emulator.dump();
    await refreshScorecard(emulator.run);
    const once = withoutLedgerId(emulator.dump());
    await refreshScorecard(emulator.run);
    expect(withoutLedgerId(emulator.dump())).toEqual(once);
    emulator.resetCounters();
    await removeScorecard(emulator.run);
    expect(emulator.syncCount).toBe(3);
    expect(withoutColumnLayout(emulator.dump())).toEqual(withoutColumnLayout(original));
  });

  it('gives back the column layout of seed 004 on removal', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    const original = emulator.dump();
    await refreshScorecard(emulator.run);
    await removeScorecard(emulator.run);
    expect(emulator.dump()).toEqual(original);
  });

  it('gives back the column layout of seed 000 on removal, where blocks share columns', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    const original = emulator.dump();
    await refreshScorecard(emulator.run);
    await removeScorecard(emulator.run);
    expect(emulator.dump()).toEqual(original);
  });

  it('adds one rule per test over the areas of the tables stacked in the same columns (ExcelApi 1.9), one per table before 1.9, colouring the same cells alike', async () => {
    const shared = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(shared.run);
    const sharedRules = shared.dump().sheets[0]?.conditionalFormats ?? [];
    // Seed 000's four tables share the block's columns: 12 rules (4 on Status, 3 on Latest and on Variance, 2 on Trend).
    expect(sharedRules).toHaveLength(12);
    expect(sharedRules.every((cf) => cf.range.split(' ').length === 4)).toBe(true);
    const apart = emulatorOf(typedSeed(SEED_000), { apiVersion: '1.8' });
    await refreshScorecard(apart.run);
    const apartRules = apart.dump().sheets[0]?.conditionalFormats ?? [];
    expect(apartRules).toHaveLength(48);
    expect(apartRules.every((cf) => cf.range.split(' ').length === 1)).toBe(true);
    expect(rulesByArea(apart.dump())).toEqual(rulesByArea(shared.dump()));
    // Latest of the Indicators table (T25:T32) is green where its status code (AD) is 1, read on its own rows.
    expect(rulesByArea(shared.dump())).toContain('T25:T32 #C6EFCE =$AD25=1');
    // Removal takes every area away, and with it every rule.
    await removeScorecard(shared.run);
    expect(shared.dump().sheets[0]?.conditionalFormats).toEqual([]);
  });

  it('keeps the ledger very hidden, and deletes it on removal by hiding it plainly first (Excel refuses to delete a very hidden sheet)', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    await refreshScorecard(emulator.run);
    const ledger = emulator.dump().sheets.find((s) => s.name === LEDGER_SHEET);
    expect(ledger?.visibility).toBe('VeryHidden');
    expect(Object.keys(ledger?.cells ?? {}).length).toBeGreaterThan(4);
    await removeScorecard(emulator.run);
    expect(emulator.dump().sheets.map((s) => s.name)).toEqual(['Report']);
    expect(emulator.syncPayloads.every((p) => p.error === undefined)).toBe(true);
  });

  it('refreshes again after a removal, with the ledger header back in place', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    await refreshScorecard(emulator.run);
    const once = emulator.dump();
    await removeScorecard(emulator.run);
    await refreshScorecard(emulator.run);
    expect(withoutLedgerId(emulator.dump())).toEqual(withoutLedgerId(once));
  });
});

describe('protected sheets', () => {
  it('rejects with a message naming the protected sheet and changes nothing', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    emulator.setProtected('Report', true);
    const before = emulator.dump();
    const error = await refreshScorecard(emulator.run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshError);
    expect((error as RefreshError).message).toMatch(/Sheet "Report" is protected/);
    expect((error as RefreshError).sheet).toBe('Report');
    expect(emulator.dump()).toEqual(before);
    expect(emulator.syncCount).toBe(2);
  });

  it('refuses removal from a protected sheet the same way', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(emulator.run);
    emulator.setProtected('Report', true);
    const before = emulator.dump();
    await expect(removeScorecard(emulator.run)).rejects.toThrow(/Sheet "Report" is protected/);
    expect(emulator.dump()).toEqual(before);
  });
});

describe('calculation mode', () => {
  it.each(['Manual', 'AutomaticExceptTables'] as const)('recalculates after its last write when the workbook calculates in %s mode', async (mode) => {
    const emulator = createExcelEmulator({ ...emulatorInitFromExcelJs(typedSeed(SEED_004)), calculationMode: mode });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.tables.length).toBeGreaterThan(0);
    expect(emulator.calculationPending).toBe(false);
    // Seed 004 fits the active sheet's first rows: one read, one write.
    expect(summary.syncs).toBe(2);
  });

  it('leaves calculation to Excel in Automatic mode, suspended while it writes', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    await refreshScorecard(emulator.run);
    expect(emulator.calculationSuspensions).toBe(1);
    expect(emulator.calculationPending).toBe(false);
  });
});

describe('merged cells', () => {
  /** A KPI table in A2:E9 with a section heading on row 6, and whatever else `extra` puts on the sheet. */
  function sectionedSheet(extra: Record<string, EmulatedCell> = {}): Record<string, EmulatedCell> {
    const cells = kpiCells(7);
    for (const column of ['A', 'B', 'C', 'D', 'E']) delete cells[`${column}6`];
    cells.A6 = { value: "Adults' services" };
    return { ...cells, ...extra };
  }

  it('reads merged areas where Excel lists them (ExcelApi 1.13) and writes no block across one', async () => {
    // An empty merged box right of the table: nothing in the values shows it.
    const emulator = createExcelEmulator({ sheets: [{ name: 'S', cells: { ...sectionedSheet(), H4: { value: null, fill: '#FFFF00' } }, merges: ['H4:J5'] }] });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.notices).toEqual([expect.objectContaining({ sheet: 'S', cell: 'H4' })]);
    const cells = emulator.dump().sheets[0]?.cells ?? {};
    expect(Object.values(cells).filter((c) => c.formula !== null)).toEqual([]);
  });

  it('takes a lone heading as merged where Excel cannot list merged areas (before ExcelApi 1.13), keeping the block off its row', async () => {
    // Before 1.13 the merge of A6:Z6 is invisible; the heading alone in its row, with a note far right, looks merged.
    const emulator = createExcelEmulator({ sheets: [{ name: 'S', cells: sectionedSheet({ Z3: { value: 'See note 1' } }), merges: ['A6:Y6'] }] }, { apiVersion: '1.12' });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.notices).toEqual([expect.objectContaining({ sheet: 'S', cell: 'F6' })]);
    // No block, so no block names: only the summary sheet's, which lists the table with its counts, and its chart's.
    expect(emulator.dump().names.map((n) => n.name)).toEqual([SUMMARY_NAME, SUMMARY_CHART_NAME]);
  });

  it('finds the headings that may be merged in a run of 300,000 rows without a blank one (more than a call takes arguments)', () => {
    const text = (value: string): CellSnapshot => ({ value, numberFormat: 'General', text: value });
    const rows: Array<Array<CellSnapshot | undefined>> = Array.from({ length: 300_000 }, (_, r) => (r === 1 ? [text('Section')] : [text(`m${r}`), text('x'), text('y')]));
    expect(apparentMerges(rows)).toEqual(['A2:C2']);
  });

  it('writes the block beside a table whose section heading stands alone within the table\'s width, whatever the host', async () => {
    for (const apiVersion of ['1.12', '1.14']) {
      const emulator = createExcelEmulator({ sheets: [{ name: 'S', cells: sectionedSheet(), merges: ['A6:E6'] }] }, { apiVersion });
      const summary = await refreshScorecard(emulator.run);
      expect(summary.notices).toEqual([]);
      expect(summary.tables[0]?.rows).toHaveLength(6);
    }
  });
});

describe('cells formatted as Text', () => {
  it('writes live formulas into columns the user formatted as Text ("@"), and keeps planned formats', async () => {
    const init = emulatorInitFromExcelJs(typedSeed(SEED_004));
    const sheet = init.sheets[0];
    if (sheet === undefined) throw new Error('no sheet');
    // Every empty cell of columns A..AZ down to row 60 is formatted as Text, as a whole-sheet "@" format leaves them.
    for (let r = 1; r <= 60; r++) {
      for (let c = 0; c < 52; c++) {
        const address = cellAddress(r - 1, c);
        if (sheet.cells[address] === undefined) sheet.cells[address] = { value: null, numberFormat: '@' };
      }
    }
    const plain = emulatorOf(typedSeed(SEED_004));
    await refreshScorecard(plain.run);
    const expected = Object.entries(plain.dump().sheets[0]?.cells ?? {}).filter(([, c]) => c.formula !== null);
    expect(expected.length).toBeGreaterThan(50);
    const emulator = createExcelEmulator(init);
    await refreshScorecard(emulator.run);
    const cells = emulator.dump().sheets[0]?.cells ?? {};
    for (const [address, cell] of expected) {
      expect([address, cells[address]?.formula]).toEqual([address, cell.formula]);
      expect([address, cells[address]?.numberFormat]).toEqual([address, cell.numberFormat]);
    }
  });
});

describe('sheet names that read as references', () => {
  function typedSeedOn(seed: string, sheet: string): ExcelJS.Workbook {
    return buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${seed}.tsv`), 'utf8'), sheet);
  }

  it.each(['Q1', 'FY24', 'KPI1', 'R1C1'])('refreshes, refreshes again and removes a scorecard on sheet %s, its names quoted', async (sheet) => {
    const emulator = emulatorOf(typedSeedOn(SEED_004, sheet));
    const original = emulator.dump();
    const first = await refreshScorecard(emulator.run);
    expect(first.tables.map((t) => t.sheet)).toEqual([sheet]);
    const names = emulator.dump().names;
    expect(names.length).toBeGreaterThan(0);
    // Every name of cells is on the sheet, quoted; the word tables are constants, on no sheet.
    expect(names.filter((n) => n.name !== SUMMARY_NAME && n.name !== SUMMARY_CHART_NAME && !isWordListName(n.name)).every((n) => n.reference.startsWith(`='${sheet}'!`))).toBe(true);
    const once = withoutLedgerId(emulator.dump());
    await refreshScorecard(emulator.run);
    expect(withoutLedgerId(emulator.dump())).toEqual(once);
    await removeScorecard(emulator.run);
    expect(withoutLedgerId(emulator.dump())).toEqual(withoutLedgerId(original));
  });

  it.each(['Q1', 'FY24', 'KPI1', 'R1C1'])('quotes sheet %s in the defined names of the .xlsx it writes', (sheet) => {
    const file = typedSeedOn(SEED_004, sheet);
    refreshWorkbook(file);
    const written = (file.model as unknown as { definedNames: Array<{ name: string; ranges: string[] }> }).definedNames;
    expect(written.length).toBeGreaterThan(0);
    expect(written.filter((n) => n.name !== SUMMARY_NAME && !isWordListName(n.name)).every((n) => n.ranges.every((r) => r.startsWith(`'${sheet}'!`)))).toBe(true);
  });
});

describe('text stays text', () => {
  it('writes a target that reads like a formula back as text in "Target (as read)"', async () => {
    const wb = typedSeed(SEED_000);
    (wb.getWorksheet('Report') as ExcelJS.Worksheet).getCell('B29').value = '=HYPERLINK("http://x","y")';
    const emulator = emulatorOf(wb);
    await refreshScorecard(emulator.run);
    const dump = emulator.dump();
    const report = dump.sheets.find((s) => s.name === 'Report');
    const cell = report?.cells[blockCell(dump, 'TargetAsRead', 29)];
    expect(cell?.formula).toBeNull();
    expect(cell?.value).toBe('=HYPERLINK("http://x","y") (not understood)');
    expect(report?.cells.B29).toMatchObject({ value: '=HYPERLINK("http://x","y")', formula: null });
  });

  it.each([
    ['=SUM(A1)', true], ['+44 20', true], ['-3', true], ['@risk', true], ["'quoted", true], ['≤ 287', true], ['TRUE', true], ['#N/A', true],
    ['Target (as read)', false], ['● Green', false], ['rel', false], ['', false],
  ])('guards %j with an apostrophe: %s', (text, guarded) => {
    expect(needsTextPrefix(text)).toBe(guarded);
    expect(textInput(text)).toBe(guarded ? `'${text}` : text);
  });
});

describe('options', () => {
  it('returns the defaults when nothing is stored, or when what is stored does not parse', async () => {
    expect(await loadOptions(createExcelEmulator({ sheets: [{ name: 'S', cells: {} }] }).run)).toEqual(DEFAULT_OPTIONS);
    expect(await loadOptions(createExcelEmulator({ sheets: [{ name: 'S', cells: {} }], settings: { [OPTIONS_KEY]: 'not json {' } }).run)).toEqual(DEFAULT_OPTIONS);
    expect(parseOptions({ amber: { kind: 'relative', value: -1 }, palette: 'neon', watch: 'yes' })).toEqual(DEFAULT_OPTIONS);
  });

  it('opens with the stored options and the preview from one run of the same syncs as a detection, judged by those options', async () => {
    const options: ScorecardOptions = { ...DEFAULT_OPTIONS, amber: { kind: 'relative', value: 0.1 }, palette: 'colour-blind' };
    const emulator = emulatorOf(typedSeed(SEED_000));
    await saveOptions(emulator.run, options);
    emulator.resetCounters();
    const opened = await openScorecard(emulator.run);
    expect(emulator.runCount).toBe(1);
    const syncs = emulator.syncCount;
    expect(opened.options).toEqual(options);
    expect(rowOf(opened.preview, 'Indicators', 31)?.status).toBe('amber');
    emulator.resetCounters();
    expect(await detectScorecard(emulator.run)).toEqual(opened.preview);
    expect(emulator.syncCount).toBe(syncs);
    // Without stored options: the defaults, and the row red again.
    const plain = await openScorecard(emulatorOf(typedSeed(SEED_000)).run);
    expect(plain.options).toEqual(DEFAULT_OPTIONS);
    expect(rowOf(plain.preview, 'Indicators', 31)?.status).toBe('red');
  });

  it('keeps saved options in the workbook, and the next refresh follows them: amber 10% turns a red row amber', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    const before = await refreshScorecard(emulator.run);
    expect(rowOf(before, 'Indicators', 31)?.status).toBe('red');
    const options: ScorecardOptions = { ...DEFAULT_OPTIONS, amber: { kind: 'relative', value: 0.1 } };
    await saveOptions(emulator.run, options);
    expect(await loadOptions(emulator.run)).toEqual(options);
    expect(typeof emulator.dump().settings[OPTIONS_KEY]).toBe('string');
    const after = await refreshScorecard(emulator.run);
    expect(rowOf(after, 'Indicators', 31)?.status).toBe('amber');
    const dump = emulator.dump();
    const status = parseCellAddress(blockCell(dump, 'Status', 31));
    const helper = cellAddress(status.row, status.col - BLOCK_COLUMNS.indexOf('status') + BLOCK_COLUMNS.indexOf('amberTolerance'));
    expect(dump.sheets[0]?.cells[helper]?.value).toBe(0.1);
  });

  it('drops a table excluded by an override, block and names included', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(emulator.run);
    await saveOptions(emulator.run, { ...DEFAULT_OPTIONS, overrides: [{ sheet: 'Report', range: 'A36:E38', exclude: true }] });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.tables.map((t) => t.title)).toEqual(['Staffing', 'Indicators', 'Outturn Detail']);
    const dump = emulator.dump();
    expect(dump.names.some((n) => n.name.includes('Risk'))).toBe(false);
    expect(Object.keys(dump.sheets[0]?.cells ?? {}).filter((a) => /^[G-Z]3[6-8]$/.test(a))).toEqual([]);
  });
});

describe('watching edits', () => {
  /** Seed 000 refreshed once, then watched: the summaries and errors the watch reports, and how to stop it. */
  async function watched(debounceMs?: number, options: ExcelEmulatorOptions = {}): Promise<{
    emulator: ExcelEmulator; summaries: RefreshSummary[]; errors: RefreshError[]; stop: () => Promise<void>;
  }> {
    const emulator = emulatorOf(typedSeed(SEED_000), options);
    await refreshScorecard(emulator.run);
    const summaries: RefreshSummary[] = [];
    const errors: RefreshError[] = [];
    const stop = await startWatch(emulator.run, (s) => summaries.push(s), { ...(debounceMs !== undefined ? { debounceMs } : {}), onError: (e) => errors.push(e) });
    return { emulator, summaries, errors, stop };
  }

  it('refreshes after an edit to a target, once, and not again for its own writes', async () => {
    const { emulator, summaries, errors, stop } = await watched();
    emulator.resetCounters();
    await emulator.edit('Report', 'B31', 310);
    expect(summaries).toHaveLength(0);
    await until(() => summaries.length === 1);
    expect(rowOf(summaries[0] as RefreshSummary, 'Indicators', 31)?.status).toBe('green');
    const dump = emulator.dump();
    expect(dump.sheets[0]?.cells[blockCell(dump, 'TargetAsRead', 31)]?.value).toBe('≤ 310');
    // Two reads, one to compare the touched table's block with the plan, one to write what changed.
    expect(emulator.syncCount).toBe(4);
    await sleep(1500);
    await emulator.whenIdle();
    expect(summaries).toHaveLength(1);
    expect(errors).toEqual([]);
    expect(emulator.runCount).toBe(1);
    await stop();
    await emulator.edit('Report', 'B31', 287);
    await sleep(800);
    expect(summaries).toHaveLength(1);
  });

  it('rewrites only the block of the table an edit touched, when every other block already holds what the plan writes', async () => {
    const { emulator, summaries, stop } = await watched(50);
    const first = emulator.dump();
    // A mark in the Staffing table's block (inside the refresh's own area, so the watch ignores this edit): a
    // refresh of the whole plan would write over it.
    const staffing = blockCell(first, 'TargetAsRead', 8);
    await emulator.edit('Report', staffing, 'left alone');
    await emulator.edit('Report', 'B31', 310);
    await until(() => summaries.length === 1);
    const dump = emulator.dump();
    expect(dump.sheets[0]?.cells[blockCell(dump, 'TargetAsRead', 31)]?.value).toBe('≤ 310');
    expect(dump.sheets[0]?.cells[staffing]?.value).toBe('left alone');
    expect(dump.names).toEqual(first.names);
    // The touched table's areas left the rules it shared and came back in rules of their own: every cell is coloured
    // by the same test as before.
    expect(dump.sheets[0]?.conditionalFormats.length).toBeGreaterThan(first.sheets[0]?.conditionalFormats.length ?? 0);
    expect(rulesByArea(dump)).toEqual(rulesByArea(first));
    await stop();
    // A refresh asked for by the user writes the whole plan.
    await refreshScorecard(emulator.run);
    expect(emulator.dump().sheets[0]?.cells[staffing]?.value).toBe(first.sheets[0]?.cells[staffing]?.value);
  });

  it('ignores a co-author\'s edit (source Remote) and an edit that touches no table', async () => {
    const { emulator, summaries, stop } = await watched(50);
    emulator.resetCounters();
    await emulator.edit('Report', 'B31', 310, 'Remote');
    await emulator.edit('Report', 'AZ400', 'a note of my own');
    await sleep(400);
    await emulator.whenIdle();
    expect(summaries).toHaveLength(0);
    expect(emulator.runCount).toBe(0);
    await stop();
  });

  it('writes nothing, and leaves Excel\'s undo list alone, when the sheet already holds what the re-check would write', async () => {
    const { emulator, summaries, stop } = await watched(50);
    emulator.resetCounters();
    // A new outturn: Status and Trend are formulas over it, which Excel recalculates; the block stays as it is.
    await emulator.edit('Report', 'D31', 280);
    await until(() => summaries.length === 1);
    expect(rowOf(summaries[0] as RefreshSummary, 'Indicators', 31)?.status).toBe('green');
    expect(summaries[0]?.syncs).toBe(3);
    expect(emulator.undoDepth).toBe(1);
    // A new target is written into the block: then the re-check writes, and Excel empties its undo list.
    await emulator.edit('Report', 'B31', 310);
    await until(() => summaries.length === 2);
    expect(summaries[1]?.syncs).toBe(4);
    expect(emulator.undoDepth).toBe(0);
    await stop();
  });

  it('tries again quietly, after the quiet time, when the user is typing in a cell', async () => {
    const { emulator, summaries, errors, stop } = await watched(50);
    await emulator.edit('Report', 'B31', 310);
    emulator.setCellEditMode(true);
    await until(() => emulator.syncPayloads.filter((p) => p.error === 'InvalidOperationInCellEditMode').length >= 2);
    expect(summaries).toHaveLength(0);
    emulator.setCellEditMode(false);
    await until(() => summaries.length === 1);
    expect(rowOf(summaries[0] as RefreshSummary, 'Indicators', 31)?.status).toBe('green');
    expect(errors).toEqual([]);
    await stop();
  });

  it('needs no events switch: on an ExcelApi 1.7 host the block filter alone stops its own writes from looping', async () => {
    // ExcelApi 1.7: no runtime.enableEvents, no triggerSource. Every write of a refresh fires change events.
    const { emulator, summaries, errors, stop } = await watched(50, { apiVersion: '1.7' });
    emulator.resetCounters();
    // Text the refresh tidies into a number: a write outside every block, on top of the block writes.
    await emulator.edit('Report', 'B31', '£310');
    await until(() => summaries.length >= 1);
    await sleep(600);
    await emulator.whenIdle();
    const own = emulator.eventLog.filter((e) => e.source === 'ThisLocalAddin');
    // The writes of the touched table's block (and of the summary) did reach the handler (a watch without the
    // filter would refresh for ever), and no other table's block was written...
    const indicators = parseReference(emulator.dump().names.find((n) => n.name.endsWith('_Indicators_Block'))?.reference ?? '');
    const blockEvents = own.filter((e) => e.sheet === 'Report' && e.address !== 'B31');
    expect(blockEvents.length).toBeGreaterThan(0);
    for (const e of blockEvents) {
      const [area] = rangeRects('Report', e.address) ?? [];
      expect(area !== undefined && indicators !== undefined && rectWithin(area, indicators)).toBe(true);
    }
    expect(own.filter((e) => e.address !== 'B31').length).toBeGreaterThan(blockEvents.length);
    // ...and the tidied cell set off one more refresh, which found nothing left to tidy and the block as planned,
    // so wrote nothing: then quiet.
    expect(own.filter((e) => e.address === 'B31')).toHaveLength(1);
    expect(summaries).toHaveLength(2);
    expect(emulator.runCount).toBe(2);
    expect(errors).toEqual([]);
    expect(emulator.dump().sheets[0]?.cells.B31).toMatchObject({ value: 310, numberFormat: '"£"0' });
    await stop();
  });

  it('switches events off where it can (ExcelApi 1.8): the same edit costs exactly one refresh and fires none of its own events', async () => {
    const { emulator, summaries, stop } = await watched(50, { apiVersion: '1.8' });
    emulator.resetCounters();
    await emulator.edit('Report', 'B31', '£310');
    await until(() => summaries.length >= 1);
    await sleep(600);
    await emulator.whenIdle();
    expect(emulator.eventLog.filter((e) => e.source === 'ThisLocalAddin')).toEqual([]);
    expect(summaries).toHaveLength(1);
    expect(emulator.runCount).toBe(1);
    await stop();
  });

  it('waits for the edits to stop, and ignores edits inside its own blocks', async () => {
    const { emulator, summaries, stop } = await watched(200);
    const dump = emulator.dump();
    await emulator.edit('Report', blockCell(dump, 'Status', 31), 'typed over');
    await sleep(400);
    expect(summaries).toHaveLength(0);
    await emulator.edit('Report', 'B31', 300);
    await sleep(100);
    await emulator.edit('Report', 'B31', 310);
    await until(() => summaries.length === 1);
    await sleep(400);
    expect(summaries).toHaveLength(1);
    await stop();
  });
});

describe('the Scorecard summary sheet', () => {
  it('is added with its cells, a native stacked bar chart of the counts, its print area one page wide and its name, in the same write', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    const result = await refreshScorecard(emulator.run);
    expect(result.syncs).toBe(3);
    expect(result.summarySheet).toBe(SUMMARY_SHEET);
    const dump = emulator.dump();
    const sheet = dump.sheets.find((s) => s.name === SUMMARY_SHEET);
    expect(dump.sheets[dump.sheets.length - 1]?.name).toBe(SUMMARY_SHEET);
    expect(sheet?.cells.A1).toMatchObject({ value: 'Scorecard summary', bold: true });
    expect(sheet?.cells.B5?.formula).toMatch(/^=COUNTIF\('?Report'?!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+,1\)$/);
    expect(sheet?.cells.A5).toMatchObject({ value: 'Report › Staffing', formula: null });
    expect(sheet?.pageLayout).toEqual({ printArea: expect.stringMatching(/^A1:G\d+$/), zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 } });
    expect(sheet?.charts).toEqual([{
      name: 'Chart 1', type: 'BarStacked', title: 'Rows by status, per table',
      series: [['Green', 'B', '#2E7D32'], ['Amber', 'C', '#F9A825'], ['Red', 'D', '#C62828'], ['No status', 'E', '#9E9E9E']].map(([name, col, fill]) => ({
        name, values: `'${SUMMARY_SHEET}'!${col}5:${col}8`, categories: `'${SUMMARY_SHEET}'!A5:A8`, fill,
      })),
      position: { start: 'I4', end: 'O17' },
    }]);
    expect(dump.names.find((n) => n.name === SUMMARY_NAME)?.reference).toBe(`='${SUMMARY_SHEET}'!$A$1`);
    expect(dump.names.find((n) => n.name === SUMMARY_CHART_NAME)?.reference).toBe(`='${SUMMARY_SHEET}'!$A$4:$E$8`);
  });

  it('is rewritten in place, not duplicated, by the next refresh, and deleted by remove with everything else', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    await refreshScorecard(emulator.run);
    await refreshScorecard(emulator.run);
    const dump = emulator.dump();
    expect(dump.sheets.filter((s) => s.name.startsWith(SUMMARY_SHEET)).map((s) => [s.name, s.charts?.length])).toEqual([[SUMMARY_SHEET, 1]]);
    await removeScorecard(emulator.run);
    expect(emulator.dump().sheets.map((s) => s.name)).toEqual(['Report']);
    expect(emulator.dump().names).toEqual([]);
  });

  it('stays the sheet the user is looking at, with its id, place and chart, when refreshed again after an edit, and holds what a first refresh would write', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(emulator.run);
    await selectCell(emulator.run, SUMMARY_SHEET, 'B5');
    const before = emulator.dump();
    const at = before.sheets.findIndex((s) => s.name === SUMMARY_SHEET);
    // Row 31 was red (303 against at most 287): a new outturn of 280 takes it off the exceptions list.
    await emulator.edit('Report', 'D31', 280);
    const result = await refreshScorecard(emulator.run);
    expect(result.syncs).toBe(3);
    const after = emulator.dump();
    expect(after.activeSheet).toBe(SUMMARY_SHEET);
    expect(after.sheets.findIndex((s) => s.name === SUMMARY_SHEET)).toBe(at);
    const summary = after.sheets[at];
    expect(summary?.id).toBe(before.sheets[at]?.id);
    expect(summary?.charts).toEqual(before.sheets[at]?.charts);
    // The same cells, formats and page layout as a workbook refreshed once after the same edit: nothing left over.
    const fresh = emulatorOf(typedSeed(SEED_000));
    await fresh.edit('Report', 'D31', 280);
    await refreshScorecard(fresh.run);
    const once = fresh.dump().sheets.find((s) => s.name === SUMMARY_SHEET);
    expect({ ...summary, id: '', selection: '' }).toEqual({ ...once, id: '', selection: '' });
    expect(Object.keys(summary?.cells ?? {}).length).toBeLessThan(Object.keys(before.sheets[at]?.cells ?? {}).length);
    expect(withoutLedgerId(after).names).toEqual(withoutLedgerId(fresh.dump()).names);
  });

  it('is added again, active if it was, when the number of tables changes so that its chart would draw other rows', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(emulator.run);
    await selectCell(emulator.run, SUMMARY_SHEET, 'A1');
    const id = emulator.dump().sheets.find((s) => s.name === SUMMARY_SHEET)?.id;
    await saveOptions(emulator.run, { ...DEFAULT_OPTIONS, overrides: [{ sheet: 'Report', range: 'A36:E38', exclude: true }] });
    await refreshScorecard(emulator.run);
    const dump = emulator.dump();
    const summary = dump.sheets.find((s) => s.name === SUMMARY_SHEET);
    expect(dump.activeSheet).toBe(SUMMARY_SHEET);
    expect(summary?.id).not.toBe(id);
    expect(summary?.charts?.map((c) => c.series[0]?.categories)).toEqual([`'${SUMMARY_SHEET}'!A5:A7`]);
    expect(dump.names.find((n) => n.name === SUMMARY_CHART_NAME)?.reference).toBe(`='${SUMMARY_SHEET}'!$A$4:$E$7`);
  });

  it('is added again, with its names and chart, after the user deleted it', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    await refreshScorecard(emulator.run);
    const once = emulator.dump();
    await emulator.run(async (context: Excel.RequestContext) => {
      context.workbook.worksheets.getItem(SUMMARY_SHEET).delete();
      await context.sync();
    });
    expect(emulator.dump().names.filter((n) => n.reference === '=#REF!').map((n) => n.name)).toEqual([SUMMARY_NAME, SUMMARY_CHART_NAME]);
    await refreshScorecard(emulator.run);
    expect(withoutLedgerId(emulator.dump())).toEqual(withoutLedgerId(once));
  });

  it('gets its chart when a file refresh wrote it, which draws none', async () => {
    const file = typedSeed(SEED_004);
    refreshWorkbook(file);
    const emulator = emulatorOf(file);
    expect(emulator.dump().sheets.find((s) => s.name === SUMMARY_SHEET)?.charts).toBeUndefined();
    await refreshScorecard(emulator.run);
    expect(emulator.dump().sheets.filter((s) => s.name === SUMMARY_SHEET).map((s) => s.charts?.length)).toEqual([1]);
  });

  it('is written without a print area where Excel has no page layout (before ExcelApi 1.9), with its chart', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004), { apiVersion: '1.8' });
    await refreshScorecard(emulator.run);
    const sheet = emulator.dump().sheets.find((s) => s.name === SUMMARY_SHEET);
    expect(sheet?.pageLayout).toBeUndefined();
    expect(sheet?.charts).toHaveLength(1);
  });

  it('is brought up to date in place when the workbook\'s structure is protected, since no sheet is added or deleted', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(emulator.run);
    emulator.setWorkbookProtected(true);
    await emulator.edit('Report', 'D31', 280);
    const result = await refreshScorecard(emulator.run);
    expect(result.notices).toEqual([]);
    const fresh = emulatorOf(typedSeed(SEED_000));
    await fresh.edit('Report', 'D31', 280);
    await refreshScorecard(fresh.run);
    const cellsOf = (dump: WorkbookDump): unknown => dump.sheets.find((s) => s.name === SUMMARY_SHEET)?.cells;
    expect(cellsOf(emulator.dump())).toEqual(cellsOf(fresh.dump()));
  });

  it('is left as it was, with a notice saying why, when the workbook\'s structure is protected and it would have to be added again', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(emulator.run);
    emulator.setWorkbookProtected(true);
    await saveOptions(emulator.run, { ...DEFAULT_OPTIONS, overrides: [{ sheet: 'Report', range: 'A36:E38', exclude: true }] });
    const before = emulator.dump().sheets.find((s) => s.name === SUMMARY_SHEET);
    const result = await refreshScorecard(emulator.run);
    expect(result.notices).toEqual([expect.objectContaining({ sheet: SUMMARY_SHEET, message: expect.stringMatching(/structure is protected.*Review › Protect Workbook/) })]);
    expect(result.summarySheet).toBe(SUMMARY_SHEET);
    expect(emulator.dump().sheets.find((s) => s.name === SUMMARY_SHEET)).toEqual(before);
    expect(emulator.dump().names.some((n) => n.name === SUMMARY_NAME)).toBe(true);
  });

  it('opens on the summary sheet from the pane\'s link', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    const result = await refreshScorecard(emulator.run);
    await selectCell(emulator.run, result.summarySheet ?? '', 'A1');
    expect(emulator.selectedAddress).toBe(`'${SUMMARY_SHEET}'!A1`);
  });
});

describe('fit to page width', () => {
  /** Page Layout as a user set it on Report: their own print titles, print area, scale and orientation. */
  async function setOwnPageLayout(emulator: ExcelEmulator): Promise<void> {
    await emulator.run(async (context: Excel.RequestContext) => {
      const layout = context.workbook.worksheets.getItem('Report').pageLayout;
      layout.setPrintArea('A1:H40');
      layout.setPrintTitleColumns('A:C');
      layout.zoom = { scale: 80 };
      layout.orientation = 'Portrait';
      await context.sync();
    });
  }

  const pageOf = (emulator: ExcelEmulator, sheet = 'Report'): unknown => emulator.dump().sheets.find((s) => s.name === sheet)?.pageLayout;

  it('leaves the user\'s own page layout as it was when the option is off, through two refreshes', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await setOwnPageLayout(emulator);
    const own = pageOf(emulator);
    expect(own).toEqual({ printArea: 'A1:H40', printTitleColumns: 'A:C', zoom: { scale: 80 }, orientation: 'Portrait' });
    await refreshScorecard(emulator.run);
    await refreshScorecard(emulator.run);
    expect(pageOf(emulator)).toEqual(own);
  });

  it('repeats the tables\' title columns and prints landscape, one page wide, when the option is on, keeping the user\'s print area; twice is once', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await setOwnPageLayout(emulator);
    await saveOptions(emulator.run, { ...DEFAULT_OPTIONS, fitToWidth: true });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.syncs).toBe(3);
    expect(summary.notices).toEqual([]);
    expect(pageOf(emulator)).toEqual({ printArea: 'A1:H40', printTitleColumns: 'A:B', zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 }, orientation: 'Landscape' });
    const once = emulator.dump();
    await refreshScorecard(emulator.run);
    expect(emulator.dump()).toEqual(once);
  });

  it('sets what the file path sets with --fit-to-width', async () => {
    const file = typedSeed(SEED_000);
    const plan = planRefresh(snapshotWithNames(file));
    applyPlanToWorkbook(file, plan, { print: planPrint(plan) });
    const emulator = emulatorOf(typedSeed(SEED_000));
    await saveOptions(emulator.run, { ...DEFAULT_OPTIONS, fitToWidth: true });
    await refreshScorecard(emulator.run);
    const comparable = withoutChartName(comparableFromEmulator(emulator.dump()));
    expect(comparable).toEqual(comparableFromExcelJs(file));
    expect(comparable.sheets.find((s) => s.name === 'Report')?.page).toEqual({ printArea: null, printTitleColumns: 'A:B', fit: '1x0' });
    // Orientation is not in the comparable shape: both set landscape.
    expect((file.getWorksheet('Report') as ExcelJS.Worksheet).pageSetup.orientation).toBe('landscape');
    expect(emulator.dump().sheets.find((s) => s.name === 'Report')?.pageLayout?.orientation).toBe('Landscape');
  });

  it.each<[string, (layout: Excel.PageLayout) => void]>([
    ['print titles that are not whole columns', (layout) => layout.setPrintTitleColumns('A1:B40')],
    ['print titles of two ranges', (layout) => layout.setPrintTitleColumns('A:A,C:C')],
    ['print titles that are rows', (layout) => layout.setPrintTitleColumns('1:2')],
    ['an orientation that is not one', (layout) => {
      layout.orientation = 'Sideways' as Excel.PageOrientation;
    }],
  ])('is refused by Excel (as the emulator follows the reference): %s', async (_, set) => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    const error = await emulator.run(async (context: Excel.RequestContext) => {
      set(context.workbook.worksheets.getItem('Report').pageLayout);
      await context.sync();
    }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('InvalidArgument');
    expect(pageOf(emulator)).toBeUndefined();
  });

  it('says so, and still refreshes, where Excel has no page layout to set (before ExcelApi 1.9)', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000), { apiVersion: '1.8' });
    await saveOptions(emulator.run, { ...DEFAULT_OPTIONS, fitToWidth: true });
    const summary = await refreshScorecard(emulator.run);
    expect(summary.tables).toHaveLength(4);
    expect(summary.notices).toEqual([expect.objectContaining({ sheet: 'Report', message: expect.stringMatching(/not set to print landscape and one page wide.*Excel 2021 or Microsoft 365/) })]);
    expect(pageOf(emulator)).toBeUndefined();
  });
});

describe('the summary', () => {
  it('lists each finding with its sheet and cell', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    const summary = await refreshScorecard(emulator.run);
    expect(summary.findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ sheet: 'Report', cell: 'H30', code: 'direction-conflict', severity: 'warning' }),
      expect.objectContaining({ sheet: 'Report', cell: 'E30', code: 'fraction-mismatch' }),
    ]));
    const table = (title: string): RefreshSummary['tables'][number] | undefined => summary.tables.find((t) => t.title === title);
    expect(summary.tables.map((t) => t.title)).toEqual(['Staffing', 'Indicators', 'Risk Management', 'Outturn Detail']);
    expect(table('Indicators')?.counts).toEqual({ green: 6, amber: 0, red: 2, none: 0 });
    expect(table('Outturn Detail')?.counts).toEqual({ green: 12, amber: 1, red: 2, none: 0 });
    expect(table('Staffing')?.counts).toEqual({ green: 0, amber: 0, red: 0, none: 5 });
    expect(table('Risk Management')?.counts).toEqual({ green: 0, amber: 2, red: 0, none: 0 });
    expect(table('Indicators')?.findings).toBe(7);
    // Every table's findings are listed, the Indicators' seven within its rows.
    expect(summary.findings).toHaveLength(summary.tables.reduce((n, t) => n + t.findings, 0));
    expect(summary.findings.filter((f) => /^[A-H](2[2-9]|3[0-2])$/.test(f.cell))).toHaveLength(7);
    expect(summary.skipped).toEqual([expect.objectContaining({ sheet: 'Report', title: 'Programme' })]);
    expect(summary.notices).toEqual([]);
  });

  it('detects without writing, in one sync where the scorecard fits the active sheet\'s first rows', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    const before = emulator.dump();
    const summary = await detectScorecard(emulator.run);
    expect(summary.tables).toHaveLength(1);
    expect(summary.syncs).toBe(1);
    expect(emulator.dump()).toEqual(before);
  });

  it('selects a finding\'s cell on its sheet', async () => {
    const emulator = createExcelEmulator({ sheets: [{ name: 'First', cells: {} }, { name: 'Report', cells: {} }] });
    await selectCell(emulator.run, 'Report', 'H30');
    expect(emulator.selectedAddress).toBe('Report!H30');
    await expect(selectCell(emulator.run, 'Gone', 'A1')).rejects.toThrow(/sheet "Gone"/);
  });

  it('says that a finding\'s sheet is hidden, and how to show it, instead of failing to go there', async () => {
    const emulator = createExcelEmulator({ sheets: [{ name: 'First', cells: {} }, { name: 'Archive', cells: {}, visibility: 'Hidden' }] });
    const error = await selectCell(emulator.run, 'Archive', 'C7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshError);
    expect((error as RefreshError).message).toBe('Sheet "Archive" is hidden, so Scorecard Refresh cannot go to C7. To see it, right-click any sheet tab, choose Unhide and pick "Archive".');
    expect(describeError(error).title).toBe('Could not go to that cell');
    expect(emulator.selectedAddress).toBe('First!A1');
  });
});

describe('host checks and errors', () => {
  afterEach(() => {
    delete (globalThis as { Office?: unknown }).Office;
  });

  const hostWith = (highest: string): unknown => ({
    context: { requirements: { isSetSupported: (name: string, v: string) => name === 'ExcelApi' && Number(v.split('.')[1]) <= Number(highest.split('.')[1]) } },
  });

  it('needs ExcelApi 1.7: refuses 1.6 and names Excel 2019 / Microsoft 365', () => {
    expect(checkRequirements().ok).toBe(false);
    for (const highest of ['1.0', '1.6']) {
      (globalThis as { Office?: unknown }).Office = hostWith(highest);
      const result = checkRequirements();
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toMatch(/Excel 2019 or Microsoft 365 \(Excel JavaScript API 1\.7;/);
    }
    (globalThis as { Office?: unknown }).Office = hostWith('1.7');
    expect(checkRequirements()).toEqual({ ok: true });
  });

  it('fails on an ExcelApi 1.6 host, which lacks the 1.7 members it uses, with a message naming the Excel needed', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004), { apiVersion: '1.6' });
    const error = await refreshScorecard(emulator.run).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ApiNotFound', message: expect.stringMatching(/Excel 2019 or Microsoft 365/) });
  });

  it('refreshes, removes and watches on an ExcelApi 1.7 host, without the 1.8 events switch', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004), { apiVersion: '1.7' });
    const original = emulator.dump();
    const summary = await refreshScorecard(emulator.run);
    expect(summary.syncs).toBe(2);
    expect(emulator.syncPayloads.every((p) => p.error === undefined)).toBe(true);
    const stop = await startWatch(emulator.run, () => undefined);
    await stop();
    await removeScorecard(emulator.run);
    expect(emulator.dump()).toEqual(original);
  });

  it.each([
    ['AccessDenied', /sheet "Report" is protected/],
    ['ItemNotFound', /renamed or deleted/],
    ['RequestPayloadSizeLimitExceeded', /5 MB/],
    ['ResponsePayloadSizeLimitExceeded', /5 MB/],
    ['GeneralException', /\(GeneralException\)/],
  ])('turns office-js error %s into a sentence naming the sheet', (code, message) => {
    const error = toRefreshError(Object.assign(new Error('raw'), { code }), 'write the scorecard', ['Report']);
    expect(error).toBeInstanceOf(RefreshError);
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/raw/);
    expect(error.code).toBe(code);
  });

  it('reports an error of its own (no office-js code) as an internal problem, not as Excel\'s', () => {
    const error = toRefreshError(new TypeError('x is undefined'), 'write the scorecard', ['Report'], { action: 'refresh', wrote: false });
    expect(error.message).toMatch(/internal problem \(x is undefined\)/);
    expect(error.message).not.toMatch(/Excel reported/);
    expect(error.code).toBeUndefined();
    expect(describeError(new TypeError('x is undefined'))).toEqual({
      title: 'Scorecard Refresh ran into an internal problem',
      message: expect.stringMatching(/^x is undefined\. This is a fault in the add-in/),
    });
  });

  it('says whether anything may have been written, for commands that write', () => {
    const raw = Object.assign(new Error('raw'), { code: 'GeneralException' });
    expect(toRefreshError(raw, 'write the scorecard', [], { wrote: false }).message).toMatch(/Nothing was written\.$/);
    const partial = toRefreshError(raw, 'write the scorecard', [], { wrote: true });
    expect(partial.message).toMatch(/Some changes may already have been made/);
    expect(partial.message).not.toMatch(/Nothing was written/);
    expect(partial.mayHaveWritten).toBe(true);
    expect(toRefreshError(raw, 'select A1', ['Report'], { action: 'select' }).message).not.toMatch(/written|changes/);
  });

  it.each([
    ['refresh', 'The scorecard was not refreshed'],
    ['select', 'Could not go to that cell'],
    ['save-options', 'Options were not saved'],
    ['load-options', 'Options could not be read'],
    ['remove', 'The scorecard was not removed'],
    ['watch', 'Watching for edits ran into a problem'],
  ] as const)('titles a failed %s "%s"', (action, title) => {
    const error = toRefreshError(Object.assign(new Error('raw'), { code: 'ItemNotFound' }), 'do it', ['Report'], { action });
    expect(describeError(error)).toEqual({ title, message: error.message });
  });

  it('words a bare office-js error with the same sentence as the adapter\'s messages', () => {
    expect(describeError(Object.assign(new Error('raw'), { code: 'InvalidOperationInCellEditMode' }))).toEqual({
      title: 'Excel reported a problem',
      message: 'A cell is being edited. Press Enter or Esc in the sheet and try again.',
    });
    expect(describeError(Object.assign(new Error('raw'), { code: 'Weird' })).message).toMatch(/\(Weird\)/);
  });

  it('titles the failures of selectCell and saveOptions after what was being done', async () => {
    const emulator = createExcelEmulator({ sheets: [{ name: 'Report', cells: {} }] });
    const select = await selectCell(emulator.run, 'Gone', 'A1').catch((e: unknown) => e);
    expect(describeError(select).title).toBe('Could not go to that cell');
    emulator.setCellEditMode(true);
    const save = await saveOptions(emulator.run, DEFAULT_OPTIONS).catch((e: unknown) => e);
    expect(describeError(save)).toEqual({ title: 'Options were not saved', message: expect.stringMatching(/a cell is being edited/) });
  });
});

describe('failures part-way through the write', () => {
  it('refuses up front, with nothing written, when the workbook structure is protected and the ledger sheet must be added', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    emulator.setWorkbookProtected(true);
    const before = emulator.dump();
    const error = await refreshScorecard(emulator.run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshError);
    expect((error as RefreshError).message).toMatch(/structure is protected.*Review › Protect Workbook.*nothing was changed/);
    expect(emulator.dump()).toEqual(before);
    // The read alone: nothing was sent to write.
    expect(emulator.syncCount).toBe(1);
  });

  it('refreshes a protected-structure workbook that already has its ledger, and refuses to remove it (the ledger sheet cannot be deleted)', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004));
    await refreshScorecard(emulator.run);
    emulator.setWorkbookProtected(true);
    await expect(refreshScorecard(emulator.run)).resolves.toMatchObject({ syncs: 3 });
    const before = emulator.dump();
    await expect(removeScorecard(emulator.run)).rejects.toThrow(/structure is protected/);
    expect(emulator.dump()).toEqual(before);
  });

  it('puts events back on and says changes may have been made when a sheet turns out protected part-way (Excel keeps earlier operations)', async () => {
    const emulator = emulatorOf(typedSeed(SEED_004), { partialFailures: true });
    const before = emulator.dump();
    const error = await refreshScorecard(emulator.run, (step) => {
      // Protected after it was read: the write fails at the first cell written on Report.
      if (step === 'writing') emulator.setProtected('Report', true);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RefreshError);
    const failure = error as RefreshError;
    expect(failure.code).toBe('AccessDenied');
    expect(failure.mayHaveWritten).toBe(true);
    expect(failure.message).toMatch(/Some changes may already have been made/);
    expect(failure.message).not.toMatch(/nothing was (written|changed)/i);
    expect(describeError(failure).message).not.toMatch(/nothing was/i);
    expect(emulator.enableEvents).toBe(true);
    // What came before the failing write is there: the ledger (originals first) and the block names.
    const dump = emulator.dump();
    expect(dump.sheets.find((s) => s.name === LEDGER_SHEET)).toBeDefined();
    expect(dump.names.filter((n) => n.name.endsWith('_Block'))).toHaveLength(1);
    expect(dump.sheets[0]?.cells).toEqual(before.sheets[0]?.cells);
    // Nothing is orphaned: once unprotected, a refresh gives what a clean one does, and removal the original.
    emulator.setProtected('Report', false);
    await refreshScorecard(emulator.run);
    const clean = emulatorOf(typedSeed(SEED_004));
    const original = clean.dump();
    await refreshScorecard(clean.run);
    expect(emulator.dump()).toEqual(clean.dump());
    await removeScorecard(emulator.run);
    expect(emulator.dump()).toEqual(original);
  });

  it('recovers the same way from a defined name Excel refuses part-way, on a re-refresh that clears the old blocks first', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000), { partialFailures: true });
    await refreshScorecard(emulator.run);
    const once = emulator.dump();
    await emulator.edit('Report', 'B31', 310);
    emulator.failNext('NamedItemCollection.add');
    const error = await refreshScorecard(emulator.run).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GeneralException', mayHaveWritten: true, message: expect.stringMatching(/Some changes may already have been made/) });
    expect(emulator.enableEvents).toBe(true);
    await emulator.edit('Report', 'B31', 287);
    await refreshScorecard(emulator.run);
    expect(withoutLedgerId(emulator.dump())).toEqual(withoutLedgerId(once));
  });

  it('puts events back on after a failed write even in the strict (atomic) emulator', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    emulator.failNext('Range.formulas');
    await expect(refreshScorecard(emulator.run)).rejects.toMatchObject({ mayHaveWritten: true });
    expect(emulator.enableEvents).toBe(true);
    expect(emulator.syncPayloads.map((p) => p.error)).toEqual([undefined, undefined, 'GeneralException', undefined]);
  });
});

describe('one refresh at a time', () => {
  it('runs a second refresh only after the first has finished', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    const steps: string[] = [];
    const first = refreshScorecard(emulator.run, (s) => steps.push(`1:${s}`));
    const second = refreshScorecard(emulator.run, (s) => steps.push(`2:${s}`));
    const removal = removeScorecard(emulator.run);
    const third = refreshScorecard(emulator.run, (s) => steps.push(`3:${s}`));
    await Promise.all([first, second, removal, third]);
    expect(steps).toEqual(['1:reading', '1:evaluating', '1:writing', '1:done', '2:reading', '2:evaluating', '2:writing', '2:done', '3:reading', '3:evaluating', '3:writing', '3:done']);
  });

  it('keeps going after a task in the queue fails', async () => {
    const failed = runExclusive(async () => {
      throw new Error('first');
    });
    const next = runExclusive(async () => 'second');
    await expect(failed).rejects.toThrow('first');
    await expect(next).resolves.toBe('second');
  });

  it('makes a watch refresh wait for a Refresh click under way', async () => {
    const emulator = emulatorOf(typedSeed(SEED_000));
    await refreshScorecard(emulator.run);
    const order: string[] = [];
    const stop = await startWatch(emulator.run, () => order.push('watch'), { debounceMs: 10 });
    let release: () => void = () => undefined;
    const held = runExclusive(() => new Promise<void>((resolve) => {
      release = resolve;
    }));
    await emulator.edit('Report', 'B31', 310);
    await sleep(150);
    expect(order).toEqual([]);
    const click = refreshScorecard(emulator.run).then(() => order.push('click'));
    release();
    await held;
    await click;
    await until(() => order.length === 2);
    expect(order).toEqual(['watch', 'click']);
    await stop();
  });
});
