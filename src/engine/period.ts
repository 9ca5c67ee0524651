/**
 * Periods read from column headers, ordered by what they mean (not by column position).
 * Months are counted from year 0: month index = year * 12 + (month - 1). Financial years run April–March.
 */
import { CALENDAR_YEAR, FINANCIAL_YEAR, FISCAL_MONTH, FY_ENDING, HALF, MONTH_ONLY, MONTH_PERIOD, MONTH_SPAN, QUARTER, SHORT_FINANCIAL_YEAR, YEAR_END, YEAR_TO_DATE } from './patterns';
import { RELATIVE_PERIOD_WORDS, RelativePeriodWord, singleSpaced } from './vocabulary';

/** What kind of span a period is. */
export type PeriodKind = 'month' | 'quarter' | 'half' | 'year' | 'year-end' | 'year-to-date';

/** A period with its span in absolute months (inclusive). */
export interface Period {
  readonly label: string;
  readonly kind: PeriodKind;
  readonly start: number;
  readonly end: number;
  /** Orders periods that end together: the year-end outturn after the year to date. */
  readonly rank: number;
  /**
   * True when the label gives no year ("Quarter 1", "April", "Year end" with none known): the span was placed in
   * a year chosen for ordering only, and the table may move it (see detect's period placement).
   */
  readonly yearless?: boolean;
  /** A period named relative to the one reported ("Last quarter", "Same period last year"). */
  readonly relative?: { readonly kind: RelativePeriodWord['kind']; readonly offset: number };
}

/** The year a table without any year is placed in, for ordering only; never shown. */
export const ORDERING_YEAR = 3000;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FY_START_MONTH = 3; // April, 0-based

function fullYear(twoOrFour: string, century: number): number {
  return twoOrFour.length === 4 ? Number(twoOrFour) : century + Number(twoOrFour);
}

/** Reads a financial year "2016/17", "22/23" or "FY21" into the calendar year it starts in, or undefined. */
export function financialYearOf(text: string): number | undefined {
  const m = FINANCIAL_YEAR.exec(text)?.groups;
  if (m?.y1 !== undefined && m.y2 !== undefined) {
    const y1 = Number(m.y1);
    const y2 = fullYear(m.y2, Math.floor(y1 / 100) * 100);
    if (y2 === y1 + 1) return y1;
  }
  const short = SHORT_FINANCIAL_YEAR.exec(text)?.groups;
  if (short?.a !== undefined && short.b !== undefined && (Number(short.a) + 1) % 100 === Number(short.b)) return 2000 + Number(short.a);
  const fy = FY_ENDING.exec(text)?.groups?.y;
  if (fy !== undefined) return fullYear(fy, 2000) - 1;
  return undefined;
}

/** Returns a stable key for a financial-year label: "2013/14", "2013-14" and "2013/2014" share one. */
export function financialYearKey(text: string): string | undefined {
  const y = financialYearOf(text);
  return y === undefined ? undefined : `FY${y}`;
}

/**
 * Parses a header label into a period. `reportingYear` (the calendar year a financial year starts in)
 * places a bare "Q3" or "End-of-year". Returns undefined when the label names no period.
 */
