/**
 * The write plan: what a refresh does to a workbook, as plain data that both adapters (ExcelJS for
 * files, Office.js inside Excel) apply. Lossless normalisations in place, an output block of live
 * formulas right of each table, conditional formats keyed on the Status and Trend cells, defined names.
 */
import { cellAddress, columnLetters, parseCellAddress, quoteSheetName } from './address';
import { floatCmp } from './compare';
import { DetectedTable } from './detect';
import { planSummary, SUMMARY_SHEET, SummaryPlan } from './summary';
import { DEFAULT_SETTINGS, Evaluation, EvaluationSettings, evaluateWorkbook } from './evaluate';
import { columnRole } from './interpret';
import {
  arrayConstant, assertNever, emitBlock, Expr, Placement, RuleValue, STATUS_CODE, STATUS_VOCABULARY, statusOfCode, TREND_CODE,
  TREND_VOCABULARY, TrendKey, Verdict, WORD_LISTS, WordListName,
} from './rules';
import { losslessFormat, Normalisation } from './display';
import { shareStackedRules } from './rule-areas';
import { CellSnapshot, SheetSnapshot, textAt, WorkbookSnapshot } from './snapshot';
import { NumberValue, parseNumberText } from './value';

/** What a planned cell holds. Text is always literal: adapters must write it so it cannot become a formula. */
export type PlanValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'formula'; readonly formula: string; readonly cached: number | string | null };

/** Direct formatting of a planned cell. Colours are RRGGBB. */
export interface CellStyle {
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly fill?: string;
  readonly fontColor?: string;
  readonly wrap?: boolean;
}

/** One cell to write. Rows and columns are 0-based. */
export interface CellWrite {
  readonly sheet: string;
  readonly row: number;
  readonly col: number;
  readonly value: PlanValue;
  readonly numberFormat?: string;
  readonly style?: CellStyle;
  readonly purpose: 'normalise' | 'block';
}

/**
 * A conditional format. `range` is one or more areas separated by spaces, listed top first, all in the same columns
 * (the blocks stacked there share a rule); `formula` is written against the top-left cell of the first area.
 */
export interface ConditionalRule {
  readonly sheet: string;
  readonly range: string;
  readonly formula: string;
  readonly fill: string;
  readonly fontColor: string;
  readonly priority: number;
  readonly stopIfTrue: boolean;
}

/** A workbook-scoped defined name. `reference` has no leading "=". */
export interface DefinedName {
  readonly name: string;
  readonly reference: string;
  readonly comment: string;
}

