import * as ExcelJS from 'exceljs';
import { randomBytes } from 'crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CellSnapshot, SheetSnapshot, WorkbookSnapshot } from '../src/engine/snapshot';
import { parseCell, parseValueText } from '../src/engine/value';
import { NotAWorkbookError, readXlsxFile, snapshotFromWorkbook } from '../src/xlsx/read';
import { FIXTURES, SEEDS } from './support/acceptance';
import { buildTypedWorkbook, typeAsExcel, writeTypedXlsx } from './support/excel-typing';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsx-read-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a workbook to the temp dir and reads it back. */
async function roundTrip(wb: ExcelJS.Workbook, name: string): Promise<WorkbookSnapshot> {
  const path = join(dir, name);
  await wb.xlsx.writeFile(path);
  return readXlsxFile(path);
}

function sheetOf(snapshot: WorkbookSnapshot, index = 0): SheetSnapshot {
  const sheet = snapshot.sheets[index];
  if (sheet === undefined) throw new Error(`no sheet ${index}`);
  return sheet;
}

/** The cell at an A1-style address. */
function at(sheet: SheetSnapshot, address: string): CellSnapshot | undefined {
  const m = /^([A-Z]+)(\d+)$/.exec(address);
  if (!m?.[1] || !m[2]) throw new Error(address);
  const col = [...m[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return sheet.rows[Number(m[2]) - 1]?.[col];
}

/** Finds the first cell showing the text. */
function findText(sheet: SheetSnapshot, text: string): CellSnapshot {
  for (const row of sheet.rows) for (const cell of row) if (cell?.text.trim() === text) return cell;
  throw new Error(`no cell shows ${JSON.stringify(text)}`);
}

describe('typeAsExcel', () => {
  it.each([
    ['88.0%', 0.88, '0.0%'],
    ['6%', 0.06, '0%'],
    ['4.20%', 0.042, '0.00%'],
    ['1,024', 1024, '#,##0'],
    ['(284)', -284, '#,##0;(#,##0)'],
    ['(1,086)', -1086, '#,##0;(#,##0)'],
    ['-3,467', -3467, '#,##0'],
    ['£17,600', 17600, '"£"#,##0'],
    ['48.0', 48, '0.0'],
    ['7.20', 7.2, '0.00'],
    ['287', 287, undefined],
    ['7.53', 7.53, undefined],
    ['-0.07', -0.07, undefined],
    ['0', 0, undefined],
  ])('types %j as a number', (text, value, numFmt) => {
    const typed = typeAsExcel(text);
    expect(typed.value).toBeCloseTo(value, 12);
    expect(typed.numFmt).toBe(numFmt);
  });

  it('types month-year text as the first of the month', () => {
    expect(typeAsExcel('Dec-15')).toEqual({ value: new Date(Date.UTC(2015, 11, 1)), numFmt: 'mmm-yy' });
    expect(typeAsExcel('Mar-17')).toEqual({ value: new Date(Date.UTC(2017, 2, 1)), numFmt: 'mmm-yy' });
  });

  it.each([
    '2013-14', '2016/17', 'Q1', '16 - 18', '£240k', '13 ¹', '4.5% **', '3.8%***', '>85%', '<5', 'N/A',
    '29.87% (1574/5269) *Jan-Oct', '0.6 Years Interim', 'Permanent Costs (£k)', '(£k)', 'CR.034', '[a] 90% [b] 90%',
    '95% (over next 3 years)', 'End-of-year', '1,00', '(284', '--5', 'Decb-15',
  ])('keeps %j as text', (text) => {
    expect(typeAsExcel(text)).toEqual({ value: text });
  });

  it('types booleans and error values', () => {
    expect(typeAsExcel('TRUE')).toEqual({ value: true });
    expect(typeAsExcel('false')).toEqual({ value: false });
    expect(typeAsExcel('#N/A')).toEqual({ value: { error: '#N/A' } });
  });
});

describe('readXlsxFile on typed seeds', () => {
  it.each(SEEDS)('%s: every cell shows the seed text, and numbers are typed', async (seed) => {
    const tsv = readFileSync(join(FIXTURES, 'seeds', `${seed}.tsv`), 'utf8');
    const out = join(dir, `${seed}.xlsx`);
    await writeTypedXlsx(join(FIXTURES, 'seeds', `${seed}.tsv`), out);
    const snapshot = await readXlsxFile(out);
    expect(snapshot.sheets.map((s) => s.name)).toEqual([seed]);
    const sheet = sheetOf(snapshot);

    const lines = tsv.split(/\r?\n/);
    let numbers = 0;
    lines.forEach((line, r) => {
      line.split('\t').forEach((field, c) => {
        const cell = sheet.rows[r]?.[c];
        if (field.trim() === '') {
          expect(cell).toBeUndefined();
          return;
        }
        expect({ r, c, text: cell?.text.trim() }).toEqual({ r, c, text: field.trim() });
        if (cell === undefined) return;
        // The engine reads the typed cell as it reads the printed text: same number, unit and precision.
        const typed = parseCell(cell);
        const printed = parseValueText(field);
        if (typeof cell.value === 'number' && printed.kind === 'number' && typed.kind === 'number') {
          numbers++;
          expect({ field, value: typed.value, unit: typed.unit, decimals: typed.decimals, currency: typed.currency })
            .toEqual({ field, value: expect.closeTo(printed.value, 12), unit: printed.unit, decimals: printed.decimals, currency: printed.currency });
        }
      });
    });
    // Nothing beyond the seed's fields.
    sheet.rows.forEach((row, r) => row.forEach((cell, c) => {
      if (cell !== undefined) expect((lines[r]?.split('\t')[c] ?? '').trim()).not.toBe('');
    }));
    expect(numbers).toBeGreaterThan(20);
  });

  it('000: percentages, thousands, brackets and dates are typed with their formats', async () => {
    const sheet = sheetOf(snapshotFromWorkbook(buildTypedWorkbook(
      readFileSync(join(FIXTURES, 'seeds', '000_c181ff5ffa342356.tsv'), 'utf8'), '000')));
    expect(findText(sheet, '88.0%')).toMatchObject({ value: 0.88, numberFormat: '0.0%' });
    expect(findText(sheet, '4.20%')).toMatchObject({ value: 0.042, numberFormat: '0.00%' });
    expect(findText(sheet, '14%')).toMatchObject({ value: 0.14, numberFormat: '0%' });
    expect(findText(sheet, '1,024')).toMatchObject({ value: 1024, numberFormat: '#,##0' });
    expect(findText(sheet, '(284)')).toMatchObject({ value: -284, numberFormat: '#,##0;(#,##0)' });
    expect(findText(sheet, '(1,086)')).toMatchObject({ value: -1086 });
    expect(findText(sheet, '48.0')).toMatchObject({ value: 48, numberFormat: '0.0' });
    expect(findText(sheet, '7.53')).toMatchObject({ value: 7.53, numberFormat: 'General' });
    expect(findText(sheet, 'Dec-15')).toMatchObject({ value: 42339, numberFormat: 'mmm-yy' });
    expect(findText(sheet, '2016/17')).toMatchObject({ value: '2016/17' });
    expect(findText(sheet, '13 ¹')).toMatchObject({ value: '13 ¹' });
  });

  it('004: currency and text-like values', async () => {
    const snapshot = await roundTrip(buildTypedWorkbook(
      readFileSync(join(FIXTURES, 'seeds', '004_730aab70e4ac106c.tsv'), 'utf8'), '004'), '004-typed.xlsx');
    const sheet = sheetOf(snapshot);
    expect(findText(sheet, '£17,600')).toMatchObject({ value: 17600, numberFormat: '"£"#,##0' });
    expect(parseCell(findText(sheet, '£17,600'))).toMatchObject({ kind: 'number', unit: 'currency', currency: '£' });
    expect(findText(sheet, '6%')).toMatchObject({ value: 0.06, numberFormat: '0%' });
    expect(findText(sheet, '6.50%')).toMatchObject({ value: 0.065, numberFormat: '0.00%' });
    for (const text of ['£240k', '2013-14', 'Q1', '16 - 18', '>85%', 'N/A', '0.6 Years Interim', '6.1 Years Permanent']) {
      expect(findText(sheet, text)).toMatchObject({ value: text });
    }
  });
});

describe('readXlsxFile cell values', () => {
  let sheet: SheetSnapshot;

  beforeAll(async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Values');
    ws.getCell('A1').value = 'Merged header';
    ws.mergeCells('A1:C1');
    ws.getCell('D1').value = 'Plain';
    ws.getCell('A2').value = 10;
    ws.getCell('B2').value = 4;
    ws.getCell('C2').value = { formula: 'A2/B2', result: 2.5 };
    ws.getCell('C2').numFmt = '0.00';
    ws.getCell('D2').value = { formula: 'A2*2', result: 20, shareType: 'shared', ref: 'D2:D4' } as ExcelJS.CellValue;
    ws.getCell('A3').value = 0;
    ws.getCell('D3').value = { sharedFormula: 'D2', result: 0 };
    ws.getCell('A4').value = 7;
    // Falsy cached results, which ExcelJS's cell.value drops.
    ws.getCell('B3').value = { formula: 'A3>1', result: false } as ExcelJS.CellValue;
    ws.getCell('C3').value = { formula: 'A3*1', result: 0 } as ExcelJS.CellValue;
    ws.getCell('C4').value = { formula: 'IF(A4>0,"","x")', result: '' } as ExcelJS.CellValue;
    ws.getCell('B4').value = { formula: 'DATE(2016,1,31)', result: new Date(Date.UTC(2016, 0, 31)) } as ExcelJS.CellValue;
    ws.getCell('B4').numFmt = 'dd/mm/yyyy';
    ws.getCell('D4').value = { sharedFormula: 'D2', result: 14 };
    ws.getCell('E2').value = { formula: 'A2/A3', result: { error: '#DIV/0!' } } as ExcelJS.CellValue;
    ws.getCell('E3').value = { error: '#N/A' } as ExcelJS.CellValue;
    ws.getCell('E4').value = { formula: 'SUM(A2:A4)' } as ExcelJS.CellValue; // no cached result
    ws.getCell('F2').value = true;
    ws.getCell('F3').value = false;
    ws.getCell('F4').value = { formula: 'A2>A3', result: true } as ExcelJS.CellValue;
    ws.getCell('G2').value = { richText: [{ text: 'Greater ', font: { bold: true } }, { text: 'is better' }] };
    ws.getCell('G3').value = { text: 'Report', hyperlink: 'https://example.org/report' };
    ws.getCell('G4').value = { formula: '"a"&"b"', result: 'ab' } as ExcelJS.CellValue;
    ws.getCell('H2').value = new Date(Date.UTC(2015, 11, 1));
    ws.getCell('H2').numFmt = 'mmm-yy';
    ws.getCell('H3').value = new Date(Date.UTC(2016, 0, 31, 18, 0));
    ws.getCell('H3').numFmt = 'dd/mm/yyyy hh:mm';
    ws.getCell('H4').value = new Date(Date.UTC(2016, 1, 29));
    ws.getCell('A6').value = 'Second merge';
    ws.mergeCells('A6:B7');
    wb.addWorksheet('Empty');
    const third = wb.addWorksheet('Third sheet');
    third.getCell('B2').value = 'x';
    const snapshot = await roundTrip(wb, 'values.xlsx');
    expect(snapshot.sheets.map((s) => s.name)).toEqual(['Values', 'Empty', 'Third sheet']);
    expect(snapshot.sheets[1]?.rows).toEqual([]);
    expect(snapshot.sheets[2]?.rows).toEqual([[undefined, undefined], [undefined, { value: 'x', numberFormat: 'General', text: 'x' }]]);
    sheet = sheetOf(snapshot);
  });

  it('gives dense rows over the used area', () => {
    expect(sheet.rows).toHaveLength(7);
    for (const row of sheet.rows) {
      expect(row).toHaveLength(8);
      expect(Object.keys(row)).toHaveLength(8); // no holes
    }
    expect(sheet.rows[4]).toEqual(new Array(8).fill(undefined));
  });

  it('keeps formulas with their cached values', () => {
    expect(at(sheet, 'C2')).toEqual({ value: 2.5, formula: 'A2/B2', numberFormat: '0.00', text: '2.50' });
    expect(at(sheet, 'D2')).toMatchObject({ value: 20, formula: 'A2*2', text: '20' });
    expect(at(sheet, 'D3')).toMatchObject({ value: 0, formula: 'A3*2', text: '0' });
    expect(at(sheet, 'D4')).toMatchObject({ value: 14, formula: 'A4*2', text: '14' });
    expect(at(sheet, 'E4')).toEqual({ value: null, formula: 'SUM(A2:A4)', numberFormat: 'General', text: '' });
    expect(at(sheet, 'G4')).toMatchObject({ value: 'ab', formula: '"a"&"b"', text: 'ab' });
    expect(at(sheet, 'F4')).toMatchObject({ value: true, formula: 'A2>A3', text: 'TRUE' });
    expect(at(sheet, 'B3')).toEqual({ value: false, formula: 'A3>1', numberFormat: 'General', text: 'FALSE' });
    expect(at(sheet, 'C3')).toEqual({ value: 0, formula: 'A3*1', numberFormat: 'General', text: '0' });
    // ExcelJS's parser drops an empty cached string (<v></v>): it reads as no result. Either way the cell shows ''.
    expect(at(sheet, 'C4')).toEqual({ value: null, formula: 'IF(A4>0,"","x")', numberFormat: 'General', text: '' });
    expect(at(sheet, 'B4')).toEqual({ value: 42400, formula: 'DATE(2016,1,31)', numberFormat: 'dd/mm/yyyy', text: '31/01/2016' });
  });

  it('reads error values, booleans, rich text and hyperlinks', () => {
    expect(at(sheet, 'E2')).toMatchObject({ value: { error: '#DIV/0!' }, formula: 'A2/A3', text: '#DIV/0!' });
    expect(at(sheet, 'E3')).toEqual({ value: { error: '#N/A' }, numberFormat: 'General', text: '#N/A' });
    expect(parseCell(at(sheet, 'E2'))).toMatchObject({ kind: 'missing', reason: 'division-error' });
    expect(at(sheet, 'F2')).toEqual({ value: true, numberFormat: 'General', text: 'TRUE' });
    expect(at(sheet, 'F3')).toEqual({ value: false, numberFormat: 'General', text: 'FALSE' });
    expect(at(sheet, 'G2')).toEqual({ value: 'Greater is better', numberFormat: 'General', text: 'Greater is better' });
    expect(at(sheet, 'G3')).toEqual({ value: 'Report', numberFormat: 'General', text: 'Report' });
  });

  it('turns dates into serial numbers and keeps their formats', () => {
    expect(at(sheet, 'H2')).toEqual({ value: 42339, numberFormat: 'mmm-yy', text: 'Dec-15' });
    expect(at(sheet, 'H3')).toEqual({ value: 42400.75, numberFormat: 'dd/mm/yyyy hh:mm', text: '31/01/2016 18:00' });
    // A date without a format gets ExcelJS's default (built-in 14, the short date); en-GB Excel shows dd/mm/yyyy.
    expect(at(sheet, 'H4')).toMatchObject({ value: 42429, text: '29/02/2016' });
  });

  it('keeps a merged value only in the top-left cell', () => {
    expect(at(sheet, 'A1')).toEqual({ value: 'Merged header', numberFormat: 'General', text: 'Merged header' });
    expect(at(sheet, 'B1')).toBeUndefined();
    expect(at(sheet, 'C1')).toBeUndefined();
    expect(at(sheet, 'D1')?.text).toBe('Plain');
    expect(at(sheet, 'A6')?.text).toBe('Second merge');
    expect([at(sheet, 'B6'), at(sheet, 'A7'), at(sheet, 'B7')]).toEqual([undefined, undefined, undefined]);
  });

  it('snapshotFromWorkbook reads a workbook in memory the same way', () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Mem');
    ws.getCell('A1').value = 'Head';
    ws.mergeCells('A1:B1');
    ws.getCell('A2').value = 0.425;
    ws.getCell('A2').numFmt = '0.0%';
    expect(snapshotFromWorkbook(wb).sheets[0]?.rows).toEqual([
      [{ value: 'Head', numberFormat: 'General', text: 'Head' }, undefined],
      [{ value: 0.425, numberFormat: '0.0%', text: '42.5%' }, undefined],
    ]);
  });
});

