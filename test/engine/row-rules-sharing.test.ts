import { BLANK, evaluateBlock, numberValue, PeriodRowShape, resumeBlock, RowCells, rowRules, textValue, ValueTerm } from '../../src/engine/rules';

/** A monthly row of three months with a target of at least `min`, its middle month read through the given term. */
function monthlyRow(middle: ValueTerm, min = 10): PeriodRowShape {
  return {
    kind: 'series', polarity: 'higher', displayDecimals: 0, accumulates: false, scale: 1,
    min: { kind: 'constant', value: min }, max: { kind: 'none' }, minInclusive: true, maxInclusive: true,
    green: { relative: 0, absolute: 0 }, amber: { relative: 0.05, absolute: 0 }, noStatus: 'noTarget',
    periods: [
      { term: { kind: 'cell', role: 'jan', divisor: 1 }, start: 24_000, end: 24_000 },
      { term: middle, start: 24_001, end: 24_001 },
      { term: { kind: 'cell', role: 'mar', divisor: 1 }, start: 24_002, end: 24_002 },
    ],
    previousRanks: [[0, 0, 0], [3, 0, 0], [3, 3, 0]],
  };
}

const cells: RowCells = { jan: numberValue(8), feb: textValue('13 ¹'), mar: BLANK };

describe('row rules: rows of one shape share their rules', () => {
  it('shares the rules of rows that differ only in the readings of their text cells, each with its own reading', () => {
    const a = rowRules(monthlyRow({ kind: 'reading', role: 'feb', value: 13 }));
    const b = rowRules(monthlyRow({ kind: 'reading', role: 'feb', value: 9 }));
    expect(a.rules).toBe(b.rules);
    expect(a.readings).toEqual({ 'feb:reading': 13 });
    expect(b.readings).toEqual({ 'feb:reading': 9 });
    expect(evaluateBlock(a, cells).statusCode).not.toEqual(evaluateBlock(b, cells).statusCode);
  });

  it.each<[string, PeriodRowShape]>([
    ['a typed cell in place of a reading', monthlyRow({ kind: 'cell', role: 'feb', divisor: 1 })],
    ['a reading divided by 100', monthlyRow({ kind: 'reading', role: 'feb', value: 13, divisor: 100 })],
    ['another target', monthlyRow({ kind: 'reading', role: 'feb', value: 13 }, 12)],
    ['other previous-value ranks', { ...monthlyRow({ kind: 'reading', role: 'feb', value: 13 }), previousRanks: [[0, 0, 0], [1, 0, 0], [1, 1, 0]] }],
  ])('gives other rules to a row with %s', (_what, shape) => {
    expect(rowRules(shape).rules).not.toBe(rowRules(monthlyRow({ kind: 'reading', role: 'feb', value: 13 })).rules);
  });

  it('gives a row with no text cells read as numbers no readings', () => {
    expect(rowRules(monthlyRow({ kind: 'cell', role: 'feb', divisor: 1 })).readings).toBeUndefined();
  });
});

describe('resumeBlock', () => {
  it.each<[string, PeriodRowShape]>([
    ['a reading', monthlyRow({ kind: 'reading', role: 'feb', value: 13 })],
    ['typed cells', monthlyRow({ kind: 'cell', role: 'feb', divisor: 1 })],
  ])('finishes a part-evaluated block of %s as a whole evaluation does', (_what, shape) => {
    const block = rowRules(shape);
    const part = evaluateBlock(block, cells, 'previousIndex');
    expect(Object.keys(part).length).toBeLessThan(block.rules.length);
    expect(resumeBlock(block, cells, part)).toEqual(evaluateBlock(block, cells));
  });
});
