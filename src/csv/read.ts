/** Reads .csv and .tsv files into a workbook snapshot: one sheet named after the file. */
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'fs';
import { basename, extname } from 'path';
import { SheetSnapshot, textCell, WorkbookSnapshot } from '../engine/snapshot';

/** Parses delimited text into a sheet. Tabs are used for .tsv/.txt, commas otherwise. */
export function parseDelimited(text: string, sheetName: string, delimiter: string): SheetSnapshot {
  const records: string[][] = parse(text.replace(/^\uFEFF/, ''), {
    delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, quote: delimiter === '\t' ? false : '"',
  });
  return { name: sheetName, rows: records.map((row) => row.map((v) => textCell(v))) };
}

/** Reads a .csv/.tsv/.txt file; the sheet is the file's base name. Throws the file system's error when unreadable. */
export function readDelimitedFile(path: string): WorkbookSnapshot {
  const ext = extname(path).toLowerCase();
  const text = readFileSync(path, 'utf8');
  const delimiter = ext === '.csv' ? ',' : '\t';
  return { sheets: [parseDelimited(text, basename(path, extname(path)), delimiter)] };
}
