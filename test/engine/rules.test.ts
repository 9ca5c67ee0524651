import { formatTolerance, isTolerance, parseTolerance } from '../../src/engine/judge';
import {
  abs, add, and, BLANK, bool, call, div, emitFormula, eq, errorValue, evaluateRule, excelRound, Expr, foldRule,
  FormulaTooDeepError, FormulaTooLongError, ge, gt, iff, isNumber, lt, MAX_FORMULA_LENGTH, measureBlock, mul, ne, neg,
  nestingDepth, num, numberValue, PeriodRowShape, plainNumber, ref, RowCells, rowRules, RuleArityError, RuleNumberError,
  RuleTextTooLongError, RuleValue, showValue, statusText, sub, text, textValue, trendText, UnknownRoleError,
  UnplacedRoleError, concat, booleanValue, le, evaluateBlock, emitBlock, lookupWord, NoStatusKey, noStatusColumn, TrendKey,
  TREND_CODE, TREND_COLUMN, arrayConstant, WORD_LISTS,
} from '../../src/engine/rules';

const cells: RowCells = {
  n: numberValue(5), zero: numberValue(0), blank: BLANK, empty: textValue(''), word: textValue('N/A'),
  digits: textValue('12'), yes: booleanValue(true), na: errorValue('#N/A'), div0: errorValue('#DIV/0!'),
};
const show = (e: Expr): string => showValue(evaluateRule(e, cells));

describe('evaluateRule: spreadsheet semantics', () => {
  it.each<[string, Expr, string]>([
    ['a blank cell is 0 in arithmetic', add(ref('blank'), num(1)), '1'],
    ['a blank cell equals ""', eq(ref('blank'), text('')), 'TRUE'],
    ['a blank cell equals 0', eq(ref('blank'), num(0)), 'TRUE'],
    ['"" is not 0', eq(ref('empty'), num(0)), 'FALSE'],
    ['"" in arithmetic is #VALUE!', add(ref('empty'), num(1)), '#VALUE!'],
    ['numeric text is a number in arithmetic', add(ref('digits'), num(1)), '13'],
    ['numeric text is not a number to ISNUMBER', isNumber(ref('digits')), 'FALSE'],
    ['text never equals a number', eq(ref('digits'), num(12)), 'FALSE'],
    ['text sorts above every number', gt(ref('word'), num(1e9)), 'TRUE'],
    ['TRUE sorts above text', gt(ref('yes'), ref('word')), 'TRUE'],
    ['text compares without case', eq(text('Green'), text('GREEN')), 'TRUE'],
    ['TRUE is 1 in arithmetic', mul(ref('yes'), num(3)), '3'],
    ['the left error wins', add(ref('na'), ref('div0')), '#N/A'],
    ['an error passes through a comparison', lt(ref('div0'), num(1)), '#DIV/0!'],
    ['division by zero', div(num(1), ref('zero')), '#DIV/0!'],
    ['IF evaluates only the branch it takes', iff(bool(true), num(1), ref('na')), '1'],
    ['IF on text that is not TRUE/FALSE', iff(ref('word'), num(1), num(2)), '#VALUE!'],
    ['IF on a blank cell is FALSE', iff(ref('blank'), num(1), num(2)), '2'],
    ['IF without else gives FALSE', call('IF', bool(false), num(1)), 'FALSE'],
    ['AND ignores text in a referenced cell', and(ref('word'), bool(true)), 'TRUE'],
    ['AND on a text literal', and(text('x'), bool(true)), '#VALUE!'],
    ['AND passes an error on', and(bool(false), ref('na')), '#N/A'],
    ['MAX ignores text and blanks in cells', call('MAX', ref('word'), ref('blank'), num(-2)), '-2'],
    ['MAX of nothing numeric is 0', call('MAX', ref('word')), '0'],
    ['MAX counts a logical computed in place', call('MAX', isNumber(ref('n'))), '1'],
    ['COUNT counts numbers only in cells', call('COUNT', ref('n'), ref('digits'), ref('blank'), ref('na')), '1'],
    ['CHOOSE picks by position', call('CHOOSE', num(2), text('a'), text('b')), '"b"'],
    ['CHOOSE out of range', call('CHOOSE', num(3), text('a'), text('b')), '#VALUE!'],
    ['CHOOSE evaluates only what it picks', call('CHOOSE', num(1), num(7), ref('na')), '7'],
    ['ROUND rounds halves away from zero', call('ROUND', num(-2.5), num(0)), '-3'],
    ['ROUND works on the decimal a cell shows (0.285 → 0.29)', call('ROUND', num(0.285), num(2)), '0.29'],
    ['MOD takes the divisor\'s sign', call('MOD', num(-7), num(3)), '2'],
    ['SIGN of a negative', call('SIGN', num(-0.5)), '-1'],
    ['N of text is 0', call('N', ref('word')), '0'],
    ['ISBLANK is false for ""', call('ISBLANK', ref('empty')), 'FALSE'],
    ['ISBLANK is true for an empty cell', call('ISBLANK', ref('blank')), 'TRUE'],
    ['numbers equal to 13 digits compare equal', le(sub(num(0.9), num(0.855)), mul(num(0.05), num(0.9))), 'TRUE'],
    ['a difference that cancels is 0', sub(add(num(0.1), num(0.2)), num(0.3)), '0'],
    ['text joins', concat(text('○ '), text('No data')), '"○ No data"'],
    ['a number joins as General shows it', concat(text('x'), num(0.1)), '"x0.1"'],
    ['negation of a blank is 0', neg(ref('blank')), '0'],
  ])('%s', (_name, expr, expected) => {
    expect(show(expr)).toBe(expected);
  });

  it('shows 0 for a formula that ends on an empty cell', () => {
    expect(evaluateRule(ref('blank'), cells)).toEqual(numberValue(0));
  });

  it('matches Excel ROUND on values binary floating point holds just below a half', () => {
    expect(excelRound(1.005, 2)).toBe(1.01);
    expect(excelRound(2.675, 2)).toBe(2.68);
    expect(excelRound(1234.5678, -2)).toBe(1200);
  });

  describe('rejects', () => {
    it('a role with no cell', () => {
      expect(() => evaluateRule(ref('missing'), cells)).toThrow(UnknownRoleError);
    });
  });
});

