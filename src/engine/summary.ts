/**
 * The Scorecard summary sheet: one page a finance officer reads. Per table, counts of green, amber, red and no status
 * as COUNTIF formulas over the block's Status codes (so they update when the sheet re-judges itself), a bar of shapes
 * drawn in the cell, and an exceptions list: every red and amber row with its measure, latest value, target, variance,
 * reason and a link to its row. Plain data, applied by both adapters; Excel also draws a native chart of the counts.
 */
import { cellAddress, quoteSheetName } from './address';
import { EvaluatedRow, Evaluation } from './evaluate';
import { Status } from './judge';
import { STATUS_CODE, STATUS_VOCABULARY } from './rules/vocabulary';

/** The summary sheet's name. A refresh replaces the sheet of this name; remove deletes it. */
export const SUMMARY_SHEET = 'Scorecard summary';

/** Where a table's block put its columns, as the summary needs them. */
export interface SummaryBlock {
  readonly sheet: string;
  readonly tableRange: string;
  /** 0-based columns of the block's Status code (or, without one, Status text), Status, Latest, Variance and Target. */
  readonly columns: { readonly statusCode?: number; readonly status: number; readonly latest: number; readonly variance: number; readonly target: number };
}

/** One cell of the summary sheet. Text is literal; a formula carries the result it should show. */
export type SummaryValue =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'formula'; readonly formula: string; readonly cached: number | string };

/** A cell of the summary sheet, 0-based. */
export interface SummaryCell {
  readonly row: number;
  readonly col: number;
  readonly value: SummaryValue;
  readonly numberFormat?: string;
  readonly bold?: boolean;
  readonly wrap?: boolean;
  /** Colour of the text, RRGGBB, for the status words and bars. */
  readonly fontColor?: string;
}

/** A chart of the counts: one bar per table, stacked by status. Ranges are A1 on the summary sheet. */
export interface SummaryChart {
  readonly title: string;
  readonly categories: string;
  readonly series: ReadonlyArray<{ readonly name: string; readonly values: string; readonly colour: string }>;
  /** Where it goes: the top-left cell, and a size in columns and rows. */
  readonly anchor: string;
  readonly widthColumns: number;
  readonly heightRows: number;
}

/** The whole summary sheet. */
export interface SummaryPlan {
  readonly sheet: string;
  readonly cells: readonly SummaryCell[];
  readonly widths: ReadonlyArray<{ readonly col: number; readonly width: number }>;
  readonly chart: SummaryChart | null;
  /** The rows and columns that print on one page: the counts and the exceptions. */
  readonly printArea: string;
}

const COUNTED: ReadonlyArray<{ readonly status: Status; readonly label: string; readonly colour: string; readonly criterion: (code: boolean) => string }> = [
  { status: 'green', label: 'Green', colour: '1E7B34', criterion: (code) => (code ? String(STATUS_CODE.green) : `"${STATUS_VOCABULARY.green.shape}*"`) },
  { status: 'amber', label: 'Amber', colour: '9C5700', criterion: (code) => (code ? String(STATUS_CODE.amber) : `"${STATUS_VOCABULARY.amber.shape}*"`) },
  { status: 'red', label: 'Red', colour: '9C0006', criterion: (code) => (code ? String(STATUS_CODE.red) : `"${STATUS_VOCABULARY.red.shape}*"`) },
  { status: 'none', label: 'No status', colour: '595959', criterion: (code) => (code ? `">=${STATUS_CODE.noData}"` : `"${STATUS_VOCABULARY.noData.shape}*"`) },
];

/** The longest bar, in shapes: a table with more rows is drawn to scale within it. */
const BAR_WIDTH = 30;

function ref(sheet: string, row: number, col: number): string {
  return `${quoteSheetName(sheet)}!$${cellAddress(row, col).replace(/(\d+)$/, '$$$1')}`;
}

function columnRange(sheet: string, col: number, top: number, bottom: number): string {
  return `${ref(sheet, top, col)}:${cellAddress(bottom, col).replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2')}`;
}

