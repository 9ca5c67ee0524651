/**
 * Table detection: finds the tables in messy sheets (titles, several tables a sheet, headers over up to four rows,
 * shifted headers, section rows), reads each column's role from its header (the vocabulary) and from the values
 * beneath it, and tells scorecards (KPI tables, monthly series, budgets, risk registers, grids of ratings) from
 * everything else. What makes a table one kind or another is that kind's own hints (rules/kinds, `TABLE_KINDS`):
 * the roles its columns take, how it re-reads them, and the test that recognises it; this module asks the kinds
 * in their order and hard-codes none of them.
 */
import { cellAddress, columnLetters, rangeAddress } from './address';
import { Finding, makeFinding } from './findings';
import { ARROW_DOWN, ARROW_FLAT, ARROW_UP, FREQUENCY_WORD } from './patterns';
import { financialYearOf, ORDERING_YEAR, Period, parsePeriod } from './period';
import { polarityFromPhrase } from './polarity';
import { cellAt, SheetSnapshot, textAt, WorkbookSnapshot } from './snapshot';
import { isDateFormat, parseCell } from './value';
import { ColumnContext, hasRole, HeaderlessReading, isTimetable, rolesOfKinds, TABLE_KINDS, TableEvidence, TableKind } from './rules/kinds';
import {
  ColumnRole, isValueHeader, roleOfHeader, SCALE_ROW, SignConvention, signConventionOfHeader, singleSpaced, statusOfWord,
  TO_DATE_GROUP, trendOfWord,
} from './vocabulary';

export type { TableKind } from './rules/kinds';

/** A column of a detected table. */
export interface TableColumn {
  readonly col: number;
  readonly letter: string;
  /** The header as read, all header rows joined after merged cells are filled and shifts undone. */
  readonly header: string;
  readonly role: ColumnRole;
  readonly period?: Period;
  readonly signConvention?: SignConvention;
  /** The column group a budget column sits in: a to-date group is context, not judged. */
  readonly group?: 'to-date';
  /** Scale of the column's figures from a "£000" / "£m" row under the header. */
  readonly scale?: { readonly factor: number; readonly currency?: string; readonly text: string };
}

/** A detected scorecard table. Rows and columns are 0-based sheet indices. */
export interface DetectedTable {
  readonly sheet: string;
  readonly title: string | null;
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
  readonly range: string;
  readonly headerRows: readonly number[];
  readonly dataRows: readonly number[];
  readonly columns: readonly TableColumn[];
  readonly kind: TableKind;
  /** 0–1: how sure detection is that this is a scorecard of this kind. */
  readonly confidence: number;
  /** Calendar year in which the table's financial year starts (2016 for 2016/17), when known. */
  readonly reportingYear?: number;
  /** A budget table that prints only its variances: the printed figures are the variances. */
  readonly varianceOnly?: boolean;
  readonly findings: readonly Finding[];
}

/** A region that was looked at and left alone, with the reason. */
export interface SkippedRegion {
  readonly sheet: string;
  readonly range: string;
  readonly title: string | null;
  readonly reason: string;
}

/** Detection result for a workbook. */
export interface Detection {
  readonly tables: readonly DetectedTable[];
  readonly skipped: readonly SkippedRegion[];
}

interface Block {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** Words that head a group of period columns ("Outturn" over "2015/16 | 2016/17"), not a period themselves. */
const GROUP_WORDS = /^(?:outturn|actual|actuals|performance|result|results|value|values|data|position|current|previous|period)$/i;
/** Words that open a header cell of any table: "Performance Measure", "Comments", "Ref". The kinds add their own. */
const ANY_TABLE_HEADER_WORDS = /^(?:performance measure|measure|indicator|kpi|narrative|comments?|service|ref(?:erence)?\b)/i;
/**
 * The header words of any table and of every kind as one pattern, which matches where any of them does: each is
 * case-insensitive and captures nothing (see `KindDetection.headerWords`), so their alternation answers alike.
 */
const HEADER_KEYWORDS = new RegExp(
  [ANY_TABLE_HEADER_WORDS, ...TABLE_KINDS.flatMap((k) => (k.headerWords === undefined ? [] : [k.headerWords]))].map((p) => `(?:${p.source})`).join('|'),
  'i',
);
/** Roles whose columns must hold figures, as the kinds declare them. */
const FIGURE_ROLES = rolesOfKinds('figureRoles');
/** Roles a header states firmly enough that the values beneath cannot overrule them: any table's, then the kinds'. */
const HEADER_OVER_VALUES: ReadonlySet<ColumnRole> = new Set<ColumnRole>(['measure', 'narrative', 'reference', ...rolesOfKinds('headerRoles')]);
/** Roles whose headers carry a sign convention, as the kinds declare them. */
const SIGNED_ROLES = rolesOfKinds('signedRoles');
/** Roles read from values that, under a period header, make a period column (ratings under "2016/17"). */
const PERIOD_CELL_ROLES = rolesOfKinds('periodCellRoles');
/** A reference code rather than a description: "CS01", "1.1.2", "OC06a", "R1", "Priority 3". */
const CODE = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9.\-/_]{0,11}\.?$|^priority\s*\d+$/i;

