/**
 * The words scorecards are written in, kept as data: column headers, relative periods, polarity phrases,
 * measure wording, status words, published trend words, budget sign conventions and tolerance keys.
 *
 * Each entry carries an example that it must recognise; `test/engine/vocabulary.test.ts` runs every example,
 * so adding a synonym is one line here (with its example) and, where it needs a counter-example, one test row.
 */
import { named } from './regex';

/** What a column holds. */
export type ColumnRole =
  | 'measure' | 'reference' | 'target' | 'benchmark' | 'period' | 'value' | 'frequency' | 'polarity' | 'direction'
  | 'status' | 'narrative' | 'unit' | 'tolerance' | 'budget' | 'forecast' | 'variance' | 'variance-pct' | 'prior-variance'
  | 'movement' | 'risk-before' | 'risk-after' | 'risk-controls' | 'other';

/** A header word: the role a column takes when its header matches. First match wins. */
export interface HeaderWord {
  readonly role: ColumnRole;
  readonly pattern: RegExp;
  readonly example: string;
}

/**
 * Column headers, tried in order (the first match wins). Budget words come before target words so that
 * "Variation from target" is a variance, and answers ("Target met?") before targets.
 */
export const HEADER_WORDS: readonly HeaderWord[] = [
  { role: 'movement', pattern: /\bmovement\b/i, example: 'Movement in Variance Adv / (Fav) £000\'s' },
  { role: 'variance-pct', pattern: /\bvariance\b.*(?:%|\bper ?cent\b)|%\s*variance/i, example: 'Forecast Variance Month 2 %' },
  { role: 'variance', pattern: /\bvariance\b|\bvariation\b/i, example: 'Forecast Variance Month 2 £\'000' },
  { role: 'variance', pattern: /\(?\s*(?:over|under)\s*\)?\s*(?:\/|or)\s*\(?\s*(?:over|under)\b/i, example: 'Projected Over/ (Under)spend £000\'s' },
  { role: 'variance', pattern: /\b(?:under|over)\s*-?\s*spend\s*\(\s*[-+]\s*\)/i, example: 'Underspend(-)/ Overspend(+) £m' },
  { role: 'variance', pattern: /\(\s*(?:fav|adv)[a-z]*\s*\)\s*\/|(?:fav|adv)[a-z]*\s*\/\s*\(|\(favourable\)|\(adverse\)/i, example: '(Favourable)/Adverse' },
  { role: 'variance', pattern: /\brephas(?:ing|ed)\b/i, example: 'Planned Rephasing to later years' },
  { role: 'status', pattern: /\b(?:target|standard)\s+(?:met|achieved)\b|\bachieved\s*\?|\bmet\s*\?|\bon target\b|\brag\b|\bstatus\b/i, example: 'Target Met?' },
  { role: 'direction', pattern: /direction of travel|\bdot\b|\bdirection\b|\btrend\b|\bbetter\s*\/\s*worse\b/i, example: 'Direction of Travel' },
  { role: 'benchmark', pattern: /\b(?:benchmark|comparator|family group|statistical neighbours?|peer group|nearest neighbours?|quartile)\b/i, example: 'Latest Scottish Average' },
  { role: 'benchmark', pattern: /\b(?:national|scottish|scotland|welsh|wales|england|english|uk|regional|london|county|met(?:ropolitan)?|shire|unitary|all)\s+(?:average|median|mean|rate|figure)\b/i, example: 'National average' },
  { role: 'budget', pattern: /\bbudget(?:ed)?\b|\bprogramme(?:d)?\b|\bestimate\b|\bapproved\b/i, example: 'Annual budget' },
  { role: 'forecast', pattern: /\bforecast\b|\bprojected\b|\bprojection\b/i, example: 'Forecast (outturn)' },
  { role: 'risk-before', pattern: /\b(?:risk\s+)?(?:rating|score)\b.*\b(?:before|inherent|gross|original|initial|unmitigated)\b|\b(?:before|inherent|gross|original|initial|unmitigated)\b.*\b(?:rating|score)\b/i, example: 'Risk rating before controls' },
  { role: 'risk-after', pattern: /\b(?:risk\s+)?(?:rating|score)\b.*\b(?:after|residual|current|net|mitigated|revised)\b|\b(?:after|residual|current|net|mitigated|revised)\b.*\b(?:rating|score)\b/i, example: 'Residual risk score' },
  { role: 'risk-controls', pattern: /\b(?:controls?|mitigation|mitigating actions?)\b/i, example: 'Controls in place' },
  { role: 'measure', pattern: /\b(?:target|service|policy|business|key|priority)\s+areas?\b/i, example: 'Target Area' },
  { role: 'target', pattern: /\btargets?\b|\baim\b|\bgoal\b|\bstandard\b|\bdesired level\b|\bthreshold\b|\bplan(?:ned)?\b(?!.*\bspend)/i, example: 'Desired Level' },
  { role: 'polarity', pattern: /\bpolarity\b|\bgood is\b|\bis better\b|\baim to\b|\bgood performance is\b/i, example: 'Good is' },
  { role: 'frequency', pattern: /\bfrequency\b|\breported\b\s*$/i, example: 'Frequency' },
  { role: 'tolerance', pattern: /\btolerance\b/i, example: 'Tolerance' },
  { role: 'unit', pattern: /^\s*(?:units?|unit of measure|measured in|%)\s*$/i, example: 'Unit' },
  { role: 'narrative', pattern: /narrative|comment|commentary|\bnotes?\b|explanation|what is the data|\bremarks?\b|\bexception\b|\banalysis\b/i, example: 'Comments' },
  { role: 'reference', pattern: /\bref(?:erence)?\b\.?|\bid\b|\bcode\b|^\s*(?:no\.?|number|#)\s*$/i, example: 'Risk Reference Number' },
  { role: 'measure', pattern: /measure|indicator|\bkpi\b|description|\bservice\b|objective|\bpriority\b|\bcriteria\b|\bdirectorate\b|\bportfolio\b|\bheading\b/i, example: 'Performance Measure' },
];

/**
 * Headers that name the value of the period being reported, without saying which period:
 * "Value", "Actual", "Result", "Achieved", "Outturn". With a year beside them they name that year.
 */
export const VALUE_WORDS: readonly { readonly pattern: RegExp; readonly example: string }[] = [
  { pattern: /^(?:value|values|actual|actuals|result|results|achieved|achievement|performance|outturn|position|data|score|figure|current|latest)$/i, example: 'Result' },
  { pattern: /^(?:actual|performance|outturn|result|position)\s+to\s+(?:date\b.*|(?:end\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*.*)$/i, example: 'Performance to March 2002' },
];

/** A relative period: its span and how far back it lies from the period being reported, in months. */
export interface RelativePeriodWord {
  readonly pattern: RegExp;
  readonly kind: 'month' | 'quarter' | 'year' | 'period' | 'year-to-date' | 'year-end' | 'baseline';
  /** Months back from the current period: 0 = this period; -3 = last quarter; -12 = same period last year. */
  readonly offset: number;
  readonly example: string;
}

/** Relative periods, tried in order. */
export const RELATIVE_PERIOD_WORDS: readonly RelativePeriodWord[] = [
  { pattern: /\bsame (?:period|quarter|month|time) (?:last|previous|prior) year\b/i, kind: 'period', offset: -12, example: 'Same period last year' },
  { pattern: /\b(?:this|current|latest) quarter\b/i, kind: 'quarter', offset: 0, example: 'This quarter' },
  { pattern: /\b(?:last|previous|prior) quarter\b/i, kind: 'quarter', offset: -3, example: 'Last quarter' },
  { pattern: /\b(?:this|current|latest) month\b/i, kind: 'month', offset: 0, example: 'This month' },
  { pattern: /\b(?:last|previous|prior) month\b/i, kind: 'month', offset: -1, example: 'Previous month' },
  { pattern: /\b(?:this|current|latest) (?:period|year)\b/i, kind: 'period', offset: 0, example: 'This period' },
  { pattern: /\b(?:last|previous|prior) (?:period)\b/i, kind: 'period', offset: -1, example: 'Prior period' },
  { pattern: /\b(?:last|previous|prior) year\b/i, kind: 'year', offset: -12, example: 'Last year' },
  { pattern: /\b(?:ytd|year[- ]to[- ]date)\b/i, kind: 'year-to-date', offset: 0, example: 'YTD' },
  { pattern: /\b(?:end[- ]of[- ]year|year[- ]end|eoy|full[- ]year|annual outturn)\b/i, kind: 'year-end', offset: 0, example: 'Year end' },
  { pattern: /\bbaseline\b/i, kind: 'baseline', offset: -1200, example: 'Baseline' },
];

/** Which way is better, as a Polarity column or a bracketed note in the measure says it. */
export type PolarityWord = 'higher' | 'lower' | 'range';

/** Phrases a Polarity ("Good is") column holds, each matched as the whole cell. */
export const POLARITY_PHRASES: readonly { readonly polarity: PolarityWord; readonly pattern: RegExp; readonly example: string }[] = [
  { polarity: 'higher', pattern: /^(?:(?:greater|higher|bigger|larger|more|high)(?:\s+(?:is|=)\s+better)?|aim to maximi[sz]e|maximi[sz]e|increase|up is good|↑ good|good is high(?:er)?|high is good)$/i, example: 'Greater is better' },
  { polarity: 'lower', pattern: /^(?:(?:lower|smaller|less|fewer|low)(?:\s+(?:is|=)\s+better)?|aim to minimi[sz]e|minimi[sz]e|decrease|down is good|↓ good|good is low(?:er)?|low is good)$/i, example: 'Smaller is better' },
  { polarity: 'range', pattern: /^(?:goldilocks|closer to target(?: is better)?|within (?:range|tolerance)|on target|representative(?: of .*)?|in line with .*|close to .*|balanced?)$/i, example: 'Representative of the borough' },
];

/** A polarity said in the measure's own words: "(Lower is better)", "(Minimise)". Matched anywhere in the measure. */
export const MEASURE_POLARITY_NOTES: readonly { readonly polarity: PolarityWord; readonly pattern: RegExp; readonly example: string }[] = [
  { polarity: 'lower', pattern: /\(\s*(?:lower|smaller|less|low) (?:is|=) better\s*\)|\(\s*minimi[sz]e\s*\)|\baim to minimi[sz]e\b/i, example: 'Percentage of homes not meeting the standard (Lower is better)' },
  { polarity: 'higher', pattern: /\(\s*(?:higher|greater|bigger|more|high) (?:is|=) better\s*\)|\(\s*maximi[sz]e\s*\)|\baim to maximi[sz]e\b/i, example: 'Recycling rate (Maximise)' },
];

/** A comparator in the measure's own words, followed by the number it applies to. */
export const MEASURE_COMPARATORS: readonly { readonly polarity: 'higher' | 'lower'; readonly pattern: RegExp; readonly example: string }[] = [
  { polarity: 'higher', pattern: named(String.raw`\b(?:at least|no less than|not less than|a minimum of|minimum of|at or above|(?:more than|over|above)|in excess of)\s+(?<num>\d[\d,]*(?:\.\d+)?)\s*(?<pct>%|\s?per\s?cent|\s?percent)?`, 'i'), example: 'At least 95% of patients waiting no more than four hours' },
  { polarity: 'lower', pattern: named(String.raw`\b(?:no more than|not more than|at most|a maximum of|maximum of|at or below|does not exceed|do not exceed|not to exceed|not exceeding|(?:less than|fewer than|under|below))\s+(?<num>\d[\d,]*(?:\.\d+)?)\s*(?<pct>%|\s?per\s?cent|\s?percent)?`, 'i'), example: 'Calls abandoned: No more than 20 per cent of calls' },
];

/** How strongly a word of the measure says which way is better: an outcome outweighs the thing counted. */
export type Weight = 'outcome' | 'subject';

/** A word of the measure that says which way is better. */
export interface WordingEntry {
  readonly polarity: 'higher' | 'lower' | 'range';
  readonly weight: Weight;
  readonly pattern: RegExp;
  readonly example: string;
}

/**
 * Measure wording. Outcomes ("closed within timescales", "missed") outweigh subjects ("complaints"), so
 * "Proportion of complaints closed within timescales" reads higher. A negation before an outcome turns it
 * ("homes not meeting the standard", "not on time").
 */
export const MEASURE_WORDING: readonly WordingEntry[] = [
  // Lower is better: outcomes.
  { polarity: 'lower', weight: 'outcome', pattern: /\bmissed\b/i, example: 'Missed bin collections' },
  { polarity: 'lower', weight: 'outcome', pattern: /\blate\b|\boverdue\b/i, example: 'Late payments' },
  { polarity: 'lower', weight: 'outcome', pattern: /\bdelay(?:ed|s)?\b/i, example: 'Delayed transfers of care' },
  { polarity: 'lower', weight: 'outcome', pattern: /\bwait(?:ing)?\s+(?:times?|lists?)\b|\btime\s+(?:spent\s+)?waiting\b|\baverage\s+wait\b|\bwaiting\b(?!\s+(?:no more|less|under|within))/i, example: 'Average customer wait time' },
  { polarity: 'lower', weight: 'outcome', pattern: /\btime taken\b|\b(?:average|mean|median)\s+(?:\w+\s+){0,3}(?:time|days|length of time)\b|\bdays to\b|\btime to\b|\b(?:turnaround|relet|re-let|response|processing|journey|void)\s+times?\b/i, example: 'Average time to complete approved applications' },
  { polarity: 'lower', weight: 'outcome', pattern: /\babandoned\b/i, example: 'Calls abandoned' },
  { polarity: 'lower', weight: 'outcome', pattern: /\b(?:over|more than|longer than|exceeding|in excess of|beyond)\s+\d+\s*(?:minutes?|hours?|days?|weeks?|months?|years?)\b/i, example: 'Diagnostic waits over 6 weeks' },
  { polarity: 'lower', weight: 'outcome', pattern: /\bre-?referrals?\b|\bre-?offend/i, example: 'Re-referrals to social care' },
  { polarity: 'lower', weight: 'outcome', pattern: /\boverspend\b|\bdeficit\b|\bbacklog\b/i, example: 'Schools reporting deficit spend' },
  { polarity: 'lower', weight: 'outcome', pattern: /\bfailures?\b|\bfailed\b|\bbreach(?:es)?\b/i, example: 'Signals on flash due to equipment failure' },
  { polarity: 'lower', weight: 'outcome', pattern: /\bdays lost\b|\bnot in (?:education|employment)|\bneet\b|\bnot known\b/i, example: 'Working days lost to sickness' },
  // Lower is better: what is counted.
  { polarity: 'lower', weight: 'subject', pattern: /\bcomplaints?\b|\bupheld\b/i, example: 'Number of complaints' },
  { polarity: 'lower', weight: 'subject', pattern: /\bsickness\b|\babsence\b|\battrition\b|\bturnover\b|\bvacanc(?:y|ies)\b|\bagency staff\b/i, example: 'Staff turnover' },
  { polarity: 'lower', weight: 'subject', pattern: /\barrears\b|\bdebts?\b|\bwrite-?offs?\b/i, example: 'Current Tenant Arrears %' },
  { polarity: 'lower', weight: 'subject', pattern: /\bincidents?\b|\baccidents?\b|\bdeaths?\b|\binjur(?:y|ies)\b|\berrors?\b|\bcasualties\b|\bcrimes?\b|\boffences\b/i, example: 'Road traffic accidents' },
  { polarity: 'lower', weight: 'subject', pattern: /\bexclusions?\b|\bemergency admissions?\b|\bcontamination\b|\bemissions?\b|\bcarbon\b/i, example: 'Contamination in co-mingled recyclate' },
  { polarity: 'lower', weight: 'subject', pattern: /\bcosts?\b|\bcost per\b|\bspend\b|\bexpenditure\b/i, example: 'Cost per transaction' },
  { polarity: 'lower', weight: 'subject', pattern: /\bfewer\b/i, example: 'Fewer households in temporary accommodation' },
  // Higher is better: outcomes.
  { polarity: 'higher', weight: 'outcome', pattern: /\bon[- ]time\b|\bin time\b|\btimely\b|\bwithin (?:timescales?|target|the target|\d+\s*(?:working\s+)?(?:minutes?|hours?|days?|weeks?|months?))|\bno more than \d+\s*(?:working\s+)?(?:minutes?|hours?|days?|weeks?)\b/i, example: 'Proportion of complaints closed within timescales' },
  { polarity: 'higher', weight: 'outcome', pattern: /\bsatisf(?:action|ied)\b/i, example: 'Satisfaction with repairs' },
  { polarity: 'higher', weight: 'outcome', pattern: /\banswered\b|\bresolved\b|\bcollect(?:ed|ion)?\b|\bcompleted\b|\bachiev(?:e|ed|ing)\b|\bmeet(?:ing)?\b|\bmet\b|\bkept\b|\bright first time\b|\bsuccess(?:ful)?\b|\breceived\b/i, example: 'Percentage of stock meeting the standard' },
  { polarity: 'higher', weight: 'outcome', pattern: /\bturned around\b|\bgood or outstanding\b|\bgood\/outstanding\b|\brecycl(?:ed|ing)\b|\breuse\b/i, example: 'Waste sent for reuse, recycling and composting' },
  { polarity: 'higher', weight: 'outcome', pattern: /\bimprov(?:e|es|ing|ement)\b|\bincreas(?:e|es|ing)\b/i, example: 'Improvement in attainment' },
  // Higher is better: what is counted.
  { polarity: 'higher', weight: 'subject', pattern: /\bincome\b|\bgrants?\b|\bsavings?\b|\baccuracy\b|\bcompliance\b|\bavailability\b|\battendance\b|\bemployment\b/i, example: 'Income received' },
  // Inside a range is better.
  { polarity: 'range', weight: 'outcome', pattern: /\bdivers(?:e|ity)\b|\brepresentative\b/i, example: 'Diverse workforce: proportion of disabled employees' },
];

/** Words just before an outcome that turn it round: "not meeting", "did not meet", "failed to", "no missed". */
export const NEGATION = /\b(?:not|no|never|no longer|fail(?:ed|ing|s)? to|unable to|without)\s+(?:\w+\s+){0,1}$/i;

/** A published status: the words, letters, symbols and faces publishers use. Matched as the whole cell. */
export const STATUS_WORDS: readonly { readonly status: 'green' | 'amber' | 'red' | 'none'; readonly pattern: RegExp; readonly example: string }[] = [
  { status: 'green', pattern: /^(?:green|g|on target|on track|met|target met|achieved|y|yes|✓|✔|☑|happy face|smiley(?: face)?|green happy face.*|.*\bmeeting or exceeding the target\b.*|exceeded|good)$/i, example: 'happy face' },
  { status: 'amber', pattern: /^(?:amber|a|slightly (?:missed|off target)|near(?:ly)? (?:met|target)|within tolerance|at risk|some concerns?|neutral face|yellow)$/i, example: 'Amber' },
  { status: 'red', pattern: /^(?:red|r|off target|not met|target not met|missed|not achieved|n|no|✗|✘|×|☒|sad face|.*\bnot (?:being )?on target\b.*|failed)$/i, example: 'target not met' },
  { status: 'none', pattern: /^(?:n\/?a|no target|data only|not rated|grey|gray|no rating)$/i, example: 'N/A' },
];

/** A published trend in words: "Improved", "Worse than 2023/24", "Up arrow representing a positive trend". */
export const TREND_WORDS: readonly { readonly trend: 'improving' | 'worsening' | 'stable'; readonly pattern: RegExp; readonly example: string }[] = [
  { trend: 'improving', pattern: /^(?:improv(?:ed|ing|ement)|better(?: than .*)?|.*\bpositive trend\b.*|up and good)$/i, example: 'Improved' },
  { trend: 'worsening', pattern: /^(?:declin(?:ed|ing)|worse(?:ning)?(?: than .*)?|deteriorat(?:ed|ing)|.*\bnegative trend\b.*)$/i, example: 'Declined' },
  { trend: 'stable', pattern: /^(?:no change|unchanged|same|stable|maintained|static)$/i, example: 'No change' },
];

/** How a budget column signs its figures: over-positive = an overspend (adverse) is printed positive. */
export type SignConvention = 'over-positive' | 'under-positive';

/** Sign conventions stated in a budget header, tried in order. */
export const SIGN_WORDS: readonly { readonly convention: SignConvention; readonly pattern: RegExp; readonly example: string }[] = [
  { convention: 'over-positive', pattern: /under\s*(?:spend)?\s*\(\s*-\s*\)|over\s*(?:spend)?\s*\(\s*\+\s*\)/i, example: 'Underspend(-)/ Overspend(+) £m' },
  { convention: 'under-positive', pattern: /under\s*(?:spend)?\s*\(\s*\+\s*\)|over\s*(?:spend)?\s*\(\s*-\s*\)/i, example: 'Overspend(-)/Underspend(+)' },
  { convention: 'over-positive', pattern: /\(\s*(?:under|fav(?:ourable)?)\b/i, example: 'Forecast over or (under) spend' },
  { convention: 'under-positive', pattern: /\(\s*(?:over|adv(?:erse)?)\b/i, example: 'Under/(Over) spend' },
  { convention: 'under-positive', pattern: /\brephas(?:ing|ed)\b|\bunderspend\b(?!.*\boverspend\b)|\bsaving\b/i, example: 'Planned Rephasing to later years' },
  { convention: 'over-positive', pattern: /\boverspend\b(?!.*\bunderspend\b)/i, example: 'Net overspend' },
];

/** A scale row under a budget header: "£000", "£'000", "£m", "$000s". */
export const SCALE_ROW = named(String.raw`^(?<cur>[£$€])?\s*(?<scale>'?000'?s?|k|m|bn|thousands?|millions?)$`, 'i');

/** Column-group labels of budget tables: the to-date group is context; the year-end group is judged. */
export const TO_DATE_GROUP = /\b(?:to date|ytd|year[- ]to[- ]date|actual to date|period to date|profiled)\b/i;
/** A year-end group: "YEAR END FORECAST", "Full year", "Outturn". */
export const YEAR_END_GROUP = /\b(?:year[- ]end|full[- ]year|outturn|annual)\b/i;

/** A tolerance key printed on the sheet. `amber` groups the number and unit of the amber band. */
export const TOLERANCE_KEYS: readonly { readonly pattern: RegExp; readonly example: string }[] = [
  { pattern: named(String.raw`\bamber\b[^.\n]*?\bwithin\s+(?<num>\d+(?:\.\d+)?)\s*(?<unit>%|pp|percentage points?|points?)`, 'i'), example: 'Amber: within 10% of target' },
  { pattern: named(String.raw`\bslightly (?:missed|below|off target)\b[^.\n]*?\(?\s*within\s+(?<num>\d+(?:\.\d+)?)\s*(?<unit>%|pp|percentage points?|points?)`, 'i'), example: 'Target slightly missed (within 5%)' },
  { pattern: named(String.raw`\bwithin\s+(?<num>\d+(?:\.\d+)?)\s*(?<unit>%|pp|percentage points?|points?)\s+of (?:the )?target\b[^.\n]*\bamber\b`, 'i'), example: 'Within 5% of target = Amber' },
];

/** A two-state key: "Target met / not met", "Y = target achieved, N = not achieved". No amber band. */
export const TWO_STATE_KEY = /\btarget met\b[^.\n]*\b(?:not met|missed)\b|\bmet\s*\/\s*not met\b|\bachieved\s*\/\s*not achieved\b|\bY\s*=\s*[^,;]*achieved[^,;]*[,;]\s*N\s*=/i;

/** Title words of a list of budget variances with no header: "Outturn Forecast", "Budget Monitoring". */
export const BUDGET_TITLE = /\b(?:budget|outturn|forecast|over\s*spend|under\s*spend|overspend|underspend|variances?)\b/i;

/** Whitespace that making each run of it one space would change: a run of two, or any whitespace but a space. */
const UNEVEN_SPACE = /\s\s|[^\S ]/;
/** A run of whitespace. Global, but `replace` starts it from the text's start on every call. */
const WHITESPACE_RUN = /\s+/g;
/** Footnote marks after a published status: "Green*", "Red†". */
const TRAILING_MARKS = /[*†‡]+$/;

/**
 * The text with each run of whitespace made one space, as `text.replace(/\s+/g, ' ')` makes it. Most cell texts
 * already are (a replace copies any text holding a space), so those are returned as they are, with no copy made.
 */
export function singleSpaced(text: string): string {
  return UNEVEN_SPACE.test(text) ? text.replace(WHITESPACE_RUN, ' ') : text;
}

/** The text without its one closing full stop, if it has one, as `text.replace(/\.$/, '')` leaves it. */
export function withoutFullStop(text: string): string {
  return text.endsWith('.') ? text.slice(0, -1) : text;
}

/**
 * The value words as one pattern, which matches where any of them does: each is case-insensitive, anchored to the
 * whole cell and captures nothing, so their alternation answers alike.
 */
const ANY_VALUE_WORD = new RegExp(VALUE_WORDS.map((w) => `(?:${w.pattern.source})`).join('|'), 'i');

/** Returns the role a header names, or undefined. */
export function roleOfHeader(header: string): ColumnRole | undefined {
  const h = singleSpaced(header).trim();
  if (h === '') return undefined;
  for (const w of HEADER_WORDS) if (w.pattern.test(h)) return w.role;
  return undefined;
}

/** Returns true when a header names the reported value without a period ("Result", "Actual"). */
export function isValueHeader(header: string): boolean {
  return ANY_VALUE_WORD.test(singleSpaced(header).trim());
}

/** Reads a published status cell, or undefined when it is not one. */
export function statusOfWord(text: string): 'green' | 'amber' | 'red' | 'none' | undefined {
  const t = singleSpaced(text).replace(TRAILING_MARKS, '').trim();
  if (t === '') return undefined;
  for (const w of STATUS_WORDS) if (w.pattern.test(t)) return w.status;
  return undefined;
}

/** Reads a published trend in words, or undefined. */
export function trendOfWord(text: string): 'improving' | 'worsening' | 'stable' | undefined {
  const t = withoutFullStop(singleSpaced(text).trim());
  for (const w of TREND_WORDS) if (w.pattern.test(t)) return w.trend;
  return undefined;
}

/** Reads the sign convention a budget header states, or undefined when it is silent. */
export function signConventionOfHeader(header: string): SignConvention | undefined {
  for (const w of SIGN_WORDS) if (w.pattern.test(header)) return w.convention;
  return undefined;
}
