/** Command-line option parsing shared by the commands. */
import { DEFAULT_SETTINGS, EvaluationSettings, parseTolerance, Tolerance } from '../engine';

/** Thrown for a malformed option value. */
export class OptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionError';
  }
}

/**
 * Parses a tolerance: "5%" (relative to the bound), or "3" / "2pp" (absolute, in each row's printed units:
 * percentage points on rows of percentages).
 */
export function parseToleranceOption(name: string, text: string): Tolerance {
  // The engine's one tolerance grammar, as a Tolerance column is read.
  const t = parseTolerance(text);
  if (t === undefined) throw new OptionError(`--${name} must be like 5%, 2pp or 3 (got "${text}")`);
  return t;
}

/**
 * Builds evaluation settings from --amber / --green. Either flag means the user chose the tolerances, which then
 * override a key printed on the sheet ("Amber: within 10% of target"); without them the sheet's key, else the defaults.
 */
export function settingsFrom(opts: { amber?: string; green?: string }): EvaluationSettings {
  return {
    amber: opts.amber !== undefined ? parseToleranceOption('amber', opts.amber) : DEFAULT_SETTINGS.amber,
    green: opts.green !== undefined ? parseToleranceOption('green', opts.green) : DEFAULT_SETTINGS.green,
    ...(opts.amber !== undefined || opts.green !== undefined ? { tolerancesChosen: true } : {}),
  };
}
