/**
 * The pane's edits to the options kept in the workbook: pure functions from options to new options.
 */
import { parseTolerance as parseToleranceText } from '../engine';
import type { Polarity, Tolerance } from '../engine';
import type { ScorecardOptions } from '../excel/contract';

/** One table's override, as kept in the options. */
export type TableOverride = ScorecardOptions['overrides'][number];

/** A polarity a person can choose for a row. */
export type ChosenPolarity = Exclude<Polarity, 'unknown'>;

/** Column letters as a person types them: one to three letters. */
const COLUMN_LETTERS = /^[A-Za-z]{1,3}$/;

/** Returns true when `override` applies to the table at `sheet`!`range`. */
function isFor(override: TableOverride, sheet: string, range: string): boolean {
  return override.sheet === sheet && override.range === range;
}

/** Returns the override kept for the table at `sheet`!`range`, or undefined. */
export function findOverride(options: ScorecardOptions, sheet: string, range: string): TableOverride | undefined {
  return options.overrides.find((o) => isFor(o, sheet, range));
}

/** Returns true when an override changes nothing (and so need not be kept). */
function isEmpty(override: TableOverride): boolean {
  return !override.exclude && !override.targetColumn && Object.keys(override.rowPolarity ?? {}).length === 0;
}

/**
 * Returns options with the override for `sheet`!`range` replaced by `next` (its sheet and range are set here);
 * an override that changes nothing is dropped.
 */
export function replaceOverride(
  options: ScorecardOptions,
  sheet: string,
  range: string,
  next: Omit<TableOverride, 'sheet' | 'range'>,
): ScorecardOptions {
  const others = options.overrides.filter((o) => !isFor(o, sheet, range));
  const override: TableOverride = {
    sheet,
    range,
    ...(next.exclude ? { exclude: true } : {}),
    ...(next.targetColumn ? { targetColumn: next.targetColumn } : {}),
    ...(next.rowPolarity && Object.keys(next.rowPolarity).length > 0 ? { rowPolarity: next.rowPolarity } : {}),
  };
  return { ...options, overrides: isEmpty(override) ? others : [...others, override] };
}

/** Returns options with the table at `sheet`!`range` excluded (true) or included again (false). */
export function setExcluded(options: ScorecardOptions, sheet: string, range: string, exclude: boolean): ScorecardOptions {
  const current = findOverride(options, sheet, range) ?? { sheet, range };
  return replaceOverride(options, sheet, range, { ...current, exclude });
}

/** Returns the column letters in upper case, "" for blank (automatic), or undefined when they are not letters. */
export function parseColumnLetters(text: string): string | undefined {
  const t = text.trim();
  if (t === '') return '';
  return COLUMN_LETTERS.test(t) ? t.toUpperCase() : undefined;
}

/** A tolerance band as typed in the pane: a number and what it is measured in. */
export interface ToleranceInput {
  readonly amount: string;
  readonly kind: Tolerance['kind'];
}

/** Returns the band typed (percent of target, or units), or undefined when it is not a number from 0 to 100 / ≥ 0. */
export function parseTolerance(input: ToleranceInput): Tolerance | undefined {
  // The engine's one tolerance grammar, as a Tolerance column and the command line read it.
  const amount = input.amount.trim().replace(/%$/, '').trim();
  const t = parseToleranceText(input.kind === 'relative' ? `${amount}%` : amount);
  if (t === undefined || t.kind !== input.kind) return undefined;
  return t.kind === 'relative' && t.value > 1 ? undefined : t;
}

/** Returns the text shown in a band's input: percent for relative bands, units for absolute ones. */
export function formatToleranceAmount(tolerance: Tolerance): string {
  const n = tolerance.kind === 'relative' ? tolerance.value * 100 : tolerance.value;
  // Percent from a fraction picks up binary noise (0.07 * 100 = 7.000000000000001); four places is plenty.
  return String(Number(n.toFixed(4)));
}
