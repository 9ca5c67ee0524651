/**
 * One comparable shape for a workbook refreshed through ExcelJS (the file path) and one refreshed in the
 * Excel emulator (the Office.js path): cell values, formulas, number formats and direct formatting,
 * conditional formats, defined names, column widths and hidden columns.
 *
 * Differences that are the hosts', not the adapters', are normalised away and listed here:
 * - a formula cell's value: the file path stores the plan's cached result, Excel (and the emulator) computes
 *   it, so formula cells are compared by formula only;
 * - conditional-format priorities: the file path writes the plan's workbook-wide numbers, Office.js a
 *   0-based position in the sheet's list; both become the rule's rank on its sheet;
 * - column widths: characters in a file, points in Office.js; widths are compared in points (charsToPoints);
 * - defined names: references are compared as parsed rectangles; comments exist only in Office.js;
 * - vertical alignment: ExcelJS's 'top' and Office.js's 'Top' (undefined and 'Bottom' are both the default);
 * - font name/size and outline levels are not compared (the emulator has none of them);
 * - charts are not compared: ExcelJS cannot write one (the summary's in-cell bars stand in for it in a file);
 * - page setup: ExcelJS's printArea / printTitlesColumn / fitToPage with fitToWidth × fitToHeight, and Office.js's
 *   setPrintArea / setPrintTitleColumns / zoom {horizontalFitToPages, verticalFitToPages}, compared as one shape;
 * - the number format of an empty cell in the add-in's own areas (its blocks, its summary sheet): Office.js gives a
 *   column of a block its format in one piece, over the empty cells between its figures too, where a file has no
 *   cell to carry one. An empty cell anywhere else is compared with its format: the user's cells must keep theirs.
 */
import * as ExcelJS from 'exceljs';
import { absoluteReference, ownBlocks, parseCellAddress, parseReference, SheetRect, SUMMARY_SHEET } from '../../src/engine';
import { charsToPoints } from '../../src/excel/apply';
import { emulatedValue } from './emulator-from-exceljs';
import { columnLetters, EmulatedCellValue, WorkbookDump } from './excel-emulator';
import { laidOutColumns, rulesOf } from './workbook-dump';

/** One cell as compared. */
export interface ComparableCell {
  readonly value: EmulatedCellValue;
  readonly formula: string | null;
  readonly numberFormat: string;
  readonly bold: boolean;
  readonly italic: boolean;
  readonly wrap: boolean;
  /** Lower case; null for the default (bottom). */
  readonly vertical: string | null;
  readonly fill: string | null;
  readonly fontColor: string | null;
}

/** One conditional format as compared, in rank order. */
export interface ComparableRule {
  readonly range: string;
  readonly formula: string;
  readonly fill: string | null;
  readonly fontColor: string | null;
  readonly stopIfTrue: boolean;
}

/** The print settings a refresh may set, as compared: fit is "pages wide × pages tall" (0 = as many as needed). */
export interface ComparablePage {
  readonly printArea: string | null;
  readonly printTitleColumns: string | null;
  readonly fit: string | null;
}

/** A workbook as compared. */
export interface ComparableWorkbook {
  readonly sheets: ReadonlyArray<{
    readonly name: string;
    readonly cells: Readonly<Record<string, ComparableCell>>;
    readonly rules: readonly ComparableRule[];
    readonly columnWidths: Readonly<Record<string, number>>;
    readonly hiddenColumns: readonly string[];
    readonly page: ComparablePage;
  }>;
  readonly names: ReadonlyArray<{ readonly name: string; readonly reference: string }>;
}

function isBlank(c: ComparableCell, formatFree = false): boolean {
  return c.value === null && c.formula === null && (formatFree || c.numberFormat === 'General') && !c.bold && !c.italic && !c.wrap && c.vertical === null && c.fill === null && c.fontColor === null;
}

/** Whether an empty cell's format is the add-in's to set (see the list above): it lies in a block or on the summary sheet. */
function formatFreeIn(sheet: string, blocks: readonly SheetRect[]): (address: string) => boolean {
  if (sheet === SUMMARY_SHEET) return () => true;
  const mine = blocks.filter((b) => b.sheet === sheet);
  return (address) => {
    const { row, col } = parseCellAddress(address);
    return mine.some((b) => row >= b.top && row <= b.bottom && col >= b.left && col <= b.right);
  };
}

function normalisedCell(c: ComparableCell): ComparableCell {
  // An empty string written to a cell leaves it empty in Excel.
  const value = c.formula !== null || c.value === '' ? null : c.value;
  return { ...c, value };
}

function vertical(alignment: string | undefined): string | null {
  const v = alignment?.toLowerCase();
  return v === undefined || v === 'bottom' ? null : v;
}

function argbColour(argb: unknown): string | null {
  return typeof argb === 'string' && /^[0-9A-Fa-f]{8}$/.test(argb) ? `#${argb.slice(2).toUpperCase()}` : null;
}

function reference(ref: string): string {
  // A name holding an array constant: Office.js shows it as a formula ("={…}"), a file holds the constant alone.
  if (ref.startsWith('={')) return ref.slice(1);
  const rect = parseReference(ref);
  return rect === undefined ? ref : absoluteReference(rect);
}