/** Text a formula that shows a cell of another sheet, or "" when it is blank. */
function show(sheet: string, row: number, col: number): string {
  const r = ref(sheet, row, col);
  return `=IF(ISBLANK(${r}),"",${r})`;
}

/**
 * Plans the summary sheet of an evaluation whose tables got blocks. Tables without a block (no room beside them) are
 * listed with their counts as values, since there is no Status column to count.
 */
export function planSummary(evaluation: Evaluation, blocks: readonly SummaryBlock[], sheet: string = SUMMARY_SHEET): SummaryPlan {
  const cells: SummaryCell[] = [];
  const put = (row: number, col: number, value: SummaryValue, extra: Omit<SummaryCell, 'row' | 'col' | 'value'> = {}): void => {
    cells.push({ row, col, value, ...extra });
  };
  put(0, 0, { kind: 'text', text: 'Scorecard summary' }, { bold: true });
  put(1, 0, { kind: 'text', text: 'Counts and bars recalculate when a target or a value changes. The exceptions below were listed at the last refresh; their figures stay live.' }, { wrap: false });

  const head = 3;
  ['Table', 'Green', 'Amber', 'Red', 'No status', 'Bar'].forEach((h, c) => put(head, c, { kind: 'text', text: h }, { bold: true }));
  let r = head + 1;
  const firstCount = r;
  for (const et of evaluation.tables) {
    const t = et.table;
    const block = blocks.find((b) => b.sheet === t.sheet && b.tableRange === t.range);
    const top = t.dataRows[0] ?? t.top;
    const bottom = t.dataRows[t.dataRows.length - 1] ?? t.bottom;
    put(r, 0, { kind: 'text', text: `${t.sheet} › ${t.title ?? t.range}` });
    COUNTED.forEach((k, i) => {
      const n = et.rows.filter((row) => row.status === k.status).length;
      if (block === undefined) { put(r, 1 + i, { kind: 'number', value: n }); return; }
      const code = block.columns.statusCode !== undefined;
      const range = columnRange(t.sheet, code ? block.columns.statusCode as number : block.columns.status, top, bottom);
      put(r, 1 + i, { kind: 'formula', formula: `=COUNTIF(${range},${k.criterion(code)})`, cached: n }, { fontColor: k.colour });
    });
    const counts = COUNTED.map((k) => et.rows.filter((row) => row.status === k.status).length);
    const total = Math.max(1, counts.reduce((a, b) => a + b, 0));
    const scale = Math.min(1, BAR_WIDTH / total);
    const cols = ['B', 'C', 'D', 'E'].map((c) => `${c}${r + 1}`);
    const shapes = COUNTED.map((k) => STATUS_VOCABULARY[k.status === 'none' ? 'noData' : k.status].shape);
    const bar = shapes.map((s, i) => `REPT("${s}",ROUND(${cols[i]}*${scale},0))`).join('&');
    const cachedBar = shapes.map((s, i) => s.repeat(Math.round((counts[i] ?? 0) * scale + 1e-9))).join('');
    put(r, 5, { kind: 'formula', formula: `=${bar}`, cached: cachedBar });
    r++;
  }
  const lastCount = r - 1;

  r += 1;
  const exceptionsHead = r;
  put(r, 0, { kind: 'text', text: 'Exceptions: every red and amber row' }, { bold: true });
  r++;
  ['Status', 'Measure', 'Latest', 'Target (as read)', 'Variance', 'Reason', 'Go to'].forEach((h, c) => put(r, c, { kind: 'text', text: h }, { bold: true }));
  r++;
  const exceptions: Array<{ et: (typeof evaluation.tables)[number]; row: EvaluatedRow }> = [];
  for (const et of evaluation.tables) for (const row of et.rows) if (row.status === 'red' || row.status === 'amber') exceptions.push({ et, row });
  // Red first, then amber, each in the order of the workbook.
  exceptions.sort((a, b) => (a.row.status === b.row.status ? 0 : a.row.status === 'red' ? -1 : 1));
  if (exceptions.length === 0) put(r++, 0, { kind: 'text', text: 'None: no row is red or amber.' });
  for (const { et, row } of exceptions) {
    const t = et.table;
    const block = blocks.find((b) => b.sheet === t.sheet && b.tableRange === t.range);
    const measureCol = t.columns.find((c) => c.role === 'measure')?.col ?? t.left;
    const word = STATUS_VOCABULARY[row.status === 'red' ? 'red' : 'amber'];
    if (block !== undefined) {
      put(r, 0, { kind: 'formula', formula: show(t.sheet, row.row, block.columns.status), cached: `${word.shape} ${word.word}` }, { fontColor: row.status === 'red' ? '9C0006' : '9C5700' });
      put(r, 2, { kind: 'formula', formula: show(t.sheet, row.row, block.columns.latest), cached: row.latest?.value.value ?? '' }, row.latest ? { numberFormat: formatOf(row) } : {});
      put(r, 3, { kind: 'formula', formula: show(t.sheet, row.row, block.columns.target), cached: row.target.readable });
      put(r, 4, { kind: 'formula', formula: show(t.sheet, row.row, block.columns.variance), cached: shownVariance(row) ?? '' }, row.variance !== null ? { numberFormat: formatOf(row, true) } : {});
    } else {
      put(r, 0, { kind: 'text', text: `${word.shape} ${word.word}` });
      if (row.latest) put(r, 2, { kind: 'number', value: row.latest.value.value }, { numberFormat: formatOf(row) });
      put(r, 3, { kind: 'text', text: row.target.readable });
      const v = shownVariance(row);
      if (v !== null) put(r, 4, { kind: 'number', value: v }, { numberFormat: formatOf(row, true) });
    }
    put(r, 1, { kind: 'formula', formula: show(t.sheet, row.row, measureCol), cached: row.measure }, { wrap: true });
    put(r, 5, { kind: 'text', text: row.statusReason }, { wrap: true });
    const target = `#${quoteSheetName(t.sheet)}!${cellAddress(row.row, measureCol)}`;
    put(r, 6, { kind: 'formula', formula: `=HYPERLINK("${target.replace(/"/g, '""')}","${cellAddress(row.row, measureCol)}")`, cached: cellAddress(row.row, measureCol) });
    r++;
  }

  const chart: SummaryChart | null = evaluation.tables.length === 0 ? null : {
    title: 'Rows by status, per table',
    categories: `A${firstCount + 1}:A${lastCount + 1}`,
    series: COUNTED.map((k, i) => {
      const col = String.fromCharCode(66 + i);
      return { name: k.label, values: `${col}${firstCount + 1}:${col}${lastCount + 1}`, colour: k.status === 'green' ? '2E7D32' : k.status === 'amber' ? 'F9A825' : k.status === 'red' ? 'C62828' : '9E9E9E' };
    }),
    anchor: `I${head + 1}`,
    widthColumns: 7,
    heightRows: 14,
  };
  void exceptionsHead;
  return {
    sheet,
    cells,
    widths: [{ col: 0, width: 34 }, { col: 1, width: 46 }, { col: 2, width: 11 }, { col: 3, width: 22 }, { col: 4, width: 11 }, { col: 5, width: 48 }, { col: 6, width: 9 }],
    chart,
    printArea: `A1:G${Math.max(r, head + 2)}`,
  };
}

/** The variance as the block shows it: percentage points on a rate, units otherwise. */
function shownVariance(row: EvaluatedRow): number | null {
  if (row.variance === null) return null;
  return row.latest?.value.unit === 'percent' ? Number((row.variance * 100).toPrecision(12)) : row.variance;
}

function formatOf(row: EvaluatedRow, variance = false): string {
  const v = row.latest?.value;
  const decimals = v?.decimals ?? 0;
  const dec = decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
  if (v?.unit === 'percent') return variance ? '+0.0" pp";-0.0" pp";0" pp"' : `0${dec}%`;
  if (v?.unit === 'currency') return variance ? `+#,##0${dec};-#,##0${dec};0` : `"${v.currency ?? '£'}"#,##0${dec}`;
  return variance ? `+#,##0${dec};-#,##0${dec};0` : `#,##0${dec}`;
}
