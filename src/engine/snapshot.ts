/**
 * The engine's input: a workbook as plain data. Adapters (ExcelJS, Office.js, CSV) build it;
 * the engine never reads files or talks to a host.
 */

/** An error value as a spreadsheet shows it, e.g. `#DIV/0!`. */
export interface CellError {
  readonly error: string;
}

/** The raw value of a cell: what the host stores, before any interpretation. */
export type RawValue = string | number | boolean | null | CellError;

/** One cell. `text` is what the user sees (the value rendered through its number format). */
export interface CellSnapshot {
  readonly value: RawValue;
  readonly formula?: string;
  readonly numberFormat?: string;
  readonly text: string;
}

/** One worksheet; `rows[r][c]` is the cell at 0-based row r and column c (undefined = empty). */
export interface SheetSnapshot {
  readonly name: string;
  readonly rows: ReadonlyArray<ReadonlyArray<CellSnapshot | undefined>>;
  /** Merged areas as A1 ranges ("E2:I2"); their covered cells are empty in `rows`. */
  readonly merges?: readonly string[];
}

/** A workbook-scoped defined name: `reference` is like `'My Sheet'!$A$1:$C$9` (no leading =). */
export interface DefinedNameSnapshot {
  readonly name: string;
  readonly reference: string;
}

/** A whole workbook. */
export interface WorkbookSnapshot {
  readonly sheets: readonly SheetSnapshot[];
  readonly names?: readonly DefinedNameSnapshot[];
}

/** Returns true when the value is an error value such as `#N/A`. */
export function isCellError(value: RawValue): value is CellError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/** Returns the cell at (row, col) or undefined when it is outside the sheet or empty. */
export function cellAt(sheet: SheetSnapshot, row: number, col: number): CellSnapshot | undefined {
  return sheet.rows[row]?.[col];
}

/** Returns the trimmed displayed text of a cell ('' for empty cells). */
export function textAt(sheet: SheetSnapshot, row: number, col: number): string {
  const cell = cellAt(sheet, row, col);
  if (cell === undefined) return '';
  // Most texts hold no non-breaking space: they are trimmed as they are, with no copy made to replace none.
  const text = cell.text;
  return (text.includes('\u00a0') ? text.replace(/\u00a0/g, ' ') : text).trim();
}

/** Builds a snapshot cell from a plain string as a text file holds it (CSV/TSV). */
export function textCell(text: string): CellSnapshot | undefined {
  return text.trim() === '' ? undefined : { value: text, text };
}
