import {
  describeNumberFormat, formatNumber, isDateFormat, missingReasonOf, NumberValue, parseCell, ParsedCell,
  parseNumberText, parseValueText,
} from '../../src/engine/value';
import { MissingReason } from '../../src/engine/patterns';
import { CellSnapshot } from '../../src/engine/snapshot';

/** What a test expects of a number: the value (compared with toBeCloseTo) and any fields that must match exactly. */
type ExpectedNumber = { readonly value: number } & Partial<Omit<NumberValue, 'kind' | 'value'>>;

/** Asserts that a parsed cell is a number with the expected value and fields, and returns it. */
function expectNumber(parsed: ParsedCell | undefined, expected: ExpectedNumber): NumberValue {
  expect(parsed?.kind).toBe('number');
  if (parsed === undefined || parsed.kind !== 'number') throw new Error(`expected a number, got ${JSON.stringify(parsed)}`);
  const { value, ...fields } = expected;
  expect(parsed.value).toBeCloseTo(value, 9);
  expect(parsed).toMatchObject(fields);
  return parsed;
}

/** Builds a typed cell as Excel hands it over: a number, its format and the text it shows. */
function typed(value: number, numberFormat: string | undefined, text: string): CellSnapshot {
  return numberFormat === undefined ? { value, text } : { value, numberFormat, text };
}

