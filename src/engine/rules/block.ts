/**
 * A row's block as both back ends see it: `evaluateBlock` gives the engine's verdict over the row's cells,
 * `emitBlock` the formulas written beside the row. A rule that folded to a literal is written as its value.
 */
import { emitFormula, formulaBytes, Placement } from './emit';
import { assertNever, Expr, nestingDepth } from './expr';
import { evaluateRuleOver, RowCells } from './evaluate';
import { isLiteral } from './fold';
import { BlockRole, RowBlock } from './common';
import { numberValue, RuleValue } from './values';

/** Thrown when a block's rule reads a helper that no earlier rule of the block computes. */
export class RuleOrderError extends Error {
  constructor(readonly role: string) {
    super(`A rule reads "${role}" before the block computes it`);
    this.name = 'RuleOrderError';
  }
}

/** What one block cell holds after evaluation, by role. */
export type BlockValues = Readonly<Partial<Record<BlockRole, RuleValue>>>;

/**
 * Evaluates every rule of a block in order over the row's cells; each result is then readable by later rules.
 * With `through`, stops once that role is computed.
 */
export function evaluateBlock(block: RowBlock, cells: RowCells, through?: BlockRole): BlockValues {
  return runBlock(block, cells, through, undefined);
}

/**
 * Evaluates the rest of a block whose first rules `evaluateBlock(block, cells, through)` computed (`done`), over the
 * same cells: the result is the whole block's, as `evaluateBlock(block, cells)` gives it.
 */
export function resumeBlock(block: RowBlock, cells: RowCells, done: BlockValues): BlockValues {
  return runBlock(block, cells, undefined, done);
}

function runBlock(block: RowBlock, cells: RowCells, through: BlockRole | undefined, done: BlockValues | undefined): BlockValues {
  // The row's cells stay where they are; the readings and the block's results are read first.
  const known: Record<string, RuleValue> = {};
  const readings = block.readings;
  if (readings !== undefined) for (const role in readings) known[role] = numberValue(readings[role] as number);
  const out: Partial<Record<BlockRole, RuleValue>> = {};
  for (const rule of block.rules) {
    const earlier = done?.[rule.role];
    const v = earlier ?? evaluateRuleOver(rule.expr, known, cells);
    known[rule.role] = v;
    out[rule.role] = v;
    if (rule.role === through) break;
  }
  return out;
}

/** A block cell as written: a formula, or the literal a rule folded to. */
export type EmittedCell =
  | { readonly kind: 'formula'; readonly formula: string }
  | { readonly kind: 'literal'; readonly value: Expr };

/** Returns each block cell's formula (or literal) at a placement; throws the emitter's errors on misuse. */
export function emitBlock(block: RowBlock, at: Placement): Readonly<Partial<Record<BlockRole, EmittedCell>>> {
  const placement = withReadings(block, at);
  const out: Partial<Record<BlockRole, EmittedCell>> = {};
  for (const rule of block.rules) {
    out[rule.role] = isLiteral(rule.expr) ? { kind: 'literal', value: rule.expr } : { kind: 'formula', formula: emitFormula(rule.expr, placement) };
  }
  return out;
}

/** The placement with the row's readings, which the emitter writes as number literals. */
function withReadings(block: RowBlock, placement: Placement): Placement {
  if (block.readings === undefined) return placement;
  // The readings themselves where the placement has no literals of its own (a plan's never has): they are only read.
  return { ...placement, literals: placement.literals === undefined ? block.readings : { ...placement.literals, ...block.readings } };
}

/** Sizes of a block's formulas: total UTF-8 bytes, longest formula in characters, deepest nesting. */
export interface BlockSize {
  readonly bytes: number;
  readonly longest: number;
  readonly depth: number;
}

/** Measures the formulas a block writes at a placement. */
export function measureBlock(block: RowBlock, at: Placement): BlockSize {
  const placement = withReadings(block, at);
  let bytes = 0;
  let longest = 0;
  let depth = 0;
  for (const rule of block.rules) {
    if (isLiteral(rule.expr)) continue;
    const f = emitFormula(rule.expr, placement);
    bytes += formulaBytes(f);
    longest = Math.max(longest, f.length);
    depth = Math.max(depth, nestingDepth(rule.expr));
  }
  return { bytes, longest, depth };
}

/** Checks that each rule reads only the row's cells and helpers computed before it; throws RuleOrderError. */
export function checkBlockOrder(block: RowBlock, inputRoles: ReadonlySet<string>): void {
  const known = new Set([...inputRoles, ...Object.keys(block.readings ?? {})]);
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'ref': if (!known.has(e.role)) throw new RuleOrderError(e.role); return;
      case 'negate': walk(e.operand); return;
      case 'binary': walk(e.left); walk(e.right); return;
      case 'call': e.args.forEach(walk); return;
      case 'number': case 'text': case 'boolean': case 'name': return;
      default: assertNever(e);
    }
  };
  for (const rule of block.rules) {
    walk(rule.expr);
    known.add(rule.role);
  }
}
