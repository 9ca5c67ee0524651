/** Reads .csv and .tsv files into a workbook snapshot: one sheet named after the file. */
import { CsvError, parse } from 'csv-parse/sync';
import { readFileSync } from 'fs';
import { basename, extname } from 'path';
import { SheetSnapshot, textCell, WorkbookSnapshot } from '../engine/snapshot';

/** Thrown when delimited text cannot be split into rows: a quotation mark opened on `row` is never closed. */
export class DelimitedTextError extends Error {
  constructor(readonly row: number) {
    super(`A quotation mark opened on row ${row} is never closed`);
    this.name = 'DelimitedTextError';
  }
}

/**
 * Parses delimited text into a sheet. Tabs are used for .tsv/.txt, commas otherwise. Throws a
 * DelimitedTextError when a quoted field never ends.
 */
export function parseDelimited(text: string, sheetName: string, delimiter: string): SheetSnapshot {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, quote: delimiter === '\t' ? false : '"',
    });
  } catch (error) {
    // Every complete record before the unclosed quote is one row, so the quote opens the next one.
    if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') throw new DelimitedTextError((error as CsvError & { records: number }).records + 1);
    throw error;
  }
  return { name: sheetName, rows: records.map((row) => row.map((v) => textCell(v))) };
}

/**
 * Reads a .csv/.tsv/.txt file (or its text, when already read); the sheet is the file's base name. Throws the
 * file system's error when unreadable, and a DelimitedTextError when a quoted field never ends.
 */
export function readDelimitedFile(path: string, text: string = readFileSync(path, 'utf8')): WorkbookSnapshot {
  const ext = extname(path).toLowerCase();
  const delimiter = ext === '.csv' ? ',' : '\t';
  return { sheets: [parseDelimited(text, basename(path, extname(path)), delimiter)] };
}
