import {
  bandWidth, describeInterval, distanceOutside, equalAsDisplayed, judgeValue, Judgement, Status, TargetInterval,
  Tolerance, Trend, trendOf, TrendInput,
} from '../../src/engine/judge';
import { parsePeriod, Period } from '../../src/engine/period';
import { NumberValue, Unit } from '../../src/engine/value';

/** A plain number shown with `decimals` places. */
function num(value: number, decimals = 0): NumberValue {
  return { kind: 'number', value, unit: 'plain', decimals };
}
/** A percentage held as a fraction (0.88 shown as "88.0%" with decimals 1). */
function pct(value: number, decimals = 0): NumberValue {
  return { kind: 'number', value, unit: 'percent', decimals };
}
/** A pound amount. */
function gbp(value: number): NumberValue {
  return { kind: 'number', value, unit: 'currency', decimals: 0, currency: '£' };
}

interface Shown { readonly unit?: Unit; readonly decimals?: number; readonly currency?: string }
function interval(min: number | null, max: number | null, inclusive: boolean, shown: Shown = {}): TargetInterval {
  return { min, max, minInclusive: inclusive, maxInclusive: inclusive, unit: shown.unit ?? 'plain', decimals: shown.decimals ?? 0, ...(shown.currency !== undefined ? { currency: shown.currency } : {}) };
}
/** ≥ min */
const atLeast = (min: number, shown?: Shown): TargetInterval => interval(min, null, true, shown);
/** > min (a value equal to the bound misses it) */
const above = (min: number, shown?: Shown): TargetInterval => interval(min, null, false, shown);
/** ≤ max */
const atMost = (max: number, shown?: Shown): TargetInterval => interval(null, max, true, shown);
/** < max */
const below = (max: number, shown?: Shown): TargetInterval => interval(null, max, false, shown);
/** min – max, both ends inclusive */
const between = (min: number, max: number, shown?: Shown): TargetInterval => interval(min, max, true, shown);

const PCT: Shown = { unit: 'percent' };

/** A tolerance as a fraction of the bound. */
const relative = (value: number): Tolerance => ({ kind: 'relative', value });
/** A tolerance in the value's own units (percentage points for percentages). */
const absolute = (value: number): Tolerance => ({ kind: 'absolute', value });

/** The default settings: green tolerance 0, amber tolerance 5% of the bound. */
const DEFAULT = { green: relative(0), amber: relative(0.05) };

function judge(value: NumberValue, iv: TargetInterval, t: { green: Tolerance; amber: Tolerance } = DEFAULT): Judgement {
  return judgeValue(value, iv, t.green, t.amber);
}

