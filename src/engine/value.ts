/**
 * Cell interpretation: what a scorecard cell means, with its unit and displayed precision kept.
 */
import { CellSnapshot, isCellError } from './snapshot';
import {
  FRACTION_SUFFIX, labelledNumberMatches, MISSING_WORDS, MissingReason, NUMBER_BAND, NUMBER_WITH_WORD, NUMERIC_CELL,
  ORDINAL, STAR_NOTE, STRAY_MARK_AFTER_PERCENT, SUPPRESSED, TRAILING_FOOTNOTE,
} from './patterns';
import { keptReadings } from './kept';
import { singleSpaced } from './vocabulary';

/** The unit a number is shown in. Percentages are held as fractions (88% → 0.88). */
export type Unit = 'percent' | 'currency' | 'plain';

/** A number with its meaning: unit, displayed precision and anything printed around it. */
export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
  readonly unit: Unit;
  /** Decimal places as displayed ("88.0%" → 1, "4.20%" → 2, "1,024" → 0). */
  readonly decimals: number;
  /** The currency symbol, for currency values. */
  readonly currency?: string;
  /** A unit word printed after the number ("years" in "0.6 Years Interim", "rank" for "173rd"). */
  readonly unitWord?: string;
  /** Words after the unit word ("Interim"). */
  readonly qualifier?: string;
  /** Footnote mark removed from the value ("¹", "**"). */
  readonly footnote?: string;
  /** A note printed after an asterisk ("Jan-Oct"). */
  readonly note?: string;
  /** The fraction printed beside a percentage ("(395/1221)"). */
  readonly fraction?: { readonly numerator: number; readonly denominator: number };
  /** Scale written in the cell itself and applied ("£240k" → 240000). */
  readonly scale?: 'k' | 'm' | 'bn';
  /** Printed with brackets for negative ("(284)"). */
  readonly bracketed?: boolean;
}

/** A number found inside a cell holding several, with the label printed before it. */
export interface Candidate {
  readonly label: string | null;
  readonly value: NumberValue;
}

/** What a cell means. */
export type ParsedCell =
  | NumberValue
  | { readonly kind: 'missing'; readonly reason: MissingReason; readonly text: string }
  | { readonly kind: 'several'; readonly candidates: readonly Candidate[]; readonly text: string }
  | { readonly kind: 'band'; readonly min: NumberValue; readonly max: NumberValue; readonly text: string }
  | { readonly kind: 'text'; readonly text: string };

const SCALE_FACTOR = { k: 1e3, m: 1e6, bn: 1e9 } as const;

function scaleKeyOf(scale: string | undefined): 'k' | 'm' | 'bn' | undefined {
  if (scale === undefined) return undefined;
  const s = scale.toLowerCase();
  return s === 'b' ? 'bn' : (s as 'k' | 'm' | 'bn');
}

/** Returns the decimal places of a number as written ("88.0" → 1). */
function writtenDecimals(body: string): number {
  const dot = body.indexOf('.');
  return dot < 0 ? 0 : body.length - dot - 1;
}

/** Normalises spaces and minus signs so that the patterns see one spelling. */
export function normaliseText(text: string): string {
  return singleSpaced(text.replace(/[\u00a0\u2007\u202f]/g, ' ').replace(/[\u2212\u2012]/g, '-')).trim();
}

/**
 * Parses text that is one number in any printed form: "(284)", "284-", "£240k", "88.0%", "-3,467".
 * Returns undefined when the text is not exactly one number.
 */
export function parseNumberText(text: string): NumberValue | undefined {
  const m = NUMERIC_CELL.exec(normaliseText(text));
  const g = m?.groups;
  if (!g || g.num === undefined) return undefined;
  if ((g.open !== undefined) !== (g.close !== undefined)) return undefined;
  const negatives = [g.sign === '-', g.sign2 === '-', g.open !== undefined, g.trail !== undefined].filter(Boolean).length;
  if (negatives > 1) return undefined;
  let value = Number(g.num.replace(/,/g, ''));
  let decimals = writtenDecimals(g.num);
  const scaleKey = scaleKeyOf(g.scale);
  if (scaleKey !== undefined) {
    value *= SCALE_FACTOR[scaleKey];
    decimals = Math.max(0, decimals - Math.log10(SCALE_FACTOR[scaleKey]));
  }
  const currency = g.cur ?? g.cur2;
  if (g.pct !== undefined) {
    if (currency !== undefined || scaleKey !== undefined) return undefined;
    value /= 100;
  }
  if (negatives === 1) value = -value;
  return {
    kind: 'number',
    value: Object.is(value, -0) ? 0 : value,
    unit: g.pct !== undefined ? 'percent' : currency !== undefined ? 'currency' : 'plain',
    decimals,
    ...(currency !== undefined ? { currency } : {}),
    ...(scaleKey !== undefined ? { scale: scaleKey } : {}),
    ...(g.open !== undefined ? { bracketed: true } : {}),
  };
}

