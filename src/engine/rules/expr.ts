/**
 * The row-rule language: a small expression tree over the cells of one row. A rule is written once as an
 * expression and has two back ends: `evaluateRule` (TypeScript, spreadsheet semantics) and `emitFormula`
 * (Excel formula text). References name a cell by its role ("latest", "min", "period3"); a placement maps
 * each role to a column of the row.
 */

import { WordListName } from './vocabulary';

/** The functions a rule may call, spelled as Excel spells them in English. */
export type FunctionName =
  | 'IF' | 'AND' | 'OR' | 'NOT'
  | 'ABS' | 'ROUND' | 'SIGN' | 'MOD' | 'MAX' | 'MIN' | 'N' | 'COUNT'
  | 'ISNUMBER' | 'ISBLANK' | 'ISTEXT'
  | 'CHOOSE' | 'INDEX';

/** Binary operators, Excel's spelling. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '&' | '=' | '<>' | '<' | '<=' | '>' | '>=';

/** An expression of the rule language. */
export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'ref'; readonly role: string }
  /** A workbook's defined name holding a constant table (the status and trend words): only INDEX reads it. */
  | { readonly kind: 'name'; readonly name: WordListName }
  | { readonly kind: 'negate'; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Expr[] };

/** Thrown when our own code builds a number no formula can hold (NaN, Infinity, or beyond ±1e15 / below 1e-15). */
export class RuleNumberError extends Error {
  constructor(value: number) {
    super(`A rule cannot hold the number ${value}`);
    this.name = 'RuleNumberError';
  }
}

/** Thrown when our own code builds a text longer than the 255 characters Excel allows in a formula string. */
export class RuleTextTooLongError extends Error {
  constructor(length: number) {
    super(`A rule's text literal has ${length} characters; Excel allows 255`);
    this.name = 'RuleTextTooLongError';
  }
}

/** Thrown when a function is called with a number of arguments it does not take. */
export class RuleArityError extends Error {
  constructor(fn: FunctionName, count: number) {
    super(`${fn} does not take ${count} argument(s)`);
    this.name = 'RuleArityError';
  }
}

/** Longest text literal Excel accepts inside a formula. */
export const MAX_TEXT_LITERAL = 255;
/** Largest magnitude a rule literal may have (beyond it a formula would need exponent notation). */
export const MAX_LITERAL = 1e15;
/** Smallest non-zero magnitude a rule literal may have. */
export const MIN_LITERAL = 1e-15;

/** Argument counts each function accepts: [min, max]. */
const ARITY: Readonly<Record<FunctionName, readonly [number, number]>> = {
  IF: [2, 3], AND: [1, 255], OR: [1, 255], NOT: [1, 1], ABS: [1, 1], ROUND: [2, 2], SIGN: [1, 1], MOD: [2, 2],
  MAX: [1, 255], MIN: [1, 255], COUNT: [1, 255], N: [1, 1], ISNUMBER: [1, 1], ISBLANK: [1, 1], ISTEXT: [1, 1], CHOOSE: [2, 255],
  INDEX: [3, 3],
};

/**
 * Returns a number literal. Excel keeps 15 significant digits of a typed number, so the literal is rounded to
 * 15 digits here: the evaluator and the written formula then hold the same value.
 */
export function num(value: number): Expr {
  if (!Number.isFinite(value)) throw new RuleNumberError(value);
  // Integers below 1e15 already have at most 15 digits: only fractions need rounding (toPrecision is slow).
  const kept = Number.isInteger(value) && Math.abs(value) < MAX_LITERAL ? value : Number(value.toPrecision(15));
  const size = Math.abs(kept);
  if (size !== 0 && (size >= MAX_LITERAL || size < MIN_LITERAL)) throw new RuleNumberError(value);
  return { kind: 'number', value: Object.is(kept, -0) ? 0 : kept };
}

/** Returns a text literal (at most 255 characters). */
export function text(value: string): Expr {
  if (value.length > MAX_TEXT_LITERAL) throw new RuleTextTooLongError(value.length);
  return { kind: 'text', value };
}

/** Returns TRUE or FALSE. */
export function bool(value: boolean): Expr {
  return { kind: 'boolean', value };
}

/** Returns a reference to the cell of the row that plays `role`. */
export function ref(role: string): Expr {
  return { kind: 'ref', role };
}

