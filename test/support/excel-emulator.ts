/**
 * Strict in-memory emulator of the subset of the Excel JavaScript API (office-js) used by the
 * Scorecard Refresh adapter.
 *
 * It follows the office-js proxy model: proxy objects queue operations, `context.sync()` applies the
 * queue in order and fills in loaded properties. It is deliberately strict where real Excel is
 * strict (PropertyNotLoaded, InvalidArgument, AccessDenied, ItemNotFound, payload limits) and, in a
 * few places noted below, stricter, so that adapter bugs show up in tests. Anything outside the
 * emulated subset throws {@link EmulatorGapError} ("not emulated: X") instead of silently passing.
 *
 * Deviations from real Excel, on purpose:
 * - A failed sync is atomic by default: none of its operations are applied. Real Excel applies those
 *   queued before the failing one; pass `{ partialFailures: true }` to {@link createExcelEmulator} to
 *   get that behaviour (the failing operation itself is still undone).
 * - `undefined`, NaN and ±Infinity inside a values/formulas array are rejected with InvalidArgument
 *   (real Excel silently skips such cells because they serialise to null).
 * - Writing to (or through) a null object fails with ItemNotFound.
 * - Queuing work on an object whose `Excel.run` has finished throws InvalidObjectPath at once (real
 *   office-js silently drops the work).
 * - A string that begins with "+" or "-" written through `values` becomes the formula "=" + text,
 *   even when it looks numeric (real Excel would parse "-3" as a number); either way the cell does not
 *   hold the text that was written.
 * - Formulas are never calculated: a formula written through the API caches the value null.
 *
 * Input rules for strings written through `values`/`formulas` (and `edit`), as Excel applies them:
 * "=..." / "+..." / "-..." become formulas; a leading apostrophe stores the rest as text; cells
 * formatted "@" keep text verbatim; "TRUE"/"FALSE" become booleans; "123", "1,234" and "12%" become
 * numbers (the last two also set "#,##0" / "0%" on a General cell). Dates, currencies and exponents
 * stay text (real Excel would convert them). `null` in an array leaves a cell unchanged; "" clears it.
 *
 * Other reading notes: `runtime.enableEvents` must be loaded before it is read (as in office-js);
 * reading `text` throws "not emulated" for number formats outside a small set (see SUPPORTED_FORMATS).
 *
 * Requirement sets: the emulator answers as a host supporting ExcelApi up to `apiVersion` (default
 * {@link DEFAULT_API_VERSION}). Members of a later set fail the sync with ApiNotFound, as they do in an
 * Excel too old for them (office-js itself defines every member whatever the host supports), and
 * `emulator.Office.context.requirements.isSetSupported` answers accordingly. Gated members:
 * conditional formats and suspendApiCalculationUntilNextSync (1.6); getRangeByIndexes,
 * NamedItem.formula, RangeFormat.useStandardWidth, Worksheet.onChanged and Workbook.protection (1.7);
 * Runtime.enableEvents (1.8); Worksheet.pageLayout, Worksheet.getRanges, RangeAreas.conditionalFormats and
 * ConditionalFormat.getRanges (1.9); Range.getMergedAreasOrNullObject (1.13);
 * WorksheetChangedEventArgs.triggerSource (1.14, left out of the args below). Charts (Worksheet.charts) are ExcelApi 1.1.
 *
 * Browser-safe: no Node-only APIs (byte counts use TextEncoder).
 */

// office-js types cell values as `any`; the emulated interfaces mirror that so adapter code types
// identically against the emulator and against real Excel.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyValue = any;

// ---------------------------------------------------------------------------------------------
// Public data shapes
// ---------------------------------------------------------------------------------------------

/** A cell value as stored: text, number, boolean or empty (null). Error values are strings like "#N/A". */
export type EmulatedCellValue = string | number | boolean | null;

/** Initial content of one cell. `value` is the cached value (also for formula cells). */
export interface EmulatedCell {
  value: EmulatedCellValue;
  formula?: string;
  numberFormat?: string;
  fill?: string;
  fontColor?: string;
  bold?: boolean;
  italic?: boolean;
  wrapText?: boolean;
  /** "Top", "Center", … ; Excel's default is "Bottom". */
  verticalAlignment?: VerticalAlignmentName;
}

/** A cell's vertical alignment, as office-js names it. */
export type VerticalAlignmentName = 'Top' | 'Center' | 'Bottom' | 'Justify' | 'Distributed';

/** The workbook's calculation mode, as office-js names it. */
export type CalculationModeName = 'Automatic' | 'AutomaticExceptTables' | 'Manual';

/** A worksheet's visibility, as office-js names it. */
export type SheetVisibilityName = 'Visible' | 'Hidden' | 'VeryHidden';

/** Initial content of one worksheet. Cell keys and column keys are A1 addresses / column letters. */
export interface EmulatedSheetInit {
  name: string;
  cells: Record<string, EmulatedCell>;
  protected?: boolean;
  /** Default "Visible". */
  visibility?: SheetVisibilityName;
  /** Column widths in points, keyed by column letter ("A"). Default width is {@link DEFAULT_COLUMN_WIDTH}. */
  columnWidths?: Record<string, number>;
  hiddenColumns?: string[];
  /** Merged areas as A1 ranges ("A5:H5"); the covered cells must be empty. */
  merges?: string[];
}

/** Initial workbook. The first sheet is active. */
export interface EmulatedWorkbookInit {
  sheets: EmulatedSheetInit[];
  settings?: Record<string, unknown>;
  names?: { name: string; reference: string; comment?: string }[];
  /** Workbook structure protection (Review › Protect Workbook): no sheet may be added, deleted, hidden or shown. */
  structureProtected?: boolean;
  /** The calculation mode (File › Options › Formulas); default "Automatic". */
  calculationMode?: CalculationModeName;
}

/** How the emulated host behaves; every field has a default. */
export interface ExcelEmulatorOptions {
  /** The highest ExcelApi requirement set the host supports (default {@link DEFAULT_API_VERSION}). */
  apiVersion?: string;
  /**
   * Apply the operations queued before a failing one, as real Excel does, instead of discarding the
   * whole sync (the default, stricter). The failing operation itself is undone either way.
   */
  partialFailures?: boolean;
}

/** One non-empty cell in {@link WorkbookDump}. Colours are normalised to "#RRGGBB". */
export interface CellDump {
  value: EmulatedCellValue;
  formula: string | null;
  numberFormat: string;
  fill: string | null;
  fontColor: string | null;
  bold: boolean;
  /** Present (true) only when set, so that dumps of cells without these formats stay as they were. */
  italic?: true;
  wrapText?: true;
  /** Present only when not Excel's default ("Bottom"). */
  verticalAlignment?: VerticalAlignmentName;
}

/**
 * One conditional format in {@link WorkbookDump}; `range` is sheet-relative ("B2:B9"). A rule over several areas lists
 * them in order, joined by one space ("X3:X5 X8:X9"), as the `sqref` of a workbook file does.
 */
export interface ConditionalFormatDump {
  range: string;
  type: string;
  formula: string | null;
  fill: string | null;
  fontColor: string | null;
  bold: boolean | null;
  priority: number;
  stopIfTrue: boolean;
}

/** One worksheet in {@link WorkbookDump}. */
export interface SheetDump {
  name: string;
  id: string;
  protected: boolean;
  visibility: SheetVisibilityName;
  /** Every cell holding a value, a formula or any formatting, keyed by A1 address in row-major order. */
  cells: Record<string, CellDump>;
  /** Widths that differ from the default, keyed by column letter. */
  columnWidths: Record<string, number>;
  hiddenColumns: string[];
  /** In priority order (priority 0 first). */
  conditionalFormats: ConditionalFormatDump[];
  /** Sheet-relative address of this sheet's selection. */
  selection: string;
  /** The sheet's charts, in the order they were added; present only when there is one. */
  charts?: ChartDump[];
  /** The page layout set through the API (ExcelApi 1.9); present only when something was set. */
  pageLayout?: PageLayoutDump;
}

/** One chart in {@link SheetDump}. Ranges are sheet-qualified A1 ("'Scorecard summary'!B5:B7"). */
export interface ChartDump {
  name: string;
  type: string;
  title: string | null;
  series: { name: string; values: string; categories: string | null; fill: string | null }[];
  /** The cells the chart covers, top-left and bottom-right ("I4", "O17"); null when never positioned. */
  position: { start: string; end: string } | null;
}

/** The print settings of a sheet in {@link SheetDump}. */
export interface PageLayoutDump {
  printArea?: string;
  printTitleColumns?: string;
  zoom?: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number };
  orientation?: PageOrientationName;
}

/** A page's orientation, as office-js names it (Excel.PageOrientation). */
export type PageOrientationName = 'Portrait' | 'Landscape';

/** Plain-data snapshot of the whole emulated workbook. */
export interface WorkbookDump {
  sheets: SheetDump[];
  names: { name: string; reference: string; comment: string; visible: boolean }[];
  settings: Record<string, unknown>;
  activeSheet: string;
  /** Address of the selection on the active sheet, e.g. "Sheet1!B2:C3". */
  selection: string;
  /** Workbook structure protection. */
  structureProtected: boolean;
}

/** One onChanged event the emulator dispatched (see {@link ExcelEmulator.eventLog}). */
export interface EmulatedEventRecord {
  sheet: string;
  address: string;
  /** "ThisLocalAddin" for the add-in's own writes, "Unknown" for `edit`. */
  source: 'ThisLocalAddin' | 'Unknown';
}

/** Byte accounting of one `context.sync()` round trip. */
export interface SyncPayload {
  requestBytes: number;
  responseBytes: number;
  /** Number of queued actions sent. */
  actions: number;
  /** True for the final sync that `run` performs itself when the batch left work queued. */
  implicit: boolean;
  /** Error code when the sync failed. */
  error?: string;
}

// ---------------------------------------------------------------------------------------------
// Errors and limits
// ---------------------------------------------------------------------------------------------

/** The ExcelApi requirement set an emulator supports unless told otherwise. */
export const DEFAULT_API_VERSION = '1.14';
/** Request and response payload limit of Excel on the web, in bytes. */
export const PAYLOAD_LIMIT_BYTES = 5_000_000;
/** Default column width in points (8.43 characters). */
export const DEFAULT_COLUMN_WIDTH = 48;
/** Rows in a worksheet. */
export const MAX_ROWS = 1_048_576;
/** Columns in a worksheet (A..XFD). */
export const MAX_COLUMNS = 16_384;
/** Largest number of cells one emulated write may touch cell by cell (beyond it: not emulated). */
export const MAX_CELLS_PER_WRITE = 200_000;
/** Longest text a cell holds. */
const MAX_CELL_TEXT = 32_767;
// Excel's limits on a formula: "Length of formula contents: 8,192 characters" and "Nested levels of functions: 64"
// (Microsoft Support, "Excel specifications and limits",
// https://support.microsoft.com/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3).
/** Longest formula Excel accepts. */
const MAX_FORMULA_LENGTH = 8_192;
/** Deepest nesting of functions Excel accepts. */
const MAX_FUNCTION_NESTING = 64;
/** A read of more cells than this cannot fit the response limit (each cell costs >= 2 bytes of JSON). */
const MAX_READ_CELLS = PAYLOAD_LIMIT_BYTES / 2;
/** Chained onChanged dispatches (handlers whose writes fire handlers) tolerated before giving up. */
const MAX_EVENT_CASCADE = 50;

/** Debug details of {@link EmulatedOfficeError}, shaped like OfficeExtension.DebugInfo. */
export interface EmulatedDebugInfo {
  code: string;
  message: string;
  errorLocation?: string;
  statement?: string;
  surroundingStatements?: string[];
}

/** Error of the emulated API, shaped like OfficeExtension.Error (`name` "RichApi.Error", `code`, `message`, `debugInfo`). */
export class EmulatedOfficeError extends Error {
  override readonly name = 'RichApi.Error';
  readonly code: string;
  readonly debugInfo: EmulatedDebugInfo;
  readonly traceMessages: string[] = [];
  readonly innerError: EmulatedOfficeError | null = null;
  readonly httpStatusCode: number;

  constructor(code: string, message: string, errorLocation?: string, httpStatusCode = 400) {
    super(message);
    this.code = code;
    this.httpStatusCode = httpStatusCode;
    this.debugInfo = errorLocation === undefined ? { code, message } : { code, message, errorLocation };
  }
}

/** Thrown when code uses a part of the Excel API that the emulator does not implement. */
export class EmulatorGapError extends Error {
  override readonly name = 'EmulatorGapError';
  readonly code = 'NotEmulated';

  constructor(what: string) {
    super(`not emulated: ${what}`);
  }
}

/** Error codes used by the emulator (the subset of OfficeExtension.ErrorCodes / Excel.ErrorCodes it raises). */
export const EmulatedErrorCodes = {
  accessDenied: 'AccessDenied',
  apiNotFound: 'ApiNotFound',
  generalException: 'GeneralException',
  invalidArgument: 'InvalidArgument',
  invalidObjectPath: 'InvalidObjectPath',
  invalidOperation: 'InvalidOperation',
  invalidOperationInCellEditMode: 'InvalidOperationInCellEditMode',
  invalidRequestContext: 'InvalidRequestContext',
  itemAlreadyExists: 'ItemAlreadyExists',
  itemNotFound: 'ItemNotFound',
  propertyNotLoaded: 'PropertyNotLoaded',
  valueNotLoaded: 'ValueNotLoaded',
  requestPayloadSizeLimitExceeded: 'RequestPayloadSizeLimitExceeded',
  responsePayloadSizeLimitExceeded: 'ResponsePayloadSizeLimitExceeded',
  runMustReturnPromise: 'RunMustReturnPromise',
} as const;

const MESSAGES = {
  invalidArgument: 'The argument is invalid or missing or has an incorrect format.',
  itemNotFound: "The requested resource doesn't exist.",
  itemAlreadyExists: 'The resource already exists.',
  accessDenied: "The cell or chart you're trying to change is protected and therefore read-only.",
  dimensions: "The number of rows or columns in the input array doesn't match the size or dimensions of the range.",
};

function invalidArgument(location: string, detail: string): EmulatedOfficeError {
  return new EmulatedOfficeError('InvalidArgument', `${MESSAGES.invalidArgument} (emulator: ${detail})`, location);
}

function itemNotFound(location: string, detail: string): EmulatedOfficeError {
  return new EmulatedOfficeError('ItemNotFound', `${MESSAGES.itemNotFound} (emulator: ${detail})`, location, 404);
}

function propertyNotLoaded(typeName: string, property: string): EmulatedOfficeError {
  return new EmulatedOfficeError(
    'PropertyNotLoaded',
    `The property '${property}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
    `${typeName}.${property}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Emulated API surface (types). Each interface is a structural subset of the office-js class of the
// same name, so code written against these types also compiles against real Excel.
// ---------------------------------------------------------------------------------------------

type RangeValueTypeName = Excel.RangeValueType | 'Unknown' | 'Empty' | 'String' | 'Integer' | 'Double' | 'Boolean' | 'Error' | 'RichValue';
type ClearApplyToName = 'All' | 'Formats' | 'Contents' | 'Hyperlinks' | 'RemoveHyperlinks' | 'ResetContents';
type ConditionalFormatTypeName = 'Custom' | 'DataBar' | 'ColorScale' | 'IconSet' | 'TopBottom' | 'PresetCriteria' | 'ContainsText' | 'CellValue';
type SelectExpand = { select?: string; expand?: string };

/** Members shared by every emulated proxy object. */
export interface EmulatedClientObject {
  readonly isNullObject: boolean;
}

/** Result of a method that returns a value (e.g. `getCount()`); `value` is readable after sync. */
export interface EmulatedClientResult<T> {
  readonly value: T;
}

/** Emulated Excel.RequestContext. */
export interface EmulatedRequestContext {
  readonly workbook: EmulatedWorkbook;
  readonly application: EmulatedApplication;
  readonly runtime: EmulatedRuntime;
  sync<T>(passThroughValue?: T): Promise<T>;
  load(object: EmulatedClientObject, option?: string | string[] | OfficeExtension.LoadOption): void;
}

/** Emulated Excel.Workbook. */
export interface EmulatedWorkbook extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly worksheets: EmulatedWorksheetCollection;
  readonly names: EmulatedNamedItemCollection;
  readonly settings: EmulatedSettingCollection;
  readonly application: EmulatedApplication;
  /** ExcelApi 1.7. */
  readonly protection: EmulatedWorkbookProtection;
  getSelectedRange(): EmulatedRange;
}

/** Emulated Excel.WorkbookProtection (read-only here; use `emulator.setWorkbookProtected`). */
export interface EmulatedWorkbookProtection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly protected: boolean;
  load(propertyNames?: string | string[]): EmulatedWorkbookProtection;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedWorkbookProtection;
}

/** Emulated Excel.Application. */
export interface EmulatedApplication extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  /** "Automatic", "AutomaticExceptTables" or "Manual"; load it first. */
  readonly calculationMode: CalculationModeName;
  load(option?: string | string[]): EmulatedApplication;
  /** Recalculates; "Recalculate", "Full" or "FullRebuild". */
  calculate(calculationType: Excel.CalculationType | 'Recalculate' | 'Full' | 'FullRebuild'): void;
  suspendApiCalculationUntilNextSync(): void;
  suspendScreenUpdatingUntilNextSync(): void;
}

/** Emulated Excel.Runtime. */
export interface EmulatedRuntime extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  enableEvents: boolean;
  load(propertyNames?: string | string[]): EmulatedRuntime;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedRuntime;
}

/** Emulated Excel.WorksheetCollection. */
export interface EmulatedWorksheetCollection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly items: EmulatedWorksheet[];
  add(name?: string): EmulatedWorksheet;
  getActiveWorksheet(): EmulatedWorksheet;
  getFirst(visibleOnly?: boolean): EmulatedWorksheet;
  getCount(visibleOnly?: boolean): EmulatedClientResult<number>;
  getItem(key: string): EmulatedWorksheet;
  getItemOrNullObject(key: string): EmulatedWorksheet;
  load(propertyNames?: string | string[]): EmulatedWorksheetCollection;
  load(propertyNamesAndPaths?: OfficeExtension.LoadOption): EmulatedWorksheetCollection;
}

/** Details of a single-cell change, as in Excel.ChangedEventDetail. */
export interface EmulatedChangedEventDetail {
  valueAfter: AnyValue;
  valueBefore: AnyValue;
  valueTypeAfter: RangeValueTypeName;
  valueTypeBefore: RangeValueTypeName;
}

/**
 * Arguments passed to worksheet onChanged handlers (subset of Excel.WorksheetChangedEventArgs).
 * `details` is present only for single-cell changes (as in Excel); `triggerSource` is
 * "ThisLocalAddin" for the add-in's own writes and "Unknown" for `emulator.edit`.
 */
export interface EmulatedWorksheetChangedEventArgs {
  address: string;
  changeType: Excel.DataChangeType | 'Unknown' | 'RangeEdited' | 'RowInserted' | 'RowDeleted' | 'ColumnInserted' | 'ColumnDeleted' | 'CellInserted' | 'CellDeleted';
  details: EmulatedChangedEventDetail;
  source: Excel.EventSource | 'Local' | 'Remote';
  type: 'WorksheetChanged';
  worksheetId: string;
  triggerSource: Excel.EventTriggerSource | 'Unknown' | 'ThisLocalAddin';
  /** The changed range, as a proxy in `ctx` (pass the request context of your handler's `run`). */
  getRange(ctx: EmulatedRequestContext | Excel.RequestContext): EmulatedRange;
  getRangeOrNullObject(ctx: EmulatedRequestContext | Excel.RequestContext): EmulatedRange;
}

/** Emulated OfficeExtension.EventHandlerResult. */
export interface EmulatedEventHandlerResult {
  readonly context: Pick<EmulatedRequestContext, 'sync'>;
  remove(): void;
}

/** Emulated OfficeExtension.EventHandlers. */
export interface EmulatedEventHandlers<T> {
  add(handler: (args: T) => Promise<AnyValue>): EmulatedEventHandlerResult;
  remove(handler: (args: T) => Promise<AnyValue>): void;
}

/** Emulated Excel.Worksheet. */
export interface EmulatedWorksheet extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly id: string;
  readonly name: string;
  readonly position: number;
  visibility: Excel.SheetVisibility | SheetVisibilityName;
  readonly protection: EmulatedWorksheetProtection;
  readonly onChanged: EmulatedEventHandlers<EmulatedWorksheetChangedEventArgs>;
  /** ExcelApi 1.1. */
  readonly charts: EmulatedChartCollection;
  /** ExcelApi 1.9. */
  readonly pageLayout: EmulatedPageLayout;
  activate(): void;
  /** Fails with InvalidOperation on a VeryHidden sheet or the last visible one, as in Excel. */
  delete(): void;
  getCell(row: number, column: number): EmulatedRange;
  getNext(visibleOnly?: boolean): EmulatedWorksheet;
  getNextOrNullObject(visibleOnly?: boolean): EmulatedWorksheet;
  getRange(address?: string): EmulatedRange;
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): EmulatedRange;
  /**
   * ExcelApi 1.9. The areas of an address list, in order: A1 addresses separated by commas or by semicolons
   * ("X3:X20, X25:X40"); without an address, the whole sheet. An area that is not an A1 address fails with InvalidArgument.
   */
  getRanges(address?: string): EmulatedRangeAreas;
  getUsedRange(valuesOnly?: boolean): EmulatedRange;
  getUsedRangeOrNullObject(valuesOnly?: boolean): EmulatedRange;
  load(propertyNames?: string | string[]): EmulatedWorksheet;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedWorksheet;
}

/** Emulated Excel.ChartCollection (ExcelApi 1.1): adding charts only. */
export interface EmulatedChartCollection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  add(type: Excel.ChartType | string, sourceData: Excel.Range | EmulatedRange, seriesBy?: Excel.ChartSeriesBy | 'Auto' | 'Columns' | 'Rows'): EmulatedChart;
}

/** Emulated Excel.Chart: its name, title, series and position. */
export interface EmulatedChart extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly name: string;
  readonly title: EmulatedChartTitle;
  readonly series: EmulatedChartSeriesCollection;
  setPosition(startCell: Excel.Range | string, endCell?: Excel.Range | string): void;
  load(propertyNames?: string | string[]): EmulatedChart;
}

/** Emulated Excel.ChartTitle (its text). */
export interface EmulatedChartTitle extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  text: string;
  load(propertyNames?: string | string[]): EmulatedChartTitle;
}

/** Emulated Excel.ChartSeriesCollection (series by position). */
export interface EmulatedChartSeriesCollection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  getItemAt(index: number): EmulatedChartSeries;
}

/** Emulated Excel.ChartSeries (its name and fill). */
export interface EmulatedChartSeries extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  name: string;
  readonly format: { readonly fill: { setSolidColor(color: string): void } };
  load(propertyNames?: string | string[]): EmulatedChartSeries;
}

/** Emulated Excel.PageLayout (ExcelApi 1.9): print area, print title columns, zoom and orientation. */
export interface EmulatedPageLayout extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  zoom: Excel.PageLayoutZoomOptions;
  orientation: Excel.PageOrientation | PageOrientationName;
  setPrintArea(printArea: Excel.Range | string): void;
  setPrintTitleColumns(printTitleColumns: Excel.Range | string): void;
  getPrintTitleColumnsOrNullObject(): EmulatedRange;
  load(propertyNames?: string | string[]): EmulatedPageLayout;
}

/** Emulated Excel.WorksheetProtection (read-only here; use `emulator.setProtected`). */
export interface EmulatedWorksheetProtection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly protected: boolean;
  load(propertyNames?: string | string[]): EmulatedWorksheetProtection;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedWorksheetProtection;
}

/**
 * Emulated Excel.RangeAreas (ExcelApi 1.9): one or more areas of a sheet, as returned by `Worksheet.getRanges`,
 * `ConditionalFormat.getRanges` and `Range.getMergedAreasOrNullObject` (ExcelApi 1.13).
 */
export interface EmulatedRangeAreas extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  /** "Sheet1!A1:B2, Sheet1!D4:F4". */
  readonly address: string;
  readonly areaCount: number;
  /**
   * ExcelApi 1.9. The conditional formats with a cell in any of the areas; `add` makes one rule over all the areas (its
   * formula written against the top-left cell of the first), `clearAll` clears every area.
   */
  readonly conditionalFormats: EmulatedConditionalFormatCollection;
  load(option?: string | string[]): EmulatedRangeAreas;
}

/** Emulated Excel.Range. */
export interface EmulatedRange extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly address: string;
  readonly addressLocal: string;
  readonly cellCount: number;
  readonly columnCount: number;
  columnHidden: boolean;
  readonly columnIndex: number;
  readonly conditionalFormats: EmulatedConditionalFormatCollection;
  readonly format: EmulatedRangeFormat;
  formulas: AnyValue[][];
  readonly isEntireColumn: boolean;
  readonly isEntireRow: boolean;
  numberFormat: AnyValue[][];
  readonly rowCount: number;
  readonly rowIndex: number;
  readonly text: string[][];
  readonly valueTypes: Excel.RangeValueType[][];
  values: AnyValue[][];
  readonly worksheet: EmulatedWorksheet;
  clear(applyTo?: Excel.ClearApplyTo): void;
  clear(applyTo?: ClearApplyToName): void;
  getCell(row: number, column: number): EmulatedRange;
  getColumn(column: number): EmulatedRange;
  getEntireColumn(): EmulatedRange;
  getEntireRow(): EmulatedRange;
  getOffsetRange(rowOffset: number, columnOffset: number): EmulatedRange;
  getResizedRange(deltaRows: number, deltaColumns: number): EmulatedRange;
  getRow(row: number): EmulatedRange;
  getUsedRange(valuesOnly?: boolean): EmulatedRange;
  getUsedRangeOrNullObject(valuesOnly?: boolean): EmulatedRange;
  /** Merged areas whose top-left cell is in this range (ExcelApi 1.13); a null object when there are none. */
  getMergedAreasOrNullObject(): EmulatedRangeAreas;
  select(): void;
  /** Several writes at once, e.g. `set({ values: [[1]], format: { fill: { color: 'red' } } })`. */
  set(properties: Excel.Interfaces.RangeUpdateData): void;
  track(): EmulatedRange;
  untrack(): EmulatedRange;
  load(propertyNames?: string | string[]): EmulatedRange;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedRange;
}

/** Emulated Excel.RangeFormat. */
export interface EmulatedRangeFormat extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  columnWidth: number;
  readonly fill: EmulatedRangeFill;
  readonly font: EmulatedRangeFont;
  /** ExcelApi 1.7. Setting true gives the columns the sheet's standard width; false changes nothing. */
  useStandardWidth: boolean;
  verticalAlignment: Excel.VerticalAlignment | VerticalAlignmentName;
  wrapText: boolean;
  load(propertyNames?: string | string[]): EmulatedRangeFormat;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedRangeFormat;
}

/** Emulated Excel.RangeFill. */
export interface EmulatedRangeFill extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  color: string;
  clear(): void;
  load(propertyNames?: string | string[]): EmulatedRangeFill;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedRangeFill;
}

/** Emulated Excel.RangeFont (colour, bold and italic only). */
export interface EmulatedRangeFont extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  bold: boolean;
  color: string;
  italic: boolean;
  load(propertyNames?: string | string[]): EmulatedRangeFont;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedRangeFont;
}

/** Emulated Excel.ConditionalFormatCollection (the formats overlapping a range, or any area of a RangeAreas). */
export interface EmulatedConditionalFormatCollection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly items: EmulatedConditionalFormat[];
  add(type: Excel.ConditionalFormatType): EmulatedConditionalFormat;
  add(type: ConditionalFormatTypeName): EmulatedConditionalFormat;
  clearAll(): void;
  getCount(): EmulatedClientResult<number>;
  getItem(id: string): EmulatedConditionalFormat;
  load(propertyNames?: string | string[]): EmulatedConditionalFormatCollection;
  load(propertyNamesAndPaths?: OfficeExtension.LoadOption): EmulatedConditionalFormatCollection;
}

/** Emulated Excel.ConditionalFormat (only type "Custom"). */
export interface EmulatedConditionalFormat extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly custom: EmulatedCustomConditionalFormat;
  readonly id: string;
  priority: number;
  stopIfTrue: boolean;
  readonly type: Excel.ConditionalFormatType | ConditionalFormatTypeName;
  delete(): void;
  /** The range the rule applies to; fails with InvalidOperation when it applies to several areas. */
  getRange(): EmulatedRange;
  /** The range the rule applies to; a null object when it applies to several areas. */
  getRangeOrNullObject(): EmulatedRange;
  /** ExcelApi 1.9. The areas the rule applies to, in order. */
  getRanges(): EmulatedRangeAreas;
  load(propertyNames?: string | string[]): EmulatedConditionalFormat;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedConditionalFormat;
}

/** Emulated Excel.CustomConditionalFormat. */
export interface EmulatedCustomConditionalFormat extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly format: EmulatedConditionalRangeFormat;
  readonly rule: EmulatedConditionalFormatRule;
  load(propertyNames?: string | string[]): EmulatedCustomConditionalFormat;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedCustomConditionalFormat;
}

/** Emulated Excel.ConditionalFormatRule. */
export interface EmulatedConditionalFormatRule extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  formula: string;
  load(propertyNames?: string | string[]): EmulatedConditionalFormatRule;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedConditionalFormatRule;
}

/** Emulated Excel.ConditionalRangeFormat. */
export interface EmulatedConditionalRangeFormat extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly fill: EmulatedConditionalRangeFill;
  readonly font: EmulatedConditionalRangeFont;
  load(propertyNames?: string | string[]): EmulatedConditionalRangeFormat;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedConditionalRangeFormat;
}

/** Emulated Excel.ConditionalRangeFill. */
export interface EmulatedConditionalRangeFill extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  color: string;
  clear(): void;
  load(propertyNames?: string | string[]): EmulatedConditionalRangeFill;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedConditionalRangeFill;
}

/** Emulated Excel.ConditionalRangeFont (colour and bold only). */
export interface EmulatedConditionalRangeFont extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  bold: boolean;
  color: string;
  clear(): void;
  load(propertyNames?: string | string[]): EmulatedConditionalRangeFont;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedConditionalRangeFont;
}

