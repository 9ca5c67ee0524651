/**
 * Print settings for the sheets a refresh writes blocks on, for when the user asks that each block print on the
 * same page as its measures ("Fit to page width"): the columns from a table's first column through its measure
 * column repeat at the left of every printed page, and the sheet prints landscape, fitted to one page wide, as many
 * pages tall as it needs. Plain data that both adapters apply, and only when the user chose the option: without it a
 * refresh leaves every sheet's page setup as it was. The print area, margins and paper stay the user's.
 */
import { columnLetters } from './address';
import type { DetectedTable } from './detect';
import type { WritePlan } from './plan';

/** The print settings of one sheet. Columns are 0-based. */
export interface SheetPrintPlan {
  readonly sheet: string;
  /** First and last column repeated at the left of every printed page. */
  readonly titleLeft: number;
  readonly titleRight: number;
  /** The same columns as Excel takes them: "A:B". */
  readonly titleColumns: string;
  /** Pages wide the sheet is fitted to: one. */
  readonly pagesWide: number;
  /** Pages tall: 0, as many as the sheet needs. */
  readonly pagesTall: number;
  /**
   * Landscape: the block's six visible columns alone are about as wide as a portrait page, so beside any table a
   * portrait page fitted to the width prints at well under three quarters of the landscape size.
   */
  readonly orientation: 'portrait' | 'landscape';
}

/** A run of columns, 0-based and inclusive. */
interface ColumnSpan {
  readonly left: number;
  readonly right: number;
}

/** A table's title columns: its first column through its measure column (its first column alone when it has none). */
function titleSpan(table: DetectedTable): ColumnSpan {
  const measure = table.columns.find((c) => c.role === 'measure')?.col ?? table.left;
  return { left: table.left, right: Math.max(table.left, measure) };
}

/**
 * Returns, for each sheet that gets a block (in the order of the plan's blocks), the print settings to apply when
 * the user asks to fit the scorecard to the page width: title columns, one page wide, landscape.
 *
 * Excel repeats one run of whole columns at the left of each page, so a sheet of several tables gets one run: the
 * title columns of the table that starts furthest left, joined with those of every table whose columns overlap that
 * table's (tables stacked in the same columns, or shifted a column off). A table beside another, further right, adds
 * nothing: its own measure column prints on the same page as its block once the sheet is fitted to one page wide.
 */
export function planPrint(plan: Pick<WritePlan, 'blocks' | 'evaluation'>): SheetPrintPlan[] {
  const sheets = [...new Set(plan.blocks.map((b) => b.sheet))];
  return sheets.flatMap((sheet) => {
    const tables = plan.evaluation.tables
      .map((et) => et.table)
      .filter((t) => t.sheet === sheet && plan.blocks.some((b) => b.sheet === sheet && b.tableRange === t.range))
      .sort((a, b) => a.left - b.left || a.top - b.top);
    const first = tables[0];
    if (first === undefined) return [];
    const stacked = tables.filter((t) => t.left <= first.right && t.right >= first.left);
    const spans = stacked.map(titleSpan);
    const left = Math.min(...spans.map((s) => s.left));
    const right = Math.max(...spans.map((s) => s.right));
    return [{ sheet, titleLeft: left, titleRight: right, titleColumns: `${columnLetters(left)}:${columnLetters(right)}`, pagesWide: 1, pagesTall: 0, orientation: 'landscape' }];
  });
}