describe('judgeValue with the default tolerances (green 0, amber 5% of the bound)', () => {
  describe('higher is better', () => {
    it.each<[string, NumberValue, TargetInterval, Status]>([
      ['90.1% against ≥ 88%', pct(0.901, 1), atLeast(0.88, PCT), 'green'],
      ['72.0% against ≥ 70.0%', pct(0.72, 1), atLeast(0.7, { unit: 'percent', decimals: 1 }), 'green'],
      ['49.3 against ≥ 48.0', num(49.3, 1), atLeast(48, { decimals: 1 }), 'green'],
      ['85.7% against > 85%', pct(0.857, 1), above(0.85, PCT), 'green'],
      ['exactly 85% against ≥ 85%', pct(0.85), atLeast(0.85, PCT), 'green'],
      ['87.6% against > 90% (2.7% short)', pct(0.876, 1), above(0.9, PCT), 'amber'],
      ['exactly 85% against the strict > 85%', pct(0.85), above(0.85, PCT), 'amber'],
      ['99.10% against ≥ 100%', pct(0.991, 2), atLeast(1, PCT), 'amber'],
      ['92.77% against ≥ 95%', pct(0.9277, 2), atLeast(0.95, PCT), 'amber'],
      ['85.5% against ≥ 90% (exactly 5% short)', pct(0.855, 1), atLeast(0.9, PCT), 'amber'],
      ['85.49% against ≥ 90% (just over 5% short)', pct(0.8549, 2), atLeast(0.9, PCT), 'red'],
      ['68.4% against ≥ 87%', pct(0.684, 1), atLeast(0.87, PCT), 'red'],
      ['73.78% against ≥ 95%', pct(0.7378, 2), atLeast(0.95, PCT), 'red'],
      ['£17,600 against ≥ £240,000', gbp(17600), atLeast(240000, { unit: 'currency', currency: '£' }), 'red'],
      ['27 against ≥ 184', num(27), atLeast(184), 'red'],
    ])('judges %s as %s', (_case, value, iv, status) => {
      expect(judge(value, iv).status).toBe(status);
    });
  });

  describe('lower is better', () => {
    it.each<[string, NumberValue, TargetInterval, Status]>([
      ['10.4 against ≤ 15', num(10.4, 1), atMost(15), 'green'],
      ['32.6% against ≤ 41.34%', pct(0.326, 1), atMost(0.4134, { unit: 'percent', decimals: 2 }), 'green'],
      ['3.5% against ≤ 4.20%', pct(0.035, 1), atMost(0.042, { unit: 'percent', decimals: 2 }), 'green'],
      ['2,465 against ≤ 2,749', num(2465), atMost(2749), 'green'],
      ['exactly 287 against ≤ 287', num(287), atMost(287), 'green'],
      ['296 against ≤ 287 (3.1% over)', num(296), atMost(287), 'amber'],
      ['22,106 against ≤ 21,904 (0.9% over)', num(22106), atMost(21904), 'amber'],
      ['£250,000 against ≤ £240,000', gbp(250000), atMost(240000, { unit: 'currency', currency: '£' }), 'amber'],
      ['exactly 5 against the strict < 5', num(5), below(5), 'amber'],
      ['303 against ≤ 287 (5.6% over)', num(303), atMost(287), 'red'],
      ['11,801 against ≤ 10,370', num(11801), atMost(10370), 'red'],
      ['16,926 against ≤ 16,000 (5.8% over)', num(16926), atMost(16000), 'red'],
      ['2.30% against ≤ 2%', pct(0.023, 2), atMost(0.02, PCT), 'red'],
      ['6.50% against ≤ 5.50%', pct(0.065, 2), atMost(0.055, { unit: 'percent', decimals: 2 }), 'red'],
      ['24 against < 5', num(24), below(5), 'red'],
    ])('judges %s as %s', (_case, value, iv, status) => {
      expect(judge(value, iv).status).toBe(status);
    });
  });

  describe('a bound of 0 gives no amber band', () => {
    it.each<[string, NumberValue, TargetInterval, Status]>([
      ['0 against ≤ 0', num(0), atMost(0), 'green'],
      ['6 against ≤ 0', num(6), atMost(0), 'red'],
      ['1 against ≤ 0', num(1), atMost(0), 'red'],
      ['0.01 against ≤ 0', num(0.01, 2), atMost(0), 'red'],
      ['-1 against ≥ 0', num(-1), atLeast(0), 'red'],
    ])('judges %s as %s', (_case, value, iv, status) => {
      expect(judge(value, iv).status).toBe(status);
    });

    it('says there is no amber band around a bound of 0, and gives no percentage variance', () => {
      const j = judge(num(6), atMost(0));
      expect(j.reason).toMatch(/^Red: /);
      expect(j.reason).toContain('no amber band');
      expect(j.variance).toBeCloseTo(6, 9);
      expect(j.variancePct).toBeNull();
    });
  });

  describe('negative bounds (income lines of a budget)', () => {
    it.each<[string, NumberValue, TargetInterval, Status]>([
      ['-1,086 against ≤ -888', num(-1086), atMost(-888), 'green'],
      ['-888 against ≤ -888', num(-888), atMost(-888), 'green'],
      ['-850 against ≤ -888 (4.3% of |bound| over)', num(-850), atMost(-888), 'amber'],
      ['-843.6 against ≤ -888 (exactly 5% over)', num(-843.6, 1), atMost(-888), 'amber'],
      ['-843.5 against ≤ -888', num(-843.5, 1), atMost(-888), 'red'],
      ['-800 against ≤ -888', num(-800), atMost(-888), 'red'],
      ['-1,000 against ≥ -888', num(-1000), atLeast(-888), 'red'],
      ['-920 against ≥ -888', num(-920), atLeast(-888), 'amber'],
    ])('judges %s as %s', (_case, value, iv, status) => {
      expect(judge(value, iv).status).toBe(status);
    });

    it('measures the amber band from the absolute value of a negative bound', () => {
      expect(bandWidth(relative(0.05), -888, 'plain')).toBeCloseTo(44.4, 9);
      expect(bandWidth(relative(0.05), 888, 'plain')).toBeCloseTo(44.4, 9);
      expect(bandWidth(absolute(2), -888, 'plain')).toBe(2);
    });

    it('reads an absolute tolerance on a rate as percentage points', () => {
      expect(bandWidth(absolute(3), 0.85, 'percent')).toBeCloseTo(0.03, 12);
    });
  });

  describe('range targets', () => {
    it.each<[string, NumberValue, Status]>([
      ['17 inside 16 – 18', num(17), 'green'],
      ['16 on the lower end', num(16), 'green'],
      ['18 on the upper end', num(18), 'green'],
      ['18.5, within 5% above the upper end', num(18.5, 1), 'amber'],
      ['15.5, within 5% below the lower end', num(15.5, 1), 'amber'],
      ['19, more than 5% above the upper end', num(19), 'red'],
      ['14, more than 5% below the lower end', num(14), 'red'],
    ])('judges %s as %s', (_case, value, status) => {
      expect(judge(value, between(16, 18)).status).toBe(status);
    });

    it('measures the variance from the breached end of the range', () => {
      const j = judge(num(14), between(16, 18));
      expect(j.variance).toBeCloseTo(-2, 9);
      expect(j.variancePct).toBeCloseTo(-0.125, 9);
      expect(j.reason).toBe('Red: 14 is 12.5% below the 16 – 18 range; amber band 5%');
    });

    it('gives a value inside the range zero variance', () => {
      const j = judge(num(17), between(16, 18));
      expect(j.variance).toBe(0);
      expect(j.variancePct).toBe(0);
    });
  });
});