function isEmpty(sheet: SheetSnapshot, r: number, c: number): boolean {
  return textAt(sheet, r, c) === '';
}

/** Returns true when a cell holds a number that is data (not a date used as a period label). */
function isNumericData(sheet: SheetSnapshot, r: number, c: number): boolean {
  const cell = cellAt(sheet, r, c);
  if (cell === undefined) return false;
  if (typeof cell.value === 'number') return !isDateFormat(cell.numberFormat);
  const parsed = parseCell(cell);
  if (parsed.kind === 'number' || parsed.kind === 'several') return parsePeriod(cell.text) === undefined;
  return false;
}

/** A figure as printed, for telling a column of figures or codes from one of words: "(9)", "1,024", "3.3%". */
const FIGURE_TEXT = /^[-+(£$€]?\d[\d,.]*\)?%?$/;

/** The share of a column's filled cells, over the given rows, that hold figures (0 when none is filled). */
function figureShare(sheet: SheetSnapshot, rows: readonly number[], col: number): number {
  const filled = rows.filter((r) => !isEmpty(sheet, r, col));
  return filled.length === 0 ? 0 : filled.filter((r) => isNumericData(sheet, r, col)).length / filled.length;
}

/** A rating mark in a data cell: R/A/G, Red/Amber/Green, Y/N, a tick or a face — not a word that also heads columns. */
const RATING_MARK = /^(?:[RAGYN]|red|amber|green|yes|no|(?:not )?met|[✓✔✗✘×☑☒]|.*\bfaces?\b.*)\**$/i;

/** A figure of a data row: a number, or a published rating mark. */
function isFigure(sheet: SheetSnapshot, r: number, c: number): boolean {
  if (isNumericData(sheet, r, c)) return true;
  const t = textAt(sheet, r, c);
  return RATING_MARK.test(t) && statusOfWord(t.replace(/\*+$/, '')) !== undefined;
}

/** Splits a rectangle into blocks of content separated by blank rows, then blank columns. */
function splitBlocks(sheet: SheetSnapshot, area: Block, depth: number): Block[] {
  const rowRuns: Array<[number, number]> = [];
  let runStart = -1;
  for (let r = area.top; r <= area.bottom + 1; r++) {
    let filled = false;
    if (r <= area.bottom) {
      for (let c = area.left; c <= area.right; c++) if (!isEmpty(sheet, r, c)) { filled = true; break; }
    }
    if (filled && runStart < 0) runStart = r;
    if (!filled && runStart >= 0) { rowRuns.push([runStart, r - 1]); runStart = -1; }
  }
  const out: Block[] = [];
  for (const [top, bottom] of rowRuns) {
    const colFilled: boolean[] = [];
    for (let c = area.left; c <= area.right; c++) {
      let filled = false;
      for (let r = top; r <= bottom; r++) if (!isEmpty(sheet, r, c)) { filled = true; break; }
      colFilled.push(filled);
    }
    const groups: Array<[number, number]> = [];
    let gs = -1;
    for (let i = 0; i <= colFilled.length; i++) {
      const f = colFilled[i] === true;
      if (f && gs < 0) gs = i;
      if (!f && gs >= 0) { groups.push([area.left + gs, area.left + i - 1]); gs = -1; }
    }
    for (const [left, right] of groups) {
      const block = { top, bottom, left, right };
      if (groups.length > 1 && depth < 3) out.push(...splitBlocks(sheet, block, depth + 1));
      else out.push(block);
    }
  }
  return out;
}

function filledCount(sheet: SheetSnapshot, r: number, left: number, right: number): number {
  let n = 0;
  for (let c = left; c <= right; c++) if (!isEmpty(sheet, r, c)) n++;
  return n;
}

/** A short text that names a period ("2016/17", "Q3", "Year end"); a sentence that mentions one is a label. */
function isPeriodLabel(text: string): boolean {
  return text.length <= 30 && parsePeriod(text) !== undefined;
}

/** A data row holds a label (text that is no figure) and at least one figure. */
function isDataLike(sheet: SheetSnapshot, r: number, b: Block): boolean {
  let label = false;
  let figure = false;
  for (let c = b.left; c <= b.right; c++) {
    if (isEmpty(sheet, r, c)) continue;
    if (isFigure(sheet, r, c)) figure = true;
    else if (!isPeriodLabel(textAt(sheet, r, c))) label = true;
    if (label && figure) return true;
  }
  return false;
}

function isHeaderLike(sheet: SheetSnapshot, r: number, b: Block): boolean {
  for (let c = b.left; c <= b.right; c++) {
    const t = textAt(sheet, r, c);
    if (HEADER_KEYWORDS.test(t)) return true;
  }
  return false;
}

