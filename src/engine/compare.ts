/** The one place where computed numbers are compared: explicit epsilon, explicit inclusiveness. */

/** Relative epsilon used for every comparison of computed numbers. */
export const EPSILON = 1e-9;

/** Returns -1, 0 or 1: a and b are equal when they differ by less than epsilon relative to their size. */
export function floatCmp(a: number, b: number, epsilon: number = EPSILON): -1 | 0 | 1 {
  const scale = Math.max(1, Math.abs(a), Math.abs(b));
  if (Math.abs(a - b) <= epsilon * scale) return 0;
  return a < b ? -1 : 1;
}

/** Returns true when value lies on the passing side of a lower bound (value ≥ bound, or > when strict). */
export function meetsMinimum(value: number, bound: number, inclusive: boolean): boolean {
  const c = floatCmp(value, bound);
  return c > 0 || (inclusive && c === 0);
}

/** Returns true when value lies on the passing side of an upper bound (value ≤ bound, or < when strict). */
export function meetsMaximum(value: number, bound: number, inclusive: boolean): boolean {
  const c = floatCmp(value, bound);
  return c < 0 || (inclusive && c === 0);
}

/** Rounds to a number of decimal places, half away from zero, as a spreadsheet displays it. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(Math.abs(value) * f + 1e-9) / f;
  return value < 0 ? -r : r;
}
