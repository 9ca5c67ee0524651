/** Reads an input file of any supported kind into a workbook snapshot. */
import { extname } from 'path';
import { readDelimitedFile } from '../csv/read';
import { WorkbookSnapshot } from '../engine/snapshot';
import { snapshotWithNames } from '../xlsx/apply';
import { loadWorkbook } from '../xlsx/refresh';

/** Thrown when an input cannot be read; its message names the file and says why. */
export class UnreadableInputError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`Cannot read "${path}": ${reason}`);
    this.name = 'UnreadableInputError';
  }
}

/** Reads .xlsx through ExcelJS and .csv/.tsv/.txt through the CSV reader. */
export async function readInput(path: string): Promise<WorkbookSnapshot> {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.xlsx' || ext === '.xlsm') return snapshotWithNames(await loadWorkbook(path));
    if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return readDelimitedFile(path);
  } catch (e) {
    const reason = e instanceof Error ? e.message.replace(/^Cannot read "[^"]*":\s*/, '') : String(e);
    throw new UnreadableInputError(path, reason.split('\n')[0] ?? reason);
  }
  throw new UnreadableInputError(path, `unsupported file type "${ext || '(none)'}" (use .xlsx, .csv or .tsv)`);
}
