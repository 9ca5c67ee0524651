/**
 * Re-checking after an edit: the part of a refresh plan that the tables an edit touched need. A block depends only on
 * its own table's cells, so when every block stands where the plan puts it and every name says what the plan says,
 * the blocks of the other tables already hold what the plan would write there. Writing only the touched tables' part
 * keeps the rest of the workbook (and, since Excel empties its undo list on a write before ExcelApi 1.19, as little
 * as possible) untouched.
 */
import { parseCellAddress } from './address';
import { ruleOver } from './rule-areas';
import { NAME_PREFIX, ownBlocks, rectsOverlap, rectWithin, sameRect, SheetRect, SUMMARY_NAME, WritePlan } from './plan';
import { WorkbookSnapshot } from './snapshot';

function contains(outer: SheetRect, sheet: string, row: number, col: number): boolean {
  return outer.sheet === sheet && row >= outer.top && row <= outer.bottom && col >= outer.left && col <= outer.right;
}

/** True when every block of the plan stands where an earlier refresh put one, and no other block is there. */
export function blocksInPlace(plan: Pick<WritePlan, 'blocks'>, snapshot: WorkbookSnapshot): boolean {
  const existing = ownBlocks(snapshot);
  return existing.length === plan.blocks.length && plan.blocks.every((b) => existing.some((e) => sameRect(e, b)));
}

/** The plan's blocks whose tables one of the `touched` areas reaches, with their tables. */
export function touchedBlocks(plan: Pick<WritePlan, 'blocks' | 'evaluation'>, touched: readonly SheetRect[]): Array<{ block: SheetRect; table: SheetRect }> {
  return plan.blocks.flatMap((b) => {
    const table = plan.evaluation.tables.map((et) => et.table).find((t) => t.sheet === b.sheet && t.range === b.tableRange);
    return table !== undefined && touched.some((r) => rectsOverlap(r, table)) ? [{ block: b, table }] : [];
  });
}

/**
 * Returns the part of `plan` the tables `touched` reaches need, or null when the plan must be written whole: a block
 * moved, appeared or went, a name changed, or a cell outside those tables is to be tidied. The summary sheet is
 * always in the part (its exceptions list is written as values); every block stays in `blocks`, so that whoever
 * watches the plan still knows where the refresh writes.
 */
export function narrowPlan(plan: WritePlan, snapshot: WorkbookSnapshot, touched: readonly SheetRect[]): WritePlan | null {
  if (!blocksInPlace(plan, snapshot)) return null;
  const written = new Map((snapshot.names ?? []).filter((n) => n.name.startsWith(NAME_PREFIX) && !n.name.startsWith(SUMMARY_NAME)).map((n) => [n.name, n.reference]));
  if (written.size !== plan.names.length || !plan.names.every((n) => written.get(n.name) === n.reference)) return null;
  const reached = touchedBlocks(plan, touched);
  const blocks = reached.map((r) => r.block);
  const tables = reached.map((r) => r.table);
  const inTables = (sheet: string, row: number, col: number): boolean => tables.some((t) => contains(t, sheet, row, col));
  if (plan.writes.some((w) => w.purpose === 'normalise' && !inTables(w.sheet, w.row, w.col))) return null;
  return {
    ...plan,
    clear: plan.clear.filter((c) => blocks.some((b) => sameRect(b, c))),
    removeRulesIn: plan.removeRulesIn.filter((c) => blocks.some((b) => sameRect(b, c))),
    // The summary's names go and come with the summary sheet, which is always written.
    removeNames: plan.removeNames.filter((n) => n.startsWith(SUMMARY_NAME)),
    names: [],
    writes: plan.writes.filter((w) => (w.purpose === 'normalise' ? inTables(w.sheet, w.row, w.col) : blocks.some((b) => contains(b, w.sheet, w.row, w.col)))),
    // A rule shared with blocks that stay as they are keeps only the reached blocks' areas.
    rules: plan.rules.flatMap((r) => ruleOver(r, (a) => blocks.some((b) => rectWithin(a, b))) ?? []),
    columns: plan.columns.filter((c) => blocks.some((b) => b.sheet === c.sheet && c.col >= b.left - 1 && c.col <= b.right)),
    ledger: plan.ledger.filter((e) => {
      const at = parseCellAddress(e.cell);
      return inTables(e.sheet, at.row, at.col);
    }),
  };
}