const placement = { row: 4, columns: { latest: 9, min: 23, target: 3, n: 4 } };

describe('emitFormula: Excel text', () => {
  it.each<[string, Expr, string]>([
    ['references the row\'s own cells by role', sub(ref('latest'), ref('min')), '=J5-X5'],
    ['doubles quotes inside text', text('say "no"'), '="say ""no"""'],
    ['writes numbers without exponents', num(1e-9), '=0.000000001'],
    ['writes large numbers in full', num(123456789012), '=123456789012'],
    ['keeps 15 significant digits of a number', num(0.1 + 0.2), '=0.3'],
    ['writes logicals as functions every engine reads', bool(true), '=TRUE()'],
    ['brackets a sum under a product', mul(add(ref('latest'), num(1)), num(100)), '=(J5+1)*100'],
    ['leaves a product under a sum bare', add(mul(ref('latest'), num(100)), num(1)), '=J5*100+1'],
    ['brackets the right side of a difference', sub(ref('latest'), sub(ref('min'), num(1))), '=J5-(X5-1)'],
    ['brackets a negated sum', neg(add(ref('latest'), num(1))), '=-(J5+1)'],
    ['writes a negative literal as it is', mul(ref('latest'), num(-1)), '=J5*-1'],
    ['brackets a comparison inside arithmetic', mul(ref('n'), gt(ref('latest'), num(2))), '=E5*(J5>2)'],
    ['uses English names and commas', iff(isNumber(ref('latest')), abs(ref('latest')), text('')), '=IF(ISNUMBER(J5),ABS(J5),"")'],
    ['writes <> for not equal', ne(ref('latest'), num(0)), '=J5<>0'],
  ])('%s', (_name, expr, expected) => {
    expect(emitFormula(expr, placement)).toBe(expected);
  });

  it.each<[string, string]>([
    ['Q3 KPIs', "='Q3 KPIs'!J5"],
    ["Children's", "='Children''s'!J5"],
    ['Indicators', '=Indicators!J5'],
  ])('qualifies references with the sheet %s when asked', (sheet, expected) => {
    expect(emitFormula(ref('latest'), { ...placement, sheet })).toBe(expected);
  });

  it('writes each row its own row number when rows share one placement of columns', () => {
    const rule = iff(isNumber(ref('latest')), sub(ref('latest'), ref('min')), text(''));
    expect(emitFormula(rule, { ...placement, row: 4 })).toBe('=IF(ISNUMBER(J5),J5-X5,"")');
    expect(emitFormula(rule, { ...placement, row: 119 })).toBe('=IF(ISNUMBER(J120),J120-X120,"")');
  });

  it('writes text holding control characters as it is, at the right row', () => {
    const rule = iff(eq(ref('latest'), text('a\u0000b\u0001c')), num(1), ref('min'));
    expect(emitFormula(rule, { ...placement, row: 9 })).toBe('=IF(J10="a\u0000b\u0001c",1,X10)');
  });

  it('measures nesting by function levels', () => {
    expect(nestingDepth(num(1))).toBe(0);
    expect(nestingDepth(iff(gt(abs(ref('n')), num(1)), num(1), num(2)))).toBe(2);
  });

  describe('rejects', () => {
    it('nesting deeper than Excel allows', () => {
      let e: Expr = ref('latest');
      for (let i = 0; i < 65; i++) e = abs(e);
      expect(() => emitFormula(e, placement)).toThrow(FormulaTooDeepError);
      let ok: Expr = ref('latest');
      for (let i = 0; i < 64; i++) ok = abs(ok);
      expect(() => emitFormula(ok, placement)).not.toThrow();
    });
    it('a formula longer than Excel allows', () => {
      const terms = Array.from({ length: 250 }, () => text('x'.repeat(40)));
      const long = terms.reduce((a, b) => concat(a, b));
      expect(() => emitFormula(long, placement)).toThrow(FormulaTooLongError);
      expect(MAX_FORMULA_LENGTH).toBe(8192);
    });
    it('a role the placement does not place', () => {
      expect(() => emitFormula(ref('nowhere'), placement)).toThrow(UnplacedRoleError);
    });
    it('text literals longer than 255 characters', () => {
      expect(() => text('x'.repeat(256))).toThrow(RuleTextTooLongError);
    });
    it('numbers a formula cannot hold', () => {
      expect(() => num(Number.NaN)).toThrow(RuleNumberError);
      expect(() => num(1e300)).toThrow(RuleNumberError);
    });
    it('a wrong number of arguments', () => {
      expect(() => call('ABS', num(1), num(2))).toThrow(RuleArityError);
    });
  });

  it.each<[number, string]>([[1e-9, '0.000000001'], [-2.5e-7, '-0.00000025'], [1.5e14, '150000000000000'], [42, '42']])('writes %p as %s', (n, s) => {
    expect(plainNumber(n)).toBe(s);
  });
});

