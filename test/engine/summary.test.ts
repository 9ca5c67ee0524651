import { HyperFormula } from 'hyperformula';
import { evaluateWorkbook } from '../../src/engine/evaluate';
import { planRefresh, planRemoval, SUMMARY_NAME } from '../../src/engine/plan';
import { planSummary, SUMMARY_SHEET, SummaryBlock } from '../../src/engine/summary';
import { STATUS_CODE } from '../../src/engine/rules/vocabulary';
import { grid } from '../support/grid';

const workbook = grid([
  ['Measure', 'Target', '2015/16', '2016/17', 'Polarity'],
  ['Satisfaction with libraries', '80%', '76%', '82%', 'Greater is better'],
  ['Missed bin collections', '<100', '90', '120', 'Lower is better'],
  ['Calls answered', '90%', '88%', '86.5%', 'Greater is better'],
  ['Visits per head', '', '4.1', '4.3', ''],
], 'Q1');
const evaluation = evaluateWorkbook(workbook);
// A block beside the table: Status code in H, Status in I, Latest in J, Variance in K, Target (as read) in L.
const blocks: SummaryBlock[] = [{ sheet: 'Q1', tableRange: evaluation.tables[0]?.table.range ?? '', columns: { statusCode: 7, status: 8, latest: 9, variance: 10, target: 11 } }];
const plan = planSummary(evaluation, blocks);
const at = (row: number, col: number) => plan.cells.find((c) => c.row === row && c.col === col)?.value;

describe('the Scorecard summary sheet', () => {
  it('counts each status with COUNTIF over the block\'s status codes, quoting the sheet name, with the engine\'s counts cached', () => {
    expect(plan.sheet).toBe(SUMMARY_SHEET);
    expect(at(4, 1)).toEqual({ kind: 'formula', formula: "=COUNTIF('Q1'!$H$2:$H$5,1)", cached: 1 });
    expect([2, 3, 4].map((c) => at(4, c))).toEqual([
      expect.objectContaining({ cached: 1 }), expect.objectContaining({ cached: 1 }), expect.objectContaining({ formula: "=COUNTIF('Q1'!$H$2:$H$5,\">=4\")", cached: 1 }),
    ]);
  });

  it('lists every red and amber row, red first, with a link to its row and its reason', () => {
    const statuses = plan.cells.filter((c) => c.col === 0 && c.value.kind === 'formula' && /I\$\d/.test(c.value.formula)).map((c) => (c.value.kind === 'formula' ? c.value.cached : ''));
    expect(statuses).toEqual(['■ Red', '▲ Amber']);
    const links = plan.cells.filter((c) => c.col === 6 && c.value.kind === 'formula').map((c) => (c.value.kind === 'formula' ? c.value.formula : ''));
    expect(links).toEqual(['=HYPERLINK("#\'Q1\'!A3","A3")', '=HYPERLINK("#\'Q1\'!A4","A4")']);
    expect(plan.cells.filter((c) => c.col === 5 && c.value.kind === 'text' && c.bold !== true).map((c) => (c.value.kind === 'text' ? c.value.text : ''))).toEqual([
      expect.stringMatching(/^Red: 120 is 20% above the < 100 maximum/), expect.stringMatching(/^Amber: 86.5% is 3.5 pp below the ≥ 90% minimum/),
    ]);
    expect(plan.chart?.series.map((s) => s.name)).toEqual(['Green', 'Amber', 'Red', 'No status']);
  });

  it('recalculates to the cached counts and bar in a real formula engine, and follows a status that changes', () => {
    const hf = HyperFormula.buildEmpty({ licenseKey: 'gpl-v3' });
    const q1 = hf.getSheetId(hf.addSheet('Q1')) as number;
    const codes = evaluation.tables[0]?.rows.map((r) => STATUS_CODE[r.status === 'none' ? 'noStatus' : r.status]) ?? [];
    codes.forEach((code, i) => hf.setCellContents({ sheet: q1, row: 1 + i, col: 7 }, [[code]]));
    const summary = hf.getSheetId(hf.addSheet('Summary')) as number;
    for (const c of plan.cells) {
      if (c.value.kind !== 'formula' || c.col > 5) continue;
      hf.setCellContents({ sheet: summary, row: c.row, col: c.col }, [[c.value.formula.replace(/'Q1'!/g, 'Q1!')]]);
    }
    const counts = [1, 2, 3, 4].map((col) => hf.getCellValue({ sheet: summary, row: 4, col }));
    expect(counts).toEqual([1, 1, 1, 1]);
    expect(hf.getCellValue({ sheet: summary, row: 4, col: 5 })).toBe(at(4, 5)?.kind === 'formula' ? (at(4, 5) as { cached: string }).cached : '');
    // The amber row is put right: the counts and the bar follow.
    hf.setCellContents({ sheet: q1, row: 3, col: 7 }, [[STATUS_CODE.green]]);
    expect([1, 2, 3, 4].map((col) => hf.getCellValue({ sheet: summary, row: 4, col }))).toEqual([2, 0, 1, 1]);
    expect(hf.getCellValue({ sheet: summary, row: 4, col: 5 })).toBe('●●■○');
  });
});

describe('the summary sheet in the write plan', () => {
  it('plans a "Scorecard summary" sheet, named apart from a user\'s own sheet of that name', () => {
    expect(planRefresh(workbook).summary?.sheet).toBe(SUMMARY_SHEET);
    const withUsers = { sheets: [...workbook.sheets, { name: 'Scorecard Summary', rows: [[{ value: 'my notes', text: 'my notes' }]] }] };
    const plan = planRefresh(withUsers);
    expect(plan.summary?.sheet).toBe(`${SUMMARY_SHEET} 2`);
    expect(plan.replaceSummarySheet).toBeNull();
  });

  it('knows its own summary sheet by the defined name: replaced on refresh, left out of detection, deleted by remove', () => {
    const summaryRows = [[{ value: 'Table', text: 'Table' }, { value: 'Green', text: 'Green' }, { value: 'Target', text: 'Target' }, { value: '2016/17', text: '2016/17' }],
      [{ value: 'Q1 › A1:E5', text: 'Q1 › A1:E5' }, { value: 1, text: '1' }, { value: '80%', text: '80%' }, { value: '82%', text: '82%' }]];
    const refreshed = { sheets: [...workbook.sheets, { name: SUMMARY_SHEET, rows: summaryRows }], names: [{ name: SUMMARY_NAME, reference: `'${SUMMARY_SHEET}'!$A$1` }] };
    const plan = planRefresh(refreshed);
    expect(plan.replaceSummarySheet).toBe(SUMMARY_SHEET);
    expect(plan.summary?.sheet).toBe(SUMMARY_SHEET);
    expect(plan.evaluation.tables.map((t) => t.table.sheet)).toEqual(['Q1']);
    expect(planRemoval(refreshed).removeSummarySheet).toBe(SUMMARY_SHEET);
    expect(planRemoval(workbook).removeSummarySheet).toBeNull();
  });
});