/** A row whose only filled cells are scales or units: "£'000 | £'000", "| £m". */
function isScaleRow(sheet: SheetSnapshot, r: number, b: Block): boolean {
  let scales = 0;
  for (let c = b.left; c <= b.right; c++) {
    const t = textAt(sheet, r, c);
    if (t === '') continue;
    if (SCALE_ROW.test(t.replace(/[’`]/g, "'")) || t === '%') scales++;
  }
  return scales > 0 && scales >= filledCount(sheet, r, b.left, b.right) - 1;
}

/** A single-cell row in the first column that still belongs to a header: the label column's own header ("Target Area"). */
function isHeaderCell(text: string): boolean {
  return text.length <= 30 && roleOfHeader(text) === 'measure';
}

/**
 * True when at least the given share of the values pass the test; stops reading once too many have failed (a column
 * of figures fails every word test at its first values).
 */
function shareAtLeast(values: readonly string[], test: (v: string) => boolean, share: number): boolean {
  const n = values.length;
  let passed = 0;
  for (let i = 0; i < n; i++) {
    if (test(values[i] as string)) passed++;
    else if ((passed + n - i - 1) / n < share) return false;
  }
  return passed / n >= share;
}

/** Reads what the values of a column say it is: frequencies, polarities, arrows, published ratings or trends. */
function categoricalRole(values: readonly string[]): 'frequency' | 'polarity' | 'direction' | 'status' | undefined {
  const filled = values.filter((v) => v !== '');
  if (filled.length === 0) return undefined;
  if (shareAtLeast(filled, (v) => FREQUENCY_WORD.test(v), 0.6)) return 'frequency';
  if (shareAtLeast(filled, (v) => polarityFromPhrase(v) !== undefined, 0.6)) return 'polarity';
  if (shareAtLeast(filled, (v) => ARROW_UP.test(v) || ARROW_DOWN.test(v) || ARROW_FLAT.test(v) || trendOfWord(v) !== undefined, 0.5)) return 'direction';
  if (shareAtLeast(filled, (v) => statusOfWord(v) !== undefined, 0.6) && filled.some((v) => v.length > 1)) return 'status';
  return undefined;
}

/** Reads the scale of a "£000" row cell. */
function scaleOf(text: string): TableColumn['scale'] | undefined {
  const m = SCALE_ROW.exec(text.replace(/[’`]/g, "'").trim())?.groups;
  if (m?.scale === undefined) return undefined;
  const s = m.scale.toLowerCase();
  const factor = /000|thousand|^k$/.test(s) ? 1e3 : /^m$|million/.test(s) ? 1e6 : /bn/.test(s) ? 1e9 : 1;
  return { factor, ...(m.cur !== undefined ? { currency: m.cur } : {}), text: text.trim() };
}

interface Assembly {
  block: Block;
  title: string | null;
  headerRows: number[];
  dataRows: number[];
  headerless?: boolean;
}

/** Reads the header rows, roles and kind of one table block. */
function describeTable(sheet: SheetSnapshot, t: Assembly): DetectedTable | SkippedRegion {
  const { block: b, title, headerRows, dataRows } = t;
  const range = rangeAddress(headerRows[0] ?? b.top, b.left, b.bottom, b.right);
  const findings: Finding[] = [];
  const cols: number[] = [];
  for (let c = b.left; c <= b.right; c++) cols.push(c);
  // Each column's texts are read once.
  const columnTexts = new Map<number, readonly string[]>();
  const valuesOf = (c: number): readonly string[] => {
    let texts = columnTexts.get(c);
    if (texts === undefined) {
      texts = dataRows.map((r) => textAt(sheet, r, c));
      columnTexts.set(c, texts);
    }
    return texts;
  };

  if (t.headerless) return describeHeaderlessList(sheet, t, range);

  // Header labels per header row, to be repaired for shifts and merged cells. Scale rows ("£000") are kept apart.
  const scaleRows = headerRows.filter((r) => isScaleRow(sheet, r, b));
  const wordRows = headerRows;
  const labels: string[][] = wordRows.map((r) => cols.map((c) => (scaleOf(textAt(sheet, r, c)) !== undefined ? '' : textAt(sheet, r, c))));
  const valueRole = new Map<number, ReturnType<typeof categoricalRole>>();
  for (const c of cols) valueRole.set(c, categoricalRole(valuesOf(c)));

  // Undo headers shifted against their values (merged cells flattened one column off), right to left.
  for (let i = cols.length - 1; i >= 0; i--) {
    for (const row of labels) {
      const label = row[i] ?? '';
      const role = label === '' ? undefined : roleOfHeader(label);
      if (role !== 'frequency' && role !== 'polarity' && role !== 'direction') continue;
      const c = cols[i] as number;
      if (valueRole.get(c) === role) continue;
      for (const j of [i + 1, i - 1]) {
        const n = cols[j];
        if (n === undefined || valueRole.get(n) !== role || (row[j] ?? '') !== '') continue;
        row[j] = label;
        row[i] = '';
        findings.push(makeFinding('header-shifted', cellAddress(wordRows[labels.indexOf(row)] ?? b.top, c), { header: label, from: `column ${columnLetters(c)}`, to: `column ${columnLetters(n)}` }));
        break;
      }
    }
  }

  // Fill merged header cells: a blank in an upper header row, over a column that has a header of its own below,
  // belongs to the group label to its left, provided the rows above it group the two columns together.
  const original = labels.map((row) => [...row]);
  for (let k = 0; k < labels.length - 1; k++) {
    const row = labels[k] as string[];
    for (let i = 1; i < row.length; i++) {
      if ((original[k]?.[i] ?? '') !== '') continue;
      const c = cols[i] as number;
      if (valueRole.get(c) !== undefined) continue;
      const left = row[i - 1] ?? '';
      if (left === '') continue;
      const below = labels.slice(k + 1).some((r) => (r[i] ?? '') !== '');
      const hasData = dataRows.some((r) => !isEmpty(sheet, r, c));
      const sameParent = labels.slice(0, k).every((r) => (r[i] ?? '') === (r[i - 1] ?? ''));
      const leftRole = roleOfHeader(left);
      const groupLike = GROUP_WORDS.test(left) || parsePeriod(left) !== undefined || leftRole === undefined || TO_DATE_GROUP.test(left) || /\b(?:forecast|year end)\b/i.test(left);
      if (below && hasData && sameParent && groupLike) row[i] = left;
    }
  }

  const headers = cols.map((_, i) => labels.map((row) => row[i] ?? '').filter((s) => s !== '').join(' '));
  const scales = cols.map((c) => scaleRows.map((r) => scaleOf(textAt(sheet, r, c))).find((s) => s !== undefined));
  const rolesInHeaders = new Set(headers.map((h) => roleOfHeader(h)));
  const named = new Set<string>(TABLE_KINDS.filter((k) => (k.namedBy ?? []).some((r) => rolesInHeaders.has(r))).map((k) => k.kind));
  const targetHeader = headers.find((h) => roleOfHeader(h) === 'target');
  const yearsInHeaders = headers.map((h) => financialYearOf(h)).filter((y): y is number => y !== undefined);
  const reportingYear = (targetHeader !== undefined ? financialYearOf(targetHeader) : undefined)
    ?? (yearsInHeaders.length > 0 ? Math.max(...yearsInHeaders) : undefined);
  const context: ColumnContext = { named, reportingYear, figureShare: (col) => figureShare(sheet, dataRows, col) };

  const columns: TableColumn[] = cols.map((c, i) => {
    const header = headers[i] ?? '';
    const byValues = valueRole.get(c);
    // The lowest label is the most specific ("NOTE" under "YEAR END FORECAST"); the group label speaks after it.
    const lowest = [...labels].reverse().map((row) => row[i] ?? '').find((l) => l !== '') ?? '';
    const byHeader = roleOfHeader(lowest) ?? roleOfHeader(header);
    const headerPeriod = parsePeriod(header.split(' ').filter((w) => !GROUP_WORDS.test(w)).join(' '), reportingYear);
    // A period header over a kind's period cells (ratings) makes a period column, not a status column.
    let role: ColumnRole = byValues !== undefined && PERIOD_CELL_ROLES.has(byValues) && headerPeriod !== undefined ? 'other'
      : byHeader !== undefined && HEADER_OVER_VALUES.has(byHeader) ? byHeader : byValues ?? byHeader ?? 'other';
    let period: Period | undefined;
    if (role === 'other' || role === 'forecast') {
      const lastHeaderCell = cellAt(sheet, wordRows[wordRows.length - 1] ?? b.top, c);
      period = headerPeriod ?? parsePeriod(lastHeaderCell?.text ?? '', reportingYear);
      if (period === undefined && role === 'other' && header !== '' && isValueHeader(header.replace(/\b(?:19|20)\d{2}\b.*$/, '').trim())) {
        role = 'value';
      }
      if (period !== undefined && role === 'other') role = 'period';
    }
    if (role === 'target') {
      // "Q2 Target", "Target 2023/24": a target for a period, matched to the value of that period.
      period = parsePeriod(singleSpaced(header.replace(/\btargets?\b/ig, ' ')).trim(), reportingYear);
    }
    for (const kind of TABLE_KINDS) role = kind.roleOfColumn?.({ col: c, header, role }, context) ?? role;
    const group = TO_DATE_GROUP.test(header) && FIGURE_ROLES.has(role) ? { group: 'to-date' as const } : {};
    const convention = SIGNED_ROLES.has(role) ? signConventionOfHeader(header) : undefined;
    const scale = scales[i];
    return { col: c, letter: columnLetters(c), header, role, ...(period ? { period } : {}), ...(convention ? { signConvention: convention } : {}), ...group, ...(scale ? { scale } : {}) };
  });

  // Figure roles read from a header ("Budget Holder", "Variance commentary") need figures beneath them.
  for (let i = 0; i < columns.length; i++) {
    const k = columns[i] as TableColumn;
    if (!FIGURE_ROLES.has(k.role)) continue;
    const filled = dataRows.filter((r) => !isEmpty(sheet, r, k.col));
    const figures = filled.filter((r) => isNumericData(sheet, r, k.col) || /^[-–—]$/.test(textAt(sheet, r, k.col))).length;
    if (filled.length > 0 && figures / filled.length < 0.5) columns[i] = { ...k, role: 'other' };
  }
  for (const kind of TABLE_KINDS) if (kind.reviseRoles !== undefined) applyRoles(columns, kind.reviseRoles(columns, context));
  assignMeasure(columns, valuesOf);
  continueUnheadedPeriods(sheet, columns, dataRows);
  placeYearlessPeriods(columns, reportingYear);

  for (let i = 0; i < columns.length; i++) {
    const k = columns[i] as TableColumn;
    if (k.role !== 'other') continue;
    const vals = valuesOf(k.col).filter((v) => v !== '');
    if (vals.length > 0 && vals.filter((v) => v.length > 40).length / vals.length >= 0.5) columns[i] = { ...k, role: 'narrative' };
  }

  for (const kind of TABLE_KINDS) if (kind.completeRoles !== undefined) applyRoles(columns, kind.completeRoles(columns, context));

  const periodCols = columns.filter((k) => k.role === 'period');
  // The filled cells of the period columns: how many hold figures, and how many published ratings (counted, not listed).
  let periodCells = 0;
  let numericCells = 0;
  let ratedCells = 0;
  for (const k of periodCols) {
    for (const r of dataRows) {
      const text = textAt(sheet, r, k.col);
      if (text === '') continue;
      periodCells++;
      if (isNumericData(sheet, r, k.col)) numericCells++;
      const s = statusOfWord(text);
      if (s !== undefined && s !== 'none') ratedCells++;
    }
  }
  const numericShare = periodCells === 0 ? 0 : numericCells / periodCells;
  const ratingShare = periodCells === 0 ? 0 : ratedCells / periodCells;
  const evidence: TableEvidence = {
    headerText: headers.join(' ').toLowerCase(),
    has: (role) => hasRole(columns, role),
    periods: periodCols.map((k) => k.period?.kind),
    figureShare: numericShare,
    ratingShare,
  };
  const base = { sheet: sheet.name, title, top: headerRows[0] ?? b.top, left: b.left, bottom: b.bottom, right: b.right, range, headerRows, dataRows, columns, findings, ...(reportingYear !== undefined ? { reportingYear } : {}) };
  for (const kind of TABLE_KINDS) {
    const recognition = kind.recognise(evidence);
    if (recognition !== undefined) return { ...base, kind: kind.kind, ...recognition };
  }
  if (isTimetable(evidence)) {
    return { sheet: sheet.name, range, title, reason: `Not a scorecard: the period columns (${periodCols[0]?.header} to ${periodCols[periodCols.length - 1]?.header}) hold text, not figures — it reads as a plan or timetable` };
  }
  return { sheet: sheet.name, range, title, reason: 'Not a scorecard: no target, period or budget columns with figures' };
}

/** Sets each column's role to the one a kind re-read for it, keeping every column whose role it leaves alone. */
function applyRoles(columns: TableColumn[], roles: readonly ColumnRole[]): void {
  roles.forEach((role, i) => {
    const k = columns[i];
    if (k !== undefined && k.role !== role) columns[i] = { ...k, role };
  });
}

/**
 * A list of labels and one column of figures with no header, read by the kind whose title it sits under (signed
 * figures under a budget title are variances).
 */
function describeHeaderlessList(sheet: SheetSnapshot, t: Assembly, range: string): DetectedTable | SkippedRegion {
  const { block: b, title, dataRows } = t;
  const figureCols: number[] = [];
  for (let c = b.left + 1; c <= b.right; c++) {
    const filled = dataRows.filter((r) => !isEmpty(sheet, r, c));
    if (filled.length > 0 && filled.every((r) => isNumericData(sheet, r, c))) figureCols.push(c);
  }
  const labelled = dataRows.every((r) => !isEmpty(sheet, r, b.left) && !isNumericData(sheet, r, b.left));
  const reading = figureCols.length === 1 && labelled && title !== null ? readHeaderless(title) : undefined;
  if (reading === undefined || title === null) {
    return { sheet: sheet.name, range, title, reason: 'No header row: the columns cannot be told apart' };
  }
  const columns: TableColumn[] = [];
  for (let c = b.left; c <= b.right; c++) {
    const figures = c === figureCols[0];
    const role: ColumnRole = c === b.left ? 'measure' : figures ? reading.role : 'other';
    columns.push({ col: c, letter: columnLetters(c), header: figures ? title : '', role, ...(figures && reading.signConvention !== undefined ? { signConvention: reading.signConvention } : {}) });
  }
  return {
    sheet: sheet.name, title, top: dataRows[0] ?? b.top, left: b.left, bottom: b.bottom, right: b.right, range: rangeAddress(dataRows[0] ?? b.top, b.left, b.bottom, b.right),
    headerRows: [], dataRows, columns, kind: reading.kind, ...reading.recognition, findings: [],
  };
}

/** The first kind that reads a headerless list under this title, with its reading. */
function readHeaderless(title: string): (HeaderlessReading & { readonly kind: TableKind }) | undefined {
  for (const kind of TABLE_KINDS) {
    const reading = kind.readHeaderless?.(title);
    if (reading !== undefined) return { ...reading, kind: kind.kind };
  }
  return undefined;
}

/**
 * The measure column: a column headed as a measure with words beneath it; when the first column holds codes or
 * figures, the descriptive text column beside it. Of two columns headed as measures, the one filled on more rows.
 */
function assignMeasure(columns: TableColumn[], valuesOf: (c: number) => readonly string[]): void {
  const texty = (k: TableColumn): number => valuesOf(k.col).filter((v) => v !== '' && !FIGURE_TEXT.test(v)).length;
  const headed = columns.map((k, i) => ({ k, i })).filter(({ k }) => k.role === 'measure');
  if (headed.length > 1) {
    const best = [...headed].sort((a, b) => texty(b.k) - texty(a.k) || a.i - b.i)[0];
    for (const h of headed) if (h !== best) columns[h.i] = { ...h.k, role: 'reference' };
  }
  if (columns.some((k) => k.role === 'measure')) {
    const m = columns.findIndex((k) => k.role === 'measure');
    // Codes left of the measure ("CS01") are its reference.
    for (let i = 0; i < m; i++) {
      const k = columns[i] as TableColumn;
      const vals = valuesOf(k.col).filter((v) => v !== '');
      if (k.role === 'other' && vals.length > 0 && vals.every((v) => CODE.test(v))) columns[i] = { ...k, role: 'reference' };
    }
    const k = columns[m] as TableColumn;
    const vals = valuesOf(k.col).filter((v) => v !== '');
    const next = columns[m + 1];
    const codes = vals.length > 0 && vals.every((v) => CODE.test(v));
    if (codes && next !== undefined && next.role === 'other' && texty(next) > 0) {
      columns[m] = { ...k, role: 'reference' };
      columns[m + 1] = { ...next, role: 'measure' };
    }
    return;
  }
  const first = columns[0];
  if (first === undefined) return;
  const codes = valuesOf(first.col).filter((v) => v !== '');
  const looksLikeCodes = codes.length > 0 && codes.every((v) => CODE.test(v));
  const looksLikeFigures = codes.length > 0 && codes.every((v) => FIGURE_TEXT.test(v));
  const second = columns[1];
  if ((looksLikeCodes || looksLikeFigures) && second !== undefined && (second.role === 'other' || second.role === 'reference') && texty(second) > 0) {
    columns[0] = { ...first, role: looksLikeFigures ? first.role : first.role === 'other' ? 'reference' : first.role };
    columns[1] = { ...second, role: 'measure' };
  } else if (first.role === 'other' || first.role === 'reference' || (first.role === 'period' && texty(first) > 0)) {
    columns[0] = { ...first, role: 'measure' };
  }
}

/** An unheaded column of figures straight after a period column continues the sequence ("Quarter 1", then Q2). */
function continueUnheadedPeriods(sheet: SheetSnapshot, columns: TableColumn[], dataRows: readonly number[]): void {
  for (let i = 1; i < columns.length; i++) {
    const k = columns[i] as TableColumn;
    const prev = columns[i - 1] as TableColumn;
    if (k.header !== '' || k.role !== 'other' || prev.role !== 'period' || prev.period === undefined) continue;
    if (figureShare(sheet, dataRows, k.col) < 0.5) continue;
    const span = prev.period.end - prev.period.start + 1;
    const p = prev.period;
    const nextLabel = p.kind === 'quarter' && /\b(?:q|qtr|quarter)\s*([1-3])\b/i.test(p.label)
      ? p.label.replace(/\b(q|qtr|quarter)(\s*)([1-3])\b/i, (_m, w: string, s: string, n: string) => `${w}${s}${Number(n) + 1}`)
      : `after ${p.label}`;
    columns[i] = { ...k, role: 'period', header: '', period: { ...p, label: `${nextLabel} (column ${k.letter}, unheaded)`, start: p.start + span, end: p.end + span } };
  }
}

/**
 * Periods with no year, in a table that names none, follow the column order: a "Year end" left of "Quarter 1" is
 * the year before those quarters, and yearless months run on from one to the next.
 */
function placeYearlessPeriods(columns: TableColumn[], reportingYear: number | undefined): void {
  if (reportingYear !== undefined) return;
  const idx = columns.map((k, i) => ({ k, i })).filter(({ k }) => k.role === 'period' && k.period?.yearless === true && k.period.relative === undefined);
  if (idx.length === 0) return;
  // Months in column order: each month not after the one before starts a new year.
  let year = ORDERING_YEAR;
  let lastMonth = -1;
  for (const { k, i } of idx) {
    const p = k.period as Period;
    if (p.kind !== 'month' || p.start !== p.end) continue;
    const m = ((p.start % 12) + 12) % 12;
    if (lastMonth >= 0 && m <= lastMonth) year++;
    lastMonth = m;
    const at = year * 12 + m;
    columns[i] = { ...k, period: { ...p, start: at, end: at } };
  }
  const quarters = idx.filter(({ k }) => k.period?.kind === 'quarter');
  const firstQuarter = quarters[0]?.i;
  for (const { k, i } of idx) {
    const p = k.period as Period;
    if ((p.kind === 'year-end' || p.kind === 'year-to-date') && firstQuarter !== undefined && i < firstQuarter) {
      columns[i] = { ...k, period: { ...p, start: p.start - 12, end: p.end - 12 } };
    }
  }
}

/**
 * Finds the tables of every sheet. Returns scorecard tables with their columns' roles, and the regions
 * looked at and left alone, each with its reason.
 */
export function detectTables(workbook: WorkbookSnapshot): Detection {
  const tables: DetectedTable[] = [];
  const skipped: SkippedRegion[] = [];
  for (const sheet of workbook.sheets) {
    const width = sheet.rows.reduce((w, row) => Math.max(w, row.length), 0);
    if (sheet.rows.length === 0 || width === 0) continue;
    const blocks = splitBlocks(sheet, { top: 0, bottom: sheet.rows.length - 1, left: 0, right: width - 1 }, 0)
      .sort((a, b) => a.top - b.top || a.left - b.left);

    let pendingTitle: { text: string; row: number; left: number } | null = null;
    let pendingHeader: { block: Block; title: string | null; headerRows: number[] } | null = null;
    // A header-like block that no rows of figures followed is a table of words (a plan): described, then left alone.
    const flushPending = (): void => {
      if (pendingHeader !== null && pendingHeader.headerRows.length >= 2) {
        const [head, ...rest] = pendingHeader.headerRows;
        assembled.push({ block: { ...pendingHeader.block, top: head as number }, title: pendingHeader.title, headerRows: [head as number], dataRows: rest });
      }
      pendingHeader = null;
    };
    const open: Assembly[] = [];
    const assembled: Assembly[] = [];

    for (const b of blocks) {
      let firstData = -1;
      for (let r = b.top; r <= b.bottom; r++) if (isDataLike(sheet, r, b)) { firstData = r; break; }

      if (firstData < 0) {
        // No data: a title, a note, or a header whose rows follow after a blank line.
        const multi = [];
        for (let r = b.top; r <= b.bottom; r++) if (filledCount(sheet, r, b.left, b.right) > 1 || isScaleRow(sheet, r, b)) multi.push(r);
        if (multi.length > 4) {
          // Rows of words under a header: a plan or a list, which the description will name and leave alone.
          const head = multi[0] as number;
          const above = head > b.top ? textAt(sheet, head - 1, b.left) : '';
          const entry: Assembly = { block: { ...b, top: head }, title: above !== '' ? above : pendingTitle?.text ?? null, headerRows: [head], dataRows: multi.slice(1) };
          flushPending();
          assembled.push(entry);
          pendingTitle = null;
        } else if (multi.length > 0 && filledCount(sheet, multi[0] as number, b.left, b.right) > 1) {
          const above = (multi[0] as number) > b.top ? textAt(sheet, (multi[0] as number) - 1, b.left) : '';
          flushPending();
          pendingHeader = { block: b, title: above !== '' ? above : pendingTitle?.text ?? null, headerRows: multi };
          pendingTitle = null;
        } else {
          const text = textAt(sheet, b.bottom, b.left);
          pendingTitle = text !== '' && text.length <= 80 ? { text, row: b.bottom, left: b.left } : pendingTitle;
        }
        continue;
      }

      // Header rows: walk up from the first data row. Section rows directly above the data are skipped; once a
      // header row is found, a single-cell row that is no header word is the title.
      const headerRows: number[] = [];
      let titleRow = -1;
      for (let r = firstData - 1; r >= b.top && headerRows.length < 4; r--) {
        const n = filledCount(sheet, r, b.left, b.right);
        const only = firstText(sheet, r, b);
        // A lone label-column header ("Target Area") sits directly above the data, under the rest of the header.
        if (n > 1 || isScaleRow(sheet, r, b) || (n === 1 && headerRows.length === 0 && isHeaderCell(only.text) && r > b.top) || (n === 1 && only.col !== b.left)) { headerRows.unshift(r); continue; }
        if (headerRows.length === 0) continue;
        titleRow = r;
        break;
      }
      if (titleRow < 0 && headerRows.length > 0 && (headerRows[0] as number) > b.top) titleRow = (headerRows[0] as number) - 1;
      const ownTitle = titleRow >= 0 ? firstText(sheet, titleRow, b).text : null;
      const headerTop = headerRows[0];

      // A block with no header of its own, just below a table, continues it.
      if (headerRows.length === 0) {
        const prev = open.find((o) => o.block.left === b.left && b.right <= o.block.right + 1 && b.top - o.block.bottom <= 3);
        const first = firstData;
        if (prev !== undefined && !isHeaderLike(sheet, first, b)) {
          for (let r = b.top; r <= b.bottom; r++) if (filledCount(sheet, r, b.left, b.right) > 1) prev.dataRows.push(r);
          prev.block = { ...prev.block, bottom: b.bottom, right: Math.max(prev.block.right, b.right) };
          continue;
        }
        if (pendingHeader !== null && b.top - pendingHeader.block.bottom <= 3 && Math.abs(pendingHeader.block.left - b.left) <= 1) {
          const ph = pendingHeader;
          pendingHeader = null;
          const dataRows: number[] = [];
          for (let r = b.top; r <= b.bottom; r++) if (filledCount(sheet, r, b.left, b.right) > 1) dataRows.push(r);
          const entry: Assembly = { block: { top: ph.headerRows[0] as number, bottom: b.bottom, left: Math.min(ph.block.left, b.left), right: Math.max(ph.block.right, b.right) }, title: ph.title, headerRows: ph.headerRows, dataRows };
          open.splice(0, open.length, ...open.filter((o) => o.block.left !== entry.block.left));
          open.push(entry);
          assembled.push(entry);
          continue;
        }
        // Headerless: a list of labels and figures, perhaps under a title.
        const titleText = firstData > b.top ? firstText(sheet, firstData - 1, b).text : pendingTitle?.text ?? null;
        const dataRows: number[] = [];
        for (let r = firstData; r <= b.bottom; r++) if (filledCount(sheet, r, b.left, b.right) > 1) dataRows.push(r);
        const entry: Assembly = { block: { ...b, top: firstData }, title: titleText, headerRows: [], dataRows, headerless: true };
        assembled.push(entry);
        pendingTitle = null;
        continue;
      }

      flushPending();
      const title = ownTitle ?? (pendingTitle !== null && pendingTitle.left === b.left && (headerTop as number) - pendingTitle.row <= 5 ? pendingTitle.text : null);
      pendingTitle = null;
      const headerTexts = headerRows.map((r) => rowText(sheet, r, b));
      const dataRows: number[] = [];
      for (let r = (headerRows[headerRows.length - 1] as number) + 1; r <= b.bottom; r++) {
        // A row with only its first cell filled is a section heading; a repeated header row starts a new section.
        if (filledCount(sheet, r, b.left, b.right) <= 1) continue;
        if (repeatsHeader(sheet, r, b, headerTexts)) continue;
        dataRows.push(r);
      }
      const entry: Assembly = { block: { ...b, top: headerTop as number }, title, headerRows, dataRows };
      const at = open.findIndex((o) => o.block.left === b.left);
      if (at >= 0) open.splice(at, 1);
      open.push(entry);
      assembled.push(entry);
    }

    flushPending();
    assembled.sort((x, y) => x.block.top - y.block.top || x.block.left - y.block.left);
    for (const table of assembled) {
      if (table.dataRows.length === 0) {
        skipped.push({ sheet: sheet.name, range: rangeAddress(table.block.top, table.block.left, table.block.bottom, table.block.right), title: table.title, reason: 'A header with no rows beneath it' });
        continue;
      }
      const described = describeTable(sheet, table);
      if ('kind' in described) tables.push(described);
      else skipped.push(described);
    }
  }
  return { tables, skipped };
}

function firstText(sheet: SheetSnapshot, r: number, b: Block): { text: string; col: number } {
  for (let c = b.left; c <= b.right; c++) {
    const t = textAt(sheet, r, c);
    if (t !== '') return { text: t, col: c };
  }
  return { text: '', col: b.left };
}

/** True when a row's text (`rowText`) is one of `headerTexts`, the header rows' texts: a repeated header row. */
function repeatsHeader(sheet: SheetSnapshot, r: number, b: Block, headerTexts: readonly string[]): boolean {
  // A row's text begins with its first cell's, then a tab or the end (unless the cell holds a tab): a row whose
  // first cell begins no header's text that way is no header, and its whole text need not be made.
  const first = textAt(sheet, r, b.left).toLowerCase();
  const n = first.length;
  if (!first.includes('\t') && !headerTexts.some((h) => h.startsWith(first) && (h.length === n || h[n] === '\t'))) return false;
  return headerTexts.includes(rowText(sheet, r, b));
}

function rowText(sheet: SheetSnapshot, r: number, b: Block): string {
  const out: string[] = [];
  for (let c = b.left; c <= b.right; c++) out.push(textAt(sheet, r, c).toLowerCase());
  return out.join('\t');
}