describe('parseValueText', () => {
  describe('printed numbers', () => {
    it.each<{ text: string } & ExpectedNumber>([
      { text: '88.0%', value: 0.88, unit: 'percent', decimals: 1 },
      { text: '6%', value: 0.06, unit: 'percent', decimals: 0 },
      { text: '6 %', value: 0.06, unit: 'percent', decimals: 0 },
      { text: '4.20%', value: 0.042, unit: 'percent', decimals: 2 },
      { text: '99.10%', value: 0.991, unit: 'percent', decimals: 2 },
      { text: '6.50%', value: 0.065, unit: 'percent', decimals: 2 },
      { text: '100%', value: 1, unit: 'percent', decimals: 0 },
      { text: '1,024', value: 1024, unit: 'plain', decimals: 0 },
      { text: ' 1,024 ', value: 1024, unit: 'plain', decimals: 0 },
      { text: '7.53', value: 7.53, unit: 'plain', decimals: 2 },
      { text: '48.0', value: 48, unit: 'plain', decimals: 1 },
      { text: '.5', value: 0.5, unit: 'plain', decimals: 1 },
      { text: '0', value: 0, unit: 'plain', decimals: 0 },
      { text: '-3,467', value: -3467, unit: 'plain', decimals: 0 },
      { text: '\u22123,467', value: -3467, unit: 'plain', decimals: 0 },
      { text: '+5', value: 5, unit: 'plain', decimals: 0 },
      { text: '£17,600', value: 17600, unit: 'currency', currency: '£', decimals: 0 },
      { text: '£35,800', value: 35800, unit: 'currency', currency: '£', decimals: 0 },
      { text: '£ 17,600', value: 17600, unit: 'currency', currency: '£', decimals: 0 },
      { text: '€5', value: 5, unit: 'currency', currency: '€', decimals: 0 },
      { text: '$5', value: 5, unit: 'currency', currency: '$', decimals: 0 },
      { text: '-£1,086', value: -1086, unit: 'currency', currency: '£', decimals: 0 },
    ])('reads $text as $value ($unit, $decimals decimals)', ({ text, ...expected }) => {
      expectNumber(parseValueText(text), expected);
    });

    it('keeps the meaning of "88.0%": a percent 0.88 shown with one decimal, not a bare 0.88', () => {
      expect(parseValueText('88.0%')).toEqual({ kind: 'number', value: 0.88, unit: 'percent', decimals: 1 });
    });

    it('reads a plain "1,024" with no currency, scale, footnote or brackets attached', () => {
      expect(parseValueText('1,024')).toEqual({ kind: 'number', value: 1024, unit: 'plain', decimals: 0 });
    });
  });

  describe('negative numbers in accounting forms', () => {
    it.each<{ text: string } & ExpectedNumber>([
      { text: '(284)', value: -284, unit: 'plain', bracketed: true },
      { text: '(1,086)', value: -1086, unit: 'plain', bracketed: true },
      { text: '(888)', value: -888, unit: 'plain', bracketed: true },
      { text: '(£284)', value: -284, unit: 'currency', currency: '£', bracketed: true },
      { text: '(£1.2m)', value: -1200000, unit: 'currency', currency: '£', scale: 'm', bracketed: true },
    ])('reads bracketed $text as $value and records the brackets', ({ text, ...expected }) => {
      expectNumber(parseValueText(text), expected);
    });

    it.each<{ text: string; value: number }>([
      { text: '284-', value: -284 },
      { text: '3,467\u2212', value: -3467 },
      { text: '5-', value: -5 },
    ])('reads trailing minus $text as $value', ({ text, value }) => {
      const n = expectNumber(parseValueText(text), { value, unit: 'plain', decimals: 0 });
      expect(n.bracketed).toBeUndefined();
    });

    it('reads "(0)" as zero, not negative zero', () => {
      const n = expectNumber(parseValueText('(0)'), { value: 0 });
      expect(Object.is(n.value, -0)).toBe(false);
    });
  });

  describe('a scale written in the cell is applied', () => {
    it.each<{ text: string } & ExpectedNumber>([
      { text: '£240k', value: 240000, unit: 'currency', currency: '£', scale: 'k', decimals: 0 },
      { text: '£240K', value: 240000, unit: 'currency', currency: '£', scale: 'k', decimals: 0 },
      { text: '£1.2m', value: 1200000, unit: 'currency', currency: '£', scale: 'm', decimals: 0 },
      { text: '$1.5bn', value: 1500000000, unit: 'currency', currency: '$', scale: 'bn', decimals: 0 },
      { text: '240k', value: 240000, unit: 'plain', scale: 'k', decimals: 0 },
      { text: '12.5K', value: 12500, unit: 'plain', scale: 'k', decimals: 0 },
    ])('reads $text as $value with scale $scale', ({ text, ...expected }) => {
      expectNumber(parseValueText(text), expected);
    });

    it('reads a header scale such as "£000\'s" as text, not as a value', () => {
      expect(parseValueText("£000's")).toEqual({ kind: 'text', text: "£000's" });
    });
  });

  describe('footnote marks are not numbers', () => {
    it.each<{ text: string } & ExpectedNumber>([
      { text: '13 ¹', value: 13, unit: 'plain', decimals: 0, footnote: '¹' },
      { text: '13¹', value: 13, unit: 'plain', decimals: 0, footnote: '¹' },
      { text: '48.4 ¹', value: 48.4, unit: 'plain', decimals: 1, footnote: '¹' },
      { text: '4.5% **', value: 0.045, unit: 'percent', decimals: 1, footnote: '**' },
      { text: '3.8%***', value: 0.038, unit: 'percent', decimals: 1, footnote: '***' },
      { text: '4.5%*', value: 0.045, unit: 'percent', decimals: 1, footnote: '*' },
      { text: '88.0% ¹', value: 0.88, unit: 'percent', decimals: 1, footnote: '¹' },
      { text: '£240k **', value: 240000, unit: 'currency', scale: 'k', footnote: '**' },
      { text: '(284) ¹', value: -284, bracketed: true, footnote: '¹' },
      { text: '12†', value: 12, footnote: '†' },
      { text: '12 (a)', value: 12, footnote: '(a)' },
    ])('reads $text as $value with footnote $footnote', ({ text, ...expected }) => {
      expectNumber(parseValueText(text), expected);
    });
  });

  describe('a percentage with its fraction and a note', () => {
    it('reads "29.87% (1574/5269) *Jan-Oct" as 0.2987 with its fraction and the note', () => {
      const n = expectNumber(parseValueText('29.87% (1574/5269) *Jan-Oct'), { value: 0.2987, unit: 'percent', decimals: 2 });
      expect(n.fraction).toEqual({ numerator: 1574, denominator: 5269 });
      expect(n.note).toBe('Jan-Oct');
    });

    it('reads "32.6% (395/1221) *Q4 only" as 0.326 with its fraction and the note', () => {
      const n = expectNumber(parseValueText('32.6% (395/1221) *Q4 only'), { value: 0.326, unit: 'percent', decimals: 1 });
      expect(n.fraction).toEqual({ numerator: 395, denominator: 1221 });
      expect(n.note).toBe('Q4 only');
    });

    it('keeps the printed percentage as the value even where the fraction gives another', () => {
      // 1574/5269 = 0.29873…; the printed figure stays the value, a mismatch is the caller's finding.
      expectNumber(parseValueText('29.87% (1574/5269)'), { value: 0.2987 });
      expectNumber(parseValueText('50% (1/3)'), { value: 0.5, fraction: { numerator: 1, denominator: 3 } });
    });
  });

  describe('cells holding several numbers', () => {
    it('reads the attainment-gap cell as several labelled candidates, in order', () => {
      const parsed = parseValueText('FSM pupils Att8 = 39.6 All other pupils Att8 = 50.0: Attainment GAP = 10.4');
      expect(parsed.kind).toBe('several');
      if (parsed.kind !== 'several') return;
      expect(parsed.candidates.map((c) => c.label)).toEqual(['FSM pupils Att8', 'All other pupils Att8', 'Attainment GAP']);
      const values = parsed.candidates.map((c) => c.value.value);
      expect(values).toHaveLength(3);
      expect(values[0]).toBeCloseTo(39.6, 9);
      expect(values[1]).toBeCloseTo(50, 9);
      expect(values[2]).toBeCloseTo(10.4, 9);
      expect(parsed.candidates[1]?.value.decimals).toBe(1);
    });

    it('reads "Attainment 8 = … Progress 8 = …" as two labelled candidates and ignores the unlabelled interval', () => {
      const parsed = parseValueText('Attainment 8 = 49.3 Progress 8 = 0.02 (lower confidence interval -0.07, upper 0.03)');
      expect(parsed.kind).toBe('several');
      if (parsed.kind !== 'several') return;
      expect(parsed.candidates.map((c) => c.label)).toEqual(['Attainment 8', 'Progress 8']);
      expect(parsed.candidates[0]?.value.value).toBeCloseTo(49.3, 9);
      expect(parsed.candidates[1]?.value.value).toBeCloseTo(0.02, 9);
      expect(parsed.candidates[1]?.value.decimals).toBe(2);
    });
  });

  describe('missing values keep their reason', () => {
    it.each<[string, MissingReason]>([
      ['N/A', 'not-applicable'],
      ['n/a', 'not-applicable'],
      ['Not applicable', 'not-applicable'],
      ['ANNUAL', 'not-due'],
      ['Annually', 'not-due'],
      ['TBC', 'to-be-confirmed'],
      ['TBD', 'to-be-confirmed'],
      ['new indicator', 'new-indicator'],
      ['New measure', 'new-indicator'],
      ['DIV/0', 'division-error'],
      ['#DIV/0!', 'division-error'],
      ['#N/A', 'error'],
      ['#REF!', 'error'],
      ['', 'blank'],
      ['   ', 'blank'],
      ['-', 'no-data'],
      ['No data', 'no-data'],
      ['Data only', 'data-only'],
      ['<5', 'suppressed'],
      ['< 5', 'suppressed'],
      ['*', 'suppressed'],
    ])('reads %j as missing because %s', (text, reason) => {
      const parsed = parseValueText(text);
      expect(parsed).toMatchObject({ kind: 'missing', reason });
      expect(missingReasonOf(text)).toBe(reason);
    });

    it('gives each kind of missing value its own state, never zero', () => {
      const reasons = ['N/A', 'ANNUAL', 'TBC', 'new indicator', 'DIV/0', '', '-', '<5'].map((t) => {
        const parsed = parseValueText(t);
        expect(parsed.kind).toBe('missing');
        return parsed.kind === 'missing' ? parsed.reason : undefined;
      });
      expect(new Set(reasons).size).toBe(8);
    });

    // patterns.ts maps ".." (the statistical "not available") to no-data, but missingReasonOf strips
    // trailing dots first, so ".." arrives as "" and is reported as blank.
    it('reads ".." as missing because no-data, as MISSING_WORDS says', () => {
      expect(parseValueText('..')).toMatchObject({ kind: 'missing', reason: 'no-data' });
    });

    it('returns undefined as the missing reason of a number', () => {
      expect(missingReasonOf('12')).toBeUndefined();
      expect(missingReasonOf('88.0%')).toBeUndefined();
    });
  });

  describe('numbers with a unit word, ranks and bands', () => {
    it('reads "0.6 Years Interim" as 0.6 with unit word years and qualifier Interim', () => {
      const n = expectNumber(parseValueText('0.6 Years Interim'), { value: 0.6, unit: 'plain', decimals: 1, unitWord: 'years' });
      expect(n.qualifier).toBe('Interim');
    });

    it('reads "6.1 Years Permanent" as 6.1 years with qualifier Permanent', () => {
      expectNumber(parseValueText('6.1 Years Permanent'), { value: 6.1, unitWord: 'years', qualifier: 'Permanent' });
    });

    it.each<{ text: string; value: number; unitWord: string }>([
      { text: '7 days', value: 7, unitWord: 'days' },
      { text: '15 pts', value: 15, unitWord: 'pts' },
    ])('reads $text as $value with unit word $unitWord and no qualifier', ({ text, value, unitWord }) => {
      const n = expectNumber(parseValueText(text), { value, unitWord });
      expect(n.qualifier).toBeUndefined();
    });

    it.each<{ text: string; value: number }>([
      { text: '173rd', value: 173 },
      { text: '1st', value: 1 },
      { text: '22nd', value: 22 },
      { text: '11th', value: 11 },
    ])('reads ordinal $text as rank $value', ({ text, value }) => {
      expectNumber(parseValueText(text), { value, unit: 'plain', decimals: 0, unitWord: 'rank' });
    });

    it.each<{ text: string; min: number; max: number }>([
      { text: '201-250', min: 201, max: 250 },
      { text: '16 - 18', min: 16, max: 18 },
      { text: '16 to 18', min: 16, max: 18 },
      { text: '16–18', min: 16, max: 18 },
      { text: '5%-10%', min: 0.05, max: 0.1 },
    ])('reads $text as a band from $min to $max', ({ text, min, max }) => {
      const parsed = parseValueText(text);
      expect(parsed.kind).toBe('band');
      if (parsed.kind !== 'band') return;
      expect(parsed.min.value).toBeCloseTo(min, 9);
      expect(parsed.max.value).toBeCloseTo(max, 9);
    });
  });

  describe('rejects', () => {
    it.each([
      'Currently 362 y/p NEET (6.5%)',
      'Currently 131 y/p Not Known, most of whom are in the 18 plus age group',
      'The figure is 12',
      '12 and 13',
      '2013-14',
      '2015/16',
      '2013/2014',
      'Q3',
      'Q3 2016',
      'Dec-15',
      'Apr-16',
      '((284))',
      '-(284)',
      '(284',
      '284)',
      '--5',
      '£5%',
      '1,02,4',
      '1.2.3',
      '1e5',
      'NaN',
      'Infinity',
      '250-201',
      '1574/5269',
      'N/A N/A',
      '>5',
    ])('does not read %j as a number', (text) => {
      const parsed = parseValueText(text);
      expect(parsed.kind).toBe('text');
      expect(parseNumberText(text)).toBeUndefined();
    });

    it('never throws on odd input', () => {
      for (const text of ['(', ')', '%', '£', '=', '= =', 'a = ', '*Jan', '¹', '(1/0)', '\u00a0\u202f']) {
        expect(() => parseValueText(text)).not.toThrow();
      }
    });
  });
});

