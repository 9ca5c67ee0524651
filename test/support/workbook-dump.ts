/** Plain-data dumps of ExcelJS workbooks, for comparing a workbook before and after an operation. */
import * as ExcelJS from 'exceljs';

/** One cell as compared: its value (formulas as text with their cached result), number format and style. */
export interface CellDump {
  readonly value: unknown;
  readonly numFmt: string;
  readonly style: string;
}

/** A workbook as compared. */
export interface WorkbookDump {
  readonly sheets: Record<string, { state: string; cells: Record<string, CellDump>; columns: Record<number, string>; rules: string[]; page: string }>;
  readonly names: string[];
}

function valueOf(cell: ExcelJS.Cell): unknown {
  const v = cell.value as unknown;
  if (v instanceof Date) return { date: v.toISOString() };
  return v ?? null;
}

function styleOf(cell: ExcelJS.Cell): string {
  return JSON.stringify({ font: cell.font ?? null, fill: cell.fill ?? null, alignment: cell.alignment ?? null, border: cell.border ?? null });
}

/** The conditional formats of a sheet (ExcelJS keeps them untyped). */
export function rulesOf(ws: ExcelJS.Worksheet): ExcelJS.ConditionalFormattingOptions[] {
  return (ws as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings;
}

/** Every column of a sheet that has a width or is hidden, 1-based, with ExcelJS's column object. */
export function laidOutColumns(ws: ExcelJS.Worksheet): Array<{ index: number; column: ExcelJS.Column }> {
  // ExcelJS's columnCount counts cells only: also visit every column that has a layout of its own.
  const laidOut = (ws as unknown as { columns?: unknown[] | null }).columns?.length ?? 0;
  const out: Array<{ index: number; column: ExcelJS.Column }> = [];
  for (let c = 1; c <= Math.max(ws.columnCount, laidOut); c++) {
    const column = ws.getColumn(c);
    if (column.width !== undefined || column.hidden || (column.outlineLevel ?? 0) > 0) out.push({ index: c, column });
  }
  return out;
}

/** The page setup a refresh may set: print area, print titles and fitting to pages. */
export function pageOf(ws: ExcelJS.Worksheet): string {
  const p = ws.pageSetup;
  return JSON.stringify({
    printArea: p.printArea ?? null, printTitlesColumn: p.printTitlesColumn ?? null, printTitlesRow: p.printTitlesRow ?? null,
    fitToPage: p.fitToPage === true, ...(p.fitToPage === true ? { fitToWidth: p.fitToWidth ?? 1, fitToHeight: p.fitToHeight ?? 1 } : {}),
  });
}

/** Dumps every non-empty or styled cell, column layouts, conditional formats and defined names. */
export function dumpWorkbook(wb: ExcelJS.Workbook): WorkbookDump {
  const sheets: WorkbookDump['sheets'] = {};
  wb.eachSheet((ws) => {
    const cells: Record<string, CellDump> = {};
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        const style = styleOf(cell);
        const value = valueOf(cell);
        if (value === null && style === styleOf({} as ExcelJS.Cell)) return;
        cells[cell.address] = { value, numFmt: cell.numFmt ?? 'General', style };
      });
    });
    const columns: Record<number, string> = {};
    for (const { index, column: col } of laidOutColumns(ws)) columns[index] = JSON.stringify({ w: col.width ?? null, h: col.hidden, o: col.outlineLevel ?? 0 });
    const rules = rulesOf(ws).map((cf) => JSON.stringify({ ref: cf.ref, rules: cf.rules.map((r) => ({ ...r, dxfId: undefined, ref: undefined })) }));
    sheets[ws.name] = { state: ws.state, cells, columns, rules, page: pageOf(ws) };
  });
  const names = (wb.definedNames.model as Array<{ name: string; ranges: string[] }>).map((n) => `${n.name}=${n.ranges.join(',')}`).sort();
  return { sheets, names };
}

/** Loads a workbook from a buffer (a round trip through the file format, as a saved file would be). */
export async function roundTrip(wb: ExcelJS.Workbook): Promise<ExcelJS.Workbook> {
  const buffer = await wb.xlsx.writeBuffer();
  const out = new ExcelJS.Workbook();
  await out.xlsx.load(buffer as ArrayBuffer);
  return out;
}