describe('judgeValue with other tolerances', () => {
  it.each<[string, NumberValue, Status]>([
    ['95 (5% short)', num(95), 'green'],
    ['92 (8% short)', num(92), 'amber'],
    ['90 (10% short)', num(90), 'amber'],
    ['89 (11% short)', num(89), 'red'],
  ])('judges %s against ≥ 100 as %s with green within 5% and amber within 10% (Bracknell Forest)', (_case, value, status) => {
    expect(judge(value, atLeast(100), { green: relative(0.05), amber: relative(0.1) }).status).toBe(status);
  });

  it('names the green tolerance when a miss is forgiven by it', () => {
    const j = judge(num(95), atLeast(100), { green: relative(0.05), amber: relative(0.1) });
    expect(j.reason).toMatch(/^Green: /);
    expect(j.reason).toContain('within the green tolerance 5%');
    expect(j.variance).toBeCloseTo(-5, 9);
  });

  it.each<[string, NumberValue, Status]>([
    ['86% (2 pp short)', pct(0.86), 'amber'],
    ['85% (3 pp short)', pct(0.85), 'red'],
  ])('judges %s against ≥ 88% as %s with an absolute amber tolerance of 2 percentage points', (_case, value, status) => {
    const j = judge(value, atLeast(0.88, PCT), { green: relative(0), amber: absolute(2) });
    expect(j.status).toBe(status);
    expect(j.reason).toContain('amber band 2 pp');
  });

  it('gives a bound of 0 an amber band when the tolerance is absolute', () => {
    const j = judge(num(2), atMost(0), { green: relative(0), amber: absolute(2) });
    expect(j.status).toBe('amber');
    expect(j.reason).toContain('amber band 2');
  });

  it('forgives a miss within an absolute green tolerance', () => {
    expect(judge(num(101), atMost(100), { green: absolute(2), amber: relative(0.05) }).status).toBe('green');
    expect(judge(num(103), atMost(100), { green: absolute(2), amber: relative(0.05) }).status).toBe('amber');
  });
});