describe('parseNumberText', () => {
  it.each<{ text: string } & ExpectedNumber>([
    { text: '88.0%', value: 0.88, unit: 'percent', decimals: 1 },
    { text: '(284)', value: -284, bracketed: true },
    { text: '284-', value: -284 },
    { text: '£240k', value: 240000, unit: 'currency', scale: 'k' },
    { text: '£-1,086', value: -1086, unit: 'currency' },
  ])('reads exactly one printed number: $text → $value', ({ text, ...expected }) => {
    expectNumber(parseNumberText(text), expected);
  });

  it.each(['13 ¹', '29.87% (1574/5269)', '173rd', '201-250', '0.6 Years', '(-284)', '-284-', '£5%', '£240k%'])(
    'returns undefined for %j, which is not exactly one number',
    (text) => {
      expect(parseNumberText(text)).toBeUndefined();
    },
  );
});

describe('parseCell', () => {
  describe('typed numbers take unit and precision from the number format', () => {
    it.each<{ cell: CellSnapshot } & ExpectedNumber>([
      { cell: typed(0.88, '0.0%', '88.0%'), value: 0.88, unit: 'percent', decimals: 1 },
      { cell: typed(0.06, '0%', '6%'), value: 0.06, unit: 'percent', decimals: 0 },
      { cell: typed(0.125, '0.00%', '12.50%'), value: 0.125, unit: 'percent', decimals: 2 },
      { cell: typed(0.88, '0.0%;[Red]-0.0%', '88.0%'), value: 0.88, unit: 'percent', decimals: 1 },
      { cell: typed(17600, '"£"#,##0', '£17,600'), value: 17600, unit: 'currency', currency: '£', decimals: 0 },
      { cell: typed(17600, '£#,##0.00', '£17,600.00'), value: 17600, unit: 'currency', currency: '£', decimals: 2 },
      { cell: typed(1500, '[$$-409]#,##0', '$1,500'), value: 1500, unit: 'currency', currency: '$', decimals: 0 },
      { cell: typed(17600, '_-£* #,##0_-;-£* #,##0_-;_-£* "-"_-;_-@_-', ' £17,600 '), value: 17600, unit: 'currency', currency: '£', decimals: 0 },
      { cell: typed(1024, 'General', '1024'), value: 1024, unit: 'plain', decimals: 0 },
      { cell: typed(7.53, 'General', '7.53'), value: 7.53, unit: 'plain', decimals: 2 },
      { cell: typed(7.53, undefined, '7.53'), value: 7.53, unit: 'plain', decimals: 2 },
      { cell: typed(2749, '#,##0', '2,749'), value: 2749, unit: 'plain', decimals: 0 },
      { cell: typed(5, '0.0 "days"', '5.0 days'), value: 5, unit: 'plain', decimals: 1 },
    ])('reads typed $cell.value shown as $cell.text as $unit with $decimals decimals', ({ cell, ...expected }) => {
      const n = expectNumber(parseCell(cell), expected);
      if (expected.currency === undefined) expect(n.currency).toBeUndefined();
    });

    it('reads a negative number shown in brackets by its format as bracketed', () => {
      expectNumber(parseCell(typed(-284, '#,##0;(#,##0)', '(284)')), { value: -284, unit: 'plain', bracketed: true });
      expectNumber(parseCell(typed(-284, '£#,##0;[Red](£#,##0)', '(£284)')), { value: -284, unit: 'currency', currency: '£', bracketed: true });
    });

    it('does not mark a negative number bracketed when its format prints a minus', () => {
      const n = expectNumber(parseCell(typed(-5, '£#,##0;-£#,##0', '-£5')), { value: -5 });
      expect(n.bracketed).toBeUndefined();
    });

    it.each<{ cell: CellSnapshot }>([
      { cell: typed(42339, 'mmm-yy', 'Dec-15') },
      { cell: typed(42339, 'dd/mm/yyyy', '01/12/2015') },
    ])('reads a date-formatted number ($cell.text) as text, not as a value', ({ cell }) => {
      expect(parseCell(cell)).toEqual({ kind: 'text', text: cell.text });
    });
  });

  it('reads text cells through the same grammar as printed values', () => {
    expectNumber(parseCell({ value: '88.0%', text: '88.0%' }), { value: 0.88, unit: 'percent', decimals: 1 });
    expect(parseCell({ value: 'ANNUAL', text: 'ANNUAL' })).toMatchObject({ kind: 'missing', reason: 'not-due' });
  });

  it.each<{ name: string; cell: CellSnapshot | undefined; reason: MissingReason }>([
    { name: 'an absent cell', cell: undefined, reason: 'blank' },
    { name: 'an empty value', cell: { value: null, text: '' }, reason: 'blank' },
    { name: 'a #DIV/0! error', cell: { value: { error: '#DIV/0!' }, text: '#DIV/0!' }, reason: 'division-error' },
    { name: 'a #N/A error', cell: { value: { error: '#N/A' }, text: '#N/A' }, reason: 'error' },
  ])('reads $name as missing because $reason', ({ cell, reason }) => {
    expect(parseCell(cell)).toMatchObject({ kind: 'missing', reason });
  });

  it('reads a boolean as text, not as 1 or 0', () => {
    expect(parseCell({ value: true, text: 'TRUE' })).toEqual({ kind: 'text', text: 'TRUE' });
  });

});

