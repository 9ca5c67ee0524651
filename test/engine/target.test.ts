import { Comparator, parseTarget, TargetSpec } from '../../src/engine/target';
import { MissingReason } from '../../src/engine/patterns';
import { Unit } from '../../src/engine/value';

type Spec<K extends TargetSpec['kind']> = Extract<TargetSpec, { kind: K }>;

/** Parses a target and asserts its kind, returning the narrowed spec. */
function parseAs<K extends TargetSpec['kind']>(text: string, kind: K): Spec<K> {
  const spec = parseTarget(text);
  expect(spec?.kind).toBe(kind);
  if (spec === null || spec.kind !== kind) throw new Error(`expected ${kind} for ${JSON.stringify(text)}, got ${JSON.stringify(spec)}`);
  return spec as Spec<K>;
}

interface BoundRow {
  readonly text: string;
  readonly value: number;
  readonly unit: Unit;
  readonly comparator: Comparator;
}

/** Asserts a bound target: value (toBeCloseTo), unit and comparator. */
function expectBound(text: string, value: number, unit: Unit, comparator: Comparator): Spec<'bound'> {
  const spec = parseAs(text, 'bound');
  expect(spec.value.value).toBeCloseTo(value, 9);
  expect(spec.value.unit).toBe(unit);
  expect(spec.comparator).toBe(comparator);
  return spec;
}

