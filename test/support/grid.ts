/** Helpers that let a test read like a sheet: `grid([...rows])` builds a workbook, `cell('B3')` addresses a cell. */
import { CellSnapshot, parseCellAddress, textCell, WorkbookSnapshot } from '../../src/engine';

/** A row of cells: strings are typed text; numbers are typed numbers (optionally `{ n, fmt }` with a format). */
export type GridRow = ReadonlyArray<string | number | { readonly n: number; readonly fmt: string } | null>;

function toCell(v: GridRow[number]): CellSnapshot | undefined {
  if (v === null) return undefined;
  if (typeof v === 'string') return textCell(v);
  if (typeof v === 'number') return { value: v, text: String(v), numberFormat: 'General' };
  return { value: v.n, numberFormat: v.fmt, text: String(v.n) };
}

/** Builds a one-sheet workbook from rows (sheet "Sheet1" unless named). */
export function grid(rows: readonly GridRow[], name = 'Sheet1'): WorkbookSnapshot {
  return { sheets: [{ name, rows: rows.map((r) => r.map(toCell)) }] };
}

/** Returns 0-based {row, col} of an A1 address. */
export function cell(address: string): { row: number; col: number } {
  return parseCellAddress(address);
}
