/**
 * The write plan: what a refresh does to a workbook, as plain data that both adapters (ExcelJS for
 * files, Office.js inside Excel) apply. Lossless normalisations in place, an output block of live
 * formulas right of each table, conditional formats keyed on the Status and Trend cells, defined names.
 */
import { format as renderNumberFormat } from 'numfmt';
import { cellAddress, columnIndex, columnLetters, parseCellAddress, quoteSheetName } from './address';
import { floatCmp } from './compare';
import { DetectedTable } from './detect';
import { DEFAULT_SETTINGS, EvaluatedRow, EvaluatedTable, Evaluation, EvaluationSettings, evaluateWorkbook, Observation } from './evaluate';
import { absoluteTolerance, Status, Tolerance, Trend } from './judge';
import { CellSnapshot, SheetSnapshot, textAt, WorkbookSnapshot } from './snapshot';
import { normaliseText, NumberValue, parseCell, parseNumberText } from './value';

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

/** A conditional format: `formula` is written against the top-left cell of `range`. */
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
}

/** The palettes: default traffic lights, and a colour-blind-safe set (blue / orange / vermillion). */
export type PaletteName = 'default' | 'colour-blind';

interface Swatch { readonly fill: string; readonly font: string }
const PALETTES: Record<PaletteName, Record<'green' | 'amber' | 'red' | 'none', Swatch>> = {
  default: {
    green: { fill: 'C6EFCE', font: '006100' }, amber: { fill: 'FFEB9C', font: '9C5700' },
    red: { fill: 'FFC7CE', font: '9C0006' }, none: { fill: 'EDEDED', font: '595959' },
  },
  'colour-blind': {
    green: { fill: 'CCE3F2', font: '00467A' }, amber: { fill: 'FBE3B5', font: '7A5000' },
    red: { fill: 'F6CDB3', font: '8A3300' }, none: { fill: 'EDEDED', font: '595959' },
  },
};

/** Status words with their shapes, so status never relies on colour. */
export const STATUS_TEXT: Record<Status, string> = { green: '● Green', amber: '▲ Amber', red: '■ Red', none: '○ No data' };
/** Trend words with their arrows. */
export const TREND_TEXT: Record<Trend, string> = {
  improving: '↑ improving', worsening: '↓ worsening', stable: '→ stable', increasing: '↑ increasing',
  decreasing: '↓ decreasing', 'not-comparable': '↔ not comparable', none: '',
};

/** Prefix of every defined name the product owns. */
export const NAME_PREFIX = 'Scorecard_';
/** The very hidden sheet where normalised cells' originals are kept. */
export const LEDGER_SHEET = 'ScorecardLedger';

/** The block's columns, in order: six visible, then hidden helpers the formulas use. */
export const BLOCK_COLUMNS = [
  'target', 'latest', 'variance', 'variancePct', 'status', 'trend',
  'previous', 'min', 'max', 'minInclusive', 'maxInclusive', 'greenTolerance', 'greenKind', 'amberTolerance', 'amberKind',
  'polarity', 'decimals', 'scale', 'noStatus', 'trendMode',
] as const;
/** A block column's name. */
export type BlockColumn = (typeof BLOCK_COLUMNS)[number];