/** A rectangle on a sheet, 0-based inclusive. */
export interface SheetRect {
  readonly sheet: string;
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** True when two rectangles share a cell. */
export function rectsOverlap(a: SheetRect, b: SheetRect): boolean {
  return a.sheet === b.sheet && a.top <= b.bottom && b.top <= a.bottom && a.left <= b.right && b.left <= a.right;
}

/** True when two rectangles are the same cells of the same sheet. */
export function sameRect(a: SheetRect, b: SheetRect): boolean {
  return a.sheet === b.sheet && a.top === b.top && a.left === b.left && a.bottom === b.bottom && a.right === b.right;
}

/** True when every cell of `inner` lies in `outer`. */
export function rectWithin(inner: SheetRect, outer: SheetRect): boolean {
  return inner.sheet === outer.sheet && inner.top >= outer.top && inner.bottom <= outer.bottom && inner.left >= outer.left && inner.right <= outer.right;
}

/** Column layout for the block's columns. */
export interface ColumnLayout {
  readonly sheet: string;
  readonly col: number;
  readonly width: number;
  readonly hidden: boolean;
  readonly outlineLevel: number;
}

/** A normalised cell's original, so that `remove` can put it back. */
export interface LedgerEntry {
  readonly sheet: string;
  readonly cell: string;
  readonly text: string;
  readonly numberFormat: string;
}

/** Something the user must be told about the refresh (e.g. no room for a table's block). */
export interface PlanNotice {
  readonly sheet: string;
  readonly cell: string;
  readonly message: string;
}

/** The block written for one table. */
export interface BlockPlacement extends SheetRect {
  readonly title: string | null;
  readonly tableRange: string;
  readonly key: string;
  /** 0-based column of each block column, by name. */
  readonly columns: Readonly<Record<BlockColumn, number>>;
}

/**
 * The whole plan. Adapters clear old blocks, rules and names first, record the ledger before overwriting any
 * normalised cell, add the `_Block` names before the cells (so a failure part-way leaves nothing unnamed), then
 * write cells, rules, the other names and column layout.
 */
export interface WritePlan {
  readonly clear: readonly SheetRect[];
  readonly removeRulesIn: readonly SheetRect[];
  readonly removeNames: readonly string[];
  readonly writes: readonly CellWrite[];
  readonly rules: readonly ConditionalRule[];
  readonly names: readonly DefinedName[];
  readonly columns: readonly ColumnLayout[];
  /** New ledger entries; the ledger sheet keeps earlier ones. */
  readonly ledger: readonly LedgerEntry[];
  readonly blocks: readonly BlockPlacement[];
  readonly notices: readonly PlanNotice[];
  readonly evaluation: Evaluation;
  /**
   * The Scorecard summary sheet to write (null when no table was found), and the name of the summary sheet an
   * earlier refresh wrote, which adapters delete first. Our summary sheet is known by the defined name
   * `Scorecard_Summary` (SUMMARY_NAME), which adapters add once the sheet exists, referring to its A1; a user's own
   * sheet of that name is never touched.
   */
  readonly summary: SummaryPlan | null;
  readonly replaceSummarySheet: string | null;
}

/** The palettes: default traffic lights, and a colour-blind-safe set (blue / orange / vermillion). */
export type PaletteName = 'default' | 'colour-blind';

interface Swatch { readonly fill: string; readonly font: string }
const PALETTES: Record<PaletteName, Record<Verdict, Swatch>> = {
  default: {
    green: { fill: 'C6EFCE', font: '006100' }, amber: { fill: 'FFEB9C', font: '9C5700' },
    red: { fill: 'FFC7CE', font: '9C0006' }, none: { fill: 'EDEDED', font: '595959' },
  },
  'colour-blind': {
    green: { fill: 'CCE3F2', font: '00467A' }, amber: { fill: 'FBE3B5', font: '7A5000' },
    red: { fill: 'F6CDB3', font: '8A3300' }, none: { fill: 'EDEDED', font: '595959' },
  },
};

/** Prefix of every defined name the product owns. */
export const NAME_PREFIX = 'Scorecard_';
/** The very hidden sheet where normalised cells' originals are kept. */
export const LEDGER_SHEET = 'ScorecardLedger';

/**
 * The block's columns, in order: six visible, then hidden helpers that keep Status and Trend short (the position
 * of the latest and previous values, the previous value, a live target's bounds, the status and trend codes the
 * colours key on, and a budget line's current variance and its change). A helper a row does not need stays empty.
 * The last, for the reader, is the amber band the row was judged with (a share of the target, or units as the
 * formulas compare them); the Status formula holds it too.
 */
export const BLOCK_COLUMNS = [
  'target', 'latest', 'variance', 'variancePct', 'status', 'trend',
  'previous', 'latestIndex', 'previousIndex', 'min', 'max', 'statusCode', 'trendCode', 'currentVariance', 'change', 'amberTolerance',
] as const;
/** A block column's name. */
export type BlockColumn = (typeof BLOCK_COLUMNS)[number];

const HEADERS: Record<BlockColumn, string> = {
  target: 'Target (as read)', latest: 'Latest', variance: 'Variance', variancePct: 'Variance %', status: 'Status', trend: 'Trend',
  previous: 'Previous (helper)', latestIndex: 'Latest position', previousIndex: 'Previous position', min: 'Target min', max: 'Target max',
  statusCode: 'Status code', trendCode: 'Trend code', currentVariance: 'Current variance', change: 'Change in variance',
  amberTolerance: 'Amber tolerance',
};
const WIDTHS: Partial<Record<BlockColumn, number>> = { target: 22, latest: 11, variance: 11, variancePct: 12, status: 12, trend: 17 };
const VISIBLE = 6;

/** Options of a refresh. */
export interface RefreshOptions {
  readonly settings?: EvaluationSettings;
  readonly palette?: PaletteName;
}

/** Longest key: Excel allows 255 characters in a name, and the key gets a prefix and a role suffix. */
const MAX_KEY_LENGTH = 120;
/** Longest comment Excel accepts on a name. */
const MAX_COMMENT_LENGTH = 255;

function sanitise(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
}

/** A name-safe key for a table, unique within the workbook: "Sheet_Title", with the range added when needed. */
function keyOf(table: DetectedTable, taken: ReadonlySet<string>): string {
  const raw = sanitise(`${table.sheet}_${table.title ?? table.range}`).slice(0, MAX_KEY_LENGTH);
  const base = /^[A-Za-z_]/.test(raw) ? raw : `T_${raw}`;
  if (!taken.has(base.toLowerCase())) return base;
  const withRange = `${base.slice(0, MAX_KEY_LENGTH - 12)}_${sanitise(table.range)}`;
  let key = withRange;
  for (let n = 2; taken.has(key.toLowerCase()); n++) key = `${withRange}_${n}`;
  return key;
}

function comment(text: string): string {
  return text.length <= MAX_COMMENT_LENGTH ? text : `${text.slice(0, MAX_COMMENT_LENGTH - 1)}…`;
}

/** Parses a defined name's reference "'Sheet 1'!$A$1:$C$3" into a rectangle, or undefined. Cells are read by parseCellAddress. */
export function parseReference(reference: string): SheetRect | undefined {
  const m = /^=?(?:'((?:[^']|'')+)'|([^!]+))!([^:]+)(?::([^:]+))?$/.exec(reference.trim());
  if (!m || m[3] === undefined) return undefined;
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? '');
  try {
    const from = parseCellAddress(m[3]);
    const to = m[4] !== undefined ? parseCellAddress(m[4]) : from;
    return { sheet, top: from.row, left: from.col, bottom: to.row, right: to.col };
  } catch {
    return undefined;
  }
}


/** Returns an absolute reference "'Sheet'!$A$1:$B$2" for a rectangle. */
export function absoluteReference(r: SheetRect): string {
  const a = (row: number, col: number): string => `$${columnLetters(col)}$${row + 1}`;
  return `${quoteSheetName(r.sheet)}!${a(r.top, r.left)}${r.top === r.bottom && r.left === r.right ? '' : `:${a(r.bottom, r.right)}`}`;
}

/** The defined names holding the status and trend words (array constants), which the Status and Trend formulas read. */
export function wordListNames(): DefinedName[] {
  return (Object.keys(WORD_LISTS) as WordListName[]).map((name) => ({
    name, reference: arrayConstant(WORD_LISTS[name]),
    comment: comment(`Scorecard Refresh: the ${name === 'Scorecard_Status' ? 'status' : 'trend'} words the scorecard columns show, by code; replaced on every refresh`),
  }));
}