/** The comparable shape of an ExcelJS workbook. */
export function comparableFromExcelJs(wb: ExcelJS.Workbook): ComparableWorkbook {
  const model = wb.definedNames.model as Array<{ name: string; ranges: string[] }>;
  const blocks = ownBlocks({ sheets: [], names: model.map((n) => ({ name: n.name, reference: n.ranges.join(',') })) });
  const sheets = wb.worksheets.map((ws) => {
    const cells: Record<string, ComparableCell> = {};
    const formatFree = formatFreeIn(ws.name, blocks);
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.type === ExcelJS.ValueType.Merge) return;
        const formula = cell.type === ExcelJS.ValueType.Formula ? `=${(cell.formula ?? '').replace(/^=/, '')}` : null;
        const fill = cell.fill?.type === 'pattern' && cell.fill.pattern === 'solid' ? argbColour(cell.fill.fgColor?.argb) : null;
        const fontColor = argbColour(cell.font?.color?.argb);
        const c = normalisedCell({
          value: formula === null ? emulatedValue(cell.value) : null, formula, numberFormat: cell.numFmt || 'General',
          bold: cell.font?.bold === true, italic: cell.font?.italic === true, wrap: cell.alignment?.wrapText === true,
          vertical: vertical(cell.alignment?.vertical), fill, fontColor: fontColor === '#000000' ? null : fontColor,
        });
        if (!isBlank(c, formatFree(cell.address))) cells[cell.address] = c;
      });
    });
    const rules = rulesOf(ws)
      .flatMap((cf) => cf.rules.map((r) => ({ cf, r: r as ExcelJS.ConditionalFormattingRule & { formulae?: string[]; priority?: number; stopIfTrue?: boolean; style?: Partial<ExcelJS.Style> } })))
      .map(({ cf, r }, order) => ({ order, priority: r.priority ?? 0, rule: {
        range: cf.ref,
        formula: `=${(r.formulae?.[0] ?? '').replace(/^=/, '')}`,
        fill: r.style?.fill?.type === 'pattern' ? argbColour(r.style.fill.bgColor?.argb) : null,
        fontColor: argbColour(r.style?.font?.color?.argb),
        stopIfTrue: r.stopIfTrue === true,
      } }))
      .sort((a, b) => a.priority - b.priority || a.order - b.order)
      .map((x) => x.rule);
    const columnWidths: Record<string, number> = {};
    const hiddenColumns: string[] = [];
    for (const { index: c, column: col } of laidOutColumns(ws)) {
      if (col.width !== undefined) columnWidths[columnLetters(c - 1)] = charsToPoints(col.width);
      if (col.hidden) hiddenColumns.push(columnLetters(c - 1));
    }
    const p = ws.pageSetup;
    const page: ComparablePage = {
      printArea: p.printArea ?? null,
      printTitleColumns: p.printTitlesColumn ?? null,
      fit: p.fitToPage === true ? `${p.fitToWidth ?? 1}x${p.fitToHeight ?? 1}` : null,
    };
    return { name: ws.name, cells, rules, columnWidths, hiddenColumns, page };
  });
  const names = model.map((n) => ({ name: n.name, reference: reference(n.ranges.join(',')) })).sort((a, b) => a.name.localeCompare(b.name));
  return { sheets, names };
}

/** The comparable shape of an emulator dump. */
export function comparableFromEmulator(dump: WorkbookDump): ComparableWorkbook {
  const blocks = ownBlocks({ sheets: [], names: dump.names.map((n) => ({ name: n.name, reference: n.reference.replace(/^=/, '') })) });
  const sheets = dump.sheets.map((s) => {
    const cells: Record<string, ComparableCell> = {};
    const formatFree = formatFreeIn(s.name, blocks);
    for (const [address, cell] of Object.entries(s.cells)) {
      const c = normalisedCell({
        value: cell.value, formula: cell.formula, numberFormat: cell.numberFormat, bold: cell.bold, italic: cell.italic === true,
        wrap: cell.wrapText === true, vertical: vertical(cell.verticalAlignment), fill: cell.fill, fontColor: cell.fontColor,
      });
      if (!isBlank(c, formatFree(address))) cells[address] = c;
    }
    const rules = s.conditionalFormats.map((cf) => ({ range: cf.range, formula: cf.formula ?? '', fill: cf.fill, fontColor: cf.fontColor, stopIfTrue: cf.stopIfTrue }));
    const zoom = s.pageLayout?.zoom;
    const page: ComparablePage = {
      printArea: s.pageLayout?.printArea ?? null,
      printTitleColumns: s.pageLayout?.printTitleColumns ?? null,
      fit: zoom !== undefined && zoom.scale === undefined ? `${zoom.horizontalFitToPages ?? 0}x${zoom.verticalFitToPages ?? 0}` : null,
    };
    return { name: s.name, cells, rules, columnWidths: { ...s.columnWidths }, hiddenColumns: [...s.hiddenColumns], page };
  });
  const names = dump.names.map((n) => ({ name: n.name, reference: reference(n.reference) })).sort((a, b) => a.name.localeCompare(b.name));
  return { sheets, names };
}