/** Returns a reference to one of the constant tables the workbook holds as a defined name. */
export function namedTable(name: WordListName): Expr {
  return { kind: 'name', name };
}

/** INDEX(table, row, column): the entry of a named table; row and column count from 1. */
export function lookupWord(table: WordListName, row: Expr, column: Expr): Expr {
  return call('INDEX', namedTable(table), row, column);
}

/** Returns a function call; throws RuleArityError on a wrong number of arguments. */
export function call(fn: FunctionName, ...args: readonly Expr[]): Expr {
  const [min, max] = ARITY[fn];
  if (args.length < min || args.length > max) throw new RuleArityError(fn, args.length);
  return { kind: 'call', fn, args };
}

/** Returns `left op right`. */
export function binary(op: BinaryOperator, left: Expr, right: Expr): Expr {
  return { kind: 'binary', op, left, right };
}

/** Returns `-operand`. */
export function neg(operand: Expr): Expr {
  return { kind: 'negate', operand };
}

/** Shorthands that make rules read like formulas. */
export const add = (a: Expr, b: Expr): Expr => binary('+', a, b);
/** a − b */
export const sub = (a: Expr, b: Expr): Expr => binary('-', a, b);
/** a × b */
export const mul = (a: Expr, b: Expr): Expr => binary('*', a, b);
/** a ÷ b */
export const div = (a: Expr, b: Expr): Expr => binary('/', a, b);
/** a & b (text join) */
export const concat = (a: Expr, b: Expr): Expr => binary('&', a, b);
/** a = b */
export const eq = (a: Expr, b: Expr): Expr => binary('=', a, b);
/** a <> b */
export const ne = (a: Expr, b: Expr): Expr => binary('<>', a, b);
/** a < b */
export const lt = (a: Expr, b: Expr): Expr => binary('<', a, b);
/** a <= b */
export const le = (a: Expr, b: Expr): Expr => binary('<=', a, b);
/** a > b */
export const gt = (a: Expr, b: Expr): Expr => binary('>', a, b);
/** a >= b */
export const ge = (a: Expr, b: Expr): Expr => binary('>=', a, b);
/** IF(cond, then, else) */
export const iff = (cond: Expr, then: Expr, otherwise: Expr): Expr => call('IF', cond, then, otherwise);
/** AND(…) */
export const and = (...args: readonly Expr[]): Expr => call('AND', ...args);
/** OR(…) */
export const or = (...args: readonly Expr[]): Expr => call('OR', ...args);
/** NOT(x) */
export const not = (x: Expr): Expr => call('NOT', x);
/** ISNUMBER(x) */
export const isNumber = (x: Expr): Expr => call('ISNUMBER', x);
/** COUNT(…): how many of the arguments are numbers. */
export const count = (...args: readonly Expr[]): Expr => call('COUNT', ...args);
/** TRUE when every one of the cells holds a number: COUNT(a,b)=2 (not ISNUMBER(a+b): some engines read "" as 0). */
export const allNumbers = (...args: readonly Expr[]): Expr =>
  args.length === 1 && args[0] !== undefined ? isNumber(args[0]) : binary('=', count(...args), num(args.length));
/** ABS(x) */
export const abs = (x: Expr): Expr => call('ABS', x);

/** Returns the roles an expression reads, each once, in first-use order. */
export function rolesOf(expr: Expr): string[] {
  const seen = new Set<string>();
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case 'number': case 'text': case 'boolean': case 'name': return;
      case 'ref': seen.add(e.role); return;
      case 'negate': walk(e.operand); return;
      case 'binary': walk(e.left); walk(e.right); return;
      case 'call': e.args.forEach(walk); return;
      default: assertNever(e);
    }
  };
  walk(expr);
  return [...seen];
}

/** Returns the depth of function nesting: a literal or reference is 0, `IF(x,1,2)` is 1, `IF(ABS(x)>1,…)` is 2. */
export function nestingDepth(expr: Expr): number {
  switch (expr.kind) {
    case 'number': case 'text': case 'boolean': case 'ref': case 'name': return 0;
    case 'negate': return nestingDepth(expr.operand);
    case 'binary': return Math.max(nestingDepth(expr.left), nestingDepth(expr.right));
    case 'call': return 1 + Math.max(0, ...expr.args.map(nestingDepth));
    default: return assertNever(expr);
  }
}

/** Marks a switch as exhaustive: the compiler rejects a missing case; reaching it at run time is a bug. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
