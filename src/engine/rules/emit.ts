/**
 * The Excel back end of the rule language: formula text in A1 notation with English function names, for the
 * row a placement names. Formulas that Excel would refuse (nesting deeper than 64, longer than 8,192
 * characters) are refused here, so a rule that builds one is a bug caught before any workbook is touched.
 */
import { columnLetters, quoteSheetName } from '../address';
import { assertNever, BinaryOperator, Expr, nestingDepth } from './expr';

/** Where a row's roles sit: the 0-based sheet row, and the 0-based column of each role. */
export interface Placement {
  readonly row: number;
  readonly columns: Readonly<Record<string, number>>;
  /** When set, every reference is qualified with this sheet's name ("'Q3 KPIs'!E5"). */
  readonly sheet?: string;
  /** Roles written as number literals rather than references: the row's readings of text cells. */
  readonly literals?: Readonly<Record<string, number>>;
}

/** Excel's limit on nested function levels. */
export const MAX_NESTING = 64;
/** Excel's limit on the characters of a formula. */
export const MAX_FORMULA_LENGTH = 8192;

/** Thrown when a rule nests functions deeper than Excel allows. */
export class FormulaTooDeepError extends Error {
  constructor(readonly depth: number) {
    super(`A formula would nest ${depth} functions deep; Excel allows ${MAX_NESTING}`);
    this.name = 'FormulaTooDeepError';
  }
}

/** Thrown when a rule's formula would be longer than Excel allows. */
export class FormulaTooLongError extends Error {
  constructor(readonly length: number) {
    super(`A formula would be ${length} characters long; Excel allows ${MAX_FORMULA_LENGTH}`);
    this.name = 'FormulaTooLongError';
  }
}

/** Thrown when a rule refers to a role the placement does not place. */
export class UnplacedRoleError extends Error {
  constructor(readonly role: string) {
    super(`The placement has no column for the role "${role}"`);
    this.name = 'UnplacedRoleError';
  }
}

/** Binding strength of each operator in Excel (higher binds tighter). */
const PRECEDENCE: Readonly<Record<BinaryOperator, number>> = {
  '=': 1, '<>': 1, '<': 1, '<=': 1, '>': 1, '>=': 1, '&': 2, '+': 3, '-': 3, '*': 4, '/': 4,
};
const UNARY = 7;
const ATOM = 9;