/** Whether a defined name holds words (an array constant) rather than marking cells. */
export function isWordListName(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(WORD_LISTS, name);
}

/** Returns the blocks an earlier refresh wrote, from the workbook's defined names. */
export function ownBlocks(snapshot: WorkbookSnapshot): SheetRect[] {
  return (snapshot.names ?? [])
    .filter((n) => n.name.startsWith(NAME_PREFIX) && n.name.endsWith('_Block'))
    .map((n) => parseReference(n.reference))
    .filter((r): r is SheetRect => r !== undefined);
}

/** Returns the snapshot without our earlier blocks and without the ledger sheet: what the user owns. */
export function withoutOwnBlocks(snapshot: WorkbookSnapshot): WorkbookSnapshot {
  const blocks = ownBlocks(snapshot);
  const summary = ownSummarySheet(snapshot);
  return {
    ...snapshot,
    sheets: snapshot.sheets.filter((s) => s.name !== LEDGER_SHEET && s.name !== summary).map((sheet) => {
      const mine = blocks.filter((b) => b.sheet === sheet.name);
      if (mine.length === 0) return sheet;
      return {
        ...sheet,
        rows: sheet.rows.map((row, r) => row.map((cell, c) => (mine.some((b) => r >= b.top && r <= b.bottom && c >= b.left && c <= b.right) ? undefined : cell))),
      };
    }),
  };
}

/** The defined name that marks our summary sheet. */
export const SUMMARY_NAME = `${NAME_PREFIX}Summary`;

/** The summary sheet an earlier refresh wrote (known by its defined name), or null. */
export function ownSummarySheet(snapshot: WorkbookSnapshot): string | null {
  const ref = (snapshot.names ?? []).find((n) => n.name === SUMMARY_NAME)?.reference;
  if (ref === undefined) return null;
  const m = /^(?:'((?:[^']|'')+)'|([^!]+))!/.exec(ref);
  const sheet = m === null ? undefined : m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  return sheet !== undefined && snapshot.sheets.some((s) => s.name === sheet) ? sheet : null;
}

