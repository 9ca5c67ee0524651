/**
 * The scorecard's options, kept in the workbook (`workbook.settings`, one key holding JSON), so that every
 * refresh of the workbook, by anyone, judges it the same way.
 */
import { DEFAULT_SETTINGS, RefreshOptions, TableOverride } from '../engine';
import { OPTIONS_SCHEMA } from './options-schema';
import { ExcelRun, ScorecardOptions } from './contract';
import { toRefreshError } from './host';

/** The settings key. Settings are keyed to the add-in's manifest Id, so no other add-in reads it. */
export const OPTIONS_KEY = 'scorecard.options';

/** The options of a workbook that has none stored. */
export const DEFAULT_OPTIONS: ScorecardOptions = {
  green: DEFAULT_SETTINGS.green,
  amber: DEFAULT_SETTINGS.amber,
  tolerancesChosen: false,
  palette: 'default',
  fitToWidth: false,
  overrides: [],
};

/**
 * Reads stored options: a JSON string (or an object) as saved by {@link saveOptions}, through the schema in
 * options-schema.ts. Whatever does not parse falls back to the default, field by field; a value that is not JSON
 * at all gives the defaults.
 */
export function parseOptions(stored: unknown): ScorecardOptions {
  let value: unknown = stored;
  if (typeof stored === 'string') {
    try {
      value = JSON.parse(stored) as unknown;
    } catch {
      return DEFAULT_OPTIONS;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return DEFAULT_OPTIONS;
  const parsed = OPTIONS_SCHEMA.safeParse(value);
  return parsed.success ? parsed.data : DEFAULT_OPTIONS;
}

/** The engine's refresh options for the workbook's options. */
export function toRefreshOptions(options: ScorecardOptions): RefreshOptions {
  const overrides: TableOverride[] = options.overrides.map((o) => ({ ...o }));
  return {
    settings: { green: options.green, amber: options.amber, ...(options.tolerancesChosen ? { tolerancesChosen: true } : {}), ...(overrides.length > 0 ? { overrides } : {}) },
    palette: options.palette,
  };
}

/** Queues the load of the stored options; read `value` after the next sync (null object when none). */
export function queueOptionsLoad(context: Excel.RequestContext): Excel.Setting {
  return context.workbook.settings.getItemOrNullObject(OPTIONS_KEY).load('value');
}

/** The options in a setting loaded by {@link queueOptionsLoad}. */
export function optionsFrom(setting: Excel.Setting): ScorecardOptions {
  return setting.isNullObject ? DEFAULT_OPTIONS : parseOptions(setting.value);
}

/** Returns the workbook's options (the defaults when none are stored or they do not parse). One sync. */
export async function loadOptions(run: ExcelRun): Promise<ScorecardOptions> {
  try {
    return await run(async (context) => {
      const setting = queueOptionsLoad(context);
      await context.sync();
      return optionsFrom(setting);
    });
  } catch (error) {
    throw toRefreshError(error, 'read the scorecard options', [], { action: 'load-options' });
  }
}

/** Stores the options in the workbook (they are saved with it). One sync. */
export async function saveOptions(run: ExcelRun, options: ScorecardOptions): Promise<void> {
  const clean = parseOptions(options);
  try {
    await run(async (context) => {
      context.workbook.settings.add(OPTIONS_KEY, JSON.stringify(clean));
      await context.sync();
    });
  } catch (error) {
    throw toRefreshError(error, 'save the scorecard options', [], { action: 'save-options' });
  }
}
