/**
 * Reads the open workbook into the engine's snapshot in two round trips, whatever the number of sheets and
 * rows: the first learns the sheets, the defined names, the stored options, the protections and how far each
 * sheet's used range reaches; the second loads the used cells of every sheet small enough to read, in one batch.
 * Only loads are queued here; what they mean is worked out after the syncs.
 */
import { CellSnapshot, cellAddress, DefinedNameSnapshot, displayText, ownBlocks, PlanNotice, RawValue, SheetRect, SheetSnapshot, WorkbookSnapshot } from '../engine';
import { ScorecardOptions } from './contract';
import { SyncCounter } from './host';
import { isExcelApiSupported } from './requirements';
import { optionsFrom, queueOptionsLoad } from './settings';

/** Rows and columns of a worksheet. */
export const SHEET_ROWS = 1_048_576;
export const SHEET_COLUMNS = 16_384;

/**
 * The most cells a sheet's used range may cover for the sheet to be read. A stray value far below or right of
 * the data (Z200000) makes the used range millions of cells, almost all empty; such a sheet is skipped with a
 * notice rather than loaded.
 */
export const SHEET_CELL_BUDGET = 2_000_000;

/**
 * Sheets whose extent and protection the first sync measures, walking them with `getFirst` and
 * `getNextOrNullObject` (the sheet list itself only arrives with that sync). A workbook with more sheets
 * measures the rest in the second sync and reads their cells in a third.
 */
export const MEASURED_SHEETS = 40;

/** Everything a refresh learns from its reads. */
export interface WorkbookRead {
  readonly snapshot: WorkbookSnapshot;
  /** Names of the sheets whose protection is on. */
  readonly protectedSheets: ReadonlySet<string>;
  /** The options stored in the workbook (defaults when none). */
  readonly options: ScorecardOptions;
  /** `context.runtime.enableEvents` as found, or null when the host cannot switch events off (before ExcelApi 1.8). */
  readonly enableEvents: boolean | null;
  /** Whether the workbook's structure is protected: no sheet can be added, deleted, hidden or shown. */
  readonly structureProtected: boolean;
  /**
   * The workbook's calculation mode: in "Manual" (and "AutomaticExceptTables") the writes are followed by a
   * recalculation, or the new formulas and those that depend on tidied cells would show stale results.
   */
  readonly calculationMode: string;
  /** Sheets that were not read (used range past {@link SHEET_CELL_BUDGET}), for the summary's notices. */
  readonly notices: readonly PlanNotice[];
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

/** Where a sheet's used cells are: 0-based first row and column, and counts. */
export interface SheetExtent {
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly rowCount: number;
  readonly columnCount: number;
}

/** A sheet's extent (null when it has no values) and protection, as loaded. */
interface Measure {
  readonly sheet: Excel.Worksheet;
  readonly used: Excel.Range;
  readonly protection: Excel.WorksheetProtection;
}

function queueMeasure(sheet: Excel.Worksheet): Measure {
  return {
    sheet,
    used: sheet.getUsedRangeOrNullObject(true).load('rowIndex,columnIndex,rowCount,columnCount'),
    protection: sheet.protection.load('protected'),
  };
}

function extentOf(measure: Measure): SheetExtent | null {
  const u = measure.used;
  return u.isNullObject ? null : { rowIndex: u.rowIndex, columnIndex: u.columnIndex, rowCount: u.rowCount, columnCount: u.columnCount };
}

/** What is known of one sheet after it was measured, and the ranges queued to read its cells. */
interface SheetLoad {
  readonly name: string;
  readonly protected: boolean;
  readonly extent: SheetExtent | null;
  /** Set when the sheet is too large to read. */
  readonly notice?: PlanNotice;
  /** The ranges whose cells are loaded. */
  readonly parts: readonly Excel.Range[];
}

/** The notice for a sheet whose used range is past {@link SHEET_CELL_BUDGET}. */
export function tooLargeNotice(sheet: string, extent: SheetExtent): PlanNotice {
  const first = cellAddress(extent.rowIndex, extent.columnIndex);
  const last = cellAddress(extent.rowIndex + extent.rowCount - 1, extent.columnIndex + extent.columnCount - 1);
  const cells = (extent.rowCount * extent.columnCount).toLocaleString('en-GB');
  return {
    sheet,
    cell: last,
    message: `Sheet "${sheet}" was not read: its used range ${first}:${last} covers ${cells} cells, more than Scorecard Refresh reads from one sheet (${SHEET_CELL_BUDGET.toLocaleString('en-GB')}). A stray value far from the data (at ${last}, or wherever Ctrl+End goes) usually causes this: clear it and refresh again. Scorecards on this sheet were not refreshed.`,
  };
}

/** Queues the loads of a measured sheet's cells (none when it is empty or too large). */
function queueSheetLoad(sheet: Excel.Worksheet, name: string, measure: Measure, blocks: readonly SheetRect[]): SheetLoad {
  const extent = extentOf(measure);
  const isProtected = measure.protection.protected;
  if (extent === null) return { name, protected: isProtected, extent, parts: [] };
  if (extent.rowCount * extent.columnCount > SHEET_CELL_BUDGET) return { name, protected: isProtected, extent: null, notice: tooLargeNotice(name, extent), parts: [] };
  if (blocks.length === 0) {
    const all = sheet.getRangeByIndexes(extent.rowIndex, extent.columnIndex, extent.rowCount, extent.columnCount).load(CELL_PROPERTIES);
    return { name, protected: isProtected, extent, parts: [all] };
  }
  const parts = areasToRead(blocks).map((a) =>
    sheet.getRangeByIndexes(a.top, a.left, a.bottom - a.top + 1, a.right - a.left + 1).getUsedRangeOrNullObject(true).load(CELL_PROPERTIES));
  return { name, protected: isProtected, extent, parts };
}

function sheetFrom(load: SheetLoad): SheetSnapshot {
  if (load.extent === null) return { name: load.name, rows: [] };
  const height = load.extent.rowIndex + load.extent.rowCount;
  const width = load.extent.columnIndex + load.extent.columnCount;
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
        if (cell !== undefined && columnIndex + j < width) target[columnIndex + j] = cell;
      });
    });
  }
  return { name: load.name, rows };
}