/** Emulated Excel.NamedItemCollection (workbook scope). */
export interface EmulatedNamedItemCollection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly items: EmulatedNamedItem[];
  add(name: string, reference: EmulatedRange | string, comment?: string): EmulatedNamedItem;
  getCount(): EmulatedClientResult<number>;
  getItem(name: string): EmulatedNamedItem;
  getItemOrNullObject(name: string): EmulatedNamedItem;
  load(propertyNames?: string | string[]): EmulatedNamedItemCollection;
  load(propertyNamesAndPaths?: OfficeExtension.LoadOption): EmulatedNamedItemCollection;
}

/** Emulated Excel.NamedItem. */
export interface EmulatedNamedItem extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  comment: string;
  formula: AnyValue;
  readonly name: string;
  readonly scope: Excel.NamedItemScope | 'Worksheet' | 'Workbook';
  readonly type: Excel.NamedItemType | 'String' | 'Integer' | 'Double' | 'Boolean' | 'Range' | 'Error' | 'Array';
  readonly value: AnyValue;
  visible: boolean;
  delete(): void;
  getRange(): EmulatedRange;
  getRangeOrNullObject(): EmulatedRange;
  load(propertyNames?: string | string[]): EmulatedNamedItem;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedNamedItem;
}

/** Emulated Excel.SettingCollection. */
export interface EmulatedSettingCollection extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly items: EmulatedSetting[];
  add(key: string, value: AnyValue): EmulatedSetting;
  getCount(): EmulatedClientResult<number>;
  getItem(key: string): EmulatedSetting;
  getItemOrNullObject(key: string): EmulatedSetting;
  load(propertyNames?: string | string[]): EmulatedSettingCollection;
  load(propertyNamesAndPaths?: OfficeExtension.LoadOption): EmulatedSettingCollection;
}

/** Emulated Excel.Setting. */
export interface EmulatedSetting extends EmulatedClientObject {
  readonly context: EmulatedRequestContext;
  readonly key: string;
  value: AnyValue;
  delete(): void;
  load(propertyNames?: string | string[]): EmulatedSetting;
  load(propertyNamesAndPaths?: SelectExpand): EmulatedSetting;
}

/** Batch function accepted by `run`, typed against the emulated subset. */
export type EmulatedBatch<T> = (context: EmulatedRequestContext) => Promise<T>;
/** Batch function typed against office-js (for adapter code written for real Excel). */
export type ExcelBatch<T> = (context: Excel.RequestContext) => Promise<T>;
/** What `run(first, batch)` accepts as `first`: a context or proxy object whose context is reused. */
export type EmulatedRunTarget =
  | EmulatedRequestContext
  | EmulatedEventHandlerResult['context']
  | EmulatedClientObject
  | EmulatedClientObject[]
  | Excel.RequestContext;

/** The `Excel` namespace as emulated: `run` plus the enums the adapter uses. */
export interface EmulatedExcelNamespace {
  run: ExcelEmulator['run'];
  readonly ClearApplyTo: typeof Excel.ClearApplyTo;
  readonly ConditionalFormatType: typeof Excel.ConditionalFormatType;
  readonly DataChangeType: typeof Excel.DataChangeType;
  readonly ErrorCodes: typeof Excel.ErrorCodes;
  readonly EventSource: typeof Excel.EventSource;
  readonly EventTriggerSource: typeof Excel.EventTriggerSource;
  readonly NamedItemScope: typeof Excel.NamedItemScope;
  readonly NamedItemType: typeof Excel.NamedItemType;
  readonly RangeValueType: typeof Excel.RangeValueType;
  readonly SheetVisibility: typeof Excel.SheetVisibility;
}

/** The part of the `Office` namespace the emulated host answers: which requirement sets it supports. */
export interface EmulatedOfficeNamespace {
  readonly context: { readonly requirements: { isSetSupported(name: string, minVersion?: string): boolean } };
}

/** The `OfficeExtension` namespace as emulated: the error class and its codes. */
export interface EmulatedOfficeExtensionNamespace {
  readonly Error: typeof EmulatedOfficeError;
  readonly ErrorCodes: typeof EmulatedErrorCodes;
}

/** A running emulated workbook. Create one with {@link createExcelEmulator}. */
export interface ExcelEmulator {
  /** Like `Excel.run`: runs the batch with a fresh request context and flushes queued work at the end. */
  run<T>(batch: EmulatedBatch<T>): Promise<T>;
  run<T>(batch: ExcelBatch<T>): Promise<T>;
  /** Like `Excel.run(object, batch)`: reuses the request context of a context or proxy object. */
  run<T>(target: EmulatedRunTarget, batch: EmulatedBatch<T>): Promise<T>;
  run<T>(target: EmulatedRunTarget, batch: ExcelBatch<T>): Promise<T>;
  /** Drop-in for the global `Excel` (see {@link ExcelEmulator.installGlobals}). */
  readonly Excel: EmulatedExcelNamespace;
  /** Drop-in for the global `OfficeExtension`. */
  readonly OfficeExtension: EmulatedOfficeExtensionNamespace;
  /** Stand-in for the global `Office`, answering `isSetSupported('ExcelApi', v)` for v up to `apiVersion`. */
  readonly Office: EmulatedOfficeNamespace;
  /** The highest ExcelApi requirement set this host supports. */
  readonly apiVersion: string;
  /** Every `context.sync()` so far (explicit ones, and `run`'s final sync when it had work), across runs. */
  readonly syncCount: number;
  /** Payload accounting per sync, in order. */
  readonly syncPayloads: readonly SyncPayload[];
  /** Number of `run` calls so far. */
  readonly runCount: number;
  /** Times `application.suspendApiCalculationUntilNextSync()` took effect. */
  readonly calculationSuspensions: number;
  /**
   * True while cells written through the API wait for a calculation: the mode is Manual and nothing has called
   * `application.calculate` since the write.
   */
  readonly calculationPending: boolean;
  /**
   * How many of the user's edits (see `edit`) Excel's undo list still holds: each edit adds one, and before ExcelApi
   * 1.20 any change made through the API empties the list.
   */
  readonly undoDepth: number;
  /** Current value of `context.runtime.enableEvents`. */
  readonly enableEvents: boolean;
  /** Address of the selection on the active sheet, e.g. "Sheet1!B2:C3". */
  readonly selectedAddress: string;
  /** Name of the active worksheet. */
  readonly activeSheetName: string;
  /** Errors thrown by onChanged handlers not yet reported by {@link ExcelEmulator.whenIdle}. */
  readonly handlerErrors: readonly unknown[];
  /** Every onChanged event dispatched to at least one handler, in order (cleared by resetCounters). */
  readonly eventLog: readonly EmulatedEventRecord[];
  /** Plain-data snapshot of the workbook. */
  dump(): WorkbookDump;
  /** Protect or unprotect a sheet (as a user would). */
  setProtected(sheet: string, on: boolean): void;
  /** Protect or unprotect the workbook's structure (Review › Protect Workbook). */
  setWorkbookProtected(on: boolean): void;
  /**
   * Put Excel in cell-edit mode (a user typing in a cell) or take it out. While on, every sync fails
   * with InvalidOperationInCellEditMode, as Excel fails a batch sent while a cell is being edited.
   */
  setCellEditMode(on: boolean): void;
  /**
   * Make the next operation whose location (e.g. "NamedItemCollection.add") matches fail its sync with
   * `code` (default GeneralException). One-shot.
   */
  failNext(location: string | RegExp, code?: string): void;
  /**
   * Simulate a user typing into a range (a scalar fills every cell, or pass a matching 2-D array;
   * null leaves a cell alone). The cells change at once, before the promise settles. Rejects with
   * AccessDenied on a protected sheet. Fires onChanged handlers (unless events are disabled) and
   * resolves once they have finished; rejects with a handler's error. `source` "Remote" makes it a co-author's edit.
   */
  edit(sheet: string, address: string, value: EmulatedCellValue | EmulatedCellValue[][], source?: 'Local' | 'Remote'): Promise<void>;
  /** Resolves when no onChanged handler is running; rejects with the errors handlers threw meanwhile. */
  whenIdle(): Promise<void>;
  /** Reset syncCount, syncPayloads, runCount, calculationSuspensions and eventLog. */
  resetCounters(): void;
  /** Set `Excel` and `OfficeExtension` on `target` (default globalThis); returns a function restoring the old values. */
  installGlobals(target?: object): () => void;
  /** Set `Office` (see {@link ExcelEmulator.Office}) on `target` (default globalThis); returns a function restoring the old value. */
  installOffice(target?: object): () => void;
}

// ---------------------------------------------------------------------------------------------
// A1 addresses, colours, number formats
// ---------------------------------------------------------------------------------------------

interface Rect {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

/** Column letters for a 0-based column index (0 → "A"). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 0-based column index of column letters ("A" → 0), or -1 when invalid. */
export function columnIndexOf(letters: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(letters)) return -1;
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1 < MAX_COLUMNS ? n - 1 : -1;
}

type RefPart = { kind: 'cell'; row: number; col: number } | { kind: 'col'; col: number } | { kind: 'row'; row: number };

function parseRefPart(part: string): RefPart | null {
  const m = /^(\$?([A-Za-z]{1,3}))?(\$?(\d{1,7}))?$/.exec(part);
  if (!m) return null;
  const letters = m[2];
  const digits = m[4];
  const col = letters === undefined ? undefined : columnIndexOf(letters);
  const row = digits === undefined ? undefined : Number(digits) - 1;
  if (col === -1) return null;
  if (row !== undefined && (row < 0 || row >= MAX_ROWS)) return null;
  if (col !== undefined && row !== undefined) return { kind: 'cell', row, col };
  if (col !== undefined) return { kind: 'col', col };
  if (row !== undefined) return { kind: 'row', row };
  return null;
}

/** Parse a sheet-relative A1 address ("B2", "A1:C3", "$A$1", "A:C", "2:4"); null when invalid. */
function parseA1(address: string): Rect | null {
  const parts = address.trim().split(':');
  if (parts.length > 2) return null;
  const a = parseRefPart(parts[0] ?? '');
  const b = parts.length === 2 ? parseRefPart(parts[1] ?? '') : a;
  if (!a || !b || a.kind !== b.kind) return null;
  if (a.kind === 'cell' && b.kind === 'cell') {
    return { r0: Math.min(a.row, b.row), c0: Math.min(a.col, b.col), r1: Math.max(a.row, b.row), c1: Math.max(a.col, b.col) };
  }
  if (parts.length === 1) return null;
  if (a.kind === 'col' && b.kind === 'col') return { r0: 0, c0: Math.min(a.col, b.col), r1: MAX_ROWS - 1, c1: Math.max(a.col, b.col) };
  if (a.kind === 'row' && b.kind === 'row') return { r0: Math.min(a.row, b.row), c0: 0, r1: Math.max(a.row, b.row), c1: MAX_COLUMNS - 1 };
  return null;
}

function isWholeColumns(r: Rect): boolean {
  return r.r0 === 0 && r.r1 === MAX_ROWS - 1;
}

function isWholeRows(r: Rect): boolean {
  return r.c0 === 0 && r.c1 === MAX_COLUMNS - 1;
}

/** Sheet-relative address of a rectangle as Excel writes it ("A1", "A1:C3", "A:C", "2:4"). */
function rectAddress(r: Rect, absolute = false): string {
  const d = absolute ? '$' : '';
  if (isWholeRows(r)) return `${d}${r.r0 + 1}:${d}${r.r1 + 1}`;
  if (isWholeColumns(r)) return `${d}${columnLetters(r.c0)}:${d}${columnLetters(r.c1)}`;
  const a = `${d}${columnLetters(r.c0)}${d}${r.r0 + 1}`;
  if (r.r0 === r.r1 && r.c0 === r.c1) return a;
  return `${a}:${d}${columnLetters(r.c1)}${d}${r.r1 + 1}`;
}

/** Sheet name as it appears in an address, quoted like Excel when it needs quoting ("'My Sheet'"). */
export function quoteSheetName(name: string): string {
  const plain = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name);
  const looksLikeReference = /^[A-Za-z]{1,3}\d+$/.test(name) || /^[RrCc]$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name);
  return plain && !looksLikeReference ? name : `'${name.replace(/'/g, "''")}'`;
}

/** Split "Sheet1!A1" / "'My Sheet'!A1" into sheet name and address; null when malformed. */
function splitSheetQualified(text: string): { sheet: string | undefined; address: string } | null {
  const bang = text.lastIndexOf('!');
  if (bang < 0) return { sheet: undefined, address: text };
  const sheetPart = text.slice(0, bang);
  const address = text.slice(bang + 1);
  if (sheetPart.startsWith("'")) {
    if (sheetPart.length < 3 || !sheetPart.endsWith("'")) return null;
    return { sheet: sheetPart.slice(1, -1).replace(/''/g, "'"), address };
  }
  if (sheetPart.length === 0 || sheetPart.includes("'")) return null;
  return { sheet: sheetPart, address };
}

function cellCountOf(r: Rect): number {
  return (r.r1 - r.r0 + 1) * (r.c1 - r.c0 + 1);
}

function intersect(a: Rect, b: Rect): Rect | null {
  const r = { r0: Math.max(a.r0, b.r0), c0: Math.max(a.c0, b.c0), r1: Math.min(a.r1, b.r1), c1: Math.min(a.c1, b.c1) };
  return r.r0 <= r.r1 && r.c0 <= r.c1 ? r : null;
}

function contains(outer: Rect, inner: Rect): boolean {
  return outer.r0 <= inner.r0 && outer.c0 <= inner.c0 && outer.r1 >= inner.r1 && outer.c1 >= inner.c1;
}

const NAMED_COLORS: Record<string, string> = {
  aqua: '#00FFFF', black: '#000000', blue: '#0000FF', brown: '#A52A2A', coral: '#FF7F50', cyan: '#00FFFF',
  darkblue: '#00008B', darkgreen: '#006400', darkorange: '#FF8C00', darkred: '#8B0000', fuchsia: '#FF00FF',
  gold: '#FFD700', gray: '#808080', green: '#008000', grey: '#808080', lightblue: '#ADD8E6', lightgray: '#D3D3D3',
  lightgreen: '#90EE90', lightgrey: '#D3D3D3', lightpink: '#FFB6C1', lightyellow: '#FFFFE0', lime: '#00FF00',
  magenta: '#FF00FF', maroon: '#800000', navy: '#000080', olive: '#808000', orange: '#FFA500', pink: '#FFC0CB',
  purple: '#800080', red: '#FF0000', salmon: '#FA8072', silver: '#C0C0C0', teal: '#008080', white: '#FFFFFF',
  yellow: '#FFFF00',
};

/** Normalise a colour to "#RRGGBB" as Excel reports it; InvalidArgument for non-colours. */
function normaliseColor(input: unknown, location: string): string {
  if (typeof input !== 'string') throw invalidArgument(location, `a colour must be a string, got ${describeValue(input)}`);
  const s = input.trim();
  if (/^#[0-9a-f]{6}$/i.test(s)) return s.toUpperCase();
  if (/^#[0-9a-f]{3}$/i.test(s)) return `#${s.slice(1).split('').map((ch) => ch + ch).join('')}`.toUpperCase();
  const named = NAMED_COLORS[s.toLowerCase()];
  if (named) return named;
  if (/^[a-z]+$/i.test(s)) throw new EmulatorGapError(`colour name "${input}" (use "#RRGGBB" or a common HTML colour name)`);
  throw invalidArgument(location, `"${input}" is not a colour`);
}

const ERROR_VALUES = new Set(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA', '#SPILL!', '#CALC!']);

interface SimpleFormat {
  prefix: string;
  suffix: string;
  grouping: boolean;
  decimals: number;
  percent: boolean;
}

const SUPPORTED_FORMATS = 'General, @, 0, 0.0, 0.00, #,##0, #,##0.00, 0%, 0.0%, 0.00%, and those with currency or quoted literal prefixes/suffixes such as £#,##0';

function parseSimpleFormat(format: string): SimpleFormat | null {
  let i = 0;
  const literal = (): string | null => {
    const ch = format[i];
    if (ch === undefined) return null;
    if (ch === '"') {
      const end = format.indexOf('"', i + 1);
      if (end < 0) return null;
      const text = format.slice(i + 1, end);
      i = end + 1;
      return text;
    }
    if (ch === '\\') {
      const next = format[i + 1];
      if (next === undefined) return null;
      i += 2;
      return next;
    }
    if ('£$€¥ '.includes(ch)) {
      i += 1;
      return ch;
    }
    return null;
  };
  let prefix = '';
  for (let lit = literal(); lit !== null; lit = literal()) prefix += lit;
  const core = /^(#,##0|0)(?:\.(0+))?/.exec(format.slice(i));
  if (!core) return null;
  i += core[0].length;
  const percent = format[i] === '%';
  if (percent) i += 1;
  let suffix = '';
  for (let lit = literal(); lit !== null; lit = literal()) suffix += lit;
  if (i !== format.length) return null;
  return { prefix, suffix, grouping: core[1] === '#,##0', decimals: core[2]?.length ?? 0, percent };
}

/** Round half away from zero to `decimals` places on the 15-significant-digit value, as Excel displays. */
function roundFixed(x: number, decimals: number): string {
  const clean = Number(x.toPrecision(15));
  const shifted = clean.toExponential(14).replace(/e([+-]\d+)$/, (_m, e: string) => `e${Number(e) + decimals}`);
  const scaled = Math.round(Number(shifted));
  return (scaled / 10 ** decimals).toFixed(decimals);
}

function renderGeneral(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e11) return String(n);
  const s = String(Number(n.toPrecision(15)));
  return s.replace(/e([+-])(\d+)$/, (_m, sign: string, exp: string) => `E${sign}${exp.padStart(2, '0')}`);
}

function renderNumber(n: number, format: string): string {
  if (format === 'General' || format === '@') return renderGeneral(n);
  const f = parseSimpleFormat(format);
  if (!f) throw new EmulatorGapError(`text for number format "${format}" (supported: ${SUPPORTED_FORMATS})`);
  const x = f.percent ? n * 100 : n;
  let digits = roundFixed(Math.abs(x), f.decimals);
  if (f.grouping) {
    const [int, frac] = digits.split('.');
    digits = (int ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac === undefined ? '' : `.${frac}`);
  }
  return `${x < 0 ? '-' : ''}${f.prefix}${digits}${f.percent ? '%' : ''}${f.suffix}`;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * How deeply functions nest in a formula: IF(A1,SUM(B1:B2)) is 2. Parentheses that call no function (grouping)
 * do not count; text in double quotes and sheet names in single quotes are skipped.
 */
export function functionNesting(formula: string): number {
  const stack: boolean[] = [];
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < formula.length; i++) {
    const ch = formula[i];
    if (ch === '"' || ch === "'") {
      // A quote inside is doubled ("" or ''), which this loop reads as the end and a new start: the same span.
      const end = formula.indexOf(ch, i + 1);
      i = end < 0 ? formula.length : end;
    } else if (ch === '(') {
      const isCall = /[A-Za-z0-9_.]/.test(formula[i - 1] ?? '');
      stack.push(isCall);
      if (isCall) deepest = Math.max(deepest, ++depth);
    } else if (ch === ')') {
      if (stack.pop()) depth -= 1;
    }
  }
  return deepest;
}

/** Refuses a formula past Excel's length or nesting limit (see MAX_FORMULA_LENGTH, MAX_FUNCTION_NESTING). */
function assertFormulaWithinLimits(formula: string, location: string, at: string): void {
  if (formula.length > MAX_FORMULA_LENGTH) throw invalidArgument(location, `formula ${at} is longer than ${MAX_FORMULA_LENGTH} characters (${formula.length})`);
  const nesting = functionNesting(formula);
  if (nesting > MAX_FUNCTION_NESTING) throw invalidArgument(location, `formula ${at} nests functions ${nesting} deep; Excel allows ${MAX_FUNCTION_NESTING}`);
}

// An A1 reference in a formula, at a point no name or number continues into it: a cell ("B2", "$B$2"), whole columns
// ("A:C") or whole rows ("2:4"). A cell-like word followed by "(" is a function (LOG10), one followed by "!" a sheet.
const FORMULA_REFERENCE = new RegExp(
  [
    String.raw`(\$?)([A-Za-z]{1,3})(\$?)(\d{1,7})(?![A-Za-z0-9_.(!\\])`,
    String.raw`(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_.(!\\])`,
    String.raw`(\$?)(\d{1,7}):(\$?)(\d{1,7})(?![A-Za-z0-9_.(!\\:])`,
  ].join('|'),
  'y',
);

/** One row or column part of a reference: its 0-based index and whether it is absolute ("$"). */
type ReferencePart = { axis: 'row' | 'col'; index: number; absolute: boolean };

/** The parts of a FORMULA_REFERENCE match, and whether they are two ends of a span ("A:C", "2:4"); null when off the grid. */
function referenceParts(m: RegExpExecArray): { parts: ReferencePart[]; span: boolean } | null {
  const col = (dollar: string | undefined, letters: string | undefined): ReferencePart | null => {
    const index = columnIndexOf(letters ?? '');
    return index < 0 ? null : { axis: 'col', index, absolute: dollar === '$' };
  };
  const row = (dollar: string | undefined, digits: string | undefined): ReferencePart | null => {
    const index = Number(digits) - 1;
    return index < 0 || index >= MAX_ROWS ? null : { axis: 'row', index, absolute: dollar === '$' };
  };
  const pick = (a: ReferencePart | null, b: ReferencePart | null, span: boolean): { parts: ReferencePart[]; span: boolean } | null =>
    a && b ? { parts: [a, b], span } : null;
  if (m[2] !== undefined) return pick(col(m[1], m[2]), row(m[3], m[4]), false);
  if (m[6] !== undefined) return pick(col(m[5], m[6]), col(m[7], m[8]), true);
  return pick(row(m[9], m[10]), row(m[11], m[12]), true);
}

/**
 * Rewrites every A1 reference of a formula through `move`, which is given each relative row and column part and
 * returns its new index, or null to give up (absolute parts stay). Text in double quotes, sheet names in single quotes
 * and structured references in brackets are left alone. Null when `move` gave up.
 */
function mapFormulaReferences(formula: string, move: (part: ReferencePart) => number | null): string | null {
  let out = '';
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i] as string;
    if (ch === '"' || ch === "'") {
      // A quote inside is doubled ("" or '').
      let end = formula.indexOf(ch, i + 1);
      while (end >= 0 && formula[end + 1] === ch) end = formula.indexOf(ch, end + 2);
      const stop = end < 0 ? formula.length : end + 1;
      out += formula.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '[') {
      let depth = 0;
      let stop = i;
      for (; stop < formula.length; stop++) {
        if (formula[stop] === '[') depth++;
        else if (formula[stop] === ']' && --depth === 0) break;
      }
      out += formula.slice(i, stop + 1);
      i = stop + 1;
      continue;
    }
    FORMULA_REFERENCE.lastIndex = i;
    const m = /[A-Za-z0-9_.\\]/.test(formula[i - 1] ?? '') ? null : FORMULA_REFERENCE.exec(formula);
    const ref = m ? referenceParts(m) : null;
    if (!ref) {
      out += ch;
      i++;
      continue;
    }
    const texts: string[] = [];
    for (const p of ref.parts) {
      const index = p.absolute ? p.index : move(p);
      if (index === null) return null;
      texts.push(`${p.absolute ? '$' : ''}${p.axis === 'col' ? columnLetters(index) : index + 1}`);
    }
    out += texts.join(ref.span ? ':' : '');
    i = FORMULA_REFERENCE.lastIndex;
  }
  return out;
}

/** Whether a formula holds a relative reference (a row or column without "$"), whose cell depends on where it is read from. */
function hasRelativeReference(formula: string): boolean {
  let relative = false;
  mapFormulaReferences(formula, (p) => {
    relative = true;
    return p.index;
  });
  return relative;
}

/**
 * The formula with its relative references moved by `rows` and `columns` (absolute ones stay), or null when one would
 * leave the grid (Excel would write #REF! there). Unchanged when there is nothing to move.
 */
function shiftFormula(formula: string, rows: number, columns: number): string | null {
  if (rows === 0 && columns === 0) return formula;
  return mapFormulaReferences(formula, (p) => {
    const index = p.index + (p.axis === 'row' ? rows : columns);
    return index < 0 || index >= (p.axis === 'row' ? MAX_ROWS : MAX_COLUMNS) ? null : index;
  });
}

// ---------------------------------------------------------------------------------------------
// Workbook state and the undo journal that makes a sync atomic
// ---------------------------------------------------------------------------------------------

interface CellState {
  readonly value: EmulatedCellValue;
  readonly formula?: string;
  readonly numberFormat?: string;
  readonly fill?: string;
  readonly fontColor?: string;
  readonly bold?: boolean;
  readonly italic?: boolean;
  readonly wrapText?: boolean;
  /** Undefined means Excel's default, "Bottom". */
  readonly verticalAlignment?: VerticalAlignmentName;
}

interface CfState {
  readonly id: string;
  readonly type: 'Custom';
  readonly sheet: SheetState;
  /**
   * The areas the rule applies to, never empty, in the order they were given; replaced as a whole, never changed in
   * place. The formula is written against the top-left cell of the first (see {@link anchorOf}).
   */
  areas: readonly Rect[];
  formula: string | null;
  fill: string | null;
  fontColor: string | null;
  bold: boolean | null;
  stopIfTrue: boolean;
}

interface SheetState {
  readonly id: string;
  name: string;
  readonly cells: Map<number, CellState>;
  protected: boolean;
  visibility: SheetVisibilityName;
  readonly columnWidths: Map<number, number>;
  readonly hiddenColumns: Set<number>;
  /** Conditional formats in priority order (index = priority). */
  readonly cfs: CfState[];
  selection: Rect;
  /** Merged areas; only the top-left cell of each holds anything. */
  readonly merges: Rect[];
  readonly charts: ChartState[];
  /** Print settings set through the API; null until set. */
  printArea: Rect | null;
  printTitleColumns: Rect | null;
  zoom: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number } | null;
  /** Null until set: Excel's default is "Portrait". */
  orientation: PageOrientationName | null;
}

interface ChartSeriesState {
  name: string;
  readonly values: Rect;
  readonly categories: Rect | null;
  fill: string | null;
}

interface ChartState {
  readonly sheet: SheetState;
  readonly name: string;
  readonly type: string;
  /** The sheet the chart's data is on. */
  readonly dataSheet: SheetState;
  title: string | null;
  readonly series: ChartSeriesState[];
  position: { start: Rect; end: Rect } | null;
}

interface NameState {
  name: string;
  formula: string;
  comment: string;
  visible: boolean;
}

interface WorkbookState {
  readonly sheets: SheetState[];
  active: SheetState;
  readonly names: NameState[];
  /** Setting values as JSON text. */
  readonly settings: Map<string, string>;
  structureProtected: boolean;
  calculationMode: CalculationModeName;
}

const EMPTY_CELL: CellState = { value: null };

function cellKey(row: number, col: number): number {
  return row * MAX_COLUMNS + col;
}

function isEmptyCell(c: CellState): boolean {
  return (
    c.value === null && c.formula === undefined && c.numberFormat === undefined && c.fill === undefined && c.fontColor === undefined &&
    !c.bold && !c.italic && !c.wrapText && c.verticalAlignment === undefined
  );
}

function hasContent(c: CellState): boolean {
  return c.value !== null || c.formula !== undefined;
}

/** Records how to undo each mutation so a failed sync can be rolled back. */
class Journal {
  private readonly undos: (() => void)[] = [];

  assign<T extends object, K extends keyof T>(obj: T, key: K, value: T[K]): void {
    const old = obj[key];
    this.undos.push(() => {
      obj[key] = old;
    });
    obj[key] = value;
  }

  mapSet<K, V>(map: Map<K, V>, key: K, value: V | undefined): void {
    const had = map.has(key);
    const old = map.get(key);
    this.undos.push(() => {
      if (had) map.set(key, old as V);
      else map.delete(key);
    });
    if (value === undefined) map.delete(key);
    else map.set(key, value);
  }

  setToggle<K>(set: Set<K>, key: K, on: boolean): void {
    const had = set.has(key);
    this.undos.push(() => {
      if (had) set.add(key);
      else set.delete(key);
    });
    if (on) set.add(key);
    else set.delete(key);
  }

  splice<T>(arr: T[], start: number, deleteCount: number, ...items: T[]): void {
    const removed = arr.splice(start, deleteCount, ...items);
    this.undos.push(() => {
      arr.splice(start, items.length, ...removed);
    });
  }

  putCell(sheet: SheetState, key: number, next: CellState): void {
    this.mapSet(sheet.cells, key, isEmptyCell(next) ? undefined : next);
  }

  /** A point to roll back to (see {@link Journal.rollbackTo}). */
  mark(): number {
    return this.undos.length;
  }

  rollback(): void {
    this.rollbackTo(0);
  }

  /** Undoes the mutations made since `mark`. */
  rollbackTo(mark: number): void {
    for (let i = this.undos.length - 1; i >= mark; i--) this.undos[i]?.();
    this.undos.length = Math.min(this.undos.length, mark);
  }
}

function findSheet(state: WorkbookState, key: string): SheetState | undefined {
  const lower = key.toLowerCase();
  return state.sheets.find((s) => s.name.toLowerCase() === lower || s.id === key);
}

