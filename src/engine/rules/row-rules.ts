/**
 * Every judging rule of a row, written once in the rule language: latest, previous, the target's bounds
 * (pro-rata too), variance, variance %, status, trend, the risk band, the budget variance and its movement.
 * A row's shape (what the engine decided when it read the row: which cells are periods and in what order,
 * which cells it read as percentages, the target's sides, tolerances, polarity) goes in; a block of rules comes
 * out. The engine's verdict is `evaluateBlock` over the row's cells; the sheet's formulas are `emitBlock` of the
 * same block, so the two cannot disagree.
 *
 * No rule nests once per period column: the newest period holding a number is found with
 * MAX(ISNUMBER(cell)×position, …) and read with CHOOSE, so a 72-month series stays a few levels deep.
 */
import {
  abs, add, allNumbers, and, assertNever, bool, call, count, div, Expr, ge, gt, iff, isNumber, le, lt, mul, ne, neg, num, or, ref, sub, text,
} from './expr';
import { foldRule, isLiteral } from './fold';
import { NoStatusKey, RISK_BANDS, STATUS_CODE, statusText, TREND_CODE, TREND_VOCABULARY, TrendKey, trendText } from './vocabulary';

/** How a period (or figure) cell enters a row's value, as the engine read it. */
export type ValueTerm =
  /** A number in the cell (typed, or made typed by the refresh); `divisor` 100 when a bare 85 means 85%. */
  | { readonly kind: 'cell'; readonly role: string; readonly divisor: 1 | 100 }
  /**
   * Text the engine reads as a number ("13 ¹"): the reading stands until a number is typed over it (or the refresh
   * types it); a typed number is divided by `divisor` (100 where the text "85" was read as 85%).
   */
  | { readonly kind: 'reading'; readonly role: string; readonly value: number; readonly divisor?: 1 | 100 }
  /** A value in a unit the target does not use: it counts as reported, but gives no value to judge. */
  | { readonly kind: 'mismatch'; readonly role: string; readonly typed: boolean };

/** A period column of a row, in the engine's order (oldest first). Months are absolute (year × 12 + month). */
export interface PeriodColumn {
  readonly term: ValueTerm;
  readonly start: number | null;
  readonly end: number | null;
  /** A year-to-date figure: with no figure for the same point a year earlier, its trend is not comparable. */
  readonly yearToDate?: boolean;
}

/** A cell holding a published mark (R / A / G, Met / Not met): the exact words, case aside, read as each status. */
export interface MarkCell {
  readonly role: string;
  readonly green: readonly string[];
  readonly amber: readonly string[];
  readonly red: readonly string[];
}

/** Where a target bound comes from. */
export type BoundSource =
  | { readonly kind: 'none' }
  /** A bound the engine read from text ("≥ 85%", "16 – 18", "20% reduction on 2013-14"). */
  | { readonly kind: 'constant'; readonly value: number }
  /** A live cell: a typed target, or a budget figure. */
  | { readonly kind: 'cell'; readonly term: ValueTerm }
  /** A profiled target: the annual figure times the share of the year the latest period covers (one per period column). */
  | { readonly kind: 'proRata'; readonly annual: Exclude<BoundSource, { kind: 'proRata' } | { kind: 'none' }>; readonly shares: readonly number[] };

/** A tolerance band in the engine's numbers: `relative` × |bound| + `absolute` (3 pp on a rate is 0.03). */
export interface Band {
  readonly relative: number;
  readonly absolute: number;
}

/** The polarity a trend reads by. */
export type TrendPolarity = 'higher' | 'lower' | 'range' | 'unknown';

/** What judging a value against a target needs. */
export interface JudgedShape {
  readonly min: BoundSource;
  readonly max: BoundSource;
  readonly minInclusive: boolean;
  readonly maxInclusive: boolean;
  readonly green: Band;
  readonly amber: Band;
  /** The word shown when there is no target to judge by. */
  readonly noStatus: NoStatusKey;
  /** 100 on a row of percentages (variance shown in points), else 1. */
  readonly scale: 1 | 100;
}

/** A KPI row (compared with last year where there is one) or a monthly series row (with the preceding period). */
export interface PeriodRowShape extends JudgedShape {
  readonly kind: 'kpi' | 'series';
  readonly periods: readonly PeriodColumn[];
  readonly polarity: TrendPolarity;
  /** Decimal places compared for "stable" (a percentage's decimals + 2). */
  readonly displayDecimals: number;
  /** True for counts and amounts that accumulate: a quarter is not comparable with a year. */
  readonly accumulates: boolean;
  /**
   * Value columns ("Result"), after the periods in position: the first one holding a value is the latest, and the
   * newest period then the previous. Their positions follow the periods' (n + 1, n + 2, …).
   */
  readonly values?: readonly PeriodColumn[];
  /**
   * Which earlier positions may be the previous value for each latest position, and how much each is preferred:
   * `previousRanks[k - 1][j - 1]` is 0 when position j cannot be the previous of latest k, else its tier (higher
   * wins; within a tier, the newest). Without it, the newest reported period before the latest's span, a whole year
   * that ended before the latest began preferred on a KPI row.
   */
  readonly previousRanks?: ReadonlyArray<readonly number[]>;
  /** A yes / no standard: the status is the newest published mark among these cells (in order), not a comparison. */
  readonly marks?: readonly MarkCell[];
}

