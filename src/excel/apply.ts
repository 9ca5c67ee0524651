/**
 * Applies the engine's write plan (or removal plan) to the open workbook through Office.js, in one
 * `context.sync()`. Work is queued as steps whose request size is counted as it is built; only a plan whose
 * request would pass Excel's 5 MB limit is sent in several round trips, each under the limit.
 *
 * A failed request in real Excel keeps the operations queued before the failing one, so the steps are ordered
 * for a failure part-way: nothing the workbook needs to find or undo a refresh is written after what it
 * describes (see {@link applyPlan}), and the events switch is always put back.
 */
import {
  absoluteReference, CellStyle, CellWrite, columnLetters, ConditionalRule, isWordListName, LEDGER_HEADER, LEDGER_SHEET, ledgerRows, parseCellAddress, parseReference, PlanNotice, splitRule,
  PlanValue, RemovalPlan, sameRect, SheetPrintPlan, SheetRect, SUMMARY_NAME, SummaryPlan, WritePlan,
} from '../engine';
import { RefreshError } from './contract';
import { PackableStep, packSteps, PAYLOAD_LIMIT_BYTES, SyncCounter, utf8Length } from './host';
import { isExcelApiSupported } from './requirements';

export { packSteps, utf8Length };
import { WorkbookRead } from './snapshot';

/**
 * What one request may carry: the limit less room for the calculation and events switches and for what the prices
 * below miss (ids grow longer as a context lives; requests filled to the budget came out up to 0.15% over it).
 */
const REQUEST_BUDGET = PAYLOAD_LIMIT_BYTES - 64 * 1024;

/**
 * Converts a column width in characters (the plan's and the .xlsx file's unit) to points (Office.js's unit):
 * Excel draws a column `chars × 7 + 5` pixels wide (7 px is the widest digit of Calibri 11, plus 5 px of
 * padding), and a pixel is 0.75 pt at 96 dpi. 8.43 characters gives Excel's default 48 pt.
 */
export function charsToPoints(chars: number): number {
  return Math.round((chars * 7 + 5) * 0.75 * 100) / 100;
}

