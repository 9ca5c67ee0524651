import * as ExcelJS from 'exceljs';
import '../src/xlsx/name-ranges';
import '../src/xlsx/formula-names';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const CellMatrix = require('exceljs/lib/utils/cell-matrix') as new () => { addCell(reference: string): void };

interface Names {
  model: Array<{ name: string; ranges: string[] }>;
  matrixMap: Record<string, unknown>;
  getRanges(name: string, matrix: unknown): { name: string; ranges: string[] };
}

function namesOf(wb: ExcelJS.Workbook): Names {
  return wb.definedNames as unknown as Names;
}

/** The ranges ExcelJS itself reads back for a name given these ranges: from a matrix of its cells. */
function excelJsRanges(names: Names, ranges: string[]): string[] {
  const matrix = new CellMatrix();
  for (const r of ranges) matrix.addCell(r);
  return names.getRanges('x', matrix).ranges;
}

const GIVEN: Array<{ name: string; ranges: string[] }> = [
  { name: 'Column', ranges: ["'Team 1'!$B$3:$B$6002"] },
  { name: 'Block', ranges: ["'Team 1'!$O$3:$AD$6002"] },
  { name: 'Cell', ranges: ["'Scorecard summary'!$A$1"] },
  { name: 'Plain', ranges: ['Sheet1!$C$2:$C$9'] },
  { name: 'Reversed', ranges: ['Sheet1!$D$9:$C$2'] },
  { name: 'Apostrophe', ranges: ["'Children''s KPIs'!$A$1:$B$4"] },
  { name: 'Two', ranges: ['Sheet1!$A$1:$A$3', 'Sheet1!$B$1:$B$3'] },
  { name: 'Status', ranges: ['{"● Green";"■ Red"}'] },
];

describe('defined names kept as ranges', () => {
  it('reads back every name as ExcelJS would rebuild it from its cells, in the order given', () => {
    const wb = new ExcelJS.Workbook();
    const names = namesOf(wb);
    names.model = GIVEN;
    const read = names.model;
    expect(read.map((n) => n.name)).toEqual(GIVEN.map((n) => n.name));
    for (const n of GIVEN.filter((g) => g.name !== 'Status')) {
      expect(read.find((r) => r.name === n.name)?.ranges).toEqual(excelJsRanges(names, n.ranges));
    }
    expect(read.find((r) => r.name === 'Status')?.ranges).toEqual(['{"● Green";"■ Red"}']);
    expect(read.find((r) => r.name === 'Block')?.ranges).toEqual(["'Team 1'!$O$3:$AD$6002"]);
    expect(read.find((r) => r.name === 'Reversed')?.ranges).toEqual(['Sheet1!$C$2:$D$9']);
  });

  it('holds a name of one range without a matrix of its cells', () => {
    const wb = new ExcelJS.Workbook();
    const names = namesOf(wb);
    names.model = [{ name: 'Block', ranges: ["'Team 1'!$O$3:$AD$6002"] }];
    expect(names.matrixMap.Block).not.toBeInstanceOf(CellMatrix);
  });

  it('answers questions about cells as ExcelJS does, and adds to a name cell by cell', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    const names = namesOf(wb);
    names.model = [{ name: 'Targets', ranges: ['Sheet1!$C$2:$C$9'] }, { name: 'Other', ranges: ['Sheet1!$A$1'] }];
    expect(ws.getCell('C5').names).toEqual(['Targets']);
    expect(ws.getCell('D5').names).toEqual([]);
    wb.definedNames.add('Sheet1!$C$10', 'Targets');
    wb.definedNames.add('Sheet1!$E$1', 'New');
    expect(names.model).toEqual([
      { name: 'Targets', ranges: ['Sheet1!$C$2:$C$10'] },
      { name: 'Other', ranges: ['Sheet1!$A$1'] },
      { name: 'New', ranges: ['Sheet1!$E$1'] },
    ]);
  });

  it('moves names with spliced rows as ExcelJS does', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    namesOf(wb).model = [{ name: 'Targets', ranges: ['Sheet1!$C$2:$C$9'] }];
    ws.spliceRows(1, 1);
    expect(namesOf(wb).model).toEqual([{ name: 'Targets', ranges: ['Sheet1!$C$1:$C$8'] }]);
  });
});
