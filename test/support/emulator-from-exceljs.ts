/**
 * Converts an ExcelJS workbook into the emulator's initial workbook: values (dates as serial numbers, errors
 * as their codes), formulas with their cached results, number formats, bold, italic, wrap and vertical alignment, fill and font colours, column
 * widths (characters to points) and hidden columns, and workbook-scoped defined names.
 */
import * as ExcelJS from 'exceljs';
import { charsToPoints } from '../../src/excel/apply';
import { dateToSerial } from '../../src/xlsx/read';
import { laidOutColumns } from './workbook-dump';
import { EmulatedCell, EmulatedCellValue, EmulatedSheetInit, EmulatedWorkbookInit, VerticalAlignmentName, columnLetters } from './excel-emulator';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function richText(value: unknown): string | undefined {
  if (!isObject(value) || !Array.isArray(value.richText)) return undefined;
  return value.richText.map((run: unknown) => (isObject(run) && typeof run.text === 'string' ? run.text : '')).join('');
}

/** A stored value as the emulator holds it. */
export function emulatedValue(value: unknown): EmulatedCellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return value;
  if (value instanceof Date) return dateToSerial(value);
  if (isObject(value)) {
    if (typeof value.error === 'string') return value.error;
    const rich = richText(value);
    if (rich !== undefined) return rich;
    if (typeof value.text === 'string') return value.text;
    const nested = richText(value.text);
    if (nested !== undefined) return nested;
  }
  throw new Error(`emulatorFromExcelJs: unsupported cell value ${JSON.stringify(value)}`);
}

function colour(argb: unknown): string | undefined {
  return typeof argb === 'string' && /^[0-9A-Fa-f]{8}$/.test(argb) ? `#${argb.slice(2).toUpperCase()}` : undefined;
}

/** ExcelJS's vertical alignments as Office.js names them. */
const VERTICAL: Readonly<Record<string, VerticalAlignmentName>> = { top: 'Top', middle: 'Center', bottom: 'Bottom', justify: 'Justify', distributed: 'Distributed' };

function cellOf(cell: ExcelJS.Cell): EmulatedCell | undefined {
  if (cell.type === ExcelJS.ValueType.Merge) return undefined;
  const out: EmulatedCell = { value: null };
  if (cell.type === ExcelJS.ValueType.Formula) {
    out.formula = `=${(cell.formula ?? '').replace(/^=/, '')}`;
    out.value = emulatedValue(cell.result);
  } else out.value = emulatedValue(cell.value);
  if (cell.numFmt && cell.numFmt !== 'General') out.numberFormat = cell.numFmt;
  if (cell.font?.bold) out.bold = true;
  if (cell.font?.italic) out.italic = true;
  if (cell.alignment?.wrapText) out.wrapText = true;
  const v = VERTICAL[cell.alignment?.vertical ?? ''];
  if (v !== undefined && v !== 'Bottom') out.verticalAlignment = v;
  const font = colour(cell.font?.color?.argb);
  if (font !== undefined) out.fontColor = font;
  const fill = cell.fill?.type === 'pattern' && cell.fill.pattern === 'solid' ? colour(cell.fill.fgColor?.argb) : undefined;
  if (fill !== undefined) out.fill = fill;
  const empty = out.value === null && out.formula === undefined && out.numberFormat === undefined && !out.bold && !out.italic && !out.wrapText &&
    out.verticalAlignment === undefined && !out.fill && !out.fontColor;
  return empty ? undefined : out;
}

function sheetOf(ws: ExcelJS.Worksheet): EmulatedSheetInit {
  const cells: Record<string, EmulatedCell> = {};
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      const c = cellOf(cell);
      if (c !== undefined) cells[cell.address] = c;
    });
  });
  const columnWidths: Record<string, number> = {};
  const hiddenColumns: string[] = [];
  for (const { index: c, column: col } of laidOutColumns(ws)) {
    if (col.width !== undefined) columnWidths[columnLetters(c - 1)] = charsToPoints(col.width);
    if (col.hidden) hiddenColumns.push(columnLetters(c - 1));
  }
  return { name: ws.name, cells, columnWidths, hiddenColumns };
}

/** The emulator's initial workbook for an ExcelJS workbook. */
export function emulatorInitFromExcelJs(wb: ExcelJS.Workbook): EmulatedWorkbookInit {
  const model = wb.definedNames.model as Array<{ name: string; ranges: string[] }>;
  return {
    sheets: wb.worksheets.map(sheetOf),
    names: model.flatMap((n) => (n.ranges.length === 1 && n.ranges[0] !== undefined ? [{ name: n.name, reference: `=${n.ranges[0]}` }] : [])),
  };
}
