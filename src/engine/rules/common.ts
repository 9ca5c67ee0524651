/**
 * What every kind of row shares: how a cell enters a rule (a term), the target's sides and tolerance bands, the
 * status, variance and trend rules, the published marks, and folding a row's rules into a block. Each kind of row
 * (kinds/) builds its block from these.
 */
import {
  abs, add, allNumbers, and, assertNever, bool, call, div, Expr, ge, gt, iff, isNumber, le, lookupWord, lt, mul, num, or,
  ref, sub, text,
} from './expr';
import { foldRule, isLiteral } from './fold';
import { noStatusColumn, NoStatusKey, STATUS_CODE, TREND_CODE, TREND_COLUMN, TrendKey } from './vocabulary';

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

export function literalNumber(value: number): number {
  const e = num(value);
  return e.kind === 'number' ? e.value : value;
}

/** The role under which a rule reads the engine's reading of a text cell: "c4:reading". */
export function readingRole(role: string): string {
  return `${role}:reading`;
}

export const EMPTY = text('');
export const TRUE = bool(true);
export const FALSE = bool(false);
/** Step between the weights of mark cells: larger than any status code. */
export const MARK_STEP = 4;
/** Most decimal places compared for "equal as displayed". */
export const MAX_DISPLAY_DECIMALS = 12;
/** floatCmp's "equal to 0" for a bound: |bound| ≤ 1e-9. */
export const ZERO_BOUND = 1e-9;
/** ×(1 + 1e-12) before ROUND, so that a half that binary floating point holds as 0.4999… rounds away from zero in every engine. */
export const ROUND_NUDGE = 1 + 1e-12;

/** Returns whether a term's cell counts as reported. */
export function presentOf(t: ValueTerm): Expr {
  switch (t.kind) {
    case 'cell': return isNumber(ref(t.role));
    case 'reading': return TRUE;
    case 'mismatch': return t.typed ? isNumber(ref(t.role)) : TRUE;
  }
}

/** Returns a term's value as the engine reads it ("" for a value in the wrong unit). */
export function valueOf(t: ValueTerm): Expr {
  switch (t.kind) {
    case 'cell': return t.divisor === 1 ? ref(t.role) : div(ref(t.role), num(t.divisor));
    case 'reading': return iff(isNumber(ref(t.role)), (t.divisor ?? 1) === 1 ? ref(t.role) : div(ref(t.role), num(t.divisor ?? 1)), ref(readingRole(t.role)));
    case 'mismatch': return EMPTY;
  }
}

/** IF(present, value, "") for one cell. */
export function termOrEmpty(t: ValueTerm | null): Expr {
  if (t === null) return EMPTY;
  return iff(presentOf(t), valueOf(t), EMPTY);
}

/** `present × weight`, written without "×1". */
export function weighted(present: Expr, weight: Expr): Expr {
  if (present.kind === 'boolean' && present.value) return weight;
  return weight.kind === 'number' && weight.value === 1 ? present : mul(present, weight);
}

export interface Side {
  readonly expr: Expr;
  /** True when the side may hold no number (a target cell the user can clear): rules test it before reading it. */
  readonly live: boolean;
}

