import * as ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { planPrint, planRefresh } from '../src/engine';
import { applyPlanToWorkbook, snapshotWithNames } from '../src/xlsx/apply';
import { FIXTURES, SEEDS } from './support/acceptance';
import { buildTypedWorkbook } from './support/excel-typing';
import { dumpWorkbook, roundTrip } from './support/workbook-dump';

/** Seed 000 on sheet Report, with a page setup of the user's own: portrait, a print area, columns A:C repeated, 80%. */
function seedWithOwnPageSetup(): ExcelJS.Workbook {
  const wb = buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8'), 'Report');
  const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
  ws.pageSetup.orientation = 'portrait';
  ws.pageSetup.printArea = 'A1:H40';
  ws.pageSetup.printTitlesColumn = 'A:C';
  ws.pageSetup.scale = 80;
  return wb;
}

/** Refreshes a workbook as `scorecard refresh` does, with or without --fit-to-width, and saves and reopens it. */
async function refreshed(wb: ExcelJS.Workbook, fitToWidth: boolean): Promise<ExcelJS.Workbook> {
  const plan = planRefresh(snapshotWithNames(wb));
  applyPlanToWorkbook(wb, plan, { print: fitToWidth ? planPrint(plan) : [] });
  return roundTrip(wb);
}

function setupOf(wb: ExcelJS.Workbook, sheet = 'Report'): Partial<ExcelJS.PageSetup> {
  const p = (wb.getWorksheet(sheet) as ExcelJS.Worksheet).pageSetup;
  return { orientation: p.orientation, printArea: p.printArea, printTitlesColumn: p.printTitlesColumn, fitToPage: p.fitToPage, scale: p.scale, ...(p.fitToPage ? { fitToWidth: p.fitToWidth, fitToHeight: p.fitToHeight } : {}) };
}

describe('fit to page width in a file', () => {
  it('leaves the user\'s page setup as it was without the option, through two refreshes', async () => {
    const own = setupOf(await roundTrip(seedWithOwnPageSetup()));
    expect(own).toEqual({ orientation: 'portrait', printArea: 'A1:H40', printTitlesColumn: 'A:C', fitToPage: false, scale: 80 });
    const twice = await refreshed(await refreshed(seedWithOwnPageSetup(), false), false);
    expect(setupOf(twice)).toEqual(own);
  });

  it('repeats the measure columns and prints landscape, one page wide, with the option, keeping the print area; twice is once', async () => {
    const once = await refreshed(seedWithOwnPageSetup(), true);
    expect(setupOf(once)).toEqual({ orientation: 'landscape', printArea: 'A1:H40', printTitlesColumn: 'A:B', fitToPage: true, scale: 80, fitToWidth: 1, fitToHeight: 0 });
    const twice = await refreshed(await roundTrip(once), true);
    expect(dumpWorkbook(twice)).toEqual(dumpWorkbook(once));
    expect(setupOf(twice)).toEqual(setupOf(once));
  });

  it('touches only the sheets with a block: a sheet of the user\'s own keeps its page setup', async () => {
    const wb = seedWithOwnPageSetup();
    const notes = wb.addWorksheet('Notes');
    notes.getCell('A1').value = 'Read me first';
    notes.pageSetup.printTitlesColumn = 'A:A';
    const out = await refreshed(wb, true);
    expect(setupOf(out, 'Notes')).toMatchObject({ printTitlesColumn: 'A:A', fitToPage: false, orientation: 'portrait' });
    expect(setupOf(out, 'Scorecard summary')).toMatchObject({ fitToPage: true, printTitlesColumn: undefined });
  });
});

describe('print areas and titles of a sheet whose name holds an apostrophe', () => {
  /** The defined names as written in xl/workbook.xml. */
  async function writtenNames(wb: ExcelJS.Workbook): Promise<string[]> {
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
    const xml = (await zip.file('xl/workbook.xml')?.async('string')) ?? '';
    return [...xml.matchAll(/<definedName [^>]*>([^<]*)<\/definedName>/g)].map((m) => (m[1] ?? '').replace(/&apos;/g, "'"));
  }

  it('writes the sheet name quoted with the apostrophe doubled, as Excel reads it, through a refresh and a second one', async () => {
    const wb = buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8'), "Children's KPIs");
    (wb.getWorksheet("Children's KPIs") as ExcelJS.Worksheet).pageSetup.printArea = 'A1:H40';
    const once = await refreshed(wb, true);
    const names = await writtenNames(once);
    expect(names).toEqual(expect.arrayContaining(["'Children''s KPIs'!$A1:$H40", "'Children''s KPIs'!$A:$B"]));
    expect(names.some((n) => n.startsWith("'Children's"))).toBe(false);
    const twice = await refreshed(once, true);
    expect(await writtenNames(twice)).toEqual(names);
  });
});