export function parsePeriod(label: string, reportingYear?: number): Period | undefined {
  const text = singleSpaced(label).trim();
  if (text === '') return undefined;

  for (const w of RELATIVE_PERIOD_WORDS) {
    if (!w.pattern.test(text) || w.kind === 'year-end' || w.kind === 'year-to-date') continue;
    if (financialYearOf(text) !== undefined) break;
    return relativePeriod(text, w, reportingYear);
  }

  const onlyMonth = MONTH_ONLY.exec(text)?.groups?.mon;
  if (onlyMonth !== undefined) {
    const m = MONTHS.indexOf(onlyMonth.slice(0, 3).toLowerCase());
    const fy = reportingYear ?? ORDERING_YEAR;
    const idx = (m < FY_START_MONTH ? fy + 1 : fy) * 12 + m;
    return { label: text, kind: 'month', start: idx, end: idx, rank: 0, ...(reportingYear === undefined ? { yearless: true } : {}) };
  }
  const span = MONTH_SPAN.exec(text)?.groups;
  if (span?.m1 !== undefined && span.m2 !== undefined) {
    const m1 = MONTHS.indexOf(span.m1.slice(0, 3).toLowerCase());
    const m2 = MONTHS.indexOf(span.m2.slice(0, 3).toLowerCase());
    const y = span.yr !== undefined ? Number(span.yr) : undefined;
    const fy = reportingYear ?? ORDERING_YEAR;
    const start = y !== undefined ? y * 12 + m1 : (m1 < FY_START_MONTH ? fy + 1 : fy) * 12 + m1;
    const end = start + ((m2 - m1 + 12) % 12);
    return { label: text, kind: end - start === 2 ? 'quarter' : 'month', start, end, rank: 0, ...(y === undefined && reportingYear === undefined ? { yearless: true } : {}) };
  }
  const fiscalMonth = FISCAL_MONTH.exec(text)?.groups?.n;
  if (fiscalMonth !== undefined && Number(fiscalMonth) >= 1 && Number(fiscalMonth) <= 12) {
    const idx = (reportingYear ?? ORDERING_YEAR) * 12 + FY_START_MONTH + Number(fiscalMonth) - 1;
    return { label: text, kind: 'month', start: idx, end: idx, rank: 0, ...(reportingYear === undefined ? { yearless: true } : {}) };
  }

  const month = MONTH_PERIOD.exec(text)?.groups;
  if (month?.mon !== undefined && month.yr !== undefined) {
    const m = MONTHS.indexOf(month.mon.slice(0, 3).toLowerCase());
    const y = fullYear(month.yr, 2000);
    const idx = y * 12 + m;
    return { label: text, kind: 'month', start: idx, end: idx, rank: 0 };
  }

  const hasOwnYear = financialYearOf(text) !== undefined;
  const fy = financialYearOf(text) ?? reportingYear;
  const yearless = fy === undefined ? { yearless: true } : {};
  const fyStart = (fy ?? ORDERING_YEAR) * 12 + FY_START_MONTH;
  const quarter = QUARTER.exec(text)?.groups?.q;
  if (quarter !== undefined) {
    const start = fyStart + (Number(quarter) - 1) * 3;
    // A bare "Q1" belongs to the reporting year: say so in the label.
    const label = !hasOwnYear && fy !== undefined ? `${text} ${fy}/${String((fy + 1) % 100).padStart(2, '0')}` : text;
    return { label, kind: 'quarter', start, end: start + 2, rank: 0, ...yearless };
  }
  const half = HALF.exec(text)?.groups?.h;
  if (half !== undefined) {
    const start = fyStart + (Number(half) - 1) * 6;
    return { label: text, kind: 'half', start, end: start + 5, rank: 0, ...yearless };
  }
  if (YEAR_END.test(text)) return { label: text, kind: 'year-end', start: fyStart, end: fyStart + 11, rank: 2, ...yearless };
  // Year to date runs to the reporting point, which a bare "YTD" does not give: the year's span orders it.
  if (YEAR_TO_DATE.test(text)) return { label: text, kind: 'year-to-date', start: fyStart, end: fyStart + 11, rank: 1, ...yearless };
  if (hasOwnYear && fyStart !== undefined) return { label: text, kind: 'year', start: fyStart, end: fyStart + 11, rank: 0 };
  if (CALENDAR_YEAR.test(text)) {
    const y = Number(text);
    return { label: text, kind: 'year', start: y * 12, end: y * 12 + 11, rank: 0 };
  }
  return undefined;
}

/** A period named relative to the reported one; placed around the reporting year, or the ordering year. */
function relativePeriod(text: string, w: RelativePeriodWord, reportingYear: number | undefined): Period {
  const base = (reportingYear ?? ORDERING_YEAR) * 12 + FY_START_MONTH + 11;
  const span = w.kind === 'month' ? 1 : w.kind === 'quarter' ? 3 : w.kind === 'year' ? 12 : 3;
  const end = base + w.offset;
  return { label: text, kind: w.kind === 'month' ? 'month' : w.kind === 'year' ? 'year' : 'quarter', start: end - span + 1, end, rank: 0, yearless: true, relative: { kind: w.kind, offset: w.offset } };
}

/** Orders periods by meaning: by end, then by start (a shorter span ending then comes first), then by rank. */
export function comparePeriods(a: Period, b: Period): number {
  return a.end - b.end || b.start - a.start || a.rank - b.rank;
}

/** Length in months. */
export function periodLength(p: Period): number {
  return p.end - p.start + 1;
}

/** Returns true for periods covering a whole year. */
export function isWholeYear(p: Period): boolean {
  return periodLength(p) === 12;
}
