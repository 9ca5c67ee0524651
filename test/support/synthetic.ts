/**
 * Deterministic synthetic scorecard workbooks for tests and benchmarks: KPI tables, monthly series, budget
 * tables and risk registers, stacked on each sheet under titles, in the messy forms the seeds and the
 * published corpus print ("88.0%", "4.5% **", "29.87% (1574/5269) *Jan-Oct", "(284)", "£240k", "13 ¹", "N/A",
 * ">85%", "16 - 18", "20% reduction", "Primary 88%"…). The same options always give the same workbook.
 */
import * as ExcelJS from 'exceljs';
import { displayText } from '../../src/engine/display';
import { CellSnapshot, WorkbookSnapshot } from '../../src/engine/snapshot';
import { columnLetters, EmulatedCell, EmulatedWorkbookInit } from './excel-emulator';

/** The kinds of table the generator writes. */
export type SyntheticKind = 'kpi' | 'series' | 'budget' | 'risk';

/** A generated cell: text as pasted from a report, or a number typed with the format that shows it. */
export interface SyntheticCell {
  readonly value: string | number;
  readonly numFmt?: string;
}

/** Where a generated table sits, and how many judged rows it has. */
export interface SyntheticTable {
  readonly kind: SyntheticKind;
  readonly title: string;
  /** 0-based row of the header. */
  readonly headerRow: number;
  readonly dataRows: number;
  readonly columns: number;
}

/** One generated sheet: rows of cells (null = empty) and the tables laid out on it. */
export interface SyntheticSheet {
  readonly name: string;
  readonly rows: ReadonlyArray<ReadonlyArray<SyntheticCell | null>>;
  readonly tables: readonly SyntheticTable[];
}

/** A generated workbook. */
export interface SyntheticWorkbook {
  readonly sheets: readonly SyntheticSheet[];
}

/** What to generate; only `rows` is required. */
export interface SyntheticOptions {
  /** Data rows in the whole workbook, shared out between the sheets. */
  readonly rows: number;
  /** Number of sheets (default 1). */
  readonly sheets?: number;
  /** Seed of the generator (default 1). */
  readonly seed?: number;
  /** Kinds of table, in the order they are stacked on a sheet (default all four). */
  readonly kinds?: readonly SyntheticKind[];
  /** Months in a series table (default 12; five years is 60). */
  readonly months?: number;
}

/** Share of a sheet's rows each kind takes when a sheet holds several tables. */
const KIND_WEIGHT: Readonly<Record<SyntheticKind, number>> = { kpi: 6, series: 1, budget: 2, risk: 1 };
/**
 * The most lines one table of a kind holds; more rows of that kind make more tables, as a finance team keeps a
 * table per service area and a register per directorate. KPI tables take any number of rows.
 */
const MAX_TABLE_ROWS: Readonly<Record<SyntheticKind, number>> = { kpi: Number.POSITIVE_INFINITY, series: 24, budget: 40, risk: 30 };
/** Below this many rows a sheet holds one table, of the kind next in turn. */
const ONE_TABLE_BELOW = 24;
const ALL_KINDS: readonly SyntheticKind[] = ['kpi', 'series', 'budget', 'risk'];

/** mulberry32: a small, fast, seedable generator; deterministic for a seed. */
function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

const text = (value: string): SyntheticCell => ({ value });
const typed = (value: number, numFmt?: string): SyntheticCell => (numFmt === undefined ? { value } : { value, numFmt });

/** Measures of rates (percentages), with the way better lies. */
const RATE_MEASURES: ReadonlyArray<readonly [string, 'higher' | 'lower']> = [
  ['% of young people not in employment, education or training', 'lower'],
  ['Increase the proportion of pupils attending a school that is good or outstanding', 'higher'],
  ['Improve education outcomes at age 5', 'higher'],
  ['Percentage of calls answered within 20 seconds', 'higher'],
  ['Rent arrears as a % of the rent roll', 'lower'],
  ['% of household waste recycled', 'higher'],
  ['Re-referrals to children\'s social care within 12 months', 'lower'],
  ['Percentage of invoices paid within 30 days', 'higher'],
];

