/**
 * What a cell or a rule's result holds, as a spreadsheet sees it: a number, text, TRUE/FALSE, an empty cell
 * (blank, which is not the same as the text "") or an error value that travels through formulas.
 */
import { assertNever } from './expr';

/** The error values a rule can produce or meet in a cell. */
export type ErrorCode = '#VALUE!' | '#DIV/0!' | '#N/A' | '#NUM!' | '#REF!' | '#NAME?';

/** A value in a cell or produced by a rule. */
export type RuleValue =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'blank' }
  | { readonly kind: 'error'; readonly code: ErrorCode };

/** An empty cell. */
export const BLANK: RuleValue = { kind: 'blank' };

/** Returns a number value. */
export function numberValue(value: number): RuleValue {
  return { kind: 'number', value };
}

/** Returns a text value. */
export function textValue(value: string): RuleValue {
  return { kind: 'text', value };
}

/** Returns TRUE or FALSE. */
export function booleanValue(value: boolean): RuleValue {
  return { kind: 'boolean', value };
}

/** Returns an error value. */
export function errorValue(code: ErrorCode): RuleValue {
  return { kind: 'error', code };
}

/** Returns a cell value from a plain JavaScript value: null is blank, "#N/A"-like strings stay text. */
export function toRuleValue(v: number | string | boolean | null): RuleValue {
  if (v === null) return BLANK;
  if (typeof v === 'number') return numberValue(v);
  if (typeof v === 'string') return textValue(v);
  return booleanValue(v);
}

/** Returns true when a value is a number. */
export function isNumberValue(v: RuleValue): v is { readonly kind: 'number'; readonly value: number } {
  return v.kind === 'number';
}

/** Renders a value for messages and test names: 12, "N/A", TRUE, (blank), #DIV/0!. */
export function showValue(v: RuleValue): string {
  switch (v.kind) {
    case 'number': return String(v.value);
    case 'text': return JSON.stringify(v.value);
    case 'boolean': return v.value ? 'TRUE' : 'FALSE';
    case 'blank': return '(blank)';
    case 'error': return v.code;
    default: return assertNever(v);
  }
}
