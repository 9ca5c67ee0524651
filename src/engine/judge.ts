/**
 * Judging one value against a target: RAG status with its reason, variance, and trend.
 */
import { floatCmp, meetsMaximum, meetsMinimum, roundTo } from './compare';
import { TOLERANCE } from './patterns';
import { Period, periodLength } from './period';
import { Polarity } from './polarity';
import { statusText, trendText } from './rules/vocabulary';
import { formatNumber, NumberValue, Unit } from './value';

/**
 * A tolerance band: a fraction of the bound (relative, 0.05 = 5% of the target), or a distance in the units the
 * row is printed in (absolute: 3 means 3 units, or 3 percentage points on a row of percentages).
 */
export interface Tolerance {
  readonly kind: 'relative' | 'absolute';
  readonly value: number;
}

/**
 * The one tolerance grammar (command line, pane, workbook settings, a Tolerance column): "5%" or "10 %" is relative,
 * a share of the target; "3", "2pp", "0.5 pts", "2 points" or "2 percentage points" is absolute, in the units each
 * row is printed in (points on a row of percentages). Returns undefined for anything else, a negative number
 * included.
 */
export function parseTolerance(text: string): Tolerance | undefined {
  const m = TOLERANCE.exec(text.trim())?.groups;
  if (m?.num === undefined) return undefined;
  const n = Number(m.num.replace(/,/g, ''));
  if (!Number.isFinite(n)) return undefined;
  return (m.unit ?? '') === '%' ? { kind: 'relative', value: n / 100 } : { kind: 'absolute', value: n };
}

/** Writes a tolerance in the grammar parseTolerance reads: "5%" or "3" (percent to at most four places). */
export function formatTolerance(t: Tolerance): string {
  return t.kind === 'relative' ? `${Number((t.value * 100).toFixed(4))}%` : String(t.value);
}

/** Returns true when a value is a tolerance: a kind and a finite number of at least 0 (what settings may hold). */
export function isTolerance(value: unknown): value is Tolerance {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, value: n } = value as { kind?: unknown; value?: unknown };
  return (kind === 'relative' || kind === 'absolute') && typeof n === 'number' && Number.isFinite(n) && n >= 0;
}

/** An absolute tolerance in the engine's own numbers (percentages are fractions: 3 pp → 0.03). */
export function absoluteTolerance(t: Tolerance, unit: Unit): number {
  return unit === 'percent' ? t.value / 100 : t.value;
}

/** A target read into an interval; null ends are open. */
export interface TargetInterval {
  readonly min: number | null;
  readonly max: number | null;
  readonly minInclusive: boolean;
  readonly maxInclusive: boolean;
  readonly unit: Unit;
  readonly decimals: number;
  readonly currency?: string;
}

/** RAG status, or none when the row cannot be judged. */
export type Status = 'green' | 'amber' | 'red' | 'none';

/** Direction of travel. */
export type Trend = 'improving' | 'worsening' | 'stable' | 'increasing' | 'decreasing' | 'not-comparable' | 'none';

/** Status words with their shapes, from the vocabulary, so status never relies on colour. */
export const STATUS_TEXT: Readonly<Record<Status, string>> = {
  green: statusText('green'), amber: statusText('amber'), red: statusText('red'), none: statusText('noData'),
};

/** Trend words with their arrows, from the vocabulary. */
export const TREND_TEXT: Readonly<Record<Trend, string>> = {
  improving: trendText('improving'), worsening: trendText('worsening'), stable: trendText('stable'), increasing: trendText('increasing'),
  decreasing: trendText('decreasing'), 'not-comparable': trendText('notComparable'), none: trendText('none'),
};

/** What a row's verdict says, shared by the evaluation and the report. */
export interface RowVerdict {
  readonly variance: number | null;
  readonly variancePct: number | null;
  readonly status: Status;
  readonly statusReason: string;
  readonly trend: Trend;
  readonly trendReason: string;
}

