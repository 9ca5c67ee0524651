/**
 * KPI tables and monthly series: how detection recognises them (a target, values or periods of figures; months or
 * quarters with no target) and the rules of their rows: the latest and previous positions among the period (and
 * value) columns, found without nesting once per column (MAX(ISNUMBER(cell)×position, …) read with CHOOSE), judged
 * against the target.
 */
import {
  add, and, assertNever, call, count, Expr, ge, gt, iff, isNumber, le, mul, ne, num, or, ref,
} from '../expr';
import { STATUS_CODE } from '../vocabulary';
import {
  boundRule, EMPTY, FALSE, finish, judgedOf, JudgedShape, MARK_STEP, MarkCell, markCode, presentOf, reachesNoStatus,
  RowBlock, statusCodeRule, statusRule, trendCodeRule, TrendPolarity, trendRule, TRUE, valueOf, ValueTerm,
  variancePctRule, varianceRule, weighted,
} from '../common';
import { hasRole, isTimetable, KindDetection } from './detection';

/**
 * KPI tables: a target, a value column, or period columns holding figures (not a timetable). With a target and no
 * period, figure columns headed by anything else are values of the row (one per entity), unless a header names a
 * budget table.
 */
export const kpiDetection: KindDetection<'kpi'> = {
  kind: 'kpi',
  // "Target 2016/17", "Outturn", "Actual", "Polarity", "Frequency", "Direction of Travel".
  headerWords: /^(?:target|outturn|actual|polarity|frequency|direction of travel)/i,
  headerRoles: ['target', 'benchmark', 'tolerance', 'unit'],
  completeRoles: (columns, { named, figureShare }) => {
    const perEntity = hasRole(columns, 'target') && !hasRole(columns, 'period') && !hasRole(columns, 'value') && !named.has('budget');
    return columns.map((k) => (perEntity && k.role === 'other' && figureShare(k.col) >= 0.5 ? 'value' : k.role));
  },
  recognise: (table) => {
    const { has, periods } = table;
    if (isTimetable(table) || !(has('target') || has('value') || periods.length > 0)) return undefined;
    return { confidence: has('target') && (periods.length > 0 || has('value')) ? 0.9 : 0.6 };
  },
};

/** Monthly (or quarterly) series: three or more month or quarter columns of figures and no target; surer when all are months. */
export const seriesDetection: KindDetection<'timeseries'> = {
  kind: 'timeseries',
  recognise: (table) => {
    const { has, periods } = table;
    if (isTimetable(table) || has('target') || periods.length < 3 || !periods.every((p) => p === 'month' || p === 'quarter')) return undefined;
    return { confidence: periods.every((p) => p === 'month') ? 0.9 : 0.75 };
  },
};

/** A period column of a row, in the engine's order (oldest first). Months are absolute (year × 12 + month). */
export interface PeriodColumn {
  readonly term: ValueTerm;
  readonly start: number | null;
  readonly end: number | null;
  /** A year-to-date figure: with no figure for the same point a year earlier, its trend is not comparable. */
  readonly yearToDate?: boolean;
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

/** Bonus of one tier of preference for the previous value: larger than any position. */
export const PREVIOUS_BONUS = 1000;
/** Largest previous-index rule (in nodes) written from the engine's preferences; about 4,000 characters. */
export const MAX_PREVIOUS_SIZE = 1200;
/** Returns the last index of each column's group: columns of one span (a period and its revision) form a group. */
export function groupEnds(periods: readonly PeriodColumn[]): number[] {
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
export function indexIn(index: Expr, positions: readonly number[], n: number): Expr {
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

export function binaryEq(index: Expr, p: number): Expr {
  return { kind: 'binary', op: '=', left: index, right: num(p) };
}

/** The period columns, then the value columns: every position a latest value can come from. */
export function positionsOf(shape: PeriodRowShape): PeriodColumn[] {
  return [...shape.periods, ...(shape.values ?? [])];
}

/**
 * Latest index: the first value column holding a value, else the position (1-based, in period order) of the newest
 * period cell that was reported; 0 when none.
 */
export function latestIndexRule(shape: PeriodRowShape): Expr {
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
export function defaultRanks(shape: PeriodRowShape): number[][] {
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
export function previousIndexRule(shape: PeriodRowShape): Expr {
  const ranked = shape.previousRanks === undefined ? undefined : previousIndexOf(shape, shape.previousRanks);
  // Preferences too tangled to write compactly give way to the default: a formula must stay within Excel's limits.
  return ranked !== undefined && sizeOf(ranked) <= MAX_PREVIOUS_SIZE ? ranked : previousIndexOf(shape, defaultRanks(shape));
}

/** The number of nodes of an expression: a measure of its formula's length. */
export function sizeOf(e: Expr): number {
  switch (e.kind) {
    case 'number': case 'text': case 'boolean': case 'ref': case 'name': return 1;
    case 'negate': return 1 + sizeOf(e.operand);
    case 'binary': return 1 + sizeOf(e.left) + sizeOf(e.right);
    case 'call': return 1 + e.args.reduce((n, a) => n + sizeOf(a), 0);
    default: return assertNever(e);
  }
}

export function previousIndexOf(shape: PeriodRowShape, ranks: ReadonlyArray<readonly number[]>): Expr {
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
export function pick(index: Expr, periods: readonly PeriodColumn[]): Expr {
  if (periods.length === 0) return EMPTY;
  return iff(index, call('CHOOSE', index, ...periods.map((p) => valueOf(p.term))), EMPTY);
}

/** TRUE when the latest and previous periods differ in length (only for counts that accumulate). */
export function notComparableRule(shape: PeriodRowShape): Expr {
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
export function yearToDateAloneRule(shape: PeriodRowShape): Expr {
  const ytd = shape.periods.flatMap((p, i) => (p.yearToDate === true ? [i + 1] : []));
  if (ytd.length === 0) return FALSE;
  const usable = shape.periods.filter((p) => p.term.kind !== 'mismatch');
  const cells = usable.flatMap((p) => (p.term.kind === 'cell' ? [ref(p.term.role)] : []));
  const readings = usable.filter((p) => p.term.kind === 'reading').length;
  const reported = cells.length === 0 ? num(readings) : readings === 0 ? count(...cells) : add(count(...cells), num(readings));
  return and(indexIn(ref('latestIndex'), ytd, positionsOf(shape).length), binaryEq(ref('previousIndex'), 0), isNumber(ref('latest')), gt(reported, num(1)));
}

/** The code of the first of the cells holding a mark (0 when none): the codes ride on weights that fall along the list. */
export function firstMark(marks: readonly MarkCell[]): Expr {
  if (marks.length === 0) return num(0);
  if (marks.length === 1) return markCode(marks[0] as MarkCell, 0);
  return call('MOD', call('MAX', ...marks.map((m, i) => markCode(m, MARK_STEP * (marks.length - 1 - i)))), num(MARK_STEP));
}

export function periodRowRules(shape: PeriodRowShape): RowBlock {
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
    ['trendCode', trend],
    ['trend', trendRule({ latest: ref('latest'), previous: ref('previous') })],
  ], shape.noStatus);
}
