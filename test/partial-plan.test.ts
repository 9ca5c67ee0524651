/** The part of a plan a re-check after an edit writes: the touched tables' blocks, or the whole plan when it must. */
import * as ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ConditionalRule, narrowPlan, planRefresh, rangeRects, SheetRect, WritePlan } from '../src/engine';
import { snapshotWithNames } from '../src/xlsx/apply';
import { refreshWorkbook } from '../src/xlsx/refresh';
import { FIXTURES, SEEDS } from './support/acceptance';
import { buildTypedWorkbook } from './support/excel-typing';
import { roundTrip } from './support/workbook-dump';

const B31: SheetRect = { sheet: 'Report', top: 30, left: 1, bottom: 30, right: 1 };

async function refreshedSeed(): Promise<ExcelJS.Workbook> {
  const wb = buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8'), 'Report');
  refreshWorkbook(wb);
  return roundTrip(wb);
}

describe('narrowPlan', () => {
  it('keeps only the touched table\'s block: its cells, rules and columns, and the summary', async () => {
    const wb = await refreshedSeed();
    const snapshot = snapshotWithNames(wb);
    const plan = planRefresh(snapshot);
    const part = narrowPlan(plan, snapshot, [B31]) as WritePlan;
    expect(part).not.toBeNull();
    const indicators = plan.blocks.find((b) => b.tableRange === 'A22:H32');
    expect(part.clear).toEqual([expect.objectContaining({ top: indicators?.top, bottom: indicators?.bottom })]);
    expect(part.writes.length).toBeGreaterThan(0);
    expect(part.writes.every((w) => w.row >= (indicators?.top ?? 0) && w.row <= (indicators?.bottom ?? 0))).toBe(true);
    expect(part.writes.length).toBeLessThan(plan.writes.length);
    // The tables are stacked in the same columns and share their rules: the part keeps each rule over the touched
    // block's area alone, its formula written against that area's top row.
    expect(part.rules).toHaveLength(plan.rules.length);
    for (const [i, rule] of part.rules.entries()) {
      const whole = plan.rules[i] as ConditionalRule;
      const wholeAreas = rangeRects(whole.sheet, whole.range) ?? [];
      const inBlock = wholeAreas.filter((a) => a.top >= (indicators?.top ?? 0) && a.bottom <= (indicators?.bottom ?? 0));
      expect(wholeAreas.length).toBeGreaterThan(1);
      expect(inBlock).toHaveLength(1);
      expect(rangeRects(rule.sheet, rule.range)).toEqual(inBlock);
      // "=$AD8=1" over T8:T12 T25:T32 …; "=$AD25=1" over T25:T32.
      const [, code, row] = /^=\$([A-Z]+)(\d+)/.exec(whole.formula) ?? [];
      expect(Number(row)).toBe((wholeAreas[0]?.top ?? 0) + 1);
      expect(rule.formula).toBe(whole.formula.replace(`$${code}${row}`, `$${code}${(inBlock[0]?.top ?? 0) + 1}`));
    }
    expect(part.names).toEqual([]);
    expect(part.summary).toEqual(plan.summary);
    expect(part.blocks).toEqual(plan.blocks);
  });

  it('asks for the whole plan before the first refresh, and when a block is missing or a name differs', async () => {
    const fresh = buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8'), 'Report');
    const first = snapshotWithNames(fresh);
    expect(narrowPlan(planRefresh(first), first, [B31])).toBeNull();
    const snapshot = snapshotWithNames(await refreshedSeed());
    const plan = planRefresh(snapshot);
    const withoutABlock = { ...snapshot, names: (snapshot.names ?? []).filter((n) => !n.name.endsWith('_Staffing_Block')) };
    expect(narrowPlan(plan, withoutABlock, [B31])).toBeNull();
    const renamed = { ...snapshot, names: (snapshot.names ?? []).map((n) => (n.name.endsWith('_Indicators_Status') ? { ...n, reference: 'Report!$A$1' } : n)) };
    expect(narrowPlan(plan, renamed, [B31])).toBeNull();
  });

  it('writes nothing of any block when the edit touched no table', async () => {
    const snapshot = snapshotWithNames(await refreshedSeed());
    const part = narrowPlan(planRefresh(snapshot), snapshot, [{ sheet: 'Report', top: 200, left: 40, bottom: 200, right: 40 }]) as WritePlan;
    expect(part.writes).toEqual([]);
    expect(part.clear).toEqual([]);
    expect(part.rules).toEqual([]);
  });
});