/** A grid of published ratings per period: the newest period's rating is the status, the one before gives the trend. */
export interface RatingsRowShape {
  readonly kind: 'ratings';
  /** The period cells, oldest first. */
  readonly periods: readonly MarkCell[];
}

/** A sign-convention-aware figure cell: `sign` −1 where the column prints underspend as positive. */
export interface SignedCell {
  readonly term: ValueTerm;
  readonly sign: 1 | -1;
}

/** A budget line. */
export interface BudgetRowShape {
  readonly kind: 'budget';
  readonly budget: ValueTerm | null;
  readonly forecast: ValueTerm | null;
  readonly publishedVariance: SignedCell | null;
  readonly priorVariance: SignedCell | null;
  readonly movement: SignedCell | null;
  readonly green: Band;
  readonly amber: Band;
  /** Decimal places of the budget (or forecast): a movement that rounds to 0 there is stable. */
  readonly decimals: number;
  readonly scale: 1 | 100;
  /** A table of variances only: the printed figure is the variance, with no budget to judge it by. */
  readonly varianceOnly?: boolean;
}

/** A risk register row: the rating after controls, else before. */
export interface RiskRowShape {
  readonly kind: 'risk';
  readonly after: ValueTerm | null;
  readonly before: ValueTerm | null;
  readonly displayDecimals: number;
}

/** Every kind of row the engine judges. */
export type RowShape = PeriodRowShape | BudgetRowShape | RiskRowShape | RatingsRowShape;

/** The cells a block writes, by role. Helpers are hidden; the rest are the block's visible columns. */
export type BlockRole =
  | 'latestIndex' | 'latest' | 'previousIndex' | 'previous' | 'min' | 'max'
  | 'variance' | 'variancePct' | 'statusCode' | 'status' | 'currentVariance' | 'change' | 'trendCode' | 'trend';

/** One rule of a block. */
export interface BlockRule {
  readonly role: BlockRole;
  readonly expr: Expr;
}

/** A row's rules in the order they are computed (each reads only cells before it and the row's own cells). */
export interface RowBlock {
  readonly rules: readonly BlockRule[];
  /** The row's no-status word (status code 5). */
  readonly noStatus: NoStatusKey;
  /**
   * The row's readings of text cells ("13 ¹" read as 13), by reading role (`readingRole`): the rules refer to them
   * by role, so that rows differing only in such values share their rules. The evaluator reads them as numbers;
   * the emitter writes them as number literals.
   */
  readonly readings?: Readonly<Record<string, number>>;
}

function literalNumber(value: number): number {
  const e = num(value);
  return e.kind === 'number' ? e.value : value;
}

/** The role under which a rule reads the engine's reading of a text cell: "c4:reading". */
export function readingRole(role: string): string {
  return `${role}:reading`;
}

const EMPTY = text('');
const TRUE = bool(true);
const FALSE = bool(false);
/** Bonus of one tier of preference for the previous value: larger than any position. */
const PREVIOUS_BONUS = 1000;
/** Step between the weights of mark cells: larger than any status code. */
const MARK_STEP = 4;
/** Most decimal places compared for "equal as displayed". */
const MAX_DISPLAY_DECIMALS = 12;
/** Largest previous-index rule (in nodes) written from the engine's preferences; about 4,000 characters. */
const MAX_PREVIOUS_SIZE = 1200;
/** floatCmp's "equal to 0" for a bound: |bound| ≤ 1e-9. */
const ZERO_BOUND = 1e-9;
/** ×(1 + 1e-12) before ROUND, so that a half that binary floating point holds as 0.4999… rounds away from zero in every engine. */
const ROUND_NUDGE = 1 + 1e-12;

/** Returns whether a term's cell counts as reported. */
function presentOf(t: ValueTerm): Expr {
  switch (t.kind) {
    case 'cell': return isNumber(ref(t.role));
    case 'reading': return TRUE;
    case 'mismatch': return t.typed ? isNumber(ref(t.role)) : TRUE;
  }
}

/** Returns a term's value as the engine reads it ("" for a value in the wrong unit). */
function valueOf(t: ValueTerm): Expr {
  switch (t.kind) {
    case 'cell': return t.divisor === 1 ? ref(t.role) : div(ref(t.role), num(t.divisor));
    case 'reading': return iff(isNumber(ref(t.role)), (t.divisor ?? 1) === 1 ? ref(t.role) : div(ref(t.role), num(t.divisor ?? 1)), ref(readingRole(t.role)));
    case 'mismatch': return EMPTY;
  }
}

/** IF(present, value, "") for one cell. */
function termOrEmpty(t: ValueTerm | null): Expr {
  if (t === null) return EMPTY;
  return iff(presentOf(t), valueOf(t), EMPTY);
}

/** `present × weight`, written without "×1". */
function weighted(present: Expr, weight: Expr): Expr {
  if (present.kind === 'boolean' && present.value) return weight;
  return weight.kind === 'number' && weight.value === 1 ? present : mul(present, weight);
}

/** Returns the last index of each column's group: columns of one span (a period and its revision) form a group. */
function groupEnds(periods: readonly PeriodColumn[]): number[] {
  const ends: number[] = [];
  for (let i = periods.length - 1; i >= 0; i--) {
    const p = periods[i];
    const q = periods[i + 1];
    const sameSpan = p !== undefined && q !== undefined && p.start !== null && p.end !== null && p.start === q.start && p.end === q.end;
    ends[i] = sameSpan ? (ends[i + 1] ?? i) : i;
  }
  return ends;
}