/** Measures of counts, with the way better lies. */
const COUNT_MEASURES: ReadonlyArray<readonly [string, 'higher' | 'lower']> = [
  ['Decrease the number of children requiring accommodation help', 'lower'],
  ['Number of complaints received', 'lower'],
  ['Number of families turned around', 'higher'],
  ['Average number of cases per social worker', 'lower'],
  ['Days lost to sickness per FTE', 'lower'],
  ['Number of affordable homes delivered', 'higher'],
  ['Missed bin collections per 100,000', 'lower'],
];

/** Measures of money, where more is better. */
const MONEY_MEASURES = ['Amount of Reward Grant Received', 'Income from services to other local authorities', 'External funding secured'];

const SERVICES = [
  'Additional Needs', "Children's Commissioning", 'Commissioning Management', 'Development and Sufficiency', 'Education Improvement',
  'Safeguarding and Review', 'Early Help and Family Support', 'Fieldwork', 'Looked After Children', 'Highways Maintenance',
  'Waste Collection', 'Libraries', 'Adult Social Care', 'Housing Options', 'Planning and Building Control',
];

const SERIES_MEASURES = ['FTE', 'Headcount', 'Permanent Costs (£k)', 'Absence - days lost per FTE', 'Turnover (annualised)', 'Agency staff'];

const RISKS = [
  'Short Breaks Recommissioning IF/AS: recommissioning is delayed THEN: reputational damage may be caused',
  'Early Help IF/AS: the strategy is not implemented quickly THEN: the child protection system comes under pressure',
  'Cyber Attack IF/AS: systems are compromised THEN: services cannot be delivered',
  'Workforce IF/AS: social workers cannot be recruited THEN: caseloads rise',
  'Climate IF/AS: severe weather increases THEN: roads and schools close',
];