describe('foldRule: specialising a rule to what is known', () => {
  it('computes constant arithmetic once', () => {
    expect(foldRule(sub(num(0.85), mul(num(0.05), abs(num(0.85)))))).toEqual(num(0.8075));
  });
  it('takes the branch of an IF whose condition is known', () => {
    expect(foldRule(iff(isNumber(num(3)), ref('latest'), ref('min')))).toEqual(ref('latest'));
  });
  it('drops TRUE from AND', () => {
    expect(foldRule(and(bool(true), gt(ref('latest'), num(1))))).toEqual(gt(ref('latest'), num(1)));
  });
  it('keeps what reads a cell', () => {
    const e = add(ref('latest'), num(0));
    expect(foldRule(e)).toEqual(e);
  });
  it('gives the same value as the rule it folds', () => {
    const e = iff(ge(ref('n'), sub(num(10), mul(num(0.05), num(10)))), text('in'), text('out'));
    expect(evaluateRule(foldRule(e), cells)).toEqual(evaluateRule(e, cells));
  });  it('writes a position no other argument of MAX can exceed as that position', () => {
    // A reading (always reported) at position 2 of two: the latest is position 2 whatever the first cell holds.
    expect(foldRule(call('MAX', isNumber(ref('p1')), num(2)))).toEqual(num(2));
    // Position 1 is read as 0 or 1 and never beats a reported position 3; position 2 may be 0 or 2 and is kept.
    expect(foldRule(call('MAX', isNumber(ref('p1')), mul(isNumber(ref('p2')), num(2)), num(1)))).toEqual(call('MAX', mul(isNumber(ref('p2')), num(2)), num(1)));
    expect(foldRule(call('MAX', isNumber(ref('p1')), num(3)))).toEqual(num(3));
    // A weight of TRUE (a test known to hold) is the test alone; what may exceed the floor stays.
    expect(foldRule(call('MAX', mul(isNumber(ref('p1')), eq(num(2), num(2)))))).toEqual(call('MAX', isNumber(ref('p1'))));
    const open = call('MAX', isNumber(ref('p1')), ref('n'));
    expect(foldRule(open)).toEqual(open);
  });
  it('picks the argument of a CHOOSE whose position is known, and reads a word at known positions', () => {
    expect(foldRule(call('CHOOSE', num(2), ref('p1'), ref('p2')))).toEqual(ref('p2'));
    expect(foldRule(lookupWord('Scorecard_Status', num(3), num(1)))).toEqual(text('■ Red'));
  });
});

