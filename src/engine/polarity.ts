/**
 * Polarity: whether higher or lower is better, and where that was read from.
 */
import { reflag } from './regex';
import { MEASURE_COMPARATORS, MEASURE_POLARITY_NOTES, MEASURE_WORDING, NEGATION, POLARITY_PHRASES, singleSpaced, withoutFullStop } from './vocabulary';
import { TargetSpec } from './target';

/** Which way is better. `range` = inside the target range. */
export type Polarity = 'higher' | 'lower' | 'range' | 'unknown';
/**
 * Where polarity was read from, strongest first: a Polarity column, the target's comparator, a comparator or note
 * in the measure's own words, budget semantics, the wording of the measure, the target against the baseline,
 * or assumed (higher is better) because nothing said.
 */
export type PolaritySource = 'column' | 'target' | 'measure' | 'budget' | 'wording' | 'baseline' | 'assumed' | 'none';

/** A polarity with its source and a sentence for the pane. */
export interface PolarityReading {
  readonly polarity: Polarity;
  readonly source: PolaritySource;
  readonly reason: string;
}

/** Reads a Polarity column's cell ("Smaller is better", "High") or undefined when it says nothing known. */
export function polarityFromPhrase(text: string): Exclude<Polarity, 'unknown'> | undefined {
  const t = withoutFullStop(singleSpaced(text).trim());
  for (const p of POLARITY_PHRASES) if (p.pattern.test(t)) return p.polarity;
  return undefined;
}

/** A measure that starts with its aim: "Reduce the number of …", "Improve education outcomes …". */
const LEADING_AIM = /^\s*(reduce|decrease|minimi[sz]e|cut|lower|increase|improve|maximi[sz]e|raise|grow)\b/i;

/** "Reduction in the cost of …": the measure is the amount saved, so more saved is better. */
const REDUCTION_ACHIEVED = /^\s*(?:the\s+)?(?:reduction|saving|savings|decrease)\s+(?:in|of|on)\b/i;

/** The measure comparators, each also compiled once to walk every match. */
const GLOBAL_COMPARATORS = MEASURE_COMPARATORS.map((c) => ({ ...c, global: reflag(c.pattern, 'gi') }));

/** A target value a measure's comparator can be checked against: the number as printed, and whether it is a percentage. */
export interface TargetFigure {
  readonly value: number;
  readonly percent: boolean;
}

/**
 * Reads a comparator in the measure's own words: "(Lower is better)" and "(Minimise)" anywhere, or "at least 95%",
 * "no more than 20 per cent" when the number is the row's target (a comparator on another number, such as
 * "no more than 18 weeks" over a 90% target, describes the measure, not the target).
 */
export function polarityFromMeasureComparator(measure: string, target: TargetFigure | null): { polarity: 'higher' | 'lower' | 'range'; phrase: string } | undefined {
  for (const n of MEASURE_POLARITY_NOTES) {
    const m = n.pattern.exec(measure);
    if (m) return { polarity: n.polarity, phrase: m[0].trim() };
  }
  for (const c of GLOBAL_COMPARATORS) {
    // Every match, walked with exec over the one compiled pattern (matchAll would copy the pattern for each measure);
    // no comparator matches empty text, so each exec moves on.
    const pattern = c.global;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(measure); m !== null; m = pattern.exec(measure)) {
      // "No more than 20" holds "more than 20": a comparator after "no" or "not" is the other one.
      if (/\b(?:no|not)\s+$/i.test(measure.slice(0, m.index))) continue;
      const num = Number((m.groups?.num ?? '').replace(/,/g, ''));
      const percent = m.groups?.pct !== undefined;
      if (target === null) {
        if (percent) return { polarity: c.polarity, phrase: m[0].trim() };
        continue;
      }
      const shown = target.percent ? target.value * 100 : target.value;
      if (percent === target.percent && Math.abs(shown - num) < 1e-9) return { polarity: c.polarity, phrase: m[0].trim() };
    }
  }
  return undefined;
}

