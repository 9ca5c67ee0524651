/**
 * Target grammar: the printed forms of a target, read into a specification that evaluation
 * turns into an interval once polarity and baseline are known.
 */
import { MissingReason, SHARE_OF_SUFFIX, LEADING_COMPARATOR, MULTI_PART_TARGET, NUMBER_WITH_WORD, PERIOD_COMPARISON_TARGET, RANGE_TARGET, RELATIVE_TARGET, TRAILING_ANNOTATION, TRAILING_COMPARATOR, LABELLED_TARGET, FRACTION_SUFFIX } from './patterns';
import { missingReasonOf, normaliseText, NumberValue, parseNumberText } from './value';
import { keptReadings } from './kept';

/** How a bound compares: ≥, >, ≤, <, or none printed (a bare value). */
export type Comparator = 'ge' | 'gt' | 'le' | 'lt' | 'none';

/** What a target cell says, before polarity and baseline turn it into an interval. */
export type TargetSpec =
  | { readonly kind: 'bound'; readonly value: NumberValue; readonly comparator: Comparator; readonly label?: string; readonly annotation?: string; readonly text: string }
  | { readonly kind: 'range'; readonly min: NumberValue; readonly max: NumberValue; readonly label?: string; readonly annotation?: string; readonly text: string }
  | {
      readonly kind: 'relative';
      /** Which way the target asks to move; `better` leaves the side to the row's polarity ("better than 2015/16"). */
      readonly direction: 'higher' | 'lower' | 'better';
      /** Size of the change: a fraction for percent changes (0.2 for "20% reduction"), points as printed, 0 for ">2013/14". */
      readonly change: number;
      readonly changeUnit: 'percent' | 'points' | 'absolute';
      /** The period named as the baseline ("2013/14"), or null for the previous period. */
      readonly basePeriod: string | null;
      /** True when equalling the baseline misses the target (">2013/14"). */
      readonly strict: boolean;
      readonly text: string;
    }
  | { readonly kind: 'multi-part'; readonly parts: readonly string[]; readonly text: string }
  | { readonly kind: 'missing'; readonly reason: MissingReason; readonly text: string }
  | { readonly kind: 'unparsed'; readonly text: string };

const COMPARATOR_WORDS: ReadonlyArray<readonly [RegExp, Comparator]> = [
  [/^(?:>=|=>|≥|at least|no less than|not less than|minimum(?: of)?|min\.?)$/i, 'ge'],
  [/^(?:>|more than|greater than|over|above|exceed(?:ing)?)$/i, 'gt'],
  [/^(?:<=|=<|≤|no more than|not more than|at most|maximum(?: of)?|max\.?|up to)$/i, 'le'],
  [/^(?:<|less than|fewer than|under|below)$/i, 'lt'],
  [/^(?:or (?:above|more|higher|greater|better|over)|and above|\+|(?:or )?minimum)$/i, 'ge'],
  [/^(?:or (?:below|less|lower|fewer|under)|and below|(?:or )?maximum)$/i, 'le'],
];

function comparatorOf(op: string): Comparator {
  for (const [pattern, comparator] of COMPARATOR_WORDS) if (pattern.test(op.trim())) return comparator;
  return 'none';
}

const LOWER_WORDS = /^(?:reduction|decrease|fall|lower|less|fewer|drop|reduce|cut)$/i;

/** Reads one value with what may follow it: "15 pts difference in Attainment 8 score" → 15, annotation. */
function parseTargetValue(text: string): { value: NumberValue; annotation?: string } | undefined {
  const fraction = FRACTION_SUFFIX.exec(text)?.groups;
  if (fraction?.head !== undefined && fraction.num !== undefined && fraction.den !== undefined) {
    const head = parseNumberText(fraction.head);
    if (head !== undefined) {
      return { value: { ...head, fraction: { numerator: Number(fraction.num.replace(/,/g, '')), denominator: Number(fraction.den.replace(/,/g, '')) } } };
    }
  }
  const plain = parseNumberText(text);
  if (plain !== undefined) return { value: plain };
  const worded = NUMBER_WITH_WORD.exec(text)?.groups;
  if (worded?.num !== undefined && worded.word !== undefined) {
    const n = parseNumberText(worded.num);
    if (n === undefined) return undefined;
    const word = worded.word.toLowerCase();
    const isPoints = /^(?:pts?|points?|pp|ppts)$/.test(word);
    const annotation = `${isPoints ? `${worded.word} ` : `${worded.word} `}${(worded.rest ?? '').trim()}`.trim();
    return { value: isPoints ? n : { ...n, unitWord: word }, annotation };
  }
  return undefined;
}

