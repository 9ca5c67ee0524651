/**
 * Table detection: finds the tables in messy sheets (titles, several tables a sheet, multi-row and
 * shifted headers), reads each column's role from its header and from the values beneath, and tells
 * scorecards (KPI tables, monthly series, budgets, risk registers) from everything else.
 */
import { cellAddress, columnLetters, rangeAddress } from './address';
import { Finding, makeFinding } from './findings';
import { ARROW_DOWN, ARROW_FLAT, ARROW_UP, FREQUENCY_WORD } from './patterns';
import { financialYearOf, Period, parsePeriod } from './period';
import { polarityFromPhrase } from './polarity';
import { cellAt, SheetSnapshot, textAt, WorkbookSnapshot } from './snapshot';
import { isDateFormat, parseCell } from './value';

/** What a scorecard table is. */
export type TableKind = 'kpi' | 'timeseries' | 'budget' | 'risk';

/** What a column holds. */
export type ColumnRole =
  | 'measure' | 'reference' | 'target' | 'period' | 'frequency' | 'polarity' | 'direction' | 'narrative'
  | 'tolerance' | 'budget' | 'forecast' | 'variance' | 'prior-variance' | 'movement'
  | 'risk-before' | 'risk-after' | 'risk-controls' | 'other';

/** How a budget column signs its figures: over-positive = overspend (adverse) printed positive. */
export type SignConvention = 'over-positive' | 'under-positive';