const FOOTNOTES = ['', '', '', ' ¹', ' **', '***', ' *'];
const FREQUENCIES = ['Monthly', 'Quarterly', 'Annual'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function percentText(fraction: number, decimals: number): string {
  return `${(fraction * 100).toFixed(decimals)}%`;
}

function thousands(n: number): string {
  return Math.round(Math.abs(n)).toLocaleString('en-GB');
}

/** A money figure as budget tables print it: brackets for negatives, thousands separators. */
function bracketed(n: number): string {
  return n < 0 ? `(${thousands(n)})` : thousands(n);
}

/** A KPI row: target, two outturns, frequency, polarity and arrow, in one of the printed forms. */
function kpiRow(random: Random, index: number, asText: boolean): Array<SyntheticCell | null> {
  const isRate = random() < 0.6;
  const [measure, better] = isRate ? pick(random, RATE_MEASURES) : pick(random, COUNT_MEASURES);
  const label = `${measure} (area ${index + 1})`;
  const code = text(`CS${String(index + 1).padStart(4, '0')}`);
  const polarity = random() < 0.85 ? (better === 'higher' ? 'Greater is better' : pick(random, ['Lower is better', 'Smaller is better'])) : '';
  const frequency = text(pick(random, FREQUENCIES));
  const arrow = random() < 0.7 ? text(random() < 0.5 ? '▲' : '▼') : null;
  const roll = random();
  if (isRate) {
    const target = 0.2 + Math.round(random() * 70) / 100;
    const last = Math.min(0.99, Math.max(0.01, target + (random() - 0.5) * 0.2));
    const now = Math.min(0.99, Math.max(0.01, last + (random() - 0.5) * 0.1));
    const comparator = better === 'higher' ? '>' : '<';
    const targetCell = roll < 0.35 ? text(percentText(target, 1))
      : roll < 0.55 ? text(`${comparator}${percentText(target, 0)}`)
        : roll < 0.65 ? text(`Primary ${percentText(target, 0)}`)
          : roll < 0.72 ? text(`${percentText(target, 0)} (over next 3 years)`)
            : roll < 0.8 ? text(`${percentText(target, 2)} (${Math.round(target * 5643)}/5643)`)
              : roll < 0.86 ? text('TBC')
                : asText ? text(percentText(target, 1)) : typed(target, '0.0%');
    const value = (v: number): SyntheticCell => {
      const form = random();
      if (!asText && form < 0.6) return typed(v, '0.0%');
      if (form < 0.08) return text(pick(random, ['N/A', 'ANNUAL', 'new indicator', 'DIV/0']));
      if (form < 0.16) return text(`${percentText(v, 2)} (${Math.round(v * 5269)}/5269) *Jan-Oct`);
      return text(`${percentText(v, 1)}${pick(random, FOOTNOTES)}`);
    };
    return [code, text(label), targetCell, value(last), value(now), frequency, polarity ? text(polarity) : null, arrow];
  }
  const money = roll >= 0.72 && roll < 0.85;
  const moneyLabel = `${pick(random, MONEY_MEASURES)} (area ${index + 1})`;
  const target = 10 + Math.round(random() * 990);
  const last = Math.max(0, Math.round(target * (0.8 + random() * 0.4)));
  const now = Math.max(0, Math.round(last * (0.9 + random() * 0.2)));
  const targetCell = roll < 0.4 ? text(String(target))
    : roll < 0.55 ? text(`${Math.round(target * 0.9)} - ${Math.round(target * 1.1)}`)
      : roll < 0.65 ? text('20% reduction')
        : roll < 0.72 ? text(`${better === 'higher' ? '>' : '<'}2015/16`)
          : roll < 0.8 ? text(`£${thousands(target * 1000)}`)
            : roll < 0.85 ? text(`£${Math.round(target / 4)}k`)
              : asText ? text(thousands(target)) : typed(target, '#,##0');
  const value = (v: number): SyntheticCell => {
    const form = random();
    if (form < 0.06) return text(pick(random, ['N/A', 'New measure', '<5']));
    if (money) return text(`£${thousands(v * 1000)}`);
    if (!asText && form < 0.6) return typed(v, v >= 1000 ? '#,##0' : undefined);
    return text(`${thousands(v)}${pick(random, FOOTNOTES)}`);
  };
  const shownPolarity = money ? 'Greater is better' : polarity;
  return [code, text(money ? moneyLabel : label), targetCell, value(last), value(now), frequency, shownPolarity ? text(shownPolarity) : null, arrow];
}

const KPI_HEADER = ['Ref', 'Performance Measure', 'Target 2016/17', '2015/16', '2016/17 Q3', 'Frequency', 'Polarity', 'Direction of Travel'];

/** A month label n months after Dec-15, as a typed first-of-month date or as text ("Dec-15"). */
function monthCell(n: number, asText: boolean): SyntheticCell {
  const month = (11 + n) % 12;
  const year = 2015 + Math.floor((11 + n) / 12);
  if (asText) return text(`${MONTHS[month]}-${String(year % 100).padStart(2, '0')}`);
  return typed(Date.UTC(year, month, 1) / 86_400_000 + 25_569, 'mmm-yy');
}

function seriesRow(random: Random, index: number, months: number, asText: boolean): Array<SyntheticCell | null> {
  const measure = SERIES_MEASURES[index % SERIES_MEASURES.length] as string;
  const label = `${measure} - team ${Math.floor(index / SERIES_MEASURES.length) + 1}`;
  const cells: Array<SyntheticCell | null> = [text(label)];
  let v = measure.startsWith('Turnover') ? 0.14 + random() * 0.05 : measure.startsWith('Absence') ? 6.5 + random() : 300 + Math.round(random() * 800);
  for (let m = 0; m < months; m++) {
    v = measure.startsWith('Turnover') ? Math.max(0.01, v + (random() - 0.5) * 0.02)
      : measure.startsWith('Absence') ? Math.max(0.5, v + (random() - 0.5) * 0.4) : Math.max(1, Math.round(v * (0.97 + random() * 0.06)));
    if (random() < 0.02) {
      cells.push(null);
    } else if (measure.startsWith('Turnover')) {
      cells.push(asText ? text(percentText(v, 0)) : typed(Math.round(v * 100) / 100, '0%'));
    } else if (measure.startsWith('Absence')) {
      cells.push(asText ? text(v.toFixed(2)) : typed(Math.round(v * 100) / 100, '0.00'));
    } else {
      cells.push(asText ? text(thousands(v)) : typed(v, v >= 1000 ? '#,##0' : undefined));
    }
  }
  return cells;
}

const BUDGET_HEADER = [
  'Service', "Net Budget £000's", "Forecast Outturn £000's", "Projected Over/ (Under)spend £000's",
  "January Projected Over/ (Under) spend £000's", "Movement in Variance Adv / (Fav) £000's",
];

function budgetRow(random: Random, index: number, asText: boolean): Array<SyntheticCell | null> {
  const income = random() < 0.08;
  const budget = (income ? -1 : 1) * (100 + Math.round(random() * 16_000));
  const forecast = Math.round(budget * (0.9 + random() * 0.2));
  const variance = forecast - budget;
  const earlier = Math.round(variance * (0.5 + random()));
  const money = (n: number): SyntheticCell => (asText ? text(bracketed(n)) : typed(n, '#,##0;(#,##0)'));
  return [
    text(`${SERVICES[index % SERVICES.length] as string} ${Math.floor(index / SERVICES.length) + 1}`),
    money(budget), money(forecast), money(variance), money(earlier), money(variance - earlier),
  ];
}

const RISK_HEADER = ['Risk Reference Number', 'Risk Description', 'Risk Rating (before controls)', 'Existing Controls in Place', 'Risk Rating (after controls)'];

function riskRow(random: Random, index: number): Array<SyntheticCell | null> {
  const before = 4 + Math.floor(random() * 22);
  const after = Math.max(1, before - Math.floor(random() * 10));
  return [
    text(random() < 0.1 ? 'NEW' : `CR.${String(index + 1).padStart(3, '0')}`), text(pick(random, RISKS)),
    typed(before), text('Monitored monthly by the directorate leadership team'), typed(after),
  ];
}

/** Appends a titled table of `count` rows of `kind` to `rows`, with a blank line before the title. */
function appendTable(rows: Array<Array<SyntheticCell | null>>, tables: SyntheticTable[], random: Random, kind: SyntheticKind, count: number, ordinal: number, months: number): void {
  if (rows.length > 0) rows.push([]);
  // Alternate pasted text and typed cells from table to table, as workbooks arrive both ways.
  const asText = ordinal % 2 === 0;
  const titles: Readonly<Record<SyntheticKind, string>> = { kpi: 'Indicators', series: 'Staffing', budget: 'Outturn Detail', risk: 'Risk Management' };
  const title = `${titles[kind]} ${ordinal + 1}`;
  rows.push([text(title)]);
  const headerRow = rows.length;
  let header: Array<SyntheticCell | null>;
  switch (kind) {
    case 'kpi': header = KPI_HEADER.map(text); break;
    case 'series': header = [null, ...Array.from({ length: months }, (_, m) => monthCell(m, asText))]; break;
    case 'budget': header = BUDGET_HEADER.map(text); break;
    case 'risk': header = RISK_HEADER.map(text); break;
  }
  rows.push(header);
  for (let i = 0; i < count; i++) {
    switch (kind) {
      case 'kpi': rows.push(kpiRow(random, i, asText)); break;
      case 'series': rows.push(seriesRow(random, i, months, asText)); break;
      case 'budget': rows.push(budgetRow(random, i, asText)); break;
      case 'risk': rows.push(riskRow(random, i)); break;
    }
  }
  tables.push({ kind, title, headerRow, dataRows: count, columns: header.length });
}

/** Shares `total` out by weight; every share at least 1 while `total` allows. */
function shares(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const out = weights.map((w) => Math.max(1, Math.floor((total * w) / sum)));
  let rest = total - out.reduce((a, b) => a + b, 0);
  for (let i = 0; rest > 0; i = (i + 1) % out.length, rest--) out[i] = (out[i] as number) + 1;
  return out;
}

/**
 * Generates a workbook: `rows` data rows over `sheets` sheets, tables of every kind asked for. A sheet of fewer
 * than 24 rows a kind holds one table; a larger one holds KPI, series, budget and risk rows in the ratio
 * 6 : 1 : 2 : 1, one KPI table and as many series, budget and risk tables as their size limits need.
 */
export function generateWorkbook(options: SyntheticOptions): SyntheticWorkbook {
  const sheetCount = Math.max(1, options.sheets ?? 1);
  const kinds = options.kinds ?? ALL_KINDS;
  const months = options.months ?? 12;
  const random = randomFrom(options.seed ?? 1);
  const perSheet = shares(options.rows, Array.from({ length: sheetCount }, () => 1)).map((n, i) => (i < options.rows ? n : 0));
  const sheets: SyntheticSheet[] = [];
  let ordinal = 0;
  perSheet.forEach((n, s) => {
    const rows: Array<Array<SyntheticCell | null>> = [];
    const tables: SyntheticTable[] = [];
    const appendRows = (kind: SyntheticKind, count: number): void => {
      for (let left = count; left > 0; left -= MAX_TABLE_ROWS[kind]) appendTable(rows, tables, random, kind, Math.min(left, MAX_TABLE_ROWS[kind]), ordinal++, months);
    };
    if (n > 0 && (n < ONE_TABLE_BELOW * kinds.length || kinds.length === 1)) {
      appendRows(kinds[s % kinds.length] as SyntheticKind, n);
    } else if (n > 0) {
      shares(n, kinds.map((k) => KIND_WEIGHT[k])).forEach((count, k) => appendRows(kinds[k] as SyntheticKind, count));
    }
    sheets.push({ name: `Team ${s + 1}`, rows, tables });
  });
  return { sheets };
}

/** Data rows of a generated workbook. */
export function dataRowsOf(book: SyntheticWorkbook): number {
  return book.sheets.reduce((n, s) => n + s.tables.reduce((m, t) => m + t.dataRows, 0), 0);
}

/** The workbook as ExcelJS holds it: text as text, typed numbers with their formats (month headers as dates). */
export function toExcelJs(book: SyntheticWorkbook): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  for (const sheet of book.sheets) {
    const ws = wb.addWorksheet(sheet.name);
    sheet.rows.forEach((cells, r) => {
      if (cells.length === 0) return;
      const row = ws.getRow(r + 1);
      cells.forEach((cell, c) => {
        if (cell === null) return;
        const target = row.getCell(c + 1);
        target.value = cell.numFmt === 'mmm-yy' && typeof cell.value === 'number' ? new Date((cell.value - 25_569) * 86_400_000) : cell.value;
        if (cell.numFmt !== undefined) target.numFmt = cell.numFmt;
      });
    });
    ws.getColumn(2).width = 48;
  }
  return wb;
}