/** Reads a bound or a range without label or annotation. */
function parseCore(text: string): { spec: 'bound'; value: NumberValue; comparator: Comparator; annotation?: string } | { spec: 'range'; min: NumberValue; max: NumberValue } | undefined {
  const range = RANGE_TARGET.exec(text)?.groups;
  if (range?.lo !== undefined && range.hi !== undefined) {
    let min = parseNumberText(range.lo);
    let max = parseNumberText(range.hi);
    if (min !== undefined && max !== undefined) {
      // "16 - 18%" prints the unit once: it applies to both ends.
      if (max.unit === 'percent' && min.unit === 'plain') min = { ...min, value: min.value / 100, unit: 'percent' };
      if (min.unit === 'currency' && max.unit === 'plain') max = { ...max, unit: 'currency', ...(min.currency !== undefined ? { currency: min.currency } : {}) };
      if (min.value <= max.value) return { spec: 'range', min, max };
    }
  }
  const lead = LEADING_COMPARATOR.exec(text);
  if (lead?.groups?.op !== undefined) {
    const rest = parseTargetValue(text.slice(lead[0].length));
    if (rest !== undefined) return { spec: 'bound', value: rest.value, comparator: comparatorOf(lead.groups.op), ...(rest.annotation ? { annotation: rest.annotation } : {}) };
  }
  const trail = TRAILING_COMPARATOR.exec(text);
  if (trail?.groups?.op !== undefined && trail.index > 0) {
    const rest = parseTargetValue(text.slice(0, trail.index));
    if (rest !== undefined) return { spec: 'bound', value: rest.value, comparator: comparatorOf(trail.groups.op), ...(rest.annotation ? { annotation: rest.annotation } : {}) };
  }
  const bare = parseTargetValue(text);
  if (bare !== undefined) return { spec: 'bound', value: bare.value, comparator: 'none', ...(bare.annotation ? { annotation: bare.annotation } : {}) };
  return undefined;
}

/**
 * Parses a target cell's text. Returns null for an empty cell; every other text yields a spec,
 * `unparsed` when no form fits (the caller turns that into a finding). A report repeats its targets ("N/A",
 * "20% reduction", ">85%"): each text is read once while it is among the last read (kept.ts).
 */
export function parseTarget(raw: string): TargetSpec | null {
  return keptTarget(raw);
}

const keptTarget = keptReadings(readTarget);

function readTarget(raw: string): TargetSpec | null {
  const text = normaliseText(raw);
  if (text === '') return null;
  const missing = missingReasonOf(text);
  if (missing !== undefined && missing !== 'suppressed') return { kind: 'missing', reason: missing, text };

  if (MULTI_PART_TARGET.test(text)) {
    const parts = text.split(/(?=\[[a-z]\]|\([a-z]\))/i).map((p) => p.trim()).filter((p) => p !== '');
    return { kind: 'multi-part', parts, text };
  }

  const versus = PERIOD_COMPARISON_TARGET.exec(text)?.groups;
  if (versus?.op !== undefined && versus.period !== undefined) {
    const comparator = comparatorOf(versus.op);
    const lower = comparator === 'le' || comparator === 'lt' || /worse|below|lower|less/i.test(versus.op);
    const named = /\d/.test(versus.period) ? versus.period.replace(/\s+/g, '') : null;
    return {
      kind: 'relative', direction: /better/i.test(versus.op) ? 'better' : lower ? 'lower' : 'higher', change: 0, changeUnit: 'absolute',
      basePeriod: named, strict: comparator === 'gt' || comparator === 'lt' || /than/i.test(versus.op), text,
    };
  }

  const relative = RELATIVE_TARGET.exec(text)?.groups;
  if (relative) {
    const num = relative.n1 ?? relative.n2 ?? '0';
    const unit = (relative.u1 ?? relative.u2 ?? '').toLowerCase();
    const word = relative.w1 ?? relative.w2 ?? '';
    const period = (relative.p1 ?? relative.p2)?.trim();
    const changeUnit = unit === '%' ? 'percent' : unit === '' ? 'absolute' : 'points';
    return {
      kind: 'relative', direction: LOWER_WORDS.test(word) ? 'lower' : 'higher',
      // A percent change is a fraction of the baseline; points stay points until the baseline's unit is known.
      change: changeUnit === 'percent' ? Number(num.replace(/,/g, '')) / 100 : Number(num.replace(/,/g, '')),
      changeUnit, basePeriod: period !== undefined && /\d/.test(period) ? period.replace(/\s+/g, '') : null, strict: false, text,
    };
  }

  let body = text;
  let annotation: string | undefined;
  const note = TRAILING_ANNOTATION.exec(body)?.groups;
  if (note?.head !== undefined && note.note !== undefined && !FRACTION_SUFFIX.test(body)) {
    annotation = note.note.trim();
    body = note.head;
  }
  // "100%+ of Rent Due for the Year": the words say what the figure is a share of.
  const share = SHARE_OF_SUFFIX.exec(body)?.groups;
  if (share?.head !== undefined && share.note !== undefined) {
    annotation = [share.note.trim(), annotation].filter((a) => a !== undefined).join('; ');
    body = share.head.trim();
  }

  const tryCore = (s: string, label?: string): TargetSpec | undefined => {
    const core = parseCore(s);
    if (core === undefined) return undefined;
    const extra = { ...(label !== undefined ? { label } : {}) };
    if (core.spec === 'range') return { kind: 'range', min: core.min, max: core.max, ...extra, ...(annotation ? { annotation } : {}), text };
    const ann = [core.annotation, annotation].filter((a): a is string => a !== undefined && a !== '').join('; ');
    return { kind: 'bound', value: core.value, comparator: core.comparator, ...extra, ...(ann ? { annotation: ann } : {}), text };
  };

  const direct = tryCore(body);
  if (direct !== undefined) return direct;
  const labelled = LABELLED_TARGET.exec(body)?.groups;
  if (labelled?.label !== undefined && labelled.rest !== undefined && !LEADING_COMPARATOR.test(body)) {
    const withLabel = tryCore(labelled.rest, labelled.label.trim());
    if (withLabel !== undefined) return withLabel;
  }
  return { kind: 'unparsed', text };
}