describe('the word tables', () => {
  const show = (e: Expr): string => {
    const v = evaluateRule(e, cells);
    return v.kind === 'text' ? v.value : showValue(v);
  };
  it('read a status by code, in the column of the row\'s no-status word', () => {
    const status = (code: number, noStatus: NoStatusKey): string => show(lookupWord('Scorecard_Status', num(code), num(noStatusColumn(noStatus))));
    expect(status(1, 'noTarget')).toBe('● Green');
    expect(status(2, 'noBudget')).toBe('▲ Amber');
    expect(status(4, 'dataOnly')).toBe('○ No data');
    expect(status(5, 'noTarget')).toBe('○ No target');
    expect(status(5, 'noForecast')).toBe('○ No forecast');
  });
  it('read a trend by code + 1 and by which way the value moved', () => {
    const trend = (key: TrendKey, column: number): string => show(lookupWord('Scorecard_Trend', num(TREND_CODE[key] + 1), num(column)));
    expect(trend('none', TREND_COLUMN.up)).toBe('');
    expect(trend('improving', TREND_COLUMN.down)).toBe('↓ improving');
    expect(trend('improving', TREND_COLUMN.up)).toBe('↑ improving');
    expect(trend('worsening', TREND_COLUMN.own)).toBe('↓ worsening');
    expect(trend('stable', TREND_COLUMN.down)).toBe('→ stable');
  });
  it('give #REF! outside the table and #VALUE! for a position that is not a number, as INDEX does', () => {
    expect(show(lookupWord('Scorecard_Status', num(6), num(1)))).toBe('#REF!');
    expect(show(lookupWord('Scorecard_Status', num(1), num(0)))).toBe('#REF!');
    expect(show(lookupWord('Scorecard_Trend', ref('word'), num(1)))).toBe('#VALUE!');
    expect(show(lookupWord('Scorecard_Trend', ref('na'), num(1)))).toBe('#N/A');
  });
  it('are written by name, and as the array constant the workbook defines', () => {
    expect(emitFormula(lookupWord('Scorecard_Status', ref('n'), num(2)), { row: 4, columns: { n: 3 } })).toBe('=INDEX(Scorecard_Status,D5,2)');
    expect(arrayConstant([['a', 'say "x"'], ['c', '']])).toBe('{"a","say ""x""";"c",""}');
    const widths = Object.values(WORD_LISTS).map((rows) => new Set(rows.map((r) => r.length)).size);
    expect(widths).toEqual([1, 1]);
  });
});


describe('vocabulary', () => {
  it.each<[string, string]>([
    [statusText('green'), '● Green'], [statusText('amber'), '▲ Amber'], [statusText('red'), '■ Red'],
    [statusText('noData'), '○ No data'], [statusText('dataOnly'), '○ Data only'], [statusText('noTarget'), '○ No target'],
    [trendText('improving'), '↑ improving'], [trendText('worsening'), '↓ worsening'], [trendText('stable'), '→ stable'],
    [trendText('increasing'), '↑ increasing'], [trendText('decreasing'), '↓ decreasing'],
    [trendText('notComparable'), '↔ not comparable'], [trendText('none'), ''],
  ])('shows %p as today', (shown, expected) => {
    expect(shown).toBe(expected);
  });
});