describe('variance', () => {
  it('gives 90.1% against ≥ 88% a variance of 0.021 and a variancePct of about 0.0239', () => {
    const j = judge(pct(0.901, 1), atLeast(0.88, PCT));
    expect(j.variance).toBeCloseTo(0.021, 9);
    expect(j.variancePct).toBeCloseTo(0.0239, 4);
  });

  it.each<[string, number, number, NumberValue, TargetInterval]>([
    ['87.6% against > 90%', -0.024, -0.02667, pct(0.876, 1), above(0.9, PCT)],
    ['303 against ≤ 287', 16, 0.05575, num(303), atMost(287)],
    ['22,106 against ≤ 21,904', 202, 0.00922, num(22106), atMost(21904)],
    ['-1,086 against ≤ -888', -198, -0.22297, num(-1086), atMost(-888)],
    ['10.4 against ≤ 15', -4.6, -0.30667, num(10.4, 1), atMost(15)],
  ])('gives %s a variance of %s (%s of the bound)', (_case, variance, variancePct, value, iv) => {
    const j = judge(value, iv);
    expect(j.variance).toBeCloseTo(variance, 9);
    expect(j.variancePct).toBeCloseTo(variancePct, 4);
  });
});

describe('the reason sentence', () => {
  it.each<[string, NumberValue, TargetInterval]>([
    ['Green: 90.1% meets the target ≥ 88%', pct(0.901, 1), atLeast(0.88, PCT)],
    ['Amber: 87.6% is 2.4 pp below the > 90% minimum; amber band 5% of the target (4.5 pp)', pct(0.876, 1), above(0.9, PCT)],
    ['Amber: 85% is equal to the > 85% minimum; amber band 5% of the target (4.25 pp)', pct(0.85), above(0.85, PCT)],
    ['Red: 303 is 5.6% above the ≤ 287 maximum; amber band 5%', num(303), atMost(287)],
    ['Amber: 22,106 is 0.9% above the ≤ 21,904 maximum; amber band 5%', num(22106), atMost(21904)],
    ['Green: -1,086 meets the target ≤ -888', num(-1086), atMost(-888)],
    ['Amber: £250,000 is 4.2% above the ≤ £240,000 maximum; amber band 5%', gbp(250000), atMost(240000, { unit: 'currency', currency: '£' })],
  ])('writes %j', (reason, value, iv) => {
    expect(judge(value, iv).reason).toBe(reason);
  });

  it.each<[Status, NumberValue, TargetInterval]>([
    ['green', num(10), atMost(15)],
    ['amber', num(296), atMost(287)],
    ['red', num(303), atMost(287)],
  ])('starts a %s reason with the status and names the bound', (status, value, iv) => {
    const j = judge(value, iv);
    expect(j.status).toBe(status);
    expect(j.reason.startsWith(`${status[0]?.toUpperCase()}${status.slice(1)}: `)).toBe(true);
    expect(j.reason).toContain(describeInterval(iv));
  });
});

describe('describeInterval', () => {
  it.each<[string, TargetInterval]>([
    ['≥ 88.0%', atLeast(0.88, { unit: 'percent', decimals: 1 })],
    ['> 85%', above(0.85, PCT)],
    ['≤ 287', atMost(287)],
    ['< 287', below(287)],
    ['16 – 18', between(16, 18)],
    ['≤ £240,000', atMost(240000, { unit: 'currency', currency: '£' })],
    ['≤ -888', atMost(-888)],
    ['none', interval(null, null, true)],
  ])('prints the interval as %j', (shown, iv) => {
    expect(describeInterval(iv)).toBe(shown);
  });
});