/**
 * `index ∈ positions` (1-based, sorted) for an index in 0…n that is 0 only when nothing was reported: runs of
 * consecutive positions become `index>=a` (to the end), `index<=b` (from the start) or both.
 */
function indexIn(index: Expr, positions: readonly number[], n: number): Expr {
  const runs: Array<[number, number]> = [];
  for (const p of positions) {
    const last = runs[runs.length - 1];
    if (last !== undefined && p === last[1] + 1) last[1] = p; else runs.push([p, p]);
  }
  const test = ([a, b]: [number, number]): Expr => {
    if (a === b) return binaryEq(index, a);
    if (b === n && a === 1) return TRUE;
    if (b === n) return ge(index, num(a));
    if (a === 1) return le(index, num(b));
    return and(ge(index, num(a)), le(index, num(b)));
  };
  if (runs.length === 0) return FALSE;
  return runs.length === 1 ? test(runs[0] as [number, number]) : or(...runs.map(test));
}

function binaryEq(index: Expr, p: number): Expr {
  return { kind: 'binary', op: '=', left: index, right: num(p) };
}

/** The period columns, then the value columns: every position a latest value can come from. */
function positionsOf(shape: PeriodRowShape): PeriodColumn[] {
  return [...shape.periods, ...(shape.values ?? [])];
}

/**
 * Latest index: the first value column holding a value, else the position (1-based, in period order) of the newest
 * period cell that was reported; 0 when none.
 */
function latestIndexRule(shape: PeriodRowShape): Expr {
  const { periods } = shape;
  let e = periods.length === 0 ? num(0) : call('MAX', ...periods.map((p, i) => weighted(presentOf(p.term), num(i + 1))));
  const values = shape.values ?? [];
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i] as PeriodColumn;
    e = iff(presentOf(v.term), num(periods.length + i + 1), e);
  }
  return e;
}

/** The default tiers of the previous value: see `PeriodRowShape.previousRanks`. */
function defaultRanks(shape: PeriodRowShape): number[][] {
  const all = positionsOf(shape);
  const n = shape.periods.length;
  const ends = groupEnds(shape.periods);
  return all.map((latest, k) => all.map((p, j) => {
    if (k >= n) return j < n ? 1 : 0;
    if (j >= n || (ends[j] ?? j) >= k) return 0;
    const isYear = p.start !== null && p.end !== null && p.end - p.start + 1 === 12;
    return shape.kind === 'kpi' && isYear && p.end !== null && latest.start !== null && latest.start > p.end ? 2 : 1;
  }));
}

/**
 * Previous index: of the positions the latest one may be compared with, the most preferred that was reported (the
 * newest within a tier). Tiers are added as multiples of a bonus larger than any position and taken off with MOD.
 */
function previousIndexRule(shape: PeriodRowShape): Expr {
  const ranked = shape.previousRanks === undefined ? undefined : previousIndexOf(shape, shape.previousRanks);
  // Preferences too tangled to write compactly give way to the default: a formula must stay within Excel's limits.
  return ranked !== undefined && sizeOf(ranked) <= MAX_PREVIOUS_SIZE ? ranked : previousIndexOf(shape, defaultRanks(shape));
}

/** The number of nodes of an expression: a measure of its formula's length. */
function sizeOf(e: Expr): number {
  switch (e.kind) {
    case 'number': case 'text': case 'boolean': case 'ref': return 1;
    case 'negate': return 1 + sizeOf(e.operand);
    case 'binary': return 1 + sizeOf(e.left) + sizeOf(e.right);
    case 'call': return 1 + e.args.reduce((n, a) => n + sizeOf(a), 0);
    default: return assertNever(e);
  }
}

function previousIndexOf(shape: PeriodRowShape, ranks: ReadonlyArray<readonly number[]>): Expr {
  const L = ref('latestIndex');
  const all = positionsOf(shape);
  const n = all.length;
  const tiers = [...new Set(ranks.flatMap((row) => row.filter((t) => t > 0)))].sort((a, b) => a - b);
  const lowest = tiers[0] ?? 1;
  const terms: Expr[] = [];
  all.forEach((p, j) => {
    if (p.term.kind === 'mismatch') return;
    const byTier = new Map<number, number[]>();
    const eligible: number[] = [];
    ranks.forEach((row, k) => {
      const t = row[j] ?? 0;
      if (t <= 0) return;
      eligible.push(k + 1);
      if (t > lowest) byTier.set(t, [...(byTier.get(t) ?? []), k + 1]);
    });
    if (eligible.length === 0) return;
    let weight: Expr = num(j + 1);
    for (const [t, ks] of byTier) weight = add(weight, mul(num(PREVIOUS_BONUS * (tiers.indexOf(t))), indexIn(L, ks, n)));
    terms.push(weighted(weighted(presentOf(p.term), indexIn(L, eligible, n)), weight));
  });
  if (terms.length === 0) return num(0);
  const best = call('MAX', ...terms);
  return tiers.length > 1 ? call('MOD', best, num(PREVIOUS_BONUS)) : best;
}

/** IF(index, CHOOSE(index, v1, v2, …), "") over the positions' values. */
function pick(index: Expr, periods: readonly PeriodColumn[]): Expr {
  if (periods.length === 0) return EMPTY;
  return iff(index, call('CHOOSE', index, ...periods.map((p) => valueOf(p.term))), EMPTY);
}

