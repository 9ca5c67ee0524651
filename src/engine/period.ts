/**
 * Periods read from column headers, ordered by what they mean (not by column position).
 * Months are counted from year 0: month index = year * 12 + (month - 1). Financial years run April–March.
 */
import { CALENDAR_YEAR, FINANCIAL_YEAR, HALF, MONTH_PERIOD, QUARTER, YEAR_END, YEAR_TO_DATE } from './patterns';

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
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FY_START_MONTH = 3; // April, 0-based

function fullYear(twoOrFour: string, century: number): number {
  return twoOrFour.length === 4 ? Number(twoOrFour) : century + Number(twoOrFour);
}

/** Reads a financial year "2016/17" into the calendar year it starts in, or undefined. */
export function financialYearOf(text: string): number | undefined {
  const m = FINANCIAL_YEAR.exec(text)?.groups;
  if (m?.y1 === undefined || m.y2 === undefined) return undefined;
  const y1 = Number(m.y1);
  const y2 = fullYear(m.y2, Math.floor(y1 / 100) * 100);
  return y2 === y1 + 1 ? y1 : undefined;
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
  const text = label.replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;

  const month = MONTH_PERIOD.exec(text)?.groups;
  if (month?.mon !== undefined && month.yr !== undefined) {
    const m = MONTHS.indexOf(month.mon.slice(0, 3).toLowerCase());
    const y = fullYear(month.yr, 2000);
    const idx = y * 12 + m;
    return { label: text, kind: 'month', start: idx, end: idx, rank: 0 };
  }

  const fy = financialYearOf(text) ?? reportingYear;
  const hasOwnYear = financialYearOf(text) !== undefined;
  const fyStart = fy === undefined ? undefined : fy * 12 + FY_START_MONTH;
  const quarter = QUARTER.exec(text)?.groups?.q;
  if (quarter !== undefined) {
    const base = fyStart ?? 0;
    const start = base + (Number(quarter) - 1) * 3;
    // A bare "Q1" belongs to the reporting year: say so in the label.
    const label = !hasOwnYear && fy !== undefined ? `${text} ${fy}/${String((fy + 1) % 100).padStart(2, '0')}` : text;
    return { label, kind: 'quarter', start, end: start + 2, rank: 0 };
  }
  const half = HALF.exec(text)?.groups?.h;
  if (half !== undefined && fyStart !== undefined) {
    const start = fyStart + (Number(half) - 1) * 6;
    return { label: text, kind: 'half', start, end: start + 5, rank: 0 };
  }
  if (fyStart !== undefined && YEAR_END.test(text)) return { label: text, kind: 'year-end', start: fyStart, end: fyStart + 11, rank: 2 };
  if (fyStart !== undefined && YEAR_TO_DATE.test(text)) return { label: text, kind: 'year-to-date', start: fyStart, end: fyStart + 11, rank: 1 };
  if (hasOwnYear && fyStart !== undefined) return { label: text, kind: 'year', start: fyStart, end: fyStart + 11, rank: 0 };
  if (CALENDAR_YEAR.test(text)) {
    const y = Number(text);
    return { label: text, kind: 'year', start: y * 12, end: y * 12 + 11, rank: 0 };
  }
  return undefined;
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