/** Returns true when Excel would turn the text into something else if written as is (formula, number, date, boolean, error). */
export function needsTextPrefix(text: string): boolean {
  return /^[=+\-@']/.test(text) || /\d/.test(text) || /^\s*(true|false)\s*$/i.test(text) || text.startsWith('#');
}

/**
 * The input that makes Excel store `text` as text: a leading apostrophe, as a user types it, when Excel would
 * otherwise read it as a formula ("=", "+", "-", "@"), a number, a date, a boolean or an error. The apostrophe
 * is not part of the value.
 */
export function textInput(text: string): string {
  return needsTextPrefix(text) ? `'${text}` : text;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected plan value ${JSON.stringify(value)}`);
}

/** The input Office.js takes for a planned value (a formula's cached result is Excel's to compute). */
export function cellInput(value: PlanValue): string | number {
  switch (value.kind) {
    case 'number':
      return value.value;
    case 'formula':
      return value.formula;
    case 'text':
      return textInput(value.text);
    default:
      return assertNever(value);
  }
}

/**
 * What a step adds to office.js's request, besides the JSON of its values, as the Excel emulator counts the body
 * office.js sends (each object path once per request, and ids that grow through the context's life): a new Range
 * (its path, its Instantiate, and the _KeepReference that Excel.run tracks it with) is some 350 bytes with 4-digit
 * ids; a property set, a method call or a property path reached on the way, some 95. The prices here leave room for
 * longer ids and argument lists.
 */
const RANGE_BYTES = 420;
const ACTION_BYTES = 130;

/**
 * office.js sends a write of `formulas`, `values` or `numberFormat` over more than 1,500 cells as blocks of rows
 * (setRangePropertiesInBulk), each block reached through three more paths: some 600 bytes a block.
 */
const BULK_CELLS = 1_500;
const BULK_BLOCK_BYTES = 720;

/** The bytes office.js adds for splitting a 2-D write of `rows` × `cols` cells into blocks. */
function bulkBytes(rows: number, cols: number): number {
  if (rows * cols <= BULK_CELLS) return 0;
  return ACTION_BYTES + Math.ceil(rows / Math.max(1, Math.round(BULK_CELLS / cols))) * BULK_BLOCK_BYTES;
}

/** Queues work on the context; proxies for sheets are made once per apply. */
class Writer {
  private readonly sheets = new Map<string, Excel.Worksheet>();

  constructor(readonly context: Excel.RequestContext) {}

  sheet(name: string): Excel.Worksheet {
    let ws = this.sheets.get(name);
    if (ws === undefined) {
      ws = this.context.workbook.worksheets.getItem(name);
      this.sheets.set(name, ws);
    }
    return ws;
  }

  addSheet(name: string): Excel.Worksheet {
    const ws = this.context.workbook.worksheets.add(name);
    this.sheets.set(name, ws);
    return ws;
  }

  rect(r: SheetRect): Excel.Range {
    return this.sheet(r.sheet).getRangeByIndexes(r.top, r.left, r.bottom - r.top + 1, r.right - r.left + 1);
  }

  columns(sheet: string, left: number, right: number): Excel.Range {
    return this.sheet(sheet).getRange(`${columnLetters(left)}:${columnLetters(right)}`);
  }
}

/** One piece of queued work and the request bytes it adds (a write of many rows can be cut: see {@link packSteps}). */
interface Step extends PackableStep<Step> {
  readonly queue: (w: Writer) => void;
}

/** What a step queues: the Ranges (and other new objects) it makes, and its other actions. */
interface StepCost {
  readonly ranges: number;
  readonly actions: number;
}

function step(sheet: string, cost: StepCost, payload: number, queue: (w: Writer) => void): Step {
  return { bytes: payload + cost.ranges * RANGE_BYTES + cost.actions * ACTION_BYTES + 2 * utf8Length(sheet), queue };
}

// ----- cell writes ----------------------------------------------------------------------------

type Grid<T> = Array<Array<T | null>>;

/** The number format of a written cell for which the plan has none. */
const GENERAL = 'General';

/** A part of a band's number formats: one format for every cell of the part, or a 2-D array (null = leave alone). */
export interface FormatPiece {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
  readonly format: string | Grid<string>;
}

/** Runs of rows of one format in a column beyond which the column is written as an array. */
const MAX_FORMAT_RUNS = 4;

/** The format most cells of a column take (the first seen of those tied); null when none has one. */
function commonFormat(formats: ReadonlyArray<ReadonlyArray<string | null>>, j: number): string | null {
  const counts = new Map<string, number>();
  let best: string | null = null;
  let most = 0;
  for (const row of formats) {
    const f = row[j] ?? null;
    if (f === null) continue;
    const n = (counts.get(f) ?? 0) + 1;
    counts.set(f, n);
    if (n > most) {
      best = f;
      most = n;
    }
  }
  return best;
}

/** The spans [first, last] of adjacent positions holding the same key. */
function equalSpans<K>(keys: readonly K[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (let j = 0; j < keys.length; ) {
    let k = j;
    while (k + 1 < keys.length && keys[k + 1] === keys[j]) k += 1;
    spans.push([j, k]);
    j = k + 1;
  }
  return spans;
}

/**
 * The number formats of a band of rows in few pieces. Where a column's cells take a few runs of one format (a header,
 * then one format all the way down), each run gets its format as one value, which Office.js applies to every cell of
 * the range ("When setting number format to a range, the value argument can be either a single value (string) or a
 * two-dimensional array. If the argument is a single value, it will be applied to all cells in the range": Excel
 * JavaScript API reference, Range.numberFormat, ExcelApi 1.1). Adjacent columns with the same runs share pieces;
 * other columns are written as a 2-D array (null = leave alone).
 *
 * In a rectangle the add-in owns (`owned`: a block, the summary sheet), a cell it does not write is empty and its
 * format free: each column first gets the format most of its cells take, as one value over the whole band (adjacent
 * columns with the same one share it), and only the cells that differ are written on top, as runs or in an array
 * where the others are null. A column of figures under a header is then one piece, however its rows are spread.
 */
export function formatPieces(formats: ReadonlyArray<ReadonlyArray<string | null>>, top: number, left: number, owned: boolean): FormatPiece[] {
  const width = formats[0]?.length ?? 0;
  const bottom = top + formats.length - 1;
  const bases = Array.from({ length: width }, (_, j) => (owned ? commonFormat(formats, j) : null));
  // The runs of rows whose format is not the column's base; null when there are too many to write as pieces.
  const runsOf = (j: number): Array<[number, number, string]> | null => {
    const runs: Array<[number, number, string]> = [];
    let open = false;
    formats.forEach((row, i) => {
      const f = row[j] ?? null;
      // A cell left alone ends a run, except in an owned rectangle, where it is empty and may take any format.
      if (f === null) {
        open = open && owned;
        return;
      }
      if (f === bases[j]) {
        open = false;
        return;
      }
      const last = runs[runs.length - 1];
      if (open && last !== undefined && last[2] === f) last[1] = i;
      else runs.push([i, i, f]);
      open = true;
    });
    return runs.length <= MAX_FORMAT_RUNS ? runs : null;
  };
  const pieces: FormatPiece[] = [];
  for (const [j, k] of equalSpans(bases)) {
    const base = bases[j];
    if (base !== null && base !== undefined) pieces.push({ top, bottom, left: left + j, right: left + k, format: base });
  }
  const columns = Array.from({ length: width }, (_, j) => runsOf(j));
  for (const [j, k] of equalSpans(columns.map((runs) => (runs === null ? null : JSON.stringify(runs))))) {
    const runs = columns[j];
    if (runs === null || runs === undefined) {
      const grid = formats.map((row) => row.slice(j, k + 1).map((f, d) => (f === bases[j + d] ? null : f)));
      pieces.push({ top, bottom, left: left + j, right: left + k, format: grid });
    } else {
      for (const [from, to, f] of runs) pieces.push({ top: top + from, bottom: top + to, left: left + j, right: left + k, format: f });
    }
  }
  return pieces;
}

/** A row of a rectangle to write: its inputs and formats (null = leave the cell alone), and their bytes. */
interface RectRow {
  readonly inputs: Array<string | number | null>;
  readonly formats: Array<string | null>;
  readonly inputBytes: number;
  readonly bytes: number;
}

/**
 * The most cells one step writes. office.js sends a large write in blocks of rows anyway (see {@link bulkBytes});
 * the bound keeps the 2-D arrays built for one write, and the work of one action in Excel, a modest size.
 */
const MAX_STEP_CELLS = 100_000;

/**
 * The step writing rows `start`..`end` of `rows` (the rectangle's rows from `rect.top`): the band's number formats
 * in few pieces, then its inputs. It can be cut between rows, so that a long block fills each request it needs.
 */
function bandStep(rect: SheetRect, owned: boolean, rows: readonly RectRow[], start: number, end: number): Step {
  const band = rows.slice(start, end + 1);
  const top = rect.top + start;
  const bottom = top + band.length - 1;
  const inputs: Grid<string | number> = band.map((b) => b.inputs);
  const pieces = formatPieces(band.map((b) => b.formats), top, rect.left, owned);
  const width = rect.right - rect.left + 1;
  const payload = band.reduce((n, b) => n + b.inputBytes, 0) + bulkBytes(band.length, width)
    + pieces.reduce((n, p) => n + utf8Length(JSON.stringify(p.format)) + (typeof p.format === 'string' ? 0 : bulkBytes(p.bottom - p.top + 1, p.right - p.left + 1)), 0);
  const made = step(rect.sheet, { ranges: 1 + pieces.length, actions: 1 + pieces.length }, payload, (w) => {
    for (const p of pieces) w.rect({ sheet: rect.sheet, top: p.top, bottom: p.bottom, left: p.left, right: p.right }).numberFormat = p.format as unknown as Grid<string>;
    w.rect({ ...rect, top, bottom }).formulas = inputs;
  });
  const split = (room: number): readonly [Step, Step] | undefined => {
    // A first guess from the rows' own bytes, then a few guesses in proportion to what the band so far weighed (its
    // formats cost less than the rows' arrays of them where they run down a column, its ranges more).
    let guess = start - 1;
    for (let used = made.bytes - payload; guess < end && used + (rows[guess + 1]?.bytes ?? 0) <= room; guess++) used += rows[guess + 1]?.bytes ?? 0;
    let best: Step | undefined;
    let bestCut = start - 1;
    for (let tries = 0; tries < 6 && guess >= start && guess < end; tries++) {
      const first = bandStep(rect, owned, rows, start, guess);
      if (first.bytes <= room && guess > bestCut) {
        best = first;
        bestCut = guess;
      }
      const next = Math.min(end - 1, start + Math.floor(((guess - start + 1) * room) / first.bytes) - 1);
      // Within a fiftieth of the room: close enough.
      if ((first.bytes <= room && room - first.bytes < room / 50) || next === guess) break;
      guess = first.bytes > room ? Math.min(next, guess - 1) : Math.max(next, guess + 1);
      if (guess <= bestCut) break;
    }
    return best === undefined ? undefined : [best, bandStep(rect, owned, rows, bestCut + 1, end)];
  };
  return { ...made, split };
}

/**
 * Writes of one rectangle, as the 2-D arrays Office.js takes (null = leave the cell alone). Every written cell gets
 * a number format, the planned one or "General", set before its input: Excel stores whatever is written to a cell
 * formatted as Text ("@") as text, a formula included. The rectangle is one step (or a few, past
 * {@link MAX_STEP_CELLS}), cut between rows where a request has room for only part of it: fewer, longer bands
 * repeat fewer format pieces and ranges than bands of a fixed size would.
 */
function rectSteps(rect: SheetRect, owned: boolean, at: (row: number, col: number) => CellWrite | undefined): Step[] {
  const rows: RectRow[] = [];
  for (let r = rect.top; r <= rect.bottom; r++) {
    const inputs: Array<string | number | null> = [];
    const formats: Array<string | null> = [];
    for (let c = rect.left; c <= rect.right; c++) {
      const w = at(r, c);
      inputs.push(w === undefined ? null : cellInput(w.value));
      formats.push(w === undefined ? null : w.numberFormat ?? GENERAL);
    }
    // A row's share of a band: its inputs, and (at most) its formats.
    const inputBytes = utf8Length(JSON.stringify(inputs)) + 1;
    rows.push({ inputs, formats, inputBytes, bytes: inputBytes + utf8Length(JSON.stringify(formats)) });
  }
  const rowsPerStep = Math.max(1, Math.floor(MAX_STEP_CELLS / (rect.right - rect.left + 1)));
  const steps: Step[] = [];
  for (let start = 0; start < rows.length; start += rowsPerStep) steps.push(bandStep(rect, owned, rows, start, Math.min(rows.length, start + rowsPerStep) - 1));
  return steps;
}

/**
 * Rows left alone between two tidied cells of a column that still share one write: each costs a null in the inputs
 * and in the formats (some 10 bytes), a write of its own some 450 (three actions, each naming its range).
 */
const MAX_SKIPPED_ROWS = 40;

function keyOf(row: number, col: number): string {
  return `${row}:${col}`;
}

/** Steps writing every planned cell: one rectangle per block, and column runs for the cells normalised in tables. */
function writeSteps(plan: WritePlan): Step[] {
  const bySheet = new Map<string, Map<string, CellWrite>>();
  for (const w of plan.writes) {
    let cells = bySheet.get(w.sheet);
    if (cells === undefined) bySheet.set(w.sheet, (cells = new Map()));
    cells.set(keyOf(w.row, w.col), w);
  }
  const steps: Step[] = [];
  const inBlock = new Set<CellWrite>();
  for (const block of plan.blocks) {
    const cells = bySheet.get(block.sheet);
    if (cells === undefined) continue;
    const mine = [...cells.values()].filter((w) => w.row >= block.top && w.row <= block.bottom && w.col >= block.left && w.col <= block.right);
    if (mine.length === 0) continue;
    mine.forEach((w) => inBlock.add(w));
    const rect = mine.reduce<SheetRect>(
      (r, w) => ({ ...r, top: Math.min(r.top, w.row), bottom: Math.max(r.bottom, w.row), left: Math.min(r.left, w.col), right: Math.max(r.right, w.col) }),
      { sheet: block.sheet, top: Infinity, bottom: -Infinity, left: Infinity, right: -Infinity },
    );
    steps.push(...rectSteps(rect, true, (r, c) => cells.get(keyOf(r, c))));
  }
  // Cells outside blocks (lossless normalisations inside tables): one step per stretch of a column, the rows between
  // them left alone (null) where that costs less than another step.
  const rest = plan.writes.filter((w) => !inBlock.has(w)).sort((a, b) => (a.sheet < b.sheet ? -1 : a.sheet > b.sheet ? 1 : a.col - b.col || a.row - b.row));
  let run: CellWrite[] = [];
  const flush = (): void => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first === undefined || last === undefined) return;
    const cells = new Map(run.map((w) => [keyOf(w.row, w.col), w]));
    steps.push(...rectSteps({ sheet: first.sheet, top: first.row, bottom: last.row, left: first.col, right: first.col }, false, (r, c) => cells.get(keyOf(r, c))));
    run = [];
  };
  for (const w of rest) {
    const prev = run[run.length - 1];
    if (prev !== undefined && !(prev.sheet === w.sheet && prev.col === w.col && w.row - prev.row <= MAX_SKIPPED_ROWS + 1)) flush();
    run.push(w);
  }
  flush();
  return steps;
}

function applyStyle(format: Excel.RangeFormat, style: CellStyle): void {
  if (style.bold) format.font.bold = true;
  if (style.italic) format.font.italic = true;
  if (style.fontColor !== undefined) format.font.color = `#${style.fontColor}`;
  if (style.fill !== undefined) format.fill.color = `#${style.fill}`;
  if (style.wrap) {
    format.wrapText = true;
    format.verticalAlignment = 'Top';
  }
}

/** Steps styling cells: one per run of same-styled cells along a row. */
function styleSteps(writes: readonly CellWrite[]): Step[] {
  const styled = writes.filter((w): w is CellWrite & { style: CellStyle } => w.style !== undefined)
    .sort((a, b) => (a.sheet < b.sheet ? -1 : a.sheet > b.sheet ? 1 : a.row - b.row || a.col - b.col));
  const steps: Step[] = [];
  const runs: Array<{ rect: SheetRect; style: CellStyle; key: string }> = [];
  let i = 0;
  while (i < styled.length) {
    const first = styled[i] as CellWrite & { style: CellStyle };
    const key = JSON.stringify(first.style);
    let j = i;
    while (j + 1 < styled.length) {
      const next = styled[j + 1] as CellWrite & { style: CellStyle };
      const prev = styled[j] as CellWrite;
      if (next.sheet !== first.sheet || next.row !== first.row || next.col !== prev.col + 1 || JSON.stringify(next.style) !== key) break;
      j += 1;
    }
    runs.push({ rect: { sheet: first.sheet, top: first.row, bottom: first.row, left: first.col, right: (styled[j] as CellWrite).col }, style: first.style, key });
    i = j + 1;
  }
  // Runs of the same columns and style on consecutive rows become one rectangle (a list's wrapped column, say).
  runs.sort((a, b) => (a.rect.sheet < b.rect.sheet ? -1 : a.rect.sheet > b.rect.sheet ? 1 : a.rect.left - b.rect.left || a.rect.right - b.rect.right || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || a.rect.top - b.rect.top));
  const merged: typeof runs = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.key === run.key && last.rect.sheet === run.rect.sheet && last.rect.left === run.rect.left && last.rect.right === run.rect.right && last.rect.bottom + 1 === run.rect.top) {
      merged[merged.length - 1] = { ...last, rect: { ...last.rect, bottom: run.rect.top } };
    } else merged.push(run);
  }
  for (const { rect, style } of merged) steps.push(step(rect.sheet, { ranges: 1, actions: 9 }, 64, (w) => applyStyle(w.rect(rect).format, style)));
  return steps;
}