interface Side {
  readonly expr: Expr;
  /** True when the side may hold no number (a target cell the user can clear): rules test it before reading it. */
  readonly live: boolean;
}

/** The rule that fills a live bound's helper cell, or undefined for a constant or absent bound. */
function boundRule(source: BoundSource): Expr | undefined {
  switch (source.kind) {
    case 'none': case 'constant': return undefined;
    case 'cell': return termOrEmpty(source.term);
    case 'proRata': {
      const L = ref('latestIndex');
      const share = source.shares.length === 0 ? num(1) : iff(L, call('CHOOSE', L, ...source.shares.map((s) => num(s))), num(1));
      if (source.annual.kind === 'constant') return mul(num(source.annual.value), share);
      const annual = valueOf(source.annual.term);
      return iff(presentOf(source.annual.term), mul(annual, share), EMPTY);
    }
  }
}

function sideOf(source: BoundSource, role: 'min' | 'max'): Side | null {
  switch (source.kind) {
    case 'none': return null;
    case 'constant': return { expr: num(source.value), live: false };
    case 'cell': return { expr: ref(role), live: true };
    // A constant annual target's share of the year is always a number (the latest position picks a share, or 1):
    // its helper cell is read without a guard.
    case 'proRata': return { expr: ref(role), live: source.annual.kind !== 'constant' };
  }
}

/** TRUE when the side holds a number (always, for a constant bound). */
function has(s: Side): Expr {
  return s.live ? isNumber(s.expr) : TRUE;
}

/** The width of a band around a bound: relative × |bound| + absolute. */
function bandWidth(band: Band, bound: Expr): Expr {
  if (band.relative === 0) return num(band.absolute);
  const rel = mul(num(band.relative), abs(bound));
  return band.absolute === 0 ? rel : add(rel, num(band.absolute));
}

interface Judged {
  readonly lo: Side | null;
  readonly hi: Side | null;
  readonly minInclusive: boolean;
  readonly maxInclusive: boolean;
  readonly green: Band;
  readonly amber: Band;
}

function hasTarget(j: Judged): Expr {
  const sides = [j.lo, j.hi].filter((s): s is Side => s !== null);
  if (sides.length === 0) return FALSE;
  return or(...sides.map(has));
}

/** Inside a "has a target" test, a target with one side holds a number there: its guards can go. */
function narrowed(j: Judged): Judged {
  if (j.lo !== null && j.hi === null) return { ...j, lo: { ...j.lo, live: false } };
  if (j.hi !== null && j.lo === null) return { ...j, hi: { ...j.hi, live: false } };
  return j;
}

/** TRUE when the latest value and the target can be compared: ISNUMBER(latest − bound) on a one-sided target. */
function judgeable(j: Judged): Expr {
  const L = ref('latest');
  const one = j.lo === null ? j.hi : j.hi === null ? j.lo : null;
  if (one !== null && one.live) return allNumbers(L, one.expr);
  return and(isNumber(L), hasTarget(j));
}

/**
 * Status code: 1 green (on target or better, or within the green band), 2 amber (missed by no more than the amber
 * band, measured from the breached bound on its failing side), 3 red, 4 no value, 5 no target. A value equal to a
 * strict bound misses it; a band of width 0 (a relative band around a bound of 0) admits nothing.
 */
function statusCodeRule(outer: Judged): Expr {
  const L = ref('latest');
  const j = narrowed(outer);
  const { lo, hi } = j;
  if (lo === null && hi === null) return num(STATUS_CODE.noStatus);
  const meets = (s: Side | null, low: boolean, inclusive: boolean): Expr => {
    if (s === null) return TRUE;
    const test = low ? (inclusive ? ge(L, s.expr) : gt(L, s.expr)) : (inclusive ? le(L, s.expr) : lt(L, s.expr));
    return iff(has(s), test, TRUE);
  };
  const within = (band: Band, s: Side, low: boolean): Expr => {
    if (band.relative === 0 && band.absolute === 0) return FALSE;
    const w = bandWidth(band, s.expr);
    const inside = low ? ge(L, sub(s.expr, w)) : le(L, add(s.expr, w));
    // Past an inclusive bound the value is strictly outside it, so a band of 0 admits nothing without a test;
    // at a strict bound the value may sit on it, and only a band wider than 0 lets it in.
    const inclusive = low ? j.minInclusive : j.maxInclusive;
    return inclusive ? inside : iff(gt(w, num(0)), inside, FALSE);
  };
  const grade = (s: Side, low: boolean): Expr =>
    iff(within(j.green, s, low), num(STATUS_CODE.green), iff(within(j.amber, s, low), num(STATUS_CODE.amber), num(STATUS_CODE.red)));
  let missed: Expr;
  if (lo !== null && hi !== null) {
    const belowMin = iff(has(lo), j.minInclusive ? lt(L, lo.expr) : le(L, lo.expr), FALSE);
    missed = iff(belowMin, grade(lo, true), grade(hi, false));
  } else if (lo !== null) {
    missed = grade(lo, true);
  } else {
    missed = grade(hi as Side, false);
  }
  const judged = iff(and(meets(lo, true, j.minInclusive), meets(hi, false, j.maxInclusive)), num(STATUS_CODE.green), missed);
  return iff(hasTarget(outer), iff(isNumber(L), judged, num(STATUS_CODE.noData)), num(STATUS_CODE.noStatus));
}