describe('readXlsxFile failures', () => {
  it('rejects a corrupt file with a message naming the file', async () => {
    const path = join(dir, 'foo.xlsx');
    writeFileSync(path, randomBytes(4096));
    await expect(readXlsxFile(path)).rejects.toThrow(/Cannot read ".*foo\.xlsx": not an \.xlsx workbook/);
  });

  it('rejects a truncated workbook with a message naming the file', async () => {
    const good = join(dir, 'good.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').getCell('A1').value = 1;
    await wb.xlsx.writeFile(good);
    const bytes = readFileSync(good);
    const path = join(dir, 'truncated.xlsx');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(readXlsxFile(path)).rejects.toThrow(/Cannot read ".*truncated\.xlsx": not an \.xlsx workbook \(.+\)/);
  });

  it.each([
    ['a file of random bytes', (): Buffer => randomBytes(4096), 'not-a-package'],
    ['a legacy .xls (an OLE compound file)', (): Buffer => Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]), 'legacy-or-encrypted'],
    ['a zip package cut short', (): Buffer => Buffer.concat([Buffer.from('PK'), randomBytes(200)]), 'damaged'],
  ])('says which way %s is not a workbook', async (_what, bytes, reason) => {
    const path = join(dir, 'which.xlsx');
    writeFileSync(path, bytes());
    const failure = await readXlsxFile(path).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(NotAWorkbookError);
    expect((failure as NotAWorkbookError).reason).toBe(reason);
    expect((failure as NotAWorkbookError).path).toBe(path);
  });

  it('rejects a missing file with a message naming the file', async () => {
    await expect(readXlsxFile(join(dir, 'missing.xlsx'))).rejects.toThrow(/Cannot read ".*missing\.xlsx"/);
  });
});

describe('readXlsxFile on a large sheet', () => {
  it('reads 50,000 rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Big');
    for (let r = 1; r <= 50_000; r++) {
      const row = ws.getRow(r);
      row.getCell(1).value = `Measure ${r}`;
      row.getCell(2).value = r;
      row.getCell(3).value = r / 1000;
      row.getCell(3).numFmt = '0.0%';
      row.getCell(4).value = { formula: `B${r}*2`, result: r * 2 };
    }
    const path = join(dir, 'big.xlsx');
    await wb.xlsx.writeFile(path);
    const started = Date.now();
    const snapshot = await readXlsxFile(path);
    console.log(`readXlsxFile: 50,000 rows in ${Date.now() - started} ms`);
    const sheet = sheetOf(snapshot);
    expect(sheet.rows).toHaveLength(50_000);
    expect(sheet.rows[49_999]).toEqual([
      { value: 'Measure 50000', numberFormat: 'General', text: 'Measure 50000' },
      { value: 50_000, numberFormat: 'General', text: '50000' },
      { value: 50, numberFormat: '0.0%', text: '5000.0%' },
      { value: 100_000, formula: 'B50000*2', numberFormat: 'General', text: '100000' },
    ]);
  });
});