/** A column of a detected table. */
export interface TableColumn {
  readonly col: number;
  readonly letter: string;
  /** The header as read, all header rows joined after merged cells are filled and shifts undone. */
  readonly header: string;
  readonly role: ColumnRole;
  readonly period?: Period;
  readonly signConvention?: SignConvention;
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

const GROUP_WORDS = /^(?:outturn|actual|actuals|performance|result|results|value|values|data|position|current|previous|period)$/i;
const HEADER_KEYWORDS = /^(?:performance measure|measure|indicator|kpi|target|outturn|actual|polarity|frequency|narrative|comments?|budget|net budget|forecast|service|direction of travel|risk\b|ref(?:erence)?\b)/i;

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

/** A data-like row has a label in its first column and a number elsewhere. */
function isDataLike(sheet: SheetSnapshot, r: number, b: Block): boolean {
  if (isEmpty(sheet, r, b.left)) return false;
  for (let c = b.left + 1; c <= b.right; c++) if (isNumericData(sheet, r, c)) return true;
  return false;
}

function isHeaderLike(sheet: SheetSnapshot, r: number, b: Block): boolean {
  for (let c = b.left; c <= b.right; c++) if (HEADER_KEYWORDS.test(textAt(sheet, r, c))) return true;
  return false;
}

function categoricalRole(values: readonly string[]): 'frequency' | 'polarity' | 'direction' | undefined {
  const filled = values.filter((v) => v !== '');
  if (filled.length === 0) return undefined;
  const share = (test: (v: string) => boolean): number => filled.filter(test).length / filled.length;
  if (share((v) => FREQUENCY_WORD.test(v)) >= 0.6) return 'frequency';
  if (share((v) => polarityFromPhrase(v) !== undefined) >= 0.6) return 'polarity';
  if (share((v) => ARROW_UP.test(v) || ARROW_DOWN.test(v) || ARROW_FLAT.test(v)) >= 0.5) return 'direction';
  return undefined;
}

function headerRole(header: string, hasBudget: boolean): ColumnRole | undefined {
  const h = header.toLowerCase();
  if (/\bmovement\b/.test(h)) return 'movement';
  if (/variance|\(?\s*(?:over|under)\s*\)?\s*\/\s*\(?\s*(?:over|under)|\(\s*(?:fav|adv)|(?:fav|adv)[a-z]*\s*\)?\s*\/|\(favourable\)|\(adverse\)/.test(h)) {
    return /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|previous|prior|last|q[1-4]|quarter|month)\b/.test(h)
      ? 'prior-variance' : 'variance';
  }
  if (/\bbudget\b/.test(h)) return 'budget';
  if (hasBudget && /\bforecast|\bprojected\b|\boutturn\b|\bactual/.test(h)) return 'forecast';
  if (/\brisk\b.*\b(?:rating|score)\b|\b(?:rating|score)\b/.test(h)) {
    if (/before|inherent|gross|original|initial|unmitigated/.test(h)) return 'risk-before';
    if (/after|residual|current|net|mitigated|revised/.test(h)) return 'risk-after';
  }
  if (/\bcontrols?\b|\bmitigation\b|\bactions?\b/.test(h) && /risk|control|mitigation/.test(h)) return 'risk-controls';
  if (/\btargets?\b/.test(h)) return 'target';
  if (/\bpolarity\b|\bgood is\b|\bis better\b/.test(h)) return 'polarity';
  if (/direction of travel|\bdot\b|\bdirection\b/.test(h)) return 'direction';
  if (/\bfrequency\b/.test(h)) return 'frequency';
  if (/\btolerance\b/.test(h)) return 'tolerance';
  if (/narrative|comment|commentary|\bnotes?\b|explanation|what is the data|\bremarks?\b/.test(h)) return 'narrative';
  if (/\bref(?:erence)?\b|\bid\b|\bcode\b/.test(h)) return 'reference';
  if (/measure|indicator|\bkpi\b|description|\bservice\b|objective|\bpriority\b/.test(h)) return 'measure';
  return undefined;
}

function signConventionOf(header: string): SignConvention | undefined {
  const m = /\(\s*(under|fav|favourable|over|adv|adverse)/i.exec(header);
  if (!m || m[1] === undefined) return undefined;
  return /^(?:under|fav)/i.test(m[1]) ? 'over-positive' : 'under-positive';
}

/** Reads the header rows, roles and kind of one table block. */
function describeTable(sheet: SheetSnapshot, b: Block, title: string | null, headerRows: number[], dataRows: number[]): DetectedTable | SkippedRegion {
  const range = rangeAddress(headerRows[0] ?? b.top, b.left, b.bottom, b.right);
  const findings: Finding[] = [];
  const cols: number[] = [];
  for (let c = b.left; c <= b.right; c++) cols.push(c);

  // Header labels per header row, to be repaired for shifts and merged cells.
  const labels: string[][] = headerRows.map((r) => cols.map((c) => textAt(sheet, r, c)));
  const valuesOf = (c: number): string[] => dataRows.map((r) => textAt(sheet, r, c));
  const valueRole = new Map<number, ReturnType<typeof categoricalRole>>();
  for (const c of cols) valueRole.set(c, categoricalRole(valuesOf(c)));

  // Undo headers shifted against their values (merged cells flattened one column off), right to left.
  for (let i = cols.length - 1; i >= 0; i--) {
    for (const row of labels) {
      const label = row[i] ?? '';
      const role = label === '' ? undefined : headerRole(label, false);
      if (role !== 'frequency' && role !== 'polarity' && role !== 'direction') continue;
      const c = cols[i] as number;
      if (valueRole.get(c) === role) continue;
      for (const j of [i + 1, i - 1]) {
        const n = cols[j];
        if (n === undefined || valueRole.get(n) !== role || (row[j] ?? '') !== '') continue;
        row[j] = label;
        row[i] = '';
        findings.push(makeFinding('header-shifted', cellAddress(headerRows[labels.indexOf(row)] ?? b.top, c), { header: label, from: `column ${columnLetters(c)}`, to: `column ${columnLetters(n)}` }));
        break;
      }
    }
  }

  // Fill merged header cells: a blank under a group label or a period takes the label to its left.
  for (const row of labels) {
    for (let i = 1; i < row.length; i++) {
      if ((row[i] ?? '') !== '') continue;
      const c = cols[i] as number;
      if (valueRole.get(c) !== undefined) continue;
      const left = row[i - 1] ?? '';
      const hasData = dataRows.some((r) => !isEmpty(sheet, r, c));
      if (left !== '' && hasData && (GROUP_WORDS.test(left) || (parsePeriod(left) !== undefined && row !== labels[labels.length - 1]))) row[i] = left;
    }
  }

  const headers = cols.map((_, i) => labels.map((row) => row[i] ?? '').filter((s) => s !== '').join(' '));
  const hasBudget = headers.some((h) => /\bbudget\b/i.test(h) && !/over|under|variance/i.test(h));
  const targetHeader = headers.find((h) => /\btargets?\b/i.test(h));
  const yearsInHeaders = headers.map((h) => financialYearOf(h)).filter((y): y is number => y !== undefined);
  const reportingYear = (targetHeader !== undefined ? financialYearOf(targetHeader) : undefined)
    ?? (yearsInHeaders.length > 0 ? Math.max(...yearsInHeaders) : undefined);

  const columns: TableColumn[] = cols.map((c, i) => {
    const header = headers[i] ?? '';
    const byValues = valueRole.get(c);
    let role: ColumnRole = byValues ?? headerRole(header, hasBudget) ?? 'other';
    let period: Period | undefined;
    if (role === 'other' || role === 'forecast') {
      const words = header.split(' ').filter((w) => !GROUP_WORDS.test(w)).join(' ');
      const headerCell = cellAt(sheet, headerRows[headerRows.length - 1] ?? b.top, c);
      period = parsePeriod(words, reportingYear) ?? parsePeriod(headerCell?.text ?? '', reportingYear);
      if (period !== undefined && role === 'other') role = 'period';
    }
    const convention = role === 'variance' || role === 'prior-variance' || role === 'movement' ? signConventionOf(header) : undefined;
    return { col: c, letter: columnLetters(c), header, role, ...(period ? { period } : {}), ...(convention ? { signConvention: convention } : {}) };
  });

  // Figure roles read from a header ("Budget Holder", "Variance commentary") need figures beneath them.
  const FIGURE_ROLES: ReadonlySet<ColumnRole> = new Set(['budget', 'forecast', 'variance', 'prior-variance', 'movement', 'risk-before', 'risk-after']);
  for (let i = 0; i < columns.length; i++) {
    const k = columns[i] as TableColumn;
    if (!FIGURE_ROLES.has(k.role)) continue;
    const filled = dataRows.filter((r) => !isEmpty(sheet, r, k.col));
    const figures = filled.filter((r) => isNumericData(sheet, r, k.col)).length;
    if (filled.length > 0 && figures / filled.length < 0.5) columns[i] = { ...k, role: 'other' };
  }
  // With several variance columns all named by a month, the first is the current one.
  if (!columns.some((k) => k.role === 'variance')) {
    const firstPrior = columns.findIndex((k) => k.role === 'prior-variance');
    if (firstPrior >= 0 && columns.filter((k) => k.role === 'prior-variance').length > 1) columns[firstPrior] = { ...(columns[firstPrior] as TableColumn), role: 'variance' };
  }

  // The measure column: the first column, unless it holds short codes beside a column of descriptions.
  const first = columns[0];
  if (first !== undefined && !columns.some((k) => k.role === 'measure')) {
    const codes = valuesOf(first.col).filter((v) => v !== '');
    const looksLikeCodes = codes.length > 0 && codes.every((v) => v.length <= 12 && !/\s/.test(v));
    const second = columns[1];
    if (looksLikeCodes && second !== undefined && second.role === 'other') {
      columns[0] = { ...first, role: first.role === 'other' ? 'reference' : first.role };
      columns[1] = { ...second, role: 'measure' };
    } else if (first.role === 'other' || first.role === 'reference') {
      columns[0] = { ...first, role: 'measure' };
    }
  }
  for (let i = 0; i < columns.length; i++) {
    const k = columns[i] as TableColumn;
    if (k.role !== 'other') continue;
    const vals = valuesOf(k.col).filter((v) => v !== '');
    if (vals.length > 0 && vals.filter((v) => v.length > 40).length / vals.length >= 0.5) columns[i] = { ...k, role: 'narrative' };
  }

  const has = (role: ColumnRole): boolean => columns.some((k) => k.role === role);
  const periodCols = columns.filter((k) => k.role === 'period');
  const periodCells = periodCols.flatMap((k) => dataRows.map((r) => [r, k.col] as const)).filter(([r, c]) => !isEmpty(sheet, r, c));
  const numericShare = periodCells.length === 0 ? 0 : periodCells.filter(([r, c]) => isNumericData(sheet, r, c)).length / periodCells.length;
  const headerText = headers.join(' ').toLowerCase();
  const base = { sheet: sheet.name, title, top: headerRows[0] ?? b.top, left: b.left, bottom: b.bottom, right: b.right, range, headerRows, dataRows, columns, findings, ...(reportingYear !== undefined ? { reportingYear } : {}) };

  if (/\brisk\b/.test(headerText) && (has('risk-before') || has('risk-after'))) return { ...base, kind: 'risk', confidence: has('risk-before') && has('risk-after') ? 0.9 : 0.7 };
  if (has('budget') && (has('forecast') || has('variance'))) return { ...base, kind: 'budget', confidence: has('forecast') && has('variance') ? 0.95 : 0.8 };
  if (periodCols.length > 0 && numericShare < 0.3) {
    return { sheet: sheet.name, range, title, reason: `Not a scorecard: the period columns (${periodCols[0]?.header} to ${periodCols[periodCols.length - 1]?.header}) hold text, not figures — it reads as a plan or timetable` };
  }
  if (!has('target') && periodCols.length >= 3 && periodCols.every((k) => k.period?.kind === 'month' || k.period?.kind === 'quarter')) {
    return { ...base, kind: 'timeseries', confidence: periodCols.every((k) => k.period?.kind === 'month') ? 0.9 : 0.75 };
  }
  if (has('target') || (periodCols.length > 0 && numericShare >= 0.3)) {
    return { ...base, kind: 'kpi', confidence: has('target') && periodCols.length > 0 ? 0.9 : 0.6 };
  }
  return { sheet: sheet.name, range, title, reason: 'Not a scorecard: no target, period or budget columns with figures' };
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
    interface Open { table: { block: Block; title: string | null; headerRows: number[]; dataRows: number[] }; }
    const open: Open[] = [];
    const assembled: Open[] = [];

    for (const b of blocks) {
      // Leading rows with a single short cell are titles.
      let titleRows = 0;
      while (b.top + titleRows <= b.bottom && filledCount(sheet, b.top + titleRows, b.left, b.right) === 1 && isEmpty(sheet, b.top + titleRows, b.left + 1)) titleRows++;
      const ownTitle = titleRows > 0 ? textAt(sheet, b.top + titleRows - 1, b.left) : null;
      if (titleRows > b.bottom - b.top) {
        // Only single-cell lines: a title for what follows, or a note.
        const text = textAt(sheet, b.bottom, b.left);
        pendingTitle = text.length <= 80 ? { text, row: b.bottom, left: b.left } : null;
        continue;
      }
      const first = b.top + titleRows;

      // A block with no title and no header of its own, just below a table, continues it.
      const prev = open.find((o) => o.table.block.left === b.left && b.right <= o.table.block.right && b.top - o.table.block.bottom <= 3);
      // A section heading ("Children's Services") may lead it, when figures follow straight away.
      const continues = prev !== undefined && !isHeaderLike(sheet, first, b) && !isEmpty(sheet, first, b.left)
        && (titleRows === 0 || isDataLike(sheet, first, b));
      if (continues && prev !== undefined) {
        for (let r = b.top; r <= b.bottom; r++) if (filledCount(sheet, r, b.left, b.right) > 1) prev.table.dataRows.push(r);
        prev.table.block = { ...prev.table.block, bottom: b.bottom, right: Math.max(prev.table.block.right, b.right) };
        continue;
      }

      const headerRows: number[] = [];
      if (!isDataLike(sheet, first, b)) {
        headerRows.push(first);
        for (let r = first + 1; r <= b.bottom && headerRows.length < 3; r++) {
          if (!isEmpty(sheet, r, b.left) || isDataLike(sheet, r, b)) break;
          headerRows.push(r);
        }
      }
      const title = ownTitle ?? (pendingTitle !== null && pendingTitle.left === b.left && first - pendingTitle.row <= 5 ? pendingTitle.text : null);
      pendingTitle = null;
      if (headerRows.length === 0) {
        skipped.push({ sheet: sheet.name, range: rangeAddress(first, b.left, b.bottom, b.right), title, reason: 'No header row: the columns cannot be told apart' });
        continue;
      }
      const dataRows: number[] = [];
      for (let r = (headerRows[headerRows.length - 1] as number) + 1; r <= b.bottom; r++) {
        // A row with only its first cell filled is a section heading inside the table.
        if (filledCount(sheet, r, b.left, b.right) > 1) dataRows.push(r);
      }
      const entry: Open = { table: { block: { ...b, top: first }, title, headerRows, dataRows } };
      const at = open.findIndex((o) => o.table.block.left === b.left);
      if (at >= 0) open.splice(at, 1);
      open.push(entry);
      assembled.push(entry);
    }

    for (const { table } of assembled) {
      if (table.dataRows.length === 0) {
        skipped.push({ sheet: sheet.name, range: rangeAddress(table.block.top, table.block.left, table.block.bottom, table.block.right), title: table.title, reason: 'A header with no rows beneath it' });
        continue;
      }
      const described = describeTable(sheet, table.block, table.title, table.headerRows, table.dataRows);
      if ('kind' in described) tables.push(described);
      else skipped.push(described);
    }
  }
  return { tables, skipped };
}