/**
 * Reads the workbook in two syncs: sheets, names, options, the events switch, the workbook's protection and
 * each sheet's extent and protection; then every readable sheet's used cells. Cells of the blocks an earlier
 * refresh wrote are left out (see {@link areasToRead}); a sheet whose used range is past
 * {@link SHEET_CELL_BUDGET} is left out with a notice. A workbook of more than {@link MEASURED_SHEETS} sheets
 * takes a third sync.
 */
export async function readWorkbook(context: Excel.RequestContext, counter: SyncCounter): Promise<WorkbookRead> {
  const workbook = context.workbook;
  const sheets = workbook.worksheets.load('items/name');
  const names = workbook.names.load('items/name,items/formula');
  const setting = queueOptionsLoad(context);
  const structure = workbook.protection.load('protected');
  const application = workbook.application.load('calculationMode');
  const runtime = context.runtime;
  const eventsSwitch = isExcelApiSupported('1.8');
  if (eventsSwitch) runtime.load('enableEvents');
  const probes: Measure[] = [];
  for (let sheet = workbook.worksheets.getFirst(); ; sheet = sheet.getNextOrNullObject()) {
    probes.push(queueMeasure(sheet.load('name')));
    if (probes.length === MEASURED_SHEETS) break;
  }
  await counter.sync();

  const defined: DefinedNameSnapshot[] = names.items.flatMap((n) => {
    const formula: unknown = n.formula;
    return typeof formula === 'string' && formula.startsWith('=') ? [{ name: n.name, reference: formula.slice(1) }] : [];
  });
  const blocks = ownBlocks({ sheets: [], names: defined });
  const blocksOn = (name: string): SheetRect[] => blocks.filter((b) => b.sheet === name);
  const measured = new Map(probes.filter((p) => !p.sheet.isNullObject).map((p) => [p.sheet.name, p]));
  const loads = new Map<string, SheetLoad>();
  for (const sheet of sheets.items) {
    const measure = measured.get(sheet.name);
    if (measure !== undefined) loads.set(sheet.name, queueSheetLoad(sheet, sheet.name, measure, blocksOn(sheet.name)));
  }
  const unmeasured = sheets.items.filter((s) => !measured.has(s.name)).map((sheet) => ({ sheet, measure: queueMeasure(sheet) }));
  await counter.sync();

  if (unmeasured.length > 0) {
    for (const { sheet, measure } of unmeasured) loads.set(sheet.name, queueSheetLoad(sheet, sheet.name, measure, blocksOn(sheet.name)));
    await counter.sync();
  }

  const ordered = sheets.items.flatMap((s) => loads.get(s.name) ?? []);
  return {
    snapshot: { sheets: ordered.map(sheetFrom), names: defined },
    protectedSheets: new Set(ordered.filter((l) => l.protected).map((l) => l.name)),
    options: optionsFrom(setting),
    enableEvents: eventsSwitch ? runtime.enableEvents : null,
    structureProtected: structure.protected,
    calculationMode: String(application.calculationMode),
    notices: ordered.flatMap((l) => (l.notice !== undefined ? [l.notice] : [])),
  };
}
