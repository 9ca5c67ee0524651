import * as ExcelJS from 'exceljs';
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildReport, columnLetters, formatNumber, LEDGER_SHEET, parseReference, planRefresh, rangeRects, SUMMARY_NAME, SUMMARY_SHEET, WritePlan } from '../src/engine';
import { arrayConstant, WORD_LISTS } from '../src/engine/rules';
import { buildExampleWorkbook } from './support/example-workbook';
import { snapshotWithNames } from '../src/xlsx/apply';
import { refreshWorkbook, removeFromWorkbook } from '../src/xlsx/refresh';
import { checkSeed, FIXTURES, SEEDS } from './support/acceptance';
import { buildTypedWorkbook } from './support/excel-typing';
import { dumpWorkbook, roundTrip, rulesOf } from './support/workbook-dump';

function typedSeed(seed: string): ExcelJS.Workbook {
  return buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${seed}.tsv`), 'utf8'), 'Report');
}

async function refreshed(wb: ExcelJS.Workbook): Promise<{ wb: ExcelJS.Workbook; plan: WritePlan }> {
  const plan = refreshWorkbook(wb);
  return { wb: await roundTrip(wb), plan };
}

function inBlocks(plan: WritePlan, sheet: string, row: number, col: number): boolean {
  return plan.blocks.some((b) => b.sheet === sheet && row >= b.top && row <= b.bottom && col >= b.left && col <= b.right);
}

describe('refresh of typed .xlsx workbooks', () => {
  it.each(SEEDS)('reads every acceptance row of seed %s from the workbook as Excel typed it', (seed) => {
    const plan = refreshWorkbook(typedSeed(seed));
    const report = buildReport(seed, plan.evaluation, (o) => formatNumber(o.value));
    expect(checkSeed(report, seed)).toEqual([]);
  });

  it.each(SEEDS)('still reads every acceptance row of seed %s after a refresh, read back from the file', async (seed) => {
    const { wb } = await refreshed(typedSeed(seed));
    const again = refreshWorkbook(wb);
    expect(checkSeed(buildReport(seed, again.evaluation, (o) => formatNumber(o.value)), seed)).toEqual([]);
  });

  it.each(SEEDS)('is idempotent on seed %s: refresh(refresh(x)) equals refresh(x) cell by cell, with rules and names', async (seed) => {
    const once = (await refreshed(typedSeed(seed))).wb;
    const twice = (await refreshed(await roundTrip(once))).wb;
    expect(dumpWorkbook(twice)).toEqual(dumpWorkbook(once));
  });

  it.each(SEEDS)('remove(refresh(x)) gives back x for seed %s', async (seed) => {
    const original = await roundTrip(typedSeed(seed));
    const { wb } = await refreshed(typedSeed(seed));
    removeFromWorkbook(wb);
    expect(dumpWorkbook(await roundTrip(wb))).toEqual(dumpWorkbook(original));
  });

  it.each(SEEDS)('keeps every cell of seed %s outside its blocks, or shows the same text after a lossless normalisation', async (seed) => {
    const before = snapshotWithNames(await roundTrip(typedSeed(seed)));
    const { wb, plan } = await refreshed(typedSeed(seed));
    const after = snapshotWithNames(wb);
    for (const sheet of before.sheets) {
      const out = after.sheets.find((s) => s.name === sheet.name);
      sheet.rows.forEach((row, r) => row.forEach((cell, c) => {
        if (cell === undefined) return;
        const now = out?.rows[r]?.[c];
        expect(now?.text).toBe(cell.text);
        if (typeof cell.value === 'number') expect(now?.value).toBe(cell.value);
      }));
    }
    for (const w of plan.writes) {
      expect(inBlocks(plan, w.sheet, w.row, w.col)).toBe(w.purpose === 'block');
    }
  });

  it('turns "88.0%", "(284)" and "2,749" into typed numbers with formats that show the same text, and leaves "13 ¹" as text', async () => {
    const text = buildTypedWorkbook(readFileSync(join(FIXTURES, 'seeds', `${SEEDS[0]}.tsv`), 'utf8'), 'Report');
    // Make the Indicators and Outturn figures text, as a pasted report holds them.
    const ws = text.getWorksheet('Report') as ExcelJS.Worksheet;
    ws.getCell('C26').value = '88.0%';
    ws.getCell('D61').value = '(284)';
    ws.getCell('B61').value = '2,749';
    const { wb, plan } = await refreshed(text);
    const out = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    expect([out.getCell('C26').value, out.getCell('C26').numFmt]).toEqual([0.88, '0.0%']);
    expect([out.getCell('D61').value, out.getCell('D61').numFmt]).toEqual([-284, '0;(0)']);
    expect([out.getCell('B61').value, out.getCell('B61').numFmt]).toEqual([2749, '#,##0']);
    expect(out.getCell('C25').value).toBe('13 ¹');
    expect(plan.ledger.map((e) => `${e.cell}=${e.text}`)).toEqual(expect.arrayContaining(['C26=88.0%', 'D61=(284)', 'B61=2,749']));
    expect(wb.getWorksheet(LEDGER_SHEET)?.state).toBe('veryHidden');
  });

  it('puts normalised text cells back, with their formats, when the refresh is removed', async () => {
    const text = (): ExcelJS.Workbook => {
      const wb = typedSeed(SEEDS[0]);
      const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
      for (const [cell, value] of [['C26', '88.0%'], ['D61', '(284)'], ['B61', '2,749'], ['B29', '70.0%']] as const) {
        ws.getCell(cell).value = value;
        ws.getCell(cell).numFmt = 'General';
      }
      return wb;
    };
    const original = await roundTrip(text());
    const { wb, plan } = await refreshed(text());
    expect(plan.ledger).toHaveLength(4);
    removeFromWorkbook(wb);
    expect(dumpWorkbook(await roundTrip(wb))).toEqual(dumpWorkbook(original));
  });

  it('writes live formulas and shape-marked status text right of the Indicators table', async () => {
    const { wb, plan } = await refreshed(typedSeed(SEEDS[0]));
    const block = plan.blocks.find((b) => b.title === 'Indicators');
    expect(block).toBeDefined();
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    const at = (col: number, row: number): ExcelJS.Cell => ws.getRow(row).getCell(col + 1);
    const status = at(block?.columns.status ?? 0, 31);
    // The Status cell shows the word of the code its helper computes, read from the workbook's status table (the
    // column of this row's no-status word); the Trend cell reads the trend table by code and by which way it moved.
    expect(status.formula).toMatch(/^INDEX\(Scorecard_Status,[A-Z]+31,\d\)$/);
    expect(status.result).toBe('■ Red');
    expect(at(block?.columns.trend ?? 0, 30).formula).toMatch(/^INDEX\(Scorecard_Trend,[A-Z]+30\+1,2-\([A-Z]+30>[A-Z]+30\)\)$/);
    expect(at(block?.columns.trend ?? 0, 30).result).toBe('↑ worsening'); // 29.87% → 32.6% where lower is better: the value rose, the word judges it
    expect(at(block?.columns.target ?? 0, 26).value).toBe('≥ 88% (Primary)');
    // Latest: the newest period holding a number, found without one IF per period column.
    const position = String.fromCharCode(65 + (block?.columns.latestIndex ?? 0));
    expect(at(block?.columns.latest ?? 0, 31).formula).toBe(`IF(${position}31,CHOOSE(${position}31,C31,D31,E31),"")`);
    expect(at(block?.columns.latestIndex ?? 0, 31).formula).toBe('MAX(ISNUMBER(C31),ISNUMBER(D31)*2,ISNUMBER(E31)*3)');
    expect(at(block?.columns.status ?? 0, 24).value).toBe('Status');
  });

  it('defines the status and trend words once, as array constants the file keeps, and keeps a user\'s own constant names', async () => {
    const wb = typedSeed(SEEDS[0]);
    wb.definedNames.model = [...wb.definedNames.model, { name: 'TaxRate', ranges: ['0.2'] }];
    const { wb: written } = await refreshed(wb);
    const back = await roundTrip(written);
    const names = new Map((back.definedNames.model as Array<{ name: string; ranges: string[] }>).map((n) => [n.name, n.ranges.join(',')]));
    for (const [name, rows] of Object.entries(WORD_LISTS)) expect(names.get(name)).toBe(arrayConstant(rows));
    expect(names.get('Scorecard_Status')).toContain('"■ Red"');
    expect(names.get('Scorecard_Trend')).toContain('"↓ improving"');
    expect(names.get('TaxRate')).toBe('0.2');
    // A second refresh of the written file defines each word table once, as before.
    const again = await roundTrip((await refreshed(back)).wb);
    const model = again.definedNames.model as Array<{ name: string }>;
    expect(model.filter((n) => n.name === 'Scorecard_Status')).toHaveLength(1);
    expect(model.filter((n) => n.name === 'TaxRate')).toHaveLength(1);
  });

  it('adds a fixed number of conditional-format rules per table, keyed on the Status and Trend cells', async () => {
    const { wb, plan } = await refreshed(typedSeed(SEEDS[0]));
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    const rulesPerColumn = plan.blocks.map((b) => (['status', 'latest', 'variance', 'trend'] as const).map((k) => plan.rules.filter((r) => (rangeRects(r.sheet, r.range) ?? [])
      .some((a) => a.left === b.columns[k] && a.right === b.columns[k] && a.top > b.top && a.bottom <= b.bottom)).length));
    // Tables of 2 to 15 rows get the same rules: 4 on Status, 3 on Latest and Variance, 2 on Trend.
    expect(plan.blocks.map((b) => b.bottom - b.top)).toEqual([5, 10, 2, 15]);
    expect(rulesPerColumn).toEqual(plan.blocks.map(() => [4, 3, 3, 2]));
    const status = plan.blocks.find((b) => b.title === 'Indicators');
    const letter = columnLetters(status?.columns.status ?? 0);
    const code = columnLetters(status?.columns.statusCode ?? 0);
    // The four tables are stacked in the same columns: each test is one rule over their four areas, top first, its
    // formula written against the first area's top row, and keyed on the status code, so that renaming a status word
    // never stops the colours.
    expect(plan.rules).toHaveLength(12);
    const green = rulesOf(ws).find((cf) => cf.ref.split(' ').includes(`${letter}25:${letter}32`) && JSON.stringify(cf.rules).includes('=1"'));
    expect(green?.ref).toBe(`${letter}8:${letter}12 ${letter}25:${letter}32 ${letter}37:${letter}38 ${letter}61:${letter}75`);
    expect(JSON.stringify(green?.rules)).toContain(`"$${code}8=1"`);
  });

  it('names each table\'s roles and its block so that a second refresh replaces the block', async () => {
    const { wb } = await refreshed(typedSeed(SEEDS[0]));
    const names = (wb.definedNames.model as Array<{ name: string; ranges: string[] }>).map((n) => n.name);
    expect(names).toEqual(expect.arrayContaining(['Scorecard_Report_Indicators_Target', 'Scorecard_Report_Indicators_Status', 'Scorecard_Report_Outturn_Detail_Block']));
    const block = (wb.definedNames.model as Array<{ name: string; ranges: string[] }>).find((n) => n.name === 'Scorecard_Report_Indicators_Block');
    // Its block shares the columns of the wider table above it (A7:Q12), whose block starts at S.
    expect(parseReference(block?.ranges[0] ?? '')).toEqual({ sheet: 'Report', top: 21, left: 18, bottom: 31, right: 33 });
  });

  it('keeps a user formula in an outturn column a formula, and reads its cached value', async () => {
    const wb = typedSeed(SEEDS[0]);
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    ws.getCell('E29').value = { formula: '0.7+0.02', result: 0.72 } as ExcelJS.CellFormulaValue;
    ws.getCell('E29').numFmt = '0.0%';
    const { wb: out, plan } = await refreshed(wb);
    expect((out.getWorksheet('Report') as ExcelJS.Worksheet).getCell('E29').formula).toBe('0.7+0.02');
    expect(plan.writes.some((w) => w.purpose === 'normalise' && w.row === 28 && w.col === 4)).toBe(false);
  });

  it('keeps a sheet\'s own conditional formats', async () => {
    const wb = typedSeed(SEEDS[0]);
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    ws.addConditionalFormatting({ ref: 'B8:Q12', rules: [{ type: 'expression', priority: 1, formulae: ['B8>900'], style: { font: { bold: true } } } as ExcelJS.ConditionalFormattingRule] });
    const { wb: out } = await refreshed(wb);
    const rules = rulesOf(out.getWorksheet('Report') as ExcelJS.Worksheet);
    expect(rules.filter((r) => r.ref === 'B8:Q12')).toHaveLength(1);
  });

  it('writes nothing for a table with user data where its block would go, and says why', async () => {
    const wb = typedSeed(SEEDS[0]);
    (wb.getWorksheet('Report') as ExcelJS.Worksheet).getCell('L27').value = 'my note';
    const { plan } = await refreshed(wb);
    expect(plan.blocks.map((b) => b.title)).not.toContain('Indicators');
    expect(plan.notices).toEqual([expect.objectContaining({ sheet: 'Report', cell: 'L27', message: expect.stringContaining('No room') })]);
  });

  it('writes text taken from the sheet as text, never as a formula', async () => {
    const wb = typedSeed(SEEDS[1]);
    (wb.getWorksheet('Report') as ExcelJS.Worksheet).getCell('D10').value = '=HYPERLINK("http://x","y")';
    const { wb: out, plan } = await refreshed(wb);
    const block = plan.blocks[0];
    const cell = (out.getWorksheet('Report') as ExcelJS.Worksheet).getRow(10).getCell((block?.columns.target ?? 0) + 1);
    expect(cell.formula).toBeUndefined();
    expect(String(cell.value)).toContain('=HYPERLINK');
  });
});

describe('defined names', () => {
  it('gives two tables with the same title on one sheet names of their own, and keeps names and comments within Excel\'s limits', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    const long = `Indicators ${'very long title '.repeat(20)}`;
    const rows = [
      ['Indicators'], ['Measure', 'Target', '2016/17'], ['Reduce complaints', '<50', '48'], [],
      ['Indicators'], ['Measure', 'Target', '2016/17'], ['Increase satisfaction', '80%', '82%'], [],
      [long], ['Measure', 'Target', '2016/17'], ['Improve attendance', '95%', '94%'],
    ];
    rows.forEach((r, i) => r.forEach((v, c) => { ws.getCell(i + 1, c + 1).value = v; }));
    const plan = refreshWorkbook(wb);
    const names = plan.names.map((n) => n.name);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(['Scorecard_S_Indicators_Block', 'Scorecard_S_Indicators_A6_C7_Block']));
    for (const n of plan.names) {
      expect(n.name.length).toBeLessThanOrEqual(255);
      expect(n.comment.length).toBeLessThanOrEqual(255);
    }
    const again = refreshWorkbook(await roundTrip(wb));
    expect(again.names.map((n) => n.name)).toEqual(names);
  });
});

describe('the user\'s own things around a table', () => {
  it('keeps a user rule that spans a block and one on whole columns, through refresh twice and remove', async () => {
    const wb = typedSeed(SEEDS[0]);
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    ws.addConditionalFormatting({ ref: 'A1:Z100', rules: [{ type: 'expression', priority: 1, formulae: ['FALSE'], style: { font: { italic: true } } } as ExcelJS.ConditionalFormattingRule] });
    ws.addConditionalFormatting({ ref: 'A:Z', rules: [{ type: 'expression', priority: 2, formulae: ['FALSE'], style: { font: { bold: true } } } as ExcelJS.ConditionalFormattingRule] });
    const once = (await refreshed(wb)).wb;
    const twice = (await refreshed(await roundTrip(once))).wb;
    removeFromWorkbook(twice);
    const refs = rulesOf(twice.getWorksheet('Report') as ExcelJS.Worksheet).map((r) => r.ref);
    expect(refs).toEqual(['A1:Z100', 'A:Z']);
  });

  it('does not write into cells merged across the place its block would go, and says so', async () => {
    const wb = typedSeed(SEEDS[0]);
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    ws.getCell('I26').value = 'A note merged across three columns';
    ws.mergeCells('I26:K26');
    const { wb: out, plan } = await refreshed(wb);
    expect(plan.blocks.map((b) => b.title)).not.toContain('Indicators');
    expect(plan.notices[0]?.cell).toBe('J26'); // I26 joins the table; its merge covers J26:K26
    expect((out.getWorksheet('Report') as ExcelJS.Worksheet).getCell('I26').value).toBe('A note merged across three columns');
  });
});

describe('remove after the user has edited', () => {
  it('keeps a value the user typed over a normalised cell after the refresh', async () => {
    const wb = typedSeed(SEEDS[0]);
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    ws.getCell('C26').value = '88.0%';
    ws.getCell('C29').value = '65.0%';
    const { wb: out } = await refreshed(wb);
    (out.getWorksheet('Report') as ExcelJS.Worksheet).getCell('C26').value = 0.93;
    removeFromWorkbook(out);
    const back = out.getWorksheet('Report') as ExcelJS.Worksheet;
    expect(back.getCell('C26').value).toBe(0.93);
    expect(back.getCell('C29').value).toBe('65.0%');
  });
});

describe('formula size', () => {
  const bytes = (f: string): number => new TextEncoder().encode(f).length;
  /** Deepest nesting of parentheses outside text: an upper bound on a formula's function nesting. */
  const depth = (f: string): number => {
    let d = 0;
    let max = 0;
    for (const ch of f.replace(/"(?:[^"]|"")*"/g, '')) {
      if (ch === '(') max = Math.max(max, ++d);
      else if (ch === ')') d--;
    }
    return max;
  };

  it('writes no more than 600 bytes of formulas per judged row on the bundled example', () => {
    const plan = refreshWorkbook(buildExampleWorkbook());
    const perRow = new Map<string, number>();
    for (const w of plan.writes) {
      if (w.purpose === 'block' && w.value.kind === 'formula') perRow.set(`${w.sheet}!${w.row}`, (perRow.get(`${w.sheet}!${w.row}`) ?? 0) + bytes(w.value.formula));
    }
    const total = [...perRow.values()].reduce((a, b) => a + b, 0);
    expect(perRow.size).toBeGreaterThan(60);
    expect(total / perRow.size).toBeLessThanOrEqual(600);
  });

  it('nests no formula deeper than Excel allows on a 72-month series', () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const header = ['Measure', ...Array.from({ length: 72 }, (_, i) => `${months[i % 12] ?? ''}-${12 + Math.floor(i / 12)}`)];
    const rows = [header, ...['FTE', 'Headcount', 'Absence days per FTE'].map((m, r) => [m, ...Array.from({ length: 72 }, (_, i) => String(300 + ((i * 7 + r) % 11)))])];
    const plan = planRefresh({ sheets: [{ name: 'Series', rows: rows.map((r) => r.map((t) => ({ value: t, text: t }))) }] });
    const formulas = plan.writes.flatMap((w) => (w.value.kind === 'formula' ? [w.value.formula] : []));
    expect(plan.blocks).toHaveLength(1);
    expect(formulas.length).toBeGreaterThan(10);
    expect(Math.max(...formulas.map(depth))).toBeLessThanOrEqual(64);
    expect(Math.max(...formulas.map((f) => f.length))).toBeLessThanOrEqual(8192);
  });
});

describe('the Scorecard summary sheet', () => {
  it('is written by a refresh: counts by COUNTIF over the Status codes with the engine\'s counts cached, exceptions with links, one page wide', async () => {
    const { wb, plan } = await refreshed(typedSeed(SEEDS[0]));
    const ws = wb.getWorksheet(SUMMARY_SHEET) as ExcelJS.Worksheet;
    expect(ws).toBeDefined();
    expect(wb.worksheets[wb.worksheets.length - 1]?.name).toBe(SUMMARY_SHEET);
    const indicators = plan.evaluation.tables.findIndex((t) => t.table.title === 'Indicators');
    const row = ws.getRow(5 + indicators);
    expect(row.getCell(1).value).toBe('Report › Indicators');
    const counts = (['green', 'amber', 'red', 'none'] as const).map((s) => plan.evaluation.tables[indicators]?.rows.filter((r) => r.status === s).length);
    expect([2, 3, 4, 5].map((c) => row.getCell(c).result)).toEqual(counts);
    expect(row.getCell(2).formula).toMatch(/^COUNTIF\('?Report'?!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+,1\)$/);
    expect(typeof row.getCell(6).result).toBe('string');
    // Every red and amber row is listed with a link to its measure.
    const exceptions = plan.evaluation.tables.flatMap((t) => t.rows).filter((r) => r.status === 'red' || r.status === 'amber');
    const links: string[] = [];
    ws.eachRow((r) => {
      const f = r.getCell(7).formula;
      if (f !== undefined) links.push(f);
    });
    expect(links).toHaveLength(exceptions.length);
    expect(links[0]).toMatch(/^HYPERLINK\("#'?Report'?!A\d+","A\d+"\)$/);
    expect(ws.pageSetup.printArea).toMatch(/^A1:G\d+$/);
    expect([ws.pageSetup.fitToPage, ws.pageSetup.fitToWidth, ws.pageSetup.fitToHeight]).toEqual([true, 1, 0]);
    const names = wb.definedNames.model as Array<{ name: string; ranges: string[] }>;
    expect(names.find((n) => n.name === SUMMARY_NAME)?.ranges).toEqual([`'${SUMMARY_SHEET}'!$A$1`]);
  });

  it('writes the summary\'s text as text, never as a formula', async () => {
    const wb = typedSeed(SEEDS[1]);
    const { wb: out } = await refreshed(wb);
    const ws = out.getWorksheet(SUMMARY_SHEET) as ExcelJS.Worksheet;
    ws.eachRow((r) => r.eachCell((c) => {
      if (c.type === ExcelJS.ValueType.Formula) expect(c.formula).toMatch(/^(COUNTIF|REPT|IF|HYPERLINK)\(/);
    }));
    expect(ws.getCell('A1').value).toBe('Scorecard summary');
  });

  it('leaves a user\'s own sheet called "Scorecard summary" alone, through refresh, refresh again and remove', async () => {
    const wb = typedSeed(SEEDS[1]);
    wb.addWorksheet(SUMMARY_SHEET).getCell('A1').value = 'my own notes';
    const original = dumpWorkbook(await roundTrip(wb));
    const once = (await refreshed(wb)).wb;
    expect(once.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining([SUMMARY_SHEET, `${SUMMARY_SHEET} 2`]));
    expect(once.getWorksheet(SUMMARY_SHEET)?.getCell('A1').value).toBe('my own notes');
    const twice = (await refreshed(await roundTrip(once))).wb;
    expect(dumpWorkbook(twice)).toEqual(dumpWorkbook(once));
    removeFromWorkbook(twice);
    expect(dumpWorkbook(await roundTrip(twice))).toEqual(original);
  });
});

describe('arrows and formats in the block', () => {
  function sheetOf(rows: Array<Array<string | number>>, formats: Record<string, string> = {}): ExcelJS.Workbook {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    rows.forEach((r, i) => r.forEach((v, c) => { ws.getCell(i + 1, c + 1).value = v; }));
    for (const [cell, fmt] of Object.entries(formats)) ws.getCell(cell).numFmt = fmt;
    return wb;
  }

  it.each([
    ['a rate that fell where lower is better', 'Staff turnover', 0.19, 0.18, 'Lower is better', '↓ improving'],
    ['a rate that rose where lower is better', 'Staff turnover', 0.18, 0.19, 'Lower is better', '↑ worsening'],
    ['a rate that rose where higher is better', 'Satisfaction', 0.8, 0.85, 'Greater is better', '↑ improving'],
    ['a rate that fell where higher is better', 'Satisfaction', 0.85, 0.8, 'Greater is better', '↓ worsening'],
  ])('shows the arrow of the value and the word of the judgement: %s', async (_what, measure, before, after, polarity, shown) => {
    const wb = sheetOf([['Measure', 'Target', '2015/16', '2016/17', 'Polarity'], [measure, 0.5, before, after, polarity]], { B2: '0%', C2: '0%', D2: '0%' });
    const { wb: out, plan } = await refreshed(wb);
    const block = plan.blocks[0];
    expect((out.getWorksheet('S') as ExcelJS.Worksheet).getRow(2).getCell((block?.columns.trend ?? 0) + 1).result).toBe(shown);
  });

  it('gives budget variances the table\'s own format when it shows negatives in brackets', async () => {
    const wb = sheetOf([
      ['Service', 'Budget £000', 'Forecast £000', 'Variance £000'],
      ['Libraries', 2749, 2465, -284], ['Parks', 1200, 1216, 16], ['Leisure', 800, 790, -10],
    ], { D2: '#,##0;(#,##0)', D3: '#,##0;(#,##0)', D4: '#,##0;(#,##0)' });
    const { wb: out, plan } = await refreshed(wb);
    const block = plan.blocks[0];
    const variance = (out.getWorksheet('S') as ExcelJS.Worksheet).getRow(2).getCell((block?.columns.variance ?? 0) + 1);
    expect(plan.evaluation.tables[0]?.table.kind).toBe('budget');
    expect([variance.result, variance.numFmt]).toEqual([-284, '#,##0;(#,##0)']);
  });
});

describe('placement that keeps the user\'s text readable', () => {
  const narrative = 'This figure may appear lower than last year because the way absences are recorded changed in April';

  function book(rows: Array<Array<string | number>>): ExcelJS.Workbook {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    rows.forEach((r, i) => r.forEach((v, c) => { ws.getCell(i + 1, c + 1).value = v; }));
    return wb;
  }

  it('widens its own spacer column so that a narrative that ran on shows its first 60 characters, and puts the width back on removal', async () => {
    const rows = [['Measure', 'Target', '2015/16', '2016/17', 'Narrative'], ['Satisfaction', '80%', '76%', '82%', narrative], ['Complaints', '<100', '90', '120', 'Short note']];
    const original = dumpWorkbook(await roundTrip(book(rows)));
    const { wb, plan } = await refreshed(book(rows));
    const block = plan.blocks[0];
    const ws = wb.getWorksheet('S') as ExcelJS.Worksheet;
    const spacer = ws.getColumn(block?.left ?? 0);
    // The last column at the standard 8.43 characters plus the spacer show at least 60 characters.
    expect(8.43 + (spacer.width ?? 8.43)).toBeGreaterThanOrEqual(60);
    expect(ws.getCell('E2').value).toBe(narrative);
    removeFromWorkbook(wb);
    expect(dumpWorkbook(await roundTrip(wb))).toEqual(original);
  });

  it('leaves the spacer at its width when nothing runs on', async () => {
    const { wb, plan } = await refreshed(book([['Measure', 'Target', '2016/17'], ['Satisfaction', '80%', '82%']]));
    expect((wb.getWorksheet('S') as ExcelJS.Worksheet).getColumn(plan.blocks[0]?.left ?? 0).width).toBeUndefined();
  });

  it('gives stacked tables of different widths one left and one layout: no helper shows, Target (as read) fits', async () => {
    const { wb, plan } = await refreshed(typedSeed(SEEDS[0]));
    const ws = wb.getWorksheet('Report') as ExcelJS.Worksheet;
    expect(plan.blocks.map((b) => b.tableRange)).toEqual(['A7:Q12', 'A22:H32', 'A36:E38', 'A60:F75']);
    expect(new Set(plan.blocks.map((b) => b.left))).toEqual(new Set([18]));
    const block = plan.blocks[1];
    for (const k of ['previous', 'min', 'max', 'statusCode', 'trendCode'] as const) expect(ws.getColumn((block?.columns[k] ?? 0) + 1).hidden).toBe(true);
    const targets = plan.writes.filter((w) => w.col === block?.columns.target && w.value.kind === 'text' && w.style?.wrap !== true);
    const longest = Math.max(...targets.map((w) => (w.value.kind === 'text' ? [...w.value.text].length : 0)));
    expect(ws.getColumn((block?.columns.target ?? 0) + 1).width).toBeGreaterThanOrEqual(longest);
    for (const k of ['status', 'trend'] as const) expect(ws.getColumn((block?.columns[k] ?? 0) + 1).hidden).toBe(false);
  });

  it('gives tables stacked in the same columns one layout: helpers hidden, visible columns sized', async () => {
    const { wb, plan } = await refreshed(book([
      ['Indicators'], ['Measure', 'Target', '2016/17'], ['Reduce complaints', '<50', '48'], ['Answer calls', '90%', '85%'], [],
      ['Housing'], ['Measure', 'Target', '2016/17'], ['Homes let', '300', '280'], ['Days to relet', '<30', '28'],
    ]));
    expect(plan.blocks).toHaveLength(2);
    expect(plan.blocks[0]?.left).toBe(plan.blocks[1]?.left);
    const ws = wb.getWorksheet('S') as ExcelJS.Worksheet;
    const block = plan.blocks[0];
    expect(ws.getColumn((block?.columns.target ?? 0) + 1).width).toBe(22);
    expect(ws.getColumn((block?.columns.trend ?? 0) + 1).hidden).toBe(false);
    for (const k of ['previous', 'min', 'max', 'statusCode', 'trendCode'] as const) expect(ws.getColumn((block?.columns[k] ?? 0) + 1).hidden).toBe(true);
  });
});