describe('distanceOutside', () => {
  it.each<[string, number, number | null, number, TargetInterval]>([
    ['15 against 16 – 18', -1, 16, 15, between(16, 18)],
    ['17 against 16 – 18', 0, null, 17, between(16, 18)],
    ['20 against 16 – 18', 2, 18, 20, between(16, 18)],
    ['303 against ≤ 287', 16, 287, 303, atMost(287)],
    ['0.876 against ≥ 0.9', -0.024, 0.9, 0.876, atLeast(0.9)],
    ['5 against no bound', 0, null, 5, interval(null, null, true)],
  ])('measures %s as %s from the bound %s', (_case, distance, bound, value, iv) => {
    const d = distanceOutside(value, iv);
    expect(d.distance).toBeCloseTo(distance, 9);
    expect(d.bound).toBe(bound);
  });
});

/** A trend input with no periods, unknown polarity and no target unless given. */
function trend(latest: NumberValue, previous: NumberValue, more: Partial<Omit<TrendInput, 'latest' | 'previous'>> = {}): Trend {
  return trendOf({ latest, previous, latestPeriod: null, previousPeriod: null, polarity: 'unknown', interval: null, accumulates: false, ...more }).trend;
}

function period(label: string, reportingYear?: number): Period {
  const p = parsePeriod(label, reportingYear);
  if (p === undefined) throw new Error(`${label} names no period`);
  return p;
}

