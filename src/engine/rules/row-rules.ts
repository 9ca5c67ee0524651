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
import { literalNumber, readingRole, RowBlock } from './common';
import { periodRowRules, PeriodRowShape } from './kinds/period';
import { ratingsRowRules, RatingsRowShape } from './kinds/ratings';
import { budgetRowRules, BudgetRowShape } from './kinds/budget';
import { riskRowRules, RiskRowShape } from './kinds/risk';
import { keptReadings } from '../kept';

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
/**
 * Parts of shapes that rows share (a table's previous-value ranks, its rows' period columns), registered with
 * `sharedShapePart`, with their keys once written: the key of a part is written once however many rows hold it.
 * Shapes and their parts are never changed once made.
 */
const sharedParts = new WeakMap<object, string | null>();

/** Registers a part that the shapes of many rows hold (the same object), so that its key is written once; returns it. */
export function sharedShapePart<T extends object>(part: T): T {
  if (!sharedParts.has(part)) sharedParts.set(part, null);
  return part;
}

/**
 * Short stand-ins for the keys of shared parts ("#12"), one per distinct key, so that a shape's key stays short: two
 * parts share a stand-in only when their keys are equal. Numbers are never reused, so a stand-in given before the
 * list was emptied still stands for its part alone.
 */
let partsSeen = 0;
const partToken = keptReadings(() => `#${++partsSeen}`, MEMO_LIMIT);

/** A string of a shape as JSON quotes it; shapes hold few (kinds, roles, polarities, mark words), quoted once each. */
const quoted = keptReadings((text) => JSON.stringify(text), MEMO_LIMIT);

/** A shape's key and the readings of its text cells, made in one walk of the shape. */
interface ShapeKey {
  key: string;
  readings: Record<string, number> | undefined;
  /** Readings met so far: a shared part holding one is walked each time, for its reading. */
  readingCount: number;
}

/**
 * Writes a part of a shape as its key: every field but a reading's value, which travels beside the rules. Strings are
 * quoted as JSON quotes them, so two different shapes never share a key.
 */
function writeKey(v: unknown, into: ShapeKey): string {
  switch (typeof v) {
    case 'string': return quoted(v);
    case 'number': return String(v);
    case 'boolean': return v ? 't' : 'f';
    case 'object': {
      if (v === null) return 'n';
      const shared = sharedParts.get(v);
      if (typeof shared === 'string') return shared;
      const readingsBefore = into.readingCount;
      const s = Array.isArray(v) ? writeArrayKey(v, into) : writeObjectKey(v as Record<string, unknown>, into);
      if (shared !== null || into.readingCount !== readingsBefore) return s;
      const token = partToken(s);
      sharedParts.set(v, token);
      return token;
    }
    default: return '';
  }
}

function writeArrayKey(v: readonly unknown[], into: ShapeKey): string {
  let s = '[';
  for (let i = 0; i < v.length; i++) s += (i === 0 ? '' : ',') + writeKey(v[i], into);
  return `${s}]`;
}

function writeObjectKey(o: Record<string, unknown>, into: ShapeKey): string {
  const reading = o.kind === 'reading';
  if (reading) {
    // Kept to the 15 digits a formula's number holds, as every literal of a rule is.
    (into.readings ??= {})[readingRole(o.role as string)] = literalNumber(o.value as number);
    into.readingCount++;
  }
  let s = '{';
  for (const k in o) {
    const x = o[k];
    if (x === undefined || (reading && k === 'value')) continue;
    s += `${k}:${writeKey(x, into)},`;
  }
  return `${s}}`;
}

/** The key rows of a shape share their rules under, and the row's readings of text cells by reading role. */
function keyOf(shape: RowShape): ShapeKey {
  const out: ShapeKey = { key: '', readings: undefined, readingCount: 0 };
  out.key = writeKey(shape, out);
  return out;
}

/**
 * Returns the block of rules for a row of the given shape, specialised to what the shape fixes. Rows whose shapes
 * differ only in their readings of text cells share one set of rules (never changed once made), so a table's
 * rules are built once per shape; the row's readings travel beside them.
 */
export function rowRules(shape: RowShape): RowBlock {
  const { key, readings } = keyOf(shape);
  let block = memo.get(key);
  if (block === undefined) {
    block = buildRowRules(shape);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, block);
  }
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