/** The rule that fills a live bound's helper cell, or undefined for a constant or absent bound. */
export function boundRule(source: BoundSource): Expr | undefined {
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

export function sideOf(source: BoundSource, role: 'min' | 'max'): Side | null {
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
export function has(s: Side): Expr {
  return s.live ? isNumber(s.expr) : TRUE;
}

/** The width of a band around a bound: relative × |bound| + absolute. */
export function bandWidth(band: Band, bound: Expr): Expr {
  if (band.relative === 0) return num(band.absolute);
  const rel = mul(num(band.relative), abs(bound));
  return band.absolute === 0 ? rel : add(rel, num(band.absolute));
}

export interface Judged {
  readonly lo: Side | null;
  readonly hi: Side | null;
  readonly minInclusive: boolean;
  readonly maxInclusive: boolean;
  readonly green: Band;
  readonly amber: Band;
}

export function hasTarget(j: Judged): Expr {
  const sides = [j.lo, j.hi].filter((s): s is Side => s !== null);
  if (sides.length === 0) return FALSE;
  return or(...sides.map(has));
}

/** Inside a "has a target" test, a target with one side holds a number there: its guards can go. */
export function narrowed(j: Judged): Judged {
  if (j.lo !== null && j.hi === null) return { ...j, lo: { ...j.lo, live: false } };
  if (j.hi !== null && j.lo === null) return { ...j, hi: { ...j.hi, live: false } };
  return j;
}

/** TRUE when the latest value and the target can be compared: ISNUMBER(latest − bound) on a one-sided target. */
export function judgeable(j: Judged): Expr {
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
export function statusCodeRule(outer: Judged): Expr {
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

/**
 * Status text: the word of the code, read from the workbook's status table in the column of the row's no-status word.
 * A row that never reaches code 5 reads the first column: codes 1–4 read the same in every column.
 */
export function statusRule(noStatus: NoStatusKey, reachesNoStatus: boolean): Expr {
  return lookupWord('Scorecard_Status', ref('statusCode'), num(reachesNoStatus ? noStatusColumn(noStatus) : 1));
}

/** Signed distance of the latest value outside the target (0 inside a range), in engine numbers. */
export function distance(j: Judged): Expr {
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
export function varianceRule(j: Judged, scale: number): Expr {
  if (j.lo === null && j.hi === null) return EMPTY;
  const d = distance(narrowed(j));
  return iff(judgeable(j), scale === 1 ? d : mul(d, num(scale)), EMPTY);
}

/** d ÷ |bound|, or "" when the bound is 0 (no share of nothing). */
export function shareOf(d: Expr, s: Side): Expr {
  if (!s.live && s.expr.kind === 'number') return Math.abs(s.expr.value) <= ZERO_BOUND ? EMPTY : div(d, num(Math.abs(s.expr.value)));
  return iff(gt(abs(s.expr), num(ZERO_BOUND)), div(d, abs(s.expr)), EMPTY);
}

/** Variance %: the variance as a share of the bound it is measured from; 0 inside a range. */
export function variancePctRule(outer: Judged): Expr {
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
export function displayUnits(x: Expr, decimals: number): Expr {
  // Beyond 12 places a number's display is its binary noise: compare there.
  return call('ROUND', mul(x, num(10 ** Math.min(decimals, MAX_DISPLAY_DECIMALS) * ROUND_NUDGE)), num(0));
}

/**
 * Trend code: not comparable (accumulating counts over periods of different length), stable when equal as
 * displayed, else improving / worsening by polarity; for a range, by the change in the distance from the range;
 * increasing / decreasing when polarity is unknown (or a range has no bounds). 0 when fewer than two values.
 */
export function trendCodeRule(polarity: TrendPolarity, decimals: number, j: Judged | null, notComparable: Expr, noPrevious: Expr = FALSE): Expr {
  const L = ref('latest');
  const P = ref('previous');
  const c = (k: TrendKey): Expr => num(TREND_CODE[k]);
  const unknown = iff(gt(L, P), c('increasing'), c('decreasing'));
  const stableCode = num(TREND_CODE.stable);
  let direction: Expr;
  switch (polarity) {
    case 'higher': direction = sub(stableCode, call('SIGN', sub(L, P))); break;
    case 'lower': direction = add(stableCode, call('SIGN', sub(L, P))); break;
    case 'unknown': direction = unknown; break;
    case 'range': {
      const lo = j?.lo ?? null;
      const hi = j?.hi ?? null;
      if (lo === null && hi === null) { direction = unknown; break; }
      // Inside a range the distance is 0; from a one-sided target (a point aimed at), the distance either side.
      const dist = (x: Expr): Expr => (lo !== null && hi !== null ? call('MAX', sub(lo.expr, x), sub(x, hi.expr), num(0)) : abs(sub(x, (lo ?? hi as Side).expr)));
      const nearer = add(stableCode, call('SIGN', sub(dist(L), dist(P))));
      const sides = [lo, hi].filter((s): s is Side => s !== null);
      direction = iff(and(...sides.map(has)), nearer, unknown);
      break;
    }
  }
  const body = iff(notComparable, c('notComparable'), iff(binaryEqExpr(displayUnits(L, decimals), displayUnits(P, decimals)), stableCode, direction));
  return iff(allNumbers(L, P), body, iff(noPrevious, c('notComparable'), c('none')));
}

export function binaryEqExpr(a: Expr, b: Expr): Expr {
  return { kind: 'binary', op: '=', left: a, right: b };
}

/** What a trend's arrow compares: the value it moved to, and the one it moved from. */
export interface Movement {
  readonly latest: Expr;
  readonly previous: Expr;
}

/**
 * Trend text: the word of the code, read from the workbook's trend table. A word that follows the value gets the arrow
 * of the movement (up when `latest` is above `previous`, down otherwise); without a movement, every word shows its
 * own arrow.
 */
export function trendRule(movement: Movement | null): Expr {
  // Column 2 − (rose): "up" when the value rose, "down" otherwise. The rise is written latest > previous, not
  // latest − previous > 0, which also reads a row with no values (trend code 0, whose words are all "") without an error.
  const column = movement === null ? num(TREND_COLUMN.own) : sub(num(TREND_COLUMN.down), gt(movement.latest, movement.previous));
  return lookupWord('Scorecard_Trend', add(ref('trendCode'), num(1)), column);
}

/** A mark cell's status code (1 green, 2 amber, 3 red, 0 none), each code raised by `offset`: one read of the cell. */
export function markCode(m: MarkCell, offset: number): Expr {
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

export function eqText(c: Expr, word: string): Expr {
  return { kind: 'binary', op: '=', left: c, right: text(word) };
}

export function judgedOf(shape: JudgedShape): Judged {
  return {
    lo: sideOf(shape.min, 'min'), hi: sideOf(shape.max, 'max'), minInclusive: shape.minInclusive, maxInclusive: shape.maxInclusive,
    green: shape.green, amber: shape.amber,
  };
}

export function reachesNoStatus(j: Judged): boolean {
  return (j.lo === null && j.hi === null) || (j.lo?.live ?? false) || (j.hi?.live ?? false);
}

/** Puts literal helper results into the rules that read them, so that no formula reads a cell written as a value. */
export function inline(e: Expr, known: ReadonlyMap<string, Expr>): Expr {
  switch (e.kind) {
    case 'number': case 'text': case 'boolean': case 'name': return e;
    case 'ref': return known.get(e.role) ?? e;
    case 'negate': return { kind: 'negate', operand: inline(e.operand, known) };
    case 'binary': return { kind: 'binary', op: e.op, left: inline(e.left, known), right: inline(e.right, known) };
    case 'call': return { kind: 'call', fn: e.fn, args: e.args.map((a) => inline(a, known)) };
    default: return assertNever(e);
  }
}

export function finish(rules: ReadonlyArray<[BlockRole, Expr | undefined]>, noStatus: NoStatusKey): RowBlock {
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
