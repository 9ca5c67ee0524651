/**
 * Applies a write plan (or a removal plan) to an ExcelJS workbook: the file path of a refresh.
 */
import * as ExcelJS from 'exceljs';
import {
  absoluteReference, cellAddress, CellStyle, CellWrite, ConditionalRule, LEDGER_HEADER, LEDGER_SHEET, LedgerEntry, ledgerRows, NAME_PREFIX, parseReference,
  PlanValue, rangeRects, rectWithin, RemovalPlan, SheetPrintPlan, SheetRect, SUMMARY_NAME, SummaryPlan, WorkbookSnapshot, WritePlan,
} from '../engine';
import { snapshotFromWorkbook } from './read';
import { sharedRuns } from './shared-formulas';
// Print areas and titles of sheets whose names hold an apostrophe are written quoted right.
import './print-names';
// Defined names holding constants or formulas (the status and trend words among them) are read and written too.
import './formula-names';

/** Thrown when a plan names a sheet the workbook does not have (a misuse of the plan). */
export class PlanMismatchError extends Error {
  constructor(sheet: string) {
    super(`The plan writes to sheet "${sheet}", which the workbook does not have`);
    this.name = 'PlanMismatchError';
  }
}

function sheetOf(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const ws = wb.getWorksheet(name);
  if (!ws) throw new PlanMismatchError(name);
  return ws;
}

type NameModel = Array<{ name: string; ranges: string[] }>;

const QUOTED_NAMES = Symbol('quoted defined names');

/**
 * Makes the workbook's defined names come out with their sheet names quoted as Excel requires ("'Q1'!$A$1"). ExcelJS
 * quotes a sheet name only when it holds a space or punctuation, so a name on sheet "Q1", "FY24" or "R1C1" would be
 * written as Q1!$A$1, which Excel reads as a cell reference and refuses. The file is written from `model`, so its
 * getter is given the engine's quoting, once per workbook.
 */
function quoteDefinedNames(wb: ExcelJS.Workbook): void {
  const names = wb.definedNames as unknown as { model: NameModel; [QUOTED_NAMES]?: true };
  if (names[QUOTED_NAMES]) return;
  const proto = Object.getPrototypeOf(names) as object;
  const own = Object.getOwnPropertyDescriptor(proto, 'model');
  if (own?.get === undefined || own.set === undefined) return;
  const { get, set } = own;
  Object.defineProperty(names, 'model', {
    configurable: true,
    get(): NameModel {
      return (get.call(this) as NameModel).map((n) => ({
        ...n,
        ranges: n.ranges.map((range) => {
          const rect = parseReference(range);
          return rect === undefined ? range : absoluteReference(rect);
        }),
      }));
    },
    set(value: NameModel) {
      set.call(this, value);
    },
  });
  names[QUOTED_NAMES] = true;
}

/** The workbook-scoped defined names of an ExcelJS workbook, as the snapshot holds them. */
export function definedNamesOf(wb: ExcelJS.Workbook): Array<{ name: string; reference: string }> {
  const model = wb.definedNames.model as Array<{ name: string; ranges: string[] }>;
  return model.flatMap((n) => (n.ranges.length === 1 && n.ranges[0] !== undefined ? [{ name: n.name, reference: n.ranges[0] }] : []));
}

/** Builds the engine's snapshot of an ExcelJS workbook, names included. */
export function snapshotWithNames(wb: ExcelJS.Workbook): WorkbookSnapshot {
  return { ...snapshotFromWorkbook(wb), names: definedNamesOf(wb) };
}

function argb(hex: string): string {
  return `FF${hex.toUpperCase()}`;
}

/**
 * The styles a plan gives cells, made once per style the cells had before and shared among them, as ExcelJS shares the
 * styles it reads: one style object per distinct style rather than one per cell, which ExcelJS writes as one entry
 * (it knows a style object it has seen) instead of comparing every cell's style afresh. A style object is never
 * changed once a cell holds it: a new style is always a new object.
 */
class Styles {
  /** The style of a cell without one. */
  readonly empty: Partial<ExcelJS.Style> = {};
  private readonly made = new WeakMap<Partial<ExcelJS.Style>, Map<string, Partial<ExcelJS.Style>>>();

  /**
   * Gives the cell its style with `patch(old style)` laid over it; `key` names the patch, the same key always giving
   * the same patch of the same style.
   */
  restyle(cell: ExcelJS.Cell, key: string, patch: (style: Partial<ExcelJS.Style>) => Partial<ExcelJS.Style>): void {
    const base = this.baseOf(cell);
    let byKey = this.made.get(base);
    if (byKey === undefined) this.made.set(base, (byKey = new Map()));
    let style = byKey.get(key);
    if (style === undefined) byKey.set(key, (style = { ...base, ...patch(base) }));
    cell.style = style;
  }

