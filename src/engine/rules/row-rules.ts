/**
 * Every judging rule of a row, written once in the rule language: latest, previous, the target's bounds
 * (pro-rata too), variance, variance %, status, trend, the risk band, the budget variance and its movement.
 * A row's shape (what the engine decided when it read the row: which cells are periods and in what order,
 * which cells it read as percentages, the target's sides, tolerances, polarity) goes in; a block of rules comes
 * out. The engine's verdict is `evaluateBlock` over the row's cells; the sheet's formulas are `emitBlock` of the
 * same block, so the two cannot disagree.
 *
 * Each kind of row is one module of kinds/ (the hints that recognise its tables, its shape and its rules), built
 * from what they share in common.ts (and kinds/detection.ts); a new kind is a module there, a line in `TABLE_KINDS`
 * (kinds/index.ts), one in `RowShape` and one in `buildRowRules`. Rows of one shape share their rules (see `rowRules`).
 */
import { assertNever } from './expr';
import { BoundSource, literalNumber, readingRole, RowBlock, ValueTerm } from './common';
import { periodRowRules, PeriodRowShape } from './kinds/period';
import { ratingsRowRules, RatingsRowShape } from './kinds/ratings';
import { budgetRowRules, BudgetRowShape } from './kinds/budget';
import { riskRowRules, RiskRowShape } from './kinds/risk';

export type { Band, BlockRole, BlockRule, BoundSource, JudgedShape, MarkCell, RowBlock, TrendPolarity, ValueTerm } from './common';
export { readingRole } from './common';
export type { PeriodColumn, PeriodRowShape } from './kinds/period';
export type { RatingsRowShape } from './kinds/ratings';
export type { BudgetRowShape, SignedCell } from './kinds/budget';
export type { RiskRowShape } from './kinds/risk';

/** Every kind of row the engine judges. */
export type RowShape = PeriodRowShape | BudgetRowShape | RiskRowShape | RatingsRowShape;

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
