/**
 * Interpretation, between detection and evaluation: every cell of a detected table read once, as a refresh leaves
 * it. Each cell keeps its position, the text it shows, what a formula reading it sees, and what it means with its unit;
 * cells of target and tolerance columns also carry the target or tolerance they state. Evaluation reads these
 * readings and parses nothing again.
 */
import { cellAddress } from './address';
import { DetectedTable, TableColumn } from './detect';
import { Normalisation, normalisationsOf, TYPED_ROLES, withNormalised } from './display';
import { parseTolerance, Tolerance } from './judge';
import { named } from './regex';
import { BLANK, booleanValue, ErrorCode, errorValue, numberValue, RowCells, RuleValue, textValue } from './rules';
import { CellSnapshot, SheetSnapshot, textAt } from './snapshot';
import { parseTarget, TargetSpec } from './target';
import { NumberValue, parseCell, ParsedCell, parseNumberText } from './value';
import { TOLERANCE_KEYS, TWO_STATE_KEY } from './vocabulary';

/** One cell of a table as the engine reads it. */
export interface InterpretedCell {
  /** 0-based sheet row and column. */
  readonly row: number;
  readonly col: number;
  /** The text the cell shows, trimmed ('' for an empty cell): the same before and after a refresh. */
  readonly text: string;
  /** What a formula reading the cell sees once the refresh has typed the table's figures. */
  readonly value: RuleValue;
  /**
   * For a cell of a figure column (periods, values, targets, budgets, risk ratings): what it means, with its unit and
   * displayed precision ("88.0%" is a percent 0.88 with one decimal). Cells of word columns (measures, commentary,
   * polarity, status) are not parsed.
   */
  readonly meaning?: ParsedCell;
  /**
   * For text meaning a number: the text read as exactly one number in a printed form ("(284)", "£240k"); absent when
   * marks or words stand around the number ("13 ¹", "0.6 years").
   */
  readonly exact?: NumberValue;
  /** For a cell of a target column: the target its text states (null when it states none). */
  readonly target?: TargetSpec | null;
  /** For a filled cell of a tolerance column: the tolerance its text states, when it states one. */
  readonly tolerance?: Tolerance;
  /** For a cell of the measure column: a target written into the measure ("45% within 90 days" → 45%). */
  readonly targetInMeasure?: NumberValue;
}

/** One data row of a table, read. */
export interface InterpretedRow {
  /** 0-based sheet row. */
  readonly row: number;
  /** The row's cells from the table's left column to its right. */
  readonly cells: readonly InterpretedCell[];
  /** What a formula reading each cell sees, by the cell's role in the rules (`columnRole`). */
  readonly ruleCells: RowCells;
}

/** A tolerance key printed on a sheet ("Amber: within 10% of target", a met / not met key). */
export interface ToleranceKey {
  readonly amber: Tolerance;
  readonly text: string;
  readonly cell: string;
}

/** A detected table with its cells read. */
export interface InterpretedTable {
  readonly table: DetectedTable;
  /** The data rows by 0-based sheet row, in the table's order. */
  readonly rows: ReadonlyMap<number, InterpretedRow>;
  /** The text cells that a refresh types as numbers, as printed. */
  readonly normalisations: readonly Normalisation[];
  /** The tolerance key printed on the table's sheet, if there is one. */
  readonly toleranceKey?: ToleranceKey;
}

/** Choices that change how a table's cells are read. */
export interface InterpretOptions {
  /** Columns read as targets besides those detected as targets (a target column the user picked). */
  readonly targetColumns?: readonly number[];
  /** How a cell's meaning is read; `parseCell` unless a caller watches the readings. */
  readonly parse?: (cell: CellSnapshot | undefined) => ParsedCell;
}

/** Roles whose cells hold figures: the cells whose meaning evaluation reads (those a refresh may type, and values). */
const FIGURE_ROLES: ReadonlySet<TableColumn['role']> = new Set([...TYPED_ROLES, 'value']);

/** How a column's cells are read. */
interface ColumnReading {
  readonly role: string;
  readonly figure: boolean;
  readonly target: boolean;
  readonly tolerance: boolean;
  readonly measure: boolean;
}

/**
 * Reads every cell of a detected table once: the data rows, from the table's left column to its right, as a refresh
 * leaves them (figures printed as text typed as numbers). Never throws: a cell that means nothing is read as text or
 * as missing.
 */
