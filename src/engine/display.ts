/**
 * What a cell shows: its value rendered through its number format with numfmt, as a spreadsheet in the
 * given locale shows it. Both adapters build the snapshot's `text` with it, so they agree cell for cell.
 */
import { format as formatWithNumfmt } from 'numfmt';
import { DetectedTable } from './detect';
import { CellSnapshot, RawValue, SheetSnapshot } from './snapshot';
import { normaliseText, NumberValue, parseCell, parseNumberText } from './value';
import { keptReadings } from './kept';
import type { ColumnRole } from './vocabulary';

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

/** The number format that renders `n` exactly as `text` was printed, or undefined when none does. */
export function losslessFormat(text: string, n: NumberValue): string | undefined {
  const dec = n.decimals > 0 ? `.${'0'.repeat(n.decimals)}` : '';
  const grouped = /\d,\d{3}/.test(text);
  const body = `${grouped ? '#,##0' : '0'}${dec}`;
  const candidates: string[] = [];
  if (n.unit === 'percent') candidates.push(`0${dec}%`);
  else if (n.unit === 'currency') {
    const cur = `"${n.currency ?? '£'}"`;
    const scale = n.scale === 'k' ? ',"k"' : n.scale === 'm' ? ',,"m"' : n.scale === 'bn' ? ',,,"bn"' : '';
    const sdec = n.scale !== undefined ? (/\.(\d+)/.exec(text)?.[1] ?? '') : '';
    const sbody = n.scale !== undefined ? `#,##0${sdec !== '' ? `.${'0'.repeat(sdec.length)}` : ''}` : body;
    candidates.push(`${cur}${sbody}${scale}`, `${cur}${sbody}${scale};-${cur}${sbody}${scale}`, `${cur}${sbody}${scale};(${cur}${sbody}${scale})`, `${cur}${sbody}${scale};${cur}(${sbody})${scale}`);
  } else {
    if (!grouped && n.decimals === 0 && !n.bracketed && !/-$/.test(text)) candidates.push('General');
    candidates.push(body, `${body};(${body})`, `${body};${body}-`, `${body};-${body}`);
    if (!grouped && n.decimals > 0) candidates.push('General');
  }
  return candidates.find((f) => {
    try {
      return formatWithNumfmt(f, n.value) === text;
    } catch {
      return false;
    }
  });
}

/** A text cell of a table that the refresh types as a number, losslessly. */
export interface Normalisation {
  readonly row: number;
  readonly col: number;
  readonly value: number;
  readonly format: string;
  readonly original: CellSnapshot;
}

/** Roles whose text figures a refresh may type as numbers (a value column's cells stay as printed). */
export const TYPED_ROLES: ReadonlySet<ColumnRole> = new Set<ColumnRole>(['target', 'period', 'budget', 'forecast', 'variance', 'prior-variance', 'movement', 'risk-before', 'risk-after']);

/**
 * Returns the text cells of a table that a refresh types as numbers: figures the engine reads as a number, printed
 * exactly as a number format shows them ("88.0%" → 0.88 with 0.0%).
 */
export function normalisationsOf(sheet: SheetSnapshot, table: DetectedTable): Normalisation[] {
  const out: Normalisation[] = [];
  for (const col of table.columns) {
    if (!TYPED_ROLES.has(col.role)) continue;
    for (const r of table.dataRows) {
      const cell = sheet.rows[r]?.[col.col];
      if (cell === undefined || typeof cell.value !== 'string' || cell.formula !== undefined) continue;
      // Only what the engine reads as a number is typed: the rules read any other text as no value. (The engine's
      // reading of the cell is kept from the evaluation, so it is asked first.)
      if (parseCell(cell).kind !== 'number') continue;
      const typed = typedFormOf(cell.value);
      if (typed !== null) out.push({ row: r, col: col.col, value: typed.value, format: typed.format, original: cell });
    }
  }
  return out;
}

/**
 * The number a figure printed as text is typed as, and the format that shows it exactly as printed; null when the text
 * is not printed exactly as a number format shows a number. A pure reading of the text, kept for the texts seen last
 * (a report repeats its figures; formatting each candidate is the slow part).
 */
const typedFormOf = keptReadings(readTypedForm);

function readTypedForm(text: string): { readonly value: number; readonly format: string } | null {
  if (text !== text.trim() || text !== normaliseText(text)) return null;
  const n = parseNumberText(text);
  if (n === undefined) return null;
  const format = losslessFormat(text, n);
  return format === undefined ? null : { value: n.value, format };
}

/** Returns the sheet as a refresh leaves it: the table's normalised cells typed, showing the same text. */
export function withNormalised(sheet: SheetSnapshot, norms: readonly Normalisation[]): SheetSnapshot {
  if (norms.length === 0) return sheet;
  // Only the rows that hold a normalised cell are copied; every other row (and cell) is the printed sheet's own.
  const rows = sheet.rows.slice();
  for (const x of norms) {
    const row = (rows[x.row] === sheet.rows[x.row] ? [...(rows[x.row] ?? [])] : rows[x.row]) as Array<CellSnapshot | undefined>;
    const cell = row[x.col];
    if (cell !== undefined) row[x.col] = { ...cell, value: x.value, numberFormat: x.format };
    rows[x.row] = row;
  }
  return { ...sheet, rows };
}