/**
 * Steps adding the conditional formats, in the plan's priority order. Excel puts each rule it adds first in its
 * range's collection, so the rules are added last-first: the plan's first ends on top, above the user's own rules.
 * No priority is set: a priority counts within one range's collection, and a rule object whose priority changed
 * stands for another rule afterwards. `stopIfTrue` is set as the rule is made, before anything can move it.
 *
 * A rule shared by stacked blocks is added once over their areas, through `Worksheet.getRanges` ("Gets the RangeAreas
 * object, representing one or more blocks of rectangular ranges, specified by the address or name"; its
 * `conditionalFormats`, ExcelApi 1.9). Where Excel lacks 1.9, each area gets a rule of its own.
 */
function ruleSteps(rules: readonly ConditionalRule[]): Step[] {
  const areasSupported = isExcelApiSupported('1.9');
  const lastFirst = [...rules].sort((a, b) => b.priority - a.priority).flatMap((rule) => (areasSupported ? [rule] : splitRule(rule)));
  return lastFirst.map((rule) => {
    const areas = rule.range.split(' ');
    // The range or areas, the rule and its custom format, fill and font reached on the way, and five sets.
    return step(rule.sheet, { ranges: 1, actions: 11 }, utf8Length(rule.range + rule.formula) + 64, (w) => {
      const target = areas.length === 1 ? w.sheet(rule.sheet).getRange(rule.range) : w.sheet(rule.sheet).getRanges(areas.join(','));
      const cf = target.conditionalFormats.add('Custom');
      cf.stopIfTrue = rule.stopIfTrue;
      cf.custom.rule.formula = rule.formula;
      cf.custom.format.fill.color = `#${rule.fill}`;
      cf.custom.format.font.color = `#${rule.fontColor}`;
    });
  });
}