export function interpretTable(printed: SheetSnapshot, table: DetectedTable, options: InterpretOptions = {}): InterpretedTable {
  const parse = options.parse ?? parseCell;
  const normalisations = normalisationsOf(printed, table);
  // The rows are read as a refresh leaves them, so that the formulas written, and a later refresh of the refreshed
  // sheet, read the same cells the same way.
  const sheet = withNormalised(printed, normalisations);
  const extraTargets = new Set(options.targetColumns ?? []);
  const measureCol = measureColumn(table);
  const readings: ColumnReading[] = [];
  for (let c = table.left; c <= table.right; c++) {
    const roles = table.columns.filter((x) => x.col === c).map((x) => x.role);
    const target = roles.includes('target') || extraTargets.has(c);
    readings.push({
      role: columnRole(c), target, figure: target || roles.some((x) => FIGURE_ROLES.has(x)),
      tolerance: roles.includes('tolerance'), measure: c === measureCol,
    });
  }
  const rows = new Map<number, InterpretedRow>();
  for (const r of table.dataRows) {
    const cells: InterpretedCell[] = [];
    const ruleCells: Record<string, RuleValue> = {};
    const row = sheet.rows[r];
    for (let c = table.left; c <= table.right; c++) {
      const how = readings[c - table.left] as ColumnReading;
      const snapshot = row?.[c];
      const raw = snapshot?.value ?? null;
      const text = textAt(sheet, r, c);
      const value = ruleValueOf(snapshot);
      const meaning = how.figure ? parse(snapshot) : undefined;
      cells.push({
        row: r, col: c, text, value, meaning,
        exact: typeof raw === 'string' && meaning?.kind === 'number' ? parseNumberText(raw) : undefined,
        target: how.target ? parseTarget(text) : undefined,
        tolerance: how.tolerance && text !== '' ? parseTolerance(text) : undefined,
        targetInMeasure: how.measure ? targetInMeasureOf(text) : undefined,
      });
      ruleCells[how.role] = value;
    }
    rows.set(r, { row: r, cells, ruleCells });
  }
  const toleranceKey = sheetToleranceKey(printed);
  return { table, rows, normalisations, ...(toleranceKey !== undefined ? { toleranceKey } : {}) };
}

/** Returns the read cell at a 0-based sheet row and column, or undefined outside the table's data rows and columns. */
export function interpretedCell(t: InterpretedTable, row: number, col: number): InterpretedCell | undefined {
  return t.rows.get(row)?.cells[col - t.table.left];
}

/** The first column of a role, preferring columns outside a to-date group (the year-end figures are judged). */
export function firstColumn(table: DetectedTable, role: TableColumn['role']): TableColumn | undefined {
  return table.columns.find((c) => c.role === role && c.group === undefined) ?? table.columns.find((c) => c.role === role);
}

/** The 0-based sheet column of a table's measures: its measure column, else its first column. */
export function measureColumn(table: DetectedTable): number {
  return (firstColumn(table, 'measure') ?? table.columns[0])?.col ?? table.left;
}

/** The role of a sheet column in a row's rules: "c4" for column E. Plans place each such role at its column. */
export function columnRole(col: number): string {
  // One string per column, made once: rows of the same table then share their keys.
  return COLUMN_ROLES[col] ??= `c${col}`;
}
const COLUMN_ROLES: string[] = [];

const ERROR_CODES: readonly ErrorCode[] = ['#VALUE!', '#DIV/0!', '#N/A', '#NUM!', '#REF!', '#NAME?'];

/** What a formula reading the cell sees. */
function ruleValueOf(cell: CellSnapshot | undefined): RuleValue {
  const v = cell?.value ?? null;
  if (v === null || v === '') return BLANK;
  if (typeof v === 'number') return numberValue(v);
  if (typeof v === 'string') return textValue(v);
  if (typeof v === 'boolean') return booleanValue(v);
  return errorValue(ERROR_CODES.find((c) => c === v.error) ?? '#VALUE!');
}

/** A target written into the measure cell: "45% within 90 days", "0% within 90 days (high)". */
const TARGET_IN_MEASURE = named(String.raw`^(?<num>\d{1,3}(?:\.\d+)?)\s*(?:%|\s?per\s?cent)\s+(?:of\s+\w+\s+)?(?:within|in|on|by|completed|answered|seen|resolved|concluded)\b`, 'i');

function targetInMeasureOf(measure: string): NumberValue | undefined {
  const num = TARGET_IN_MEASURE.exec(measure)?.groups?.num;
  return num === undefined ? undefined : parseNumberText(`${num}%`);
}

const TOLERANCE_KEY_OF_SHEET = new WeakMap<SheetSnapshot, ToleranceKey | null>();

/** The sheet's tolerance key, read once per sheet however many tables it holds. */
function sheetToleranceKey(sheet: SheetSnapshot): ToleranceKey | undefined {
  if (!TOLERANCE_KEY_OF_SHEET.has(sheet)) TOLERANCE_KEY_OF_SHEET.set(sheet, toleranceKeyOf(sheet) ?? null);
  return TOLERANCE_KEY_OF_SHEET.get(sheet) ?? undefined;
}

/** Reads a tolerance key printed on the sheet ("Amber: within 10% of target", a met / not met key). */
function toleranceKeyOf(sheet: SheetSnapshot): ToleranceKey | undefined {
  for (let r = 0; r < sheet.rows.length; r++) {
    const row = sheet.rows[r] ?? [];
    for (let c = 0; c < row.length; c++) {
      const text = textAt(sheet, r, c);
      if (text.length < 8) continue;
      for (const k of TOLERANCE_KEYS) {
        const m = k.pattern.exec(text)?.groups;
        if (m?.num === undefined) continue;
        const n = Number(m.num);
        const amber: Tolerance = (m.unit ?? '%') === '%' ? { kind: 'relative', value: n / 100 } : { kind: 'absolute', value: n };
        return { amber, text, cell: cellAddress(r, c) };
      }
      if (TWO_STATE_KEY.test(text)) return { amber: { kind: 'relative', value: 0 }, text, cell: cellAddress(r, c) };
    }
  }
  return undefined;
}