/** Status text: the word of the code, from the vocabulary. */
function statusRule(noStatus: NoStatusKey, reachesNoStatus: boolean): Expr {
  const words = [statusText('green'), statusText('amber'), statusText('red'), statusText('noData')];
  if (reachesNoStatus) words.push(statusText(noStatus));
  return call('CHOOSE', ref('statusCode'), ...words.map(text));
}

/** Signed distance of the latest value outside the target (0 inside a range), in engine numbers. */
function distance(j: Judged): Expr {
  const L = ref('latest');
  const { lo, hi } = j;
  const fromMin = (s: Side): Expr => sub(L, s.expr);
  if (lo !== null && hi !== null) {
    const both = add(call('MIN', sub(L, lo.expr), num(0)), call('MAX', sub(L, hi.expr), num(0)));
    return iff(has(lo), iff(has(hi), both, fromMin(lo)), fromMin(hi));
  }
  return fromMin((lo ?? hi) as Side);
}

/** Variance: latest − the bound, in points on a row of percentages; outside a range, the distance from it. */
function varianceRule(j: Judged, scale: number): Expr {
  if (j.lo === null && j.hi === null) return EMPTY;
  const d = distance(narrowed(j));
  return iff(judgeable(j), scale === 1 ? d : mul(d, num(scale)), EMPTY);
}

/** d ÷ |bound|, or "" when the bound is 0 (no share of nothing). */
function shareOf(d: Expr, s: Side): Expr {
  if (!s.live && s.expr.kind === 'number') return Math.abs(s.expr.value) <= ZERO_BOUND ? EMPTY : div(d, num(Math.abs(s.expr.value)));
  return iff(gt(abs(s.expr), num(ZERO_BOUND)), div(d, abs(s.expr)), EMPTY);
}

/** Variance %: the variance as a share of the bound it is measured from; 0 inside a range. */
function variancePctRule(outer: Judged): Expr {
  const L = ref('latest');
  const j = narrowed(outer);
  const { lo, hi } = j;
  if (lo === null && hi === null) return EMPTY;
  let pct: Expr;
  if (lo !== null && hi !== null) {
    const two = iff(lt(L, lo.expr), shareOf(sub(L, lo.expr), lo), iff(gt(L, hi.expr), shareOf(sub(L, hi.expr), hi), num(0)));
    pct = iff(has(lo), iff(has(hi), two, shareOf(sub(L, lo.expr), lo)), shareOf(sub(L, hi.expr), hi));
  } else {
    const s = (lo ?? hi) as Side;
    pct = shareOf(sub(L, s.expr), s);
  }
  return iff(judgeable(outer), pct, EMPTY);
}

/** x rounded to `decimals` places, as a whole number of display units (equal as displayed ⇔ equal here). */
function displayUnits(x: Expr, decimals: number): Expr {
  // Beyond 12 places a number's display is its binary noise: compare there.
  return call('ROUND', mul(x, num(10 ** Math.min(decimals, MAX_DISPLAY_DECIMALS) * ROUND_NUDGE)), num(0));
}

/**
 * Trend code: not comparable (accumulating counts over periods of different length), stable when equal as
 * displayed, else improving / worsening by polarity; for a range, by the change in the distance from the range;
 * increasing / decreasing when polarity is unknown (or a range has no bounds). 0 when fewer than two values.
 */
function trendCodeRule(polarity: TrendPolarity, decimals: number, j: Judged | null, notComparable: Expr, noPrevious: Expr = FALSE): { expr: Expr; codes: TrendKey[] } {
  const L = ref('latest');
  const P = ref('previous');
  const c = (k: TrendKey): Expr => num(TREND_CODE[k]);
  const unknown = iff(gt(L, P), c('increasing'), c('decreasing'));
  const stableCode = num(TREND_CODE.stable);
  let direction: Expr;
  let codes: TrendKey[] = ['improving', 'stable', 'worsening'];
  switch (polarity) {
    case 'higher': direction = sub(stableCode, call('SIGN', sub(L, P))); break;
    case 'lower': direction = add(stableCode, call('SIGN', sub(L, P))); break;
    case 'unknown': direction = unknown; codes = ['stable', 'increasing', 'decreasing']; break;
    case 'range': {
      const lo = j?.lo ?? null;
      const hi = j?.hi ?? null;
      if (lo === null && hi === null) { direction = unknown; codes = ['stable', 'increasing', 'decreasing']; break; }
      // Inside a range the distance is 0; from a one-sided target (a point aimed at), the distance either side.
      const dist = (x: Expr): Expr => (lo !== null && hi !== null ? call('MAX', sub(lo.expr, x), sub(x, hi.expr), num(0)) : abs(sub(x, (lo ?? hi as Side).expr)));
      const nearer = add(stableCode, call('SIGN', sub(dist(L), dist(P))));
      const sides = [lo, hi].filter((s): s is Side => s !== null);
      direction = iff(and(...sides.map(has)), nearer, unknown);
      codes = sides.some((s) => s.live) ? ['improving', 'stable', 'worsening', 'increasing', 'decreasing'] : ['improving', 'stable', 'worsening'];
      break;
    }
  }
  const body = iff(notComparable, c('notComparable'), iff(binaryEqExpr(displayUnits(L, decimals), displayUnits(P, decimals)), stableCode, direction));
  const reachesNotComparable = !(notComparable.kind === 'boolean' && !notComparable.value) || !(noPrevious.kind === 'boolean' && !noPrevious.value);
  if (reachesNotComparable) codes.push('notComparable');
  return { expr: iff(allNumbers(L, P), body, iff(noPrevious, c('notComparable'), c('none'))), codes };
}