describe('trendOf', () => {
  describe('with a known polarity: improving or worsening', () => {
    it.each<[string, NumberValue, NumberValue, 'higher' | 'lower', Trend]>([
      ['88% → 90.1%, higher is better', pct(0.901, 1), pct(0.88), 'higher', 'improving'],
      ['87% → 68.4%, higher is better', pct(0.684, 1), pct(0.87), 'higher', 'worsening'],
      ['65.0% → 72.0%, higher is better', pct(0.72, 1), pct(0.65, 1), 'higher', 'improving'],
      ['13 → 10.4, lower is better', num(10.4, 1), num(13), 'lower', 'improving'],
      ['296 → 303, lower is better', num(303), num(296), 'lower', 'worsening'],
      ['29.87% → 32.6%, lower is better', pct(0.326, 1), pct(0.2987, 2), 'lower', 'worsening'],
      ['3% → 2.30%, lower is better', pct(0.023, 2), pct(0.03), 'lower', 'improving'],
      ['7.29 → 7.53 days lost, lower is better', num(7.53, 2), num(7.29, 2), 'lower', 'worsening'],
      ['19% → 18% turnover, lower is better', pct(0.18), pct(0.19), 'lower', 'improving'],
    ])('reads %s as %s', (_case, latest, previous, polarity, expected) => {
      expect(trend(latest, previous, { polarity })).toBe(expected);
    });
  });

  describe('with unknown polarity: increasing or decreasing', () => {
    it.each<[string, NumberValue, NumberValue, Trend]>([
      ['348 → 347 headcount', num(347), num(348), 'decreasing'],
      ['953 → 912 costs', num(912), num(953), 'decreasing'],
      ['348 → 349', num(349), num(348), 'increasing'],
    ])('reads %s as %s', (_case, latest, previous, expected) => {
      expect(trend(latest, previous)).toBe(expected);
    });
  });

  describe('stable only when equal as displayed', () => {
    it.each<[string, NumberValue, NumberValue]>([
      ['301 → 301', num(301), num(301)],
      ['88% → 88.0%', pct(0.88, 1), pct(0.88)],
      ['88.0% → 88.0% (0.8804 shown with one decimal)', pct(0.88, 1), pct(0.8804, 1)],
    ])('reads %s as stable whatever the polarity', (_case, latest, previous) => {
      expect(trend(latest, previous)).toBe('stable');
      expect(trend(latest, previous, { polarity: 'higher' })).toBe('stable');
      expect(trend(latest, previous, { polarity: 'lower' })).toBe('stable');
    });

    it.each<[string, NumberValue, NumberValue]>([
      ['88.04% → 88.0%', pct(0.88, 1), pct(0.8804, 2)],
      ['7.5 → 7.53', num(7.53, 2), num(7.5, 1)],
      ['301 → 302', num(302), num(301)],
    ])('does not read %s as stable: there is no band', (_case, latest, previous) => {
      expect(trend(latest, previous, { polarity: 'higher' })).not.toBe('stable');
    });

    it('compares values at the precision they are displayed', () => {
      expect(equalAsDisplayed(pct(0.88, 1), pct(0.8804, 1))).toBe(true);
      expect(equalAsDisplayed(pct(0.88, 1), pct(0.8849, 1))).toBe(false);
      expect(equalAsDisplayed(num(301), num(301.4))).toBe(true);
      expect(equalAsDisplayed(num(301), num(301.5))).toBe(false);
    });
  });

  describe('not comparable', () => {
    const q1 = period('Q1', 2014);
    const lastYear = period('2013-14');

    it('reads an accumulating count for a quarter against a whole year as not comparable', () => {
      const t = trendOf({ latest: gbp(17600), previous: gbp(35800), latestPeriod: q1, previousPeriod: lastYear, polarity: 'higher', interval: null, accumulates: true });
      expect(t.trend).toBe('not-comparable');
      expect(t.reason).toContain('different length');
    });

    it('compares a rate for a quarter with a whole year', () => {
      expect(trend(pct(0.065, 2), pct(0.06), { latestPeriod: q1, previousPeriod: lastYear, polarity: 'lower', accumulates: false })).toBe('worsening');
    });

    it('compares an accumulating count across two whole years', () => {
      expect(trend(num(27), num(35), { latestPeriod: period('2014-15'), previousPeriod: lastYear, polarity: 'higher', accumulates: true })).toBe('worsening');
    });

    it('compares an accumulating count across two months', () => {
      expect(trend(num(347), num(348), { latestPeriod: period('Mar-17'), previousPeriod: period('Feb-17'), accumulates: true })).toBe('decreasing');
    });
  });

  describe('range targets trend by the distance from the range', () => {
    const range = between(16, 18);
    it.each<[string, NumberValue, NumberValue, Trend]>([
      ['16 → 14: from inside to 2 below', num(14), num(16), 'worsening'],
      ['21 → 19: from 3 above to 1 above', num(19), num(21), 'improving'],
      ['19 → 14: from 1 above to 2 below', num(14), num(19), 'worsening'],
      ['14 → 17: from 2 below to inside', num(17), num(14), 'improving'],
      ['19 → 17: from 1 above to inside', num(17), num(19), 'improving'],
    ])('reads %s as %s', (_case, latest, previous, expected) => {
      expect(trend(latest, previous, { polarity: 'range', interval: range })).toBe(expected);
    });

    it('reads a move within the range as stable: the distance stays zero', () => {
      expect(trend(num(17), num(16), { polarity: 'range', interval: range })).toBe('stable');
    });

    it('reads a range polarity without an interval as increasing or decreasing', () => {
      expect(trend(num(17), num(16), { polarity: 'range', interval: null })).toBe('increasing');
      expect(trend(num(15), num(16), { polarity: 'range', interval: null })).toBe('decreasing');
    });
  });

  it('gives a reason that shows both values as displayed', () => {
    const t = trendOf({ latest: pct(0.901, 1), previous: pct(0.88), latestPeriod: null, previousPeriod: null, polarity: 'higher', interval: null, accumulates: false });
    expect(t.reason).toBe('88% → 90.1%, higher is better');
  });
});
