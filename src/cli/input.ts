/**
 * Input and output files of the command line: what can go wrong with them, as data, and the one sentence
 * the user reads for each problem.
 */
import type * as ExcelJS from 'exceljs';
import { promises as fs } from 'fs';
import { dirname, extname } from 'path';
import { DelimitedTextError, readDelimitedFile } from '../csv/read';
import { Evaluation } from '../engine';
import { WorkbookSnapshot } from '../engine/snapshot';
import { snapshotWithNames } from '../xlsx/apply';
import { loadXlsxBytes, NotAWorkbookError, NotAWorkbookReason } from '../xlsx/read';

/** The file types `report` reads, by extension. */
const WORKBOOK_EXTENSIONS = ['.xlsx', '.xlsm'];
const DELIMITED_EXTENSIONS = ['.csv', '.tsv', '.txt'];

/** What is wrong with a file the user named. */
export type InputProblem =
  | { readonly code: 'not-found' }
  | { readonly code: 'folder' }
  | { readonly code: 'no-permission' }
  | { readonly code: 'unreadable' }
  | { readonly code: 'empty' }
  | { readonly code: 'not-xlsx'; readonly reason: NotAWorkbookReason }
  | { readonly code: 'workbook-named-as-text' }
  | { readonly code: 'not-text' }
  | { readonly code: 'unclosed-quote'; readonly row: number }
  | { readonly code: 'unsupported-type'; readonly extension: string }
  | { readonly code: 'xlsx-only'; readonly command: 'refresh' | 'remove'; readonly extension: string; readonly tables: number | null }
  | { readonly code: 'no-tables'; readonly skipped: ReadonlyArray<{ readonly range: string; readonly reason: string }>; readonly rowsWithValues: number }
  | { readonly code: 'output-folder'; readonly option: OutputOption }
  | { readonly code: 'output-under-file'; readonly option: OutputOption }
  | { readonly code: 'output-not-writable'; readonly option: OutputOption };

/** The option that named an output file: -o for the workbook, --json for the report. */
export type OutputOption = '-o' | '--json';

/** Thrown for a file the command cannot use; the message is the sentence the user reads. */
export class InputError extends Error {
  constructor(readonly path: string, readonly problem: InputProblem) {
    super(describeInputProblem(path, problem));
    this.name = 'InputError';
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function noTableText(problem: Extract<InputProblem, { code: 'no-tables' }>): string {
  const { skipped } = problem;
  if (skipped.length === 0) return problem.rowsWithValues === 0 ? 'it holds no values' : problem.rowsWithValues === 1 ? 'it holds a single row' : 'no header row with figures beneath it';
  const shown = skipped.slice(0, 3).map((s) => `${s.range} — ${lowerFirst(s.reason)}`);
  const more = skipped.length > 3 ? `; and ${skipped.length - 3} more` : '';
  return `${shown.join('; ')}${more}`;
}

/** The sentence for a problem with the file at `path`: what is wrong, and what to do. */
export function describeInputProblem(path: string, problem: InputProblem): string {
  const file = `"${path}"`;
  switch (problem.code) {
    case 'not-found':
      return `${file} not found: check the folder and the file name`;
    case 'folder':
      return `${file} is a folder: give the path of a file inside it`;
    case 'no-permission':
      return `${file} cannot be opened (permission denied): copy it somewhere you can read, or ask its owner for access`;
    case 'unreadable':
      return `${file} could not be read from the disk: copy it to a local folder and try again`;
    case 'empty':
      return `${file} is empty (0 bytes): there is nothing to judge; save or export the scorecard again`;
    case 'not-xlsx':
      return problem.reason === 'legacy-or-encrypted'
        ? `${file} is not an .xlsx workbook (an old .xls file, or protected by a password): save it from Excel as an .xlsx without a password`
        : `${file} is not an .xlsx workbook (damaged, or another file type): open it in Excel or LibreOffice and save it as .xlsx`;
    case 'workbook-named-as-text':
      return `${file} is an .xlsx workbook with a ${extname(path)} name: rename it to end in .xlsx`;
    case 'not-text':
      return `${file} is not text (damaged, or another file type): export the sheet again as .csv or .tsv`;
    case 'unclosed-quote':
      return `${file} has a quotation mark opened on row ${problem.row} that is never closed: close it, or export the sheet again`;
    case 'unsupported-type':
      return `${file} is not a file type scorecard reads (${problem.extension || 'no extension'}): give an .xlsx, .csv or .tsv file`;
    case 'xlsx-only': {
      const read = problem.tables === null ? '' : `holds ${problem.tables} scorecard table${problem.tables === 1 ? '' : 's'}, but `;
      return problem.command === 'refresh'
        ? `${file} ${read}refresh writes .xlsx workbooks only: save it as .xlsx in Excel or LibreOffice and refresh that, or run "scorecard report ${path}"`
        : `${file} is a ${problem.extension || 'file without an extension'}, and remove works on .xlsx workbooks only: give the .xlsx that refresh wrote`;
    }
    case 'no-tables':
      return `${file} has no scorecard table to judge (${noTableText(problem)}): a scorecard needs a header row with measures and figures beneath it`;
    case 'output-folder':
      return `${file} is a folder: give ${problem.option} the name of the file to write, ending in ${problem.option === '-o' ? '.xlsx' : '.json'}`;
    case 'output-under-file':
      return `${file} cannot be written: a file stands where its folder should be; choose another ${problem.option}`;
    case 'output-not-writable':
      return `${file} cannot be written (no permission, or the file is open in another program): close it, or choose another ${problem.option}`;
  }
}

function errnoOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;
}

/** The problem a file system error on an input means. */
function inputProblemOf(error: unknown): InputProblem {
  switch (errnoOf(error)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { code: 'not-found' };
    case 'EISDIR':
      return { code: 'folder' };
    case 'EACCES':
    case 'EPERM':
      return { code: 'no-permission' };
    default:
      return { code: 'unreadable' };
  }
}

/** Reads the whole of an input file; rejects with an InputError for a missing, folder, unreadable or empty file. */
async function readInputBytes(path: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    const stat = await fs.stat(path);
    if (stat.isDirectory()) throw new InputError(path, { code: 'folder' });
    bytes = await fs.readFile(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, inputProblemOf(error));
  }
  if (bytes.length === 0) throw new InputError(path, { code: 'empty' });
  return bytes;
}