function binaryEqExpr(a: Expr, b: Expr): Expr {
  return { kind: 'binary', op: '=', left: a, right: b };
}

/**
 * Trend text: the word of the code, listing words up to the highest code the row can reach. A word that follows the
 * value gets the arrow of `movement`'s sign (up when it is positive, down otherwise); without one, its own arrow.
 */
function trendRule(codes: readonly TrendKey[], movement: Expr | null): Expr {
  const top = Math.max(...codes.map((k) => TREND_CODE[k]));
  const order = (Object.keys(TREND_CODE) as TrendKey[]).filter((k) => TREND_CODE[k] >= 1 && TREND_CODE[k] <= top).sort((a, b) => TREND_CODE[a] - TREND_CODE[b]);
  const T = ref('trendCode');
  const shown = (k: TrendKey): Expr => {
    if (!codes.includes(k)) return text('');
    if (movement === null || TREND_VOCABULARY[k].followsValue !== true) return text(trendText(k));
    return iff(gt(movement, num(0)), text(trendText(k, 'up')), text(trendText(k, 'down')));
  };
  // A word the row cannot reach is left out ("") so that its place in the list stays.
  return iff(T, call('CHOOSE', T, ...order.map(shown)), EMPTY);
}

/** TRUE when the latest and previous periods differ in length (only for counts that accumulate). */
function notComparableRule(shape: PeriodRowShape): Expr {
  if (!shape.accumulates) return FALSE;
  const all = positionsOf(shape);
  const lengths = all.map((p) => (p.start !== null && p.end !== null ? p.end - p.start + 1 : 0));
  const usable = lengths.filter((_, i) => all[i]?.term.kind !== 'mismatch');
  if (new Set(usable).size <= 1) return FALSE;
  const lengthAt = (index: Expr): Expr => call('CHOOSE', index, ...lengths.map((l) => num(l)));
  const differ = ne(lengthAt(ref('latestIndex')), lengthAt(ref('previousIndex')));
  if (!lengths.includes(0)) return differ;
  return and(differ, gt(mul(lengthAt(ref('latestIndex')), lengthAt(ref('previousIndex'))), num(0)));
}

/**
 * TRUE when the latest figure is a year-to-date one with nothing to compare it with (no figure for the same point a
 * year earlier) while other periods were reported: its trend is not comparable rather than absent.
 */
function yearToDateAloneRule(shape: PeriodRowShape): Expr {
  const ytd = shape.periods.flatMap((p, i) => (p.yearToDate === true ? [i + 1] : []));
  if (ytd.length === 0) return FALSE;
  const usable = shape.periods.filter((p) => p.term.kind !== 'mismatch');
  const cells = usable.flatMap((p) => (p.term.kind === 'cell' ? [ref(p.term.role)] : []));
  const readings = usable.filter((p) => p.term.kind === 'reading').length;
  const reported = cells.length === 0 ? num(readings) : readings === 0 ? count(...cells) : add(count(...cells), num(readings));
  return and(indexIn(ref('latestIndex'), ytd, positionsOf(shape).length), binaryEq(ref('previousIndex'), 0), isNumber(ref('latest')), gt(reported, num(1)));
}

/** A mark cell's status code (1 green, 2 amber, 3 red, 0 none), each code raised by `offset`: one read of the cell. */
function markCode(m: MarkCell, offset: number): Expr {
  const c = ref(m.role);
  const parts: Expr[] = [];
  const words: Array<[readonly string[], number]> = [[m.green, STATUS_CODE.green], [m.amber, STATUS_CODE.amber], [m.red, STATUS_CODE.red]];
  for (const [list, code] of words) {
    if (list.length === 0) continue;
    const hit = list.length === 1 ? eqText(c, list[0] as string) : or(...list.map((w) => eqText(c, w)));
    parts.push(weighted(hit, num(code + offset)));
  }
  if (parts.length === 0) return num(0);
  const sum = parts.reduce((a, b) => add(a, b));
  // An error in the cell is not a mark; a number never equals a word.
  return iff(call('ISTEXT', c), sum, num(0));
}

function eqText(c: Expr, word: string): Expr {
  return { kind: 'binary', op: '=', left: c, right: text(word) };
}

/** The code of the first of the cells holding a mark (0 when none): the codes ride on weights that fall along the list. */
function firstMark(marks: readonly MarkCell[]): Expr {
  if (marks.length === 0) return num(0);
  if (marks.length === 1) return markCode(marks[0] as MarkCell, 0);
  return call('MOD', call('MAX', ...marks.map((m, i) => markCode(m, MARK_STEP * (marks.length - 1 - i)))), num(MARK_STEP));
}

function judgedOf(shape: JudgedShape): Judged {
  return {
    lo: sideOf(shape.min, 'min'), hi: sideOf(shape.max, 'max'), minInclusive: shape.minInclusive, maxInclusive: shape.maxInclusive,
    green: shape.green, amber: shape.amber,
  };
}

function reachesNoStatus(j: Judged): boolean {
  return (j.lo === null && j.hi === null) || (j.lo?.live ?? false) || (j.hi?.live ?? false);
}