describe('describeNumberFormat', () => {
  it.each<{ format: string | undefined; value: number; unit: string; decimals: number }>([
    { format: '0.0%', value: 0.88, unit: 'percent', decimals: 1 },
    { format: '0%', value: 0.06, unit: 'percent', decimals: 0 },
    { format: '#,##0.000', value: 1, unit: 'plain', decimals: 3 },
    { format: '0', value: 12, unit: 'plain', decimals: 0 },
    { format: 'General', value: 1234.5, unit: 'plain', decimals: 1 },
    { format: 'General', value: 1024, unit: 'plain', decimals: 0 },
    { format: undefined, value: 1.25, unit: 'plain', decimals: 2 },
    { format: '£#,##0;(£#,##0)', value: 5, unit: 'currency', decimals: 0 },
    { format: '0.0 "%"', value: 3, unit: 'plain', decimals: 1 },
  ])('reads format $format (value $value) as $unit with $decimals decimals', ({ format, value, unit, decimals }) => {
    expect(describeNumberFormat(format, value)).toMatchObject({ unit, decimals });
  });

  // Excel's locale-tagged currency formats ("[$£-809]" is the pound as Excel (UK) writes it) carry the
  // symbol after "[$"; the "$" of the tag is not the currency.
  it.each<{ format: string; currency: string }>([
    { format: '[$£-809]#,##0.00', currency: '£' },
    { format: '[$€-2] #,##0.00', currency: '€' },
  ])('reads the currency of a locale-tagged format $format as $currency', ({ format, currency }) => {
    expect(describeNumberFormat(format, 1500)).toMatchObject({ unit: 'currency', currency });
  });

  it('reads a locale tag without a symbol ("[$-809]#,##0") as a plain number', () => {
    expect(describeNumberFormat('[$-809]#,##0', 1500)).toEqual({ unit: 'plain', decimals: 0 });
  });

  it.each<{ format: string | undefined; isDate: boolean }>([
    { format: 'mmm-yy', isDate: true },
    { format: 'dd/mm/yyyy', isDate: true },
    { format: '[h]:mm', isDate: true },
    { format: 'General', isDate: false },
    { format: '0.0%', isDate: false },
    { format: '0.0 "days"', isDate: false },
    { format: '[Red]#,##0', isDate: false },
    { format: undefined, isDate: false },
  ])('says whether $format is a date format ($isDate)', ({ format, isDate }) => {
    expect(isDateFormat(format)).toBe(isDate);
  });
});