/** Groups adjacent columns of a sheet that get the same layout. */
function columnRuns<C extends { readonly sheet: string; readonly col: number }>(columns: readonly C[], same: (a: C, b: C) => boolean): C[][] {
  const sorted = [...columns].sort((a, b) => (a.sheet < b.sheet ? -1 : a.sheet > b.sheet ? 1 : a.col - b.col));
  const runs: C[][] = [];
  for (const c of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (run !== undefined && last !== undefined && last.sheet === c.sheet && last.col + 1 === c.col && same(last, c)) run.push(c);
    else runs.push([c]);
  }
  return runs;
}

function columnSteps(plan: Pick<WritePlan, 'columns'>): Step[] {
  return columnRuns(plan.columns, (a, b) => a.width === b.width && a.hidden === b.hidden).map((run) => {
    const first = run[0] as WritePlan['columns'][number];
    const last = run[run.length - 1] as WritePlan['columns'][number];
    return step(first.sheet, { ranges: 1, actions: 3 }, 32, (w) => {
      const range = w.columns(first.sheet, first.col, last.col);
      // Width first: in Excel, giving a hidden column a width shows it again.
      range.format.columnWidth = charsToPoints(first.width);
      range.columnHidden = first.hidden;
    });
  });
}

function ledgerSteps(plan: WritePlan, read: WorkbookRead): Step[] {
  if (plan.ledger.length === 0) return [];
  const existing = read.snapshot.sheets.find((s) => s.name === LEDGER_SHEET);
  const start = existing?.rows.length ?? 0;
  const lines: string[][] = [...(start === 0 ? [[...LEDGER_HEADER]] : []), ...ledgerRows(plan.ledger)];
  // Every ledger field is data: written as text, whatever it looks like.
  const inputs = lines.map((line) => line.map(textInput));
  const rect: SheetRect = { sheet: LEDGER_SHEET, top: start, left: 0, bottom: start + lines.length - 1, right: LEDGER_HEADER.length - 1 };
  return [step(LEDGER_SHEET, { ranges: 2, actions: 2 }, utf8Length(JSON.stringify(inputs)) + bulkBytes(inputs.length, LEDGER_HEADER.length), (w) => {
    if (existing === undefined) w.addSheet(LEDGER_SHEET).visibility = 'VeryHidden';
    w.rect(rect).formulas = inputs;
  })];
}

