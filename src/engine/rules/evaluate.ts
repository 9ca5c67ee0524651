/**
 * The TypeScript back end of the rule language: evaluates an expression over a row's cells with a
 * spreadsheet's semantics. Blank is not "" and not 0 until an operator needs a number; text never equals a
 * number; errors are values that travel left to right; numbers that agree to about 13 significant digits
 * compare equal, and a sum or difference that cancels to within that precision is 0 (as HyperFormula does by
 * default; Excel and LibreOffice round similarly at 15 digits). The rules are written so that no verdict
 * depends on the last digits.
 */
import { assertNever, BinaryOperator, Expr, FunctionName } from './expr';
import { booleanValue, ErrorCode, errorValue, numberValue, RuleValue, textValue } from './values';
import { WORD_LISTS } from './vocabulary';

/** The cells a rule reads, by role. */
export type RowCells = Readonly<Record<string, RuleValue>>;

/** Thrown when a rule reads a role the caller gave no cell for (misuse of the API). */
export class UnknownRoleError extends Error {
  constructor(readonly role: string) {
    super(`No cell is given for the role "${role}"`);
    this.name = 'UnknownRoleError';
  }
}

/** Relative precision below which two numbers compare equal (HyperFormula's default `precisionEpsilon`). */
export const SHEET_PRECISION = 1e-13;

/** Compares numbers as a spreadsheet does: equal when they agree to the sheet's precision. */
export function sheetCompare(left: number, right: number): -1 | 0 | 1 {
  const mod = 1 + SHEET_PRECISION;
  if (right >= 0 && left * mod >= right && left <= right * mod) return 0;
  if (right <= 0 && left * mod <= right && left >= right * mod) return 0;
  return left > right ? 1 : -1;
}

function snap(result: number, left: number): number {
  return Math.abs(result) < SHEET_PRECISION * Math.abs(left) ? 0 : result;
}

type Scalar = RuleValue;
const err = (code: ErrorCode): Scalar => errorValue(code);
const num = numberValue;

/** Reads text as a number the way arithmetic does ("12", " 3.5 ", "50%", "1e2"); undefined when it is not one. */
export function textToNumber(s: string): number | undefined {
  const m = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(%?)\s*$/.exec(s);
  if (!m || m[1] === undefined) return undefined;
  const n = Number(m[1]);
  return m[2] === '%' ? n / 100 : n;
}

/** Coerces for arithmetic: blank → 0, TRUE → 1, numeric text → its number, other text → #VALUE!. */
function toNumber(v: Scalar): number | ErrorCode {
  switch (v.kind) {
    case 'number': return v.value;
    case 'blank': return 0;
    case 'boolean': return v.value ? 1 : 0;
    case 'text': return textToNumber(v.value) ?? '#VALUE!';
    case 'error': return v.code;
    default: return assertNever(v);
  }
}

/** Coerces for a condition: numbers ≠ 0 are TRUE, blank is FALSE, "TRUE"/"FALSE" text reads as such. */
function toBoolean(v: Scalar): boolean | ErrorCode {
  switch (v.kind) {
    case 'boolean': return v.value;
    case 'number': return v.value !== 0;
    case 'blank': return false;
    case 'text': {
      const t = v.value.trim().toUpperCase();
      return t === 'TRUE' ? true : t === 'FALSE' ? false : '#VALUE!';
    }
    case 'error': return v.code;
    default: return assertNever(v);
  }
}