/** A name for the summary sheet: ours again, else "Scorecard summary", else the first of "… 2", "… 3" that is free. */
function summarySheetName(snapshot: WorkbookSnapshot): string {
  const own = ownSummarySheet(snapshot);
  if (own !== null) return own;
  const taken = new Set(snapshot.sheets.map((s) => s.name.toLowerCase()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? SUMMARY_SHEET : `${SUMMARY_SHEET} ${n}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/**
 * The left column of each table's block. Tables stacked on a sheet whose blocks would cross each other's columns
 * (a wide table above a narrow one) share one left, the rightmost of their own, so that their blocks share one
 * layout: the same column is Status in each, sized and shown once, and helpers are hidden for all.
 */
function sharedLefts(tables: readonly DetectedTable[], width: number): Map<DetectedTable, number> {
  const out = new Map<DetectedTable, number>();
  const sheets = new Map<string, DetectedTable[]>();
  for (const t of tables) {
    const onSheet = sheets.get(t.sheet);
    if (onSheet === undefined) sheets.set(t.sheet, [t]);
    else onSheet.push(t);
  }
  for (const onSheet of sheets.values()) {
    const sorted = [...onSheet].sort((a, b) => a.right - b.right);
    let group: DetectedTable[] = [];
    const close = (): void => {
      const left = Math.max(...group.map((t) => t.right + 2));
      for (const t of group) out.set(t, left);
      group = [];
    };
    for (const t of sorted) {
      const last = group[group.length - 1];
      // A spacer and a block: columns right + 1 to right + 1 + width.
      if (last !== undefined && t.right + 1 > last.right + 1 + width) close();
      group.push(t);
    }
    if (group.length > 0) close();
  }
  return out;
}

/** Checks the columns of a block at `left` beside a table (the spacer and gap before it too) are free. */
function placeBlock(sheet: SheetSnapshot, table: DetectedTable, width: number, taken: readonly SheetRect[], left = table.right + 2): { left: number } | { blockedBy: string } {
  const top = table.top;
  const bottom = table.bottom;
  for (let c = table.right + 1; c < left + width; c++) {
    for (let r = top; r <= bottom; r++) {
      if (textAt(sheet, r, c) !== '' || sheet.rows[r]?.[c]?.formula !== undefined) return { blockedBy: cellAddress(r, c) };
    }
  }
  for (const m of sheet.merges ?? []) {
    const [a = '', b = a] = m.split(':');
    const p = parseCellAddress(a);
    const q = parseCellAddress(b);
    if (p.row <= bottom && q.row >= top && p.col <= left + width - 1 && q.col >= table.right + 1) {
      return { blockedBy: cellAddress(Math.max(p.row, top), Math.max(p.col, table.right + 1)) };
    }
  }
  for (const t of taken) {
    if (t.sheet === sheet.name && t.top <= bottom && t.bottom >= top && t.left <= left + width - 1 && t.right >= table.right + 1) {
      return { blockedBy: cellAddress(Math.max(t.top, top), Math.max(t.left, table.right + 1)) };
    }
  }
  return { left };
}

/**
 * Returns true when a column holds nothing of the user's outside the block's rows and those of the blocks stacked
 * in the same columns (same left: they share one layout), and no block placed otherwise crosses it.
 */
function isColumnFree(sheet: SheetSnapshot, col: number, block: SheetRect, otherBlocks: readonly SheetRect[]): boolean {
  const mine = otherBlocks.filter((b) => b.sheet === sheet.name && col >= b.left - 1 && col <= b.right);
  if (mine.some((b) => b.left !== block.left)) return false;
  // Rows outside the blocks' spans, visited gap by gap.
  const spans = [block, ...mine].sort((a, b) => a.top - b.top);
  let r = 0;
  for (const span of [...spans, { top: sheet.rows.length, bottom: sheet.rows.length }]) {
    for (; r < Math.min(span.top, sheet.rows.length); r++) {
      const cell = sheet.rows[r]?.[col];
      if (cell !== undefined && (cell.text.trim() !== '' || cell.formula !== undefined)) return false;
    }
    r = Math.max(r, span.bottom + 1);
  }
  return true;
}

/** Widest a text column of the block grows to fit its words, in characters. */
const MAX_TEXT_WIDTH = 40;

/**
 * The width of a block's text column: wide enough for the longest text planned in it ("○ Target unclear",
 * "≥ 60% (direct from the sheet)"), never narrower than `standard` nor wider than 40 characters. Wrapped headers
 * do not count.
 */
function fittedWidth(longestText: ReadonlyMap<string, number>, sheet: string, col: number, standard: number): number {
  const longest = longestText.get(`${sheet}\u0000${col}`) ?? 0;
  return Math.min(MAX_TEXT_WIDTH, Math.max(standard, longest + 2));
}

/** The longest text each column of the blocks shows (by sheet and column), found in one pass over the writes. */
function longestTexts(writes: readonly CellWrite[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const w of writes) {
    if (w.purpose !== 'block' || w.style?.wrap === true) continue;
    const shown = w.value.kind === 'text' ? w.value.text : w.value.kind === 'formula' && typeof w.value.cached === 'string' ? w.value.cached : '';
    if (shown === '') continue;
    const key = `${w.sheet}\u0000${w.col}`;
    out.set(key, Math.max(out.get(key) ?? 0, [...shown].length));
  }
  return out;
}

/** Width Excel gives a column nobody has sized, in characters. */
const STANDARD_WIDTH = 8.43;
/** Text that ran on to the right before a refresh shows at least this many characters after it. */
const OVERFLOW_SHOWN = 60;

/**
 * The width the spacer column left of a block needs so that text in the table's last column, which ran on over the
 * empty cells to its right before the refresh, still shows its first 60 characters (or all of it) beside the block;
 * null when the standard width is enough. The last column is taken at the standard width.
 */
function spacerWidth(sheet: SheetSnapshot, block: SheetRect): number | null {
  let longest = 0;
  for (let r = block.top; r <= block.bottom; r++) {
    const cell = sheet.rows[r]?.[block.left - 2];
    // Numbers and dates do not run on: Excel shows ### instead.
    if (cell !== undefined && typeof cell.value === 'string') longest = Math.max(longest, cell.text.trim().length);
  }
  const needed = Math.ceil(Math.min(longest, OVERFLOW_SHOWN) - STANDARD_WIDTH) + 1;
  return needed > STANDARD_WIDTH ? needed : null;
}

function valueFormat(v: NumberValue | undefined, source: CellSnapshot | undefined, normalised: Normalisation | undefined): string {
  if (normalised) return normalised.format;
  if (source && typeof source.value === 'number' && source.numberFormat) return source.numberFormat;
  if (!v) return 'General';
  const dec = v.decimals > 0 ? `.${'0'.repeat(v.decimals)}` : '';
  if (v.unit === 'percent') return `0${dec}%`;
  if (v.unit === 'currency') return `"${v.currency ?? '£'}"#,##0${dec}`;
  return Math.abs(v.value) >= 1000 ? `#,##0${dec}` : `0${dec}`;
}

/** True when a number format shows negatives in brackets: its second section is "(…)" ("0;(0)", "#,##0;[Red](#,##0)"). */
function isBracketed(format: string): boolean {
  return /^[^;]*;(\[[^\]]*\])?\(.*\)/.test(format);
}

/** The number format of the table's first typed figure (row by row) that shows negatives in brackets, if one does. */
function bracketedFormatIn(sheet: SheetSnapshot, table: DetectedTable): string | undefined {
  for (const r of table.dataRows) {
    const row = sheet.rows[r];
    if (row === undefined) continue;
    for (let c = table.left; c <= table.right; c++) {
      const cell = row[c];
      if (typeof cell?.value === 'number' && isBracketed(cell.numberFormat ?? '')) return cell.numberFormat;
    }
  }
  return undefined;
}

/** A rule's result as a planned formula's cached value ("" for an empty result; errors are left for the host). */
function cachedOf(v: RuleValue | undefined): number | string | null {
  if (v === undefined) return '';
  switch (v.kind) {
    case 'number': return v.value;
    case 'text': return v.value;
    case 'boolean': return v.value ? 1 : 0;
    case 'blank': return '';
    case 'error': return null;
    default: return assertNever(v);
  }
}

/** A literal the block writes as a value, or undefined for nothing (an empty text). */
function literalValue(e: Expr): PlanValue | undefined {
  if (e.kind === 'number') return { kind: 'number', value: e.value };
  if (e.kind === 'text') return e.value === '' ? undefined : { kind: 'text', text: e.value };
  if (e.kind === 'boolean') return { kind: 'number', value: e.value ? 1 : 0 };
  return undefined;
}

/**
 * Where a table's roles sit: each sheet column under its role, and the block's columns. Tables stacked in the same
 * columns with their blocks at the same left are laid out alike: they get one object (from `layouts`, one refresh's),
 * so that the formula templates the emitter keeps per layout serve all of them.
 */
function placedColumns(table: DetectedTable, colOf: Readonly<Record<BlockColumn, number>>, layouts: Map<string, Placement['columns']>): Placement['columns'] {
  const key = `${table.right}:${colOf.target}`;
  const known = layouts.get(key);
  if (known !== undefined) return known;
  const columns: Record<string, number> = {};
  for (let c = 0; c <= table.right; c++) columns[columnRole(c)] = c;
  for (const k of BLOCK_COLUMNS) columns[k] = colOf[k];
  layouts.set(key, columns);
  return columns;
}

/**
 * Plans a refresh of a workbook: evaluates what the user owns (earlier blocks set aside) and returns every
 * write, rule and name to apply. Applying the plan to its own result plans the same writes again.
 */
export function planRefresh(snapshot: WorkbookSnapshot, options: RefreshOptions = {}): WritePlan {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const palette = PALETTES[options.palette ?? 'default'];
  const previousBlocks = ownBlocks(snapshot);
  const userBook = withoutOwnBlocks(snapshot);
  const evaluation = evaluateWorkbook(userBook, settings);
  const ledgerSheet = snapshot.sheets.find((s) => s.name === LEDGER_SHEET);
  const ledgered = new Set(ledgerEntries(ledgerSheet).map((e) => `${e.sheet}!${e.cell}`));

  const writes: CellWrite[] = [];
  const rules: ConditionalRule[] = [];
  const names: DefinedName[] = [];
  const columns: ColumnLayout[] = [];
  const ledger: LedgerEntry[] = [];
  const blocks: BlockPlacement[] = [];
  const notices: PlanNotice[] = [];
  const width = BLOCK_COLUMNS.length;
  const lefts = sharedLefts(evaluation.tables.map((et) => et.table), width);
  const layouts = new Map<string, Placement['columns']>();
  let priority = 1;

  for (const et of evaluation.tables) {
    const table = et.table;
    const sheet = userBook.sheets.find((s) => s.name === table.sheet) as SheetSnapshot;
    const shared = lefts.get(table) ?? table.right + 2;
    // Where the shared columns hold the user's data beside this table, it keeps its own.
    const atShared = placeBlock(sheet, table, width, blocks, shared);
    const placement = 'blockedBy' in atShared && shared !== table.right + 2 ? placeBlock(sheet, table, width, blocks) : atShared;
    if ('blockedBy' in placement) {
      notices.push({ sheet: table.sheet, cell: placement.blockedBy, message: `No room for the scorecard columns of "${table.title ?? table.range}" on ${table.sheet}: ${placement.blockedBy} holds data. Nothing was written for this table; move that data or the table.` });
      continue;
    }
    // The cells the interpret stage found the refresh types (read once, with the table's other cells).
    const norms = et.normalisations;
    const normAt = new Map(norms.map((x) => [`${x.row}:${x.col}`, x]));
    for (const x of norms) {
      writes.push({ sheet: table.sheet, row: x.row, col: x.col, value: { kind: 'number', value: x.value }, numberFormat: x.format, purpose: 'normalise' });
      const cell = cellAddress(x.row, x.col);
      if (!ledgered.has(`${table.sheet}!${cell}`)) ledger.push({ sheet: table.sheet, cell, text: x.original.text, numberFormat: x.original.numberFormat ?? 'General' });
    }

    // The table's own format for money in brackets, if it has one ("0;(0)" on a printed "(284)").
    const bracketed = [...normAt.values()].map((x) => x.format).find(isBracketed) ?? bracketedFormatIn(sheet, table);
    const left = placement.left;
    const colOf = Object.fromEntries(BLOCK_COLUMNS.map((k, i) => [k, left + i])) as Record<BlockColumn, number>;
    const key = keyOf(table, new Set(blocks.map((b) => b.key.toLowerCase())));
    const block: BlockPlacement = { sheet: table.sheet, top: table.top, left, bottom: table.bottom, right: left + width - 1, title: table.title, tableRange: table.range, key, columns: colOf };
    blocks.push(block);

    // A table with no header row (a list of variances under a title) gets no header cells: they would cover its first row's.
    const headerRow = table.headerRows[table.headerRows.length - 1];
    // Each of the four forms written out (not spread in), as a refresh writes about twelve cells a row.
    const put = (row: number, k: BlockColumn, value: PlanValue, numberFormat?: string, style?: CellStyle): void => {
      const sheet = table.sheet;
      const col = colOf[k];
      writes.push(numberFormat
        ? (style ? { sheet, row, col, value, numberFormat, style, purpose: 'block' } : { sheet, row, col, value, numberFormat, purpose: 'block' })
        : (style ? { sheet, row, col, value, style, purpose: 'block' } : { sheet, row, col, value, purpose: 'block' }));
    };
    if (headerRow !== undefined) for (const k of BLOCK_COLUMNS) put(headerRow, k, { kind: 'text', text: HEADERS[k] }, undefined, { bold: true, fill: 'D9E1F2', wrap: true });
    if (table.headerRows.length > 1) put(table.headerRows[0] ?? table.top, 'target', { kind: 'text', text: 'Scorecard' }, undefined, { bold: true });

    const columnsPlaced = placedColumns(table, colOf, layouts);
    for (const row of et.rows) {
      const latestSource = row.latest ? sheet.rows[row.latest.row]?.[row.latest.col] : undefined;
      const fmt = valueFormat(row.latest?.value ?? row.previous?.value, latestSource, row.latest ? normAt.get(`${row.latest.row}:${row.latest.col}`) : undefined);
      const percent = row.shape.kind !== 'risk' && row.shape.kind !== 'ratings' && row.shape.scale === 100;
      const dp = Math.max(0, (row.latest?.value.decimals ?? 0));
      // Money keeps the table's own format: a sheet that shows negatives in brackets shows its variances so ("(284)").
      const varFormat = percent ? `+0.0" pp";-0.0" pp";0.0" pp"` : bracketed !== undefined && row.shape.kind === 'budget' ? bracketed : `+#,##0${dp > 0 ? `.${'0'.repeat(dp)}` : ''};-#,##0${dp > 0 ? `.${'0'.repeat(dp)}` : ''};0`;
      const formats: Partial<Record<BlockColumn, string>> = {
        latest: fmt, variance: varFormat, variancePct: '+0.0%;-0.0%;0.0%', ...(row.shape.kind === 'ratings' ? {} : { previous: fmt }),
      };
      put(row.row, 'target', { kind: 'text', text: row.target.readable });
      const emitted = emitBlock(row.rules, { row: row.row, columns: columnsPlaced });
      for (const k of BLOCK_COLUMNS) {
        if (k === 'target' || k === 'amberTolerance') continue;
        const cell = emitted[k];
        if (cell === undefined) continue;
        const value: PlanValue | undefined = cell.kind === 'formula' ? { kind: 'formula', formula: cell.formula, cached: cachedOf(row.block[k]) } : literalValue(cell.value);
        if (value !== undefined) put(row.row, k, value, formats[k]);
      }
      if (row.shape.kind === 'kpi' || row.shape.kind === 'series' || row.shape.kind === 'budget') {
        const band = row.shape.amber;
        put(row.row, 'amberTolerance', { kind: 'number', value: band.relative !== 0 ? band.relative : band.absolute });
      }
    }

    const first = et.rows[0]?.row;
    const last = et.rows[et.rows.length - 1]?.row;
    if (first !== undefined && last !== undefined) {
      const span = (k: BlockColumn): SheetRect => ({ sheet: table.sheet, top: first, left: colOf[k], bottom: last, right: colOf[k] });
      const a1 = (r: SheetRect): string => `${cellAddress(r.top, r.left)}:${cellAddress(r.bottom, r.right)}`;
      // Colours key on the codes, never on the words, and take their verdicts from the vocabulary.
      const statusCode = `$${columnLetters(colOf.statusCode)}${first + 1}`;
      const trendCode = `$${columnLetters(colOf.trendCode)}${first + 1}`;
      const verdicts: Array<[Verdict, string]> = [
        ...([STATUS_CODE.green, STATUS_CODE.amber, STATUS_CODE.red] as const).map((code): [Verdict, string] => [STATUS_VOCABULARY[statusOfCode(code, 'dataOnly') ?? 'noData'].verdict, `=${statusCode}=${code}`]),
        ['none', `=${statusCode}>=${STATUS_CODE.noData}`],
      ];
      // Status gets all four states; Latest and Variance only the three verdicts (no grey over figures).
      for (const k of ['status', 'latest', 'variance'] as const) {
        for (const [v, formula] of verdicts.filter(([state]) => k === 'status' || state !== 'none')) {
          rules.push({ sheet: table.sheet, range: a1(span(k)), formula, fill: palette[v].fill, fontColor: palette[v].font, priority: priority++, stopIfTrue: true });
        }
      }
      for (const key of Object.keys(TREND_CODE) as TrendKey[]) {
        const v = TREND_VOCABULARY[key].verdict;
        if (v === 'none') continue;
        rules.push({ sheet: table.sheet, range: a1(span('trend')), formula: `=${trendCode}=${TREND_CODE[key]}`, fill: palette[v].fill, fontColor: palette[v].font, priority: priority++, stopIfTrue: true });
      }

      const measureCol = table.columns.find((c) => c.role === 'measure');
      const targetCol = table.columns.find((c) => c.role === 'target' || c.role === 'budget');
      const roleNames: Array<[string, SheetRect | undefined, string]> = [
        ['Measure', measureCol ? { sheet: table.sheet, top: first, left: measureCol.col, bottom: last, right: measureCol.col } : undefined, 'measures'],
        ['Target', targetCol ? { sheet: table.sheet, top: first, left: targetCol.col, bottom: last, right: targetCol.col } : undefined, 'targets as printed'],
        ['TargetAsRead', span('target'), 'targets as the scorecard read them'],
        ['Latest', span('latest'), 'latest values'], ['Variance', span('variance'), 'variance against target'],
        ['VariancePct', span('variancePct'), 'variance as a share of the target'], ['Status', span('status'), 'status'], ['Trend', span('trend'), 'trend'],
      ];
      for (const [suffix, rect, what] of roleNames) {
        if (rect) names.push({ name: `${NAME_PREFIX}${key}_${suffix}`, reference: absoluteReference(rect), comment: comment(`Scorecard Refresh: ${what} of ${table.title ?? table.range}`) });
      }
    }
    names.push({ name: `${NAME_PREFIX}${key}_Block`, reference: absoluteReference(block), comment: comment(`Scorecard Refresh output for ${table.sheet} ${table.range}; replaced on every refresh`) });
  }

  // The status and trend words the blocks' formulas read by code, once for the workbook.
  if (blocks.length > 0) names.unshift(...wordListNames());

  // Widths and hiding apply to whole columns: only to columns nothing else on the sheet uses (removal decides alike);
  // blocks stacked in the same columns share one layout.
  const laidOut = new Set<string>();
  const layOut = (layout: ColumnLayout): void => {
    const at = `${layout.sheet}!${layout.col}`;
    if (laidOut.has(at)) return;
    laidOut.add(at);
    columns.push(layout);
  };
  const longest = longestTexts(writes);
  // Whether a column is free depends only on the blocks that reach it (each block reaches its own columns and its
  // spacer), never on which of them asks: found once a column rather than once for each block stacked there.
  const freeColumns = new Map<string, boolean>();
  const isFree = (sheet: SheetSnapshot, col: number, block: BlockPlacement, others: readonly BlockPlacement[]): boolean => {
    const at = `${sheet.name}\u0000${col}`;
    let free = freeColumns.get(at);
    if (free === undefined) freeColumns.set(at, (free = isColumnFree(sheet, col, block, others)));
    return free;
  };
  for (const block of blocks) {
    const sheet = userBook.sheets.find((s) => s.name === block.sheet) as SheetSnapshot;
    const others = blocks.filter((b) => b !== block);
    BLOCK_COLUMNS.forEach((k, i) => {
      const col = block.columns[k];
      if (!isFree(sheet, col, block, others)) return;
      const width = k === 'target' || k === 'status' || k === 'trend' ? fittedWidth(longest, block.sheet, col, WIDTHS[k] ?? 10) : WIDTHS[k] ?? 10;
      layOut({ sheet: block.sheet, col, width, hidden: i >= VISIBLE, outlineLevel: i >= VISIBLE ? 1 : 0 });
    });
    const spacer = block.left - 1;
    const stacked = [block, ...others.filter((b) => b.sheet === block.sheet && b.left === block.left)];
    const width = Math.max(0, ...stacked.map((b) => spacerWidth(sheet, b) ?? 0));
    if (width > 0 && isFree(sheet, spacer, block, others)) layOut({ sheet: block.sheet, col: spacer, width, hidden: false, outlineLevel: 0 });
  }

  const removeNames = (snapshot.names ?? []).filter((n) => n.name.startsWith(NAME_PREFIX)).map((n) => n.name);
  const summaryName = summarySheetName(snapshot);
  const summary = evaluation.tables.length === 0 ? null : planSummary(evaluation, blocks.map((b) => ({
    sheet: b.sheet, tableRange: b.tableRange,
    columns: { statusCode: b.columns.statusCode, status: b.columns.status, latest: b.columns.latest, variance: b.columns.variance, target: b.columns.target },
  })), summaryName);
  return {
    clear: previousBlocks, removeRulesIn: previousBlocks, removeNames, writes, rules: shareStackedRules(rules), names, columns, ledger, blocks, notices, evaluation,
    summary, replaceSummarySheet: ownSummarySheet(snapshot),
  };
}

/** Plans taking a refresh out again: clear blocks, drop rules and names, put normalised cells back. */
export interface RemovalPlan {
  readonly clear: readonly SheetRect[];
  /** Columns whose width and visibility a refresh set (nothing else uses them): reset to the sheet's default. */
  readonly resetColumns: ReadonlyArray<{ readonly sheet: string; readonly col: number }>;
  readonly removeRulesIn: readonly SheetRect[];
  readonly removeNames: readonly string[];
  readonly restore: readonly LedgerEntry[];
  readonly removeLedgerSheet: boolean;
  /** The summary sheet a refresh wrote, to delete; null when there is none. */
  readonly removeSummarySheet: string | null;
}

function stillNormalised(snapshot: WorkbookSnapshot, sheetName: string, address: string, original: string): boolean {
  const n = parseNumberText(original);
  const format = n === undefined ? undefined : losslessFormat(original, n);
  const sheet = snapshot.sheets.find((s) => s.name === sheetName);
  if (n === undefined || format === undefined || sheet === undefined) return false;
  const { row, col } = parseCellAddress(address);
  const current = sheet.rows[row]?.[col];
  return current !== undefined && current.formula === undefined && typeof current.value === 'number'
    && floatCmp(current.value, n.value) === 0 && current.numberFormat === format;
}

/** Returns the plan that undoes every refresh recorded in the workbook; cells the user has since changed stay. */
export function planRemoval(snapshot: WorkbookSnapshot): RemovalPlan {
  const blocks = ownBlocks(snapshot);
  const ledgerSheet = snapshot.sheets.find((s) => s.name === LEDGER_SHEET);
  // Put the text back only where the cell still holds what the refresh typed: a later edit by the user stays.
  const restore = ledgerEntries(ledgerSheet).filter((e) => stillNormalised(snapshot, e.sheet, e.cell, e.text));
  const userBook = withoutOwnBlocks(snapshot);
  const seen = new Set<string>();
  const resetColumns = blocks.flatMap((b) => {
    const sheet = userBook.sheets.find((s) => s.name === b.sheet);
    if (!sheet) return [];
    const cols: Array<{ sheet: string; col: number }> = [];
    // The spacer too, where a refresh widened it for text that runs on.
    const stacked = blocks.filter((o) => o.sheet === b.sheet && o.left === b.left);
    const from = stacked.some((o) => spacerWidth(sheet, o) !== null) ? b.left - 1 : b.left;
    for (let c = from; c <= b.right; c++) {
      if (seen.has(`${b.sheet}!${c}`) || !isColumnFree(sheet, c, b, blocks.filter((o) => o !== b))) continue;
      seen.add(`${b.sheet}!${c}`);
      cols.push({ sheet: b.sheet, col: c });
    }
    return cols;
  });
  return {
    clear: blocks, resetColumns, removeRulesIn: blocks,
    removeNames: (snapshot.names ?? []).filter((n) => n.name.startsWith(NAME_PREFIX)).map((n) => n.name),
    restore, removeLedgerSheet: ledgerSheet !== undefined, removeSummarySheet: ownSummarySheet(snapshot),
  };
}

/** The ledger sheet's header row. */
export const LEDGER_HEADER = ['Sheet', 'Cells', 'Original text', 'Original number format'] as const;

/** The longest text a ledger cell is given: Excel's limit for a cell is 32,767 characters. */
const LEDGER_CELL_CHARS = 30_000;

/** A run of cells down a column, as the ledger names it ("D3:D40"). */
const RUN_ADDRESS = /^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$/;

/**
 * Rows left out between two tidied cells of a column that still share a ledger row: each costs a null in its list
 * (5 characters), a row of its own some 30 more.
 */
const LEDGER_GAP_ROWS = 6;

/**
 * The ledger's rows for `entries`: one row per run of tidied cells down a column, so that a column of figures typed
 * from text costs one row, not one a cell. A lone cell's row is [sheet, "D12", text, number format]; a run's is
 * [sheet, "D3:D40", its texts as a JSON list (null for a cell between that was not tidied), its number format as a
 * JSON string, or a JSON list where they differ]. A run is cut where its texts would pass what a cell holds.
 */
export function ledgerRows(entries: readonly LedgerEntry[]): string[][] {
  const sorted = entries.map((e) => ({ e, at: parseCellAddress(e.cell) }))
    .sort((a, b) => (a.e.sheet < b.e.sheet ? -1 : a.e.sheet > b.e.sheet ? 1 : a.at.col - b.at.col || a.at.row - b.at.row));
  const rows: string[][] = [];
  let run: typeof sorted = [];
  let chars = 0;
  const flush = (): void => {
    const first = run[0];
    const last = run[run.length - 1];
    if (first === undefined || last === undefined) return;
    if (run.length === 1) rows.push([first.e.sheet, first.e.cell, first.e.text, first.e.numberFormat]);
    else {
      const texts: Array<string | null> = new Array<string | null>(last.at.row - first.at.row + 1).fill(null);
      const formats = texts.slice();
      for (const x of run) {
        texts[x.at.row - first.at.row] = x.e.text;
        formats[x.at.row - first.at.row] = x.e.numberFormat;
      }
      const distinct = new Set(run.map((x) => x.e.numberFormat));
      rows.push([
        first.e.sheet, `${first.e.cell}:${last.e.cell}`, JSON.stringify(texts),
        JSON.stringify(distinct.size === 1 ? first.e.numberFormat : formats),
      ]);
    }
    run = [];
    chars = 0;
  };
  for (const x of sorted) {
    const prev = run[run.length - 1];
    const gap = prev === undefined ? 0 : x.at.row - prev.at.row - 1;
    const size = JSON.stringify(x.e.text).length + JSON.stringify(x.e.numberFormat).length + 1 + 5 * gap;
    if (prev !== undefined && !(prev.e.sheet === x.e.sheet && prev.at.col === x.at.col && gap <= LEDGER_GAP_ROWS && chars + size <= LEDGER_CELL_CHARS)) flush();
    run.push(x);
    chars += size;
  }
  flush();
  return rows;
}

function ledgerText(cell: CellSnapshot | undefined): string | undefined {
  if (cell === undefined) return undefined;
  return typeof cell.value === 'string' ? cell.value : cell.text;
}

/**
 * The entries the ledger sheet holds, from rows of one cell or of a run (see {@link ledgerRows}); a row that does
 * not read as either (edited by hand) is passed over, its cells left as they are.
 */
export function ledgerEntries(ledger: SheetSnapshot | undefined): LedgerEntry[] {
  return (ledger?.rows ?? []).slice(1).flatMap((row): LedgerEntry[] => {
    const sheet = row[0]?.text;
    const cell = row[1]?.text;
    const text = ledgerText(row[2]);
    const format = ledgerText(row[3]);
    if (!sheet || !cell || !text) return [];
    const span = RUN_ADDRESS.exec(cell);
    if (span === null) return [{ sheet, cell, text, numberFormat: format || 'General' }];
    const [, fromCol, fromRow, toCol, toRow] = span;
    const top = Number(fromRow);
    const count = Number(toRow) - top + 1;
    let texts: unknown;
    let formats: unknown;
    try {
      texts = JSON.parse(text);
      formats = JSON.parse(format ?? '"General"');
    } catch {
      return [];
    }
    const isList = (v: unknown): v is Array<string | null> => Array.isArray(v) && v.length === count && v.every((t) => typeof t === 'string' || t === null);
    if (fromCol !== toCol || !isList(texts) || !(typeof formats === 'string' || isList(formats))) return [];
    return texts.flatMap((t, i) => {
      const numberFormat = typeof formats === 'string' ? formats : formats[i];
      return t === null || t === '' ? [] : [{ sheet, cell: `${fromCol}${top + i}`, text: t, numberFormat: numberFormat ?? 'General' }];
    });
  });
}

/** Re-exported for adapters that need the settings type. */
export type { EvaluationSettings };