  /** Gives a cell without a style the shared empty style (its own is one object per cell). */
  share(cell: ExcelJS.Cell): void {
    if (this.baseOf(cell) === this.empty) cell.style = this.empty;
  }

  /** The cell's style, or `empty` for a cell without one: such a cell has an object of its own, which no other shares. */
  private baseOf(cell: ExcelJS.Cell): Partial<ExcelJS.Style> {
    const own = cell.style as Partial<ExcelJS.Style> | undefined;
    return own === undefined || Object.keys(own).length === 0 ? this.empty : own;
  }

  numberFormat(cell: ExcelJS.Cell, numFmt: string): void {
    this.restyle(cell, `n\u0000${numFmt}`, () => ({ numFmt }));
  }

  apply(cell: ExcelJS.Cell, style: CellStyle): void {
    const key = `s\u0000${style.bold ? 1 : 0}${style.italic ? 1 : 0}${style.wrap ? 1 : 0}\u0000${style.fontColor ?? ''}\u0000${style.fill ?? ''}`;
    this.restyle(cell, key, (base) => stylePatch(base, style));
  }
}

function clearRect(wb: ExcelJS.Workbook, rect: SheetRect, styles: Styles): void {
  const ws = wb.getWorksheet(rect.sheet);
  if (!ws) return;
  for (let r = rect.top; r <= rect.bottom; r++) {
    const row = ws.getRow(r + 1);
    for (let c = rect.left; c <= rect.right; c++) {
      const cell = row.getCell(c + 1);
      cell.value = null;
      cell.style = styles.empty;
    }
  }
}

/** Whether every area of a rule's range lies in one of `rects` (whole columns or rows, "A:Z", are never ours). */
function liesWithin(ref: string, sheet: string, rects: readonly SheetRect[]): boolean {
  return rangeRects(sheet, ref)?.every((area) => rects.some((rect) => rectWithin(area, rect))) ?? false;
}

/**
 * Removes the rules an earlier refresh added: those whose every area lies inside its blocks (a rule is shared by the
 * blocks stacked in the same columns). The user's own rules stay.
 */
function removeRules(wb: ExcelJS.Workbook, rects: readonly SheetRect[]): void {
  for (const sheet of new Set(rects.map((r) => r.sheet))) {
    const ws = wb.getWorksheet(sheet);
    if (!ws) continue;
    const mine = rects.filter((r) => r.sheet === sheet);
    ws.removeConditionalFormatting((cf: ExcelJS.ConditionalFormattingOptions) => !liesWithin(cf.ref, sheet, mine));
  }
}

function removeNames(wb: ExcelJS.Workbook, names: readonly string[]): void {
  const model = wb.definedNames.model as Array<{ name: string; ranges: string[] }>;
  wb.definedNames.model = model.filter((n) => !names.includes(n.name));
}

/**
 * The block formulas a shared formula holds (see shared-formulas.ts), each with the address of its run's first cell,
 * which holds the formula itself.
 */
function sharedFormulaClones(writes: readonly CellWrite[]): Map<CellWrite, string> {
  // Sheet, then column: a map of maps rather than a key string made for every write.
  const sheets = new Map<string, Map<number, Array<{ readonly write: CellWrite; readonly row: number; readonly formula: string }>>>();
  for (const write of writes) {
    if (write.purpose !== 'block' || write.value.kind !== 'formula') continue;
    let columns = sheets.get(write.sheet);
    if (columns === undefined) sheets.set(write.sheet, (columns = new Map()));
    let column = columns.get(write.col);
    if (column === undefined) columns.set(write.col, (column = []));
    column.push({ write, row: write.row, formula: write.value.formula });
  }
  const clones = new Map<CellWrite, string>();
  for (const columns of sheets.values()) {
    for (const column of columns.values()) {
      column.sort((a, b) => a.row - b.row);
      for (const { start, length } of sharedRuns(column)) {
        if (length === 1) continue;
        const first = (column[start] as { write: CellWrite }).write;
        const master = cellAddress(first.row, first.col);
        for (let k = start + 1; k < start + length; k++) clones.set((column[k] as { write: CellWrite }).write, master);
      }
    }
  }
  return clones;
}

function writeValue(cell: ExcelJS.Cell, value: PlanValue): void {
  switch (value.kind) {
    case 'number':
      cell.value = value.value;
      break;
    case 'text':
      // A string value is stored as a shared string: it can never become a formula.
      cell.value = value.text;
      break;
    case 'formula':
      cell.value = { formula: value.formula.replace(/^=/, ''), result: value.cached === null ? undefined : value.cached } as ExcelJS.CellFormulaValue;
      break;
  }
}