/** Whether ExcelApi `have` includes `need` ("1.10" is later than "1.9"). */
function versionAtLeast(have: string, need: string): boolean {
  const a = have.split('.').map(Number);
  const b = need.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** Fails with ApiNotFound when the emulated host's ExcelApi is older than `version`. */
function requireApi(run: SyncRun, version: string, location: string): void {
  if (!versionAtLeast(run.core.apiVersion, version)) {
    throw new EmulatedOfficeError(
      'ApiNotFound',
      `The API you are trying to use could not be found. It may be available in a newer version of Excel. (emulator: ${location} needs ExcelApi ${version}; this host supports ${run.core.apiVersion})`,
      location,
      404,
    );
  }
}

function assertStructureUnprotected(state: WorkbookState, location: string): void {
  if (state.structureProtected) {
    throw new EmulatedOfficeError('AccessDenied', `${MESSAGES.accessDenied} (emulator: the workbook structure is protected)`, location, 403);
  }
}

function invalidOperation(location: string, detail: string): EmulatedOfficeError {
  return new EmulatedOfficeError('InvalidOperation', `The operation isn't supported. (emulator: ${detail})`, location);
}

function assertWritable(sheet: SheetState, location: string): void {
  if (sheet.protected) {
    throw new EmulatedOfficeError('AccessDenied', `${MESSAGES.accessDenied} (emulator: sheet '${sheet.name}' is protected)`, location, 403);
  }
}

function forEachCellIn(sheet: SheetState, rect: Rect, fn: (cell: CellState, key: number, row: number, col: number) => void): void {
  if (cellCountOf(rect) <= sheet.cells.size) {
    for (let r = rect.r0; r <= rect.r1; r++) {
      for (let c = rect.c0; c <= rect.c1; c++) {
        const key = cellKey(r, c);
        const cell = sheet.cells.get(key);
        if (cell) fn(cell, key, r, c);
      }
    }
    return;
  }
  for (const [key, cell] of [...sheet.cells]) {
    const r = Math.floor(key / MAX_COLUMNS);
    const c = key % MAX_COLUMNS;
    if (r >= rect.r0 && r <= rect.r1 && c >= rect.c0 && c <= rect.c1) fn(cell, key, r, c);
  }
}

function usedRect(sheet: SheetState, valuesOnly: boolean, within?: Rect): Rect | null {
  let r0 = Infinity;
  let c0 = Infinity;
  let r1 = -1;
  let c1 = -1;
  for (const [key, cell] of sheet.cells) {
    if (valuesOnly && !hasContent(cell)) continue;
    const r = Math.floor(key / MAX_COLUMNS);
    const c = key % MAX_COLUMNS;
    if (within && (r < within.r0 || r > within.r1 || c < within.c0 || c > within.c1)) continue;
    r0 = Math.min(r0, r);
    c0 = Math.min(c0, c);
    r1 = Math.max(r1, r);
    c1 = Math.max(c1, c);
  }
  return r1 < 0 ? null : { r0, c0, r1, c1 };
}

// ----- cell values in and out -----------------------------------------------------------------

function cellValueOut(cell: CellState | undefined): EmulatedCellValue {
  return cell?.value ?? '';
}

function valueTypeOf(cell: CellState | undefined): Excel.RangeValueType {
  const v = cell?.value ?? null;
  let t: string;
  if (v === null) t = 'Empty';
  else if (typeof v === 'boolean') t = 'Boolean';
  else if (typeof v === 'number') t = 'Double';
  else t = ERROR_VALUES.has(v) ? 'Error' : 'String';
  return t as Excel.RangeValueType;
}

function textOf(cell: CellState | undefined): string {
  const v = cell?.value ?? null;
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v;
  return renderNumber(v, cell?.numberFormat ?? 'General');
}

function typedNumber(s: string): { value: number; format?: string } | null {
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d+))?(%)?$/.exec(s);
  if (!m || (m[1] === undefined && m[2] === undefined)) return null;
  const grouped = m[1]?.includes(',') ?? false;
  const num = Number(`${(m[1] ?? '0').replace(/,/g, '')}${m[2] === undefined ? '' : `.${m[2]}`}`);
  if (m[3]) return { value: num / 100, format: m[2] === undefined ? '0%' : '0.00%' };
  if (grouped) return { value: num, format: m[2] === undefined ? '#,##0' : '#,##0.00' };
  return { value: num };
}

/**
 * Apply one input (as typed by a user or written through `values`/`formulas`) to a cell, following
 * Excel's input rules. Returns the new cell; `null` input means "leave unchanged" and is handled by callers.
 */
function applyInput(prev: CellState, input: unknown, location: string, at: string): CellState {
  const formats: CellState = { ...prev, value: null, formula: undefined };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalidArgument(location, `${input} at ${at} is not a finite number (real Excel silently skips it)`);
    return { ...formats, value: input };
  }
  if (typeof input === 'boolean') return { ...formats, value: input };
  if (typeof input !== 'string') {
    const why = input === undefined ? 'undefined (real Excel silently skips it)' : describeValue(input);
    throw invalidArgument(location, `unsupported cell input ${why} at ${at}`);
  }
  if (input === '') return formats;
  if (input.length > MAX_CELL_TEXT) throw invalidArgument(location, `text at ${at} is longer than ${MAX_CELL_TEXT} characters`);
  // A cell formatted as Text keeps what is written as text, a formula included: "Text: Treats the content of a cell
  // as text and displays the content exactly as you type it" (Microsoft Support, "Available number formats in
  // Excel", https://support.microsoft.com/office/available-number-formats-in-excel-0afe8f52-97db-41f1-b972-4b46e9f1e8d2).
  if (prev.numberFormat === '@') return { ...formats, value: input };
  if (input.startsWith("'")) return { ...formats, value: input.slice(1) };
  const first = input[0];
  if (input.length > 1 && (first === '=' || first === '+' || first === '-')) {
    const formula = first === '=' ? input : `=${input}`;
    assertFormulaWithinLimits(formula, location, `at ${at}`);
    return { ...formats, formula };
  }
  if (/^(true|false)$/i.test(input)) return { ...formats, value: input.toLowerCase() === 'true' };
  const n = typedNumber(input);
  if (n) {
    const general = prev.numberFormat === undefined || prev.numberFormat === 'General';
    return { ...formats, value: n.value, numberFormat: general && n.format ? n.format : prev.numberFormat };
  }
  return { ...formats, value: input };
}

/** Validate a values/formulas/numberFormat argument against a range's size; returns a cell accessor. */
function matrixAccessor(input: unknown, rect: Rect, location: string): (i: number, j: number) => unknown {
  const rows = rect.r1 - rect.r0 + 1;
  const cols = rect.c1 - rect.c0 + 1;
  if (input === null || input === undefined) throw invalidArgument(location, `cannot set ${location} to ${String(input)}`);
  if (!Array.isArray(input)) {
    // A single value is applied to every cell of the range ("If the argument is a single value, it will be applied to
    // all cells in the range": Excel JavaScript API reference, Range.formulas and Range.numberFormat, ExcelApi 1.1).
    if (typeof input === 'object' || typeof input === 'function') throw invalidArgument(location, `expected a 2-D array or a single value, got ${typeof input}`);
    if (rows * cols > MAX_CELLS_PER_WRITE) throw new EmulatorGapError(`${location} broadcast to ${rows * cols} cells (limit ${MAX_CELLS_PER_WRITE})`);
    return () => input;
  }
  const mismatch = (): EmulatedOfficeError =>
    new EmulatedOfficeError(
      'InvalidArgument',
      `${MESSAGES.dimensions} (emulator: range is ${rows}x${cols}, array is ${input.length}x${Array.isArray(input[0]) ? input[0].length : '?'})`,
      location,
    );
  if (input.length !== rows) throw mismatch();
  for (let i = 0; i < rows; i++) {
    const row: unknown = input[i];
    if (!Array.isArray(row)) throw invalidArgument(location, `row ${i} is not an array`);
    if (row.length !== cols) throw mismatch();
  }
  return (i, j) => (input[i] as unknown[])[j];
}

// ---------------------------------------------------------------------------------------------
// Sync machinery
// ---------------------------------------------------------------------------------------------

const NULL_OBJECT = Symbol('null object');
type Null = typeof NULL_OBJECT;
type Res<R> = R | Null;

interface PendingChange {
  sheet: SheetState;
  rect: Rect;
  triggerSource: 'ThisLocalAddin' | 'Unknown';
  details?: EmulatedChangedEventDetail;
  /** "Remote" for a co-author's edit; "Local" otherwise. */
  source?: 'Local' | 'Remote';
}

interface QueuedOp {
  /** What the operation is, for error statements (the request bytes are counted by {@link WireRequest}). */
  wire: Record<string, unknown>;
  /** The id office.js gives the last action queued with it. */
  wireId?: number;
  location: string;
  apply(run: SyncRun): void;
}

/** One sync being applied: the journal plus what to do if it commits. */
/** The per-sync resolution state every proxy carries. */
interface Touched {
  _memo: { run: SyncRun; value: unknown } | undefined;
  _stable: { value: unknown } | undefined;
  _isNull: boolean | undefined;
}

class SyncRun extends Journal {
  readonly touched: Touched[] = [];
  readonly commits: (() => void)[] = [];
  readonly responses: unknown[] = [];
  readonly changes: PendingChange[] = [];

  constructor(readonly core: EmulatorCore) {
    super();
  }

  get state(): WorkbookState {
    return this.core.state;
  }

  /** The id of the action whose results are being written (see {@link respond}). */
  actionId = 0;

  /** An action's result, named by its action id as in office.js' response (`Results: [{ ActionId, Value }]`). */
  respond(data: unknown): void {
    this.responses.push({ ActionId: this.actionId, Value: data });
  }

  onCommit(fn: () => void): void {
    this.commits.push(fn);
  }

  /** Note a content change for onChanged dispatch (only when someone listens and events are on). */
  noteChange(sheet: SheetState, rect: Rect, details?: EmulatedChangedEventDetail): void {
    if (this.core.enableEvents && this.core.hasHandlers(sheet)) {
      this.changes.push(details ? { sheet, rect, triggerSource: 'ThisLocalAddin', details } : { sheet, rect, triggerSource: 'ThisLocalAddin' });
    }
  }
}

/** Write values/formulas input to a rectangle; returns single-cell change details. */
function writeCells(j: Journal, sheet: SheetState, rect: Rect, input: unknown, location: string): EmulatedChangedEventDetail | undefined {
  const at = matrixAccessor(input, rect, location);
  let details: EmulatedChangedEventDetail | undefined;
  for (let r = rect.r0; r <= rect.r1; r++) {
    for (let c = rect.c0; c <= rect.c1; c++) {
      const v = at(r - rect.r0, c - rect.c0);
      if (v === null || isCoveredByMerge(sheet, r, c)) continue;
      const key = cellKey(r, c);
      const prev = sheet.cells.get(key);
      const next = applyInput(prev ?? EMPTY_CELL, v, location, `${columnLetters(c)}${r + 1}`);
      j.putCell(sheet, key, next);
      if (rect.r0 === rect.r1 && rect.c0 === rect.c1) {
        details = { valueBefore: cellValueOut(prev), valueAfter: cellValueOut(next), valueTypeBefore: valueTypeOf(prev), valueTypeAfter: valueTypeOf(next) };
      }
    }
  }
  return details;
}

// A merged area shows the content of its top-left cell only: "When you merge two or more cells, only the contents of
// the upper-left cell are kept; the contents of the other cells are deleted" (Microsoft Support, "Merge and unmerge
// cells", https://support.microsoft.com/office/merge-and-unmerge-cells-5cbd15d5-9375-4540-907f-c673a93fcedf).
// What is written to the other cells of a merged area is not kept.
/** Returns true when (r, c) is a covered cell of a merged area (in one, but not its top-left cell). */
function isCoveredByMerge(sheet: SheetState, r: number, c: number): boolean {
  return sheet.merges.some((m) => r >= m.r0 && r <= m.r1 && c >= m.c0 && c <= m.c1 && (r !== m.r0 || c !== m.c0));
}

function updateEachCell(j: Journal, sheet: SheetState, rect: Rect, location: string, update: (cell: CellState) => CellState): void {
  const count = cellCountOf(rect);
  if (count > MAX_CELLS_PER_WRITE) throw new EmulatorGapError(`${location} on ${count} cells (limit ${MAX_CELLS_PER_WRITE}); format the used range instead`);
  for (let r = rect.r0; r <= rect.r1; r++) {
    for (let c = rect.c0; c <= rect.c1; c++) {
      const key = cellKey(r, c);
      j.putCell(sheet, key, update(sheet.cells.get(key) ?? EMPTY_CELL));
    }
  }
}

function updateExistingCells(j: Journal, sheet: SheetState, rect: Rect, update: (cell: CellState) => CellState): void {
  forEachCellIn(sheet, rect, (cell, key) => j.putCell(sheet, key, update(cell)));
}

/** The uniform value of a per-cell format over a range, Excel-style: null when cells differ. */
function uniformFormat<T>(sheet: SheetState, rect: Rect, pick: (cell: CellState) => T | undefined, fallback: T): T | null {
  let seen = 0;
  let value: T | undefined;
  let mixed = false;
  forEachCellIn(sheet, rect, (cell) => {
    const v = pick(cell);
    if (v === undefined) return;
    seen++;
    if (value === undefined) value = v;
    else if (value !== v) mixed = true;
  });
  if (mixed) return null;
  if (value === undefined) return fallback;
  if (seen === cellCountOf(rect) || value === fallback) return value;
  return null;
}

/**
 * The cell a conditional format's formula is written against: the top-left cell of its first area. For one area this is
 * the top-left cell of the range it was added to; for several, the first area's, which is also the top-left cell of all
 * of them wherever a formula with relative references is emulated (see {@link assertPlainAnchor}).
 */
function anchorOf(areas: readonly Rect[]): { r: number; c: number } {
  const first = areas[0] as Rect;
  return { r: first.r0, c: first.c0 };
}

/**
 * Refuses, as not emulated, a formula with relative references on areas whose first one does not start at the top-left
 * cell of them all ("C1:C3, A5:A6"): which cell Excel reads such a formula against is not documented, and a rule's formula
 * is kept relative to one cell (office-js issue 5194; in a workbook file, the rule's `sqref`).
 */
function assertPlainAnchor(areas: readonly Rect[], formula: string, location: string): void {
  const { r, c } = anchorOf(areas);
  if (areas.every((a) => a.r0 >= r && a.c0 >= c) || !hasRelativeReference(formula)) return;
  throw new EmulatorGapError(
    `${location}: the relative references of ${JSON.stringify(formula)} over ${areas.map((a) => rectAddress(a)).join(', ')}, whose first area does not start at their top-left cell`,
  );
}

/**
 * `areas` less the cells of `cut`: an area inside it goes, an area partly in it is trimmed to what is left when that is
 * one rectangle (splitting an area into several is not emulated), the others stay, in order. The same array when
 * nothing is cut.
 */
function trimAreas(areas: readonly Rect[], cut: Rect, location: string): readonly Rect[] {
  if (!areas.some((a) => intersect(a, cut))) return areas;
  const out: Rect[] = [];
  for (const a of areas) {
    if (!intersect(a, cut)) {
      out.push(a);
      continue;
    }
    if (contains(cut, a)) continue;
    let rest: Rect | null = null;
    if (cut.c0 <= a.c0 && cut.c1 >= a.c1) {
      if (cut.r0 <= a.r0) rest = { ...a, r0: cut.r1 + 1 };
      else if (cut.r1 >= a.r1) rest = { ...a, r1: cut.r0 - 1 };
    } else if (cut.r0 <= a.r0 && cut.r1 >= a.r1) {
      if (cut.c0 <= a.c0) rest = { ...a, c0: cut.c1 + 1 };
      else if (cut.c1 >= a.c1) rest = { ...a, c1: cut.c0 - 1 };
    }
    if (!rest) throw new EmulatorGapError(`${location} splitting a conditional format (${rectAddress(a)}) into several areas`);
    out.push(rest);
  }
  return out;
}

/**
 * Remove the cells of `cuts` from the conditional formats of a sheet (used by clearAll and clear of formats): each area
 * of a rule is trimmed (see {@link trimAreas}) and a rule left with no area is deleted. When the cell a rule's formula is
 * written against moves (its first area went or lost its top rows or left columns), the formula's relative references
 * move with it, so that every cell left keeps its test: Excel holds the test of each cell, and "When you get the formula
 * from a conditional format, it retrieves the formula relative to the top-left cell of the range" (office-js issue
 * 5194, answer of the Excel team, 2025-01-06). A move that would take a reference off the sheet is not emulated.
 */
function trimConditionalFormats(j: Journal, sheet: SheetState, cuts: readonly Rect[], location: string): void {
  for (let i = sheet.cfs.length - 1; i >= 0; i--) {
    const cf = sheet.cfs[i];
    if (!cf) continue;
    let areas = cf.areas;
    for (const cut of cuts) areas = trimAreas(areas, cut, location);
    if (areas === cf.areas) continue;
    if (areas.length === 0) {
      j.splice(sheet.cfs, i, 1);
      continue;
    }
    if (cf.formula !== null) {
      assertPlainAnchor(areas, cf.formula, location);
      const from = anchorOf(cf.areas);
      const to = anchorOf(areas);
      const formula = shiftFormula(cf.formula, to.r - from.r, to.c - from.c);
      if (formula === null) throw new EmulatorGapError(`${location} moving the references of ${JSON.stringify(cf.formula)} off the sheet (Excel writes #REF!)`);
      if (formula !== cf.formula) j.assign(cf, 'formula', formula);
    }
    j.assign(cf, 'areas', areas);
  }
}

// ----- defined names --------------------------------------------------------------------------

const NAME_REFERENCE = /^=(?:'((?:[^']|'')+)'|([^'!=]+))!(\$?[A-Za-z]{0,3}\$?\d{0,7}(?::\$?[A-Za-z]{0,3}\$?\d{0,7})?)$/;

function validateDefinedName(name: unknown, location: string): string {
  if (typeof name !== 'string') throw invalidArgument(location, `a name must be a string, got ${describeValue(name)}`);
  const ok =
    name.length > 0 &&
    name.length <= 255 &&
    /^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name) &&
    parseA1(name) === null &&
    !/^[RrCc]$/.test(name) &&
    !/^[Rr]\d*[Cc]\d*$/.test(name);
  if (!ok) throw invalidArgument(location, `"${name}" is not a valid defined name`);
  return name;
}

function parseNameReference(state: WorkbookState, formula: string): { sheet: SheetState; rect: Rect } | null | 'bad' {
  const m = NAME_REFERENCE.exec(formula);
  if (!m) return null;
  // A sheet name must be quoted in a reference when it holds anything but letters, digits, "_" and "." ("If the
  // worksheet name includes spaces or non-alphabetical characters, you must enclose it in single quotation marks",
  // Microsoft Support, "Create or change a cell reference",
  // https://support.microsoft.com/office/create-or-change-a-cell-reference-c7b8b95d-c594-4488-947e-c835903cebaa),
  // and when it reads as a reference itself: Q1!$A$1, FY24!$A$1, R1C1!$A$1 are refused, as Excel does, which
  // writes such names quoted ('Q1'!$A$1) wherever it shows a reference.
  if (m[2] !== undefined && quoteSheetName(m[2]) !== m[2]) return 'bad';
  const sheetName = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  const sheet = sheetName === undefined ? undefined : findSheet(state, sheetName);
  const rect = parseA1((m[3] ?? '').replace(/\$/g, ''));
  if (!sheet || !rect) return 'bad';
  return { sheet, rect };
}

/**
 * An array constant's body ("{"a","b";"c","d"}") as its rows, or null when it is not one. Excel's rules (Microsoft
 * Support, "Use array constants in array formulas",
 * https://support.microsoft.com/office/use-array-constants-in-array-formulas-477443ea-5e71-4242-877d-fcaf6ba3f7ec):
 * numbers, text in double quotes, logical values and errors, columns split by commas and rows by semicolons, every
 * row as long as the first; no references, formulas or nested arrays. 'bad' when it is an array that breaks them.
 */
function parseArrayConstant(body: string): unknown[][] | null | 'bad' {
  if (!body.startsWith('{')) return null;
  if (!body.endsWith('}')) return 'bad';
  const rows: unknown[][] = [[]];
  const item = /\s*(?:"((?:[^"]|"")*)"|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(TRUE|FALSE)|(#[A-Z0-9/!?]+))\s*([,;}])/iy;
  item.lastIndex = 1;
  for (;;) {
    const m = item.exec(body);
    if (m === null) return 'bad';
    const row = rows[rows.length - 1] as unknown[];
    if (m[1] !== undefined) {
      // Text in a formula holds at most 255 characters (Microsoft Support, "Excel specifications and limits").
      if (m[1].length > 255) return 'bad';
      row.push(m[1].replace(/""/g, '"'));
    } else if (m[2] !== undefined) row.push(Number(m[2]));
    else if (m[3] !== undefined) row.push(m[3].toUpperCase() === 'TRUE');
    else if (m[4] !== undefined && ERROR_VALUES.has(m[4].toUpperCase())) row.push(m[4].toUpperCase());
    else return 'bad';
    if (m[5] === ';') rows.push([]);
    if (m[5] === '}') break;
  }
  if (item.lastIndex !== body.length) return 'bad';
  const width = rows[0]?.length ?? 0;
  return rows.every((r) => r.length === width) ? rows : 'bad';
}

function validateNameFormula(state: WorkbookState, reference: unknown, location: string): string {
  if (typeof reference !== 'string') throw invalidArgument(location, `a reference must be a string or a Range, got ${describeValue(reference)}`);
  if (!reference.startsWith('=') || reference.length < 2) {
    throw invalidArgument(location, `reference "${reference}" must be a formula starting with "=", e.g. "=Sheet1!$A$1:$A$9"`);
  }
  assertFormulaWithinLimits(reference, location, 'of the name');
  if (parseNameReference(state, reference) === 'bad') throw invalidArgument(location, `reference "${reference}" names a missing sheet, a sheet name that needs quotes but has none, or an invalid address`);
  if (parseArrayConstant(reference.slice(1)) === 'bad') throw invalidArgument(location, `reference "${reference}" is not a valid array constant (rows of equal length; numbers, "text", TRUE/FALSE or errors only)`);
  return reference;
}

function rangeFormula(sheet: SheetState, rect: Rect): string {
  return `=${quoteSheetName(sheet.name)}!${rectAddress(rect, true)}`;
}

const ARRAY_VALUE_GAP = Symbol('array constant value');

function nameTypeAndValue(state: WorkbookState, ns: NameState): { type: string; value: unknown } {
  const ref = parseNameReference(state, ns.formula);
  if (ref && ref !== 'bad') return { type: 'Range', value: ns.formula.slice(1) };
  const body = ns.formula.slice(1);
  // NamedItemType "Array"; its items are read through arrayValues (ExcelApi 1.7), which is not emulated.
  if (body.startsWith('{')) return { type: 'Array', value: ARRAY_VALUE_GAP };
  if (/^-?\d+(\.\d+)?$/.test(body)) return { type: 'Double', value: Number(body) };
  if (/^"([^"]|"")*"$/.test(body)) return { type: 'String', value: body.slice(1, -1).replace(/""/g, '"') };
  if (/^(TRUE|FALSE)$/i.test(body)) return { type: 'Boolean', value: body.toUpperCase() === 'TRUE' };
  if (ERROR_VALUES.has(body)) return { type: 'Error', value: body };
  throw new EmulatorGapError(`NamedItem type/value of the computed formula "${ns.formula}"`);
}

// ----- settings -------------------------------------------------------------------------------

/** Serialise a setting value like office-js: Dates become "Date(ms)", everything else must be JSON. */
function settingToJson(value: unknown): string {
  const text = JSON.stringify(value, function (this: Record<string, unknown>, k: string, v: unknown) {
    const original = this[k];
    return original instanceof Date ? `Date(${original.getTime()})` : v;
  });
  if (text === undefined) throw new SyntaxError(`A setting value must be JSON-serialisable; got ${describeValue(value)}`);
  return text;
}

function settingFromJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) =>
    typeof v === 'string' && /^Date\(-?\d+\)$/.test(v) ? new Date(Number(v.slice(5, -1))) : v,
  );
}

// ---------------------------------------------------------------------------------------------
// The request body office.js sends
// ---------------------------------------------------------------------------------------------
//
// A sync's request bytes are those of the JSON body office.js would send for the same calls. The model follows
// @microsoft/office-js (dist/excel-web-16.00.debug.js, Microsoft's own serializer, shipped for development and tests):
// ClientRequestBase.buildRequestMessageBodyAndRequestFlags builds `{ AutoKeepReference, Actions, ObjectPaths }`, which
// RichApiMessageUtility.buildMessageArrayForIRequestExecutor sends as JSON.stringify(body).
// - ObjectPaths maps each path id to its ObjectPathInfo `{ Id, ObjectPathType, Name, ParentObjectPathId, ArgumentInfo }`
//   (ObjectPathFactory.createGlobalObjectObjectPath: type 1; createMethodObjectPath: 3, with the method's arguments;
//   createPropertyObjectPath: 4; createIndexerObjectPath, e.g. `worksheets.getItem(key)`: 5). A request holds every
//   path one of its actions references, with the parents and argument paths of each (addReferencedObjectPath), each
//   once; a later request sends a path again only when it uses it.
// - Actions: each has `{ Id, ActionType, Name, ObjectPathId }`: 1 Instantiate (no more), 2 Query (`QueryInfo`, from
//   ClientRequestContextBase._parseQueryOption), 3 Method (ActionFactory.createMethodAction) and 4 SetProperty
//   (CommonActionFactory.createSetPropertyAction), both with `ArgumentInfo: { Arguments }` (and
//   `ReferencedObjectPathIds` when an argument is a client object, which goes as its path id: collectObjectPathInfos).
//   Names are the API's, capitalised ("Formulas", "NumberFormat", "GetRangeByIndexes", "Add"; loads keep the names as
//   written). Every client object made gets an Instantiate action as it is made (ClientObject's constructor,
//   ActionFactory.createInstantiateAction), and a path made in an earlier request gets one in each later request that
//   uses it, after its parents' (ClientRequestBase.ensureInstantiateObjectPath).
// - Inside Excel.run (`_autoCleanup`), a Range or RangeAreas is tracked as it is made (TrackedObjects._autoAdd): a
//   `_KeepReference` method action and a second Instantiate; `AutoKeepReference` is then true.
// - ClientRequestBase._calculateLastUsedObjectPathIds gives the last action that uses each path an `L` list of ids.
// - Ids come from one counter per context (ClientRequestContextBase._nextId), shared by paths and actions.
// - Setting formulas, values or numberFormat of more than 1,500 cells (setRangePropertiesInBulk) sends
//   `_ValidateArraySize` and then one SetProperty per block of rows, each on `getRow(i).getBoundingRect(getRow(j))`
//   with both rows untracked (`D: true`, and their `_KeepReference` withdrawn: TrackedObjects._removeCommon).
// - After a response, a worksheet's path becomes `worksheets[id]` (ObjectPath.updateUsingObjectData, through
//   Worksheet._collectionPropertyPath), and a null object's path type 7.
// Not modelled, so counted high: a Range's path becoming a reference id (`_ReferenceId`) after its first request.

/** One office.js ObjectPath. */
class WirePath {
  /** ObjectPathInfo as JSON; '' when it must be written again. */
  _json = '';
  /** ParentObjectPathId as sent (a null object keeps it, though its parent is no longer walked). */
  parentId: number | undefined;
  /** `D: true`: untracked. */
  dontKeep = false;

  constructor(
    readonly id: number,
    public type: number,
    public name: string,
    public parent: WirePath | null,
    /** ArgumentInfo.Arguments (client objects as their path ids); undefined for none. */
    public args: readonly unknown[] | undefined,
    public refIds: readonly unknown[] | undefined,
    public argPaths: readonly WirePath[],
    readonly owner: ClientObjectImpl<unknown> | null,
  ) {
    this.parentId = parent?.id;
  }

  json(): string {
    if (this._json === '') {
      const info: Record<string, unknown> = { Id: this.id, ObjectPathType: this.type, Name: this.name };
      if (this.parentId !== undefined) info.ParentObjectPathId = this.parentId;
      // Global (1) and property (4) paths have no ArgumentInfo; the others have one, maybe empty.
      if (this.type !== 1 && this.type !== 4) {
        info.ArgumentInfo = this.args === undefined ? {} : this.refIds ? { Arguments: this.args, ReferencedObjectPathIds: this.refIds } : { Arguments: this.args };
      }
      if (this.dontKeep) info.D = true;
      this._json = JSON.stringify(info);
    }
    return this._json;
  }

  /** Rewrite after a response (ObjectPath.updateUsingObjectData / _updateAsNullObject). */
  rewrite(type: number, parent: WirePath | null, args: readonly unknown[] | undefined): void {
    this.type = type;
    this.name = '';
    if (type !== 7) this.parentId = parent?.id;
    this.parent = parent;
    this.args = args;
    this.refIds = undefined;
    this.argPaths = [];
    this._json = '';
  }
}

interface WireAction {
  id: number;
  type: 1 | 2 | 3 | 4;
  name: string;
  path: WirePath;
  argPaths: readonly WirePath[];
  /** UTF-8 bytes of the action's JSON without its `L` list. */
  bytes: number;
}

/** What makes an object's path: its parent object and how it is reached from it. */
interface WireStep {
  parent: ClientObjectImpl<unknown> | null;
  /** ObjectPathType: 1 global, 3 method, 4 property, 5 indexer. */
  type: 1 | 3 | 4 | 5;
  name: string;
  args?: readonly unknown[];
}

const wireProperty = (parent: ClientObjectImpl<unknown>, name: string): WireStep => ({ parent, type: 4, name });
const wireMethod = (parent: ClientObjectImpl<unknown>, name: string, args: readonly unknown[]): WireStep => ({ parent, type: 3, name, args });
const wireIndexer = (parent: ClientObjectImpl<unknown>, args: readonly unknown[]): WireStep => ({ parent, type: 5, name: '', args });

/** An API member's name as office.js sends it ("numberFormat" -> "NumberFormat"). */
function wireName(member: string): string {
  return member.charAt(0).toUpperCase() + member.slice(1);
}

/** Arguments as CommonUtility.setMethodArguments sends them: client objects become their path ids. */
function wireArguments(args: readonly unknown[]): { args: unknown[]; refIds: unknown[] | undefined; argPaths: WirePath[] } {
  const argPaths: WirePath[] = [];
  let hasOne = false;
  const refIds: unknown[] = [];
  const out = args.map((a) => {
    if (a instanceof ClientObjectImpl) {
      const p = (a as ClientObjectImpl<unknown>)._wirePath;
      argPaths.push(p);
      refIds.push(p.id);
      hasOne = true;
      return p.id;
    }
    refIds.push(0);
    return a;
  });
  return { args: out, refIds: hasOne ? refIds : undefined, argPaths };
}

