/**
 * Reads .xlsx workbooks into a workbook snapshot with ExcelJS. Every cell keeps its raw value, its formula,
 * its number format and the text a spreadsheet would show (the value rendered through its number format).
 */
import * as ExcelJS from 'exceljs';
import { promises as fs } from 'fs';
import { displayText } from '../engine/display';
import { CellSnapshot, RawValue, SheetSnapshot, WorkbookSnapshot } from '../engine/snapshot';
// Defined names holding constants or formulas (the status and trend words among them) are read and written too.
import './formula-names';


const MS_PER_DAY = 86_400_000;
/** Days from the spreadsheet epoch (1899-12-30) to the Unix epoch (1970-01-01). */
const UNIX_EPOCH_SERIAL = 25_569;

/** Converts a JavaScript Date (as ExcelJS gives dates, in UTC) to a spreadsheet serial number. */
export function dateToSerial(date: Date): number {
  return date.getTime() / MS_PER_DAY + UNIX_EPOCH_SERIAL;
}

/** The plain text of a rich text value. */
function richTextOf(value: { richText: ReadonlyArray<{ text?: unknown }> }): string {
  return value.richText.map((run) => (typeof run.text === 'string' ? run.text : '')).join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A plain value (no formula) as the snapshot holds it; undefined when the value is not one we know. */
function plainValue(value: unknown): RawValue | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { error: '#NUM!' };
  if (value instanceof Date) return dateToSerial(value);
  if (isObject(value)) {
    if (typeof value.error === 'string') return { error: value.error };
    if (Array.isArray(value.richText)) return richTextOf(value as { richText: Array<{ text?: unknown }> });
    if ('hyperlink' in value || 'text' in value) {
      const text = value.text;
      if (typeof text === 'string') return text;
      if (isObject(text) && Array.isArray(text.richText)) return richTextOf(text as { richText: Array<{ text?: unknown }> });
      return typeof value.hyperlink === 'string' ? value.hyperlink : null;
    }
  }
  return undefined;
}

/** Builds the snapshot of one cell; undefined for empty cells and the covered cells of a merge. */
function snapshotCell(cell: ExcelJS.Cell): CellSnapshot | undefined {
  if (cell.type === ExcelJS.ValueType.Merge || cell.type === ExcelJS.ValueType.Null) return undefined;
  const numberFormat = cell.numFmt || 'General';
  if (cell.type === ExcelJS.ValueType.Formula) {
    const formula = (cell.formula ?? '').replace(/^=/, '');
    // cell.result, not cell.value.result: ExcelJS's formula value drops falsy results (0, FALSE, "").
    const value = plainValue(cell.result) ?? null;
    return { value, ...(formula !== '' ? { formula } : {}), numberFormat, text: displayText(value, numberFormat) };
  }
  const value = plainValue(cell.value);
  if (value === undefined || value === null || value === '') return undefined;
  return { value, numberFormat, text: displayText(value, numberFormat) };
}

/** Builds the snapshot of one worksheet: dense rows covering the used area, from A1. */
function snapshotSheet(ws: ExcelJS.Worksheet): SheetSnapshot {
  const found: Array<{ row: number; col: number; cell: CellSnapshot }> = [];
  let height = 0;
  let width = 0;
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
      // Covered cells of a merge count towards the used area, as in a spreadsheet, but hold no value.
      height = Math.max(height, rowNumber);
      width = Math.max(width, colNumber);
      const snap = snapshotCell(cell);
      if (snap !== undefined) found.push({ row: rowNumber - 1, col: colNumber - 1, cell: snap });
    });
  });
  const rows: Array<Array<CellSnapshot | undefined>> = [];
  for (let r = 0; r < height; r++) rows.push(new Array<CellSnapshot | undefined>(width).fill(undefined));
  for (const { row, col, cell } of found) {
    const target = rows[row];
    if (target !== undefined) target[col] = cell;
  }
  const merges = ((ws.model as { merges?: string[] }).merges ?? []).filter((m) => m.includes(':'));
  return { name: ws.name, rows, ...(merges.length > 0 ? { merges } : {}) };
}