/** Renders a number as text joins do (General format: up to 15 significant digits, "1E-10" when tiny). */
function numberText(n: number): string {
  const s = String(Number(n.toPrecision(15)));
  const [mantissa, exponent] = s.split('e');
  if (exponent === undefined) return s;
  const sign = exponent.startsWith('-') ? '-' : '+';
  return `${mantissa}E${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
}

function toText(v: Scalar): string | ErrorCode {
  switch (v.kind) {
    case 'text': return v.value;
    case 'number': return numberText(v.value);
    case 'boolean': return v.value ? 'TRUE' : 'FALSE';
    case 'blank': return '';
    case 'error': return v.code;
    default: return assertNever(v);
  }
}

const isCode = (x: unknown): x is ErrorCode => typeof x === 'string';

/** Order of types when compared: numbers < text < logicals. */
function typeRank(v: Scalar): number {
  return v.kind === 'number' ? 0 : v.kind === 'text' ? 1 : 2;
}

/** Compares two values as the comparison operators do; blank takes the other side's type. */
function compareValues(a: Scalar, b: Scalar): -1 | 0 | 1 {
  let left = a;
  let right = b;
  if (left.kind === 'blank' && right.kind === 'blank') return 0;
  if (left.kind === 'blank') left = blankAs(right);
  if (right.kind === 'blank') right = blankAs(left);
  if (left.kind === 'number' && right.kind === 'number') return sheetCompare(left.value, right.value);
  if (left.kind === 'text' && right.kind === 'text') {
    const x = left.value.toLowerCase();
    const y = right.value.toLowerCase();
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (left.kind === 'boolean' && right.kind === 'boolean') return left.value === right.value ? 0 : left.value ? 1 : -1;
  const d = typeRank(left) - typeRank(right);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

function blankAs(other: Scalar): Scalar {
  return other.kind === 'text' ? textValue('') : other.kind === 'boolean' ? booleanValue(false) : num(0);
}

function arithmetic(op: '+' | '-' | '*' | '/', a: Scalar, b: Scalar): Scalar {
  const x = toNumber(a);
  if (isCode(x)) return err(x);
  const y = toNumber(b);
  if (isCode(y)) return err(y);
  switch (op) {
    case '+': return num(snap(x + y, x));
    case '-': return num(snap(x - y, x));
    case '*': return num(x * y);
    case '/': return y === 0 ? err('#DIV/0!') : num(x / y);
    default: return assertNever(op);
  }
}

function applyBinary(op: BinaryOperator, a: Scalar, b: Scalar): Scalar {
  if (a.kind === 'error') return a;
  if (b.kind === 'error') return b;
  switch (op) {
    case '+': case '-': case '*': case '/': return arithmetic(op, a, b);
    case '&': {
      const x = toText(a);
      const y = toText(b);
      return textValue(`${x}${y}`);
    }
    case '=': return booleanValue(compareValues(a, b) === 0);
    case '<>': return booleanValue(compareValues(a, b) !== 0);
    case '<': return booleanValue(compareValues(a, b) < 0);
    case '<=': return booleanValue(compareValues(a, b) <= 0);
    case '>': return booleanValue(compareValues(a, b) > 0);
    case '>=': return booleanValue(compareValues(a, b) >= 0);
    default: return assertNever(op);
  }
}

/** Rounds half away from zero on the value's 15-digit decimal form, as Excel's ROUND does (0.285 → 0.29). */
export function excelRound(value: number, digits: number): number {
  const d = Math.trunc(digits);
  const decimal = Number(value.toPrecision(15));
  const shifted = Math.abs(decimal) * 10 ** d;
  const rounded = Math.floor(Number(shifted.toPrecision(15)) + 0.5) / 10 ** d;
  const out = decimal < 0 ? -rounded : rounded;
  return Object.is(out, -0) ? 0 : out;
}

/** What a rule reads: results computed so far (`own`), over the row's cells. */
interface Env {
  readonly own: Readonly<Record<string, Scalar>>;
  readonly cells: RowCells;
}

const NOTHING: Readonly<Record<string, Scalar>> = {};

/** Evaluates an expression; an empty cell stays blank until an operator or the formula's end needs a value. */
function evaluate(expr: Expr, env: Env): Scalar {
  switch (expr.kind) {
    case 'number': return num(expr.value);
    case 'text': return textValue(expr.value);
    case 'boolean': return booleanValue(expr.value);
    case 'ref': {
      const v = env.own[expr.role] ?? env.cells[expr.role];
      if (v === undefined) throw new UnknownRoleError(expr.role);
      return v;
    }
    case 'negate': {
      const v = evaluate(expr.operand, env);
      const n = toNumber(v);
      return isCode(n) ? err(n) : num(n === 0 ? 0 : -n);
    }
    case 'binary': return applyBinary(expr.op, evaluate(expr.left, env), evaluate(expr.right, env));
    case 'call': return callFunction(expr.fn, expr.args, env);
    // A table is read only through INDEX; on its own it would spill, which no rule writes.
    case 'name': return err('#VALUE!');
    default: return assertNever(expr);
  }
}

/** Arguments of AND, OR, MAX and MIN: a reference's text, blank (and, for MAX/MIN, logical) is skipped. */
function aggregateArgs(args: readonly Expr[], env: Env, skipRefLogicals: boolean): Scalar[] | ErrorCode {
  const out: Scalar[] = [];
  for (const a of args) {
    const v = evaluate(a, env);
    if (v.kind === 'error') return v.code;
    if (a.kind === 'ref' && (v.kind === 'text' || v.kind === 'blank' || (skipRefLogicals && v.kind === 'boolean'))) continue;
    out.push(v);
  }
  return out;
}

function oneArg(args: readonly Expr[], env: Env): Scalar {
  const a = args[0];
  return a === undefined ? err('#VALUE!') : evaluate(a, env);
}

function numericArg(args: readonly Expr[], index: number, env: Env): number | ErrorCode {
  const a = args[index];
  return a === undefined ? '#VALUE!' : toNumber(evaluate(a, env));
}

function callFunction(fn: FunctionName, args: readonly Expr[], env: Env): Scalar {
  switch (fn) {
    case 'IF': {
      const c = toBoolean(oneArg(args, env));
      if (isCode(c)) return err(c);
      const branch = c ? args[1] : args[2];
      if (branch === undefined) return booleanValue(false);
      const v = evaluate(branch, env);
      return v;
    }
    case 'AND': case 'OR': {
      const vs = aggregateArgs(args, env, false);
      if (isCode(vs)) return err(vs);
      if (vs.length === 0) return err('#VALUE!');
      const bs: boolean[] = [];
      for (const v of vs) {
        const b = toBoolean(v);
        if (isCode(b)) return err(b);
        bs.push(b);
      }
      return booleanValue(fn === 'AND' ? bs.every(Boolean) : bs.some(Boolean));
    }
    case 'NOT': {
      const b = toBoolean(oneArg(args, env));
      return isCode(b) ? err(b) : booleanValue(!b);
    }
    case 'ABS': case 'SIGN': {
      const n = numericArg(args, 0, env);
      if (isCode(n)) return err(n);
      return num(fn === 'ABS' ? Math.abs(n) : Math.sign(n) + 0);
    }
    case 'ROUND': {
      const n = numericArg(args, 0, env);
      if (isCode(n)) return err(n);
      const d = numericArg(args, 1, env);
      if (isCode(d)) return err(d);
      return num(excelRound(n, d));
    }
    case 'MOD': {
      const n = numericArg(args, 0, env);
      if (isCode(n)) return err(n);
      const d = numericArg(args, 1, env);
      if (isCode(d)) return err(d);
      if (d === 0) return err('#DIV/0!');
      const m = n - d * Math.floor(n / d);
      return num(m === 0 ? 0 : m);
    }
    case 'MAX': case 'MIN': {
      const vs = aggregateArgs(args, env, true);
      if (isCode(vs)) return err(vs);
      const ns: number[] = [];
      for (const v of vs) {
        const n = toNumber(v);
        if (isCode(n)) return err(n);
        ns.push(n);
      }
      if (ns.length === 0) return num(0);
      return num(fn === 'MAX' ? Math.max(...ns) : Math.min(...ns));
    }
    case 'COUNT': {
      let n = 0;
      for (const a of args) {
        const v = evaluate(a, env);
        if (v.kind === 'number') n++;
        else if (a.kind !== 'ref' && v.kind === 'boolean') n++;
        else if (a.kind !== 'ref' && v.kind === 'text' && textToNumber(v.value) !== undefined) n++;
      }
      return num(n);
    }
    case 'N': {
      const v = oneArg(args, env);
      switch (v.kind) {
        case 'number': return v;
        case 'boolean': return num(v.value ? 1 : 0);
        case 'text': case 'blank': return num(0);
        case 'error': return v;
        default: return assertNever(v);
      }
    }
    case 'ISNUMBER': return booleanValue(oneArg(args, env).kind === 'number');
    case 'ISBLANK': return booleanValue(oneArg(args, env).kind === 'blank');
    case 'ISTEXT': return booleanValue(oneArg(args, env).kind === 'text');
    case 'CHOOSE': {
      const i = numericArg(args, 0, env);
      if (isCode(i)) return err(i);
      const k = Math.trunc(i);
      const chosen = args[k];
      if (k < 1 || chosen === undefined) return err('#VALUE!');
      return evaluate(chosen, env);
    }
    case 'INDEX': {
      // INDEX(table, row, column) on a named constant table: positions are truncated; outside the table is #REF!.
      const table = args[0];
      if (table === undefined || table.kind !== 'name') return err('#VALUE!');
      const r = numericArg(args, 1, env);
      if (isCode(r)) return err(r);
      const c = numericArg(args, 2, env);
      if (isCode(c)) return err(c);
      const word = WORD_LISTS[table.name][Math.trunc(r) - 1]?.[Math.trunc(c) - 1];
      return word === undefined ? err('#REF!') : textValue(word);
    }
    default: return assertNever(fn);
  }
}

/**
 * Evaluates a rule over a row's cells and returns what the cell holding its formula shows. A formula that ends
 * on an empty cell shows 0, as a spreadsheet does. Throws UnknownRoleError when a role has no cell.
 */
export function evaluateRule(expr: Expr, cells: RowCells): RuleValue {
  return evaluateRuleOver(expr, NOTHING, cells);
}

/** `evaluateRule` reading `own` (a block's results so far) before the row's cells. */
export function evaluateRuleOver(expr: Expr, own: Readonly<Record<string, RuleValue>>, cells: RowCells): RuleValue {
  const v = evaluate(expr, { own, cells });
  return v.kind === 'blank' ? numberValue(0) : v;
}