/** The workbook as the Excel emulator's initial state. */
export function toEmulatorInit(book: SyntheticWorkbook): EmulatedWorkbookInit {
  return {
    sheets: book.sheets.map((sheet) => {
      const cells: Record<string, EmulatedCell> = {};
      sheet.rows.forEach((row, r) => row.forEach((cell, c) => {
        if (cell === null) return;
        cells[`${columnLetters(c)}${r + 1}`] = cell.numFmt === undefined ? { value: cell.value } : { value: cell.value, numberFormat: cell.numFmt };
      }));
      return { name: sheet.name, cells };
    }),
  };
}

/** The workbook as the engine's snapshot, each cell's text rendered through its number format. */
export function toSnapshot(book: SyntheticWorkbook): WorkbookSnapshot {
  return {
    sheets: book.sheets.map((sheet) => {
      const width = Math.max(0, ...sheet.rows.map((r) => r.length));
      return {
        name: sheet.name,
        rows: sheet.rows.map((row) => Array.from({ length: width }, (_, c): CellSnapshot | undefined => {
          const cell = row[c];
          if (cell === null || cell === undefined) return undefined;
          const numberFormat = cell.numFmt ?? 'General';
          return { value: cell.value, numberFormat, text: displayText(cell.value, numberFormat) };
        })),
      };
    }),
  };
}
