import * as ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { WritePlan } from '../src/engine';
import { refreshWorkbook } from '../src/xlsx/refresh';
import { moveFormulaRows } from '../src/engine';
import { sharedRuns } from '../src/xlsx/shared-formulas';
import { FIXTURES, SEEDS } from './support/acceptance';
import { buildTypedWorkbook } from './support/excel-typing';
import { roundTrip } from './support/workbook-dump';

describe('moving a formula down, as a shared formula does', () => {
  it('moves relative rows and keeps absolute rows, text, sheet names and names', () => {
    expect(moveFormulaRows('=IF(V528,CHOOSE(V528,D528,E528),"")', 3)).toBe('=IF(V531,CHOOSE(V531,D531,E531),"")');
    expect(moveFormulaRows('=IF(COUNT(P8,$Y8)=2,(P8-Y$8)*100,"P8")', 1)).toBe('=IF(COUNT(P9,$Y9)=2,(P9-Y$8)*100,"P8")');
    expect(moveFormulaRows('=INDEX(Scorecard_Status,Z528,5)+LOG10(A2)', -1)).toBe('=INDEX(Scorecard_Status,Z527,5)+LOG10(A1)');
    expect(moveFormulaRows("=IF(ISBLANK('Team 1'!S1813),\"\",'Team ''A1'' 1'!$S$1813)", 2)).toBe("=IF(ISBLANK('Team 1'!S1815),\"\",'Team ''A1'' 1'!$S$1813)");
    expect(moveFormulaRows('=SUM(P8:P12)*1.5E3', 10)).toBe('=SUM(P18:P22)*1.5E3');
    expect(moveFormulaRows('=A1', -1)).toBeNull();
  });

  it('shares runs of consecutive rows whose formulas are the first moved down, and nothing else', () => {
    const cells = [
      { row: 7, formula: '=IF(V8,D8,"")' }, { row: 8, formula: '=IF(V9,D9,"")' }, { row: 9, formula: '=IF(V10,D10,"")' },
      // A reading written into the formula, a gap, then a run again.
      { row: 10, formula: '=IF(V11,0.616,"")' }, { row: 12, formula: '=IF(V13,D13,"")' }, { row: 13, formula: '=IF(V14,D14,"")' },
    ];
    expect(sharedRuns(cells)).toEqual([{ start: 0, length: 3 }, { start: 3, length: 1 }, { start: 4, length: 2 }]);
  });
});

describe('the written file', () => {
  it('holds runs of a block column as shared formulas that read back as the plan wrote every cell', async () => {
    const wb = buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8'), 'Report');
    const plan: WritePlan = refreshWorkbook(wb);
    const back = await roundTrip(wb);
    const ws = back.getWorksheet('Report') as ExcelJS.Worksheet;
    let shared = 0;
    for (const w of plan.writes) {
      if (w.value.kind !== 'formula') continue;
      const cell = ws.getRow(w.row + 1).getCell(w.col + 1);
      expect(`=${cell.formula}`).toBe(w.value.formula);
      if ('sharedFormula' in (cell.value as object)) shared++;
    }
    const formulas = plan.writes.filter((w) => w.value.kind === 'formula').length;
    expect(shared).toBeGreaterThan(formulas / 3);
  });
});