/**
 * The defined name that marks the native chart a refresh drew on the summary sheet, referring to the cells it draws
 * (the header row and the rows of counts). Excel alone has it: a file gets no chart. The next refresh rewrites the
 * summary sheet in place, keeping that chart, when the chart still draws the cells it would draw now.
 */
export const SUMMARY_CHART_NAME = `${SUMMARY_NAME}Chart`;

/**
 * What a refresh does to the Scorecard summary sheet:
 * - `rewrite`: ours exists, and its chart (if any) draws the cells the new one would: cleared (contents and formats)
 *   and written again in place, so that it keeps its place, its id and, if someone is looking at it, the focus;
 * - `replace`: ours exists but its chart would draw the wrong rows (the number of tables changed), or it has no chart
 *   an Excel refresh drew (a file refresh wrote it): deleted and added again, and activated if it was the active sheet;
 * - `add`, `delete`: there was none, or there are no tables any more;
 * - `none`: no summary before or after.
 */
export type SummaryWrite =
  | { readonly kind: 'none' }
  | { readonly kind: 'delete'; readonly old: string }
  | { readonly kind: 'add'; readonly summary: SummaryPlan }
  | { readonly kind: 'replace'; readonly old: string; readonly summary: SummaryPlan }
  | { readonly kind: 'rewrite'; readonly summary: SummaryPlan };

/** The cells the summary's chart draws: its header row and the rows of counts, as a rectangle on the summary sheet. */
function chartRect(summary: SummaryPlan, chart: NonNullable<SummaryPlan['chart']>): SheetRect {
  const [from = 'A1', to = from] = chartSource(chart).split(':');
  const a = parseCellAddress(from);
  const b = parseCellAddress(to);
  return { sheet: summary.sheet, top: a.row, left: a.col, bottom: b.row, right: b.col };
}

/** Returns what a refresh plan made from `read` does to the summary sheet (see {@link SummaryWrite}). */
export function summaryWriteOf(plan: WritePlan, read: WorkbookRead): SummaryWrite {
  const old = plan.replaceSummarySheet;
  const summary = plan.summary;
  if (summary === null) return old === null ? { kind: 'none' } : { kind: 'delete', old };
  if (old === null) return { kind: 'add', summary };
  const marker = (read.snapshot.names ?? []).find((n) => n.name === SUMMARY_CHART_NAME);
  const drawn = marker === undefined ? undefined : parseReference(marker.reference);
  const kept = summary.chart === null ? marker === undefined : drawn !== undefined && sameRect(drawn, chartRect(summary, summary.chart));
  return kept ? { kind: 'rewrite', summary } : { kind: 'replace', old, summary };
}

/**
 * The notice a refresh gives when the workbook's structure is protected and the summary sheet would have to be added
 * or deleted, which Excel refuses: the sheet is left as it was (its counts still recalculate), or not made. Null when
 * the summary can be written, which includes rewriting it in place.
 */
export function summaryNotice(plan: WritePlan, read: WorkbookRead): PlanNotice | null {
  if (!read.structureProtected) return null;
  const write = summaryWriteOf(plan, read);
  if (write.kind === 'none' || write.kind === 'rewrite') return null;
  const sheet = write.kind === 'add' ? write.summary.sheet : write.old;
  return {
    sheet,
    cell: 'A1',
    message: `The "${sheet}" sheet was ${write.kind === 'add' ? 'not added' : 'not brought up to date (its counts still recalculate; its list of exceptions is from an earlier refresh)'}: the workbook's structure is protected, so Excel will not add or delete a sheet. Unprotect it (Review › Protect Workbook) and refresh again.`,
  };
}

/**
 * Steps writing the Scorecard summary sheet. Our earlier sheet is rewritten in place when it can be (cleared, then
 * written again; its chart stays), else deleted and added again; a new sheet is named as ours in the same step that
 * adds it (so a failure part-way leaves a sheet the next refresh knows as ours). Then its cells, styles, column
 * widths, its print area one page wide (ExcelApi 1.9, where the host has it) and, on a new sheet, a native stacked
 * bar chart of the counts, named in the step that draws it. A sheet that was active is active again.
 */