/** The verdict on one value. */
export interface Judgement {
  readonly status: Status;
  readonly reason: string;
  readonly variance: number | null;
  readonly variancePct: number | null;
}

/** Returns the width of a tolerance band around a bound. */
export function bandWidth(tolerance: Tolerance, bound: number, unit: Unit): number {
  return tolerance.kind === 'relative' ? tolerance.value * Math.abs(bound) : absoluteTolerance(tolerance, unit);
}

function show(value: number, iv: TargetInterval, decimals?: number): string {
  return formatNumber({ value, unit: iv.unit, decimals: decimals ?? iv.decimals, currency: iv.currency });
}

/** Returns the readable form of an interval: "≥ 88.0%", "> 85%", "≤ 287", "16 – 18". */
export function describeInterval(iv: TargetInterval): string {
  if (iv.min !== null && iv.max !== null) return `${show(iv.min, iv)} – ${show(iv.max, iv)}`;
  if (iv.min !== null) return `${iv.minInclusive ? '≥' : '>'} ${show(iv.min, iv)}`;
  if (iv.max !== null) return `${iv.maxInclusive ? '≤' : '<'} ${show(iv.max, iv)}`;
  return 'none';
}

/** "5%", or on a rate, where the miss is told in points, "5% of the target (4.5 pp)" so both read alike. */
function describeTolerance(t: Tolerance, iv: TargetInterval, edge: number): string {
  if (t.kind === 'relative') {
    const share = `${roundTo(t.value * 100, 2)}%`;
    return iv.unit === 'percent' ? `${share} of the target (${roundTo(t.value * Math.abs(edge) * 100, 2)} pp)` : share;
  }
  return iv.unit === 'percent' ? `${roundTo(t.value, 2)} pp` : show(t.value, iv);
}

/** Returns the signed distance of a value outside an interval (0 inside) and the bound it is measured from. */
export function distanceOutside(value: number, iv: TargetInterval): { distance: number; bound: number | null } {
  if (iv.min !== null && iv.max !== null) {
    if (value < iv.min) return { distance: value - iv.min, bound: iv.min };
    if (value > iv.max) return { distance: value - iv.max, bound: iv.max };
    return { distance: 0, bound: null };
  }
  if (iv.min !== null) return { distance: value - iv.min, bound: iv.min };
  if (iv.max !== null) return { distance: value - iv.max, bound: iv.max };
  return { distance: 0, bound: null };
}

/**
 * Judges a value against a target interval: green when on or better than target (or within the green
 * tolerance), amber when missed by no more than the amber band, red beyond it. A value equal to a strict
 * bound misses it. Bands are measured from the breached bound, on its failing side.
 */
export function judgeValue(value: NumberValue, iv: TargetInterval, green: Tolerance, amber: Tolerance, noun: 'target' | 'budget' = 'target'): Judgement {
  const v = value.value;
  const target = `${noun === 'budget' ? 'budget ' : ''}${describeInterval(iv)}`;
  const belowMin = iv.min !== null && !meetsMinimum(v, iv.min, iv.minInclusive);
  const aboveMax = iv.max !== null && !meetsMaximum(v, iv.max, iv.maxInclusive);
  const { distance, bound } = distanceOutside(v, iv);
  const variance = distance;
  const variancePct = bound === null ? (iv.min !== null && iv.max !== null ? 0 : null) : floatCmp(bound, 0) === 0 ? null : distance / Math.abs(bound);
  const shown = formatNumber(value);
  if (!belowMin && !aboveMax) {
    return { status: 'green', reason: `Green: ${shown} meets the ${noun === 'budget' ? '' : 'target '}${target}`, variance, variancePct };
  }
  const edge = (belowMin ? iv.min : iv.max) as number;
  const miss = Math.abs(v - edge);
  const side = belowMin ? 'below' : 'above';
  const bandName = iv.min !== null && iv.max !== null ? 'range' : belowMin ? 'minimum' : 'maximum';
  const howFar = iv.unit === 'percent'
    ? `${roundTo(miss * 100, Math.max(1, iv.decimals))} pp`
    : floatCmp(edge, 0) === 0 ? show(miss, iv, Math.max(iv.decimals, value.decimals)) : `${roundTo((miss / Math.abs(edge)) * 100, 1)}%`;
  const greenBand = bandWidth(green, edge, iv.unit);
  if (floatCmp(greenBand, 0) > 0 && floatCmp(miss, greenBand) <= 0) {
    return { status: 'green', reason: `Green: ${shown} is ${howFar} ${side} the ${target} ${bandName}, within the green tolerance ${describeTolerance(green, iv, edge)}`, variance, variancePct };
  }
  const amberBand = bandWidth(amber, edge, iv.unit);
  const bandText = floatCmp(amberBand, 0) > 0 ? `amber band ${describeTolerance(amber, iv, edge)}` : 'no amber band around a bound of 0';
  if (floatCmp(amberBand, 0) > 0 && floatCmp(miss, amberBand) <= 0) {
    return { status: 'amber', reason: `Amber: ${shown} is ${miss === 0 ? 'equal to' : `${howFar} ${side}`} the ${target} ${bandName}; ${bandText}`, variance, variancePct };
  }
  return { status: 'red', reason: `Red: ${shown} is ${howFar} ${side} the ${target} ${bandName}; ${bandText}`, variance, variancePct };
}

