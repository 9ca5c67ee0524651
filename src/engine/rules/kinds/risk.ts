/**
 * Risk registers: how detection recognises them (a risk header and rating columns before or after controls) and the
 * rules of their rows: the rating after controls (else before) in the risk bands; before → after as the trend.
 */
import { and, ge, iff, isNumber, num, ref } from '../expr';
import { RISK_BANDS, STATUS_CODE } from '../vocabulary';
import {
  EMPTY, FALSE, finish, presentOf, RowBlock, statusRule, termOrEmpty, trendCodeRule, trendRule, valueOf, ValueTerm,
} from '../common';
import { KindDetection } from './detection';

/** The word risk in a table's headers: "Risk Description", "Inherent risk score". */
const RISK_WORD = /\brisk\b/;

/** Risk registers: a header with the word risk, and a rating column before or after controls (surer with both). */
export const riskDetection: KindDetection<'risk'> = {
  kind: 'risk',
  // "Risk Description", "Risk rating before controls".
  headerWords: /^risk\b/i,
  figureRoles: ['risk-before', 'risk-after'],
  recognise: ({ headerText, has }) => (RISK_WORD.test(headerText) && (has('risk-before') || has('risk-after'))
    ? { confidence: has('risk-before') && has('risk-after') ? 0.9 : 0.7 }
    : undefined),
};

/** A risk register row: the rating after controls, else before. */
export interface RiskRowShape {
  readonly kind: 'risk';
  readonly after: ValueTerm | null;
  readonly before: ValueTerm | null;
  readonly displayDecimals: number;
}

/** Risk rows: the rating after controls (else before) in the 15–25 red / 8–14 amber / below 8 green bands; trend before → after, lower is better. */
export function riskRowRules(shape: RiskRowShape): RowBlock {
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
    ['trendCode', trend],
    ['trend', trendRule({ latest: ref('latest'), previous: ref('previous') })],
  ], 'dataOnly');
}