function summarySteps(plan: WritePlan, read: WorkbookRead, activeSheet: string | null): Step[] {
  if (summaryNotice(plan, read) !== null) return [];
  const write = summaryWriteOf(plan, read);
  const steps: Step[] = [];
  // Our names go with what they mark, in one step: a failure before it leaves the old summary still known as ours.
  const ownNames = [SUMMARY_NAME, SUMMARY_CHART_NAME].filter((n) => plan.removeNames.includes(n));
  const dropNames = (w: Writer): void => {
    for (const n of ownNames) w.context.workbook.names.getItem(n).delete();
  };
  if (write.kind === 'none') {
    if (ownNames.length > 0) steps.push(step('', { ranges: ownNames.length, actions: ownNames.length }, 64, dropNames));
    return steps;
  }
  if (write.kind === 'delete') {
    steps.push(step(write.old, { ranges: ownNames.length, actions: 2 + ownNames.length }, 64, (w) => {
      dropNames(w);
      w.sheet(write.old).delete();
    }));
    return steps;
  }
  const summary = write.summary;
  const name = summary.sheet;
  const reference = absoluteReference({ sheet: name, top: 0, left: 0, bottom: 0, right: 0 });
  const nameComment = 'Scorecard Refresh: the summary sheet; rewritten on every refresh';
  const chart = summary.chart;
  const chartReference = chart === null ? '' : absoluteReference(chartRect(summary, chart));
  const chartComment = 'Scorecard Refresh: the cells the summary chart draws';
  steps.push(step(name, { ranges: 2 + ownNames.length, actions: 6 + ownNames.length }, utf8Length(name + reference + chartReference) + 128, (w) => {
    dropNames(w);
    if (write.kind === 'rewrite') {
      w.sheet(name).getRange().clear();
    } else {
      if (write.kind === 'replace') w.sheet(write.old).delete();
      w.addSheet(name);
    }
    w.context.workbook.names.add(SUMMARY_NAME, `=${reference}`, nameComment);
    // The chart kept in place still draws these cells.
    if (write.kind === 'rewrite' && chart !== null) w.context.workbook.names.add(SUMMARY_CHART_NAME, `=${chartReference}`, chartComment);
  }));
  const writes = summaryWrites(summary);
  const at = new Map(writes.map((c) => [keyOf(c.row, c.col), c]));
  // Not Math.max(...rows): a summary of a large workbook holds more cells than a call takes arguments.
  const bottom = writes.reduce((n, c) => Math.max(n, c.row), 0);
  const right = writes.reduce((n, c) => Math.max(n, c.col), 0);
  steps.push(...rectSteps({ sheet: name, top: 0, left: 0, bottom, right }, true, (r, c) => at.get(keyOf(r, c))));
  steps.push(...styleSteps(writes));
  steps.push(...columnSteps({ columns: summary.widths.map((x) => ({ sheet: name, col: x.col, width: x.width, hidden: false, outlineLevel: 0 })) }));
  if (isExcelApiSupported('1.9')) {
    steps.push(step(name, { ranges: 0, actions: 4 }, utf8Length(summary.printArea) + 64, (w) => {
      const layout = w.sheet(name).pageLayout;
      layout.setPrintArea(summary.printArea);
      layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
    }));
  }
  if (chart !== null && write.kind !== 'rewrite') {
    steps.push(step(name, { ranges: 2 + chart.series.length, actions: 10 + 4 * chart.series.length }, utf8Length(JSON.stringify(chart) + chartReference) + 64, (w) => {
      addChart(w.sheet(name), chart);
      w.context.workbook.names.add(SUMMARY_CHART_NAME, `=${chartReference}`, chartComment);
    }));
  }
  if (write.kind === 'replace' && activeSheet === write.old) steps.push(step(name, { ranges: 0, actions: 1 }, 0, (w) => w.sheet(name).activate()));
  return steps;
}

/** The summary's cells as the writes the block writer takes. */
function summaryWrites(summary: SummaryPlan): CellWrite[] {
  return summary.cells.map((c) => {
    const style: CellStyle = { ...(c.bold ? { bold: true } : {}), ...(c.wrap ? { wrap: true } : {}), ...(c.fontColor !== undefined ? { fontColor: c.fontColor } : {}) };
    return {
      sheet: summary.sheet, row: c.row, col: c.col, value: c.value, purpose: 'block',
      ...(c.numberFormat !== undefined ? { numberFormat: c.numberFormat } : {}), ...(Object.keys(style).length > 0 ? { style } : {}),
    };
  });
}

/** The summary's rows of counts with their header row: the chart's source, one series per status column. */
function chartSource(chart: NonNullable<SummaryPlan['chart']>): string {
  const first = /^([A-Z]+)(\d+):[A-Z]+(\d+)$/.exec(chart.categories);
  const lastSeries = chart.series[chart.series.length - 1]?.values ?? '';
  const right = /^[A-Z]+\d+:([A-Z]+)\d+$/.exec(lastSeries)?.[1] ?? 'E';
  if (first === null) return chart.categories;
  return `${first[1] ?? 'A'}${Number(first[2]) - 1}:${right}${first[3] ?? ''}`;
}

/**
 * Adds the chart of the counts (charts are ExcelApi 1.1): a stacked bar per table over the counts and their header
 * row, series by columns, each series named and coloured as the plan says, placed over the cells it names.
 */
function addChart(ws: Excel.Worksheet, chart: NonNullable<SummaryPlan['chart']>): void {
  const added = ws.charts.add('BarStacked', ws.getRange(chartSource(chart)), 'Columns');
  added.title.text = chart.title;
  chart.series.forEach((s, i) => {
    const series = added.series.getItemAt(i);
    series.name = s.name;
    series.format.fill.setSolidColor(`#${s.colour}`);
  });
  const anchor = parseCellAddress(chart.anchor);
  added.setPosition(chart.anchor, `${columnLetters(anchor.col + chart.widthColumns - 1)}${anchor.row + chart.heightRows}`);
}

/** The sheets a refresh plan changes. */
export function sheetsChangedBy(plan: WritePlan): string[] {
  const sheets = [
    ...plan.clear.map((r) => r.sheet), ...plan.removeRulesIn.map((r) => r.sheet), ...plan.writes.map((w) => w.sheet),
    ...plan.rules.map((r) => r.sheet), ...plan.columns.map((c) => c.sheet), ...(plan.ledger.length > 0 ? [LEDGER_SHEET] : []),
    ...(plan.replaceSummarySheet !== null ? [plan.replaceSummarySheet] : []),
  ];
  return [...new Set(sheets)];
}