/** A KPI row like the example's: three period columns (last year, this year's Q3, end of year) and a target. */
function exampleRow(min: PeriodRowShape['min']): PeriodRowShape {
  const fy = (y: number): { start: number; end: number } => ({ start: y * 12 + 3, end: y * 12 + 14 });
  return {
    kind: 'kpi', polarity: 'higher', displayDecimals: 3, accumulates: false, scale: 100,
    min, max: { kind: 'none' }, minInclusive: true, maxInclusive: true,
    green: { relative: 0, absolute: 0 }, amber: { relative: 0.05, absolute: 0 }, noStatus: 'noDirection',
    periods: [
      { term: { kind: 'cell', role: 'p1', divisor: 1 }, ...fy(2015) },
      { term: { kind: 'cell', role: 'p2', divisor: 1 }, start: 2016 * 12 + 9, end: 2016 * 12 + 11 },
      { term: { kind: 'cell', role: 'p3', divisor: 1 }, ...fy(2016) },
    ],
  };
}

const blockPlacement = {
  row: 4,
  columns: {
    target: 3, p1: 4, p2: 5, p3: 6, latest: 9, variance: 10, variancePct: 11, status: 12, trend: 13,
    latestIndex: 20, previousIndex: 21, previous: 22, min: 23, max: 24, statusCode: 25, trendCode: 26, currentVariance: 27, change: 28,
  },
};

describe('row rules: size of a judged row', () => {
  it('keeps a KPI row with a target read from text within 600 bytes of formulas', () => {
    const size = measureBlock(rowRules(exampleRow({ kind: 'constant', value: 0.85 })), blockPlacement);
    expect(size.bytes).toBeLessThanOrEqual(600);
    expect(size.depth).toBeLessThanOrEqual(4);
  });

  it('keeps a 72-month series a few levels deep and under Excel\'s length limit', () => {
    const periods = Array.from({ length: 72 }, (_, i) => ({ term: { kind: 'cell' as const, role: `m${i}`, divisor: 1 as const }, start: 24_000 + i, end: 24_000 + i }));
    const columns: Record<string, number> = { ...blockPlacement.columns };
    periods.forEach((_, i) => { columns[`m${i}`] = 30 + i; });
    const block = rowRules({ ...exampleRow({ kind: 'none' }), kind: 'series', noStatus: 'dataOnly', periods });
    const size = measureBlock(block, { row: 4, columns });
    expect(size.depth).toBeLessThan(8);
    expect(size.longest).toBeLessThan(8192);
  });
});

describe('row rules: verdicts', () => {
  const row = (values: ReadonlyArray<number | null>): RuleValue[] => values.map((v) => (v === null ? BLANK : numberValue(v)));
  const verdict = (values: ReadonlyArray<number | null>, shape = exampleRow({ kind: 'constant', value: 0.85 })): Record<string, string> => {
    const [p1 = BLANK, p2 = BLANK, p3 = BLANK] = row(values);
    const cellsOfRow: RowCells = { p1, p2, p3, target: BLANK };
    const block = rowRules(shape);
    const out: Record<string, string> = {};
    const known: Record<string, RuleValue> = { ...cellsOfRow };
    for (const rule of block.rules) {
      const v = evaluateRule(rule.expr, known);
      known[rule.role] = v;
      out[rule.role] = showValue(v);
    }
    return out;
  };

  it.each<[string, ReadonlyArray<number | null>, string, string, string]>([
    ['on target at the end of the year, up on last year', [0.8, 0.83, 0.85], '0.85', '"● Green"', '"↑ improving"'],
    ['within 5% of the target', [0.8, 0.83, null], '0.83', '"▲ Amber"', '"↑ improving"'],
    ['exactly 5% below the target is amber', [0.9, 0.8075, null], '0.8075', '"▲ Amber"', '"↓ worsening"'],
    ['more than 5% below the target', [0.9, null, 0.8], '0.8', '"■ Red"', '"↓ worsening"'],
    ['no value at all', [null, null, null], '""', '"○ No data"', '""'],
    ['the same as last year as displayed', [0.8504, null, 0.8501], '0.8501', '"● Green"', '"→ stable"'],
  ])('%s', (_name, values, latest, status, trend) => {
    const v = verdict(values);
    expect(v.latest).toBe(latest);
    expect(v.status).toBe(status);
    expect(v.trend).toBe(trend);
  });

  it('compares the end of the year with last year, not with the quarter before it', () => {
    const v = verdict([0.7, 0.9, 0.8]);
    expect(v.previous).toBe('0.7');
    expect(v.trend).toBe('"↑ improving"');
  });

  it('reads a live target cell, and says "no direction" when it is cleared', () => {
    const shape = exampleRow({ kind: 'cell', term: { kind: 'cell', role: 'target', divisor: 100 } });
    const block = rowRules(shape);
    const run = (target: RuleValue): Record<string, RuleValue> => {
      const known: Record<string, RuleValue> = { p1: numberValue(0.8), p2: BLANK, p3: numberValue(0.86), target };
      for (const rule of block.rules) known[rule.role] = evaluateRule(rule.expr, known);
      return known;
    };
    expect(showValue(run(numberValue(85)).status as RuleValue)).toBe('"● Green"');
    expect(showValue(run(BLANK).status as RuleValue)).toBe('"○ No direction"');
  });
});

