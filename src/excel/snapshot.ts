/**
 * Reads the open workbook into the engine's snapshot in two round trips, whatever the number of sheets and
 * rows: the first learns the sheets, the defined names, the stored options; the second loads every sheet's
 * used cells in one batch. Only loads are queued here; what they mean is worked out after the syncs.
 */
import { CellSnapshot, DefinedNameSnapshot, displayText, ownBlocks, RawValue, SheetRect, SheetSnapshot, WorkbookSnapshot } from '../engine';
import { ScorecardOptions } from './contract';
import { canSet, isExcelApiSupported, SyncCounter } from './host';
import { optionsFrom, queueOptionsLoad } from './settings';

/** Rows and columns of a worksheet. */
export const SHEET_ROWS = 1_048_576;
export const SHEET_COLUMNS = 16_384;

/** Everything a refresh learns from its reads. */
export interface WorkbookRead {
  readonly snapshot: WorkbookSnapshot;
  /** Names of the sheets whose protection is on. */
  readonly protectedSheets: ReadonlySet<string>;
  /** The options stored in the workbook (defaults when none). */
  readonly options: ScorecardOptions;
  /** `context.runtime.enableEvents` as found, or null when the host cannot switch events off (before ExcelApi 1.8). */
  readonly enableEvents: boolean | null;
}

// No `valueTypes` or `text`: each would add a fifth or more to the response, and both follow from these
// (an error value is recognised by its code; the shown text is rendered from value and number format).
const CELL_PROPERTIES = 'rowIndex,columnIndex,rowCount,columnCount,values,formulas,numberFormat';

/** The error values Excel shows, as `values` returns them. */
const ERROR_CODES = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!', '#FIELD!', '#BLOCKED!', '#CONNECT!', '#BUSY!', '#UNKNOWN!', '#EXTERNAL!']);

/**
 * The parts of a sheet to load: the whole grid less the blocks an earlier refresh wrote there. The engine
 * sets those blocks aside anyway, and their formulas are by far the largest thing on a refreshed sheet; not
 * loading them keeps the response of a re-refresh as small as the first one.
 */
export function areasToRead(blocks: readonly SheetRect[]): SheetRect[] {
  if (blocks.length === 0) return [];
  const sheet = blocks[0]?.sheet ?? '';
  const edges = [...new Set([0, SHEET_COLUMNS, ...blocks.flatMap((b) => [b.left, b.right + 1])])].sort((a, b) => a - b);
  const out: SheetRect[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const left = edges[i] as number;
    const right = (edges[i + 1] as number) - 1;
    const covering = blocks.filter((b) => b.left <= left && b.right >= right).sort((a, b) => a.top - b.top);
    let top = 0;
    for (const b of covering) {
      if (b.top > top) out.push({ sheet, top, left, bottom: b.top - 1, right });
      top = Math.max(top, b.bottom + 1);
    }
    if (top < SHEET_ROWS) out.push({ sheet, top, left, bottom: SHEET_ROWS - 1, right });
  }
  return out;
}

function isFormula(formula: unknown, value: unknown): formula is string {
  // A text cell that reads "=x" (typed with an apostrophe) reports the same string as value and formula.
  return typeof formula === 'string' && formula.startsWith('=') && formula !== value;
}

/** Builds the snapshot of one cell from what Excel returned; undefined for an empty cell. */
export function cellFrom(value: unknown, formula: unknown, numberFormat: unknown): CellSnapshot | undefined {
  const hasFormula = isFormula(formula, value);
  if (!hasFormula && (value === '' || value === null || value === undefined)) return undefined;
  const format = typeof numberFormat === 'string' && numberFormat !== '' ? numberFormat : 'General';
  let raw: RawValue;
  if (typeof value === 'string' && ERROR_CODES.has(value)) raw = { error: value };
  else if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') raw = value;
  else raw = null;
  return { value: raw, ...(hasFormula ? { formula: formula.slice(1) } : {}), numberFormat: format, text: displayText(raw, format) };
}

interface SheetLoad {
  readonly name: string;
  readonly protection: Excel.WorksheetProtection;
  /** The used range (values only), for the sheet's extent. */
  readonly used: Excel.Range;
  /** The ranges whose cells are loaded. */
  readonly parts: readonly Excel.Range[];
}

function queueSheetLoad(sheet: Excel.Worksheet, blocks: readonly SheetRect[]): SheetLoad {
  const protection = sheet.protection.load('protected');
  const used = sheet.getUsedRangeOrNullObject(true);
  if (blocks.length === 0) {
    used.load(CELL_PROPERTIES);
    return { name: sheet.name, protection, used, parts: [used] };
  }
  used.load('rowIndex,columnIndex,rowCount,columnCount');
  const parts = areasToRead(blocks).map((a) =>
    sheet.getRangeByIndexes(a.top, a.left, a.bottom - a.top + 1, a.right - a.left + 1).getUsedRangeOrNullObject(true).load(CELL_PROPERTIES));
  return { name: sheet.name, protection, used, parts };
}

function sheetFrom(load: SheetLoad): SheetSnapshot {
  if (load.used.isNullObject) return { name: load.name, rows: [] };
  const height = load.used.rowIndex + load.used.rowCount;
  const width = load.used.columnIndex + load.used.columnCount;
  const rows: Array<Array<CellSnapshot | undefined>> = [];
  for (let r = 0; r < height; r++) rows.push(new Array<CellSnapshot | undefined>(width).fill(undefined));
  for (const part of load.parts) {
    if (part.isNullObject) continue;
    const { rowIndex, columnIndex, values, formulas, numberFormat } = part;
    values.forEach((line, i) => {
      const target = rows[rowIndex + i];
      if (target === undefined) return;
      line.forEach((value: unknown, j: number) => {
        const cell = cellFrom(value, formulas[i]?.[j], numberFormat[i]?.[j]);
        if (cell !== undefined) target[columnIndex + j] = cell;
      });
    });
  }
  return { name: load.name, rows };
}

/**
 * Reads the workbook in two syncs: sheets, names, options (and the events switch); then every sheet's
 * protection and used cells. Cells of the blocks an earlier refresh wrote are left out (see {@link areasToRead}).
 */
export async function readWorkbook(context: Excel.RequestContext, counter: SyncCounter): Promise<WorkbookRead> {
  const workbook = context.workbook;
  const sheets = workbook.worksheets.load('items/name');
  const names = workbook.names.load('items/name,items/formula');
  const setting = queueOptionsLoad(context);
  const runtime = context.runtime;
  const eventsSwitch = isExcelApiSupported('1.8', () => canSet(runtime, 'enableEvents'));
  if (eventsSwitch) runtime.load('enableEvents');
  await counter.sync();

  const defined: DefinedNameSnapshot[] = names.items.flatMap((n) => {
    const formula: unknown = n.formula;
    return typeof formula === 'string' && formula.startsWith('=') ? [{ name: n.name, reference: formula.slice(1) }] : [];
  });
  const blocks = ownBlocks({ sheets: [], names: defined });
  const loads = sheets.items.map((sheet) => queueSheetLoad(sheet, blocks.filter((b) => b.sheet === sheet.name)));
  await counter.sync();

  return {
    snapshot: { sheets: loads.map(sheetFrom), names: defined },
    protectedSheets: new Set(loads.filter((l) => l.protection.protected).map((l) => l.name)),
    options: optionsFrom(setting),
    enableEvents: eventsSwitch ? runtime.enableEvents : null,
  };
}
