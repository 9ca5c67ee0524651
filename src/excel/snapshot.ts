/**
 * Reads the open workbook into the engine's snapshot, budgeting each response by bytes. The first round trip learns
 * the sheets, the defined names, the stored options, the protections and how far each sheet's used range reaches, and
 * reads the active sheet's first rows: a scorecard that fits there is read in that one round trip. The next loads the
 * cells, small sheets packed together and large ones by their first rows, each response under Excel on the web's 5 MB;
 * a large sheet whose first rows hold a table is then read in row bands. A workbook of small sheets is read in two
 * round trips at most. Only loads are queued here; what they mean is worked out after the syncs.
 */
import {
  CellSnapshot, cellAddress, DefinedNameSnapshot, detectTables, displayText, LEDGER_SHEET, ownBlocks, PlanNotice, RawValue, SHEET_ROWS, SheetRect, SheetSnapshot,
  WorkbookSnapshot,
} from '../engine';
import { ScorecardOptions } from './contract';
import { officeErrorCode, packSteps, SyncCounter, utf8Length } from './host';
import { isExcelApiSupported } from './requirements';
import { optionsFrom, queueOptionsLoad } from './settings';

/** Rows and columns of a worksheet. */
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
 * measures the rest in the second sync and reads their cells in a third. Finance workbooks run to a hundred sheets;
 * each probe of a sheet that is not there costs some 300 request bytes (office.js sends each path once, the chain
 * growing by one link a probe), so measuring 128 adds about 40 KB to the first request of a one-sheet workbook.
 */
export const MEASURED_SHEETS = 128;

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
  readonly used: Excel.Range;
  readonly protection: Excel.WorksheetProtection;
}

function queueMeasure(sheet: Excel.Worksheet): Measure {
  return {
    used: sheet.getUsedRangeOrNullObject(true).load('rowIndex,columnIndex,rowCount,columnCount'),
    protection: sheet.protection.load('protected'),
  };
}

function extentOf(measure: Measure): SheetExtent | null {
  const u = measure.used;
  return u.isNullObject ? null : { rowIndex: u.rowIndex, columnIndex: u.columnIndex, rowCount: u.rowCount, columnCount: u.columnCount };
}

/** Cells of one loaded range, as Excel returned them. */
interface LoadedPart {
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly values: readonly (readonly unknown[])[];
  readonly formulas: readonly (readonly unknown[])[];
  readonly numberFormat: readonly (readonly unknown[])[];
}

