/**
 * Named regular expressions, one place for every textual form the engine recognises.
 * Each comment shows what the expression matches.
 */
import { named } from './regex';

/** A plain number with optional thousands separators: "1,024", "88.0", ".5", "16000". */
export const NUMBER_BODY = String.raw`(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)`;

/**
 * A whole numeric cell: "(284)", "-3,467", "284-", "£17,600", "£240k", "£1.2m", "88.0%", "6 %", "−12".
 * Groups: sign, currency, open bracket, number, scale, percent, trailing minus.
 */
export const NUMERIC_CELL = named(
  String.raw`^(?<sign>[-+])?\s*(?<cur>[£$€])?\s*(?<open>\()?\s*(?<cur2>[£$€])?\s*(?<sign2>-)?(?<num>${NUMBER_BODY})\s*(?<scale>k|m|bn|b|K|M|BN|Bn|B)?\s*(?<pct>%)?\s*(?<close>\))?\s*(?<trail>-)?$`,
);

/** Footnote marks at the end of a value: "13 ¹", "4.5% **", "3.8%***", "12†". */
export const TRAILING_FOOTNOTE = named(String.raw`\s*(?<mark>[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*+|[†‡§]+|\(\s*[a-z]\s*\))\s*$`);

/** A stray mark after a percentage, not a trailing minus: "54%-" (negative rates are written -5% or (5%)). */
export const STRAY_MARK_AFTER_PERCENT = named(String.raw`^(?<body>.*\d\s*%)\s*-$`);

/** A note after an asterisk: "29.87% (1574/5269) *Jan-Oct", "32.6% (395/1221) *Q4 only". */
export const STAR_NOTE = named(String.raw`\s+\*+\s*(?<note>[A-Za-z0-9].*)$`);

/** A target value with what it is a share of: "100%+ of Rent Due for the Year", "98% of Completed Repairs". */
export const SHARE_OF_SUFFIX = named(String.raw`^(?<head>(?:[<>≤≥]=?\s*|max\.?\s*|min\.?\s*|at least\s+|no more than\s+)?[£$€]?\d[\d,.]*\s*%?\s*\+?)\s+(?<note>of\s+[A-Za-z].*)$`, 'i');

/** A value followed by its fraction: "32.6% (395/1221)", "41.34% (2333/5643)". */
export const FRACTION_SUFFIX = named(String.raw`^(?<head>.*?)\s*\(\s*(?<num>\d[\d,]*)\s*\/\s*(?<den>\d[\d,]*)\s*\)$`);

/** A number followed by a unit word and perhaps a qualifier: "0.6 Years Interim", "15 pts", "7 days". */
export const NUMBER_WITH_WORD = named(
  String.raw`^(?<num>-?${NUMBER_BODY})\s*(?<word>[A-Za-z][A-Za-z.]*)(?<rest>\s.*)?$`,
);

/** An ordinal rank: "173rd", "1st", "22nd". */
export const ORDINAL = named(String.raw`^(?<num>\d+)\s*(?:st|nd|rd|th)$`, 'i');

/** A band of two numbers: "201-250", "16 - 18", "16 to 18", "16–18". */
export const NUMBER_BAND = named(
  String.raw`^(?<lo>[£$€]?${NUMBER_BODY}\s*%?)\s*(?:-|–|—|to)\s*(?<hi>[£$€]?${NUMBER_BODY}\s*%?)$`,
  'i',
);

/**
 * A labelled number inside a longer text: "Attainment GAP = 10.4", "Progress 8 = 0.02". What
 * `(?<label>[^=:;,()]+?)\s*=\s*(?<num>-?NUMBER\s*%?)` finds, searched globally, found in one pass: a regular expression
 * with a lazy label tries every start and reads on to the next "=" from each, which takes time in the square of a
 * long text's length (minutes for a page of narrative).
 */
export function labelledNumberMatches(text: string): Array<{ readonly label: string; readonly num: string }> {
  const out: Array<{ label: string; num: string }> = [];
  // Where the earliest label may start: after the last match, and after the last character a label cannot hold.
  let matchEnd = 0;
  let labelStart = 0;
  for (let i = text.indexOf('=') === -1 ? text.length : 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 61 /* = */) {
      const start = Math.max(matchEnd, labelStart);
      if (start < i) {
        NUMBER_AFTER_EQUALS.lastIndex = i + 1;
        const m = NUMBER_AFTER_EQUALS.exec(text);
        if (m?.groups?.num !== undefined) {
          // The label is lazy: the spaces before "=" are not its own, though it keeps one character.
          let end = i;
          while (end > start + 1 && /\s/.test(text.charAt(end - 1))) end -= 1;
          out.push({ label: text.slice(start, end), num: m.groups.num });
          matchEnd = NUMBER_AFTER_EQUALS.lastIndex;
        }
      }
      labelStart = i + 1;
    } else if (ch === 58 /* : */ || ch === 59 /* ; */ || ch === 44 /* , */ || ch === 40 /* ( */ || ch === 41 /* ) */) {
      labelStart = i + 1;
    }
  }
  return out;
}