/** QueryInfo of a load, as ClientRequestContextBase._parseQueryOption writes it. */
function wireQueryInfo(option: unknown): Record<string, unknown> {
  const parse = (text: string): string[] =>
    text
      .split(',')
      .map((name) => {
        const n = name.trim();
        const lower = n.toLowerCase();
        if (lower === 'items' || lower === 'items/') return '*';
        const rest = lower.startsWith('items/') || lower.startsWith('items.') ? n.slice(6) : n;
        return rest.replace(/[/.]items[/.]/gi, '/');
      })
      .filter((n) => n.length > 0);
  if (typeof option === 'string') return { Select: parse(option) };
  if (Array.isArray(option)) return { Select: option };
  if (option !== null && typeof option === 'object') {
    const o = option as Record<string, unknown>;
    const q: Record<string, unknown> = {};
    if (typeof o.select === 'string') q.Select = parse(o.select);
    else if (Array.isArray(o.select)) q.Select = o.select;
    if (typeof o.expand === 'string') q.Expand = parse(o.expand);
    else if (Array.isArray(o.expand)) q.Expand = o.expand;
    if (typeof o.top === 'number') q.Top = o.top;
    if (typeof o.skip === 'number') q.Skip = o.skip;
    return q;
  }
  return {};
}

/** Cells above which office.js splits a Range write into blocks of rows (setRangePropertiesInBulk). */
const BULK_SET_CELLS = 1500;
const BULK_SET_PROPERTIES = new Set(['formulas', 'formulasLocal', 'formulasR1C1', 'numberFormat', 'values']);

/** The request office.js is building for a context (ClientRequest). */
class WireRequest {
  readonly actions: WireAction[] = [];
  readonly paths = new Map<number, WirePath>();
  readonly instantiated = new Set<number>();
  /** The paths instantiated in this request, in order. */
  readonly made: WirePath[] = [];
  /** Why the body cannot be serialised, if it cannot. */
  error: string | undefined;

  constructor(readonly ctx: ContextImpl) {}

  /** ClientRequestBase.ensureInstantiateObjectPath. */
  ensure(path: WirePath | null): void {
    if (!path || this.instantiated.has(path.id)) return;
    this.ensure(path.parent);
    for (const a of path.argPaths) this.ensure(a);
    if (!this.instantiated.has(path.id)) this.instantiate(this.ctx._nextWireId(), path);
  }

  /** ClientRequestBase.addReferencedObjectPath. */
  reference(path: WirePath | null): void {
    if (!path || this.paths.has(path.id)) return;
    for (let p: WirePath | null = path; p; p = p.parent) {
      this.paths.set(p.id, p);
      if (p.type === 3) for (const a of p.argPaths) this.reference(a);
    }
  }

  push(action: WireAction): void {
    this.actions.push(action);
    if (action.type === 1 && !this.instantiated.has(action.path.id)) {
      this.instantiated.add(action.path.id);
      this.made.push(action.path);
    }
    this.reference(action.path);
    for (const a of action.argPaths) this.reference(a);
  }

  instantiate(id: number, path: WirePath): void {
    this.push({ id, type: 1, name: '', path, argPaths: [], bytes: utf8Length(JSON.stringify({ Id: id, ActionType: 1, Name: '', ObjectPathId: path.id })) });
  }

  /** ClientObject._addAction for a method (3) or set-property (4) action whose id was taken first. */
  act(id: number, type: 3 | 4, path: WirePath, name: string, rawArgs: readonly unknown[]): void {
    const { args, refIds, argPaths } = wireArguments(rawArgs);
    this.ensure(path);
    for (const a of argPaths) this.ensure(a);
    const info = { Id: id, ActionType: type, Name: name, ObjectPathId: path.id, ArgumentInfo: refIds ? { Arguments: args, ReferencedObjectPathIds: refIds } : { Arguments: args } };
    let bytes = 0;
    try {
      bytes = utf8Length(JSON.stringify(info));
    } catch (e) {
      // office.js fails as it sends the request; so does the emulator's sync.
      this.error ??= (e as Error).message;
    }
    this.push({ id, type, name, path, argPaths, bytes });
  }

  query(path: WirePath, option: unknown): void {
    const id = this.ctx._nextWireId();
    this.ensure(path);
    const text = JSON.stringify({ Id: id, ActionType: 2, Name: '', ObjectPathId: path.id, QueryInfo: wireQueryInfo(option) });
    this.push({ id, type: 2, name: '', path, argPaths: [], bytes: utf8Length(text) });
  }

  /** A client object made: its Instantiate action, and inside Excel.run a Range's `_KeepReference` (see above). */
  made_(path: WirePath, keepsReference: boolean): void {
    this.ensure(path.parent);
    for (const a of path.argPaths) this.ensure(a);
    this.instantiate(this.ctx._nextWireId(), path);
    if (keepsReference && this.ctx._open) {
      this.act(this.ctx._nextWireId(), 3, path, '_KeepReference', []);
      this.ensure(path.parent);
      this.instantiate(this.ctx._nextWireId(), path);
    }
  }

  /** TrackedObjects._removeCommon: `D: true`, and the path's last `_KeepReference` of this request withdrawn. */
  untrack(path: WirePath): void {
    path.dontKeep = true;
    path._json = '';
    for (let i = this.actions.length - 1; i >= 0; i--) {
      const a = this.actions[i] as WireAction;
      if (a.path === path && a.type === 3 && a.name === '_KeepReference') {
        this.actions.splice(i, 1);
        break;
      }
    }
  }

  /** A Range path made by office.js alone (the blocks of a bulk write). */
  rangePath(parent: WirePath, name: string, rawArgs: readonly unknown[]): WirePath {
    const id = this.ctx._nextWireId();
    const { args, refIds, argPaths } = wireArguments(rawArgs);
    const path = new WirePath(id, 3, name, parent, args, refIds, argPaths, null);
    this.made_(path, true);
    this.untrack(path);
    return path;
  }

  /** A write of formulas, values or numberFormat to a range, split as setRangePropertiesInBulk splits it. */
  setOnRange(path: WirePath, name: string, value: unknown): void {
    const rows = Array.isArray(value) ? value.length : 0;
    const first: unknown = rows > 0 ? (value as unknown[])[0] : undefined;
    const cols = Array.isArray(first) ? first.length : 0;
    if (rows * cols <= BULK_SET_CELLS) {
      this.act(this.ctx._nextWireId(), 4, path, name, [value]);
      return;
    }
    const values = value as unknown[];
    this.act(this.ctx._nextWireId(), 3, path, '_ValidateArraySize', [rows, cols]);
    const step = Math.max(1, Math.round(BULK_SET_CELLS / cols));
    for (let start = 0; start < rows; start += step) {
      const count = Math.min(step, rows - start);
      const top = this.rangePath(path, 'GetRow', [start]);
      const bottom = this.rangePath(path, 'GetRow', [start + count - 1]);
      const id = this.ctx._nextWireId();
      const block = new WirePath(id, 3, 'GetBoundingRect', top, [bottom.id], [bottom.id], [bottom], null);
      this.made_(block, true);
      this.untrack(block);
      this.act(this.ctx._nextWireId(), 4, block, name, [values.slice(start, start + count)]);
    }
  }

  /** UTF-8 bytes of `JSON.stringify(body)`, with each action's `L` list (_calculateLastUsedObjectPathIds). */
  bytes(): number {
    const lastUse = new Map<number, number>();
    const mark = (path: WirePath | null, actionId: number): void => {
      for (let p = path; p && !lastUse.has(p.id); p = p.parent) {
        lastUse.set(p.id, actionId);
        for (const a of p.argPaths) mark(a, actionId);
      }
    };
    for (let i = this.actions.length - 1; i >= 0; i--) {
      const a = this.actions[i] as WireAction;
      mark(a.path, a.id);
      for (const p of a.argPaths) mark(p, a.id);
    }
    const lists = new Map<number, number>();
    for (const [pathId, actionId] of lastUse) lists.set(actionId, (lists.get(actionId) ?? 0) + (lists.has(actionId) ? 1 : 0) + String(pathId).length);
    const keepReference = this.ctx._open && this.actions.some((a) => a.type === 3 && a.name === '_KeepReference');
    let n = `{"AutoKeepReference":${keepReference},"Actions":[],"ObjectPaths":{}}`.length;
    for (const a of this.actions) {
      const list = lists.get(a.id);
      n += a.bytes + 1 + (list === undefined ? 0 : ',"L":[]'.length + list);
    }
    if (this.actions.length > 0) n -= 1;
    for (const p of this.paths.values()) n += `"${p.id}":`.length + utf8Length(p.json()) + 1;
    if (this.paths.size > 0) n -= 1;
    return n;
  }
}

// ---------------------------------------------------------------------------------------------
// Proxy objects
// ---------------------------------------------------------------------------------------------

const QUIET_PROPS = new Set(['then', 'asymmetricMatch', 'nodeType', 'tagName', 'nodeName', 'toJSON', 'constructor', 'inspect', 'length']);

function findDescriptor(obj: object, prop: string): PropertyDescriptor | undefined {
  for (let o: object | null = obj; o; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, prop);
    if (d) return d;
  }
  return undefined;
}

/** Wrap an object so that members it does not define throw "not emulated" (and read-only ones refuse writes). */
function strict<T extends object>(target: T, typeName: string): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'symbol' || prop in t) return Reflect.get(t, prop, receiver) as unknown;
      if (prop.startsWith('_') || prop.startsWith('$') || prop.startsWith('@') || QUIET_PROPS.has(prop)) return undefined;
      throw new EmulatorGapError(`${typeName}.${prop}`);
    },
    set(t, prop, value, receiver) {
      if (typeof prop === 'symbol' || prop.startsWith('_')) return Reflect.set(t, prop, value, receiver);
      const d = findDescriptor(t, prop);
      if (!d) throw new EmulatorGapError(`${typeName}.${prop} (set)`);
      if ((d.get || d.set) && !d.set) throw new TypeError(`Cannot set read-only property ${typeName}.${prop}`);
      return Reflect.set(t, prop, value, receiver);
    },
  });
}

interface ScalarDef<R> {
  get?: (run: SyncRun, ref: R) => unknown;
  set?: (run: SyncRun, ref: R, value: unknown, location: string) => void;
}

/** Parse a load option into property paths; null means "all scalar properties". */
function parseLoadOption(option: unknown, typeName: string): string[] | null {
  if (option === undefined || option === null) return null;
  let names: string[];
  if (typeof option === 'string') names = option.split(',');
  else if (Array.isArray(option)) names = option.map(String);
  else if (typeof option === 'object') {
    const o = option as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k !== 'select' && k !== 'expand') throw new EmulatorGapError(`${typeName}.load option "${k}"`);
    }
    const part = (v: unknown): string[] => (v === undefined ? [] : typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v.map(String) : []);
    names = [...part(o.select), ...part(o.expand)];
  } else throw invalidArgument(`${typeName}.load`, `bad load option ${describeValue(option)}`);
  const out = names.map((n) => n.trim()).filter((n) => n.length > 0);
  return out.length === 0 ? null : out;
}

/** Base of every emulated proxy: queued actions, loaded properties, null-object state. */
abstract class ClientObjectImpl<R> {
  _loaded = new Map<string, unknown>();
  _isNull: boolean | undefined = undefined;
  _stable: { value: Res<R> } | undefined = undefined;
  _memo: { run: SyncRun; value: Res<R> } | undefined = undefined;
  _children = new Map<string, unknown>();
  _proxy: this;
  /** This object's path in the request body office.js sends (see {@link WireRequest}). */
  readonly _wirePath: WirePath;

  constructor(
    readonly _ctx: ContextImpl,
    readonly _path: string,
    readonly _resolver: (run: SyncRun) => Res<R>,
    instantiate: boolean,
    step: WireStep,
  ) {
    this._proxy = strict(this, this._typeName());
    this._wirePath = _ctx._wireMake(this as ClientObjectImpl<unknown>, step);
    if (instantiate && _ctx._open) {
      _ctx._enqueue({
        wire: { a: 'instantiate', o: _path },
        wireId: _ctx._wireId,
        location: this._typeName(),
        apply: (run) => {
          const value = this._resolve(run);
          run.onCommit(() => {
            this._isNull = value === NULL_OBJECT;
          });
        },
      });
    }
  }

  abstract _typeName(): string;

  /** Scalar properties: loadable ones have `get`, writable ones `set`. */
  _scalars(): Record<string, ScalarDef<R>> {
    return {};
  }

  /** Navigation properties that `load('nav/prop')` may walk through. */
  _navs(): readonly string[] {
    return [];
  }

  /** Check a cached resolution is still valid (e.g. the item was not deleted); throws when it is not. */
  _revalidate(value: R, location: string): void {
    void value;
    void location;
  }

  get context(): EmulatedRequestContext {
    return this._ctx._proxy;
  }

  get isNullObject(): boolean {
    if (this._isNull === undefined) throw propertyNotLoaded(this._typeName(), 'isNullObject');
    return this._isNull;
  }

  _resolve(run: SyncRun, location = this._typeName()): Res<R> {
    if (this._memo && this._memo.run === run) return this._memo.value;
    let value: Res<R>;
    if (this._stable) {
      value = this._stable.value;
      if (value !== NULL_OBJECT) this._revalidate(value, location);
    } else value = this._resolver(run);
    this._memoize(run, value);
    return value;
  }

  _memoize(run: SyncRun, value: Res<R>): void {
    this._memo = { run, value };
    run.touched.push(this);
  }

  _resolveNonNull(run: SyncRun, member: string): R {
    const location = `${this._typeName()}.${member}`;
    const value = this._resolve(run, location);
    if (value === NULL_OBJECT) {
      throw itemNotFound(location, `${this._typeName()} at ${this._path} is a null object; check isNullObject after a sync before using it`);
    }
    return value;
  }

  /** Queue an action on this object. */
  /**
   * Queue an action on this object. `call` is the method action office.js sends for it (by default the member,
   * capitalised, with `wire.args`); null when it sends none of its own (a write, counted by `_set`; an `add`, which is
   * the Instantiate action of the object it makes).
   */
  _act(member: string, wire: Record<string, unknown>, apply: (run: SyncRun) => void, call?: { name: string; args: readonly unknown[] } | null): void {
    if (call !== null && this._ctx._open) {
      const c = call ?? { name: wireName(member), args: Array.isArray(wire.args) ? (wire.args as unknown[]) : [] };
      this._ctx._wire.act(this._ctx._nextWireId(), 3, this._wirePath, c.name, c.args);
    }
    this._ctx._enqueue({ wire: { a: member, o: this._path, ...wire }, location: `${this._typeName()}.${member}`, apply, wireId: this._ctx._wireId });
  }

  /** Whether office.js tracks this object as it is made inside Excel.run (a Range or RangeAreas: `_KeepReference`). */
  _keepsReference(): boolean {
    return false;
  }

  /** A property object office.js makes under this one that the emulator does not model as a proxy (e.g. a chart series' format.fill). */
  _wireChild(names: string): WirePath {
    let path = this._wirePath;
    let key = '@wire';
    for (const name of names.split('/')) {
      key += `/${name}`;
      let child = this._children.get(key) as WirePath | undefined;
      if (!child) {
        child = new WirePath(this._ctx._nextWireId(), 4, name, path, undefined, undefined, [], null);
        if (this._ctx._open) this._ctx._wire.made_(child, false);
        this._children.set(key, child);
      }
      path = child;
    }
    return path;
  }

  /** Read a loaded scalar property (PropertyNotLoaded until loaded+synced or set in this batch). */
  _get<T>(name: string): T {
    if (this._loaded.has(name)) return this._loaded.get(name) as T;
    if (this._isNull === true) return undefined as T;
    throw propertyNotLoaded(this._typeName(), name);
  }

  /** Queue a property write; the value is readable at once, like office-js. */
  _set(name: string, value: unknown): void {
    const def = this._scalars()[name];
    const setter = def?.set;
    if (!setter) throw new EmulatorGapError(`${this._typeName()}.${name} (set)`);
    const location = `${this._typeName()}.${name}`;
    if (this._ctx._open) {
      if (this instanceof RangeImpl && BULK_SET_PROPERTIES.has(name)) this._ctx._wire.setOnRange(this._wirePath, wireName(name), value);
      else this._ctx._wire.act(this._ctx._nextWireId(), 4, this._wirePath, wireName(name), [value]);
    }
    this._act(name, { set: value }, (run) => setter(run, this._resolveNonNull(run, name), value, location), null);
    this._loaded.set(name, value);
  }

  /** Cached navigation child proxy. */
  _child<C>(name: string, make: () => C): C {
    if (!this._children.has(name)) this._children.set(name, make());
    return this._children.get(name) as C;
  }

  /** One Query action per load, however many of the emulator's loads it makes (navigation properties). */
  load(option?: unknown): this {
    if (this._ctx._inLoad) return this._load(option);
    if (this._ctx._open) this._ctx._wire.query(this._wirePath, option);
    this._ctx._inLoad = true;
    try {
      return this._load(option);
    } finally {
      this._ctx._inLoad = false;
    }
  }

  _load(option?: unknown): this {
    const names = parseLoadOption(option, this._typeName());
    const scalars = this._scalars();
    const selected: string[] = [];
    if (names === null) {
      for (const [k, def] of Object.entries(scalars)) if (def.get) selected.push(k);
    } else {
      for (const name of names) {
        const [head = '', ...rest] = name.split(/[/.]/);
        if (scalars[head]?.get) {
          if (rest.length > 0) throw new EmulatorGapError(`${this._typeName()}.load("${name}")`);
          if (!selected.includes(head)) selected.push(head);
        } else if (this._navs().includes(head)) {
          const child = (this._proxy as unknown as Record<string, ClientObjectImpl<unknown>>)[head];
          child?.load(rest.length > 0 ? rest.join('/') : undefined);
        } else if (head !== 'isNullObject') {
          throw new EmulatorGapError(`${this._typeName()}.${head} (load)`);
        }
      }
    }
    if (selected.length > 0 || names === null) this._queueLoad(selected);
    return this._proxy;
  }

  _queueLoad(selected: string[]): void {
    const scalars = this._scalars();
    this._act('load', { select: selected }, (run) => {
      const ref = this._resolve(run, `${this._typeName()}.load`);
      if (ref === NULL_OBJECT) {
        run.respond({ isNull: true });
        run.onCommit(() => {
          this._isNull = true;
        });
        return;
      }
      const data: Record<string, unknown> = {};
      for (const k of selected) data[k] = scalars[k]?.get?.(run, ref);
      run.respond({ d: data });
      run.onCommit(() => {
        this._isNull = false;
        for (const [k, v] of Object.entries(data)) this._loaded.set(k, v);
      });
    }, null);
  }

  track(): this {
    return this._proxy;
  }

  untrack(): this {
    return this._proxy;
  }

  /** Apply several property writes, like office-js `set(properties)`. */
  set(properties: object): void {
    const self = this._proxy as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(properties) as [string, unknown][]) {
      if (this._navs().includes(k) && v !== null && typeof v === 'object') (self[k] as ClientObjectImpl<unknown>).set(v);
      else self[k] = v;
    }
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of this._loaded) {
      out[k] = Array.isArray(v) && v.every((x) => x instanceof ClientObjectImpl) ? v.map((x: ClientObjectImpl<unknown>) => x.toJSON()) : v;
    }
    for (const [k, child] of this._children) {
      if (child instanceof ClientObjectImpl) {
        const json = child.toJSON();
        if (Object.keys(json).length > 0) out[k] = json;
      }
    }
    return out;
  }
}

/** A value returned by a method (e.g. getCount); readable after sync. */
class ClientResultImpl<T> implements EmulatedClientResult<T> {
  _value: T | undefined = undefined;
  _ready = false;

  get value(): T {
    if (!this._ready) {
      throw new EmulatedOfficeError(
        'ValueNotLoaded',
        'The value of the result object has not been loaded yet. Before reading the value property, call "context.sync()" on the associated request context.',
        'ClientResult.value',
      );
    }
    return this._value as T;
  }
}

/** Base of collections: `items` after load, item properties loaded with `load('items/x')`. */
abstract class CollectionImpl<R, I extends ClientObjectImpl<IR>, IR> extends ClientObjectImpl<R> {
  abstract _itemScalars(): Record<string, ScalarDef<IR>>;
  abstract _listItems(run: SyncRun, ref: R): IR[];
  abstract _makeItem(ref: IR): I;

  get items(): I[] {
    return this._get<I[]>('items');
  }

  override _load(option?: unknown): this {
    const names = parseLoadOption(option, this._typeName());
    const scalars = this._itemScalars();
    const all = Object.keys(scalars).filter((k) => scalars[k]?.get);
    let selected: string[] = [];
    if (names === null) selected = all;
    else {
      for (const raw of names) {
        const name = raw.replace(/^items[/.]/i, '');
        if (name === 'items' || name === '*') selected = [...new Set([...selected, ...all])];
        else if (scalars[name]?.get) {
          if (!selected.includes(name)) selected.push(name);
        } else throw new EmulatorGapError(`${this._typeName()}.load("${raw}")`);
      }
    }
    this._act('load', { select: ['items', ...selected] }, (run) => {
      const ref = this._resolveNonNull(run, 'load');
      const refs = this._listItems(run, ref);
      const rows = refs.map((r) => {
        const d: Record<string, unknown> = {};
        for (const k of selected) d[k] = scalars[k]?.get?.(run, r);
        return d;
      });
      run.respond({ items: rows });
      run.onCommit(() => {
        const items = refs.map((r, i) => {
          const item = this._makeItem(r);
          item._stable = { value: r };
          item._isNull = false;
          for (const [k, v] of Object.entries(rows[i] ?? {})) item._loaded.set(k, v);
          return item._proxy;
        });
        this._isNull = false;
        this._loaded.set('items', items);
      });
    }, null);
    return this._proxy;
  }

  /** Queue a count query. */
  _count(run: SyncRun, ref: R): number {
    return this._listItems(run, ref).length;
  }

  getCount(): EmulatedClientResult<number> {
    const result = new ClientResultImpl<number>();
    this._act('getCount', {}, (run) => {
      const n = this._count(run, this._resolveNonNull(run, 'getCount'));
      run.respond({ value: n });
      run.onCommit(() => {
        result._value = n;
        result._ready = true;
      });
    }, { name: 'GetCount', args: this instanceof WorksheetCollectionImpl ? [null] : [] });
    return strict(result, 'ClientResult');
  }
}

function createdByAction<R>(what: string): (run: SyncRun) => Res<R> {
  return () => {
    throw new EmulatedOfficeError('InvalidObjectPath', `The object path isn't working for what you're trying to do. (emulator: ${what} was created by an action of a sync that failed)`, what);
  };
}

function checkIndex(n: unknown, location: string, what: string, min = 0): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) throw invalidArgument(location, `${what} must be an integer >= ${min}, got ${describeValue(n)}`);
  return n;
}

function checkInGrid(rect: Rect, location: string): Rect {
  if (rect.r0 < 0 || rect.c0 < 0 || rect.r1 >= MAX_ROWS || rect.c1 >= MAX_COLUMNS || rect.r0 > rect.r1 || rect.c0 > rect.c1) {
    throw invalidArgument(location, 'the resulting range is outside the worksheet grid');
  }
  return rect;
}

// ----- Workbook, application, runtime ---------------------------------------------------------

class WorkbookImpl extends ClientObjectImpl<WorkbookState> implements EmulatedWorkbook {
  _typeName(): string {
    return 'Workbook';
  }

  override _navs(): readonly string[] {
    return ['worksheets', 'names', 'settings', 'application', 'protection'];
  }

  get worksheets(): EmulatedWorksheetCollection {
    return this._child('worksheets', () => new WorksheetCollectionImpl(this._ctx, 'workbook.worksheets', (run) => this._resolve(run), false, wireProperty(this as ClientObjectImpl<unknown>, 'Worksheets'))._proxy);
  }

  get names(): EmulatedNamedItemCollection {
    return this._child('names', () => new NamedItemCollectionImpl(this._ctx, 'workbook.names', (run) => this._resolve(run), false, wireProperty(this as ClientObjectImpl<unknown>, 'Names'))._proxy);
  }

  get settings(): EmulatedSettingCollection {
    return this._child('settings', () => new SettingCollectionImpl(this._ctx, 'workbook.settings', (run) => this._resolve(run), false, wireProperty(this as ClientObjectImpl<unknown>, 'Settings'))._proxy);
  }

  get application(): EmulatedApplication {
    return this._child('application', () => new ApplicationImpl(this._ctx, 'application', (run) => this._resolve(run), false, wireProperty(this as ClientObjectImpl<unknown>, 'Application'))._proxy);
  }

  get protection(): EmulatedWorkbookProtection {
    return this._child('protection', () => new WorkbookProtectionImpl(this._ctx, 'workbook.protection', (run) => {
      requireApi(run, '1.7', 'Workbook.protection');
      return this._resolve(run);
    }, false, wireProperty(this as ClientObjectImpl<unknown>, 'Protection'))._proxy);
  }

  getSelectedRange(): EmulatedRange {
    return new RangeImpl(this._ctx, 'workbook.getSelectedRange()', (run) => {
      const sheet = run.state.active;
      return { sheet, ...sheet.selection };
    }, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetSelectedRange', []))._proxy;
  }
}

class WorkbookProtectionImpl extends ClientObjectImpl<WorkbookState> implements EmulatedWorkbookProtection {
  _typeName(): string {
    return 'WorkbookProtection';
  }

  override _scalars(): Record<string, ScalarDef<WorkbookState>> {
    return { protected: { get: (_run, state) => state.structureProtected } };
  }

  get protected(): boolean {
    return this._get('protected');
  }
}

// In Manual calculation mode Excel recalculates only when asked: formulas written through the API, and the
// formulas that depend on cells written, keep their old results until `application.calculate` runs (Excel
// JavaScript API, "Excel.Application": calculationMode, "Returns the calculation mode used in the workbook, as
// defined by the constants in Excel.CalculationMode", and calculate(calculationType), "Recalculate all currently
// opened workbooks in Excel", ExcelApi 1.1; https://learn.microsoft.com/javascript/api/excel/excel.application).
const APPLICATION_SCALARS: Record<string, ScalarDef<WorkbookState>> = {
  calculationMode: { get: (_run, state) => state.calculationMode },
};

const CALCULATION_TYPES = new Set(['Recalculate', 'Full', 'FullRebuild']);

/** Notes that cells were written: in Manual mode they now wait for a calculation. */
function noteCalculationNeeded(run: SyncRun): void {
  run.onCommit(() => {
    if (run.state.calculationMode === 'Manual') run.core.calculationPending = true;
  });
}

class ApplicationImpl extends ClientObjectImpl<WorkbookState> implements EmulatedApplication {
  _typeName(): string {
    return 'Application';
  }

  override _scalars(): Record<string, ScalarDef<WorkbookState>> {
    return APPLICATION_SCALARS;
  }

  get calculationMode(): CalculationModeName {
    return this._get('calculationMode');
  }

  calculate(calculationType: string): void {
    this._act('calculate', { args: [calculationType] }, (run) => {
      if (!CALCULATION_TYPES.has(calculationType)) throw invalidArgument('Application.calculate', `unknown calculation type ${describeValue(calculationType)}`);
      run.onCommit(() => {
        run.core.calculationPending = false;
      });
    });
  }

  suspendApiCalculationUntilNextSync(): void {
    this._act('suspendApiCalculationUntilNextSync', {}, (run) => {
      requireApi(run, '1.6', 'Application.suspendApiCalculationUntilNextSync');
      run.onCommit(() => run.core.calculationSuspensions++);
    });
  }

  suspendScreenUpdatingUntilNextSync(): void {
    this._act('suspendScreenUpdatingUntilNextSync', {}, () => undefined);
  }
}

class RuntimeImpl extends ClientObjectImpl<EmulatorCore> implements EmulatedRuntime {
  _typeName(): string {
    return 'Runtime';
  }

  override _scalars(): Record<string, ScalarDef<EmulatorCore>> {
    return RUNTIME_SCALARS;
  }

  get enableEvents(): boolean {
    return this._get('enableEvents');
  }

  set enableEvents(v: boolean) {
    this._set('enableEvents', v);
  }
}

const RUNTIME_SCALARS: Record<string, ScalarDef<EmulatorCore>> = {
  enableEvents: {
    get: (run, core) => {
      requireApi(run, '1.8', 'Runtime.enableEvents');
      return core.enableEvents;
    },
    set: (run, core, v, location) => {
      requireApi(run, '1.8', location);
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      run.assign(core, 'enableEvents', v);
    },
  },
};

// ----- Worksheets -----------------------------------------------------------------------------

function validateSheetName(name: unknown, location: string): string {
  const ok =
    typeof name === 'string' &&
    name.length > 0 &&
    name.length <= 31 &&
    !/[\\/?*[\]:]/.test(name) &&
    !name.startsWith("'") &&
    !name.endsWith("'") &&
    name.toLowerCase() !== 'history';
  if (!ok) throw invalidArgument(location, `${describeValue(name)} is not a valid worksheet name`);
  return name as string;
}

const WORKSHEET_SCALARS: Record<string, ScalarDef<SheetState>> = {
  id: { get: (_run, s) => s.id },
  name: { get: (_run, s) => s.name },
  position: { get: (run, s) => run.state.sheets.indexOf(s) },
  visibility: {
    get: (_run, s) => s.visibility,
    set: (run, s, v, location) => {
      if (v !== 'Visible' && v !== 'Hidden' && v !== 'VeryHidden') throw invalidArgument(location, `${describeValue(v)} is not a sheet visibility`);
      if (v === s.visibility) return;
      assertStructureUnprotected(run.state, location);
      if (s.visibility === 'Visible' && !run.state.sheets.some((o) => o !== s && o.visibility === 'Visible')) {
        throw invalidOperation(location, `'${s.name}' is the only visible sheet; a workbook must keep one`);
      }
      run.assign(s, 'visibility', v);
      if (run.state.active === s && v !== 'Visible') run.assign(run.state, 'active', run.state.sheets.find((o) => o.visibility === 'Visible') as SheetState);
    },
  },
};

class WorksheetCollectionImpl extends CollectionImpl<WorkbookState, WorksheetImpl, SheetState> implements EmulatedWorksheetCollection {
  _typeName(): string {
    return 'WorksheetCollection';
  }

  _itemScalars(): Record<string, ScalarDef<SheetState>> {
    return WORKSHEET_SCALARS;
  }

  _listItems(_run: SyncRun, ref: WorkbookState): SheetState[] {
    return [...ref.sheets];
  }

  _makeItem(ref: SheetState): WorksheetImpl {
    return new WorksheetImpl(this._ctx, `workbook.worksheets.getItem(${JSON.stringify(ref.id)})`, () => ref, false, wireIndexer(this as ClientObjectImpl<unknown>, [ref.id]));
  }