/**
 * The part of a style a plan's cell style changes. ExcelJS shares one style object among cells loaded with the same
 * style, and its setters (cell.font = …) change that object: styles are only ever replaced whole ({@link Styles}).
 */
function stylePatch(base: Partial<ExcelJS.Style>, style: CellStyle): Partial<ExcelJS.Style> {
  const patch: Partial<ExcelJS.Style> = {};
  if (style.bold || style.italic || style.fontColor) {
    // Keep the cell's font (or the workbook default) and change only what the plan asks.
    const font = base.font ?? {};
    patch.font = {
      ...font, name: font.name ?? 'Calibri', size: font.size ?? 11,
      ...(style.bold ? { bold: true } : {}), ...(style.italic ? { italic: true } : {}), ...(style.fontColor ? { color: { argb: argb(style.fontColor) } } : {}),
    };
  }
  if (style.fill) patch.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(style.fill) } };
  if (style.wrap) patch.alignment = { wrapText: true, vertical: 'top' };
  return patch;
}

function addRule(ws: ExcelJS.Worksheet, rule: ConditionalRule): void {
  ws.addConditionalFormatting({
    ref: rule.range,
    rules: [{
      type: 'expression',
      formulae: [rule.formula.replace(/^=/, '')],
      priority: rule.priority,
      stopIfTrue: rule.stopIfTrue,
      style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: argb(rule.fill) } }, font: { color: { argb: argb(rule.fontColor) } } },
    } as ExcelJS.ConditionalFormattingRule],
  });
}

function ledgerSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
  const existing = wb.getWorksheet(LEDGER_SHEET);
  if (existing) return existing;
  const ws = wb.addWorksheet(LEDGER_SHEET, { state: 'veryHidden' });
  ws.addRow([...LEDGER_HEADER]);
  return ws;
}

function appendLedger(wb: ExcelJS.Workbook, entries: readonly LedgerEntry[], styles: Styles): void {
  if (entries.length === 0) return;
  const ws = ledgerSheet(wb);
  for (const line of ledgerRows(entries)) {
    // Every field is data: a string (ExcelJS keeps a string a string, even one that looks like a number or a formula).
    const row = ws.addRow(line);
    row.eachCell((cell) => styles.share(cell));
  }
}

function removeSheet(wb: ExcelJS.Workbook, name: string | null): void {
  const ws = name === null ? undefined : wb.getWorksheet(name);
  if (ws) wb.removeWorksheet(ws.id);
}

/**
 * Writes the Scorecard summary sheet: its cells (text as text, formulas with the results the plan computed), formats,
 * column widths and print area (one page wide), then the defined name that marks it as ours. The chart of the counts
 * has no ExcelJS form: the in-cell bars in the Bar column draw the same counts in any spreadsheet program.
 */
function writeSummary(wb: ExcelJS.Workbook, summary: SummaryPlan, styles: Styles): void {
  const ws = wb.addWorksheet(summary.sheet);
  for (const c of summary.cells) {
    const cell = ws.getRow(c.row + 1).getCell(c.col + 1);
    writeValue(cell, c.value.kind === 'formula' ? { kind: 'formula', formula: c.value.formula, cached: c.value.cached } : c.value);
    if (c.numberFormat !== undefined) styles.numberFormat(cell, c.numberFormat);
    const style: CellStyle = { ...(c.bold ? { bold: true } : {}), ...(c.wrap ? { wrap: true } : {}), ...(c.fontColor !== undefined ? { fontColor: c.fontColor } : {}) };
    if (Object.keys(style).length > 0) styles.apply(cell, style);
  }
  for (const w of summary.widths) ws.getColumn(w.col + 1).width = w.width;
  // A file keeps no heights for rows nobody sized, and not every program grows them for wrapped text: give each row
  // of wrapped text the lines its longest cell needs at its column's width (Excel grows them itself in the add-in).
  const lines = new Map<number, number>();
  for (const c of summary.cells) {
    const text = c.value.kind === 'text' ? c.value.text : c.value.kind === 'formula' && typeof c.value.cached === 'string' ? c.value.cached : '';
    const width = summary.widths.find((w) => w.col === c.col)?.width;
    if (c.wrap !== true || width === undefined) continue;
    lines.set(c.row, Math.max(lines.get(c.row) ?? 1, Math.ceil((text.length * 1.1) / width)));
  }
  for (const [row, n] of lines) if (n > 1) ws.getRow(row + 1).height = 15 * n;
  ws.pageSetup.printArea = summary.printArea;
  ws.pageSetup.fitToPage = true;
  ws.pageSetup.fitToWidth = 1;
  ws.pageSetup.fitToHeight = 0;
  wb.definedNames.add(absoluteReference({ sheet: summary.sheet, top: 0, left: 0, bottom: 0, right: 0 }), SUMMARY_NAME);
}