/** Opens an .xlsx file as an ExcelJS workbook; rejects with an InputError naming the file and the problem. */
export async function openWorkbook(path: string): Promise<ExcelJS.Workbook> {
  const bytes = await readInputBytes(path);
  try {
    return await loadXlsxBytes(path, bytes);
  } catch (error) {
    if (error instanceof NotAWorkbookError) throw new InputError(path, { code: 'not-xlsx', reason: error.reason });
    throw error;
  }
}

/** Reads a .csv, .tsv or .txt file; rejects with an InputError naming the file and the problem. */
async function readDelimitedInput(path: string): Promise<WorkbookSnapshot> {
  const bytes = await readInputBytes(path);
  if (bytes.subarray(0, 2).equals(Buffer.from('PK'))) throw new InputError(path, { code: 'workbook-named-as-text' });
  if (bytes.includes(0)) throw new InputError(path, { code: 'not-text' });
  try {
    return readDelimitedFile(path, bytes.toString('utf8'));
  } catch (error) {
    if (error instanceof DelimitedTextError) throw new InputError(path, { code: 'unclosed-quote', row: error.row });
    throw error;
  }
}

/** Whether the path names a file `report` reads as a workbook. */
export function isWorkbookPath(path: string): boolean {
  return WORKBOOK_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** Whether the path names a file `report` reads as delimited text. */
export function isDelimitedPath(path: string): boolean {
  return DELIMITED_EXTENSIONS.includes(extname(path).toLowerCase());
}

/** Reads .xlsx through ExcelJS and .csv/.tsv/.txt through the CSV reader; rejects with an InputError. */
export async function readInput(path: string): Promise<WorkbookSnapshot> {
  if (isWorkbookPath(path)) return snapshotWithNames(await openWorkbook(path));
  if (isDelimitedPath(path)) return readDelimitedInput(path);
  await readInputBytes(path);
  throw new InputError(path, { code: 'unsupported-type', extension: extname(path) });
}

/**
 * Opens the workbook refresh or remove works on. A .csv or .tsv is read all the same, so that the answer
 * says what it holds; those commands write .xlsx workbooks only.
 */
export async function openWorkbookToRewrite(path: string, command: 'refresh' | 'remove', evaluate: (snapshot: WorkbookSnapshot) => Evaluation): Promise<ExcelJS.Workbook> {
  if (/\.xlsx$/i.test(path)) return openWorkbook(path);
  const extension = extname(path);
  if (isDelimitedPath(path) && command === 'refresh') {
    const snapshot = await readDelimitedInput(path);
    const evaluation = evaluate(snapshot);
    requireTables(path, snapshot, evaluation);
    throw new InputError(path, { code: 'xlsx-only', command, extension, tables: evaluation.tables.length });
  }
  await readInputBytes(path);
  throw new InputError(path, { code: 'xlsx-only', command, extension, tables: null });
}

/** Rejects with a no-tables InputError when the evaluation of `snapshot` judged no table. */
export function requireTables(path: string, snapshot: WorkbookSnapshot, evaluation: Evaluation): void {
  if (evaluation.tables.length > 0) return;
  const rowsWithValues = snapshot.sheets.reduce((n, sheet) => n + sheet.rows.filter((row) => row.some((c) => c !== undefined && c.text.trim() !== '')).length, 0);
  const skipped = evaluation.detection.skipped.map((s) => ({ range: `${s.sheet} › ${s.range}`, reason: s.reason }));
  throw new InputError(path, { code: 'no-tables', skipped, rowsWithValues });
}

/**
 * Writes an output file named by `option`, creating its folder; rejects with an InputError naming the file
 * when it cannot.
 */
export async function writeOutput(path: string, option: OutputOption, write: (path: string) => Promise<void>): Promise<void> {
  try {
    const stat = await fs.stat(path).catch(() => undefined);
    if (stat?.isDirectory()) throw new InputError(path, { code: 'output-folder', option });
    await fs.mkdir(dirname(path), { recursive: true });
    await write(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = errnoOf(error);
    throw new InputError(path, { code: code === 'EISDIR' ? 'output-folder' : code === 'ENOTDIR' || code === 'EEXIST' ? 'output-under-file' : 'output-not-writable', option });
  }
}