  getItem(key: string): EmulatedWorksheet {
    return this._lookup(key, false);
  }

  getItemOrNullObject(key: string): EmulatedWorksheet {
    return this._lookup(key, true);
  }

  _lookup(key: string, orNull: boolean): EmulatedWorksheet {
    const method = orNull ? 'getItemOrNullObject' : 'getItem';
    return new WorksheetImpl(this._ctx, `workbook.worksheets.${method}(${JSON.stringify(key)})`, (run) => {
      const state = this._resolve(run);
      if (state === NULL_OBJECT) return NULL_OBJECT;
      const sheet = typeof key === 'string' ? findSheet(state, key) : undefined;
      if (sheet) return sheet;
      if (orNull) return NULL_OBJECT;
      throw itemNotFound(`WorksheetCollection.${method}`, `no worksheet named ${describeValue(key)}`);
    }, true, orNull ? wireMethod(this as ClientObjectImpl<unknown>, 'GetItemOrNullObject', [key]) : wireIndexer(this as ClientObjectImpl<unknown>, [key]))._proxy;
  }

  getActiveWorksheet(): EmulatedWorksheet {
    return new WorksheetImpl(this._ctx, 'workbook.worksheets.getActiveWorksheet()', (run) => run.state.active, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetActiveWorksheet', []))._proxy;
  }

  getFirst(visibleOnly?: boolean): EmulatedWorksheet {
    return new WorksheetImpl(this._ctx, `workbook.worksheets.getFirst(${visibleOnly === true})`, (run) => {
      const state = this._resolveNonNull(run, 'getFirst');
      const first = state.sheets.find((s) => visibleOnly !== true || s.visibility === 'Visible');
      if (!first) throw itemNotFound('WorksheetCollection.getFirst', 'no visible worksheet');
      return first;
    }, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetFirst', [visibleOnly]))._proxy;
  }

  add(name?: string): EmulatedWorksheet {
    const sheet = new WorksheetImpl(this._ctx, `workbook.worksheets.add(${JSON.stringify(name ?? null)})`, createdByAction('Worksheet from WorksheetCollection.add'), false, wireMethod(this as ClientObjectImpl<unknown>, 'Add', [name]));
    this._act('add', { args: [name ?? null] }, (run) => {
      const state = this._resolveNonNull(run, 'add');
      const location = 'WorksheetCollection.add';
      assertStructureUnprotected(state, location);
      let finalName: string;
      if (name === undefined || name === null) {
        let n = state.sheets.length + 1;
        while (findSheet(state, `Sheet${n}`)) n++;
        finalName = `Sheet${n}`;
      } else finalName = validateSheetName(name, location);
      if (findSheet(state, finalName)) {
        throw new EmulatedOfficeError('ItemAlreadyExists', `${MESSAGES.itemAlreadyExists} (emulator: worksheet '${finalName}' exists)`, location, 409);
      }
      const created = run.core.newSheet(finalName);
      run.splice(state.sheets, state.sheets.length, 0, created);
      sheet._memoize(run, created);
    }, null);
    return sheet._proxy;
  }
}

/** Registered onChanged handler. */
interface Registration {
  sheet: SheetState;
  handler: (args: EmulatedWorksheetChangedEventArgs) => unknown;
  owner: EventHandlerResultImpl;
}

class EventHandlerResultImpl implements EmulatedEventHandlerResult {
  /** Identity shared by the raw object and its strict proxy. */
  readonly _token = {};

  constructor(
    readonly _ctx: ContextImpl,
    readonly _sheet: WorksheetImpl,
  ) {}

  get context(): EmulatedRequestContext {
    return this._ctx._proxy;
  }

  remove(): void {
    this._sheet._act('onChanged.remove', {}, (run) => {
      run.onCommit(() => run.core.removeRegistrations((r) => r.owner._token === this._token));
    }, { name: '_UnregisterDataChangedEvent', args: [] });
  }
}

class WorksheetEventsImpl implements EmulatedEventHandlers<EmulatedWorksheetChangedEventArgs> {
  constructor(readonly _sheet: WorksheetImpl) {}

  add(handler: (args: EmulatedWorksheetChangedEventArgs) => Promise<AnyValue>): EmulatedEventHandlerResult {
    if (typeof handler !== 'function') throw invalidArgument('Worksheet.onChanged.add', 'handler must be a function');
    const result = new EventHandlerResultImpl(this._sheet._ctx, this._sheet);
    this._sheet._act('onChanged.add', {}, (run) => {
      requireApi(run, '1.7', 'Worksheet.onChanged');
      const sheet = this._sheet._resolveNonNull(run, 'onChanged');
      run.onCommit(() => run.core.registrations.push({ sheet, handler, owner: result }));
    }, { name: '_RegisterDataChangedEvent', args: [] });
    return strict(result, 'EventHandlerResult');
  }

  remove(handler: (args: EmulatedWorksheetChangedEventArgs) => Promise<AnyValue>): void {
    this._sheet._act('onChanged.remove', {}, (run) => {
      const sheet = this._sheet._resolveNonNull(run, 'onChanged');
      run.onCommit(() => run.core.removeRegistrations((r) => r.sheet === sheet && r.handler === handler));
    }, { name: '_UnregisterDataChangedEvent', args: [] });
  }
}

/** The most areas, and the longest address, `Worksheet.getRanges` is emulated for (see there). */
const MAX_RANGES_AREAS = 512;
const MAX_RANGES_ADDRESS = 8_192;

/**
 * The rectangle of one address on `sheet`, as `Worksheet.getRange` reads it: A1 ("B2", "A1:C3", "A:C", "2:4"), maybe
 * with this sheet's name; InvalidArgument otherwise. A defined name is not emulated.
 */
function locateAddress(run: SyncRun, sheet: SheetState, address: string, location: string): Rect {
  const text = address.trim();
  const split = splitSheetQualified(text);
  if (split?.sheet !== undefined && split.sheet.toLowerCase() !== sheet.name.toLowerCase()) {
    throw invalidArgument(location, `"${address}" refers to another sheet than '${sheet.name}'`);
  }
  const rect = split ? parseA1(split.address) : null;
  if (rect) return rect;
  if (run.state.names.some((n) => n.name.toLowerCase() === text.toLowerCase())) {
    throw new EmulatorGapError(`${location} with a defined name ("${text}")`);
  }
  throw invalidArgument(location, `"${address}" is not an A1 address`);
}

/** The areas of an address list, split at its commas or at its semicolons outside quoted sheet names; 'mixed' when it has both. */
function splitAreaList(address: string): string[] | 'mixed' {
  const parts: string[] = [];
  const separators = new Set<string>();
  let quoted = false;
  let start = 0;
  for (let i = 0; i < address.length; i++) {
    const ch = address[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';')) {
      separators.add(ch);
      parts.push(address.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(address.slice(start));
  return separators.size > 1 ? 'mixed' : parts;
}

class WorksheetImpl extends ClientObjectImpl<SheetState> implements EmulatedWorksheet {
  _typeName(): string {
    return 'Worksheet';
  }

  override _scalars(): Record<string, ScalarDef<SheetState>> {
    return WORKSHEET_SCALARS;
  }

  override _navs(): readonly string[] {
    return ['protection'];
  }

  get id(): string {
    return this._get('id');
  }

  get name(): string {
    return this._get('name');
  }

  get position(): number {
    return this._get('position');
  }

  get visibility(): Excel.SheetVisibility {
    return this._get('visibility');
  }

  set visibility(v: Excel.SheetVisibility) {
    this._set('visibility', v);
  }

  get protection(): EmulatedWorksheetProtection {
    return this._child('protection', () => new WorksheetProtectionImpl(this._ctx, `${this._path}.protection`, (run) => this._resolve(run), true, wireProperty(this as ClientObjectImpl<unknown>, 'Protection'))._proxy);
  }

  get onChanged(): EmulatedEventHandlers<EmulatedWorksheetChangedEventArgs> {
    return this._child('onChanged', () => strict(new WorksheetEventsImpl(this), 'EventHandlers'));
  }

  get charts(): EmulatedChartCollection {
    return this._child('charts', () => new ChartCollectionImpl(this._ctx, `${this._path}.charts`, (run) => this._resolve(run), false, wireProperty(this as ClientObjectImpl<unknown>, 'Charts'))._proxy);
  }

  get pageLayout(): EmulatedPageLayout {
    return this._child('pageLayout', () => new PageLayoutImpl(this._ctx, `${this._path}.pageLayout`, (run) => {
      requireApi(run, '1.9', 'Worksheet.pageLayout');
      return this._resolve(run);
    }, false, wireProperty(this as ClientObjectImpl<unknown>, 'PageLayout'))._proxy);
  }

  override _revalidate(value: SheetState, location: string): void {
    if (!this._ctx._core.state.sheets.includes(value)) throw itemNotFound(location, `worksheet '${value.name}' was deleted`);
  }

  // Excel shows the active sheet, so a hidden one cannot become active: unhiding it is the user's choice (Microsoft
  // Support, "Hide or show worksheets or workbooks", https://support.microsoft.com/office/hide-or-show-worksheets-or-workbooks-69f2701a-21f5-4186-87d7-341a8cf53344;
  // Worksheet.visibility "Hidden" / "VeryHidden", https://learn.microsoft.com/javascript/api/excel/excel.sheetvisibility).
  // The emulator refuses with InvalidOperation.
  activate(): void {
    this._act('activate', {}, (run) => {
      const sheet = this._resolveNonNull(run, 'activate');
      if (sheet.visibility !== 'Visible') throw invalidOperation('Worksheet.activate', `'${sheet.name}' is ${sheet.visibility.toLowerCase()}; a hidden sheet cannot be activated`);
      run.assign(run.state, 'active', sheet);
    });
  }

  delete(): void {
    this._act('delete', {}, (run) => {
      const location = 'Worksheet.delete';
      const sheet = this._resolveNonNull(run, 'delete');
      const state = run.state;
      const index = state.sheets.indexOf(sheet);
      if (index < 0) throw itemNotFound(location, `worksheet '${sheet.name}' was deleted`);
      assertStructureUnprotected(state, location);
      if (sheet.visibility === 'VeryHidden') {
        throw invalidOperation(location, `'${sheet.name}' is very hidden; Excel deletes a sheet only once its visibility is Hidden or Visible`);
      }
      if (sheet.visibility === 'Visible' && !state.sheets.some((o) => o !== sheet && o.visibility === 'Visible')) {
        throw invalidOperation(location, `'${sheet.name}' is the only visible sheet; a workbook must keep one`);
      }
      // Names that referred to the sheet now refer to nothing, as in Excel.
      for (const n of state.names) {
        const ref = parseNameReference(state, n.formula);
        if (ref && ref !== 'bad' && ref.sheet === sheet) run.assign(n, 'formula', '=#REF!');
      }
      run.splice(state.sheets, index, 1);
      if (state.active === sheet) run.assign(state, 'active', state.sheets.find((o) => o.visibility === 'Visible') as SheetState);
      run.onCommit(() => run.core.removeRegistrations((r) => r.sheet === sheet));
    });
  }

  getNext(visibleOnly?: boolean): EmulatedWorksheet {
    return this._next('getNext', visibleOnly === true, false, visibleOnly);
  }

  getNextOrNullObject(visibleOnly?: boolean): EmulatedWorksheet {
    return this._next('getNextOrNullObject', visibleOnly === true, true, visibleOnly);
  }

  _next(method: string, visibleOnly: boolean, orNull: boolean, visibleOnlyArg: unknown): EmulatedWorksheet {
    return new WorksheetImpl(this._ctx, `${this._path}.${method}(${visibleOnly})`, (run) => {
      const sheet = this._resolve(run);
      if (sheet === NULL_OBJECT) return NULL_OBJECT;
      const sheets = run.state.sheets;
      const next = sheets.slice(sheets.indexOf(sheet) + 1).find((s) => !visibleOnly || s.visibility === 'Visible');
      if (next) return next;
      if (orNull) return NULL_OBJECT;
      throw itemNotFound(`Worksheet.${method}`, `no worksheet after '${sheet.name}'`);
    }, true, wireMethod(this as ClientObjectImpl<unknown>, wireName(method), [visibleOnlyArg]))._proxy;
  }

  /** A range of this sheet got by `call`, a method office.js sends with `args`. */
  _range(call: string, args: readonly unknown[], locate: (run: SyncRun, sheet: SheetState) => Rect | Null): EmulatedRange {
    const step = wireMethod(this as ClientObjectImpl<unknown>, wireName(call.slice(0, call.indexOf('('))), args);
    return new RangeImpl(this._ctx, `${this._path}.${call}`, (run) => {
      const sheet = this._resolve(run);
      if (sheet === NULL_OBJECT) return NULL_OBJECT;
      const rect = locate(run, sheet);
      return rect === NULL_OBJECT ? NULL_OBJECT : { sheet, ...rect };
    }, true, step)._proxy;
  }

  getRange(address?: string): EmulatedRange {
    return this._range(`getRange(${address === undefined ? '' : JSON.stringify(address)})`, [address], (run, sheet) => {
      const location = 'Worksheet.getRange';
      if (address === undefined || address === '') return { r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLUMNS - 1 };
      if (typeof address !== 'string') throw invalidArgument(location, `address must be a string, got ${describeValue(address)}`);
      return locateAddress(run, sheet, address, location);
    });
  }

  // "Gets the `RangeAreas` object, representing one or more blocks of rectangular ranges, specified by the address or
  // name." address: "A string containing the comma-separated or semicolon-separated addresses or names of the
  // individual ranges. For example, "A1:B2, A5:B5" or "A1:B2; A5:B5". If not specified, a `RangeAreas` object for the
  // entire worksheet is returned." (Excel JavaScript API, Worksheet.getRanges, ExcelApi 1.9,
  // https://learn.microsoft.com/javascript/api/excel/excel.worksheet#excel-excel-worksheet-getranges-member(1)).
  // Each area is read as getRange reads its address (one that is not an A1 address fails with InvalidArgument); the
  // areas keep their order. Defined names, and a list mixing commas and semicolons, are not emulated. Excel documents no
  // limit, but has refused some addresses of 513 areas and 8,207 characters while taking others as long (office-js issue
  // 5198): past MAX_RANGES_AREAS areas or MAX_RANGES_ADDRESS characters the emulator cannot say what Excel does.
  getRanges(address?: string): EmulatedRangeAreas {
    return new RangeAreasImpl(this._ctx, `${this._path}.getRanges(${address === undefined ? '' : JSON.stringify(address)})`, (run) => {
      const location = 'Worksheet.getRanges';
      requireApi(run, '1.9', location);
      const sheet = this._resolve(run);
      if (sheet === NULL_OBJECT) return NULL_OBJECT;
      if (address === undefined || address === '') return { sheet, areas: [{ r0: 0, c0: 0, r1: MAX_ROWS - 1, c1: MAX_COLUMNS - 1 }] };
      if (typeof address !== 'string') throw invalidArgument(location, `address must be a string, got ${describeValue(address)}`);
      const parts = splitAreaList(address);
      if (parts === 'mixed') throw new EmulatorGapError(`${location} with both commas and semicolons between areas (${describeValue(address)})`);
      if (parts.length > MAX_RANGES_AREAS || address.length > MAX_RANGES_ADDRESS) {
        throw new EmulatorGapError(`${location} with ${parts.length} areas in ${address.length} characters (Excel's limit is not documented; the emulator goes to ${MAX_RANGES_AREAS} areas and ${MAX_RANGES_ADDRESS} characters)`);
      }
      const areas = parts.map((part) => {
        if (part.trim() === '') throw invalidArgument(location, `${describeValue(address)} has an empty area`);
        return locateAddress(run, sheet, part, location);
      });
      return { sheet, areas };
    }, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetRanges', [address]))._proxy;
  }

  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): EmulatedRange {
    return this._range(`getRangeByIndexes(${startRow},${startColumn},${rowCount},${columnCount})`, [startRow, startColumn, rowCount, columnCount], (run) => {
      const location = 'Worksheet.getRangeByIndexes';
      requireApi(run, '1.7', location);
      const r0 = checkIndex(startRow, location, 'startRow');
      const c0 = checkIndex(startColumn, location, 'startColumn');
      const rows = checkIndex(rowCount, location, 'rowCount', 1);
      const cols = checkIndex(columnCount, location, 'columnCount', 1);
      return checkInGrid({ r0, c0, r1: r0 + rows - 1, c1: c0 + cols - 1 }, location);
    });
  }

  getCell(row: number, column: number): EmulatedRange {
    return this._range(`getCell(${row},${column})`, [row, column], () => {
      const location = 'Worksheet.getCell';
      const r = checkIndex(row, location, 'row');
      const c = checkIndex(column, location, 'column');
      return checkInGrid({ r0: r, c0: c, r1: r, c1: c }, location);
    });
  }

  getUsedRange(valuesOnly?: boolean): EmulatedRange {
    return this._range(`getUsedRange(${valuesOnly === true})`, [valuesOnly], (_run, sheet) => usedRect(sheet, valuesOnly === true) ?? { r0: 0, c0: 0, r1: 0, c1: 0 });
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): EmulatedRange {
    return this._range(`getUsedRangeOrNullObject(${valuesOnly === true})`, [valuesOnly], (_run, sheet) => usedRect(sheet, valuesOnly === true) ?? NULL_OBJECT);
  }
}

class WorksheetProtectionImpl extends ClientObjectImpl<SheetState> implements EmulatedWorksheetProtection {
  _typeName(): string {
    return 'WorksheetProtection';
  }

  override _scalars(): Record<string, ScalarDef<SheetState>> {
    return { protected: { get: (_run, s) => s.protected } };
  }

  get protected(): boolean {
    return this._get('protected');
  }
}

// ----- Ranges ---------------------------------------------------------------------------------

interface RangeRef extends Rect {
  sheet: SheetState;
}

/**
 * Lower bound of the JSON size of a per-cell read: brackets and commas, at least 2 bytes for an
 * empty cell (every per-cell property serialises an empty cell as a string) and 1 for any other.
 */
function minimumReadBytes(ref: RangeRef): number {
  const rows = ref.r1 - ref.r0 + 1;
  const cols = ref.c1 - ref.c0 + 1;
  let filled = 0;
  forEachCellIn(ref.sheet, ref, () => {
    filled++;
  });
  const cells = rows * cols;
  return 2 + rows * 2 + (rows - 1) + rows * (cols - 1) + 2 * (cells - filled) + filled;
}

function readCells<T>(ref: RangeRef, f: (cell: CellState | undefined) => T): T[][] {
  const count = cellCountOf(ref);
  if (count > MAX_READ_CELLS || minimumReadBytes(ref) > PAYLOAD_LIMIT_BYTES) {
    throw new EmulatedOfficeError(
      'ResponsePayloadSizeLimitExceeded',
      `The response payload size has exceeded the limit. (emulator: reading ${count} cells of ${rectAddress(ref)})`,
      'Range',
      413,
    );
  }
  const out: T[][] = [];
  for (let r = ref.r0; r <= ref.r1; r++) {
    const row: T[] = [];
    for (let c = ref.c0; c <= ref.c1; c++) row.push(f(ref.sheet.cells.get(cellKey(r, c))));
    out.push(row);
  }
  return out;
}

function columnsOf(ref: Rect): number[] {
  const out: number[] = [];
  for (let c = ref.c0; c <= ref.c1; c++) out.push(c);
  return out;
}

const RANGE_SCALARS: Record<string, ScalarDef<RangeRef>> = {
  address: { get: (_run, r) => `${quoteSheetName(r.sheet.name)}!${rectAddress(r)}` },
  addressLocal: { get: (_run, r) => `${quoteSheetName(r.sheet.name)}!${rectAddress(r)}` },
  cellCount: { get: (_run, r) => cellCountOf(r) },
  columnCount: { get: (_run, r) => r.c1 - r.c0 + 1 },
  columnIndex: { get: (_run, r) => r.c0 },
  rowCount: { get: (_run, r) => r.r1 - r.r0 + 1 },
  rowIndex: { get: (_run, r) => r.r0 },
  isEntireColumn: { get: (_run, r) => isWholeColumns(r) },
  isEntireRow: { get: (_run, r) => isWholeRows(r) },
  values: {
    get: (_run, r) => readCells(r, cellValueOut),
    set: (run, r, v, location) => {
      assertWritable(r.sheet, location);
      noteCalculationNeeded(run);
      run.noteChange(r.sheet, r, writeCells(run, r.sheet, r, v, location));
    },
  },
  formulas: {
    get: (_run, r) => readCells(r, (c) => c?.formula ?? cellValueOut(c)),
    set: (run, r, v, location) => {
      assertWritable(r.sheet, location);
      noteCalculationNeeded(run);
      run.noteChange(r.sheet, r, writeCells(run, r.sheet, r, v, location));
    },
  },
  numberFormat: {
    get: (_run, r) => readCells(r, (c) => c?.numberFormat ?? 'General'),
    set: (run, r, v, location) => {
      assertWritable(r.sheet, location);
      const at = matrixAccessor(v, r, location);
      for (let row = r.r0; row <= r.r1; row++) {
        for (let col = r.c0; col <= r.c1; col++) {
          const f = at(row - r.r0, col - r.c0);
          if (f === null) continue;
          if (typeof f !== 'string') throw invalidArgument(location, `number format at ${columnLetters(col)}${row + 1} must be a string, got ${describeValue(f)}`);
          const key = cellKey(row, col);
          const prev = r.sheet.cells.get(key) ?? EMPTY_CELL;
          run.putCell(r.sheet, key, { ...prev, numberFormat: f === '' || f === 'General' ? undefined : f });
        }
      }
    },
  },
  text: { get: (_run, r) => readCells(r, textOf) },
  valueTypes: { get: (_run, r) => readCells(r, valueTypeOf) },
  columnHidden: {
    get: (_run, r) => {
      const hidden = columnsOf(r).filter((c) => r.sheet.hiddenColumns.has(c)).length;
      return hidden === 0 ? false : hidden === r.c1 - r.c0 + 1 ? true : null;
    },
    set: (run, r, v, location) => {
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      assertWritable(r.sheet, location);
      for (const c of columnsOf(r)) run.setToggle(r.sheet.hiddenColumns, c, v);
    },
  },
};

const CLEAR_MODES = new Set(['All', 'Formats', 'Contents']);

class RangeImpl extends ClientObjectImpl<RangeRef> implements EmulatedRange {
  override _keepsReference(): boolean {
    return true;
  }

  _typeName(): string {
    return 'Range';
  }

  override _scalars(): Record<string, ScalarDef<RangeRef>> {
    return RANGE_SCALARS;
  }

  override _navs(): readonly string[] {
    return ['format', 'conditionalFormats', 'worksheet'];
  }

  get address(): string {
    return this._get('address');
  }

  get addressLocal(): string {
    return this._get('addressLocal');
  }

  get cellCount(): number {
    return this._get('cellCount');
  }

  get columnCount(): number {
    return this._get('columnCount');
  }

  get columnIndex(): number {
    return this._get('columnIndex');
  }

  get rowCount(): number {
    return this._get('rowCount');
  }

  get rowIndex(): number {
    return this._get('rowIndex');
  }

  get isEntireColumn(): boolean {
    return this._get('isEntireColumn');
  }

  get isEntireRow(): boolean {
    return this._get('isEntireRow');
  }

  get values(): AnyValue[][] {
    return this._get('values');
  }

  set values(v: AnyValue[][]) {
    this._set('values', v);
  }

  get formulas(): AnyValue[][] {
    return this._get('formulas');
  }

  set formulas(v: AnyValue[][]) {
    this._set('formulas', v);
  }

  get numberFormat(): AnyValue[][] {
    return this._get('numberFormat');
  }

  set numberFormat(v: AnyValue[][]) {
    this._set('numberFormat', v);
  }

  get text(): string[][] {
    return this._get('text');
  }

  get valueTypes(): Excel.RangeValueType[][] {
    return this._get('valueTypes');
  }

  get columnHidden(): boolean {
    return this._get('columnHidden');
  }

  set columnHidden(v: boolean) {
    this._set('columnHidden', v);
  }

  get format(): EmulatedRangeFormat {
    return this._child('format', () => new RangeFormatImpl(this._ctx, `${this._path}.format`, (run) => this._resolve(run), true, wireProperty(this as ClientObjectImpl<unknown>, 'Format'))._proxy);
  }

  get conditionalFormats(): EmulatedConditionalFormatCollection {
    return this._child(
      'conditionalFormats',
      () => new ConditionalFormatCollectionImpl(this._ctx, `${this._path}.conditionalFormats`, (run) => {
        const ref = this._resolve(run);
        return ref === NULL_OBJECT ? NULL_OBJECT : areasOfRange(ref);
      }, true, wireProperty(this as ClientObjectImpl<unknown>, 'ConditionalFormats'))._proxy,
    );
  }

  get worksheet(): EmulatedWorksheet {
    return this._child('worksheet', () => new WorksheetImpl(this._ctx, `${this._path}.worksheet`, (run) => {
      const r = this._resolve(run);
      return r === NULL_OBJECT ? NULL_OBJECT : r.sheet;
    }, true, wireProperty(this as ClientObjectImpl<unknown>, 'Worksheet'))._proxy);
  }

  /** A range got from this one by `call`, a method office.js sends with `args`. */
  _derived(call: string, args: readonly unknown[], locate: (ref: RangeRef, location: string) => Rect | Null): EmulatedRange {
    const step = wireMethod(this as ClientObjectImpl<unknown>, wireName(call.slice(0, call.indexOf('('))), args);
    const location = `Range.${call.slice(0, call.indexOf('('))}`;
    return new RangeImpl(this._ctx, `${this._path}.${call}`, (run) => {
      const ref = this._resolve(run);
      if (ref === NULL_OBJECT) return NULL_OBJECT;
      const rect = locate(ref, location);
      return rect === NULL_OBJECT ? NULL_OBJECT : { sheet: ref.sheet, ...checkInGrid(rect, location) };
    }, true, step)._proxy;
  }

  getCell(row: number, column: number): EmulatedRange {
    return this._derived(`getCell(${row},${column})`, [row, column], (ref, location) => {
      const r = ref.r0 + checkIndex(row, location, 'row');
      const c = ref.c0 + checkIndex(column, location, 'column');
      return { r0: r, c0: c, r1: r, c1: c };
    });
  }

  getRow(row: number): EmulatedRange {
    return this._derived(`getRow(${row})`, [row], (ref, location) => {
      const r = ref.r0 + checkIndex(row, location, 'row');
      return { r0: r, c0: ref.c0, r1: r, c1: ref.c1 };
    });
  }

  getColumn(column: number): EmulatedRange {
    return this._derived(`getColumn(${column})`, [column], (ref, location) => {
      const c = ref.c0 + checkIndex(column, location, 'column');
      return { r0: ref.r0, c0: c, r1: ref.r1, c1: c };
    });
  }

  getEntireColumn(): EmulatedRange {
    return this._derived('getEntireColumn()', [], (ref) => ({ r0: 0, c0: ref.c0, r1: MAX_ROWS - 1, c1: ref.c1 }));
  }

  getEntireRow(): EmulatedRange {
    return this._derived('getEntireRow()', [], (ref) => ({ r0: ref.r0, c0: 0, r1: ref.r1, c1: MAX_COLUMNS - 1 }));
  }

  getOffsetRange(rowOffset: number, columnOffset: number): EmulatedRange {
    return this._derived(`getOffsetRange(${rowOffset},${columnOffset})`, [rowOffset, columnOffset], (ref, location) => {
      if (!Number.isInteger(rowOffset) || !Number.isInteger(columnOffset)) throw invalidArgument(location, 'offsets must be integers');
      return { r0: ref.r0 + rowOffset, c0: ref.c0 + columnOffset, r1: ref.r1 + rowOffset, c1: ref.c1 + columnOffset };
    });
  }

  getResizedRange(deltaRows: number, deltaColumns: number): EmulatedRange {
    return this._derived(`getResizedRange(${deltaRows},${deltaColumns})`, [deltaRows, deltaColumns], (ref, location) => {
      if (!Number.isInteger(deltaRows) || !Number.isInteger(deltaColumns)) throw invalidArgument(location, 'deltas must be integers');
      return { r0: ref.r0, c0: ref.c0, r1: ref.r1 + deltaRows, c1: ref.c1 + deltaColumns };
    });
  }

  getUsedRange(valuesOnly?: boolean): EmulatedRange {
    return this._derived(`getUsedRange(${valuesOnly === true})`, [valuesOnly], (ref, location) => {
      const used = usedRect(ref.sheet, valuesOnly === true, ref);
      if (!used) throw itemNotFound(location, `no used cells within ${rectAddress(ref)}`);
      return used;
    });
  }

  getUsedRangeOrNullObject(valuesOnly?: boolean): EmulatedRange {
    return this._derived(`getUsedRangeOrNullObject(${valuesOnly === true})`, [valuesOnly], (ref) => usedRect(ref.sheet, valuesOnly === true, ref) ?? NULL_OBJECT);
  }

  // "Returns a RangeAreas object that represents the merged areas in this range. If the merged areas count in this
  // range is more than 512, then this method returns a null object", ExcelApi 1.13
  // (https://learn.microsoft.com/javascript/api/excel/excel.range#excel-excel-range-getmergedareasornullobject-member(1));
  // only areas whose top-left cell lies in the range are returned (office-js issue #3611, "by design"), and a range
  // without any gives a null object.
  getMergedAreasOrNullObject(): EmulatedRangeAreas {
    return new RangeAreasImpl(this._ctx, `${this._path}.getMergedAreasOrNullObject()`, (run) => {
      requireApi(run, '1.13', 'Range.getMergedAreasOrNullObject');
      const ref = this._resolve(run);
      if (ref === NULL_OBJECT) return NULL_OBJECT;
      const areas = ref.sheet.merges.filter((m) => m.r0 >= ref.r0 && m.r0 <= ref.r1 && m.c0 >= ref.c0 && m.c0 <= ref.c1);
      return areas.length === 0 || areas.length > 512 ? NULL_OBJECT : { sheet: ref.sheet, areas };
    }, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetMergedAreasOrNullObject', []))._proxy;
  }

  clear(applyTo?: Excel.ClearApplyTo | ClearApplyToName): void {
    const mode: string = applyTo ?? 'All';
    if (typeof mode === 'string' && !CLEAR_MODES.has(mode) && ['Hyperlinks', 'RemoveHyperlinks', 'ResetContents'].includes(mode)) {
      throw new EmulatorGapError(`Range.clear("${mode}")`);
    }
    this._act('clear', { args: [mode] }, (run) => {
      const location = 'Range.clear';
      const ref = this._resolveNonNull(run, 'clear');
      if (!CLEAR_MODES.has(mode)) throw invalidArgument(location, `unknown applyTo ${describeValue(mode)}`);
      assertWritable(ref.sheet, location);
      const contents = mode !== 'Formats';
      const formats = mode !== 'Contents';
      updateExistingCells(run, ref.sheet, ref, (cell) => ({
        value: contents ? null : cell.value,
        formula: contents ? undefined : cell.formula,
        numberFormat: formats ? undefined : cell.numberFormat,
        fill: formats ? undefined : cell.fill,
        fontColor: formats ? undefined : cell.fontColor,
        bold: formats ? undefined : cell.bold,
        italic: formats ? undefined : cell.italic,
        wrapText: formats ? undefined : cell.wrapText,
        verticalAlignment: formats ? undefined : cell.verticalAlignment,
      }));
      if (formats) trimConditionalFormats(run, ref.sheet, [ref], location);
      if (contents) {
        noteCalculationNeeded(run);
        run.noteChange(ref.sheet, ref);
      }
    });
  }

  select(): void {
    this._act('select', {}, (run) => {
      const ref = this._resolveNonNull(run, 'select');
      run.assign(ref.sheet, 'selection', { r0: ref.r0, c0: ref.c0, r1: ref.r1, c1: ref.c1 });
      run.assign(run.state, 'active', ref.sheet);
    });
  }
}

/** One or more areas of a sheet: a RangeAreas, or a range seen as one (see {@link areasOfRange}). */
interface AreasRef {
  readonly sheet: SheetState;
  readonly areas: readonly Rect[];
}

/** A range as the areas of a RangeAreas of one area. */
function areasOfRange(ref: RangeRef): AreasRef {
  return { sheet: ref.sheet, areas: [{ r0: ref.r0, c0: ref.c0, r1: ref.r1, c1: ref.c1 }] };
}

const RANGE_AREAS_SCALARS: Record<string, ScalarDef<AreasRef>> = {
  address: { get: (_run, a) => a.areas.map((m) => `${quoteSheetName(a.sheet.name)}!${rectAddress(m)}`).join(', ') },
  areaCount: { get: (_run, a) => a.areas.length },
};

class RangeAreasImpl extends ClientObjectImpl<AreasRef> implements EmulatedRangeAreas {
  override _keepsReference(): boolean {
    return true;
  }

  _typeName(): string {
    return 'RangeAreas';
  }

  override _scalars(): Record<string, ScalarDef<AreasRef>> {
    return RANGE_AREAS_SCALARS;
  }

  get address(): string {
    return this._get('address');
  }

  get areaCount(): number {
    return this._get('areaCount');
  }

  override _navs(): readonly string[] {
    return ['conditionalFormats'];
  }

  // "Returns a collection of conditional formats that intersect with any cells in this `RangeAreas` object." (Excel
  // JavaScript API, RangeAreas.conditionalFormats, ExcelApi 1.9,
  // https://learn.microsoft.com/javascript/api/excel/excel.rangeareas#excel-excel-rangeareas-conditionalformats-member).
  // `add` makes one rule over all the areas; `clearAll` clears every area.
  get conditionalFormats(): EmulatedConditionalFormatCollection {
    return this._child('conditionalFormats', () => new ConditionalFormatCollectionImpl(this._ctx, `${this._path}.conditionalFormats`, (run) => {
      requireApi(run, '1.9', 'RangeAreas.conditionalFormats');
      return this._resolve(run);
    }, true, wireProperty(this as ClientObjectImpl<unknown>, 'ConditionalFormats'))._proxy);
  }
}

const RANGE_FORMAT_SCALARS: Record<string, ScalarDef<RangeRef>> = {
  columnWidth: {
    get: (_run, r) => {
      const widths = new Set(columnsOf(r).map((c) => (r.sheet.hiddenColumns.has(c) ? 0 : (r.sheet.columnWidths.get(c) ?? DEFAULT_COLUMN_WIDTH))));
      return widths.size === 1 ? [...widths][0] : null;
    },
    set: (run, r, v, location) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw invalidArgument(location, `column width must be a number >= 0, got ${describeValue(v)}`);
      assertWritable(r.sheet, location);
      for (const c of columnsOf(r)) run.mapSet(r.sheet.columnWidths, c, v === DEFAULT_COLUMN_WIDTH ? undefined : v);
    },
  },
  useStandardWidth: {
    get: (run, r) => {
      requireApi(run, '1.7', 'RangeFormat.useStandardWidth');
      return columnsOf(r).every((c) => !r.sheet.columnWidths.has(c));
    },
    set: (run, r, v, location) => {
      requireApi(run, '1.7', location);
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      assertWritable(r.sheet, location);
      // As in Excel: true gives the columns the standard width (hidden columns stay hidden); false changes nothing.
      if (v) for (const c of columnsOf(r)) run.mapSet(r.sheet.columnWidths, c, undefined);
    },
  },
  wrapText: {
    get: (_run, r) => uniformFormat(r.sheet, r, (c) => (c.wrapText ? true : undefined), false),
    set: (run, r, v, location) => {
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      assertWritable(r.sheet, location);
      updateEachCell(run, r.sheet, r, location, (c) => ({ ...c, wrapText: v ? true : undefined }));
    },
  },
  verticalAlignment: {
    get: (_run, r) => uniformFormat<string>(r.sheet, r, (c) => c.verticalAlignment, 'Bottom'),
    set: (run, r, v, location) => {
      if (typeof v !== 'string' || !VERTICAL_ALIGNMENTS.has(v)) throw invalidArgument(location, `${describeValue(v)} is not a vertical alignment`);
      assertWritable(r.sheet, location);
      const alignment = v as VerticalAlignmentName;
      updateEachCell(run, r.sheet, r, location, (c) => ({ ...c, verticalAlignment: alignment === 'Bottom' ? undefined : alignment }));
    },
  },
};

const VERTICAL_ALIGNMENTS: ReadonlySet<string> = new Set(['Top', 'Center', 'Bottom', 'Justify', 'Distributed']);

class RangeFormatImpl extends ClientObjectImpl<RangeRef> implements EmulatedRangeFormat {
  _typeName(): string {
    return 'RangeFormat';
  }

  override _scalars(): Record<string, ScalarDef<RangeRef>> {
    return RANGE_FORMAT_SCALARS;
  }

  override _navs(): readonly string[] {
    return ['fill', 'font'];
  }

  get columnWidth(): number {
    return this._get('columnWidth');
  }

  set columnWidth(v: number) {
    this._set('columnWidth', v);
  }

  get useStandardWidth(): boolean {
    return this._get('useStandardWidth');
  }

  set useStandardWidth(v: boolean) {
    this._set('useStandardWidth', v);
  }

  get wrapText(): boolean {
    return this._get('wrapText');
  }

  set wrapText(v: boolean) {
    this._set('wrapText', v);
  }

  get verticalAlignment(): Excel.VerticalAlignment {
    return this._get('verticalAlignment');
  }

  set verticalAlignment(v: Excel.VerticalAlignment) {
    this._set('verticalAlignment', v);
  }

  get fill(): EmulatedRangeFill {
    return this._child('fill', () => new RangeFillImpl(this._ctx, `${this._path}.fill`, (run) => this._resolve(run), true, wireProperty(this as ClientObjectImpl<unknown>, 'Fill'))._proxy);
  }

  get font(): EmulatedRangeFont {
    return this._child('font', () => new RangeFontImpl(this._ctx, `${this._path}.font`, (run) => this._resolve(run), true, wireProperty(this as ClientObjectImpl<unknown>, 'Font'))._proxy);
  }
}

const RANGE_FILL_SCALARS: Record<string, ScalarDef<RangeRef>> = {
  color: {
    get: (_run, r) => uniformFormat(r.sheet, r, (c) => c.fill, '#FFFFFF'),
    set: (run, r, v, location) => {
      const color = normaliseColor(v, location);
      assertWritable(r.sheet, location);
      updateEachCell(run, r.sheet, r, location, (c) => ({ ...c, fill: color }));
    },
  },
};

class RangeFillImpl extends ClientObjectImpl<RangeRef> implements EmulatedRangeFill {
  _typeName(): string {
    return 'RangeFill';
  }

  override _scalars(): Record<string, ScalarDef<RangeRef>> {
    return RANGE_FILL_SCALARS;
  }

  get color(): string {
    return this._get('color');
  }

  set color(v: string) {
    this._set('color', v);
  }

  clear(): void {
    this._act('clear', {}, (run) => {
      const r = this._resolveNonNull(run, 'clear');
      assertWritable(r.sheet, 'RangeFill.clear');
      updateExistingCells(run, r.sheet, r, (c) => ({ ...c, fill: undefined }));
    });
  }
}

const RANGE_FONT_SCALARS: Record<string, ScalarDef<RangeRef>> = {
  color: {
    get: (_run, r) => uniformFormat(r.sheet, r, (c) => c.fontColor, '#000000'),
    set: (run, r, v, location) => {
      const color = normaliseColor(v, location);
      assertWritable(r.sheet, location);
      updateEachCell(run, r.sheet, r, location, (c) => ({ ...c, fontColor: color === '#000000' ? undefined : color }));
    },
  },
  bold: {
    get: (_run, r) => uniformFormat(r.sheet, r, (c) => (c.bold ? true : undefined), false),
    set: (run, r, v, location) => {
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      assertWritable(r.sheet, location);
      updateEachCell(run, r.sheet, r, location, (c) => ({ ...c, bold: v ? true : undefined }));
    },
  },
  italic: {
    get: (_run, r) => uniformFormat(r.sheet, r, (c) => (c.italic ? true : undefined), false),
    set: (run, r, v, location) => {
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      assertWritable(r.sheet, location);
      updateEachCell(run, r.sheet, r, location, (c) => ({ ...c, italic: v ? true : undefined }));
    },
  },
};

class RangeFontImpl extends ClientObjectImpl<RangeRef> implements EmulatedRangeFont {
  _typeName(): string {
    return 'RangeFont';
  }

  override _scalars(): Record<string, ScalarDef<RangeRef>> {
    return RANGE_FONT_SCALARS;
  }

  get color(): string {
    return this._get('color');
  }

  set color(v: string) {
    this._set('color', v);
  }

  get bold(): boolean {
    return this._get('bold');
  }

  set bold(v: boolean) {
    this._set('bold', v);
  }

  get italic(): boolean {
    return this._get('italic');
  }

  set italic(v: boolean) {
    this._set('italic', v);
  }
}

// ----- Charts and page layout -----------------------------------------------------------------

// Chart types the emulator accepts: the bar and column families of Excel.ChartType
// (https://learn.microsoft.com/javascript/api/excel/excel.charttype); others are not emulated.
const CHART_TYPES: ReadonlySet<string> = new Set([
  'ColumnClustered', 'ColumnStacked', 'ColumnStacked100', 'BarClustered', 'BarStacked', 'BarStacked100',
]);

function chartDump(c: ChartState): ChartDump {
  const q = (r: Rect): string => `${quoteSheetName(c.dataSheet.name)}!${rectAddress(r)}`;
  return {
    name: c.name,
    type: c.type,
    title: c.title,
    series: c.series.map((s) => ({ name: s.name, values: q(s.values), categories: s.categories === null ? null : q(s.categories), fill: s.fill })),
    position: c.position === null ? null : { start: rectAddress(c.position.start), end: rectAddress(c.position.end) },
  };
}

function isTextCell(cell: CellState | undefined): boolean {
  return typeof cell?.value === 'string' && cell.value !== '';
}

/**
 * The series a chart made from `source` gets, by columns or by rows. ChartCollection.add(type, sourceData, seriesBy):
 * "sourceData: The Range object corresponding to the source data", "seriesBy: Optional. Specifies the way columns or
 * rows are used as data series on the chart" (ExcelApi 1.1, https://learn.microsoft.com/javascript/api/excel/excel.chartcollection#excel-excel-chartcollection-add-member(1)).
 * As Excel lays out a range of labels and figures: when the first column holds text below its first cell, it gives the
 * categories; when the first row holds text right of its first cell, it gives the series names ("Series1"… otherwise).
 * 'Auto' (Excel guesses the orientation) is not emulated.
 */
function chartSeriesOf(sheet: SheetState, source: Rect, byColumns: boolean): ChartSeriesState[] {
  const at = (r: number, c: number): CellState | undefined => sheet.cells.get(cellKey(r, c));
  const t = byColumns ? source : { r0: source.c0, c0: source.r0, r1: source.c1, c1: source.r1 };
  const get = (a: number, b: number): CellState | undefined => (byColumns ? at(a, b) : at(b, a));
  let labelsInFirst = true;
  for (let a = t.r0 + 1; a <= t.r1; a++) if (!isTextCell(get(a, t.c0))) labelsInFirst = false;
  let namesInFirst = true;
  for (let b = t.c0 + 1; b <= t.c1; b++) if (!isTextCell(get(t.r0, b))) namesInFirst = false;
  const top = namesInFirst ? t.r0 + 1 : t.r0;
  const left = labelsInFirst ? t.c0 + 1 : t.c0;
  if (top > t.r1 || left > t.c1) throw new EmulatedOfficeError('EmptyChartSeries', 'The chart has no data series. (emulator: the source holds only labels)', 'ChartCollection.add');
  const rect = (a0: number, a1: number, b: number): Rect => (byColumns ? { r0: a0, c0: b, r1: a1, c1: b } : { r0: b, c0: a0, r1: b, c1: a1 });
  const out: ChartSeriesState[] = [];
  for (let b = left; b <= t.c1; b++) {
    const head = get(t.r0, b);
    out.push({
      name: namesInFirst ? String(head?.value ?? '') : `Series${out.length + 1}`,
      values: rect(top, t.r1, b),
      categories: labelsInFirst ? rect(top, t.r1, t.c0) : null,
      fill: null,
    });
  }
  return out;
}

/** A single cell given as an A1 string or a Range on the chart's sheet (Chart.setPosition's startCell / endCell). */
function chartCell(run: SyncRun, sheet: SheetState, cell: unknown, location: string): Rect {
  if (typeof cell === 'string') {
    const rect = parseA1(cell.trim());
    if (!rect || rect.r0 !== rect.r1 || rect.c0 !== rect.c1) throw invalidArgument(location, `${describeValue(cell)} is not a single cell`);
    return rect;
  }
  if (cell instanceof ClientObjectImpl || (typeof cell === 'object' && cell !== null && '_resolve' in cell)) {
    const ref = (cell as unknown as ClientObjectImpl<RangeRef>)._resolve(run, location);
    if (ref === NULL_OBJECT || ref.sheet !== sheet) throw invalidArgument(location, 'the cell must be on the chart\'s sheet');
    return { r0: ref.r0, c0: ref.c0, r1: ref.r0, c1: ref.c0 };
  }
  throw invalidArgument(location, `expected an A1 address or a Range, got ${describeValue(cell)}`);
}

class ChartCollectionImpl extends ClientObjectImpl<SheetState> implements EmulatedChartCollection {
  _typeName(): string {
    return 'ChartCollection';
  }

  add(type: string, sourceData: Excel.Range | EmulatedRange, seriesBy?: string): EmulatedChart {
    const chart = new ChartImpl(this._ctx, `${this._path}.add(${JSON.stringify(type)})`, createdByAction('Chart from ChartCollection.add'), false, wireMethod(this as ClientObjectImpl<unknown>, 'Add', [type, sourceData, seriesBy]));
    if (seriesBy === 'Auto' || seriesBy === undefined) throw new EmulatorGapError('ChartCollection.add with seriesBy "Auto" (pass "Columns" or "Rows")');
    this._act('add', { args: [type, seriesBy] }, (run) => {
      const location = 'ChartCollection.add';
      const sheet = this._resolveNonNull(run, 'add');
      if (!CHART_TYPES.has(type)) {
        if (typeof type === 'string' && /^[A-Z][A-Za-z0-9]+$/.test(type)) throw new EmulatorGapError(`ChartCollection.add(${describeValue(type)})`);
        throw invalidArgument(location, `${describeValue(type)} is not a chart type`);
      }
      if (seriesBy !== 'Columns' && seriesBy !== 'Rows') throw invalidArgument(location, `${describeValue(seriesBy)} is not a ChartSeriesBy`);
      const source = (sourceData as unknown as ClientObjectImpl<RangeRef>)._resolve(run, location);
      if (source === NULL_OBJECT) throw itemNotFound(location, 'the source range is a null object');
      assertWritable(sheet, location);
      const state: ChartState = {
        sheet, name: `Chart ${sheet.charts.length + 1}`, type, dataSheet: source.sheet, title: null,
        series: chartSeriesOf(source.sheet, source, seriesBy === 'Columns'), position: null,
      };
      run.splice(sheet.charts, sheet.charts.length, 0, state);
      chart._memoize(run, state);
    }, null);
    return chart._proxy;
  }
}

abstract class ChartPartImpl extends ClientObjectImpl<ChartState> {
  override _revalidate(value: ChartState, location: string): void {
    if (!value.sheet.charts.includes(value) || !this._ctx._core.state.sheets.includes(value.sheet)) throw itemNotFound(location, `chart '${value.name}' was deleted`);
  }
}

class ChartImpl extends ChartPartImpl implements EmulatedChart {
  _typeName(): string {
    return 'Chart';
  }

  override _scalars(): Record<string, ScalarDef<ChartState>> {
    return { name: { get: (_run, c) => c.name } };
  }

  get name(): string {
    return this._get('name');
  }

  get title(): EmulatedChartTitle {
    return this._child('title', () => new ChartTitleImpl(this._ctx, `${this._path}.title`, (run) => this._resolve(run), false, wireProperty(this as ClientObjectImpl<unknown>, 'Title'))._proxy);
  }

  get series(): EmulatedChartSeriesCollection {
    return this._child('series', () => new ChartSeriesCollectionImpl(this._ctx, `${this._path}.series`, (run) => this._resolve(run), false, wireProperty(this as ClientObjectImpl<unknown>, 'Series'))._proxy);
  }

  // Chart.setPosition(startCell, endCell?): "Positions the chart relative to cells on the worksheet"; "endCell:
  // (Optional) The end cell. If specified, the chart's width and height will be set to fully cover up this cell/range"
  // (ExcelApi 1.1, https://learn.microsoft.com/javascript/api/excel/excel.chart#excel-excel-chart-setposition-member(1)).
  setPosition(startCell: Excel.Range | string, endCell?: Excel.Range | string): void {
    this._act('setPosition', { args: [typeof startCell === 'string' ? startCell : 'Range', typeof endCell === 'string' ? endCell : endCell === undefined ? null : 'Range'] }, (run) => {
      const location = 'Chart.setPosition';
      const chart = this._resolveNonNull(run, 'setPosition');
      const start = chartCell(run, chart.sheet, startCell, location);
      const end = endCell === undefined ? start : chartCell(run, chart.sheet, endCell, location);
      if (end.r0 < start.r0 || end.c0 < start.c0) throw invalidArgument(location, 'the end cell must lie below and right of the start cell');
      assertWritable(chart.sheet, location);
      run.assign(chart, 'position', { start, end });
    }, { name: 'SetPosition', args: [startCell, endCell] });
  }
}

class ChartTitleImpl extends ChartPartImpl implements EmulatedChartTitle {
  _typeName(): string {
    return 'ChartTitle';
  }

  override _scalars(): Record<string, ScalarDef<ChartState>> {
    return {
      text: {
        get: (_run, c) => c.title ?? '',
        set: (run, c, v, location) => {
          if (typeof v !== 'string') throw invalidArgument(location, `expected a string, got ${describeValue(v)}`);
          assertWritable(c.sheet, location);
          run.assign(c, 'title', v);
        },
      },
    };
  }

  get text(): string {
    return this._get('text');
  }

  set text(v: string) {
    this._set('text', v);
  }
}

interface SeriesRef {
  readonly chart: ChartState;
  readonly series: ChartSeriesState;
}

class ChartSeriesCollectionImpl extends ChartPartImpl implements EmulatedChartSeriesCollection {
  _typeName(): string {
    return 'ChartSeriesCollection';
  }

  // ChartSeriesCollection.getItemAt(index): "Retrieves a series based on its position in the collection" (ExcelApi 1.1,
  // https://learn.microsoft.com/javascript/api/excel/excel.chartseriescollection#excel-excel-chartseriescollection-getitemat-member(1)).
  getItemAt(index: number): EmulatedChartSeries {
    return new ChartSeriesImpl(this._ctx, `${this._path}.getItemAt(${index})`, (run) => {
      const chart = this._resolveNonNull(run, 'getItemAt');
      const series = Number.isInteger(index) ? chart.series[index] : undefined;
      if (series === undefined) throw invalidArgument('ChartSeriesCollection.getItemAt', `the chart has ${chart.series.length} series; no series at ${describeValue(index)}`);
      return { chart, series };
    }, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetItemAt', [index]))._proxy;
  }
}

class ChartSeriesImpl extends ClientObjectImpl<SeriesRef> implements EmulatedChartSeries {
  _typeName(): string {
    return 'ChartSeries';
  }

  override _scalars(): Record<string, ScalarDef<SeriesRef>> {
    return {
      name: {
        get: (_run, s) => s.series.name,
        set: (run, s, v, location) => {
          if (typeof v !== 'string') throw invalidArgument(location, `expected a string, got ${describeValue(v)}`);
          assertWritable(s.chart.sheet, location);
          run.assign(s.series, 'name', v);
        },
      },
    };
  }

  get name(): string {
    return this._get('name');
  }

  set name(v: string) {
    this._set('name', v);
  }

  // ChartSeries.format.fill is a ChartFill; setSolidColor(color): "Sets the fill formatting of a chart element to a
  // uniform color", color "HTML color code representing the color of the background, in the form #RRGGBB (e.g.,
  // "FFA500") or as a named HTML color" (ExcelApi 1.1, https://learn.microsoft.com/javascript/api/excel/excel.chartfill).
  get format(): { readonly fill: { setSolidColor(color: string): void } } {
    return this._child('format', () => strict({
      fill: strict({
        setSolidColor: (color: string): void => {
          if (this._ctx._open) this._ctx._wire.act(this._ctx._nextWireId(), 3, this._wireChild('Format/Fill'), 'SetSolidColor', [color]);
          this._act('format.fill.setSolidColor', { args: [color] }, (run) => {
            const location = 'ChartFill.setSolidColor';
            const s = this._resolveNonNull(run, 'format');
            const c = normaliseColor(color, location);
            assertWritable(s.chart.sheet, location);
            run.assign(s.series, 'fill', c);
          }, null);
        },
      }, 'ChartFill'),
    }, 'ChartSeriesFormat'));
  }
}

// Excel.PageLayout, ExcelApi 1.9 (https://learn.microsoft.com/javascript/api/excel/excel.pagelayout):
// setPrintArea(printArea: Range | RangeAreas | string) "Sets the worksheet's print area"; setPrintTitleColumns(
// printTitleColumns: Range | string) "Sets the columns that contain the cells to be repeated at the left of each page
// of the worksheet for printing"; zoom "The PageLayoutZoomOptions object must be set as a JSON object (use x.zoom =
// {...} instead of x.zoom.scale = ...)", whose scale "can be between 10 and 400" and is null when fitting to pages
// (https://learn.microsoft.com/javascript/api/excel/excel.pagelayoutzoomoptions).
class PageLayoutImpl extends ClientObjectImpl<SheetState> implements EmulatedPageLayout {
  _typeName(): string {
    return 'PageLayout';
  }

  override _scalars(): Record<string, ScalarDef<SheetState>> {
    return {
      zoom: {
        get: (_run, s) => ({ ...(s.zoom ?? { scale: 100 }) }),
        set: (run, s, v, location) => {
          if (typeof v !== 'object' || v === null) throw invalidArgument(location, `zoom must be set as an object, got ${describeValue(v)}`);
          const z = v as Record<string, unknown>;
          const out: { horizontalFitToPages?: number; verticalFitToPages?: number; scale?: number } = {};
          for (const [k, x] of Object.entries(z)) {
            if (k !== 'horizontalFitToPages' && k !== 'verticalFitToPages' && k !== 'scale') throw invalidArgument(location, `zoom has no ${k}`);
            if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw invalidArgument(location, `zoom.${k} must be a whole number >= 0`);
            if (k === 'scale' && (x < 10 || x > 400)) throw invalidArgument(location, 'zoom.scale must be between 10 and 400');
            out[k] = x;
          }
          if (out.scale !== undefined && (out.horizontalFitToPages !== undefined || out.verticalFitToPages !== undefined)) {
            throw invalidArgument(location, 'zoom takes a scale or pages to fit, not both');
          }
          assertWritable(s, location);
          run.assign(s, 'zoom', out);
        },
      },
      // orientation: "The orientation of the pages" (ExcelApi 1.9), an Excel.PageOrientation, "Portrait" or "Landscape"
      // (https://learn.microsoft.com/javascript/api/excel/excel.pagelayout#excel-excel-pagelayout-orientation-member,
      // https://learn.microsoft.com/javascript/api/excel/excel.pageorientation). Anything else is refused.
      orientation: {
        get: (_run, s) => s.orientation ?? 'Portrait',
        set: (run, s, v, location) => {
          if (v !== 'Portrait' && v !== 'Landscape') throw invalidArgument(location, `${describeValue(v)} is not a PageOrientation ("Portrait" or "Landscape")`);
          assertWritable(s, location);
          run.assign(s, 'orientation', v);
        },
      },
    };
  }

  get zoom(): Excel.PageLayoutZoomOptions {
    return this._get('zoom');
  }

  set zoom(v: Excel.PageLayoutZoomOptions) {
    this._set('zoom', v);
  }

  get orientation(): Excel.PageOrientation | PageOrientationName {
    return this._get('orientation');
  }

  set orientation(v: Excel.PageOrientation | PageOrientationName) {
    this._set('orientation', v);
  }

  _areaOf(run: SyncRun, sheet: SheetState, input: unknown, location: string): Rect {
    if (typeof input === 'string') {
      const split = splitSheetQualified(input.trim());
      if (split?.sheet !== undefined && split.sheet.toLowerCase() !== sheet.name.toLowerCase()) throw invalidArgument(location, `"${input}" is on another sheet`);
      const rect = split ? parseA1(split.address) : null;
      if (!rect) throw invalidArgument(location, `"${input}" is not an A1 address`);
      return rect;
    }
    if (typeof input === 'object' && input !== null && '_resolve' in input) {
      const ref = (input as unknown as ClientObjectImpl<RangeRef>)._resolve(run, location);
      if (ref === NULL_OBJECT || ref.sheet !== sheet) throw invalidArgument(location, 'the range must be on this sheet');
      return { r0: ref.r0, c0: ref.c0, r1: ref.r1, c1: ref.c1 };
    }
    throw invalidArgument(location, `expected an A1 address or a Range, got ${describeValue(input)}`);
  }

  setPrintArea(printArea: Excel.Range | string): void {
    this._act('setPrintArea', { args: [typeof printArea === 'string' ? printArea : 'Range'] }, (run) => {
      const location = 'PageLayout.setPrintArea';
      const sheet = this._resolveNonNull(run, 'setPrintArea');
      const rect = this._areaOf(run, sheet, printArea, location);
      assertWritable(sheet, location);
      run.assign(sheet, 'printArea', rect);
    }, { name: 'SetPrintArea', args: [printArea] });
  }

  setPrintTitleColumns(printTitleColumns: Excel.Range | string): void {
    this._act('setPrintTitleColumns', { args: [typeof printTitleColumns === 'string' ? printTitleColumns : 'Range'] }, (run) => {
      const location = 'PageLayout.setPrintTitleColumns';
      const sheet = this._resolveNonNull(run, 'setPrintTitleColumns');
      const rect = this._areaOf(run, sheet, printTitleColumns, location);
      // Print titles repeat whole columns, as Page Setup › Sheet › "Columns to repeat at left" takes them: "The columns
      // to be repeated to the left of each page. The range must span the entire column to be valid" (ExcelApi 1.9,
      // https://learn.microsoft.com/javascript/api/excel/excel.pagelayout#excel-excel-pagelayout-setprinttitlecolumns-member(1)).
      // One range only: "A:A,C:C" is not an A1 address of a range and is refused above. (VBA's PageSetup.PrintTitleColumns
      // widens part of a column to the whole column instead; the add-in API is taken at its word.)
      if (!isWholeColumns(rect)) throw invalidArgument(location, `${describeValue(printTitleColumns)} is not a range of whole columns`);
      assertWritable(sheet, location);
      run.assign(sheet, 'printTitleColumns', rect);
    }, { name: 'SetPrintTitleColumns', args: [printTitleColumns] });
  }

  getPrintTitleColumnsOrNullObject(): EmulatedRange {
    return new RangeImpl(this._ctx, `${this._path}.getPrintTitleColumnsOrNullObject()`, (run) => {
      const sheet = this._resolve(run);
      if (sheet === NULL_OBJECT || sheet.printTitleColumns === null) return NULL_OBJECT;
      return { sheet, ...sheet.printTitleColumns };
    }, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetPrintTitleColumnsOrNullObject', []))._proxy;
  }
}

// ----- Conditional formats --------------------------------------------------------------------

function cfExists(cf: CfState, location: string): void {
  if (!cf.sheet.cfs.includes(cf)) throw itemNotFound(location, `conditional format ${cf.id} was deleted`);
}

const CF_SCALARS: Record<string, ScalarDef<CfState>> = {
  id: { get: (_run, cf) => cf.id },
  type: { get: (_run, cf) => cf.type },
  priority: {
    get: (_run, cf) => cf.sheet.cfs.indexOf(cf),
    set: (run, cf, v, location) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidArgument(location, `priority must be an integer, got ${describeValue(v)}`);
      assertWritable(cf.sheet, location);
      const list = cf.sheet.cfs;
      const last = list.length - 1;
      const target = Math.max(0, Math.min(last, v < 0 ? list.length + v : v));
      run.splice(list, list.indexOf(cf), 1);
      run.splice(list, target, 0, cf);
    },
  },
  stopIfTrue: {
    get: (_run, cf) => cf.stopIfTrue,
    set: (run, cf, v, location) => {
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      assertWritable(cf.sheet, location);
      run.assign(cf, 'stopIfTrue', v);
    },
  },
};

/**
 * The conditional formats of a sheet that the collection of a range, or of a RangeAreas, holds, in priority order:
 * those with an area that overlaps one of its areas ("a collection of conditional formats that intersect with any cells
 * in this `RangeAreas` object", RangeAreas.conditionalFormats, ExcelApi 1.9).
 */
function cfsIn(scope: AreasRef): CfState[] {
  return scope.sheet.cfs.filter((cf) => cf.areas.some((a) => scope.areas.some((b) => intersect(a, b) !== null)));
}

/**
 * `priority` as Excel has it: "The priority (or index) within the conditional format collection that this
 * conditional format currently exists in. Changing this also changes other conditional formats' priorities […]
 * Priorities greater than the bounds will get and set to the maximum (or minimum if negative) priority. Also note
 * that if you change the priority, you have to re-fetch a new copy of the object at that new priority location if
 * you want to make further changes to it." (Excel JavaScript API, "Excel.ConditionalFormat", priority,
 * https://learn.microsoft.com/javascript/api/excel/excel.conditionalformat#excel-excel-conditionalformat-priority-member).
 * So the index counts within the collection of the range the object was reached through, and after a change the
 * object stands for whatever rule now holds its old index there.
 */
function priorityIn(scopeOf: (run: SyncRun) => Res<AreasRef>, self: ClientObjectImpl<CfState>): ScalarDef<CfState> {
  const resolveScope = (run: SyncRun, cf: CfState): AreasRef => {
    const scope = scopeOf(run);
    return scope === NULL_OBJECT ? { sheet: cf.sheet, areas: cf.areas } : scope;
  };
  return {
    get: (run, cf) => cfsIn(resolveScope(run, cf)).indexOf(cf),
    set: (run, cf, v, location) => {
      const scope = resolveScope(run, cf);
      if (typeof v !== 'number' || !Number.isInteger(v)) throw invalidArgument(location, `priority must be an integer, got ${describeValue(v)}`);
      assertWritable(cf.sheet, location);
      const before = cfsIn(scope);
      const from = before.indexOf(cf);
      const others = before.filter((c) => c !== cf);
      const to = Math.max(0, Math.min(others.length, v < 0 ? others.length + 1 + v : v));
      const list = cf.sheet.cfs;
      run.splice(list, list.indexOf(cf), 1);
      const next = others[to];
      const last = others[others.length - 1];
      const at = next !== undefined ? list.indexOf(next) : last !== undefined ? list.indexOf(last) + 1 : list.length;
      run.splice(list, at, 0, cf);
      const now = cfsIn(scope)[from];
      if (now !== undefined) self._memoize(run, now);
    },
  };
}

abstract class CfPartImpl extends ClientObjectImpl<CfState> {
  /**
   * The range (or RangeAreas) whose collection this object was reached through, passed on to its parts (see
   * {@link priorityIn} and {@link formulaIn}).
   */
  _scope: ((run: SyncRun) => Res<AreasRef>) | undefined = undefined;

  override _revalidate(value: CfState, location: string): void {
    cfExists(value, location);
  }

  _part<C>(name: string, make: new (ctx: ContextImpl, path: string, resolver: (run: SyncRun) => Res<CfState>, instantiate: boolean, step: WireStep) => CfPartImpl): C {
    return this._child(name, () => {
      const part = new make(this._ctx, `${this._path}.${name}`, (run) => this._resolve(run), true, wireProperty(this as ClientObjectImpl<unknown>, wireName(name)));
      part._scope = this._scope;
      return part._proxy as unknown as C;
    });
  }
}

class ConditionalFormatImpl extends CfPartImpl implements EmulatedConditionalFormat {
  _typeName(): string {
    return 'ConditionalFormat';
  }

  override _scalars(): Record<string, ScalarDef<CfState>> {
    return this._scope === undefined ? CF_SCALARS : { ...CF_SCALARS, priority: priorityIn(this._scope, this) };
  }

  override _navs(): readonly string[] {
    return ['custom'];
  }

  get id(): string {
    return this._get('id');
  }

  get type(): Excel.ConditionalFormatType {
    return this._get('type');
  }

  get priority(): number {
    return this._get('priority');
  }

  set priority(v: number) {
    this._set('priority', v);
  }

  get stopIfTrue(): boolean {
    return this._get('stopIfTrue');
  }

  set stopIfTrue(v: boolean) {
    this._set('stopIfTrue', v);
  }

  get custom(): EmulatedCustomConditionalFormat {
    return this._part('custom', CustomConditionalFormatImpl);
  }

  delete(): void {
    this._act('delete', {}, (run) => {
      const cf = this._resolveNonNull(run, 'delete');
      assertWritable(cf.sheet, 'ConditionalFormat.delete');
      run.splice(cf.sheet.cfs, cf.sheet.cfs.indexOf(cf), 1);
    });
  }

  // "Returns the range the conditonal format is applied to. Throws an error if the conditional format is applied to
  // multiple ranges." (Excel JavaScript API, ConditionalFormat.getRange, ExcelApi 1.6,
  // https://learn.microsoft.com/javascript/api/excel/excel.conditionalformat#excel-excel-conditionalformat-getrange-member(1)).
  // The error's code is not documented; the emulator fails with InvalidOperation.
  getRange(): EmulatedRange {
    return this._cfRange('getRange()', false);
  }

  // "Returns the range to which the conditonal format is applied. If the conditional format is applied to multiple
  // ranges, then this method returns an object with its `isNullObject` property set to `true`." (ConditionalFormat.
  // getRangeOrNullObject, ExcelApi 1.6,
  // https://learn.microsoft.com/javascript/api/excel/excel.conditionalformat#excel-excel-conditionalformat-getrangeornullobject-member(1)).
  getRangeOrNullObject(): EmulatedRange {
    return this._cfRange('getRangeOrNullObject()', true);
  }

  _cfRange(call: string, orNull: boolean): EmulatedRange {
    return new RangeImpl(this._ctx, `${this._path}.${call}`, (run) => {
      const cf = this._resolve(run);
      if (cf === NULL_OBJECT) return NULL_OBJECT;
      const [only, ...more] = cf.areas as [Rect, ...Rect[]];
      if (more.length === 0) return { sheet: cf.sheet, ...only };
      if (orNull) return NULL_OBJECT;
      throw invalidOperation('ConditionalFormat.getRange', `the conditional format applies to ${cf.areas.length} areas (${cf.areas.map((a) => rectAddress(a)).join(', ')}); use getRanges()`);
    }, true, wireMethod(this as ClientObjectImpl<unknown>, orNull ? 'GetRangeOrNullObject' : 'GetRange', []))._proxy;
  }

  // "Returns the `RangeAreas`, comprising one or more rectangular ranges, to which the conditonal format is applied."
  // (ConditionalFormat.getRanges, ExcelApi 1.9,
  // https://learn.microsoft.com/javascript/api/excel/excel.conditionalformat#excel-excel-conditionalformat-getranges-member(1)).
  getRanges(): EmulatedRangeAreas {
    return new RangeAreasImpl(this._ctx, `${this._path}.getRanges()`, (run) => {
      requireApi(run, '1.9', 'ConditionalFormat.getRanges');
      const cf = this._resolve(run);
      return cf === NULL_OBJECT ? NULL_OBJECT : { sheet: cf.sheet, areas: cf.areas };
    }, true, wireMethod(this as ClientObjectImpl<unknown>, 'GetRanges', []))._proxy;
  }
}

class CustomConditionalFormatImpl extends CfPartImpl implements EmulatedCustomConditionalFormat {
  _typeName(): string {
    return 'CustomConditionalFormat';
  }

  override _navs(): readonly string[] {
    return ['rule', 'format'];
  }

  get rule(): EmulatedConditionalFormatRule {
    return this._part('rule', ConditionalFormatRuleImpl);
  }

  get format(): EmulatedConditionalRangeFormat {
    return this._part('format', ConditionalRangeFormatImpl);
  }
}

/**
 * `formula` of a rule reached through the collection of `scopeOf` (the rule's own areas when undefined). A rule's
 * formula is written against the top-left cell of the range it applies to (see {@link anchorOf}), and reads back so;
 * but "when you set the formula, it applies the formula relative to the current range" (office-js issue 5194, answer of
 * the Excel team, 2025-01-06, "by design"): the range whose collection the rule was reached through. Setting a formula
 * with relative references through a range that does not start at the rule's top-left cell is therefore not emulated,
 * nor is one on areas whose first does not start at their top-left cell (see {@link assertPlainAnchor}).
 */
function formulaIn(scopeOf: ((run: SyncRun) => Res<AreasRef>) | undefined): ScalarDef<CfState> {
  return {
    get: (_run, cf) => cf.formula,
    set: (run, cf, v, location) => {
      if (typeof v !== 'string' || !v.startsWith('=') || v.length < 2) {
        throw invalidArgument(location, `a conditional format formula must be a string starting with "=", got ${describeValue(v)}`);
      }
      assertFormulaWithinLimits(v, location, 'of the conditional format');
      assertWritable(cf.sheet, location);
      assertPlainAnchor(cf.areas, v, location);
      const scope = scopeOf?.(run);
      if (scope !== undefined && scope !== NULL_OBJECT && hasRelativeReference(v)) {
        assertPlainAnchor(scope.areas, v, location);
        const from = anchorOf(scope.areas);
        const rule = anchorOf(cf.areas);
        if (from.r !== rule.r || from.c !== rule.c) {
          throw new EmulatorGapError(
            `${location}: the relative references of ${JSON.stringify(v)} set through the conditional formats of ${rectAddress(scope.areas[0] as Rect)}, which does not start at the top-left cell of the rule's ${rectAddress(cf.areas[0] as Rect)} (Excel reads them from the range the rule was reached through)`,
          );
        }
      }
      run.assign(cf, 'formula', v);
    },
  };
}

const CF_RULE_SCALARS: Record<string, ScalarDef<CfState>> = { formula: formulaIn(undefined) };

class ConditionalFormatRuleImpl extends CfPartImpl implements EmulatedConditionalFormatRule {
  _typeName(): string {
    return 'ConditionalFormatRule';
  }

  override _scalars(): Record<string, ScalarDef<CfState>> {
    return this._scope === undefined ? CF_RULE_SCALARS : { formula: formulaIn(this._scope) };
  }

  get formula(): string {
    return this._get('formula');
  }

  set formula(v: string) {
    this._set('formula', v);
  }
}

class ConditionalRangeFormatImpl extends CfPartImpl implements EmulatedConditionalRangeFormat {
  _typeName(): string {
    return 'ConditionalRangeFormat';
  }

  override _navs(): readonly string[] {
    return ['fill', 'font'];
  }

  get fill(): EmulatedConditionalRangeFill {
    return this._part('fill', ConditionalRangeFillImpl);
  }

  get font(): EmulatedConditionalRangeFont {
    return this._part('font', ConditionalRangeFontImpl);
  }
}

function cfColorDef(field: 'fill' | 'fontColor'): ScalarDef<CfState> {
  return {
    get: (_run, cf) => cf[field],
    set: (run, cf, v, location) => {
      const color = normaliseColor(v, location);
      assertWritable(cf.sheet, location);
      run.assign(cf, field, color);
    },
  };
}

class ConditionalRangeFillImpl extends CfPartImpl implements EmulatedConditionalRangeFill {
  _typeName(): string {
    return 'ConditionalRangeFill';
  }

  override _scalars(): Record<string, ScalarDef<CfState>> {
    return CF_FILL_SCALARS;
  }

  get color(): string {
    return this._get('color');
  }

  set color(v: string) {
    this._set('color', v);
  }

  clear(): void {
    this._act('clear', {}, (run) => {
      const cf = this._resolveNonNull(run, 'clear');
      assertWritable(cf.sheet, 'ConditionalRangeFill.clear');
      run.assign(cf, 'fill', null);
    });
  }
}

const CF_FILL_SCALARS: Record<string, ScalarDef<CfState>> = { color: cfColorDef('fill') };

const CF_FONT_SCALARS: Record<string, ScalarDef<CfState>> = {
  color: cfColorDef('fontColor'),
  bold: {
    get: (_run, cf) => cf.bold,
    set: (run, cf, v, location) => {
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      assertWritable(cf.sheet, location);
      run.assign(cf, 'bold', v);
    },
  },
};

class ConditionalRangeFontImpl extends CfPartImpl implements EmulatedConditionalRangeFont {
  _typeName(): string {
    return 'ConditionalRangeFont';
  }

  override _scalars(): Record<string, ScalarDef<CfState>> {
    return CF_FONT_SCALARS;
  }

  get color(): string {
    return this._get('color');
  }

  set color(v: string) {
    this._set('color', v);
  }

  get bold(): boolean {
    return this._get('bold');
  }

  set bold(v: boolean) {
    this._set('bold', v);
  }

  clear(): void {
    this._act('clear', {}, (run) => {
      const cf = this._resolveNonNull(run, 'clear');
      assertWritable(cf.sheet, 'ConditionalRangeFont.clear');
      run.assign(cf, 'fontColor', null);
      run.assign(cf, 'bold', null);
    });
  }
}

class ConditionalFormatCollectionImpl
  extends CollectionImpl<AreasRef, ConditionalFormatImpl, CfState>
  implements EmulatedConditionalFormatCollection
{
  _typeName(): string {
    return 'ConditionalFormatCollection';
  }

  _itemScalars(): Record<string, ScalarDef<CfState>> {
    // An item's priority counts within this collection, as it does when read from the item (see priorityIn).
    const priority: ScalarDef<CfState> = {
      get: (run, cf) => {
        const scope = this._resolve(run);
        return scope === NULL_OBJECT ? cf.sheet.cfs.indexOf(cf) : cfsIn(scope).indexOf(cf);
      },
    };
    return { ...CF_SCALARS, priority };
  }

  _listItems(_run: SyncRun, ref: AreasRef): CfState[] {
    return cfsIn(ref);
  }

  _makeItem(ref: CfState): ConditionalFormatImpl {
    const item = new ConditionalFormatImpl(this._ctx, `${this._path}.getItem(${JSON.stringify(ref.id)})`, () => ref, false, wireIndexer(this as ClientObjectImpl<unknown>, [ref.id]));
    item._scope = (run) => this._resolve(run);
    return item;
  }

  // "Adds a new conditional format to the collection at the first/top priority." (ConditionalFormatCollection.add,
  // ExcelApi 1.6.) Through a RangeAreas (ExcelApi 1.9) it makes one rule over all its areas, in their order; areas that
  // overlap are not emulated (what Excel keeps of them is not documented).
  add(type: Excel.ConditionalFormatType | ConditionalFormatTypeName): EmulatedConditionalFormat {
    if (type !== 'Custom') throw new EmulatorGapError(`ConditionalFormatCollection.add(${describeValue(type)}) (only "Custom" is emulated)`);
    const cf = new ConditionalFormatImpl(this._ctx, `${this._path}.add("Custom")`, createdByAction('ConditionalFormat from ConditionalFormatCollection.add'), false, wireMethod(this as ClientObjectImpl<unknown>, 'Add', [type]));
    cf._scope = (run) => this._resolve(run);
    this._act('add', { args: [type] }, (run) => {
      requireApi(run, '1.6', 'ConditionalFormatCollection.add');
      const ref = this._resolveNonNull(run, 'add');
      assertWritable(ref.sheet, 'ConditionalFormatCollection.add');
      for (const [i, a] of ref.areas.entries()) {
        const b = ref.areas.slice(i + 1).find((o) => intersect(a, o) !== null);
        if (b) throw new EmulatorGapError(`ConditionalFormatCollection.add over areas that overlap (${rectAddress(a)} and ${rectAddress(b)})`);
      }
      const state: CfState = {
        id: run.core.newId('cf'),
        type: 'Custom',
        sheet: ref.sheet,
        areas: ref.areas.map((a) => ({ r0: a.r0, c0: a.c0, r1: a.r1, c1: a.c1 })),
        formula: null,
        fill: null,
        fontColor: null,
        bold: null,
        stopIfTrue: false,
      };
      run.splice(ref.sheet.cfs, 0, 0, state);
      cf._memoize(run, state);
    }, null);
    return cf._proxy;
  }

  clearAll(): void {
    this._act('clearAll', {}, (run) => {
      requireApi(run, '1.6', 'ConditionalFormatCollection.clearAll');
      const ref = this._resolveNonNull(run, 'clearAll');
      assertWritable(ref.sheet, 'ConditionalFormatCollection.clearAll');
      trimConditionalFormats(run, ref.sheet, ref.areas, 'ConditionalFormatCollection.clearAll');
    });
  }

  getItem(id: string): EmulatedConditionalFormat {
    const item = new ConditionalFormatImpl(this._ctx, `${this._path}.getItem(${JSON.stringify(id)})`, (run) => {
      const ref = this._resolve(run);
      if (ref === NULL_OBJECT) return NULL_OBJECT;
      const cf = this._listItems(run, ref).find((c) => c.id === id);
      if (!cf) throw itemNotFound('ConditionalFormatCollection.getItem', `no conditional format ${describeValue(id)} on this range`);
      return cf;
    }, true, wireIndexer(this as ClientObjectImpl<unknown>, [id]));
    item._scope = (run) => this._resolve(run);
    return item._proxy;
  }
}

// ----- Names ----------------------------------------------------------------------------------

const NAME_SCALARS: Record<string, ScalarDef<NameState>> = {
  name: { get: (_run, n) => n.name },
  formula: {
    get: (run, n) => {
      requireApi(run, '1.7', 'NamedItem.formula');
      return n.formula;
    },
    set: (run, n, v, location) => {
      requireApi(run, '1.7', location);
      run.assign(n, 'formula', validateNameFormula(run.state, v, location));
    },
  },
  value: {
    get: (run, n) => {
      const { value } = nameTypeAndValue(run.state, n);
      if (value === ARRAY_VALUE_GAP) throw new EmulatorGapError('NamedItem.value of an array constant (read it through NamedItem.arrayValues)');
      return value;
    },
  },
  type: { get: (run, n) => nameTypeAndValue(run.state, n).type },
  comment: {
    get: (_run, n) => n.comment,
    set: (run, n, v, location) => {
      if (typeof v !== 'string') throw invalidArgument(location, `comment must be a string, got ${describeValue(v)}`);
      run.assign(n, 'comment', v);
    },
  },
  visible: {
    get: (_run, n) => n.visible,
    set: (run, n, v, location) => {
      if (typeof v !== 'boolean') throw invalidArgument(location, `expected a boolean, got ${describeValue(v)}`);
      run.assign(n, 'visible', v);
    },
  },
  scope: { get: () => 'Workbook' },
};

function findName(state: WorkbookState, name: string): NameState | undefined {
  const lower = typeof name === 'string' ? name.toLowerCase() : '';
  return state.names.find((n) => n.name.toLowerCase() === lower);
}

class NamedItemImpl extends ClientObjectImpl<NameState> implements EmulatedNamedItem {
  _typeName(): string {
    return 'NamedItem';
  }

  override _scalars(): Record<string, ScalarDef<NameState>> {
    return NAME_SCALARS;
  }

  override _revalidate(value: NameState, location: string): void {
    if (!this._ctx._core.state.names.includes(value)) throw itemNotFound(location, `name '${value.name}' was deleted`);
  }

  get name(): string {
    return this._get('name');
  }

  get formula(): AnyValue {
    return this._get('formula');
  }

  set formula(v: AnyValue) {
    this._set('formula', v);
  }

  get value(): AnyValue {
    return this._get('value');
  }

  get type(): Excel.NamedItemType {
    return this._get('type');
  }

  get comment(): string {
    return this._get('comment');
  }

  set comment(v: string) {
    this._set('comment', v);
  }

  get visible(): boolean {
    return this._get('visible');
  }

  set visible(v: boolean) {
    this._set('visible', v);
  }

  get scope(): Excel.NamedItemScope {
    return this._get('scope');
  }

  delete(): void {
    this._act('delete', {}, (run) => {
      const n = this._resolveNonNull(run, 'delete');
      run.splice(run.state.names, run.state.names.indexOf(n), 1);
    });
  }

  getRange(): EmulatedRange {
    return this._nameRange('getRange()', false);
  }

  getRangeOrNullObject(): EmulatedRange {
    return this._nameRange('getRangeOrNullObject()', true);
  }

  _nameRange(call: string, orNull: boolean): EmulatedRange {
    return new RangeImpl(this._ctx, `${this._path}.${call}`, (run) => {
      const n = this._resolve(run);
      if (n === NULL_OBJECT) return NULL_OBJECT;
      const ref = parseNameReference(run.state, n.formula);
      if (ref && ref !== 'bad') return { sheet: ref.sheet, ...ref.rect };
      if (orNull) return NULL_OBJECT;
      throw invalidArgument('NamedItem.getRange', `name '${n.name}' does not refer to a range`);
    }, true, wireMethod(this as ClientObjectImpl<unknown>, orNull ? 'GetRangeOrNullObject' : 'GetRange', []))._proxy;
  }
}

class NamedItemCollectionImpl extends CollectionImpl<WorkbookState, NamedItemImpl, NameState> implements EmulatedNamedItemCollection {
  _typeName(): string {
    return 'NamedItemCollection';
  }

  _itemScalars(): Record<string, ScalarDef<NameState>> {
    return NAME_SCALARS;
  }

  _listItems(_run: SyncRun, ref: WorkbookState): NameState[] {
    return [...ref.names];
  }

  _makeItem(ref: NameState): NamedItemImpl {
    return new NamedItemImpl(this._ctx, `workbook.names.getItem(${JSON.stringify(ref.name)})`, () => ref, false, wireIndexer(this as ClientObjectImpl<unknown>, [ref.name]));
  }

  add(name: string, reference: EmulatedRange | string, comment?: string): EmulatedNamedItem {
    if (reference instanceof RangeImpl && reference._ctx !== this._ctx) {
      throw new EmulatedOfficeError('InvalidRequestContext', 'Cannot use the object across different request contexts.', 'NamedItemCollection.add');
    }
    const item = new NamedItemImpl(this._ctx, `workbook.names.add(${JSON.stringify(name)})`, createdByAction('NamedItem from NamedItemCollection.add'), false, wireMethod(this as ClientObjectImpl<unknown>, 'Add', [name, reference, comment]));
    const wireRef = reference instanceof RangeImpl ? { range: reference._path } : reference;
    this._act('add', { args: [name, wireRef, comment ?? null] }, (run) => {
      const location = 'NamedItemCollection.add';
      const state = this._resolveNonNull(run, 'add');
      const valid = validateDefinedName(name, location);
      if (findName(state, valid)) {
        throw new EmulatedOfficeError('ItemAlreadyExists', `${MESSAGES.itemAlreadyExists} (emulator: name '${valid}' exists)`, location, 409);
      }
      let formula: string;
      if (reference instanceof RangeImpl) {
        const ref = (reference as RangeImpl)._resolveNonNull(run, 'add');
        formula = rangeFormula(ref.sheet, ref);
      } else formula = validateNameFormula(state, reference, location);
      if (comment !== undefined && typeof comment !== 'string') throw invalidArgument(location, `comment must be a string, got ${describeValue(comment)}`);
      const ns: NameState = { name: valid, formula, comment: comment ?? '', visible: true };
      run.splice(state.names, state.names.length, 0, ns);
      item._memoize(run, ns);
    }, null);
    return item._proxy;
  }

  getItem(name: string): EmulatedNamedItem {
    return this._lookup(name, false);
  }

  getItemOrNullObject(name: string): EmulatedNamedItem {
    return this._lookup(name, true);
  }

  _lookup(name: string, orNull: boolean): EmulatedNamedItem {
    const method = orNull ? 'getItemOrNullObject' : 'getItem';
    return new NamedItemImpl(this._ctx, `workbook.names.${method}(${JSON.stringify(name)})`, (run) => {
      const state = this._resolve(run);
      if (state === NULL_OBJECT) return NULL_OBJECT;
      const found = findName(state, name);
      if (found) return found;
      if (orNull) return NULL_OBJECT;
      throw itemNotFound(`NamedItemCollection.${method}`, `no name ${describeValue(name)}`);
    }, true, orNull ? wireMethod(this as ClientObjectImpl<unknown>, 'GetItemOrNullObject', [name]) : wireIndexer(this as ClientObjectImpl<unknown>, [name]))._proxy;
  }
}

// ----- Settings -------------------------------------------------------------------------------

const SETTING_SCALARS: Record<string, ScalarDef<string>> = {
  key: { get: (_run, key) => key },
  value: {
    get: (run, key) => settingFromJson(run.state.settings.get(key) ?? 'null'),
    set: (run, key, v) => run.mapSet(run.state.settings, key, settingToJson(v)),
  },
};

class SettingImpl extends ClientObjectImpl<string> implements EmulatedSetting {
  _typeName(): string {
    return 'Setting';
  }

  override _scalars(): Record<string, ScalarDef<string>> {
    return SETTING_SCALARS;
  }

  override _revalidate(key: string, location: string): void {
    if (!this._ctx._core.state.settings.has(key)) throw itemNotFound(location, `setting '${key}' was deleted`);
  }

  get key(): string {
    return this._get('key');
  }

  get value(): AnyValue {
    return this._get('value');
  }

  set value(v: AnyValue) {
    settingToJson(v);
    this._set('value', v);
  }

  delete(): void {
    this._act('delete', {}, (run) => run.mapSet(run.state.settings, this._resolveNonNull(run, 'delete'), undefined));
  }
}

class SettingCollectionImpl extends CollectionImpl<WorkbookState, SettingImpl, string> implements EmulatedSettingCollection {
  _typeName(): string {
    return 'SettingCollection';
  }

  _itemScalars(): Record<string, ScalarDef<string>> {
    return SETTING_SCALARS;
  }

  _listItems(_run: SyncRun, ref: WorkbookState): string[] {
    return [...ref.settings.keys()];
  }

  _makeItem(key: string): SettingImpl {
    return new SettingImpl(this._ctx, `workbook.settings.getItem(${JSON.stringify(key)})`, () => key, false, wireIndexer(this as ClientObjectImpl<unknown>, [key]));
  }

  add(key: string, value: AnyValue): EmulatedSetting {
    const json = settingToJson(value);
    const item = new SettingImpl(this._ctx, `workbook.settings.add(${JSON.stringify(key)})`, createdByAction('Setting from SettingCollection.add'), false, wireMethod(this as ClientObjectImpl<unknown>, 'Add', [key, JSON.parse(json) as unknown]));
    this._act('add', { args: [key, JSON.parse(json) as unknown] }, (run) => {
      const state = this._resolveNonNull(run, 'add');
      if (typeof key !== 'string' || key.length === 0) throw invalidArgument('SettingCollection.add', `key must be a non-empty string, got ${describeValue(key)}`);
      run.mapSet(state.settings, key, json);
      item._memoize(run, key);
    }, null);
    return item._proxy;
  }

  getItem(key: string): EmulatedSetting {
    return this._lookup(key, false);
  }

  getItemOrNullObject(key: string): EmulatedSetting {
    return this._lookup(key, true);
  }

  _lookup(key: string, orNull: boolean): EmulatedSetting {
    const method = orNull ? 'getItemOrNullObject' : 'getItem';
    return new SettingImpl(this._ctx, `workbook.settings.${method}(${JSON.stringify(key)})`, (run) => {
      const state = this._resolve(run);
      if (state === NULL_OBJECT) return NULL_OBJECT;
      if (state.settings.has(key)) return key;
      if (orNull) return NULL_OBJECT;
      throw itemNotFound(`SettingCollection.${method}`, `no setting ${describeValue(key)}`);
    }, true, orNull ? wireMethod(this as ClientObjectImpl<unknown>, 'GetItemOrNullObject', [key]) : wireIndexer(this as ClientObjectImpl<unknown>, [key]))._proxy;
  }
}

// ---------------------------------------------------------------------------------------------
// Request context and the emulator core
// ---------------------------------------------------------------------------------------------

class ContextImpl implements EmulatedRequestContext {
  _queue: QueuedOp[] = [];
  _open = false;
  /** The last id given to an object path or action (ClientRequestContextBase._nextId). */
  _wireId = 0;
  /** The request office.js is building. */
  _wire: WireRequest = new WireRequest(this);
  /** True while a response is being applied: objects made then get no Instantiate action. */
  _processingResult = false;
  /** True inside a load, whose loads of navigation properties are part of its one Query action. */
  _inLoad = false;
  /** The raw object (also when reached through its strict proxy). */
  readonly _self: ContextImpl = this;
  readonly _proxy: ContextImpl;
  readonly _workbook: WorkbookImpl;
  _runtimeImpl: RuntimeImpl | undefined;

  constructor(readonly _core: EmulatorCore) {
    this._proxy = strict(this, 'RequestContext');
    this._workbook = new WorkbookImpl(this, 'workbook', (run) => run.state, false, { parent: null, type: 1, name: '' });
  }

  _nextWireId(): number {
    return ++this._wireId;
  }

  /** The path of an object being made, and its Instantiate action (ClientObject's constructor). */
  _wireMake(owner: ClientObjectImpl<unknown>, step: WireStep): WirePath {
    const id = this._nextWireId();
    let path: WirePath;
    if (step.parent === null) path = new WirePath(id, step.type, step.name, null, undefined, undefined, [], owner);
    else {
      const w = step.args === undefined ? undefined : wireArguments(step.args);
      path = new WirePath(id, step.type, step.name, step.parent._wirePath, w?.args, w?.refIds, w?.argPaths ?? [], owner);
    }
    if (!this._processingResult) this._wire.made_(path, owner._keepsReference());
    return path;
  }

  /** After a response: a worksheet's path becomes `worksheets[id]`, a null object's type 7 (see {@link WireRequest}). */
  _wireAfterResponse(request: WireRequest): void {
    this._processingResult = true;
    try {
      for (const path of request.made) {
        const owner = path.owner;
        if (!owner || path.type === 7) continue;
        if (owner._isNull === true) path.rewrite(7, null, undefined);
        else if (owner instanceof WorksheetImpl && owner._stable && owner._stable.value !== NULL_OBJECT) {
          const worksheets = (this._workbook.worksheets as unknown as ClientObjectImpl<unknown>)._wirePath;
          const id = owner._stable.value.id;
          if (path.parent !== worksheets || path.type !== 5 || path.args?.[0] !== id) path.rewrite(5, worksheets, [id]);
        }
      }
    } finally {
      this._processingResult = false;
    }
  }

  get _runtime(): RuntimeImpl {
    this._runtimeImpl ??= new RuntimeImpl(this, 'runtime', (run) => run.core, false, wireProperty(this._workbook as ClientObjectImpl<unknown>, '_Runtime'));
    return this._runtimeImpl;
  }

  get workbook(): EmulatedWorkbook {
    return this._workbook._proxy;
  }

  get application(): EmulatedApplication {
    return this._workbook._proxy.application;
  }

  get runtime(): EmulatedRuntime {
    return this._runtime._proxy;
  }

  sync<T>(passThroughValue?: T): Promise<T> {
    return this._core.sync(this, false).then(() => passThroughValue as T);
  }

  load(object: EmulatedClientObject, option?: string | string[] | OfficeExtension.LoadOption): void {
    if (!(object instanceof ClientObjectImpl)) throw invalidArgument('RequestContext.load', 'not an emulated proxy object');
    if (object._ctx._proxy !== this._proxy) throw new EmulatedOfficeError('InvalidRequestContext', 'Cannot use the object across different request contexts.', 'RequestContext.load');
    object.load(option);
  }

  _enqueue(op: QueuedOp): void {
    if (!this._open) {
      throw new EmulatedOfficeError(
        'InvalidObjectPath',
        `The object path isn't working for what you're trying to do. (emulator: ${op.location} was queued after its Excel.run finished; real Excel would silently drop it. Use Excel.run(object.context, ...) to reuse the context.)`,
        op.location,
      );
    }
    this._queue.push(op);
  }
}

class EmulatorCore {
  state: WorkbookState;
  readonly apiVersion: string;
  readonly partialFailures: boolean;
  cellEditMode = false;
  injectedFailure: { location: string | RegExp; code: string } | undefined = undefined;
  readonly eventLog: EmulatedEventRecord[] = [];
  enableEvents = true;
  syncCount = 0;
  runCount = 0;
  calculationSuspensions = 0;
  calculationPending = false;
  /** Edits the user could still undo (see {@link ExcelEmulator.undoDepth}). */
  undoDepth = 0;
  readonly syncPayloads: SyncPayload[] = [];
  readonly registrations: Registration[] = [];
  readonly pending = new Set<Promise<void>>();
  readonly handlerErrors: unknown[] = [];
  activeHandlers = 0;
  cascade = 0;
  private nextId = 1;

  constructor(init: EmulatedWorkbookInit, options: ExcelEmulatorOptions = {}) {
    const version = options.apiVersion ?? DEFAULT_API_VERSION;
    if (!/^1\.\d+$/.test(version)) throw new Error(`createExcelEmulator: apiVersion ${describeValue(version)} is not an ExcelApi version such as "1.7"`);
    this.apiVersion = version;
    this.partialFailures = options.partialFailures === true;
    this.state = this.buildState(init);
  }

  supports(version: string): boolean {
    return versionAtLeast(this.apiVersion, version);
  }

  newId(prefix: string): string {
    return `${prefix}-${this.nextId++}`;
  }

  newSheet(name: string): SheetState {
    const n = this.nextId++;
    return {
      id: `{${String(n).padStart(8, '0')}-0001-0000-0000-000000000000}`,
      name,
      cells: new Map(),
      protected: false,
      visibility: 'Visible',
      columnWidths: new Map(),
      hiddenColumns: new Set(),
      cfs: [],
      selection: { r0: 0, c0: 0, r1: 0, c1: 0 },
      merges: [],
      charts: [],
      printArea: null,
      printTitleColumns: null,
      zoom: null,
      orientation: null,
    };
  }

  private buildState(init: EmulatedWorkbookInit): WorkbookState {
    const fail = (msg: string): never => {
      throw new Error(`createExcelEmulator: ${msg}`);
    };
    if (!init || !Array.isArray(init.sheets) || init.sheets.length === 0) fail('at least one sheet is required');
    const sheets: SheetState[] = [];
    for (const s of init.sheets) {
      try {
        validateSheetName(s.name, 'init');
      } catch {
        fail(`invalid sheet name ${describeValue(s.name)}`);
      }
      if (sheets.some((x) => x.name.toLowerCase() === s.name.toLowerCase())) fail(`duplicate sheet name '${s.name}'`);
      const sheet = this.newSheet(s.name);
      sheet.protected = s.protected === true;
      if (s.visibility !== undefined) {
        if (!['Visible', 'Hidden', 'VeryHidden'].includes(s.visibility)) fail(`'${s.name}' has an invalid visibility ${describeValue(s.visibility)}`);
        sheet.visibility = s.visibility;
      }
      for (const [address, cell] of Object.entries(s.cells ?? {})) {
        const rect = parseA1(address);
        if (!rect || rect.r0 !== rect.r1 || rect.c0 !== rect.c1) fail(`'${s.name}'!${address} is not a single-cell address`);
        const v = cell.value;
        if (!(v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))) {
          fail(`'${s.name}'!${address} has an unsupported value ${describeValue(v)}`);
        }
        if (cell.formula !== undefined && (typeof cell.formula !== 'string' || !cell.formula.startsWith('='))) fail(`'${s.name}'!${address} formula must start with "="`);
        const color = (c: string | undefined): string | undefined => {
          try {
            return c === undefined ? undefined : normaliseColor(c, 'init');
          } catch {
            return fail(`'${s.name}'!${address} has an invalid colour ${describeValue(c)}`);
          }
        };
        const state: CellState = {
          value: v,
          formula: cell.formula,
          numberFormat: cell.numberFormat === 'General' || cell.numberFormat === '' ? undefined : cell.numberFormat,
          fill: color(cell.fill),
          fontColor: color(cell.fontColor) === '#000000' ? undefined : color(cell.fontColor),
          bold: cell.bold ? true : undefined,
          italic: cell.italic ? true : undefined,
          wrapText: cell.wrapText ? true : undefined,
          verticalAlignment: cell.verticalAlignment === undefined || cell.verticalAlignment === 'Bottom' ? undefined : cell.verticalAlignment,
        };
        if (state.verticalAlignment !== undefined && !VERTICAL_ALIGNMENTS.has(state.verticalAlignment)) fail(`'${s.name}'!${address} has an invalid vertical alignment`);
        const r = rect as Rect;
        if (!isEmptyCell(state)) sheet.cells.set(cellKey(r.r0, r.c0), state);
      }
      for (const [letters, width] of Object.entries(s.columnWidths ?? {})) {
        const c = columnIndexOf(letters);
        if (c < 0 || typeof width !== 'number' || !(width >= 0)) fail(`'${s.name}' column width ${letters}=${String(width)} is invalid`);
        if (width !== DEFAULT_COLUMN_WIDTH) sheet.columnWidths.set(c, width);
      }
      for (const letters of s.hiddenColumns ?? []) {
        const c = columnIndexOf(letters);
        if (c < 0) fail(`'${s.name}' hidden column ${describeValue(letters)} is invalid`);
        sheet.hiddenColumns.add(c);
      }
      for (const area of s.merges ?? []) {
        const rect = parseA1(area);
        if (!rect || (rect.r0 === rect.r1 && rect.c0 === rect.c1)) fail(`'${s.name}' merged area ${describeValue(area)} is not a range of several cells`);
        const m = rect as Rect;
        if (sheet.merges.some((o) => intersect(o, m))) fail(`'${s.name}' merged area ${area} overlaps another`);
        forEachCellIn(sheet, m, (_cell, key) => {
          if (key !== cellKey(m.r0, m.c0)) fail(`'${s.name}' merged area ${area} covers a cell that holds something`);
        });
        sheet.merges.push(m);
      }
      sheets.push(sheet);
    }
    const firstVisible = sheets.find((x) => x.visibility === 'Visible');
    if (!firstVisible) fail('at least one sheet must be visible');
    const state: WorkbookState = { sheets, active: firstVisible as SheetState, names: [], settings: new Map(), structureProtected: init.structureProtected === true, calculationMode: init.calculationMode ?? 'Automatic' };
    for (const [key, value] of Object.entries(init.settings ?? {})) state.settings.set(key, settingToJson(value));
    for (const n of init.names ?? []) {
      try {
        const name = validateDefinedName(n.name, 'init');
        if (findName(state, name)) fail(`duplicate name '${name}'`);
        state.names.push({ name, formula: validateNameFormula(state, n.reference, 'init'), comment: n.comment ?? '', visible: true });
      } catch (e) {
        fail(`invalid name ${describeValue(n.name)}: ${(e as Error).message}`);
      }
    }
    return state;
  }

  hasHandlers(sheet: SheetState): boolean {
    return this.registrations.some((r) => r.sheet === sheet);
  }

  removeRegistrations(match: (r: Registration) => boolean): void {
    for (let i = this.registrations.length - 1; i >= 0; i--) {
      const r = this.registrations[i];
      if (r && match(r)) this.registrations.splice(i, 1);
    }
  }

  async run<T>(args: unknown[]): Promise<T> {
    let batch: unknown;
    let ctx: ContextImpl;
    if (args.length <= 1) {
      batch = args[0];
      ctx = new ContextImpl(this);
    } else {
      batch = args[1];
      const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
      if (first instanceof ContextImpl) ctx = first._self;
      else if (first instanceof ClientObjectImpl) ctx = first._ctx;
      else if (first instanceof EventHandlerResultImpl) ctx = first._ctx;
      else throw new EmulatorGapError('Excel.run with options (only run(batch), run(context, batch) and run(object, batch) are emulated)');
      if (ctx._core !== this) throw new EmulatedOfficeError('InvalidRequestContext', 'Cannot use the object across different request contexts.', 'Excel.run');
      if (ctx._open) throw new EmulatorGapError('Excel.run reusing a context whose own run has not finished');
    }
    if (typeof batch !== 'function') throw invalidArgument('Excel.run', 'the batch must be a function');
    this.runCount++;
    ctx._open = true;
    try {
      const ret: unknown = (batch as (c: unknown) => unknown)(ctx._proxy);
      if (ret === null || ret === undefined || typeof (ret as { then?: unknown }).then !== 'function') {
        throw new EmulatedOfficeError(
          'RunMustReturnPromise',
          'The batch function passed to the ".run" method didn\'t return a promise. The function must return a promise, so that any automatically-tracked objects can be released at the completion of the batch operation. Typically, you return a promise by returning the response from "context.sync()".',
          'Excel.run',
        );
      }
      const result = (await ret) as T;
      if (ctx._queue.length > 0) await this.sync(ctx, true);
      return result;
    } finally {
      ctx._open = false;
      ctx._queue = [];
      ctx._wire = new WireRequest(ctx);
    }
  }

  async sync(ctx: ContextImpl, implicit: boolean): Promise<void> {
    if (!ctx._open) {
      throw new EmulatedOfficeError('InvalidRequestContext', 'Cannot use the object across different request contexts. (emulator: context.sync() after its Excel.run finished)', 'RequestContext.sync');
    }
    const ops = ctx._queue;
    ctx._queue = [];
    // office.js starts a new request as it sends one (ClientRequestContext.syncPrivateMain).
    const request = ctx._wire;
    ctx._wire = new WireRequest(ctx);
    await Promise.resolve();
    this.syncCount++;
    if (request.error !== undefined) throw invalidArgument('RequestContext.sync', `the request cannot be serialised: ${request.error}`);
    // The bytes of the body office.js sends: see WireRequest.
    const payload: SyncPayload = { requestBytes: request.bytes(), responseBytes: 0, actions: ops.length, implicit };
    this.syncPayloads.push(payload);
    if (this.cellEditMode) {
      payload.error = 'InvalidOperationInCellEditMode';
      throw new EmulatedOfficeError(
        'InvalidOperationInCellEditMode',
        'Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.',
        'RequestContext.sync',
      );
    }
    if (payload.requestBytes > PAYLOAD_LIMIT_BYTES) {
      payload.error = 'RequestPayloadSizeLimitExceeded';
      throw new EmulatedOfficeError(
        'RequestPayloadSizeLimitExceeded',
        `The request payload size has exceeded the limit. (emulator: ${payload.requestBytes} bytes > ${PAYLOAD_LIMIT_BYTES})`,
        'RequestContext.sync',
        413,
      );
    }
    const run = new SyncRun(this);
    let current: QueuedOp | undefined;
    // Where the failing operation began, for partial failures: journal, changes and commits.
    let before = { journal: 0, changes: 0, commits: 0 };
    try {
      for (const op of ops) {
        current = op;
        before = { journal: run.mark(), changes: run.changes.length, commits: run.commits.length };
        this.failIfInjected(op);
        run.actionId = op.wireId ?? 0;
        op.apply(run);
      }
      current = undefined;
      payload.responseBytes = utf8Length(JSON.stringify(run.responses));
      if (payload.responseBytes > PAYLOAD_LIMIT_BYTES) {
        throw new EmulatedOfficeError(
          'ResponsePayloadSizeLimitExceeded',
          `The response payload size has exceeded the limit. (emulator: ${payload.responseBytes} bytes > ${PAYLOAD_LIMIT_BYTES})`,
          'RequestContext.sync',
          413,
        );
      }
    } catch (e) {
      payload.error = e instanceof EmulatedOfficeError || e instanceof EmulatorGapError ? e.code : 'Error';
      if (e instanceof EmulatedOfficeError && current) {
        e.debugInfo.errorLocation ??= current.location;
        e.debugInfo.statement = `${String(current.wire.o)}.${String(current.wire.a)}`;
      }
      // Real Excel keeps what the operations before the failing one did (an emulator gap is a test's bug: undo all).
      if (this.partialFailures && e instanceof EmulatedOfficeError && current) {
        run.rollbackTo(before.journal);
        run.changes.length = before.changes;
        run.commits.length = before.commits;
        this.commit(run);
      } else run.rollback();
      throw e;
    }
    this.commit(run);
    ctx._wireAfterResponse(request);
  }

  /** Makes what a sync did visible: resolved objects, loaded values, then change events. */
  commit(run: SyncRun): void {
    // Before ExcelApi 1.20 no change made through the API can be undone, and making one empties the user's undo
    // list ("If your add-in calls an unsupported API, the user's undo stack is cleared from that API call", Microsoft
    // Learn, "Undo support for Excel add-ins", https://learn.microsoft.com/office/dev/add-ins/excel/excel-add-ins-undo-capabilities;
    // "ExcelApi 1.20 adds undo support", https://learn.microsoft.com/javascript/api/requirement-sets/excel/excel-api-1-20-requirement-set).
    if (run.mark() > 0 && !this.supports('1.20')) this.undoDepth = 0;
    for (const obj of run.touched) {
      if (obj._memo?.run !== run) continue;
      obj._stable = { value: obj._memo.value };
      obj._isNull = obj._memo.value === NULL_OBJECT;
    }
    for (const commit of run.commits) commit();
    this.dispatch(run.changes);
  }

  failIfInjected(op: QueuedOp): void {
    const injected = this.injectedFailure;
    if (injected === undefined) return;
    const hit = typeof injected.location === 'string' ? op.location === injected.location : injected.location.test(op.location);
    if (!hit) return;
    this.injectedFailure = undefined;
    throw new EmulatedOfficeError(injected.code, `Injected failure of ${op.location} (emulator: failNext)`, op.location);
  }

  /** Fire onChanged handlers for committed changes. */
  dispatch(changes: PendingChange[]): void {
    for (const change of changes) {
      const regs = this.registrations.filter((r) => r.sheet === change.sheet);
      if (regs.length === 0) continue;
      this.cascade = this.activeHandlers > 0 ? this.cascade + 1 : 0;
      if (this.cascade > MAX_EVENT_CASCADE) {
        this.handlerErrors.push(
          new Error(`onChanged cascade: handlers kept triggering onChanged more than ${MAX_EVENT_CASCADE} times (set context.runtime.enableEvents = false around the handler's own writes)`),
        );
        continue;
      }
      this.eventLog.push({ sheet: change.sheet.name, address: rectAddress(change.rect), source: change.triggerSource });
      for (const reg of regs) {
        const args = this.eventArgs(change);
        const p = Promise.resolve()
          .then(async () => {
            this.activeHandlers++;
            try {
              await reg.handler(args);
            } finally {
              this.activeHandlers--;
            }
          })
          .catch((e: unknown) => {
            this.handlerErrors.push(e);
          })
          .finally(() => {
            this.pending.delete(p);
          });
        this.pending.add(p);
      }
    }
  }

  eventArgs(change: PendingChange): EmulatedWorksheetChangedEventArgs {
    const { sheet, rect } = change;
    const range = (ctx: EmulatedRequestContext | Excel.RequestContext, orNull: boolean): EmulatedRange => {
      const impl = ctx as unknown as ContextImpl;
      if (!(impl instanceof ContextImpl) || impl._core !== this) throw invalidArgument('WorksheetChangedEventArgs.getRange', 'not an emulated request context of this workbook');
      const call = orNull ? 'getRangeOrNullObject' : 'getRange';
      return new RangeImpl(impl, `event.${call}(${JSON.stringify(rectAddress(rect))})`, (run) => {
        if (!run.state.sheets.includes(sheet)) {
          if (orNull) return NULL_OBJECT;
          throw itemNotFound(`WorksheetChangedEventArgs.${call}`, 'the sheet no longer exists');
        }
        return { sheet, ...rect };
      }, true, wireMethod(impl._workbook as ClientObjectImpl<unknown>, orNull ? '_GetRangeOrNullObjectForEventByReferenceId' : '_GetRangeForEventByReferenceId', [`${sheet.id}${rectAddress(rect)}`]))._proxy;
    };
    const args = {
      address: rectAddress(rect),
      changeType: 'RangeEdited',
      // A co-author's edit reaches every copy of the workbook as a change whose source is "Remote"
      // (Excel.EventSource: "Local" or "Remote", ExcelApi 1.7,
      // https://learn.microsoft.com/javascript/api/excel/excel.worksheetchangedeventargs#excel-excel-worksheetchangedeventargs-source-member).
      source: change.source ?? 'Local',
      type: 'WorksheetChanged',
      worksheetId: sheet.id,
      // ExcelApi 1.14: an older host's event arguments have no triggerSource.
      ...(this.supports('1.14') ? { triggerSource: change.triggerSource } : {}),
      details: change.details,
      getRange: (ctx: EmulatedRequestContext | Excel.RequestContext) => range(ctx, false),
      getRangeOrNullObject: (ctx: EmulatedRequestContext | Excel.RequestContext) => range(ctx, true),
    };
    return args as unknown as EmulatedWorksheetChangedEventArgs;
  }

  async whenIdle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
    if (this.handlerErrors.length > 0) {
      const errors = this.handlerErrors.splice(0);
      throw errors.length === 1 ? errors[0] : new AggregateError(errors, `${errors.length} onChanged handlers failed`);
    }
  }

  dump(): WorkbookDump {
    const state = this.state;
    const sheets = state.sheets.map((sheet): SheetDump => {
      const cells: Record<string, CellDump> = {};
      const keys = [...sheet.cells.keys()].sort((a, b) => a - b);
      for (const key of keys) {
        const c = sheet.cells.get(key) as CellState;
        const address = `${columnLetters(key % MAX_COLUMNS)}${Math.floor(key / MAX_COLUMNS) + 1}`;
        cells[address] = {
          value: c.value,
          formula: c.formula ?? null,
          numberFormat: c.numberFormat ?? 'General',
          fill: c.fill ?? null,
          fontColor: c.fontColor ?? null,
          bold: c.bold === true,
          ...(c.italic ? { italic: true as const } : {}),
          ...(c.wrapText ? { wrapText: true as const } : {}),
          ...(c.verticalAlignment !== undefined ? { verticalAlignment: c.verticalAlignment } : {}),
        };
      }
      const columnWidths: Record<string, number> = {};
      for (const c of [...sheet.columnWidths.keys()].sort((a, b) => a - b)) columnWidths[columnLetters(c)] = sheet.columnWidths.get(c) as number;
      return {
        name: sheet.name,
        id: sheet.id,
        protected: sheet.protected,
        visibility: sheet.visibility,
        cells,
        columnWidths,
        hiddenColumns: [...sheet.hiddenColumns].sort((a, b) => a - b).map(columnLetters),
        conditionalFormats: sheet.cfs.map((cf, priority) => ({
          range: cf.areas.map((a) => rectAddress(a)).join(' '),
          type: cf.type,
          formula: cf.formula,
          fill: cf.fill,
          fontColor: cf.fontColor,
          bold: cf.bold,
          priority,
          stopIfTrue: cf.stopIfTrue,
        })),
        selection: rectAddress(sheet.selection),
        ...(sheet.charts.length > 0 ? { charts: sheet.charts.map((c) => chartDump(c)) } : {}),
        ...(sheet.printArea !== null || sheet.printTitleColumns !== null || sheet.zoom !== null || sheet.orientation !== null ? {
          pageLayout: {
            ...(sheet.printArea !== null ? { printArea: rectAddress(sheet.printArea) } : {}),
            ...(sheet.printTitleColumns !== null ? { printTitleColumns: rectAddress(sheet.printTitleColumns) } : {}),
            ...(sheet.zoom !== null ? { zoom: { ...sheet.zoom } } : {}),
            ...(sheet.orientation !== null ? { orientation: sheet.orientation } : {}),
          },
        } : {}),
      };
    });
    const settings: Record<string, unknown> = {};
    for (const [k, v] of state.settings) settings[k] = settingFromJson(v);
    return {
      sheets,
      names: state.names.map((n) => ({ name: n.name, reference: n.formula, comment: n.comment, visible: n.visible })),
      settings,
      activeSheet: state.active.name,
      selection: `${quoteSheetName(state.active.name)}!${rectAddress(state.active.selection)}`,
      structureProtected: state.structureProtected,
    };
  }

  async edit(sheetName: string, address: string, value: EmulatedCellValue | EmulatedCellValue[][], source: 'Local' | 'Remote' = 'Local'): Promise<void> {
    const sheet = findSheet(this.state, sheetName);
    if (!sheet) throw new Error(`edit: no worksheet '${sheetName}'`);
    const rect = parseA1(address);
    if (!rect) throw new Error(`edit: '${address}' is not an A1 address`);
    assertWritable(sheet, 'edit');
    const journal = new Journal();
    let details: EmulatedChangedEventDetail | undefined;
    try {
      details = writeCells(journal, sheet, rect, value, 'edit');
    } catch (e) {
      journal.rollback();
      throw e;
    }
    this.undoDepth += 1;
    if (this.enableEvents) this.dispatch([{ sheet, rect, triggerSource: 'Unknown', source, ...(details ? { details } : {}) }]);
    await this.whenIdle();
  }
}

// ---------------------------------------------------------------------------------------------
// Public factory
// ---------------------------------------------------------------------------------------------

const ENUMS = {
  ClearApplyTo: { all: 'All', formats: 'Formats', contents: 'Contents', hyperlinks: 'Hyperlinks', removeHyperlinks: 'RemoveHyperlinks', resetContents: 'ResetContents' },
  ConditionalFormatType: {
    custom: 'Custom', dataBar: 'DataBar', colorScale: 'ColorScale', iconSet: 'IconSet', topBottom: 'TopBottom',
    presetCriteria: 'PresetCriteria', containsText: 'ContainsText', cellValue: 'CellValue',
  },
  DataChangeType: {
    unknown: 'Unknown', rangeEdited: 'RangeEdited', rowInserted: 'RowInserted', rowDeleted: 'RowDeleted', columnInserted: 'ColumnInserted',
    columnDeleted: 'ColumnDeleted', cellInserted: 'CellInserted', cellDeleted: 'CellDeleted',
  },
  ErrorCodes: {
    accessDenied: 'AccessDenied', apiNotFound: 'ApiNotFound', conflict: 'Conflict', dirtySupportingFormula: 'DirtySupportingFormula',
    emptyChartSeries: 'EmptyChartSeries', filteredRangeConflict: 'FilteredRangeConflict', formulaLengthExceedsLimit: 'FormulaLengthExceedsLimit',
    generalException: 'GeneralException', inactiveWorkbook: 'InactiveWorkbook', insertDeleteConflict: 'InsertDeleteConflict',
    invalidArgument: 'InvalidArgument', invalidBinding: 'InvalidBinding', invalidOperation: 'InvalidOperation', invalidReference: 'InvalidReference',
    invalidSelection: 'InvalidSelection', itemAlreadyExists: 'ItemAlreadyExists', itemNotFound: 'ItemNotFound',
    mergedRangeConflict: 'MergedRangeConflict', nonBlankCellOffSheet: 'NonBlankCellOffSheet', notImplemented: 'NotImplemented',
    openWorkbookLinksBlocked: 'OpenWorkbookLinksBlocked', operationCellsExceedLimit: 'OperationCellsExceedLimit',
    pivotTableRangeConflict: 'PivotTableRangeConflict', powerQueryRefreshResourceChallenge: 'PowerQueryRefreshResourceChallenge',
    rangeExceedsLimit: 'RangeExceedsLimit', rangeImageExceedsLimit: 'RangeImageExceedsLimit',
    refreshWorkbookLinksBlocked: 'RefreshWorkbookLinksBlocked', requestAborted: 'RequestAborted',
    responsePayloadSizeLimitExceeded: 'ResponsePayloadSizeLimitExceeded', unsupportedFeature: 'UnsupportedFeature',
    unsupportedFillType: 'UnsupportedFillType', unsupportedOperation: 'UnsupportedOperation', unsupportedSheet: 'UnsupportedSheet',
    invalidOperationInCellEditMode: 'InvalidOperationInCellEditMode',
  },
  EventSource: { local: 'Local', remote: 'Remote' },
  EventTriggerSource: { unknown: 'Unknown', thisLocalAddin: 'ThisLocalAddin' },
  NamedItemScope: { worksheet: 'Worksheet', workbook: 'Workbook' },
  NamedItemType: { string: 'String', integer: 'Integer', double: 'Double', boolean: 'Boolean', range: 'Range', error: 'Error', array: 'Array' },
  RangeValueType: {
    unknown: 'Unknown', empty: 'Empty', string: 'String', integer: 'Integer', double: 'Double', boolean: 'Boolean', error: 'Error', richValue: 'RichValue',
  },
  SheetVisibility: { visible: 'Visible', hidden: 'Hidden', veryHidden: 'VeryHidden' },
};

/**
 * Create an emulated workbook. The returned object's `run` behaves like `Excel.run`; `Excel` and
 * `OfficeExtension` can stand in for the office-js globals (see `installGlobals`).
 */
export function createExcelEmulator(init: EmulatedWorkbookInit, options: ExcelEmulatorOptions = {}): ExcelEmulator {
  const core = new EmulatorCore(init, options);
  const run = (...args: unknown[]): Promise<unknown> => core.run(args);
  const excel = strict({ run, ...ENUMS } as unknown as EmulatedExcelNamespace, 'Excel');
  const officeExtension: EmulatedOfficeExtensionNamespace = strict({ Error: EmulatedOfficeError, ErrorCodes: EmulatedErrorCodes }, 'OfficeExtension');
  const office: EmulatedOfficeNamespace = {
    context: {
      requirements: {
        isSetSupported: (name: string, minVersion?: string): boolean => name === 'ExcelApi' && core.supports(minVersion ?? '1.1'),
      },
    },
  };
  const emulator = {
    run,
    Excel: excel,
    OfficeExtension: officeExtension,
    Office: office,
    apiVersion: core.apiVersion,
    get syncCount() {
      return core.syncCount;
    },
    get syncPayloads(): readonly SyncPayload[] {
      return core.syncPayloads;
    },
    get runCount() {
      return core.runCount;
    },
    get calculationSuspensions() {
      return core.calculationSuspensions;
    },
    get calculationPending() {
      return core.calculationPending;
    },
    get undoDepth() {
      return core.undoDepth;
    },
    get enableEvents() {
      return core.enableEvents;
    },
    get selectedAddress() {
      const active = core.state.active;
      return `${quoteSheetName(active.name)}!${rectAddress(active.selection)}`;
    },
    get activeSheetName() {
      return core.state.active.name;
    },
    get handlerErrors(): readonly unknown[] {
      return core.handlerErrors;
    },
    get eventLog(): readonly EmulatedEventRecord[] {
      return core.eventLog;
    },
    dump: () => core.dump(),
    setProtected(sheetName: string, on: boolean): void {
      const sheet = findSheet(core.state, sheetName);
      if (!sheet) throw new Error(`setProtected: no worksheet '${sheetName}'`);
      sheet.protected = on;
    },
    setWorkbookProtected(on: boolean): void {
      core.state.structureProtected = on;
    },
    setCellEditMode(on: boolean): void {
      core.cellEditMode = on;
    },
    failNext(location: string | RegExp, code = 'GeneralException'): void {
      core.injectedFailure = { location, code };
    },
    edit: (sheet: string, address: string, value: EmulatedCellValue | EmulatedCellValue[][], source?: 'Local' | 'Remote') => core.edit(sheet, address, value, source),
    whenIdle: () => core.whenIdle(),
    resetCounters(): void {
      core.syncCount = 0;
      core.runCount = 0;
      core.calculationSuspensions = 0;
      core.syncPayloads.length = 0;
      core.eventLog.length = 0;
    },
    installGlobals(target: object = globalThis): () => void {
      const t = target as Record<string, unknown>;
      const had = { Excel: Object.prototype.hasOwnProperty.call(t, 'Excel'), OfficeExtension: Object.prototype.hasOwnProperty.call(t, 'OfficeExtension') };
      const old = { Excel: t.Excel, OfficeExtension: t.OfficeExtension };
      t.Excel = excel;
      t.OfficeExtension = officeExtension;
      return () => {
        if (had.Excel) t.Excel = old.Excel;
        else delete t.Excel;
        if (had.OfficeExtension) t.OfficeExtension = old.OfficeExtension;
        else delete t.OfficeExtension;
      };
    },
    installOffice(target: object = globalThis): () => void {
      const t = target as Record<string, unknown>;
      const had = Object.prototype.hasOwnProperty.call(t, 'Office');
      const old = t.Office;
      t.Office = office;
      return () => {
        if (had) t.Office = old;
        else delete t.Office;
      };
    },
  };
  return emulator as unknown as ExcelEmulator;
}