describe('row rules: rows that differ only in readings of text cells', () => {
  const withReading = (value: number): PeriodRowShape => {
    const base = exampleRow({ kind: 'constant', value: 0.85 });
    return { ...base, periods: [base.periods[0] as PeriodRowShape['periods'][number], base.periods[1] as PeriodRowShape['periods'][number], { term: { kind: 'reading', role: 'p3', value }, start: 2016 * 12 + 3, end: 2016 * 12 + 14 }] };
  };

  it('share one set of rules, and each row is judged and written with its own reading', () => {
    const high = rowRules(withReading(0.9));
    const low = rowRules(withReading(0.5));
    expect(high.rules).toBe(low.rules);
    const cellsOfRow: RowCells = { p1: numberValue(0.8), p2: BLANK, p3: textValue('90% *'), target: BLANK };
    expect(showValue(evaluateBlock(high, cellsOfRow).status as RuleValue)).toBe('"● Green"');
    expect(showValue(evaluateBlock(low, { ...cellsOfRow, p3: textValue('50% *') }).status as RuleValue)).toBe('"■ Red"');
    const latestOf = (block: typeof high): string => {
      const cell = emitBlock(block, blockPlacement).latest;
      return cell?.kind === 'formula' ? cell.formula : '';
    };
    expect(latestOf(high)).toContain('0.9');
    expect(latestOf(low)).toContain('0.5');
    expect(latestOf(low)).not.toContain('0.9');
  });

  it('writes a negative reading in brackets, so that it stays one operand', () => {
    const block = rowRules(withReading(-0.25));
    const latest = emitBlock(block, blockPlacement).latest;
    expect(latest?.kind === 'formula' ? latest.formula : '').toContain('(-0.25)');
  });
});

describe('the one tolerance grammar the bands come from', () => {
  it.each<[string, { kind: 'relative' | 'absolute'; value: number }]>([
    ['5%', { kind: 'relative', value: 0.05 }], ['10 %', { kind: 'relative', value: 0.1 }], [' 2.5% ', { kind: 'relative', value: 0.025 }],
    ['3', { kind: 'absolute', value: 3 }], ['2pp', { kind: 'absolute', value: 2 }], ['0.5 pts', { kind: 'absolute', value: 0.5 }],
    ['2 points', { kind: 'absolute', value: 2 }], ['2 percentage points', { kind: 'absolute', value: 2 }], ['1,000', { kind: 'absolute', value: 1000 }],
  ])('reads "%s"', (text, tolerance) => {
    expect(parseTolerance(text)).toEqual(tolerance);
    expect(parseTolerance(formatTolerance(tolerance))).toEqual(tolerance);
  });

  describe('rejects', () => {
    it.each(['', 'five', '-5%', '5%%', 'TBC', '% 5'])('"%s"', (text) => {
      expect(parseTolerance(text)).toBeUndefined();
    });
  });

  it('tells a stored tolerance from anything else', () => {
    expect(isTolerance({ kind: 'relative', value: 0.1 })).toBe(true);
    expect([{ kind: 'relative', value: -1 }, { kind: 'neon', value: 1 }, { kind: 'absolute', value: Number.NaN }, null, '5%'].map(isTolerance)).toEqual([false, false, false, false, false]);
  });
});
