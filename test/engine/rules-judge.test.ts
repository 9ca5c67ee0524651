/**
 * The rules say what judge.ts says: for generated targets, tolerances and values, the status, variance,
 * variance % and trend the rules compute equal judgeValue's and trendOf's (ties within 1e-9 aside, where the
 * engine's epsilon and the sheet's precision differ by design).
 */
import fc from 'fast-check';
import { judgeValue, TargetInterval, Tolerance, trendOf } from '../../src/engine/judge';
import {
  BLANK, BoundSource, evaluateBlock, numberValue, PeriodRowShape, RuleValue, rowRules, STATUS_CODE, TREND_CODE, TrendPolarity,
} from '../../src/engine/rules';
import { NumberValue } from '../../src/engine/value';

const STATUS_OF: Record<number, string> = { [STATUS_CODE.green]: 'green', [STATUS_CODE.amber]: 'amber', [STATUS_CODE.red]: 'red' };
const TREND_OF: Record<number, string> = Object.fromEntries(Object.entries(TREND_CODE).map(([k, v]) => [v, k === 'notComparable' ? 'not-comparable' : k]));

/** Values on a grid of 0.001 (as printed figures are), so that no tie sits within 1e-9 of a band's edge by accident. */
const printed = fc.integer({ min: -2000, max: 2000 }).map((n) => n / 1000);
const tolerance = fc.oneof(
  fc.constantFrom(0, 0.02, 0.05, 0.1).map((v): Tolerance => ({ kind: 'relative', value: v })),
  fc.constantFrom(0.5, 3).map((v): Tolerance => ({ kind: 'absolute', value: v })),
);

interface Case {
  readonly iv: TargetInterval;
  readonly green: Tolerance;
  readonly amber: Tolerance;
  readonly latest: number;
  readonly previous: number;
  readonly polarity: TrendPolarity;
}

const cases = fc.record({
  a: printed, b: printed, sides: fc.constantFrom('min', 'max', 'range'), minInclusive: fc.boolean(), maxInclusive: fc.boolean(),
  green: fc.oneof(fc.constant<Tolerance>({ kind: 'relative', value: 0 }), tolerance), amber: tolerance,
  latest: printed, previous: printed, polarity: fc.constantFrom<TrendPolarity>('higher', 'lower', 'range', 'unknown'),
  edge: fc.boolean(),
}).map((c): Case => {
  const lo = Math.min(c.a, c.b);
  const hi = Math.max(c.a, c.b);
  const iv: TargetInterval = {
    min: c.sides === 'max' ? null : c.sides === 'range' ? lo : c.a,
    max: c.sides === 'min' ? null : c.sides === 'range' ? hi : c.a,
    minInclusive: c.minInclusive, maxInclusive: c.maxInclusive, unit: 'plain', decimals: 3,
  };
  // Half the cases put the value on the bound, where strictness decides.
  const latest = c.edge ? (iv.min ?? iv.max ?? c.latest) : c.latest;
  return { iv, green: c.green, amber: c.amber, latest, previous: c.previous, polarity: c.sides === 'range' ? c.polarity : c.polarity === 'range' ? 'unknown' : c.polarity };
});

function band(t: Tolerance): { relative: number; absolute: number } {
  return t.kind === 'relative' ? { relative: t.value, absolute: 0 } : { relative: 0, absolute: t.value };
}

function verdictOf(c: Case): Record<string, RuleValue> {
  const bound = (v: number | null): BoundSource => (v === null ? { kind: 'none' } : { kind: 'constant', value: v });
  const shape: PeriodRowShape = {
    kind: 'series', polarity: c.polarity, displayDecimals: 3, accumulates: false, scale: 1,
    min: bound(c.iv.min), max: bound(c.iv.max), minInclusive: c.iv.minInclusive, maxInclusive: c.iv.maxInclusive,
    green: band(c.green), amber: band(c.amber), noStatus: 'noTarget',
    periods: [
      { term: { kind: 'cell', role: 'before', divisor: 1 }, start: 24_000, end: 24_000 },
      { term: { kind: 'cell', role: 'now', divisor: 1 }, start: 24_001, end: 24_001 },
    ],
  };
  return evaluateBlock(rowRules(shape), { before: numberValue(c.previous), now: numberValue(c.latest), target: BLANK }) as Record<string, RuleValue>;
}

const num = (v: RuleValue | undefined): number | null => (v?.kind === 'number' ? v.value : null);
const value = (v: number): NumberValue => ({ kind: 'number', value: v, unit: 'plain', decimals: 3 });

describe('the rules judge as judge.ts does', () => {
  it('gives judgeValue\'s status, variance and variance %', () => {
    fc.assert(fc.property(cases, (c) => {
      const j = judgeValue(value(c.latest), c.iv, c.green, c.amber);
      const r = verdictOf(c);
      expect(STATUS_OF[num(r.statusCode) ?? 0]).toBe(j.status);
      expect(num(r.variance)).toBeCloseTo(j.variance ?? Number.NaN, 9);
      if (j.variancePct === null) expect(r.variancePct).toEqual({ kind: 'text', value: '' });
      else expect(num(r.variancePct)).toBeCloseTo(j.variancePct, 9);
    }), { numRuns: 3000, seed: 8 });
  });

  it('gives trendOf\'s direction of travel', () => {
    fc.assert(fc.property(cases, (c) => {
      const t = trendOf({
        latest: value(c.latest), previous: value(c.previous), latestPeriod: null, previousPeriod: null,
        polarity: c.polarity, interval: c.polarity === 'range' ? c.iv : null, accumulates: false,
      });
      expect(TREND_OF[num(verdictOf(c).trendCode) ?? -1]).toBe(t.trend);
    }), { numRuns: 3000, seed: 9 });
  });
});