/** What is known of one sheet after it was measured, and the cells read so far. */
interface SheetLoad {
  readonly sheet: Excel.Worksheet;
  readonly name: string;
  readonly protected: boolean;
  readonly extent: SheetExtent | null;
  /** Set when the sheet is too large to read. */
  readonly notice?: PlanNotice;
  /** The areas holding the sheet's own cells: its used range less the blocks an earlier refresh wrote. */
  readonly areas: readonly SheetRect[];
  /** Cells read so far. */
  readonly parts: LoadedPart[];
  /** Merged areas ("B2:D2"), when the host can tell (ExcelApi 1.13); undefined otherwise. */
  merges?: readonly string[];
  /** Whether the sheet's head was read with the first round trip (the active sheet's, see {@link HEAD_COLUMNS}). */
  readonly headRead?: boolean;
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

/** The part of `rect` inside rows `top`..`bottom`, or undefined when none is. */
function rowsOf(rect: SheetRect, top: number, bottom: number): SheetRect | undefined {
  const t = Math.max(rect.top, top);
  const b = Math.min(rect.bottom, bottom);
  return t > b ? undefined : { ...rect, top: t, bottom: b };
}

/** Works out what of a measured sheet is to be read (nothing when it is empty or too large). */
function sheetLoadOf(sheet: Excel.Worksheet, name: string, measure: Measure, blocks: readonly SheetRect[]): SheetLoad {
  const extent = extentOf(measure);
  const base = { sheet, name, protected: measure.protection.protected, parts: [] };
  if (extent === null) return { ...base, extent, areas: [] };
  if (extent.rowCount * extent.columnCount > SHEET_CELL_BUDGET) return { ...base, extent: null, notice: tooLargeNotice(name, extent), areas: [] };
  const used: SheetRect = {
    sheet: name, top: extent.rowIndex, left: extent.columnIndex,
    bottom: extent.rowIndex + extent.rowCount - 1, right: extent.columnIndex + extent.columnCount - 1,
  };
  if (blocks.length === 0) return { ...base, extent, areas: [used] };
  const areas = areasToRead(blocks).flatMap((a) => {
    const inside = rowsOf(a, used.top, used.bottom);
    if (inside === undefined) return [];
    const left = Math.max(inside.left, used.left);
    const right = Math.min(inside.right, used.right);
    return left > right ? [] : [{ ...inside, left, right }];
  });
  return { ...base, extent, areas };
}

function cellsIn(rect: SheetRect): number {
  return (rect.bottom - rect.top + 1) * (rect.right - rect.left + 1);
}

// ----- reading by bytes ------------------------------------------------------------------------

/**
 * What one read response is planned to carry. Excel on the web refuses a response over 5 MB
 * (ResponsePayloadSizeLimitExceeded); the rest is room for what an estimate misses.
 */
export const READ_BUDGET_BYTES = 4_500_000;

/**
 * Bytes a cell is taken to cost in a response before any of its sheet has been read: its value, its formula and
 * its number format as JSON ("1234.5", "1234.5", "General" and the separators come to about 30).
 */
export const ESTIMATED_CELL_BYTES = 32;

/**
 * Rows read first from a sheet too large to share a response with others: room for a title, a header over several
 * rows and enough data for the table to be recognised. The rest of the sheet is read only when a table is found there.
 */
export const HEAD_ROWS = 60;

/**
 * Columns of the active sheet's first {@link HEAD_ROWS} rows read with the first round trip, before any extent is
 * known: the sheet the user refreshes from is the likeliest to hold the scorecard. A small one is then read whole in
 * that round trip; a large one goes on to its rest without a round trip for its head.
 */
export const HEAD_COLUMNS = 64;

/** The active sheet's first rows and columns, as read with the first round trip. */
const ACTIVE_HEAD: Omit<SheetRect, 'sheet'> = { top: 0, left: 0, bottom: HEAD_ROWS - 1, right: HEAD_COLUMNS - 1 };

/** `rect` less the active sheet's head: what is right of it in its rows, and everything below it. */
export function outsideHead(rect: SheetRect): SheetRect[] {
  const head = ACTIVE_HEAD;
  const out: SheetRect[] = [];
  if (rect.top <= head.bottom && rect.right > head.right) out.push({ ...rect, bottom: Math.min(rect.bottom, head.bottom), left: Math.max(rect.left, head.right + 1) });
  const below = rowsOf(rect, head.bottom + 1, rect.bottom);
  if (below !== undefined) out.push(below);
  return out;
}

/** The cells of `part` inside `rect`, as a part of their own; undefined when none is. */
function partWithin(part: LoadedPart, rect: SheetRect): LoadedPart | undefined {
  const rows = part.values.length;
  const cols = part.values[0]?.length ?? 0;
  const top = Math.max(rect.top, part.rowIndex);
  const bottom = Math.min(rect.bottom, part.rowIndex + rows - 1);
  const left = Math.max(rect.left, part.columnIndex);
  const right = Math.min(rect.right, part.columnIndex + cols - 1);
  if (top > bottom || left > right) return undefined;
  const cut = (grid: readonly (readonly unknown[])[]): unknown[][] =>
    grid.slice(top - part.rowIndex, bottom - part.rowIndex + 1).map((line) => line.slice(left - part.columnIndex, right - part.columnIndex + 1));
  return { rowIndex: top, columnIndex: left, values: cut(part.values), formulas: cut(part.formulas), numberFormat: cut(part.numberFormat) };
}

/** A range of one sheet to load, and the bytes its response is expected to take. */
type ReadPiece =
  | { readonly kind: 'cells'; readonly load: SheetLoad; readonly rect: SheetRect; readonly bytes: number }
  | { readonly kind: 'merges'; readonly load: SheetLoad; readonly bytes: number };

/** Bytes a sheet's merged areas are expected to take in a response. */
const MERGES_BYTES = 4_096;

/** Splits `areas` into row bands whose responses should each fit the budget, at `cellBytes` a cell. */
function bandsOf(load: SheetLoad, areas: readonly SheetRect[], cellBytes: number): ReadPiece[] {
  return areas.flatMap((area) => {
    const width = area.right - area.left + 1;
    const rowsPerBand = Math.max(1, Math.floor(READ_BUDGET_BYTES / (width * cellBytes)));
    const pieces: ReadPiece[] = [];
    for (let top = area.top; top <= area.bottom; top += rowsPerBand) {
      const rect = { ...area, top, bottom: Math.min(area.bottom, top + rowsPerBand - 1) };
      pieces.push({ kind: 'cells', load, rect, bytes: cellsIn(rect) * cellBytes });
    }
    return pieces;
  });
}

/** A batch of pieces split in two, for another try after Excel refused its response as too large; undefined when it cannot be split. */
function splitBatch(batch: readonly ReadPiece[]): ReadPiece[][] | undefined {
  if (batch.length > 1) {
    const half = Math.ceil(batch.length / 2);
    return [batch.slice(0, half), batch.slice(half)];
  }
  const only = batch[0];
  if (only === undefined || only.kind !== 'cells' || only.rect.top === only.rect.bottom) return undefined;
  const middle = only.rect.top + Math.floor((only.rect.bottom - only.rect.top) / 2);
  return [
    [{ ...only, rect: { ...only.rect, bottom: middle }, bytes: only.bytes / 2 }],
    [{ ...only, rect: { ...only.rect, top: middle + 1 }, bytes: only.bytes / 2 }],
  ];
}

/** The A1 ranges of a merged-areas address ("Sheet1!A1:B2, Sheet1!D4:F4" gives "A1:B2" and "D4:F4"). */
export function mergedRanges(address: string): string[] {
  // Each area ends its sheet-qualified reference: "…!$A$1:$B$2" before a comma or the end.
  const AREA = /!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?\s*(?=,|$)/g;
  return [...address.matchAll(AREA)].flatMap((m) => (m[3] !== undefined && m[4] !== undefined ? [`${m[1]}${m[2]}:${m[3]}${m[4]}`] : []));
}

/**
 * Loads the pieces, packed into as few responses as {@link READ_BUDGET_BYTES} allows, in order. A response Excel
 * refuses as too large changes nothing: its pieces are split and asked for again.
 */
async function readPieces(counter: SyncCounter, pieces: readonly ReadPiece[]): Promise<void> {
  const queue = packSteps(pieces, READ_BUDGET_BYTES);
  for (let batch = queue.shift(); batch !== undefined; batch = queue.shift()) {
    const loads = batch.map((piece) => {
      if (piece.kind === 'merges') {
        // Only areas whose top-left cell lies in the range are returned: ask over the whole sheet.
        return piece.load.sheet.getRange().getMergedAreasOrNullObject().load('address');
      }
      const { top, left, bottom, right } = piece.rect;
      return piece.load.sheet.getRangeByIndexes(top, left, bottom - top + 1, right - left + 1).getUsedRangeOrNullObject(true).load(CELL_PROPERTIES);
    });
    try {
      await counter.sync();
    } catch (error) {
      const halves = officeErrorCode(error) === 'ResponsePayloadSizeLimitExceeded' ? splitBatch(batch) : undefined;
      if (halves === undefined) throw error;
      queue.unshift(...halves);
      continue;
    }
    batch.forEach((piece, i) => {
      const loaded = loads[i];
      if (loaded === undefined) return;
      if (piece.kind === 'merges') {
        const areas = loaded as Excel.RangeAreas;
        piece.load.merges = areas.isNullObject ? [] : mergedRanges(areas.address);
        return;
      }
      const range = loaded as Excel.Range;
      if (!range.isNullObject) {
        piece.load.parts.push({ rowIndex: range.rowIndex, columnIndex: range.columnIndex, values: range.values, formulas: range.formulas, numberFormat: range.numberFormat });
      }
    });
  }
}

/** Room left for rows that weigh more than the rows just read. */
const BAND_MARGIN = 1.25;

/**
 * Reads the rest of large sheets one response at a time, each filled to {@link READ_BUDGET_BYTES} with the next
 * rows of each sheet, sized by what that sheet's latest rows weighed (a title and headers weigh more than figures,
 * so the first band after the head is sized cautiously and the next by the figures themselves).
 */
async function readRest(counter: SyncCounter, rest: ReadonlyArray<{ readonly load: SheetLoad; readonly rect: SheetRect }>): Promise<void> {
  let pending = [...rest];
  while (pending.length > 0) {
    let room = READ_BUDGET_BYTES;
    const batch: ReadPiece[] = [];
    const next: typeof pending = [];
    for (const p of pending) {
      const latest = p.load.parts[p.load.parts.length - 1];
      const width = p.rect.right - p.rect.left + 1;
      // By the row: a used range comes back only as wide as the cells that hold something, narrower than the area.
      const rowBytes = Math.max(4 * width, Math.ceil(BAND_MARGIN * (latest === undefined ? width * ESTIMATED_CELL_BYTES : measuredRowBytes(latest))));
      const fit = Math.floor(room / rowBytes);
      // Each response carries at least one band, however heavy its rows.
      const rows = batch.length === 0 ? Math.max(1, fit) : fit;
      if (rows < 1) {
        next.push(p);
        continue;
      }
      const band = { ...p.rect, bottom: Math.min(p.rect.bottom, p.rect.top + rows - 1) };
      const bytes = (band.bottom - band.top + 1) * rowBytes;
      batch.push({ kind: 'cells', load: p.load, rect: band, bytes });
      room -= bytes;
      if (band.bottom < p.rect.bottom) next.push({ load: p.load, rect: { ...p.rect, top: band.bottom + 1 } });
    }
    await readPieces(counter, batch);
    pending = next;
  }
}

/** Bytes a row of a part read took, on average, as JSON (its values, formulas and number formats). */
function measuredRowBytes(part: LoadedPart): number {
  const bytes = utf8Length(JSON.stringify(part.values)) + utf8Length(JSON.stringify(part.formulas)) + utf8Length(JSON.stringify(part.numberFormat));
  return part.values.length === 0 ? 0 : bytes / part.values.length;
}

function sheetFrom(load: SheetLoad): SheetSnapshot {
  if (load.extent === null) return { name: load.name, rows: [] };
  const height = load.extent.rowIndex + load.extent.rowCount;
  const width = load.extent.columnIndex + load.extent.columnCount;
  const rows: Array<Array<CellSnapshot | undefined>> = [];
  for (let r = 0; r < height; r++) rows.push(new Array<CellSnapshot | undefined>(width).fill(undefined));
  for (const part of load.parts) {
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
  const merges = load.merges ?? apparentMerges(rows);
  return { name: load.name, rows, ...(merges.length > 0 ? { merges } : {}) };
}

/**
 * Where Excel cannot list merged areas (before ExcelApi 1.13): the headings that may be merged, as the values show
 * them. A merged heading reads as one text cell with nothing else in its row; it may reach as far right as the widest
 * row of the rows around it (up to a blank row), so it is taken to, and the engine writes no block across it.
 */
export function apparentMerges(rows: ReadonlyArray<ReadonlyArray<CellSnapshot | undefined>>): string[] {
  const filled = rows.map((row) => row.flatMap((cell, c) => (cell !== undefined ? [c] : [])));
  const out: string[] = [];
  let start = 0;
  for (let r = 0; r <= rows.length; r++) {
    if (r < rows.length && (filled[r]?.length ?? 0) > 0) continue;
    // Rows start..r-1 are a run without a blank row.
    // Not Math.max(...rows): a run of rows can hold more than a call takes arguments.
    let right = -1;
    for (let h = start; h < r; h++) right = Math.max(right, filled[h]?.[(filled[h]?.length ?? 0) - 1] ?? -1);
    for (let h = start; h < r; h++) {
      const cols = filled[h] ?? [];
      const only = cols[0];
      const cell = only === undefined ? undefined : rows[h]?.[only];
      if (cols.length !== 1 || only === undefined || only >= right || cell === undefined) continue;
      if (typeof cell.value === 'string' && cell.formula === undefined) out.push(`${cellAddress(h, only)}:${cellAddress(h, right)}`);
    }
    start = r + 1;
  }
  return out;
}

/** The active sheet's head and merged areas, as the first round trip loaded them. */
interface ActiveHead {
  readonly sheet: Excel.Worksheet;
  readonly head: Excel.Range;
  readonly merges: Excel.RangeAreas | undefined;
}

/**
 * The active sheet's load with its head read: the cells read in its areas kept, the areas left to read less the head.
 * The head stands in for the sheet's own first rows when the used range starts within its first half (rows and
 * columns); otherwise the sheet's first rows are read as any large sheet's are.
 */
function withActiveHead(load: SheetLoad, active: ActiveHead): SheetLoad {
  const head = active.head.isNullObject ? undefined : {
    rowIndex: active.head.rowIndex, columnIndex: active.head.columnIndex, values: active.head.values, formulas: active.head.formulas, numberFormat: active.head.numberFormat,
  };
  const parts = head === undefined ? [] : load.areas.flatMap((a) => partWithin(head, a) ?? []);
  const merges = active.merges === undefined ? load.merges : active.merges.isNullObject ? [] : mergedRanges(active.merges.address);
  const extent = load.extent;
  const headRead = extent !== null && extent.rowIndex <= HEAD_ROWS / 2 && extent.columnIndex < HEAD_COLUMNS / 2;
  return { ...load, parts: [...load.parts, ...parts], areas: load.areas.flatMap(outsideHead), merges, headRead };
}

/**
 * Reads the workbook, each response under Excel on the web's 5 MB limit:
 * 1. sheets, names, options, the events switch, calculation mode, the workbook's protection and each sheet's extent
 *    and protection (one sync; a workbook of more than {@link MEASURED_SHEETS} sheets measures the rest in a second),
 *    and with them the active sheet's first {@link HEAD_ROWS} rows of {@link HEAD_COLUMNS} columns and its merged
 *    areas: a scorecard that fits there is read in this one round trip (asked for again without them should Excel
 *    refuse the response as too large);
 * 2. the cells of every other sheet and the rest of the active one, packed into responses of about
 *    {@link READ_BUDGET_BYTES} (usually one): whole sheets where they are small, only the first {@link HEAD_ROWS} rows
 *    of a sheet too large to share a response, and the merged areas where the host lists them (ExcelApi 1.13);
 * 3. the rest of each large sheet whose first rows hold a table, in row bands sized by what those rows weighed.
 *    A large sheet without a table in its first rows is read no further.
 * The blocks an earlier refresh wrote are left out (see {@link areasToRead}), a sheet whose used range is past
 * {@link SHEET_CELL_BUDGET} with a notice. A response Excel still refuses as too large is asked for again in halves.
 */
export async function readWorkbook(context: Excel.RequestContext, counter: SyncCounter): Promise<WorkbookRead> {
  const workbook = context.workbook;
  const mergesListed = isExcelApiSupported('1.13');
  const eventsSwitch = isExcelApiSupported('1.8');
  const queueFirst = (withActive: boolean) => {
    const probes: Array<{ readonly sheet: Excel.Worksheet; readonly measure: Measure }> = [];
    for (let sheet = workbook.worksheets.getFirst(); ; sheet = sheet.getNextOrNullObject()) {
      probes.push({ sheet: sheet.load('name'), measure: queueMeasure(sheet) });
      if (probes.length === MEASURED_SHEETS) break;
    }
    const active = withActive ? workbook.worksheets.getActiveWorksheet().load('name') : undefined;
    if (eventsSwitch) context.runtime.load('enableEvents');
    return {
      sheets: workbook.worksheets.load('items/name'),
      names: workbook.names.load('items/name,items/formula'),
      setting: queueOptionsLoad(context),
      structure: workbook.protection.load('protected'),
      application: workbook.application.load('calculationMode'),
      probes,
      active: active === undefined ? undefined : {
        sheet: active,
        head: active.getRangeByIndexes(ACTIVE_HEAD.top, ACTIVE_HEAD.left, HEAD_ROWS, HEAD_COLUMNS).getUsedRangeOrNullObject(true).load(CELL_PROPERTIES),
        merges: mergesListed ? active.getRange().getMergedAreasOrNullObject().load('address') : undefined,
      },
    };
  };
  let first = queueFirst(true);
  try {
    await counter.sync();
  } catch (error) {
    // The active sheet's head can only be too large when its cells hold very long texts: measured without it.
    if (officeErrorCode(error) !== 'ResponsePayloadSizeLimitExceeded') throw error;
    first = queueFirst(false);
    await counter.sync();
  }
  const { sheets, names, setting, structure, application, probes, active } = first;
  const runtime = context.runtime;

  const defined: DefinedNameSnapshot[] = names.items.flatMap((n) => {
    const formula: unknown = n.formula;
    return typeof formula === 'string' && formula.startsWith('=') ? [{ name: n.name, reference: formula.slice(1) }] : [];
  });
  const blocks = ownBlocks({ sheets: [], names: defined });
  const blocksOn = (name: string): SheetRect[] => blocks.filter((b) => b.sheet === name);
  const measured = new Map(probes.filter((p) => !p.sheet.isNullObject).map((p) => [p.sheet.name, p.measure]));
  const unmeasured = sheets.items.filter((s) => !measured.has(s.name));
  if (unmeasured.length > 0) {
    for (const sheet of unmeasured) measured.set(sheet.name, queueMeasure(sheet));
    await counter.sync();
  }
  const loads = sheets.items.flatMap((sheet) => {
    const measure = measured.get(sheet.name);
    if (measure === undefined) return [];
    const load = sheetLoadOf(sheet, sheet.name, measure, blocksOn(sheet.name));
    return [active !== undefined && active.sheet.name === sheet.name ? withActiveHead(load, active) : load];
  });

  // Whole: small sheets, and those the add-in itself wrote to (its ledger, sheets holding its blocks), whatever
  // their size. Large: the others past the budget, read first by their head.
  const isWhole = (l: SheetLoad): boolean =>
    l.name === LEDGER_SHEET || blocksOn(l.name).length > 0 || l.areas.reduce((n, a) => n + cellsIn(a), 0) * ESTIMATED_CELL_BYTES <= READ_BUDGET_BYTES;
  const readable = loads.filter((l) => l.areas.length > 0);
  const large = readable.filter((l) => !isWhole(l));
  const headRows = (l: SheetLoad): number => Math.min(HEAD_ROWS, Math.max(1, Math.floor(READ_BUDGET_BYTES / ((l.extent?.columnCount ?? 1) * ESTIMATED_CELL_BYTES))));
  // A head read with the first round trip was read to column HEAD_COLUMNS only: what its rows hold right of it (left
  // in the sheet's areas) is read now, so that a table there is found; nothing is read twice.
  const headEnd = (l: SheetLoad): number => (l.headRead ? Math.min(HEAD_ROWS, headRows(l)) - 1 : (l.extent?.rowIndex ?? 0) + headRows(l) - 1);
  await readPieces(counter, readable.flatMap((l) => [
    ...bandsOf(l, large.includes(l) ? l.areas.flatMap((a) => rowsOf(a, 0, headEnd(l)) ?? []) : l.areas, ESTIMATED_CELL_BYTES),
    ...(mergesListed && l.merges === undefined ? [{ kind: 'merges' as const, load: l, bytes: MERGES_BYTES }] : []),
  ]));

  const withTable = large.filter((l) => detectTables({ sheets: [sheetFrom(l)] }).tables.length > 0);
  await readRest(counter, withTable.flatMap((l) => l.areas.flatMap((a) => rowsOf(a, headEnd(l) + 1, SHEET_ROWS - 1) ?? []).map((rect) => ({ load: l, rect }))));

  return {
    snapshot: { sheets: loads.map(sheetFrom), names: defined },
    protectedSheets: new Set(loads.filter((l) => l.protected).map((l) => l.name)),
    options: optionsFrom(setting),
    enableEvents: eventsSwitch ? runtime.enableEvents : null,
    structureProtected: structure.protected,
    calculationMode: String(application.calculationMode),
    notices: loads.flatMap((l) => (l.notice !== undefined ? [l.notice] : [])),
  };
}
