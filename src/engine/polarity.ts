/**
 * Polarity: whether higher or lower is better, and where that was read from.
 */
import { POLARITY_HIGHER, POLARITY_LOWER, POLARITY_RANGE } from './patterns';
import { TargetSpec } from './target';

/** Which way is better. `range` = inside the target range. */
export type Polarity = 'higher' | 'lower' | 'range' | 'unknown';
/** Where polarity was read from, strongest first. */
export type PolaritySource = 'column' | 'target' | 'budget' | 'wording' | 'baseline' | 'none';

/** A polarity with its source and a sentence for the pane. */
export interface PolarityReading {
  readonly polarity: Polarity;
  readonly source: PolaritySource;
  readonly reason: string;
}

/** Reads a Polarity column's cell ("Smaller is better") or undefined when it says nothing known. */
export function polarityFromPhrase(text: string): Exclude<Polarity, 'unknown'> | undefined {
  const t = text.replace(/\s+/g, ' ').trim();
  if (POLARITY_HIGHER.test(t)) return 'higher';
  if (POLARITY_LOWER.test(t)) return 'lower';
  if (POLARITY_RANGE.test(t)) return 'range';
  return undefined;
}

/**
 * Words of a measure that say lower is better. Matched as whole words, case-insensitive.
 * "Reduction in the cost of X" names the reduction achieved and is handled before this list.
 */
const LOWER_LEXICON: readonly RegExp[] = [
  /\breduc(?:e|es|ing|tion)\b/i, /\bdecreas(?:e|es|ing)\b/i, /\bminimi[sz](?:e|ing)\b/i, /\bmissed\b/i,
  /\babsence\b/i, /\bsickness\b/i, /\bcomplaints?\b/i, /\bupheld\b/i, /\bneet\b/i, /\bnot in (?:education|employment)/i,
  /\bturnover\b/i, /\battrition\b/i, /\boverspend\b/i, /\bwaiting\b/i, /\bdelay(?:ed|s)?\b/i, /\bdeficit\b/i,
  /\bnot known\b/i, /\bdays lost\b/i, /\bre-?offend/i, /\bre-?referrals?\b/i, /\bvacanc(?:y|ies)\b/i,
  /\bbacklog\b/i, /\barrears\b/i, /\bexclusions?\b/i, /\bagency staff\b/i, /\bemergency admissions?\b/i,
  /\bcosts?\b/i, /\bspend\b/i, /\bfewer\b/i, /\blate\b/i, /\boverdue\b/i,
];
/** Words of a measure that say higher is better. */
const HIGHER_LEXICON: readonly RegExp[] = [
  /\bincreas(?:e|es|ing)\b/i, /\bimprov(?:e|es|ing|ement)\b/i, /\bsatisf(?:action|ied)\b/i, /\bon time\b/i,
  /\bwithin (?:timescales?|target|\d+\s*(?:working\s+)?(?:hours?|days?|weeks?))/i, /\btimely\b/i, /\breceived\b/i, /\bincome\b/i,
  /\bgrant\b/i, /\bsavings?\b/i, /\bturned around\b/i, /\bachiev(?:e|ed|ing)\b/i, /\bmaximi[sz]e\b/i,
  /\bcollected\b/i, /\bgood or outstanding\b/i, /\bgood\/outstanding\b/i, /\bsuccess(?:ful)?\b/i, /\bcompleted\b/i,
];

/** A measure that starts with its aim: "Reduce the number of …", "Improve education outcomes …". */
const LEADING_AIM = /^\s*(reduce|decrease|minimi[sz]e|cut|lower|increase|improve|maximi[sz]e|raise|grow)\b/i;

/** "Reduction in the cost of …": the measure is the amount saved, so more saved is better. */
const REDUCTION_ACHIEVED = /^\s*(?:the\s+)?(?:reduction|saving|savings|decrease)\s+(?:in|of|on)\b/i;

/** Reads polarity from the wording of the measure, or undefined when the words do not say. */
export function polarityFromWording(measure: string, target: TargetSpec | null): { polarity: 'higher' | 'lower'; word: string } | undefined {
  if (REDUCTION_ACHIEVED.test(measure) && target !== null && (target.kind === 'bound')) {
    return { polarity: 'higher', word: measure.trim().split(/\s+/).slice(0, 3).join(' ') };
  }
  const aim = LEADING_AIM.exec(measure);
  if (aim?.[1] !== undefined) return { polarity: /^(?:reduce|decrease|minimi[sz]e|cut|lower)$/i.test(aim[1]) ? 'lower' : 'higher', word: aim[1] };
  const lower = LOWER_LEXICON.map((r) => r.exec(measure)).find((m) => m !== null);
  const higher = HIGHER_LEXICON.map((r) => r.exec(measure)).find((m) => m !== null);
  // Words pulling both ways ("complaints responded to within 10 days") do not say: leave it to other evidence.
  if (lower && higher) return undefined;
  if (lower) return { polarity: 'lower', word: lower[0] };
  if (higher) return { polarity: 'higher', word: higher[0] };
  return undefined;
}

/** Everything that can tell polarity for one row. */
export interface PolarityEvidence {
  readonly columnText?: string;
  readonly target: TargetSpec | null;
  readonly isBudget: boolean;
  readonly measure: string;
  /** Target value and the baseline (previous year's outturn) in the same unit, when both exist. */
  readonly targetVsBaseline?: { readonly target: number; readonly baseline: number };
}

/**
 * Resolves a row's polarity from the strongest evidence: a Polarity column, the target's comparator or
 * relative direction, budget semantics, the wording of the measure, the target against the baseline.
 */
export function resolvePolarity(e: PolarityEvidence): PolarityReading {
  if (e.columnText !== undefined) {
    const p = polarityFromPhrase(e.columnText);
    if (p !== undefined) return { polarity: p, source: 'column', reason: `the Polarity column says "${e.columnText.trim()}"` };
  }
  const t = e.target;
  if (t !== null) {
    if (t.kind === 'range') return { polarity: 'range', source: 'target', reason: 'the target is a range' };
    if (t.kind === 'relative' && t.direction !== 'better') return { polarity: t.direction, source: 'target', reason: `the target "${t.text}" asks for ${t.direction === 'lower' ? 'less' : 'more'}` };
    if (t.kind === 'bound' && t.comparator !== 'none') {
      const lower = t.comparator === 'le' || t.comparator === 'lt';
      return { polarity: lower ? 'lower' : 'higher', source: 'target', reason: `the target "${t.text}" is ${lower ? 'a maximum' : 'a minimum'}` };
    }
  }
  if (e.isBudget) return { polarity: 'lower', source: 'budget', reason: 'spend against budget: lower is better' };
  const worded = polarityFromWording(e.measure, t);
  if (worded) return { polarity: worded.polarity, source: 'wording', reason: `the measure says "${worded.word}"` };
  if (e.targetVsBaseline && e.targetVsBaseline.target !== e.targetVsBaseline.baseline) {
    const higher = e.targetVsBaseline.target > e.targetVsBaseline.baseline;
    return { polarity: higher ? 'higher' : 'lower', source: 'baseline', reason: `the target is ${higher ? 'above' : 'below'} the previous outturn` };
  }
  return { polarity: 'unknown', source: 'none', reason: 'nothing says which way is better' };
}