/** Puts literal helper results into the rules that read them, so that no formula reads a cell written as a value. */
function inline(e: Expr, known: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case 'number': case 'text': case 'boolean': return e;
    case 'ref': return known.get(e.role) ?? e;
    case 'negate': return { kind: 'negate', operand: inline(e.operand, known) };
    case 'binary': return { kind: 'binary', op: e.op, left: inline(e.left, known), right: inline(e.right, known) };
    case 'call': return { kind: 'call', fn: e.fn, args: e.args.map((a) => inline(a, known)) };
    default: return assertNever(e);
  }
}

function finish(rules: ReadonlyArray<[BlockRole, Expr | undefined]>, noStatus: NoStatusKey): RowBlock {
  const literals = new Map<string, Expr>();
  const out: BlockRule[] = [];
  for (const [role, expr] of rules) {
    if (expr === undefined) continue;
    const folded = foldRule(literals.size === 0 ? expr : inline(expr, literals));
    if (isLiteral(folded)) literals.set(role, folded);
    out.push({ role, expr: folded });
  }
  return { rules: out, noStatus };
}

function periodRowRules(shape: PeriodRowShape): RowBlock {
  const j = judgedOf(shape);
  const trend = trendCodeRule(shape.polarity, shape.displayDecimals, j, notComparableRule(shape), yearToDateAloneRule(shape));
  const all = positionsOf(shape);
  const marks = shape.marks ?? [];
  const statusCode = marks.length === 0 ? statusCodeRule(j)
    : call('CHOOSE', add(firstMark(marks), num(1)), num(STATUS_CODE.noStatus), num(STATUS_CODE.green), num(STATUS_CODE.amber), num(STATUS_CODE.red));
  return finish([
    ['latestIndex', latestIndexRule(shape)],
    ['latest', pick(ref('latestIndex'), all)],
    ['previousIndex', previousIndexRule(shape)],
    ['previous', pick(ref('previousIndex'), all)],
    ['min', boundRule(shape.min)],
    ['max', boundRule(shape.max)],
    ['variance', varianceRule(j, shape.scale)],
    ['variancePct', variancePctRule(j)],
    ['statusCode', statusCode],
    ['status', statusRule(shape.noStatus, marks.length > 0 || reachesNoStatus(j))],
    ['trendCode', trend.expr],
    ['trend', trendRule(trend.codes, sub(ref('latest'), ref('previous')))],
  ], shape.noStatus);
}

/**
 * A row of published ratings: the newest period's mark is the status (No data when it is not rated), and the trend
 * compares it with the newest rated period before it (green better than amber, amber than red).
 */
function ratingsRowRules(shape: RatingsRowShape): RowBlock {
  const n = shape.periods.length;
  const current = shape.periods[n - 1];
  const SC = ref('statusCode');
  const PR = ref('previous');
  const earlier = shape.periods.slice(0, -1);
  const previous = earlier.length === 0 ? num(0)
    : call('MOD', call('MAX', ...earlier.map((m, i) => markCode(m, MARK_STEP * (i + 1)))), num(MARK_STEP));
  const statusCode = current === undefined ? num(STATUS_CODE.noData)
    : call('CHOOSE', add(markCode(current, 0), num(1)), num(STATUS_CODE.noData), num(STATUS_CODE.green), num(STATUS_CODE.amber), num(STATUS_CODE.red));
  const trendCode = iff(and(le(SC, num(STATUS_CODE.red)), gt(PR, num(0))), add(num(TREND_CODE.stable), call('SIGN', sub(SC, PR))), num(TREND_CODE.none));
  return finish([
    ['previous', previous],
    ['statusCode', statusCode],
    ['status', statusRule('dataOnly', false)],
    ['trendCode', trendCode],
    ['trend', trendRule(['improving', 'stable', 'worsening'], null)],
  ], 'dataOnly');
}

/** Value of a signed figure cell (over-positive), or "". */
function signedOrEmpty(c: SignedCell | null): Expr {
  if (c === null) return EMPTY;
  const v = valueOf(c.term);
  return iff(presentOf(c.term), c.sign === 1 ? v : neg(v), EMPTY);
}

/**
 * Budget lines: the forecast judged against the budget (lower is better), variance = forecast − budget; the
 * trend is the movement of the variance (current − earlier, else the published movement), stable when it rounds
 * to 0 at the budget's decimals, improving towards underspend.
 */