/** Returns the reason a text means "no value", or undefined when it does not. */
export function missingReasonOf(text: string): MissingReason | undefined {
  // "N/A." and "TBC." end a sentence; ".." is a word of its own.
  const t = normaliseText(text).replace(/([A-Za-z])\.$/, '$1');
  if (t === '') return 'blank';
  for (const [pattern, reason] of MISSING_WORDS) if (pattern.test(t)) return reason;
  if (SUPPRESSED.test(t)) return 'suppressed';
  return undefined;
}

/** Strips footnote marks and star notes from the end of a value; returns what was found. */
function stripMarks(text: string): { body: string; footnote?: string; note?: string } {
  let body = text;
  let note: string | undefined;
  const star = STAR_NOTE.exec(body);
  if (star?.groups?.note !== undefined && /\d/.test(body.slice(0, star.index))) {
    note = star.groups.note.trim();
    body = body.slice(0, star.index);
  }
  let footnote: string | undefined;
  for (;;) {
    const f = TRAILING_FOOTNOTE.exec(body);
    if (!f || f.groups?.mark === undefined || !/\d/.test(body.slice(0, f.index))) break;
    footnote = f.groups.mark + (footnote ?? '');
    body = body.slice(0, f.index);
  }
  return { body: body.trim(), ...(footnote !== undefined ? { footnote } : {}), ...(note !== undefined ? { note } : {}) };
}

/** Parses the text of a value cell. Never throws: text that is not a value becomes `{kind: 'text'}`. */
export function parseValueText(raw: string): ParsedCell {
  const text = normaliseText(raw);
  const missing = missingReasonOf(text);
  if (missing !== undefined) return { kind: 'missing', reason: missing, text };

  // "54%-": a stray mark after a percentage, not a trailing minus (negative rates are written -5% or (5%)).
  const stray = STRAY_MARK_AFTER_PERCENT.exec(text)?.groups?.body;
  if (stray !== undefined) {
    const n = parseNumberText(stray);
    if (n !== undefined) return { ...n, footnote: '-' };
  }
  const { body, footnote, note } = stripMarks(text);
  const markedMissing = missingReasonOf(body);
  if (markedMissing !== undefined && body !== '') return { kind: 'missing', reason: markedMissing, text };
  const extras = { ...(footnote !== undefined ? { footnote } : {}), ...(note !== undefined ? { note } : {}) };

  const fraction = FRACTION_SUFFIX.exec(body)?.groups;
  if (fraction?.head !== undefined && fraction.num !== undefined && fraction.den !== undefined) {
    const head = parseNumberText(fraction.head);
    if (head !== undefined) {
      return {
        ...head, ...extras,
        fraction: { numerator: Number(fraction.num.replace(/,/g, '')), denominator: Number(fraction.den.replace(/,/g, '')) },
      };
    }
  }

  const plain = parseNumberText(body);
  if (plain !== undefined) return { ...plain, ...extras };

  const ordinal = ORDINAL.exec(body)?.groups;
  if (ordinal?.num !== undefined) {
    return { kind: 'number', value: Number(ordinal.num), unit: 'plain', decimals: 0, unitWord: 'rank', ...extras };
  }

  const band = NUMBER_BAND.exec(body)?.groups;
  if (band?.lo !== undefined && band.hi !== undefined) {
    const min = parseNumberText(band.lo);
    const max = parseNumberText(band.hi);
    if (min !== undefined && max !== undefined && min.value <= max.value) return { kind: 'band', min, max, text };
  }

  const worded = NUMBER_WITH_WORD.exec(body)?.groups;
  if (worded?.num !== undefined && worded.word !== undefined && !/\d/.test(worded.rest ?? '')) {
    const n = parseNumberText(worded.num);
    const word = worded.word.toLowerCase().replace(/\.$/, '');
    if (n !== undefined && (worded.rest ?? '').trim().split(' ').length <= 3) {
      const qualifier = (worded.rest ?? '').trim();
      return { ...n, unitWord: word, ...(qualifier !== '' ? { qualifier } : {}), ...extras };
    }
  }

  const candidates = labelledNumbers(body);
  if (candidates.length >= 2) return { kind: 'several', candidates, text };

  return { kind: 'text', text };
}

/** Finds "label = number" pairs in a text, in order. */
export function labelledNumbers(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const g of labelledNumberMatches(text)) {
    const value = parseNumberText(g.num);
    if (value === undefined) continue;
    const label = (g.label ?? '').replace(/^[\s:;,.-]+|[\s:;,.-]+$/g, '');
    out.push({ label: label === '' ? null : label, value });
  }
  return out;
}

/** Reads the unit and decimals a number format gives a typed number ("0.0%" → percent, 1). */
export function describeNumberFormat(format: string | undefined, value: number): { unit: Unit; decimals: number; currency?: string } {
  const fmt = formatOf(format ?? 'General').first;
  // Only "General" depends on the value; every other format is described once while it is among those seen last.
  return formatSectionOf(fmt).general ? describeFormat(fmt, value) : describedFormat(fmt);
}

