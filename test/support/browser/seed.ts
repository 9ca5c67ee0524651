/** Seed reports as emulated workbooks: every non-empty field of the .tsv typed into its cell as text. */
import { readFileSync } from 'fs';
import { columnLetters, EmulatedCell, EmulatedWorkbookInit } from '../excel-emulator';

/** Returns a one-sheet workbook named `sheet` holding the text of the .tsv at `path`, row by row, column by column. */
export function seedWorkbook(path: string, sheet: string): EmulatedWorkbookInit {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  const cells: Record<string, EmulatedCell> = {};
  lines.forEach((line, r) => {
    line.split('\t').forEach((text, c) => {
      if (text !== '') cells[`${columnLetters(c)}${r + 1}`] = { value: text };
    });
  });
  return { sheets: [{ name: sheet, cells }] };
}
