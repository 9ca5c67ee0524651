/** Budget lines: the forecast judged against the budget, the variance's sign convention, its movement as the trend. */
import { add, allNumbers, and, call, Expr, iff, isNumber, mul, neg, num, or, ref, sub } from '../expr';
import { TREND_CODE } from '../vocabulary';
import {
  Band, boundRule, BoundSource, displayUnits, EMPTY, finish, judgedOf, JudgedShape, presentOf, RowBlock,
  statusCodeRule, statusRule, termOrEmpty, trendRule, valueOf, ValueTerm, variancePctRule,
} from '../common';

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

/** Value of a signed figure cell (over-positive), or "". */
export function signedOrEmpty(c: SignedCell | null): Expr {
  if (c === null) return EMPTY;
  const v = valueOf(c.term);
  return iff(presentOf(c.term), c.sign === 1 ? v : neg(v), EMPTY);
}

/**
 * Budget lines: the forecast judged against the budget (lower is better), variance = forecast − budget; the
 * trend is the movement of the variance (current − earlier, else the published movement), stable when it rounds
 * to 0 at the budget's decimals, improving towards underspend.
 */
export function budgetRowRules(shape: BudgetRowShape): RowBlock {
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

export function signedValue(c: SignedCell): Expr {
  const v = valueOf(c.term);
  return c.sign === 1 ? v : neg(v);
}
