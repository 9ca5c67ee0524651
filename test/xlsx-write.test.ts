/**
 * The .xlsx writer of the command line (src/xlsx/write.ts) writes the parts ExcelJS's own writer writes, byte for byte
 * and in the same order, in a zip package that ExcelJS, unzip and LibreOffice read.
 */
import { execFileSync } from 'child_process';
import * as ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { refreshWorkbook } from '../src/xlsx/refresh';
import { writeXlsxFile, xlsxBytes } from '../src/xlsx/write';
import { buildExampleWorkbook } from './support/example-workbook';
import { convertWithLibreOffice, requireSoffice } from './support/libreoffice';
import { dumpWorkbook } from './support/workbook-dump';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'xlsx-write-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A refreshed example, with more of what a user's workbook may hold: a note, a link, a merge, a validation, a table, an image, a print area. */
function richWorkbook(): ExcelJS.Workbook {
  const wb = buildExampleWorkbook();
  refreshWorkbook(wb);
  const ws = wb.addWorksheet("Children's notes", { properties: { tabColor: { argb: 'FF00FF00' } } });
  ws.getCell('A1').value = 'Noted';
  ws.getCell('A1').note = 'A note on a cell';
  ws.getCell('B1').value = { text: 'a link', hyperlink: 'https://example.org/' };
  ws.mergeCells('C1:D2');
  ws.getCell('C1').value = 'merged';
  ws.getCell('E1').dataValidation = { type: 'list', allowBlank: true, formulae: ['"Yes,No"'] };
  ws.getCell('F1').value = { formula: 'SUM(1,2)', result: 3 };
  ws.getCell('G1').value = new Date(Date.UTC(2024, 2, 31));
  ws.getCell('H1').value = { richText: [{ text: 'rich ', font: { bold: true } }, { text: 'text' }] };
  ws.getCell('I1').value = { error: '#N/A' } as ExcelJS.CellErrorValue;
  ws.addTable({ name: 'Little', ref: 'A5', columns: [{ name: 'Name' }, { name: 'Count' }], rows: [['one', 1], ['two', 2]] });
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  ws.addImage(wb.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: 'png' }), 'K2:L4');
  ws.pageSetup.printArea = 'A1:L10';
  wb.addWorksheet('Hidden', { state: 'hidden' }).getCell('A1').value = 42;
  // Every kind of cell and row a sheet's rows are written with: each row of it is written as one string, or left to ExcelJS.
  const kinds = wb.addWorksheet('Kinds');
  kinds.addRow([true, false, 1e-7, -0.5, 'ties & <tags> "quoted" \'apostrophe\'']);
  kinds.getCell('F1').value = { formula: 'A1&"<&>"', result: 'TRUE<&>' };
  kinds.getCell('G1').value = { formula: 'NOT(A1)', result: false };
  kinds.getCell('H1').value = { formula: '1/0', result: { error: '#DIV/0!' } } as unknown as ExcelJS.CellFormulaValue;
  kinds.getCell('I1').value = { formula: 'C1*2' } as ExcelJS.CellFormulaValue;
  kinds.getCell('J1').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
  kinds.getRow(2).height = 30;
  kinds.getCell('A2').value = 2;
  kinds.getRow(3).hidden = true;
  kinds.getCell('A3').value = 3;
  kinds.getRow(4).outlineLevel = 1;
  kinds.getCell('A4').value = 4;
  kinds.getRow(5).font = { bold: true };
  kinds.getCell('B5').value = 'bold row';
  kinds.getCell('A6').value = { formula: 'B6*2', result: 2, shareType: 'shared', ref: 'A6:A8' } as ExcelJS.CellFormulaValue;
  kinds.getCell('A7').value = { sharedFormula: 'A6', result: 4 } as ExcelJS.CellSharedFormulaValue;
  kinds.getCell('A8').value = { sharedFormula: 'A6', result: 6 } as ExcelJS.CellSharedFormulaValue;
  kinds.getCell('B9').value = { formula: 'SUM(A2:A4)', result: 9, shareType: 'array', ref: 'B9' } as ExcelJS.CellFormulaValue;
  kinds.getCell('C9').value = { formula: 'TODAY()', result: new Date(Date.UTC(2024, 0, 2)) };
  // Enough cells that a sheet's XML is handed on in several chunks as it is rendered.
  const many = wb.addWorksheet('Many');
  for (let r = 1; r <= 3000; r++) many.addRow([`row ${r}`, r, r / 7, { formula: `B${r}*2`, result: r * 2 }, r % 3 === 0 ? 'fizz' : null]);
  return wb;
}

/** Each part's text (docProps/core.xml holds the time of writing), in the package's order. */
async function partsOf(bytes: Buffer): Promise<Array<[string, string]>> {
  const zip = await JSZip.loadAsync(bytes);
  const files = Object.values(zip.files).filter((f) => !f.dir && f.name !== 'docProps/core.xml');
  return Promise.all(files.map(async (f) => [f.name, await f.async('string')] as [string, string]));
}

describe('writeXlsxFile', () => {
  it("writes every part as ExcelJS's writer does, in its order", async () => {
    const ours = await partsOf(await xlsxBytes(richWorkbook()));
    const theirs = await partsOf(Buffer.from(await richWorkbook().xlsx.writeBuffer()));
    expect(ours.map(([name]) => name)).toEqual(theirs.map(([name]) => name));
    expect(ours.map(([name]) => name)).toEqual(expect.arrayContaining(['xl/comments9.xml', 'xl/drawings/vmlDrawing9.vml', 'xl/tables/table1.xml', 'xl/media/image1.png', 'xl/drawings/drawing1.xml']));
    for (const [k, [name, text]] of ours.entries()) expect([name, text]).toEqual(theirs[k]);
  });

  it('writes a workbook ExcelJS reads back as it was', async () => {
    const path = join(dir, 'rich.xlsx');
    await writeXlsxFile(richWorkbook(), path);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(path);
    const again = new ExcelJS.Workbook();
    await again.xlsx.load(await richWorkbook().xlsx.writeBuffer());
    expect(dumpWorkbook(back)).toEqual(dumpWorkbook(again));
  });

  it('writes a zip package unzip tests clean', async () => {
    const path = join(dir, 'unzip.xlsx');
    await writeXlsxFile(richWorkbook(), path);
    expect(execFileSync('unzip', ['-tq', path]).toString()).toMatch(/No errors detected/);
  });

  it('writes a workbook LibreOffice opens, with the values and formulas written', async () => {
    requireSoffice();
    const path = join(dir, 'libre.xlsx');
    await writeXlsxFile(richWorkbook(), path);
    const out = join(dir, 'lo');
    mkdirSync(out, { recursive: true });
    convertWithLibreOffice([path], 'xlsx', out);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(readFileSync(join(out, 'libre.xlsx')) as unknown as ExcelJS.Buffer);
    const notes = back.getWorksheet("Children's notes");
    expect(notes?.getCell('A1').value).toBe('Noted');
    expect(notes?.getCell('F1').result).toBe(3);
    const original = richWorkbook();
    for (const ws of original.worksheets.filter((w) => w.state === 'visible' && w.name !== "Children's notes")) {
      const read = back.getWorksheet(ws.name);
      expect(read).toBeDefined();
      ws.eachRow((row, r) => row.eachCell((cell, c) => {
        // LibreOffice keeps no empty strings.
        if (typeof cell.value === 'string' && cell.value !== '') expect([ws.name, r, c, read?.getCell(r, c).value]).toEqual([ws.name, r, c, cell.value]);
      }));
    }
  });
});
