/**
 * The bundled example (examples/childrens-wellbeing-scorecard.xlsx): the two seed reports laid out as a council
 * keeps them, one table a sheet. The staffing series, budget and risks are typed as Excel would type them; the
 * indicators and the 2014-15 KPIs are pasted as text, as they arrive from a report.
 */
import * as ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { typeAsExcel } from './excel-typing';

const SEEDS = join(__dirname, '..', 'fixtures', 'seeds');

/** Sheets of the example: name, seed, 1-based line range of the seed, and whether cells are typed or pasted text. */
export const EXAMPLE_SHEETS = [
  { name: 'Staffing', seed: '000_c181ff5ffa342356', from: 6, to: 12, typed: true },
  { name: 'Indicators', seed: '000_c181ff5ffa342356', from: 21, to: 32, typed: false },
  { name: 'Budget', seed: '000_c181ff5ffa342356', from: 58, to: 77, typed: true },
  { name: 'Risks', seed: '000_c181ff5ffa342356', from: 34, to: 38, typed: true },
  { name: 'Programme', seed: '000_c181ff5ffa342356', from: 44, to: 56, typed: true },
  { name: 'KPIs 2014-15', seed: '004_730aab70e4ac106c', from: 1, to: 42, typed: false },
] as const;

/** Builds the example workbook. */
export function buildExampleWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Scorecard Refresh';
  wb.created = new Date(Date.UTC(2017, 4, 1));
  wb.modified = wb.created;
  for (const s of EXAMPLE_SHEETS) {
    const lines = readFileSync(join(SEEDS, `${s.seed}.tsv`), 'utf8').split(/\r?\n/).slice(s.from - 1, s.to);
    const ws = wb.addWorksheet(s.name);
    lines.forEach((line, r) => line.split('\t').forEach((field, c) => {
      if (field.trim() === '') return;
      const cell = ws.getCell(r + 1, c + 1);
      if (s.typed) {
        const typed = typeAsExcel(field);
        cell.value = typed.value as ExcelJS.CellValue;
        if (typed.numFmt !== undefined) cell.numFmt = typed.numFmt;
      } else {
        cell.value = field;
      }
    }));
    ws.getColumn(1).width = s.name === 'Risks' ? 12 : 48;
    if (s.name === 'Risks') ws.getColumn(2).width = 48;
  }
  return wb;
}