/** Reads polarity from the wording of the measure, or undefined when the words do not say. */
export function polarityFromWording(measure: string, target: TargetSpec | null): { polarity: 'higher' | 'lower' | 'range'; word: string } | undefined {
  if (REDUCTION_ACHIEVED.test(measure) && target !== null && (target.kind === 'bound')) {
    return { polarity: 'higher', word: measure.trim().split(/\s+/).slice(0, 3).join(' ') };
  }
  // A measure that starts with its aim ("Reduce the number of …", "Increase the reduction in …") says it first.
  const aim = LEADING_AIM.exec(measure);
  if (aim?.[1] !== undefined) return { polarity: /^(?:reduce|decrease|minimi[sz]e|cut|lower)$/i.test(aim[1]) ? 'lower' : 'higher', word: aim[1] };
  const hits: Array<{ at: number; polarity: 'higher' | 'lower' | 'range'; weight: 'outcome' | 'subject'; word: string }> = [];
  for (const w of MEASURE_WORDING) {
    const m = w.pattern.exec(measure);
    if (!m) continue;
    const before = measure.slice(0, m.index);
    // "not meeting", "did not meet", "failed to complete": the outcome is turned round.
    const negated = w.weight === 'outcome' && w.polarity !== 'range' && NEGATION.test(before);
    const polarity = negated ? (w.polarity === 'higher' ? 'lower' : 'higher') : w.polarity;
    hits.push({ at: m.index, polarity, weight: w.weight, word: negated ? `${/\S+\s*$/.exec(before.replace(/\s+$/, ' '))?.[0]?.trim() ?? 'not'} ${m[0]}` : m[0] });
  }
  const pick = (weight: 'outcome' | 'subject'): { polarity: 'higher' | 'lower' | 'range'; word: string } | null | undefined => {
    // The earliest word of this weight (the first found where two start alike), walked without a sorted copy.
    let first: (typeof hits)[number] | undefined;
    let mixed = false;
    for (const h of hits) {
      if (h.weight !== weight) continue;
      if (first === undefined) first = h;
      else {
        if (h.polarity !== first.polarity) mixed = true;
        if (h.at < first.at) first = h;
      }
    }
    if (first === undefined) return undefined;
    // Words pulling both ways at the same weight do not say: leave it to other evidence.
    if (mixed) return null;
    return { polarity: first.polarity, word: first.word };
  };
  const outcome = pick('outcome');
  if (outcome === null) return undefined;
  if (outcome !== undefined) return outcome;
  return pick('subject') ?? undefined;
}

/** Everything that can tell polarity for one row. */
export interface PolarityEvidence {
  readonly columnText?: string;
  readonly target: TargetSpec | null;
  /** Other targets of the row ("Desired Level" beside "Target"): their comparators also tell the side. */
  readonly otherTargets?: readonly TargetSpec[];
  readonly isBudget: boolean;
  readonly measure: string;
  /** Target value and the baseline (previous year's outturn) in the same unit, when both exist. */
  readonly targetVsBaseline?: { readonly target: number; readonly baseline: number };
}

function fromTargetSpec(t: TargetSpec): PolarityReading | undefined {
  if (t.kind === 'range') return { polarity: 'range', source: 'target', reason: 'the target is a range' };
  if (t.kind === 'relative' && t.direction !== 'better') return { polarity: t.direction, source: 'target', reason: `the target "${t.text}" asks for ${t.direction === 'lower' ? 'less' : 'more'}` };
  if (t.kind === 'bound' && t.comparator !== 'none') {
    const lower = t.comparator === 'le' || t.comparator === 'lt';
    return { polarity: lower ? 'lower' : 'higher', source: 'target', reason: `the target "${t.text}" is ${lower ? 'a maximum' : 'a minimum'}` };
  }
  return undefined;
}

/**
 * Resolves a row's polarity from the strongest evidence: a Polarity column, the target's comparator (or another
 * target column's), a comparator in the measure's words, budget semantics, the wording of the measure, the target
 * against the baseline. Returns `unknown` when nothing says; the caller decides whether to assume.
 */
export function resolvePolarity(e: PolarityEvidence): PolarityReading {
  if (e.columnText !== undefined) {
    const p = polarityFromPhrase(e.columnText);
    if (p !== undefined) return { polarity: p, source: 'column', reason: `the Polarity column says "${e.columnText.trim()}"` };
  }
  const t = e.target;
  for (const spec of [t, ...(e.otherTargets ?? [])]) {
    if (spec === null) continue;
    const read = fromTargetSpec(spec);
    if (read) return read;
  }
  const figure: TargetFigure | null = t?.kind === 'bound' ? { value: t.value.value, percent: t.value.unit === 'percent' } : null;
  const said = polarityFromMeasureComparator(e.measure, figure);
  if (said) return { polarity: said.polarity, source: 'measure', reason: `the measure says "${said.phrase}"` };
  if (e.isBudget) return { polarity: 'lower', source: 'budget', reason: 'spend against budget: lower is better' };
  const worded = polarityFromWording(e.measure, t);
  if (worded) return { polarity: worded.polarity, source: 'wording', reason: `the measure says "${worded.word}"` };
  if (e.targetVsBaseline && e.targetVsBaseline.target !== e.targetVsBaseline.baseline) {
    const higher = e.targetVsBaseline.target > e.targetVsBaseline.baseline;
    return { polarity: higher ? 'higher' : 'lower', source: 'baseline', reason: `the target is ${higher ? 'above' : 'below'} the previous outturn` };
  }
  return { polarity: 'unknown', source: 'none', reason: 'nothing says which way is better' };
}

/** The reading used when nothing says which way is better but a target and a value ask for a judgement. */
export const ASSUMED_HIGHER: PolarityReading = {
  polarity: 'higher', source: 'assumed', reason: 'nothing says which way is better: higher is better was assumed; set the Polarity to confirm',
};
