/**
 * Grids of published ratings per period (R / A / G): how detection recognises them (period columns of ratings) and
 * the rules of their rows: the newest rating is the status, the one before gives the trend.
 */
import { add, and, call, gt, iff, le, num, ref, sub } from '../expr';
import { STATUS_CODE, TREND_CODE } from '../vocabulary';
import { finish, MARK_STEP, MarkCell, markCode, RowBlock, statusRule, trendRule } from '../common';
import { KindDetection } from './detection';

/**
 * Grids of ratings: two or more period columns, most of whose filled cells are ratings. Ratings under a period header
 * make a period column of the grid, not a status column.
 */
export const ratingsDetection: KindDetection<'ratings'> = {
  kind: 'ratings',
  periodCellRoles: ['status'],
  recognise: ({ periods, ratingShare }) => (periods.length >= 2 && ratingShare >= 0.6 ? { confidence: 0.8 } : undefined),
};

/** A grid of published ratings per period: the newest period's rating is the status, the one before gives the trend. */
export interface RatingsRowShape {
  readonly kind: 'ratings';
  /** The period cells, oldest first. */
  readonly periods: readonly MarkCell[];
}

/**
 * A row of published ratings: the newest period's mark is the status (No data when it is not rated), and the trend
 * compares it with the newest rated period before it (green better than amber, amber than red).
 */
export function ratingsRowRules(shape: RatingsRowShape): RowBlock {
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
    ['trend', trendRule(null)],
  ], 'dataOnly');
}