/** The number after a label's "=" (see {@link labelledNumberMatches}), read from where it is set to start. */
const NUMBER_AFTER_EQUALS = named(String.raw`\s*(?<num>-?${NUMBER_BODY}\s*%?)`, 'y');

/** A suppressed small number in published statistics: "<5", "< 5", "*". */
export const SUPPRESSED = /^(?:<\s*\d{1,2}|\*|c|x|supp(?:ressed)?\.?)$/i;

/** Words that say a value is missing for a known reason, mapped to the reason. */
export const MISSING_WORDS: ReadonlyArray<readonly [RegExp, MissingReason]> = [
  [/^(?:n\/?a|not applicable)$/i, 'not-applicable'],
  [/^(?:tbc|tbd|to be confirmed|to follow|awaited)$/i, 'to-be-confirmed'],
  [/^(?:annual|annually|annual measure|reported annually|not due|not yet due)$/i, 'not-due'],
  [/^(?:new indicator|new measure|new|new kpi|baseline year)$/i, 'new-indicator'],
  [/^#?div\/0!?$/i, 'division-error'],
  [/^#(?:n\/a|value!|ref!|name\?|num!|null!|spill!|calc!)$/i, 'error'],
  [/^(?:-|–|—|\.\.|n\/k|not known|no data|nil return)$/i, 'no-data'],
  [/^(?:data only)$/i, 'data-only'],
  [/^(?:no target|no target set|target not set|not set)$/i, 'no-target'],
  [/^(?:met|achieve|to be met|meet|maintain|100% compliance)$/i, 'yes-no'],
];

/** Why a value is missing. Each reason is shown as its own state, never as zero or as a miss. */
export type MissingReason =
  | 'blank'
  | 'not-applicable'
  | 'to-be-confirmed'
  | 'not-due'
  | 'new-indicator'
  | 'division-error'
  | 'error'
  | 'no-data'
  | 'data-only'
  | 'suppressed'
  /** A target with no figure: none set. */
  | 'no-target'
  /** A yes / no standard: "Met". Judged by a published Met / Not met, not by a number. */
  | 'yes-no';

/** Published direction-of-travel arrows: up. */
export const ARROW_UP = /^(?:▲|↑|⬆|⇧|△|up)$/i;
/** Published direction-of-travel arrows: down. */
export const ARROW_DOWN = /^(?:▼|↓|⬇|⇩|▽|down)$/i;
/** Published direction-of-travel arrows: no change. */
export const ARROW_FLAT = /^(?:►|◄|→|↔|⇔|◆|=|no change|same|stable)$/i;

/** Frequency words in a Frequency column: "Annual", "Monthly", "Quarterly". */
export const FREQUENCY_WORD = /^(?:annual(?:ly)?|monthly|quarterly|weekly|daily|termly|half[- ]yearly|bi-?annual(?:ly)?|6[- ]monthly|six[- ]monthly|yearly|fortnightly|academic year)$/i;


/** A month label: "Dec-15", "Dec 2015", "December 15", "Jan-2016". */
export const MONTH_PERIOD = named(String.raw`^(?<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*[-\s/']*(?<yr>\d{2}|\d{4})$`, 'i');
/** A month named alone: "April", "Sept", "Dec". */
export const MONTH_ONLY = named(String.raw`^(?<mon>(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\.?$`, 'i');
/** A span of months: "Apr–Jun", "April to June", "Jan-Mar 2024". */
export const MONTH_SPAN = named(String.raw`^(?<m1>(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\.?\s*(?:-|–|—|to)\s*(?<m2>(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?))\.?(?:\s+(?<yr>(?:19|20)\d{2}))?$`, 'i');
/** A month of the financial year: "Month 2", "M6", "Period 9". */
export const FISCAL_MONTH = named(String.raw`^(?:month|m|period|p)\s*(?<n>\d{1,2})$`, 'i');
/** A financial year in two digits each: "22/23", "24/25 Q4". The second year must follow the first. */
export const SHORT_FINANCIAL_YEAR = named(String.raw`(?:^|[^\d/])(?<a>\d{2})\s*\/\s*(?<b>\d{2})(?![\d/])`);
/** A financial year written FY and two or four digits: "FY21", "FY 2023" (the year it ends in). */
export const FY_ENDING = named(String.raw`\bfy\s*'?(?<y>(?:19|20)?\d{2})\b(?!\s*[/\-–]\s*\d)`, 'i');
/** A financial year: "2016/17", "2013-14", "2013/2014", "FY2016/17", "2016-2017". */
export const FINANCIAL_YEAR = named(String.raw`(?:fy\s*)?(?<y1>(?:19|20)\d{2})\s*[/\-–]\s*(?<y2>\d{2}|(?:19|20)\d{2})(?!\d)`, 'i');
/** A quarter: "Q3", "Qtr 1", "Quarter 2". */
export const QUARTER = named(String.raw`\b(?:q|qtr|quarter)\s*(?<q>[1-4])\b`, 'i');
/** A half year: "H1", "Half 2". */
export const HALF = named(String.raw`\b(?:h|half)\s*(?<h>[12])\b`, 'i');
/** The year-end column of a KPI table: "End-of-year", "Year end", "Full year", "Annual outturn". */
export const YEAR_END = /\b(?:end[- ]of[- ]year|year[- ]end|eoy|full[- ]year|annual outturn)\b/i;
/** Year to date: "YTD", "Year to date". */
export const YEAR_TO_DATE = /\b(?:ytd|year[- ]to[- ]date)\b/i;
/** A calendar year alone: "2016". */
export const CALENDAR_YEAR = /^(?:19|20)\d{2}$/;

/** A multi-part target: "[a] 90% [b] 90%", "(a) 85% (b) 80%". */
export const MULTI_PART_TARGET = /(?:\[[a-z]\]|\([a-z]\)).*(?:\[[a-z]\]|\([a-z]\))/i;

/** A relative target: "20% reduction", "10% increase", "reduce by 5%", "5% improvement". */
export const RELATIVE_TARGET = named(
  String.raw`^(?:(?<n1>${NUMBER_BODY})\s*(?<u1>%|pts?|points|pp)?\s+(?<w1>reduction|decrease|fall|lower|less|fewer|drop|increase|improvement|rise|higher|more|growth)(?:\s+(?:on|from|against|vs\.?)\s+(?<p1>.+))?|(?<w2>reduce|decrease|cut|increase|improve|grow|raise)\s+(?:by\s+)?(?<n2>${NUMBER_BODY})\s*(?<u2>%|pts?|points|pp)?(?:\s+(?:on|from|against)\s+(?<p2>.+))?)$`,
  'i',
);

/** A target relative to a named period's outturn: ">2013/14", "< 2013-14", "better than 2015/16". */
export const PERIOD_COMPARISON_TARGET = named(String.raw`^(?<op>>=|<=|=>|=<|≥|≤|>|<|better than|worse than|above|below|higher than|lower than|more than|less than)\s*(?<period>(?:fy\s*)?(?:19|20)\d{2}\s*[/\-–]\s*\d{2,4}|last year|previous year|prior year|baseline)$`, 'i');

/** A range target: "16 - 18", "16 to 18", "between 16 and 18". */
export const RANGE_TARGET = named(
  String.raw`^(?:between\s+)?(?<lo>[£$€]?${NUMBER_BODY}\s*(?:%|k|m)?)\s*(?:-|–|—|to|and)\s*(?<hi>[£$€]?${NUMBER_BODY}\s*(?:%|k|m)?)$`,
  'i',
);

/** Comparator words and symbols in front of a value: ">85%", "at least 90%", "no more than 5". */
export const LEADING_COMPARATOR = named(String.raw`^(?<op>>=|<=|=>|=<|≥|≤|>|<|at least|no less than|not less than|minimum(?: of)?|min\.?|more than|greater than|over|above|exceed(?:ing)?|no more than|not more than|at most|maximum(?: of)?|max\.?|less than|fewer than|under|below|up to)\s*`, 'i');

/** Comparator phrases after a value: "90% or above", "5 or fewer", "85%+". */
export const TRAILING_COMPARATOR = named(String.raw`\s*(?<op>or (?:above|more|higher|greater|better|over)|and above|\+|or (?:below|less|lower|fewer|under)|and below|(?:or )?minimum|(?:or )?maximum)$`, 'i');

/** A label in front of a target value: "Primary 88%", "Secondary: 87%". */
export const LABELLED_TARGET = named(String.raw`^(?<label>[A-Za-z][A-Za-z &'/-]{1,40}?)\s*[:=]?\s+(?<rest>(?:[<>≤≥]=?\s*)?[£$€]?\d.*)$`);

/** A parenthesised annotation at the end: "95% (over next 3 years)". */
export const TRAILING_ANNOTATION = named(String.raw`^(?<head>.*?\S)\s*\((?<note>[^()]*[A-Za-z][^()]*)\)$`);

/** A Tolerance column's value: "5%", "10 %", "2 pp", "0.5 pts", "3". */
export const TOLERANCE = named(String.raw`^(?<num>${NUMBER_BODY})\s*(?<unit>%|pp|pts?|points|percentage points)?$`, 'i');