describe('formatNumber', () => {
  it.each(['88.0%', '6%', '4.20%', '1,024', '-3,467', '£17,600', '7.53', '48.0', '0'])(
    'prints %j back exactly as it was read',
    (text) => {
      const parsed = parseValueText(text);
      if (parsed.kind !== 'number') throw new Error(`${text} did not parse as a number`);
      expect(formatNumber(parsed)).toBe(text);
    },
  );

  it.each<{ n: Pick<NumberValue, 'value' | 'unit' | 'decimals' | 'currency'>; decimals?: number; shown: string }>([
    { n: { value: 0.413, unit: 'percent', decimals: 1 }, shown: '41.3%' },
    { n: { value: 240000, unit: 'currency', decimals: 0 }, shown: '£240,000' },
    { n: { value: 240000, unit: 'currency', decimals: 0, currency: '$' }, shown: '$240,000' },
    { n: { value: -0.021, unit: 'percent', decimals: 1 }, shown: '-2.1%' },
    { n: { value: -0.0001, unit: 'plain', decimals: 2 }, shown: '0.00' },
    { n: { value: 1234567.891, unit: 'plain', decimals: 2 }, shown: '1,234,567.89' },
    { n: { value: 0.88, unit: 'percent', decimals: 1 }, decimals: 0, shown: '88%' },
    { n: { value: 1.23456789, unit: 'plain', decimals: 10 }, shown: '1.234568' },
  ])('prints $n.value ($n.unit) as $shown', ({ n, decimals, shown }) => {
    expect(formatNumber(n, decimals)).toBe(shown);
  });
});