describe('parseTarget', () => {
  describe('a bare value is a bound with no comparator', () => {
    it.each<BoundRow>([
      { text: '70.0%', value: 0.7, unit: 'percent', comparator: 'none' },
      { text: '4.20%', value: 0.042, unit: 'percent', comparator: 'none' },
      { text: '287', value: 287, unit: 'plain', comparator: 'none' },
      { text: '48.0', value: 48, unit: 'plain', comparator: 'none' },
      { text: '0', value: 0, unit: 'plain', comparator: 'none' },
      { text: '-888', value: -888, unit: 'plain', comparator: 'none' },
      { text: '(888)', value: -888, unit: 'plain', comparator: 'none' },
      { text: '£80,000', value: 80000, unit: 'currency', comparator: 'none' },
      { text: '£570,000', value: 570000, unit: 'currency', comparator: 'none' },
      { text: '£240k', value: 240000, unit: 'currency', comparator: 'none' },
    ])('reads $text as $value ($unit)', ({ text, value, unit, comparator }) => {
      expectBound(text, value, unit, comparator);
    });

    it('keeps the displayed precision of "70.0%"', () => {
      expect(expectBound('70.0%', 0.7, 'percent', 'none').value.decimals).toBe(1);
    });

    it('keeps the scale and currency of "£240k"', () => {
      expect(expectBound('£240k', 240000, 'currency', 'none').value).toMatchObject({ currency: '£', scale: 'k' });
    });
  });

  describe('comparators in front of and after the value', () => {
    it.each<BoundRow>([
      { text: '>85%', value: 0.85, unit: 'percent', comparator: 'gt' },
      { text: '>90%', value: 0.9, unit: 'percent', comparator: 'gt' },
      { text: '<30%', value: 0.3, unit: 'percent', comparator: 'lt' },
      { text: '<5', value: 5, unit: 'plain', comparator: 'lt' },
      { text: '>= 88%', value: 0.88, unit: 'percent', comparator: 'ge' },
      { text: '≥0.9', value: 0.9, unit: 'plain', comparator: 'ge' },
      { text: '≤ 287', value: 287, unit: 'plain', comparator: 'le' },
      { text: 'at least 90%', value: 0.9, unit: 'percent', comparator: 'ge' },
      { text: 'no more than 5', value: 5, unit: 'plain', comparator: 'le' },
      { text: 'Maximum 5', value: 5, unit: 'plain', comparator: 'le' },
      { text: 'up to 10%', value: 0.1, unit: 'percent', comparator: 'le' },
      { text: 'over 50', value: 50, unit: 'plain', comparator: 'gt' },
      { text: 'under 10', value: 10, unit: 'plain', comparator: 'lt' },
      { text: '90% or above', value: 0.9, unit: 'percent', comparator: 'ge' },
      { text: '85%+', value: 0.85, unit: 'percent', comparator: 'ge' },
      { text: '5 or fewer', value: 5, unit: 'plain', comparator: 'le' },
    ])('reads $text as $comparator $value', ({ text, value, unit, comparator }) => {
      expectBound(text, value, unit, comparator);
    });

    it('reads "<5" in a target cell as a comparison, not as a suppressed value', () => {
      expectBound('<5', 5, 'plain', 'lt');
    });
  });

  describe('ranges', () => {
    it.each<{ text: string; min: number; max: number; unit: Unit }>([
      { text: '16 - 18', min: 16, max: 18, unit: 'plain' },
      { text: '16 to 18', min: 16, max: 18, unit: 'plain' },
      { text: 'between 16 and 18', min: 16, max: 18, unit: 'plain' },
      { text: '16 - 18%', min: 0.16, max: 0.18, unit: 'percent' },
      { text: '£1m - £2m', min: 1000000, max: 2000000, unit: 'currency' },
    ])('reads $text as the range $min to $max', ({ text, min, max, unit }) => {
      const spec = parseAs(text, 'range');
      expect(spec.min.value).toBeCloseTo(min, 9);
      expect(spec.max.value).toBeCloseTo(max, 9);
      expect(spec.min.unit).toBe(unit);
      expect(spec.max.unit).toBe(unit);
    });
  });

  describe('targets relative to a baseline', () => {
    it.each<{ text: string; direction: 'higher' | 'lower'; change: number; changeUnit: string; basePeriod: string | null }>([
      { text: '20% reduction', direction: 'lower', change: 0.2, changeUnit: 'percent', basePeriod: null },
      { text: '25% reduction', direction: 'lower', change: 0.25, changeUnit: 'percent', basePeriod: null },
      { text: '10% increase', direction: 'higher', change: 0.1, changeUnit: 'percent', basePeriod: null },
      { text: 'reduce by 5%', direction: 'lower', change: 0.05, changeUnit: 'percent', basePeriod: null },
      { text: 'reduce by 10', direction: 'lower', change: 10, changeUnit: 'absolute', basePeriod: null },
      { text: '20% reduction on 2013/14', direction: 'lower', change: 0.2, changeUnit: 'percent', basePeriod: '2013/14' },
    ])('reads $text as $direction by $change ($changeUnit)', ({ text, direction, change, changeUnit, basePeriod }) => {
      const spec = parseAs(text, 'relative');
      expect(spec.direction).toBe(direction);
      expect(spec.change).toBeCloseTo(change, 9);
      expect(spec.changeUnit).toBe(changeUnit);
      expect(spec.basePeriod).toBe(basePeriod);
      expect(spec.strict).toBe(false);
    });

    it.each<{ text: string; direction: 'higher' | 'lower' | 'better'; basePeriod: string | null; strict: boolean }>([
      { text: '>2013/14', direction: 'higher', basePeriod: '2013/14', strict: true },
      { text: '<2013/14', direction: 'lower', basePeriod: '2013/14', strict: true },
      { text: '> 2013/14', direction: 'higher', basePeriod: '2013/14', strict: true },
      { text: '<=2013-14', direction: 'lower', basePeriod: '2013-14', strict: false },
      { text: 'better than 2015/16', direction: 'better', basePeriod: '2015/16', strict: true },
      { text: '> last year', direction: 'higher', basePeriod: null, strict: true },
    ])('reads $text as $direction than the outturn of $basePeriod (strict: $strict)', ({ text, direction, basePeriod, strict }) => {
      const spec = parseAs(text, 'relative');
      expect(spec.direction).toBe(direction);
      expect(spec.change).toBe(0);
      expect(spec.changeUnit).toBe('absolute');
      expect(spec.basePeriod).toBe(basePeriod);
      expect(spec.strict).toBe(strict);
    });
  });

  describe('labels, parts, annotations and fractions', () => {
    it.each<{ text: string; label: string; value: number }>([
      { text: 'Primary 88%', label: 'Primary', value: 0.88 },
      { text: 'Secondary 87%', label: 'Secondary', value: 0.87 },
      { text: 'Secondary: 87%', label: 'Secondary', value: 0.87 },
    ])('reads $text as the label $label and the value $value', ({ text, label, value }) => {
      const spec = expectBound(text, value, 'percent', 'none');
      expect(spec.label).toBe(label);
    });

    it.each<{ text: string; parts: string[] }>([
      { text: '[a] 90% [b] 90%', parts: ['[a] 90%', '[b] 90%'] },
      { text: '(a) 85% (b) 80%', parts: ['(a) 85%', '(b) 80%'] },
    ])('reads $text as a multi-part target with its parts', ({ text, parts }) => {
      expect(parseAs(text, 'multi-part').parts).toEqual(parts);
    });

    it('reads "15 pts difference in Attainment 8 score" as 15 with the rest kept as an annotation', () => {
      const spec = expectBound('15 pts difference in Attainment 8 score', 15, 'plain', 'none');
      expect(spec.annotation).toBe('pts difference in Attainment 8 score');
      expect(spec.value.unitWord).toBeUndefined();
    });

    it('reads "95% (over next 3 years)" as 0.95 with the bracket kept as an annotation', () => {
      const spec = expectBound('95% (over next 3 years)', 0.95, 'percent', 'none');
      expect(spec.annotation).toBe('over next 3 years');
    });

    it('reads "41.34% (2333/5643)" as 0.4134 with its fraction, not as an annotation', () => {
      const spec = expectBound('41.34% (2333/5643)', 0.4134, 'percent', 'none');
      expect(spec.value.fraction).toEqual({ numerator: 2333, denominator: 5643 });
      expect(spec.value.decimals).toBe(2);
      expect(spec.annotation).toBeUndefined();
    });

    it('reads "7 days" as 7 with the unit word kept', () => {
      const spec = expectBound('7 days', 7, 'plain', 'none');
      expect(spec.value.unitWord).toBe('days');
    });
  });

  describe('missing targets keep their reason', () => {
    it.each<[string, MissingReason]>([
      ['N/A', 'not-applicable'],
      ['TBC', 'to-be-confirmed'],
      ['ANNUAL', 'not-due'],
      ['new indicator', 'new-indicator'],
      ['Data only', 'data-only'],
      ['#DIV/0!', 'division-error'],
      ['-', 'no-data'],
    ])('reads %j as a missing target because %s', (text, reason) => {
      expect(parseAs(text, 'missing').reason).toBe(reason);
    });

    it.each(['', '   ', '\u00a0'])('returns null for the empty target cell %j', (text) => {
      expect(parseTarget(text)).toBeNull();
    });
  });

  describe('rejects', () => {
    it.each(['see narrative', 'improve', 'Improve on 2013/14', '2016/17', 'Q3', '18 - 16', 'Target', 'tbc by Q2'])(
      'leaves %j unparsed so that the caller raises a finding',
      (text) => {
        expect(parseTarget(text)).toEqual({ kind: 'unparsed', text });
      },
    );
  });

  it('keeps the original text on every spec', () => {
    for (const text of ['70.0%', '>85%', '16 - 18', '20% reduction', '>2013/14', '[a] 90% [b] 90%', 'N/A', 'see narrative']) {
      expect(parseTarget(text)?.text).toBe(text);
    }
  });
});
