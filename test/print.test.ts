import { readFileSync } from 'fs';
import { join } from 'path';
import { planPrint, planRefresh, SheetSnapshot, WorkbookSnapshot } from '../src/engine';
import { snapshotWithNames } from '../src/xlsx/apply';
import { FIXTURES, SEEDS } from './support/acceptance';
import { buildTypedWorkbook } from './support/excel-typing';
import { grid, GridRow } from './support/grid';

/** A KPI table of three measures, its measure column preceded by `codes` columns of references ("CS01"). */
function kpiRows(codes = 0, title = 'Indicators'): GridRow[] {
  const pad = (row: GridRow): GridRow => [...Array.from({ length: codes }, (_, i) => (row[0] === title ? null : row === header ? `Ref ${i + 1}` : `CS0${i}`)), ...row];
  const header: GridRow = ['Performance Measure', 'Target 2016/17', '2015/16', '2016/17', 'Polarity'];
  return [
    pad([title]),
    pad(header),
    pad(['Children seen within 10 days', 85, 80, 88, 'Greater is better']),
    pad(['Days lost to sickness per employee', 8, 9.5, 9.1, 'Lower is better']),
    pad(['Households in temporary accommodation', 200, 210, 190, 'Lower is better']),
  ];
}

/** Rows placed side by side: `right` starts at column `at` (0-based). */
function beside(left: readonly GridRow[], right: readonly GridRow[], at: number): GridRow[] {
  return Array.from({ length: Math.max(left.length, right.length) }, (_, r) => {
    const a = [...(left[r] ?? [])];
    while (a.length < at) a.push(null);
    return [...a, ...(right[r] ?? [])];
  });
}

function printOf(book: WorkbookSnapshot): ReturnType<typeof planPrint> {
  return planPrint(planRefresh(book));
}

describe('print settings for fitting a scorecard to the page width', () => {
  it.each<[string, GridRow[], number, string]>([
    ['a table whose measure is its first column', kpiRows(), 1, 'A:A'],
    ['a table with a column of codes before its measure', kpiRows(1), 1, 'A:B'],
    ['two tables stacked in the same columns, the lower one with codes', [...kpiRows(0, 'Staffing'), [], [], ...kpiRows(1, 'Indicators')], 2, 'A:B'],
    ['two tables side by side, the right one with codes, further along', beside(kpiRows(), kpiRows(1, 'Finance'), 24), 2, 'A:A'],
  ])('repeats the title columns of %s and prints the sheet landscape, one page wide, pages tall as needed', (_, rows, blocks, columns) => {
    const plan = planRefresh(grid(rows, 'Report'));
    expect(plan.blocks).toHaveLength(blocks);
    expect(planPrint(plan)).toEqual([{ sheet: 'Report', titleLeft: 0, titleRight: columns === 'A:B' ? 1 : 0, titleColumns: columns, pagesWide: 1, pagesTall: 0, orientation: 'landscape' }]);
  });

  it('gives one setting per sheet with a block, in the order of the blocks, and none to a sheet without', () => {
    const book: WorkbookSnapshot = {
      sheets: [
        ...grid(kpiRows(1), 'Second').sheets,
        { name: 'Notes', rows: [] } as SheetSnapshot,
        ...grid(kpiRows(), 'First').sheets,
      ],
    };
    expect(printOf(book).map((p) => [p.sheet, p.titleColumns])).toEqual([['Second', 'A:B'], ['First', 'A:A']]);
  });

  it('leaves out a table that got no block, its place right of it taken by the user\'s data', () => {
    const rows = kpiRows(1).map((row, r) => (r === 3 ? [...row, null, 'my own note'] : row));
    const plan = planRefresh(grid(rows, 'Report'));
    expect(plan.blocks).toEqual([]);
    expect(planPrint(plan)).toEqual([]);
  });

  it('gives seed 000\'s sheet of four stacked tables one run, from column A through the risk register\'s measure in B', () => {
    const wb = buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8'), 'Report');
    expect(printOf(snapshotWithNames(wb)).map((p) => p.titleColumns)).toEqual(['A:B']);
  });
});
