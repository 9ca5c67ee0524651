/**
 * What a cell shows: its value rendered through its number format with numfmt, as a spreadsheet in the
 * given locale shows it. Both adapters build the snapshot's `text` with it, so they agree cell for cell.
 */
import { format as formatWithNumfmt } from 'numfmt';
import { RawValue } from './snapshot';

/**
 * Built-in formats whose display depends on the user's locale. Files name them with their en-US pattern;
 * Excel in en-GB shows them as below.
 */
const EN_GB_BUILT_INS: Readonly<Record<string, string>> = {
  'mm-dd-yy': 'dd/mm/yyyy', // built-in 14, the short date
  'm/d/yy h:mm': 'dd/mm/yyyy hh:mm', // built-in 22
};

/** Renders a number through a number format. Never throws: an unusable format falls back to General. */
export function renderNumber(value: number, numberFormat: string, locale = 'en-GB'): string {
  const pattern = (locale === 'en-GB' ? EN_GB_BUILT_INS[numberFormat] : undefined) ?? numberFormat;
  try {
    return formatWithNumfmt(pattern, value, { locale, dateSpanLarge: false });
  } catch {
    return formatWithNumfmt('General', value, { locale });
  }
}

/** Returns the text a cell holding `value` shows under `numberFormat`. */
export function displayText(value: RawValue, numberFormat: string, locale = 'en-GB'): string {
  if (value === null) return '';
  if (typeof value === 'number') return renderNumber(value, numberFormat, locale);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'string') return value;
  return value.error;
}