const HEADERS: Record<BlockColumn, string> = {
  target: 'Target (as read)', latest: 'Latest', variance: 'Variance', variancePct: 'Variance %', status: 'Status', trend: 'Trend',
  previous: 'Previous (helper)', min: 'Target min', max: 'Target max', minInclusive: 'Min inclusive', maxInclusive: 'Max inclusive',
  greenTolerance: 'Green tolerance', greenKind: 'Green kind', amberTolerance: 'Amber tolerance', amberKind: 'Amber kind',
  polarity: 'Polarity', decimals: 'Display decimals', scale: 'Variance scale', noStatus: 'No-status label', trendMode: 'Trend mode',
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

/** Parses a defined name's reference "'Sheet 1'!$A$1:$C$3" into a rectangle, or undefined. */
export function parseReference(reference: string): SheetRect | undefined {
  const m = /^=?(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$/.exec(reference.trim());
  if (!m) return undefined;
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : (m[2] ?? '');
  const left = columnIndex(m[3] ?? 'A');
  const top = Number(m[4]) - 1;
  const right = m[5] !== undefined ? columnIndex(m[5]) : left;
  const bottom = m[6] !== undefined ? Number(m[6]) - 1 : top;
  return { sheet, top, left, bottom, right };
}


/** Returns an absolute reference "'Sheet'!$A$1:$B$2" for a rectangle. */
export function absoluteReference(r: SheetRect): string {
  const a = (row: number, col: number): string => `$${columnLetters(col)}$${row + 1}`;
  return `${quoteSheetName(r.sheet)}!${a(r.top, r.left)}${r.top === r.bottom && r.left === r.right ? '' : `:${a(r.bottom, r.right)}`}`;
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
  return {
    ...snapshot,
    sheets: snapshot.sheets.filter((s) => s.name !== LEDGER_SHEET).map((sheet) => {
      const mine = blocks.filter((b) => b.sheet === sheet.name);
      if (mine.length === 0) return sheet;
      return {
        ...sheet,
        rows: sheet.rows.map((row, r) => row.map((cell, c) => (mine.some((b) => r >= b.top && r <= b.bottom && c >= b.left && c <= b.right) ? undefined : cell))),
      };
    }),
  };
}

/** The number format that renders `n` exactly as `text` was printed, or undefined when none does. */
export function losslessFormat(text: string, n: NumberValue): string | undefined {
  const dec = n.decimals > 0 ? `.${'0'.repeat(n.decimals)}` : '';
  const grouped = /\d,\d{3}/.test(text);
  const body = `${grouped ? '#,##0' : '0'}${dec}`;
  const candidates: string[] = [];
  if (n.unit === 'percent') candidates.push(`0${dec}%`);
  else if (n.unit === 'currency') {
    const cur = `"${n.currency ?? '£'}"`;
    const scale = n.scale === 'k' ? ',"k"' : n.scale === 'm' ? ',,"m"' : n.scale === 'bn' ? ',,,"bn"' : '';
    const sdec = n.scale !== undefined ? (/\.(\d+)/.exec(text)?.[1] ?? '') : '';
    const sbody = n.scale !== undefined ? `#,##0${sdec !== '' ? `.${'0'.repeat(sdec.length)}` : ''}` : body;
    candidates.push(`${cur}${sbody}${scale}`, `${cur}${sbody}${scale};-${cur}${sbody}${scale}`, `${cur}${sbody}${scale};(${cur}${sbody}${scale})`, `${cur}${sbody}${scale};${cur}(${sbody})${scale}`);
  } else {
    if (!grouped && n.decimals === 0 && !n.bracketed && !/-$/.test(text)) candidates.push('General');
    candidates.push(body, `${body};(${body})`, `${body};${body}-`, `${body};-${body}`);
    if (!grouped && n.decimals > 0) candidates.push('General');
  }
  return candidates.find((f) => {
    try {
      return renderNumberFormat(f, n.value) === text;
    } catch {
      return false;
    }
  });
}

interface Normalisation {
  readonly row: number;
  readonly col: number;
  readonly value: number;
  readonly format: string;
  readonly original: CellSnapshot;
}

/** Finds the text cells of a table that become typed numbers losslessly. */
function planNormalisations(sheet: SheetSnapshot, table: DetectedTable): Normalisation[] {
  const figureRoles = new Set(['target', 'period', 'budget', 'forecast', 'variance', 'prior-variance', 'movement', 'risk-before', 'risk-after']);
  const out: Normalisation[] = [];
  for (const col of table.columns) {
    if (!figureRoles.has(col.role)) continue;
    for (const r of table.dataRows) {
      const cell = sheet.rows[r]?.[col.col];
      if (cell === undefined || typeof cell.value !== 'string' || cell.formula !== undefined) continue;
      const text = cell.value;
      if (text !== text.trim() || text !== normaliseText(text)) continue;
      const n = parseNumberText(text);
      if (n === undefined) continue;
      const format = losslessFormat(text, n);
      if (format !== undefined) out.push({ row: r, col: col.col, value: n.value, format, original: cell });
    }
  }
  return out;
}

/** Finds the first free columns right of a table: a spacer column, then the block. */
function placeBlock(sheet: SheetSnapshot, table: DetectedTable, width: number, taken: readonly SheetRect[]): { left: number } | { blockedBy: string } {
  const left = table.right + 2;
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

/** Returns true when a column holds nothing of the user's outside rows top..bottom, nor another block. */
function isColumnFree(sheet: SheetSnapshot, col: number, top: number, bottom: number, otherBlocks: readonly SheetRect[]): boolean {
  if (otherBlocks.some((b) => b.sheet === sheet.name && col >= b.left && col <= b.right)) return false;
  for (let r = 0; r < sheet.rows.length; r++) {
    if (r >= top && r <= bottom) continue;
    const cell = sheet.rows[r]?.[col];
    if (cell !== undefined && (cell.text.trim() !== '' || cell.formula !== undefined)) return false;
  }
  return true;
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

interface RowFormulas {
  readonly latest: string;
  readonly previous: string;
  readonly min: string;
  readonly max: string;
}

/** The number a cell will hold after the refresh (typed, or normalised from text), or undefined. */
type NumberIn = (r: number, c: number) => number | undefined;

/** The expression for a cell's value as the engine reads it: "E31", or "E31/100" where a bare 36 means 36%. */
function cellTerm(numberIn: NumberIn, r: number, c: number, obsValue: number | undefined): string {
  const ref = cellAddress(r, c);
  const raw = numberIn(r, c);
  const scaled = raw !== undefined && obsValue !== undefined && floatCmp(raw, obsValue) !== 0 && floatCmp(raw / 100, obsValue) === 0;
  return scaled ? `${ref}/100` : ref;
}

/** How a period cell enters the Latest chain: its number when it holds one, else the engine's reading of its text. */
function chainElement(numberIn: NumberIn, obsValue: number | undefined, r: number, c: number): { test: string; fallback: 'next' | string } {
  const ref = cellAddress(r, c);
  const test = `IF(ISNUMBER(${ref}),${cellTerm(numberIn, r, c, obsValue)},`;
  if (numberIn(r, c) !== undefined) return { test, fallback: 'next' };
  return { test, fallback: obsValue !== undefined ? String(obsValue) : 'next' };
}

/** Nests the chain newest first; `stopAt` (a value in a unit the target does not use) ends it with no value. */
function buildChain(elements: ReadonlyArray<{ test: string; fallback: 'next' | string }>, stopAt?: number): string {
  let formula = '""';
  for (let i = (stopAt ?? elements.length) - 1; i >= 0; i--) {
    const e = elements[i] as { test: string; fallback: 'next' | string };
    formula = `${e.test}${e.fallback === 'next' ? formula : e.fallback})`;
  }
  return `=${formula}`;
}

/** Builds the Latest / Previous / Min / Max formulas of a row from what the engine read. */
function rowFormulas(sheet: SheetSnapshot, et: EvaluatedTable, row: EvaluatedRow, numberIn: NumberIn): RowFormulas {
  const numeric = (r: number, c: number): boolean => numberIn(r, c) !== undefined;
  const table = et.table;
  const r = row.row;
  const ref = (o: Observation | null): string => (o === null ? '""' : `IF(ISNUMBER(${o.cell}),${cellTerm(numberIn, o.row, o.col, o.value.value)},${numeric(o.row, o.col) ? '""' : o.value.value})`);
  if (table.kind === 'budget') {
    const b = row.budget;
    const prior = table.columns.find((c) => c.role === 'prior-variance');
    const movement = table.columns.find((c) => c.role === 'movement');
    const latestRef = row.latest?.cell;
    let previous = '=""';
    if (prior && row.budget?.priorVariance !== null && row.budget?.priorVariance !== undefined) {
      const a = cellAddress(r, prior.col);
      previous = `=IF(ISNUMBER(${a}),${prior.signConvention === 'under-positive' ? '-' : ''}${a},"")`;
    } else if (movement && b?.movement !== null && b?.movement !== undefined && latestRef && b.budget) {
      const m = cellAddress(r, movement.col);
      previous = `=IF(AND(ISNUMBER(${latestRef}),ISNUMBER(${b.budget.cell}),ISNUMBER(${m})),${latestRef}-${b.budget.cell}-${movement.signConvention === 'under-positive' ? '-' : ''}${m},"")`;
    }
    return {
      latest: row.latest ? `=${ref(row.latest)}` : '=""',
      previous,
      min: '=""',
      max: b?.budget ? `=${ref(b.budget)}` : '=""',
    };
  }
  if (table.kind === 'risk') {
    const after = table.columns.find((c) => c.role === 'risk-after');
    const before = table.columns.find((c) => c.role === 'risk-before');
    const a = after ? cellAddress(r, after.col) : undefined;
    const b = before ? cellAddress(r, before.col) : undefined;
    const latest = a && b ? `=IF(ISNUMBER(${a}),${a},IF(ISNUMBER(${b}),${b},""))` : a ? `=IF(ISNUMBER(${a}),${a},"")` : b ? `=IF(ISNUMBER(${b}),${b},"")` : '=""';
    const previous = a && b ? `=IF(AND(ISNUMBER(${a}),ISNUMBER(${b})),${b},"")` : '=""';
    return { latest, previous, min: '=""', max: '=""' };
  }
  // KPI and series: Latest is the newest period cell holding a number, by the periods' meaning.
  const periodCols = table.columns.filter((c) => c.role === 'period' && c.period)
    .sort((x, y) => (y.period && x.period ? (y.period.end - x.period.end) || (x.period.start - y.period.start) || (y.period.rank - x.period.rank) : 0));
  const valueIn = (c: number): number | undefined => {
    if (row.latest?.col === c) return row.latest.value.value;
    if (row.previous?.col === c) return row.previous.value.value;
    const p = parseCell(sheet.rows[r]?.[c]);
    return p.kind === 'number' ? p.value : undefined;
  };
  const elements = periodCols.map((c) => chainElement(numberIn, valueIn(c.col), r, c.col));
  const mismatchAt = row.latest === null ? periodCols.findIndex((c) => row.findings.some((f) => f.code === 'unit-mismatch' && f.cell === cellAddress(r, c.col))) : -1;
  const latest = periodCols.length === 0 ? '=""' : buildChain(elements, mismatchAt >= 0 ? mismatchAt : undefined);
  const previous = row.previous ? `=${ref(row.previous)}` : '=""';
  const iv = row.target.interval;
  let min = '=""';
  let max = '=""';
  if (iv) {
    const cell = row.target.cell;
    const targetCol = cell ? table.columns.find((c) => cellAddress(r, c.col) === cell) : undefined;
    const live = targetCol && numeric(r, targetCol.col) && row.target.spec?.kind === 'bound' && row.target.spec.comparator === 'none';
    // A target typed as 85 and read as 85% is divided by 100 in the formula, as the engine read it.
    const liveTerm = (v: number): string | undefined => (live && cell && targetCol ? cellTerm(numberIn, r, targetCol.col, v) : undefined);
    const symbol = /^\s*(>=|<=|≥|≤|>|<)\s*(\d[\d.,]*\s*%?)\s*$/.exec(row.target.text);
    const fromText = (v: number): string => {
      const printed = symbol?.[2] !== undefined ? parseNumberText(symbol[2]) : undefined;
      if (!symbol || !cell || printed === undefined) return `=${v}`;
      const scale = floatCmp(printed.value, v) === 0 ? '' : floatCmp(printed.value / 100, v) === 0 ? '/100' : undefined;
      return scale === undefined ? `=${v}` : `=IFERROR(VALUE(TRIM(MID(${cell},${(symbol[1] ?? '').length + 1},99)))${scale},${v})`;
    };
    const bound = (v: number): string => {
      const term = liveTerm(v);
      return term !== undefined && cell ? `=IF(ISNUMBER(${cell}),${term},"")` : fromText(v);
    };
    if (iv.min !== null) min = bound(iv.min);
    if (iv.max !== null) max = bound(iv.max);
  }
  return { latest, previous, min, max };
}

function noStatusLabel(et: EvaluatedTable, row: EvaluatedRow): string {
  if (et.table.kind === 'budget') return row.budget?.budget ? 'No forecast' : 'No budget';
  if (et.table.kind === 'timeseries' || (row.target.spec === null && row.target.cell === null)) return 'Data only';
  const spec = row.target.spec;
  if (spec === null) return 'No target';
  if (spec.kind === 'multi-part' || spec.kind === 'unparsed') return 'Target unclear';
  if (spec.kind === 'relative') return 'No baseline';
  if (spec.kind === 'bound') return 'No direction';
  return 'No target';
}

function displayDecimals(row: EvaluatedRow): number {
  const a = row.latest?.value;
  const b = row.previous?.value;
  const d = Math.max(a?.decimals ?? 0, b?.decimals ?? 0);
  return d + (a?.unit === 'percent' ? 2 : 0);
}

/** Status text the Status formula gives for an engine verdict. */
export function statusText(row: EvaluatedRow, label: string): string {
  if (row.status !== 'none') return STATUS_TEXT[row.status];
  if (row.target.interval === null) return `○ ${label}`;
  return STATUS_TEXT.none;
}

function formulasFor(et: EvaluatedTable, L: Record<BlockColumn, string>, n: number): { variance: string; variancePct: string; status: string; trend: string } {
  const c = (k: BlockColumn): string => `${L[k]}${n}`;
  const LAT = c('latest'), PRV = c('previous'), MIN = c('min'), MAX = c('max'), MNI = c('minInclusive'), MXI = c('maxInclusive');
  const GT = c('greenTolerance'), GK = c('greenKind'), AT = c('amberTolerance'), AK = c('amberKind');
  const POL = c('polarity'), DEC = c('decimals'), SCL = c('scale'), NSL = c('noStatus'), TMD = c('trendMode');
  const belowMin = `AND(${MIN}<>"",IF(${MNI}=1,${LAT}<${MIN},${LAT}<=${MIN}))`;
  const edge = `IF(${belowMin},${MIN},${MAX})`;
  const miss = `IF(${belowMin},${MIN}-${LAT},${LAT}-${MAX})`;
  const band = (t: string, k: string): string => `IF(${k}="rel",${t}*ABS(${edge}),${t})`;
  const variance = `=IF(OR(${LAT}="",AND(${MIN}="",${MAX}="")),"",IF(AND(${MIN}<>"",${LAT}<${MIN}),${LAT}-${MIN},IF(AND(${MAX}<>"",${LAT}>${MAX}),${LAT}-${MAX},IF(AND(${MIN}<>"",${MAX}<>""),0,IF(${MIN}<>"",${LAT}-${MIN},${LAT}-${MAX}))))*${SCL})`;
  const pctEdge = `IF(AND(${MIN}<>"",${LAT}<${MIN}),${MIN},IF(${MAX}<>"",${MAX},${MIN}))`;
  const variancePct = `=IF(${L.variance}${n}="","",IF(AND(${MIN}<>"",${MAX}<>"",${L.variance}${n}=0),0,IF(${pctEdge}=0,"",${L.variance}${n}/${SCL}/ABS(${pctEdge}))))`;
  let status: string;
  if (et.table.kind === 'risk') {
    status = `=IF(${LAT}="","○ No data",IF(${LAT}>=15,"■ Red",IF(${LAT}>=8,"▲ Amber","● Green")))`;
  } else {
    const meets = `AND(OR(${MIN}="",IF(${MNI}=1,${LAT}>=${MIN},${LAT}>${MIN})),OR(${MAX}="",IF(${MXI}=1,${LAT}<=${MAX},${LAT}<${MAX})))`;
    status = `=IF(AND(${MIN}="",${MAX}=""),"○ "&${NSL},IF(${LAT}="","○ No data",IF(${meets},"● Green",IF(AND(${GT}>0,${miss}<=${band(GT, GK)}),"● Green",IF(AND(${band(AT, AK)}>0,${miss}<=${band(AT, AK)}),"▲ Amber","■ Red")))))`;
  }
  let trend: string;
  if (et.table.kind === 'budget') {
    trend = `=IF(OR(${LAT}="",${MAX}="",${PRV}=""),"",IF(ROUND(${LAT}-${MAX}-${PRV},${DEC})=0,"→ stable",IF(${LAT}-${MAX}<${PRV},"↑ improving","↓ worsening")))`;
  } else {
    const dist = (x: string): string => `MAX(${MIN}-${x},${x}-${MAX},0)`;
    trend = `=IF(OR(${LAT}="",${PRV}=""),"",IF(${TMD}="nc","↔ not comparable",IF(ROUND(${LAT},${DEC})=ROUND(${PRV},${DEC}),"→ stable",IF(${POL}="higher",IF(${LAT}>${PRV},"↑ improving","↓ worsening"),IF(${POL}="lower",IF(${LAT}<${PRV},"↑ improving","↓ worsening"),IF(${POL}="range",IF(ROUND(${dist(LAT)},${DEC})=ROUND(${dist(PRV)},${DEC}),"→ stable",IF(${dist(LAT)}<${dist(PRV)},"↑ improving","↓ worsening")),IF(${LAT}>${PRV},"↑ increasing","↓ decreasing")))))))`;
  }
  return { variance, variancePct, status, trend };
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
  const ledgered = new Set((ledgerSheet?.rows ?? []).map((row) => `${row[0]?.text ?? ''}!${row[1]?.text ?? ''}`));

  const writes: CellWrite[] = [];
  const rules: ConditionalRule[] = [];
  const names: DefinedName[] = [];
  const columns: ColumnLayout[] = [];
  const ledger: LedgerEntry[] = [];
  const blocks: BlockPlacement[] = [];
  const notices: PlanNotice[] = [];
  const width = BLOCK_COLUMNS.length;
  let priority = 1;

  for (const et of evaluation.tables) {
    const table = et.table;
    const sheet = userBook.sheets.find((s) => s.name === table.sheet) as SheetSnapshot;
    const placement = placeBlock(sheet, table, width, blocks);
    if ('blockedBy' in placement) {
      notices.push({ sheet: table.sheet, cell: placement.blockedBy, message: `No room for the scorecard columns of "${table.title ?? table.range}" on ${table.sheet}: ${placement.blockedBy} holds data. Nothing was written for this table; move that data or the table.` });
      continue;
    }
    const norms = planNormalisations(sheet, table);
    const normAt = new Map(norms.map((x) => [`${x.row}:${x.col}`, x]));
    for (const x of norms) {
      writes.push({ sheet: table.sheet, row: x.row, col: x.col, value: { kind: 'number', value: x.value }, numberFormat: x.format, purpose: 'normalise' });
      const cell = cellAddress(x.row, x.col);
      if (!ledgered.has(`${table.sheet}!${cell}`)) ledger.push({ sheet: table.sheet, cell, text: x.original.text, numberFormat: x.original.numberFormat ?? 'General' });
    }
    const numberIn: NumberIn = (r, c) => {
      const raw = sheet.rows[r]?.[c]?.value;
      return normAt.get(`${r}:${c}`)?.value ?? (typeof raw === 'number' ? raw : undefined);
    };

    const left = placement.left;
    const colOf = Object.fromEntries(BLOCK_COLUMNS.map((k, i) => [k, left + i])) as Record<BlockColumn, number>;
    const L = Object.fromEntries(BLOCK_COLUMNS.map((k, i) => [k, columnLetters(left + i)])) as Record<BlockColumn, string>;
    const key = keyOf(table, new Set(blocks.map((b) => b.key.toLowerCase())));
    const block: BlockPlacement = { sheet: table.sheet, top: table.top, left, bottom: table.bottom, right: left + width - 1, title: table.title, tableRange: table.range, key, columns: colOf };
    blocks.push(block);

    const headerRow = table.headerRows[table.headerRows.length - 1] ?? table.top;
    const put = (row: number, k: BlockColumn, value: PlanValue, numberFormat?: string, style?: CellStyle): void => {
      writes.push({ sheet: table.sheet, row, col: colOf[k], value, ...(numberFormat ? { numberFormat } : {}), ...(style ? { style } : {}), purpose: 'block' });
    };
    for (const k of BLOCK_COLUMNS) put(headerRow, k, { kind: 'text', text: HEADERS[k] }, undefined, { bold: true, fill: 'D9E1F2', wrap: true });
    if (table.headerRows.length > 1) put(table.headerRows[0] ?? table.top, 'target', { kind: 'text', text: 'Scorecard' }, undefined, { bold: true });

    for (const row of et.rows) {
      const n = row.row + 1;
      const f = rowFormulas(sheet, et, row, numberIn);
      const latestSource = row.latest ? sheet.rows[row.latest.row]?.[row.latest.col] : undefined;
      const fmt = valueFormat(row.latest?.value ?? row.previous?.value, latestSource, row.latest ? normAt.get(`${row.latest.row}:${row.latest.col}`) : undefined);
      const isPercent = (row.latest?.value.unit ?? row.target.interval?.unit) === 'percent';
      const scale = isPercent ? 100 : 1;
      const label = noStatusLabel(et, row);
      const iv = row.target.interval;
      const polarity = et.table.kind === 'budget' ? 'budget' : row.polarity.polarity;
      const fx = formulasFor(et, L, n);
      const dp = Math.max(0, (row.latest?.value.decimals ?? 0));
      const varFormat = isPercent ? `+0.0" pp";-0.0" pp";0.0" pp"` : `+#,##0${dp > 0 ? `.${'0'.repeat(dp)}` : ''};-#,##0${dp > 0 ? `.${'0'.repeat(dp)}` : ''};0`;
      put(row.row, 'target', { kind: 'text', text: row.target.readable });
      put(row.row, 'latest', { kind: 'formula', formula: f.latest, cached: row.latest?.value.value ?? '' }, fmt);
      put(row.row, 'variance', { kind: 'formula', formula: fx.variance, cached: row.variance === null ? '' : row.variance * scale }, varFormat);
      put(row.row, 'variancePct', { kind: 'formula', formula: fx.variancePct, cached: row.variancePct ?? '' }, '+0.0%;-0.0%;0.0%');
      put(row.row, 'status', { kind: 'formula', formula: fx.status, cached: statusText(row, label) });
      put(row.row, 'trend', { kind: 'formula', formula: fx.trend, cached: TREND_TEXT[row.trend] });
      const previousCached = et.table.kind === 'budget' ? (row.budget?.priorVariance ?? (row.budget?.movement !== null && row.variance !== null && row.budget?.movement !== undefined ? row.variance - row.budget.movement : '')) : row.previous?.value.value ?? '';
      put(row.row, 'previous', { kind: 'formula', formula: f.previous, cached: previousCached }, fmt);
      put(row.row, 'min', { kind: 'formula', formula: f.min, cached: iv?.min ?? '' });
      put(row.row, 'max', { kind: 'formula', formula: f.max, cached: iv?.max ?? '' });
      put(row.row, 'minInclusive', { kind: 'number', value: iv?.minInclusive === false ? 0 : 1 });
      put(row.row, 'maxInclusive', { kind: 'number', value: iv?.maxInclusive === false ? 0 : 1 });
      // Absolute tolerances in the numbers the formulas compare (3 pp on a rate is 0.03).
      const unit = row.target.interval?.unit ?? row.latest?.value.unit ?? 'plain';
      const inFormula = (t: Tolerance): number => (t.kind === 'relative' ? t.value : absoluteTolerance(t, unit));
      put(row.row, 'greenTolerance', { kind: 'number', value: inFormula(row.green) });
      put(row.row, 'greenKind', { kind: 'text', text: row.green.kind === 'relative' ? 'rel' : 'abs' });
      put(row.row, 'amberTolerance', { kind: 'number', value: inFormula(row.amber) });
      put(row.row, 'amberKind', { kind: 'text', text: row.amber.kind === 'relative' ? 'rel' : 'abs' });
      put(row.row, 'polarity', { kind: 'text', text: polarity });
      put(row.row, 'decimals', { kind: 'number', value: et.table.kind === 'budget' ? (row.latest?.value.decimals ?? 0) : displayDecimals(row) });
      put(row.row, 'scale', { kind: 'number', value: scale });
      put(row.row, 'noStatus', { kind: 'text', text: label });
      put(row.row, 'trendMode', { kind: 'text', text: row.trend === 'not-comparable' ? 'nc' : '' });
    }

    const first = et.rows[0]?.row;
    const last = et.rows[et.rows.length - 1]?.row;
    if (first !== undefined && last !== undefined) {
      const span = (k: BlockColumn): SheetRect => ({ sheet: table.sheet, top: first, left: colOf[k], bottom: last, right: colOf[k] });
      const a1 = (r: SheetRect): string => `${cellAddress(r.top, r.left)}:${cellAddress(r.bottom, r.right)}`;
      const statusRef = `$${L.status}${first + 1}`;
      const trendRef = `$${L.trend}${first + 1}`;
      const swatches: Array<['green' | 'amber' | 'red' | 'none', string]> = [['green', '●'], ['amber', '▲'], ['red', '■'], ['none', '○']];
      // Status gets all four states; Latest and Variance only the three verdicts (no grey over figures).
      for (const k of ['status', 'latest', 'variance'] as const) {
        for (const [s, shape] of swatches.filter(([state]) => k === 'status' || state !== 'none')) {
          rules.push({ sheet: table.sheet, range: a1(span(k)), formula: `=LEFT(${statusRef},1)="${shape}"`, fill: palette[s].fill, fontColor: palette[s].font, priority: priority++, stopIfTrue: true });
        }
      }
      rules.push({ sheet: table.sheet, range: a1(span('trend')), formula: `=ISNUMBER(SEARCH("improving",${trendRef}))`, fill: palette.green.fill, fontColor: palette.green.font, priority: priority++, stopIfTrue: true });
      rules.push({ sheet: table.sheet, range: a1(span('trend')), formula: `=ISNUMBER(SEARCH("worsening",${trendRef}))`, fill: palette.red.fill, fontColor: palette.red.font, priority: priority++, stopIfTrue: true });

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

  // Widths and hiding apply to whole columns: only to columns nothing else on the sheet uses (removal decides alike).
  for (const block of blocks) {
    const sheet = userBook.sheets.find((s) => s.name === block.sheet) as SheetSnapshot;
    BLOCK_COLUMNS.forEach((k, i) => {
      const col = block.columns[k];
      if (!isColumnFree(sheet, col, block.top, block.bottom, blocks.filter((b) => b !== block))) return;
      columns.push({ sheet: block.sheet, col, width: WIDTHS[k] ?? 10, hidden: i >= VISIBLE, outlineLevel: i >= VISIBLE ? 1 : 0 });
    });
  }

  const removeNames = (snapshot.names ?? []).filter((n) => n.name.startsWith(NAME_PREFIX)).map((n) => n.name);
  return { clear: previousBlocks, removeRulesIn: previousBlocks, removeNames, writes, rules, names, columns, ledger, blocks, notices, evaluation };
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
  const restore: LedgerEntry[] = (ledgerSheet?.rows ?? []).slice(1).flatMap((row) => {
    const [sheet, cell, text, fmt] = [row[0]?.text, row[1]?.text, row[2], row[3]?.text];
    if (!sheet || !cell || !text) return [];
    const original = typeof text.value === 'string' ? text.value : text.text;
    // Put the text back only where the cell still holds what the refresh typed: a later edit by the user stays.
    return stillNormalised(snapshot, sheet, cell, original) ? [{ sheet, cell, text: original, numberFormat: fmt ?? 'General' }] : [];
  });
  const userBook = withoutOwnBlocks(snapshot);
  const resetColumns = blocks.flatMap((b) => {
    const sheet = userBook.sheets.find((s) => s.name === b.sheet);
    if (!sheet) return [];
    const cols: Array<{ sheet: string; col: number }> = [];
    for (let c = b.left; c <= b.right; c++) {
      if (isColumnFree(sheet, c, b.top, b.bottom, blocks.filter((o) => o !== b))) cols.push({ sheet: b.sheet, col: c });
    }
    return cols;
  });
  return {
    clear: blocks, resetColumns, removeRulesIn: blocks,
    removeNames: (snapshot.names ?? []).filter((n) => n.name.startsWith(NAME_PREFIX)).map((n) => n.name),
    restore, removeLedgerSheet: ledgerSheet !== undefined,
  };
}

/** The ledger sheet's header row. */
export const LEDGER_HEADER = ['Sheet', 'Cell', 'Original text', 'Original number format'] as const;

/** Re-exported for adapters that need the settings type. */
export type { EvaluationSettings };
