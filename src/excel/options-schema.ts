/**
 * The schema of the options a workbook stores (`workbook.settings`, key `scorecard.options`), in zod; the options'
 * type is inferred from it. Whatever a stored value gets wrong falls back to the default, field by field, and an
 * override that does not parse is dropped on its own.
 */
import * as z from 'zod/mini';
import { DEFAULT_SETTINGS, TableOverride } from '../engine';

const TOLERANCE = z.object({
  kind: z.enum(['relative', 'absolute']),
  value: z.number().check(z.gte(0), z.refine(Number.isFinite)),
});

const SIDE = z.enum(['higher', 'lower', 'range']);

/** One table's choices, as the engine's TableOverride. */
export const OVERRIDE_SCHEMA = z.object({
  sheet: z.string().check(z.minLength(1)),
  range: z.optional(z.string()),
  exclude: z.optional(z.boolean()),
  targetColumn: z.optional(z.pipe(z.string().check(z.regex(/^[A-Za-z]{1,3}$/)), z.transform((s) => s.toUpperCase()))),
  rowPolarity: z.optional(z.pipe(z.record(z.string(), z.unknown()), z.transform((rows) => {
    const out: Record<string, z.infer<typeof SIDE>> = {};
    for (const [row, p] of Object.entries(rows)) {
      const side = SIDE.safeParse(p);
      if (/^\d+$/.test(row) && side.success) out[row] = side.data;
    }
    return out;
  }))),
});

/** The stored options. */
export const OPTIONS_SCHEMA = z.object({
  green: z.catch(TOLERANCE, DEFAULT_SETTINGS.green),
  amber: z.catch(TOLERANCE, DEFAULT_SETTINGS.amber),
  /** True once someone chose the bands in the pane: they then override a tolerance key printed on the sheet. */
  tolerancesChosen: z.catch(z.boolean(), false),
  palette: z.catch(z.enum(['default', 'colour-blind']), 'default'),
  /**
   * True once someone ticked "Fit to page width" in the pane: each refresh then sets the sheets with blocks to print
   * landscape and one page wide, their measure columns repeated. Off by default: a refresh leaves the page setup alone.
   */
  fitToWidth: z.catch(z.boolean(), false),
  overrides: z.catch(z.pipe(z.array(z.unknown()), z.transform((items) => items.flatMap((item) => {
    const o = OVERRIDE_SCHEMA.safeParse(item);
    return o.success ? [o.data] : [];
  }))), []),
});

/** The options of a workbook, as stored. */
export type StoredOptions = z.infer<typeof OPTIONS_SCHEMA>;

// An override the schema accepts is a TableOverride the engine takes, field for field.
const overrideIsTableOverride = (o: z.infer<typeof OVERRIDE_SCHEMA>): TableOverride => o;
void overrideIsTableOverride;
