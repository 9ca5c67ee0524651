/** A1-style addressing helpers (0-based indices inside the engine, 1-based rows in A1 text). */

/** Returns the column letters for a 0-based column index (0 → A, 26 → AA). */
export function columnLetters(col: number): string {
  let n = col + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Returns the 0-based column index for column letters (A → 0). */
export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** Returns "B3" for row 2, column 1 (0-based). */
export function cellAddress(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** Returns "A1:C3" for a 0-based inclusive rectangle. */
export function rangeAddress(top: number, left: number, bottom: number, right: number): string {
  return `${cellAddress(top, left)}:${cellAddress(bottom, right)}`;
}

/** Parses "B3" into 0-based {row, col}; throws on text that is not an A1 cell address. */
export function parseCellAddress(address: string): { row: number; col: number } {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!match || match[1] === undefined || match[2] === undefined) throw new AddressError(address);
  return { row: Number(match[2]) - 1, col: columnIndex(match[1]) };
}

/** Thrown when our own code passes a malformed address. */
export class AddressError extends Error {
  constructor(address: string) {
    super(`Not an A1 cell address: "${address}"`);
    this.name = 'AddressError';
  }
}

/** A sheet name that may stand unquoted before "!": a letter or underscore, then letters, digits, "_" or ".". */
const PLAIN_SHEET_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** A name that reads as an A1 cell reference: up to three column letters and a row ("Q1", "FY24", "KPI1"). */
const A1_LIKE_NAME = /^[A-Za-z]{1,3}[0-9]+$/;

/** A name that reads as an R1C1 reference: "R", "C", "R1", "C12", "RC", "R1C1". */
const R1C1_LIKE_NAME = /^(?:[Rr][0-9]*[Cc]?[0-9]*|[Cc][0-9]*)$/;

/** A name that reads as a boolean. */
const BOOLEAN_NAME = /^(?:true|false)$/i;

/**
 * Quotes a sheet name for use in a reference ("'Q1'!$A$1", "'My Sheet'!B2") when Excel requires it: any character
 * other than letters, digits, "_" and ".", a leading digit, or a name that Excel would read as a cell reference
 * (A1 or R1C1 style) or a boolean. Quoting is always accepted, so when in doubt the name is quoted.
 */
export function quoteSheetName(name: string): string {
  const plain = PLAIN_SHEET_NAME.test(name) && !A1_LIKE_NAME.test(name) && !R1C1_LIKE_NAME.test(name) && !BOOLEAN_NAME.test(name);
  return plain ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Rows of a worksheet (Excel's limit): a row reference past it, or before row 1, leaves the sheet. */
export const SHEET_ROWS = 1_048_576;