/** Writes a number in plain decimal notation ("0.000000001", never "1E-09"), which every engine reads alike. */
export function plainNumber(n: number): string {
  const s = String(n);
  const [mantissa = s, exponentText] = s.split('e');
  if (exponentText === undefined) return s;
  const negative = mantissa.startsWith('-');
  const body = negative ? mantissa.slice(1) : mantissa;
  const [whole = '', fraction = ''] = body.split('.');
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  const sign = negative ? '-' : '';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Quotes text as an Excel string literal: "say ""no""". */
export function quoteText(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

/** A word table as an array constant, the way a defined name holds it: {"a","b";"c","d"} (rows split by ";"). */
export function arrayConstant(rows: readonly (readonly string[])[]): string {
  return `{${rows.map((row) => row.map(quoteText).join(',')).join(';')}}`;
}

function precedenceOf(e: Expr): number {
  switch (e.kind) {
    case 'binary': return PRECEDENCE[e.op];
    case 'negate': return UNARY;
    case 'number': return e.value < 0 ? UNARY : ATOM;
    case 'text': case 'boolean': case 'ref': case 'call': case 'name': return ATOM;
    default: return assertNever(e);
  }
}

/** Where a template holds the row's number. */
const ROW_HOLE = '\u0000';
/** Around the role of a literal a template holds: "\u0001c4:reading\u0001". */
const LITERAL_HOLE = '\u0001';

/** Thrown (and caught) when a text literal holds a template's marks: such a rule is written without a template. */
class HoleInTextError extends Error {}

/** How `write` puts the row in: as holes for a template, or (`at`) written out for one row. */
type Holes = { readonly at?: Placement };

/**
 * Writes a rule as formula text with holes for the row's number and its literals, so that the rows of a table that
 * share rules share one template; or, given a placement's row (`holes.at`), written out for that row.
 */
function write(e: Expr, placement: Omit<Placement, 'row'>, holes: Holes = {}): string {
  const at = holes.at;
  switch (e.kind) {
    case 'number': return plainNumber(e.value);
    case 'text':
      if (at === undefined && (e.value.includes(ROW_HOLE) || e.value.includes(LITERAL_HOLE))) throw new HoleInTextError();
      return quoteText(e.value);
    // HyperFormula reads only the function forms; Excel and LibreOffice read both.
    case 'boolean': return e.value ? 'TRUE()' : 'FALSE()';
    case 'ref': {
      const col = placement.columns[e.role];
      if (col === undefined) return at === undefined ? `${LITERAL_HOLE}${e.role}${LITERAL_HOLE}` : literalText(at, e.role);
      const address = `${columnLetters(col)}${at === undefined ? ROW_HOLE : at.row + 1}`;
      return placement.sheet === undefined ? address : `${quoteSheetName(placement.sheet)}!${address}`;
    }
    case 'negate': {
      const inner = write(e.operand, placement, holes);
      return precedenceOf(e.operand) < UNARY ? `-(${inner})` : `-${inner}`;
    }
    case 'binary': {
      const p = PRECEDENCE[e.op];
      const left = write(e.left, placement, holes);
      const right = write(e.right, placement, holes);
      const l = precedenceOf(e.left) < p ? `(${left})` : left;
      const r = precedenceOf(e.right) <= p ? `(${right})` : right;
      return `${l}${e.op}${r}`;
    }
    case 'call': return `${e.fn}(${e.args.map((a) => write(a, placement, holes)).join(',')})`;
    // Workbook-scoped: the same on every sheet.
    case 'name': return e.name;
    default: return assertNever(e);
  }
}

/** A literal role (a reading) as a number; in brackets when negative, since a reference binds tighter than any operator. */
function literalText(placement: Placement, role: string): string {
  const literal = placement.literals?.[role];
  if (literal === undefined) throw new UnplacedRoleError(role);
  return literal < 0 ? `(${plainNumber(literal)})` : plainNumber(literal);
}

/** A rule's formula text split at its holes: `texts[i]` then hole i (the row's number, or a literal's role), and so on. */
interface Template {
  readonly texts: readonly string[];
  /** What fills each hole: the row's number (null), or the literal of a role. */
  readonly holes: ReadonlyArray<string | null>;
  readonly depth: number;
}

/** A hole of a template's text: the row's number, or a literal's role between marks. */
const HOLES = new RegExp(`${ROW_HOLE}|${LITERAL_HOLE}([^${LITERAL_HOLE}]*)${LITERAL_HOLE}`, 'g');

/** Splits formula text written with holes into a template. */
function templateFrom(text: string, depth: number): Template {
  const texts: string[] = [];
  const holes: Array<string | null> = [];
  let from = 0;
  // exec over the one compiled pattern (matchAll would copy it for each template); a hole is never empty.
  HOLES.lastIndex = 0;
  for (let m = HOLES.exec(text); m !== null; m = HOLES.exec(text)) {
    texts.push(text.slice(from, m.index));
    holes.push(m[0] === ROW_HOLE ? null : m[1] ?? '');
    from = m.index + m[0].length;
  }
  texts.push(text.slice(from));
  return { texts, holes, depth };
}

/** Templates by placement columns (one object per table), sheet, and rule. */
const templates = new WeakMap<object, Map<string, WeakMap<Expr, Template | null>>>();

function templateOf(expr: Expr, placement: Placement): Template | null {
  let bySheet = templates.get(placement.columns);
  if (bySheet === undefined) templates.set(placement.columns, (bySheet = new Map()));
  const sheetKey = placement.sheet ?? '';
  let byExpr = bySheet.get(sheetKey);
  if (byExpr === undefined) bySheet.set(sheetKey, (byExpr = new WeakMap()));
  let template = byExpr.get(expr);
  if (template === undefined) {
    try {
      template = templateFrom(write(expr, placement), nestingDepth(expr));
    } catch (error) {
      if (!(error instanceof HoleInTextError)) throw error;
      template = null;
    }
    byExpr.set(expr, template);
  }
  return template;
}

/** The template's text at the placement's row, with its literals. */
function fill(template: Template, placement: Placement): string {
  const { texts, holes } = template;
  const row = String(placement.row + 1);
  let text = texts[0] ?? '';
  for (let i = 0; i < holes.length; i++) {
    const role = holes[i];
    text += (role === null || role === undefined ? row : literalText(placement, role)) + (texts[i + 1] ?? '');
  }
  return text;
}

/**
 * Returns the Excel formula ("=…") for a rule at a placement. Throws FormulaTooDeepError or FormulaTooLongError
 * when Excel would refuse it, UnplacedRoleError when a role has no column.
 */
export function emitFormula(expr: Expr, placement: Placement): string {
  const template = templateOf(expr, placement);
  const depth = template?.depth ?? nestingDepth(expr);
  if (depth > MAX_NESTING) throw new FormulaTooDeepError(depth);
  const formula = `=${template === null ? write(expr, placement, { at: placement }) : fill(template, placement)}`;
  if (formula.length > MAX_FORMULA_LENGTH) throw new FormulaTooLongError(formula.length);
  return formula;
}

/** Returns the size of a formula in UTF-8 bytes, as a workbook stores it ("●" is three bytes). */
export function formulaBytes(formula: string): number {
  return new TextEncoder().encode(formula).length;
}