/** Returns true when two values are equal as displayed (each at its own displayed precision). */
export function equalAsDisplayed(a: NumberValue, b: NumberValue): boolean {
  const d = Math.max(a.decimals, b.decimals) + (a.unit === 'percent' ? 2 : 0);
  return floatCmp(roundTo(a.value, d), roundTo(b.value, d)) === 0;
}

/** Everything a trend needs. */
export interface TrendInput {
  readonly latest: NumberValue;
  readonly previous: NumberValue;
  readonly latestPeriod: Period | null;
  readonly previousPeriod: Period | null;
  readonly polarity: Polarity;
  readonly interval: TargetInterval | null;
  /** True for counts and amounts that accumulate over a period (so a quarter cannot be set against a year). */
  readonly accumulates: boolean;
}

/**
 * Returns the direction of travel: improving / worsening when polarity is known, increasing / decreasing
 * when it is not, stable when equal as displayed, not-comparable for accumulating counts over periods of
 * different length. Range targets trend by the change in the distance from the range.
 */
export function trendOf(t: TrendInput): { trend: Trend; reason: string } {
  const from = formatNumber(t.previous);
  const to = formatNumber(t.latest);
  if (t.accumulates && t.latestPeriod && t.previousPeriod && periodLength(t.latestPeriod) !== periodLength(t.previousPeriod)) {
    return { trend: 'not-comparable', reason: `${t.latestPeriod.label} and ${t.previousPeriod.label} cover periods of different length` };
  }
  if (equalAsDisplayed(t.latest, t.previous)) return { trend: 'stable', reason: `${from} → ${to}: no change as displayed` };
  const up = t.latest.value > t.previous.value;
  switch (t.polarity) {
    case 'higher':
      return { trend: up ? 'improving' : 'worsening', reason: `${from} → ${to}, higher is better` };
    case 'lower':
      return { trend: up ? 'worsening' : 'improving', reason: `${from} → ${to}, lower is better` };
    case 'range': {
      if (t.interval === null) return { trend: up ? 'increasing' : 'decreasing', reason: `${from} → ${to}` };
      const before = Math.abs(distanceOutside(t.previous.value, t.interval).distance);
      const after = Math.abs(distanceOutside(t.latest.value, t.interval).distance);
      const c = floatCmp(after, before);
      if (c === 0) return { trend: 'stable', reason: `${from} → ${to}: no nearer to the range` };
      return { trend: c < 0 ? 'improving' : 'worsening', reason: `${from} → ${to}: ${c < 0 ? 'nearer to' : 'further from'} the target range` };
    }
    case 'unknown':
      return { trend: up ? 'increasing' : 'decreasing', reason: `${from} → ${to}; polarity unknown` };
  }
}