/** The sheets a removal plan changes. */
export function sheetsChangedByRemoval(plan: RemovalPlan): string[] {
  const sheets = [
    ...plan.clear.map((r) => r.sheet), ...plan.resetColumns.map((c) => c.sheet), ...plan.removeRulesIn.map((r) => r.sheet),
    ...plan.restore.map((e) => e.sheet), ...(plan.removeLedgerSheet ? [LEDGER_SHEET] : []),
    ...(plan.removeSummarySheet !== null ? [plan.removeSummarySheet] : []),
  ];
  return [...new Set(sheets)];
}

/** Throws a {@link RefreshError} naming the first protected sheet among `sheets` that exists in the workbook. */
export function assertUnprotected(sheets: readonly string[], read: WorkbookRead, doing: string): void {
  const locked = sheets.filter((s) => read.protectedSheets.has(s));
  const first = locked[0];
  if (first === undefined) return;
  const others = locked.length > 1 ? ` (and ${locked.slice(1).map((s) => `"${s}"`).join(', ')})` : '';
  throw new RefreshError(
    `Sheet "${first}"${others} is protected, so Scorecard Refresh could not ${doing}. Unprotect it (Review › Unprotect Sheet) and try again; nothing was changed.`,
    first,
    { code: 'AccessDenied' },
  );
}

/**
 * Throws a {@link RefreshError} when the workbook's structure is protected and the plan must add or delete the
 * ledger sheet, which Excel would refuse part-way through the write.
 */
export function assertStructureUnlocked(changesSheets: boolean, read: WorkbookRead, doing: string, why: string): void {
  if (!changesSheets || !read.structureProtected) return;
  throw new RefreshError(
    `The workbook's structure is protected, so Scorecard Refresh could not ${doing}: ${why} Unprotect the workbook (Review › Protect Workbook) and try again; nothing was changed.`,
    undefined,
    { code: 'AccessDenied' },
  );
}

/**
 * Sends the steps: in one request unless they pass the 5 MB limit. Calculation waits until the request is
 * done, and our own writes fire no change events when the host can switch them off. When the workbook does not
 * calculate by itself (calculation mode not Automatic), the last request ends with a recalculation.
 */
async function sendSteps(context: Excel.RequestContext, counter: SyncCounter, steps: readonly Step[], read: WorkbookRead): Promise<void> {
  if (steps.length === 0) return;
  const writer = new Writer(context);
  const batches = packSteps(steps, REQUEST_BUDGET);
  const events = read.enableEvents;
  const automatic = read.calculationMode === 'Automatic';
  const last = batches.length - 1;
  try {
    // Normally one batch. More only when the request would pass 5 MB: round trips grow with bytes written,
    // not with rows or sheets.
    for (const [i, batch] of batches.entries()) {
      // In Manual mode nothing calculates until asked, so there is nothing to suspend.
      if (automatic) context.application.suspendApiCalculationUntilNextSync();
      if (i === 0 && events !== null) context.runtime.enableEvents = false;
      for (const s of batch) s.queue(writer);
      if (i === last && !automatic) context.application.calculate('Recalculate');
      if (i === last && events !== null) context.runtime.enableEvents = events;
      await counter.syncWrites();
    }
  } catch (error) {
    // Excel keeps the operations queued before a failing one, the switch included: put events back whatever
    // failed, in a request of its own (it fails too only when Excel refuses every request, e.g. in cell-edit
    // mode, and then the switch was never sent).
    if (events !== null) {
      context.runtime.enableEvents = events;
      await counter.sync().catch(() => undefined);
    }
    throw error;
  }
}

/** Whether a defined name marks a block (the names the next refresh finds its blocks by). */
function isBlockName(name: string): boolean {
  return name.endsWith('_Block');
}

/**
 * Steps setting the page layout of each sheet the user asked to print fitted to the page width (ExcelApi 1.9): its
 * title columns repeat at the left of every page, and it prints landscape, one page wide, as many pages tall as it
 * needs. Nothing else of the page layout (print area, margins, paper) changes. None where the host has no page layout.
 */
function printSteps(print: readonly SheetPrintPlan[]): Step[] {
  if (print.length === 0 || !isExcelApiSupported('1.9')) return [];
  return print.map((p) => step(p.sheet, { ranges: 0, actions: 5 }, utf8Length(p.titleColumns) + 96, (w) => {
    const layout = w.sheet(p.sheet).pageLayout;
    layout.setPrintTitleColumns(p.titleColumns);
    layout.orientation = p.orientation === 'landscape' ? 'Landscape' : 'Portrait';
    layout.zoom = { horizontalFitToPages: p.pagesWide, verticalFitToPages: p.pagesTall };
  }));
}

/**
 * The notice a refresh gives when the user asked to fit the scorecard to the page width and this Excel has no page
 * layout to set (before ExcelApi 1.9); null otherwise.
 */
export function printNotice(print: readonly SheetPrintPlan[]): PlanNotice | null {
  const first = print[0];
  if (first === undefined || isExcelApiSupported('1.9')) return null;
  return {
    sheet: first.sheet,
    cell: 'A1',
    message: 'The sheets were not set to print landscape and one page wide: this version of Excel cannot set the page layout from an add-in (it needs Excel 2021 or Microsoft 365). Set Page Layout › Fit to 1 page wide yourself, or refresh in a later Excel.',
  };
}

/** What a refresh applies besides its plan. */
export interface ApplyOptions {
  /** Print settings for the sheets with blocks ({@link planPrint}), when the user asked for them; none leaves every page layout alone. */
  readonly print?: readonly SheetPrintPlan[];
  /** The sheet that was active when the workbook was read: the summary sheet stays active if it was. */
  readonly activeSheet?: string | null;
}