function budgetRowRules(shape: BudgetRowShape): RowBlock {
  const max: BoundSource = shape.budget === null ? { kind: 'none' } : { kind: 'cell', term: shape.budget };
  const shapeJ: JudgedShape = {
    min: { kind: 'none' }, max, minInclusive: true, maxInclusive: true, green: shape.green, amber: shape.amber,
    noStatus: 'noBudget', scale: shape.scale,
  };
  const j = judgedOf(shapeJ);
  const L = ref('latest');
  const CV = ref('currentVariance');
  const PRV = ref('previous');
  const derived = shape.movement === null ? EMPTY
    : iff(and(isNumber(CV), presentOf(shape.movement.term)), sub(CV, signedValue(shape.movement)), EMPTY);
  const previous = shape.priorVariance === null ? derived : iff(presentOf(shape.priorVariance.term), signedValue(shape.priorVariance), derived);
  const movement = signedOrEmpty(shape.movement);
  const change = iff(allNumbers(CV, PRV), sub(CV, PRV), movement);
  const current = j.hi === null ? signedOrEmpty(shape.publishedVariance) : iff(allNumbers(L, j.hi.expr), sub(L, j.hi.expr), signedOrEmpty(shape.publishedVariance));
  const CH = ref('change');
  const trendCode = iff(isNumber(CH), add(num(TREND_CODE.stable), call('SIGN', displayUnits(CH, shape.decimals))), num(TREND_CODE.none));
  // Without a budget and a forecast to subtract, the printed variance is the variance: always in a table of
  // variances only, and on a line of another table that prints neither figure.
  const neither = [shape.budget, shape.forecast].flatMap((t) => (t === null ? [] : [presentOf(t)]));
  const printed = shape.varianceOnly === true || neither.length === 0 ? signedOrEmpty(shape.publishedVariance)
    : iff(call('NOT', or(...neither)), signedOrEmpty(shape.publishedVariance), EMPTY);
  const variance = j.hi === null ? printed : iff(allNumbers(L, j.hi.expr), shape.scale === 1 ? sub(L, j.hi.expr) : mul(sub(L, j.hi.expr), num(shape.scale)), printed);
  return finish([
    ['latest', termOrEmpty(shape.forecast)],
    ['max', boundRule(max)],
    ['currentVariance', current],
    ['previous', previous],
    ['change', change],
    ['variance', variance],
    ['variancePct', variancePctRule(j)],
    ['statusCode', statusCodeRule(j)],
    ['status', statusRule('noBudget', true)],
    ['trendCode', trendCode],
    ['trend', trendRule(['improving', 'stable', 'worsening'], CH)],
  ], 'noBudget');
}

function signedValue(c: SignedCell): Expr {
  const v = valueOf(c.term);
  return c.sign === 1 ? v : neg(v);
}

/** Risk rows: the rating after controls (else before) in the 15–25 red / 8–14 amber / below 8 green bands; trend before → after, lower is better. */
function riskRowRules(shape: RiskRowShape): RowBlock {
  const L = ref('latest');
  const { after, before } = shape;
  const latest = after === null ? termOrEmpty(before)
    : iff(presentOf(after), valueOf(after), termOrEmpty(before));
  const previous = after === null || before === null ? EMPTY : iff(and(presentOf(after), presentOf(before)), valueOf(before), EMPTY);
  const band = iff(ge(L, num(RISK_BANDS.red)), num(STATUS_CODE.red), iff(ge(L, num(RISK_BANDS.amber)), num(STATUS_CODE.amber), num(STATUS_CODE.green)));
  const trend = trendCodeRule('lower', shape.displayDecimals, null, FALSE);
  return finish([
    ['latest', latest],
    ['previous', previous],
    ['statusCode', iff(isNumber(L), band, num(STATUS_CODE.noData))],
    ['status', statusRule('dataOnly', false)],
    ['trendCode', trend.expr],
    ['trend', trendRule(trend.codes, sub(ref('latest'), ref('previous')))],
  ], 'dataOnly');
}

/** Distinct shapes kept: rows of one table mostly share a shape, so a few thousand cover a large workbook. */
const MEMO_LIMIT = 4096;
const memo = new Map<string, RowBlock>();
/** A reading's value in a shape's JSON (terms are made with their properties in this order). */
const READING_VALUE = /("kind":"reading","role":"[^"]*","value":)[^,}]*/g;

/** The readings of a shape's text cells, by reading role. */
function readingsOf(shape: RowShape): Record<string, number> | undefined {
  let out: Record<string, number> | undefined;
  const visit = (t: ValueTerm | null | undefined): void => {
    // Kept to the 15 digits a formula's number holds, as every literal of a rule is.
    if (t?.kind === 'reading') (out ??= {})[readingRole(t.role)] = literalNumber(t.value);
  };
  const visitBound = (b: BoundSource): void => {
    if (b.kind === 'cell') visit(b.term);
    else if (b.kind === 'proRata' && b.annual.kind === 'cell') visit(b.annual.term);
  };
  switch (shape.kind) {
    case 'kpi': case 'series':
      for (const p of [...shape.periods, ...(shape.values ?? [])]) visit(p.term);
      visitBound(shape.min);
      visitBound(shape.max);
      break;
    case 'budget':
      for (const t of [shape.budget, shape.forecast, shape.publishedVariance?.term, shape.priorVariance?.term, shape.movement?.term]) visit(t);
      break;
    case 'risk': visit(shape.after); visit(shape.before); break;
    case 'ratings': break;
    default: assertNever(shape);
  }
  return out;
}

/**
 * Returns the block of rules for a row of the given shape, specialised to what the shape fixes. Rows whose shapes
 * differ only in their readings of text cells share one set of rules (never changed once made), so a table's
 * rules are built once per shape; the row's readings travel beside them.
 */
export function rowRules(shape: RowShape): RowBlock {
  // Non-finite numbers never reach a shape (a rule cannot hold them), so JSON's "null" for them is never a key.
  const json = JSON.stringify(shape);
  const key = json.includes('"kind":"reading"') ? json.replace(READING_VALUE, '$1') : json;
  let block = memo.get(key);
  if (block === undefined) {
    block = buildRowRules(shape);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, block);
  }
  const readings = readingsOf(shape);
  return readings === undefined ? block : { ...block, readings };
}

function buildRowRules(shape: RowShape): RowBlock {
  switch (shape.kind) {
    case 'kpi': case 'series': return periodRowRules(shape);
    case 'budget': return budgetRowRules(shape);
    case 'risk': return riskRowRules(shape);
    case 'ratings': return ratingsRowRules(shape);
    default: return assertNever(shape);
  }
}