/**
 * Sets the page setup of each sheet the user asked to print fitted to the page width: its title columns repeat at the
 * left of every page, and it prints landscape, one page wide, as many pages tall as it needs. Nothing else of the page
 * setup (print area, margins, paper) changes.
 */
function applyPrint(wb: ExcelJS.Workbook, print: readonly SheetPrintPlan[]): void {
  for (const p of print) {
    const setup = sheetOf(wb, p.sheet).pageSetup;
    setup.printTitlesColumn = p.titleColumns;
    setup.orientation = p.orientation;
    setup.fitToPage = true;
    setup.fitToWidth = p.pagesWide;
    setup.fitToHeight = p.pagesTall;
  }
}

/** What a refresh applies besides its plan, each only when the user asks for it. */
export interface ApplyOptions {
  /** Print settings for the sheets with blocks ({@link planPrint}). Without them every sheet's page setup stays as it was. */
  readonly print?: readonly SheetPrintPlan[];
}

/** Applies a refresh plan to the workbook it was planned from. */
export function applyPlanToWorkbook(wb: ExcelJS.Workbook, plan: WritePlan, options: ApplyOptions = {}): void {
  quoteDefinedNames(wb);
  const styles = new Styles();
  for (const rect of plan.clear) clearRect(wb, rect, styles);
  removeRules(wb, plan.removeRulesIn);
  removeNames(wb, plan.removeNames);
  const clones = sharedFormulaClones(plan.writes);
  for (const w of plan.writes) {
    const cell = sheetOf(wb, w.sheet).getRow(w.row + 1).getCell(w.col + 1);
    const master = clones.get(w);
    if (master !== undefined && w.value.kind === 'formula') {
      cell.value = { sharedFormula: master, result: w.value.cached === null ? undefined : w.value.cached } as ExcelJS.CellSharedFormulaValue;
    } else writeValue(cell, w.value);
    if (w.numberFormat !== undefined) styles.numberFormat(cell, w.numberFormat);
    if (w.style) styles.apply(cell, w.style);
    if (w.numberFormat === undefined && !w.style) styles.share(cell);
  }
  for (const rule of plan.rules) addRule(sheetOf(wb, rule.sheet), rule);
  // Set through the model in one go: `definedNames.add` expands a range into every one of its cells (a name per
  // block column of 10,000 rows is 10,000 entries), the model keeps it as one range (name-ranges.ts).
  if (plan.names.length > 0) {
    const model = wb.definedNames.model as NameModel;
    wb.definedNames.model = [...model, ...plan.names.map((n) => ({ name: n.name, ranges: [n.reference] }))];
  }
  for (const c of plan.columns) {
    const col = sheetOf(wb, c.sheet).getColumn(c.col + 1);
    col.width = c.width;
    col.hidden = c.hidden;
    col.outlineLevel = c.outlineLevel;
  }
  applyPrint(wb, options.print ?? []);
  appendLedger(wb, plan.ledger, styles);
  // After the ledger, so that the summary is the last sheet however often the workbook is refreshed.
  removeSheet(wb, plan.replaceSummarySheet);
  if (plan.summary !== null) writeSummary(wb, plan.summary, styles);
}

/** Applies a removal plan: the workbook goes back to how it was before the first refresh. */
export function applyRemovalToWorkbook(wb: ExcelJS.Workbook, plan: RemovalPlan): void {
  const styles = new Styles();
  for (const rect of plan.clear) clearRect(wb, rect, styles);
  for (const { sheet, col: c } of plan.resetColumns) {
    const ws = wb.getWorksheet(sheet);
    if (!ws) continue;
    const col = ws.getColumn(c + 1);
    col.width = undefined as unknown as number;
    col.hidden = false;
    col.outlineLevel = 0;
  }
  removeRules(wb, plan.removeRulesIn);
  removeNames(wb, plan.removeNames.filter((n) => n.startsWith(NAME_PREFIX)));
  for (const e of plan.restore) {
    const ws = wb.getWorksheet(e.sheet);
    if (!ws) continue;
    const cell = ws.getCell(e.cell);
    cell.value = e.text;
    styles.numberFormat(cell, e.numberFormat);
  }
  if (plan.removeLedgerSheet) removeSheet(wb, LEDGER_SHEET);
  removeSheet(wb, plan.removeSummarySheet);
}