/**
 * Applies a refresh plan made from `read`, in one sync (more only past 5 MB). Throws a {@link RefreshError}
 * and writes nothing when a sheet it would change is protected, or when it must add the ledger sheet to a
 * workbook whose structure is protected.
 *
 * The order survives a failure part-way (Excel keeps what came before the failing operation): old blocks
 * are cleared before the names that find them go; the ledger records a cell's original text before the
 * cell is overwritten; a block's `_Block` name exists before its cells are written, so the next refresh
 * finds and clears whatever part of it was written. Rules, column layout and page layout come last.
 */
export async function applyPlan(context: Excel.RequestContext, plan: WritePlan, read: WorkbookRead, counter: SyncCounter, options: ApplyOptions = {}): Promise<void> {
  assertUnprotected(sheetsChangedBy(plan), read, 'write the scorecard');
  const addsLedger = plan.ledger.length > 0 && !read.snapshot.sheets.some((s) => s.name === LEDGER_SHEET);
  assertStructureUnlocked(addsLedger, read, 'write the scorecard', 'it keeps the original text of the cells it tidies on a hidden sheet of its own, and Excel will not add that sheet.');
  const nameStep = (n: WritePlan['names'][number]): Step => step('', { ranges: 0, actions: 2 }, utf8Length(n.name + n.reference + n.comment), (w) => {
    w.context.workbook.names.add(n.name, `=${n.reference}`, n.comment);
  });
  const steps: Step[] = [
    ...plan.clear.map((r) => step(r.sheet, { ranges: 1, actions: 1 }, 0, (w) => w.rect(r).clear())),
    ...plan.removeRulesIn.map((r) => step(r.sheet, { ranges: 1, actions: 2 }, 0, (w) => w.rect(r).conditionalFormats.clearAll())),
    // The summary's names are taken away with what they mark (see summarySteps).
    ...plan.removeNames.filter((name) => name !== SUMMARY_NAME && name !== SUMMARY_CHART_NAME)
      .map((name) => step('', { ranges: 1, actions: 1 }, utf8Length(name), (w) => w.context.workbook.names.getItem(name).delete())),
    ...ledgerSteps(plan, read),
    // The words come before the formulas that read them, so that no formula is ever written reading a missing name.
    ...plan.names.filter((n) => isBlockName(n.name) || isWordListName(n.name)).map(nameStep),
    ...writeSteps(plan),
    ...styleSteps(plan.writes),
    ...plan.names.filter((n) => !isBlockName(n.name) && !isWordListName(n.name)).map(nameStep),
    ...ruleSteps(plan.rules),
    ...columnSteps(plan),
    ...printSteps(options.print ?? []),
    ...summarySteps(plan, read, options.activeSheet ?? null),
  ];
  await sendSteps(context, counter, steps, read);
}

/**
 * Applies a removal plan made from `read` in one sync: blocks cleared, column layout reset, rules and names
 * removed, normalised cells given back their original text and format, the ledger sheet deleted.
 */
export async function applyRemoval(context: Excel.RequestContext, plan: RemovalPlan, read: WorkbookRead, counter: SyncCounter): Promise<void> {
  assertUnprotected(sheetsChangedByRemoval(plan), read, 'remove the scorecard');
  assertStructureUnlocked(plan.removeLedgerSheet, read, 'remove the scorecard', 'it would delete the hidden sheet where it kept the original text of the cells it tidied, and Excel will not delete a sheet.');
  assertStructureUnlocked(plan.removeSummarySheet !== null, read, 'remove the scorecard', `it would delete the "${plan.removeSummarySheet ?? ''}" sheet, and Excel will not delete a sheet.`);
  const steps: Step[] = [
    ...plan.clear.map((r) => step(r.sheet, { ranges: 1, actions: 1 }, 0, (w) => w.rect(r).clear())),
    ...columnRuns(plan.resetColumns, () => true).map((run) => {
      const first = run[0] as RemovalPlan['resetColumns'][number];
      const last = run[run.length - 1] as RemovalPlan['resetColumns'][number];
      return step(first.sheet, { ranges: 1, actions: 3 }, 32, (w) => {
        const range = w.columns(first.sheet, first.col, last.col);
        range.format.useStandardWidth = true;
        range.columnHidden = false;
      });
    }),
    ...plan.removeRulesIn.map((r) => step(r.sheet, { ranges: 1, actions: 2 }, 0, (w) => w.rect(r).conditionalFormats.clearAll())),
    ...plan.removeNames.map((name) => step('', { ranges: 1, actions: 1 }, utf8Length(name), (w) => w.context.workbook.names.getItem(name).delete())),
    ...plan.restore.map((e) => step(e.sheet, { ranges: 1, actions: 2 }, utf8Length(e.text + e.numberFormat) + 8, (w) => {
      const { row, col } = parseCellAddress(e.cell);
      const range = w.rect({ sheet: e.sheet, top: row, left: col, bottom: row, right: col });
      range.formulas = [[textInput(e.text)]];
      range.numberFormat = [[e.numberFormat]];
    })),
    // Last, once every original is back. Excel refuses to delete a very hidden sheet: hide it plainly first.
    ...(plan.removeLedgerSheet ? [step(LEDGER_SHEET, { ranges: 0, actions: 2 }, 0, (w) => {
      const ws = w.sheet(LEDGER_SHEET);
      ws.visibility = 'Hidden';
      ws.delete();
    })] : []),
    ...(plan.removeSummarySheet !== null ? [step(plan.removeSummarySheet, { ranges: 0, actions: 1 }, 0, (w) => w.sheet(plan.removeSummarySheet as string).delete())] : []),
  ];
  await sendSteps(context, counter, steps, read);
}
