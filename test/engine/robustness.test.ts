import fc from 'fast-check';
import { CellSnapshot, evaluateWorkbook, parseCell, parsePeriod, parseTarget, planRefresh, WorkbookSnapshot } from '../../src/engine';

/** Strings built from the pieces real scorecards are made of, so that the generator reaches the parsers' corners. */
const scorecardText = fc.array(fc.constantFrom(
  '88.0%', '(284)', '£', 'k', '240', '-', '–', ' ', '¹', '**', '*Jan-Oct', '(395/1221)', '/', '=', 'Attainment GAP', '>', '<', '≥',
  'N/A', 'ANNUAL', 'TBC', 'Q3', '2016/17', '2013-14', 'Dec-15', 'End-of-year', 'reduction', 'increase', '[a]', '[b]', 'Primary', '%',
  '16', ' - ', '18', 'Years', 'Interim', '173rd', '0', '.', ',', '(', ')', '#DIV/0!', 'better', 'Lower is better', '▲', '▼',
), { maxLength: 8 }).map((parts) => parts.join(''));

const anyText = fc.oneof(scorecardText, fc.string({ maxLength: 30 }));

const anyCell: fc.Arbitrary<CellSnapshot | undefined> = fc.oneof(
  fc.constant(undefined),
  anyText.map((t) => ({ value: t, text: t })),
  fc.tuple(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.constantFrom('General', '0.0%', '#,##0;(#,##0)', '"£"#,##0', 'mmm-yy'))
    .map(([n, numberFormat]) => ({ value: n, text: String(n), numberFormat })),
  fc.constant({ value: { error: '#N/A' }, text: '#N/A' }),
);

const anyWorkbook: fc.Arbitrary<WorkbookSnapshot> = fc.array(fc.array(anyCell, { maxLength: 8 }), { maxLength: 14 })
  .map((rows) => ({ sheets: [{ name: 'S', rows }] }));

describe('messy input never throws', () => {
  it('parseCell, parseTarget and parsePeriod return a reading for any text', () => {
    fc.assert(fc.property(anyText, (t) => {
      expect(parseCell({ value: t, text: t }).kind).toBeDefined();
      parseTarget(t);
      parsePeriod(t, 2016);
    }), { numRuns: 3000 });
  });

  it('evaluation and the write plan take any grid, and a status is always one of the four', () => {
    fc.assert(fc.property(anyWorkbook, (wb) => {
      const plan = planRefresh(wb);
      for (const t of evaluateWorkbook(wb).tables) for (const r of t.rows) expect(['green', 'amber', 'red', 'none']).toContain(r.status);
      for (const w of plan.writes) expect(w.sheet).toBe('S');
    }), { numRuns: 400 });
  });

  it('plans deterministically: the same workbook always gives the same writes', () => {
    fc.assert(fc.property(anyWorkbook, (wb) => {
      const first = planRefresh(wb);
      expect(planRefresh(wb).writes).toEqual(first.writes);
    }), { numRuns: 200 });
  });
});
