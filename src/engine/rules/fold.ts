/**
 * Specialises a rule to what is known when the block is planned: a constant target, a fixed polarity, a
 * tolerance of 0. Sub-expressions of literals become one literal and IF on a literal condition becomes its
 * branch, so the written formula holds only what can change. Both back ends read the folded rule, so the
 * verdict and the formula still come from one expression.
 */
import { assertNever, bool, Expr, num, RuleNumberError, text } from './expr';
import { evaluateRule } from './evaluate';

/** Returns true for a number, text or TRUE/FALSE literal. */
export function isLiteral(e: Expr): boolean {
  return e.kind === 'number' || e.kind === 'text' || e.kind === 'boolean';
}

const BOOLEAN_FUNCTIONS = new Set(['AND', 'OR', 'NOT', 'ISNUMBER', 'ISBLANK', 'ISTEXT']);

/** Returns true when an expression always gives TRUE, FALSE or an error (a comparison, AND, ISNUMBER…). */
function isBooleanValued(e: Expr): boolean {
  if (e.kind === 'boolean') return true;
  if (e.kind === 'binary') return ['=', '<>', '<', '<=', '>', '>='].includes(e.op);
  if (e.kind === 'call') return BOOLEAN_FUNCTIONS.has(e.fn);
  return false;
}

function literalOf(e: Expr): Expr | undefined {
  const v = evaluateRule(e, {});
  try {
    switch (v.kind) {
      case 'number': return num(v.value);
      case 'text': return text(v.value);
      case 'boolean': return bool(v.value);
      case 'blank': case 'error': return undefined;
      default: return assertNever(v);
    }
  } catch (error) {
    if (error instanceof RuleNumberError) return undefined;
    throw error;
  }
}

/** Returns true when COUNT counts a literal argument. */
function countsAsNumber(a: Expr): boolean {
  const v = evaluateRule({ kind: 'call', fn: 'COUNT', args: [a] }, {});
  return v.kind === 'number' && v.value === 1;
}

/** The least and greatest number an expression can give, when a product of literals and TRUE / FALSE tests bounds it. */
function rangeOf(e: Expr): readonly [number, number] | undefined {
  if (e.kind === 'number') return [e.value, e.value];
  if (e.kind === 'boolean') return e.value ? [1, 1] : [0, 0];
  if (isBooleanValued(e)) return [0, 1];
  if (e.kind === 'binary' && e.op === '*') {
    const a = rangeOf(e.left);
    const b = rangeOf(e.right);
    if (a === undefined || b === undefined || a[0] < 0 || b[0] < 0) return undefined;
    return [a[0] * b[0], a[1] * b[1]];
  }
  return undefined;
}

/** `test × TRUE` (or × 1) as the test alone: MAX counts a TRUE or FALSE an expression gives as 1 or 0. */
function withoutUnitFactor(e: Expr): Expr {
  if (e.kind !== 'binary' || e.op !== '*') return e;
  const unit = (x: Expr): boolean => (x.kind === 'boolean' && x.value) || (x.kind === 'number' && x.value === 1);
  if (unit(e.right) && isBooleanValued(e.left)) return e.left;
  if (unit(e.left) && isBooleanValued(e.right)) return e.right;
  return e;
}

/**
 * MAX over positions (a latest or previous index): a literal no other argument can exceed is the result (a reading is
 * always reported, so no period before it can be the latest); an argument that never exceeds another's least is
 * dropped, as it never decides.
 */
function foldMax(args: readonly Expr[]): Expr {
  const kept = args.map(withoutUnitFactor);
  const ranges = kept.map(rangeOf);
  const floor = Math.max(...ranges.map((r) => r?.[0] ?? -Infinity));
  // One argument that never gives less than the floor stays; any other that never gives more is dropped.
  const setter = ranges.findIndex((r) => r !== undefined && r[0] === floor);
  const useful = kept.filter((_a, i) => i === setter || (ranges[i]?.[1] ?? Infinity) > floor);
  const only = useful[0];
  return useful.length === 1 && only !== undefined && only.kind === 'number' ? only : { kind: 'call', fn: 'MAX', args: useful };
}

/** Returns the rule with its constant parts computed. */
export function foldRule(expr: Expr): Expr {
  switch (expr.kind) {
    case 'number': case 'text': case 'boolean': case 'ref': case 'name': return expr;
    case 'negate': {
      const operand = foldRule(expr.operand);
      const e: Expr = { kind: 'negate', operand };
      return isLiteral(operand) ? literalOf(e) ?? e : e;
    }
    case 'binary': {
      const left = foldRule(expr.left);
      const right = foldRule(expr.right);
      const e: Expr = { kind: 'binary', op: expr.op, left, right };
      return isLiteral(left) && isLiteral(right) ? literalOf(e) ?? e : e;
    }
    case 'call': {
      const args = expr.args.map(foldRule);
      if (expr.fn === 'IF') {
        const [cond, then, otherwise] = args;
        if (cond !== undefined && isLiteral(cond)) {
          const c = evaluateRule(cond, {});
          if (c.kind === 'boolean') return c.value ? then ?? bool(false) : otherwise ?? bool(false);
          if (c.kind === 'number') return c.value !== 0 ? then ?? bool(false) : otherwise ?? bool(false);
        }
      }
      if (expr.fn === 'AND' || expr.fn === 'OR') {
        // TRUE changes nothing in AND, nor FALSE in OR; what remains decides.
        const neutral = expr.fn === 'AND';
        const kept = args.filter((a) => !(a.kind === 'boolean' && a.value === neutral));
        if (kept.length === 0) return bool(neutral);
        if (kept.length === 1 && kept[0] !== undefined && isBooleanValued(kept[0])) return kept[0];
        if (kept.length < args.length) return foldRule({ kind: 'call', fn: expr.fn, args: kept });
      }
      if (expr.fn === 'CHOOSE' && args[0] !== undefined && isLiteral(args[0])) {
        // CHOOSE reads only the argument it picks.
        const at = evaluateRule({ kind: 'call', fn: 'N', args: [args[0]] }, {});
        const picked = at.kind === 'number' ? args[Math.trunc(at.value)] : undefined;
        if (picked !== undefined && at.kind === 'number' && Math.trunc(at.value) >= 1) return picked;
      }
      if (expr.fn === 'MAX' && !args.every(isLiteral)) return foldMax(args);
      if (expr.fn === 'COUNT' && args.some(isLiteral) && !args.every(isLiteral)) {
        // A literal argument counts or not whatever the cells hold: count it now, so that no engine has to read
        // COUNT("") (which they read differently).
        const counted = args.filter((a) => isLiteral(a) && countsAsNumber(a)).length;
        const rest: Expr = { kind: 'call', fn: 'COUNT', args: args.filter((a) => !isLiteral(a)) };
        return counted === 0 ? rest : { kind: 'binary', op: '+', left: rest, right: num(counted) };
      }
      const e: Expr = { kind: 'call', fn: expr.fn, args };
      // A word read at literal positions is that word.
      if (expr.fn === 'INDEX' && args.slice(1).every(isLiteral)) return literalOf(e) ?? e;
      return args.every(isLiteral) ? literalOf(e) ?? e : e;
    }
    default: return assertNever(expr);
  }
}
