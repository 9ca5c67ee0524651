/**
 * Budget tables: how detection recognises them (budget, forecast and variance columns, or a list of variances under
 * a budget title) and the rules of their lines: the forecast judged against the budget, the variance's sign
 * convention, its movement as the trend.
 */
import { financialYearOf } from '../../period';
import { BUDGET_TITLE, ColumnRole, signConventionOfHeader } from '../../vocabulary';
import { add, allNumbers, and, call, Expr, iff, isNumber, mul, neg, num, or, ref, sub } from '../expr';
import { TREND_CODE } from '../vocabulary';
import {
  Band, boundRule, BoundSource, displayUnits, EMPTY, finish, judgedOf, JudgedShape, presentOf, RowBlock,
  statusCodeRule, statusRule, termOrEmpty, trendRule, valueOf, ValueTerm, variancePctRule,
} from '../common';
import { ColumnContext, ColumnEvidence, KindDetection } from './detection';

/** The figures of a budget line: each must hold figures, and its header outweighs the values beneath it. */
const BUDGET_FIGURES: readonly ColumnRole[] = ['budget', 'forecast', 'variance', 'variance-pct', 'prior-variance', 'movement'];
/** A header naming the money spent: "Actual", "Outturn £000", "Spend to date". */
const SPEND_HEADER = /\b(?:actual|outturn|spend)\b/i;
/** A header naming the budget itself: "Budget", "Budgeted spend". */
const BUDGET_HEADER = /\bbudget/i;
/** A variance header naming a month or an earlier time: "January Over/(Under)spend", "Previous variance", "Q2". */
const EARLIER_VARIANCE = /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|previous|prior|last|earlier|q[1-4]|quarter|month)\b/i;

/**
 * The roles of a budget table's columns once their figures are checked: a budget or forecast of an earlier year than
 * the table's is last year's figure (context); of several variance columns, those naming a month or an earlier time
 * are prior ones, unless all do (then all but the first).
 */
function reviseBudgetRoles(columns: readonly ColumnEvidence[], { named, reportingYear }: ColumnContext): ColumnRole[] {
  const roles = columns.map((k) => {
    if (reportingYear === undefined || !named.has('budget') || (k.role !== 'forecast' && k.role !== 'budget')) return k.role;
    const year = financialYearOf(k.header);
    return year !== undefined && year < reportingYear ? 'other' : k.role;
  });
  const variances = columns.flatMap((k, i) => (roles[i] === 'variance' && k.group === undefined ? [i] : []));
  if (variances.length > 1) {
    const plain = variances.filter((i) => !EARLIER_VARIANCE.test(columns[i]?.header ?? ''));
    const current = plain[0] ?? variances[0];
    for (const i of variances) if (i !== current) roles[i] = 'prior-variance';
  }
  return roles;
}

/**
 * Budget tables: a budget column with a forecast or a variance beside it; or variances alone, with no target, value
 * or period columns (a table of variances only). In a table with a budget header an actual or outturn column is the
 * spend to set against the budget. A headerless list of labels and one column of figures under a budget title
 * ("Forecast over/(under)spend") is a list of variances.
 */
export const budgetDetection: KindDetection<'budget'> = {
  kind: 'budget',
  // "Budget", "Net Budget £000", "Forecast Outturn".
  headerWords: /^(?:budget|net budget|forecast)/i,
  headerRoles: BUDGET_FIGURES,
  figureRoles: BUDGET_FIGURES,
  signedRoles: ['variance', 'prior-variance', 'movement'],
  namedBy: ['budget'],
  roleOfColumn: (k, { named }) => (named.has('budget') && (k.role === 'period' || k.role === 'value' || k.role === 'other')
    && SPEND_HEADER.test(k.header) && !BUDGET_HEADER.test(k.header) ? 'forecast' : undefined),
  reviseRoles: reviseBudgetRoles,
  readHeaderless: (title) => (BUDGET_TITLE.test(title)
    ? { role: 'variance', signConvention: signConventionOfHeader(title) ?? 'over-positive', recognition: { varianceOnly: true, confidence: 0.6 } }
    : undefined),
  recognise: ({ has, periods }) => {
    if (has('budget') && (has('forecast') || has('variance'))) return { confidence: has('forecast') && has('variance') ? 0.95 : 0.8 };
    if (has('variance') && !has('target') && !has('value') && periods.length === 0) return { varianceOnly: true, confidence: 0.7 };
    return undefined;
  },
};

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
    ['trend', trendRule({ latest: CH, previous: num(0) })],
  ], 'noBudget');
}

export function signedValue(c: SignedCell): Expr {
  const v = valueOf(c.term);
  return c.sign === 1 ? v : neg(v);
}