/** Builds the snapshot of a workbook already loaded by ExcelJS. Sheets are in workbook order. */
export function snapshotFromWorkbook(wb: ExcelJS.Workbook): WorkbookSnapshot {
  return { sheets: wb.worksheets.map(snapshotSheet) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a file is not an .xlsx workbook this reader can open. */
export type NotAWorkbookReason =
  /** The bytes are not a zip package: another file type, or a damaged download. */
  | 'not-a-package'
  /** An OLE compound file: a legacy .xls workbook, or an .xlsx encrypted with a password. */
  | 'legacy-or-encrypted'
  /** A zip package that ExcelJS cannot read as a workbook (truncated or damaged). */
  | 'damaged'
  /** A zip package without worksheets (another Office document, or an empty archive). */
  | 'no-worksheets';

const REASON_TEXT: Readonly<Record<NotAWorkbookReason, string>> = {
  'not-a-package': 'the file is not a zip package',
  'legacy-or-encrypted': 'a legacy .xls file or a password-protected workbook',
  damaged: 'the package is damaged',
  'no-worksheets': 'no worksheets found',
};

/** Thrown when a file was read but is not an .xlsx workbook; `reason` says which way it is not. */
export class NotAWorkbookError extends Error {
  constructor(readonly path: string, readonly reason: NotAWorkbookReason, detail?: string) {
    super(`Cannot read "${path}": not an .xlsx workbook (${REASON_TEXT[reason]}${detail !== undefined ? `: ${detail}` : ''})`);
    this.name = 'NotAWorkbookError';
  }
}

/** The leading bytes of an OLE compound file (legacy .xls, or an encrypted .xlsx). */
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
/** The leading bytes of a zip package ("PK"). */
const ZIP_MAGIC = Buffer.from('PK');

/**
 * Opens the bytes of an .xlsx (or .xlsm) file as an ExcelJS workbook. Rejects with a NotAWorkbookError when
 * the bytes are not a workbook.
 */
export async function loadXlsxBytes(path: string, bytes: Buffer): Promise<ExcelJS.Workbook> {
  if (bytes.subarray(0, 4).equals(OLE_MAGIC)) throw new NotAWorkbookError(path, 'legacy-or-encrypted');
  if (!bytes.subarray(0, 2).equals(ZIP_MAGIC)) throw new NotAWorkbookError(path, 'not-a-package');
  const wb = new ExcelJS.Workbook();
  try {
    // ExcelJS declares its own `Buffer` type (an ArrayBuffer); at run time it takes a Node Buffer.
    await wb.xlsx.load(bytes as unknown as Parameters<ExcelJS.Xlsx['load']>[0]);
  } catch (error) {
    throw new NotAWorkbookError(path, 'damaged', messageOf(error).split('\n')[0]);
  }
  if (wb.worksheets.length === 0) throw new NotAWorkbookError(path, 'no-worksheets');
  return wb;
}

/**
 * Opens an .xlsx (or .xlsm) file as an ExcelJS workbook. Rejects with the file system's error when the file
 * cannot be read, and with a NotAWorkbookError when it is not a workbook.
 */
export async function loadXlsxFile(path: string): Promise<ExcelJS.Workbook> {
  return loadXlsxBytes(path, await fs.readFile(path));
}

/**
 * Reads an .xlsx (or .xlsm) file. Rejects with an Error naming the file when it cannot be read, and with a
 * NotAWorkbookError when it is not an .xlsx workbook.
 */
export async function readXlsxFile(path: string): Promise<WorkbookSnapshot> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    throw new Error(`Cannot read "${path}": ${messageOf(error)}`);
  }
  const wb = await loadXlsxBytes(path, bytes);
  try {
    return snapshotFromWorkbook(wb);
  } catch (error) {
    throw new Error(`Cannot read "${path}": ${messageOf(error)}`);
  }
}