/** `describeFormat` of a format other than "General", whose description the value does not change. */
const describedFormat = keptReadings((fmt: string) => describeFormat(fmt, 0), 1024);

function describeFormat(fmt: string, value: number): { unit: Unit; decimals: number; currency?: string } {
  const { unquoted, currency, isPercent, general } = formatSectionOf(fmt);
  let decimals: number;
  if (general) {
    const s = String(Number((isPercent ? value * 100 : value).toPrecision(15)));
    decimals = s.includes('e') ? 0 : writtenDecimals(s);
  } else {
    const dec = /\.([0#?]+)/.exec(unquoted);
    decimals = dec?.[1] !== undefined ? dec[1].length : 0;
  }
  return {
    unit: isPercent ? 'percent' : currency !== undefined ? 'currency' : 'plain',
    decimals,
    ...(currency !== undefined ? { currency } : {}),
  };
}

/** What a section of a number format shows whatever the value: its symbols outside quotes and brackets, read once. */
const formatSectionOf = keptReadings((fmt: string) => {
  // "[$£-809]" is a currency symbol with its locale; other brackets are colours and conditions.
  const unquoted = fmt.replace(/"[^"]*"/g, (q) => q.replace(/[0#.%]/g, ''))
    .replace(/\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]/g, '$1').replace(/\[[^\]]*\]/g, '');
  return { unquoted, currency: /[£$€]/.exec(unquoted)?.[0], isPercent: unquoted.includes('%'), general: /general/i.test(fmt) };
}, 1024);

/** What a whole number format says, read once: its first section, and whether it shows negatives in brackets. */
const formatOf = keptReadings((format: string) => {
  const sections = format.split(';');
  return { first: sections[0] ?? 'General', bracketsNegatives: /\(/.test(sections[1] ?? '') };
}, 1024);

/** Returns true when a number format is a date or time format. */
export function isDateFormat(format: string | undefined): boolean {
  return format !== undefined && isDateFormatText(format);
}

/** `isDateFormat` of a format, read once for each of the formats seen last. */
const isDateFormatText = keptReadings((format: string) => {
  const unquoted = format.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(unquoted) && !/^general$/i.test(unquoted.trim());
}, 1024);

/**
 * Interprets a snapshot cell. Typed numbers take their unit and precision from the number format;
 * text is parsed in every printed form a scorecard uses. Never throws.
 */
export function parseCell(cell: CellSnapshot | undefined): ParsedCell {
  if (cell === undefined) return { kind: 'missing', reason: 'blank', text: '' };
  // Snapshot cells never change: each is read once, however many steps ask.
  const known = PARSED.get(cell);
  if (known !== undefined) return known;
  const parsed = parseCellOnce(cell);
  PARSED.set(cell, parsed);
  return parsed;
}

const PARSED = new WeakMap<CellSnapshot, ParsedCell>();

function parseCellOnce(cell: CellSnapshot): ParsedCell {
  const raw = cell.value;
  if (raw === null) return { kind: 'missing', reason: 'blank', text: '' };
  if (isCellError(raw)) {
    return { kind: 'missing', reason: /div/i.test(raw.error) ? 'division-error' : 'error', text: raw.error };
  }
  if (typeof raw === 'number') {
    if (isDateFormat(cell.numberFormat)) return { kind: 'text', text: cell.text };
    const { unit, decimals, currency } = describeNumberFormat(cell.numberFormat, raw);
    return {
      kind: 'number', value: raw, unit, decimals,
      ...(currency !== undefined ? { currency } : {}),
      ...(raw < 0 && cell.numberFormat !== undefined && formatOf(cell.numberFormat).bracketsNegatives ? { bracketed: true } : {}),
    };
  }
  if (typeof raw === 'boolean') return { kind: 'text', text: cell.text };
  // A report repeats its texts: each is read once while it is among the last read (kept.ts).
  return keptValueText(raw);
}

const keptValueText = keptReadings(parseValueText);

/** Returns the displayed text of a number as the engine prints it in messages ("41.3%", "£240,000", "1,024"). */
export function formatNumber(n: Pick<NumberValue, 'value' | 'unit' | 'decimals' | 'currency'>, decimals?: number): string {
  const d = Math.min(6, decimals ?? n.decimals);
  const shown = n.unit === 'percent' ? n.value * 100 : n.value;
  const [whole = '0', frac] = Math.abs(shown).toFixed(d).split('.');
  // Thousands separators only where there are thousands.
  const abs = (whole.length > 3 ? whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : whole) + (frac !== undefined ? `.${frac}` : '');
  const sign = shown < 0 && /[1-9]/.test(abs) ? '-' : '';
  if (n.unit === 'percent') return `${sign}${abs}%`;
  if (n.unit === 'currency') return `${sign}${n.currency ?? '£'}${abs}`;
  return `${sign}${abs}`;
}
