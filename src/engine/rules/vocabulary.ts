/**
 * The words and shapes of status and trend, in one table that the row rules, the conditional formats and the
 * pane all read. A status never relies on colour alone: each has a shape ("● Green", "▲ Amber", "■ Red",
 * "○ No data"). The rules compute a number (a code) and the sheet shows the word for it, so renaming a word
 * never stops the colours: conditional formats test the code, not the text.
 */

/** The verdict a status colours as. */
export type Verdict = 'green' | 'amber' | 'red' | 'none';

/** Every status a row can show. */
export type StatusKey =
  | 'green' | 'amber' | 'red' | 'noData'
  | 'dataOnly' | 'noTarget' | 'targetUnclear' | 'noBaseline' | 'noDirection' | 'noBudget' | 'noForecast';

/** The statuses shown when a row has no target to be judged by (the row's no-status code). */
export type NoStatusKey = Exclude<StatusKey, 'green' | 'amber' | 'red' | 'noData'>;

/** One status: its shape, its word, and the verdict it is coloured as. */
export interface StatusEntry {
  readonly shape: string;
  readonly word: string;
  readonly verdict: Verdict;
}

/** Each status with its shape and word; the text shown is `${shape} ${word}`. */
export const STATUS_VOCABULARY: Readonly<Record<StatusKey, StatusEntry>> = {
  green: { shape: '●', word: 'Green', verdict: 'green' }, // on or better than target
  amber: { shape: '▲', word: 'Amber', verdict: 'amber' }, // missed within the amber band
  red: { shape: '■', word: 'Red', verdict: 'red' }, // missed by more
  noData: { shape: '○', word: 'No data', verdict: 'none' }, // a target, but no value reported
  dataOnly: { shape: '○', word: 'Data only', verdict: 'none' }, // no target by design (monthly series, no target column)
  noTarget: { shape: '○', word: 'No target', verdict: 'none' }, // a target column, but this row's cell is empty or "TBC"
  targetUnclear: { shape: '○', word: 'Target unclear', verdict: 'none' }, // "[a] 90% [b] 90%", text not understood
  noBaseline: { shape: '○', word: 'No baseline', verdict: 'none' }, // "20% reduction" on a year with no value
  noDirection: { shape: '○', word: 'No direction', verdict: 'none' }, // "75%" with polarity unknown
  noBudget: { shape: '○', word: 'No budget', verdict: 'none' }, // a budget line without a budget figure
  noForecast: { shape: '○', word: 'No forecast', verdict: 'none' }, // a budget line without a forecast
};

/** Returns the text a status cell shows: "● Green". */
export function statusText(key: StatusKey): string {
  const e = STATUS_VOCABULARY[key];
  return `${e.shape} ${e.word}`;
}

/**
 * Status codes the rules compute. 1–4 are the same on every row; 5 is the row's own no-status word (its
 * NoStatusKey), read from the status table's column for that word.
 */
export const STATUS_CODE = { green: 1, amber: 2, red: 3, noData: 4, noStatus: 5 } as const;

/** Every trend a row can show. */
export type TrendKey = 'improving' | 'stable' | 'worsening' | 'notComparable' | 'increasing' | 'decreasing' | 'none';

/**
 * One trend: its arrow, its word, and whether it reads as better, worse or neither. A trend that `followsValue` shows
 * the way the value moved (MOVEMENT_ARROWS), and its word and colour carry the judgement: "↓ improving" for a rate
 * that fell where lower is better; `arrow` is then what it shows when there is no value to follow (a rating).
 */
export interface TrendEntry {
  readonly arrow: string;
  readonly word: string;
  readonly verdict: Verdict;
  readonly followsValue?: true;
}

/** Each trend with its arrow and word; the text shown is `${arrow} ${word}`, or nothing for none. */
export const TREND_VOCABULARY: Readonly<Record<TrendKey, TrendEntry>> = {
  improving: { arrow: '↑', word: 'improving', verdict: 'green', followsValue: true }, // better, polarity known: 19% → 18%, lower is better: "↓ improving"
  stable: { arrow: '→', word: 'stable', verdict: 'none' }, // equal as displayed
  worsening: { arrow: '↓', word: 'worsening', verdict: 'red', followsValue: true }, // worse, polarity known: 70% → 65%, higher is better: "↓ worsening
  notComparable: { arrow: '↔', word: 'not comparable', verdict: 'none' }, // a quarter's count against a year's
  increasing: { arrow: '↑', word: 'increasing', verdict: 'none' }, // up, polarity unknown
  decreasing: { arrow: '↓', word: 'decreasing', verdict: 'none' }, // down, polarity unknown
  none: { arrow: '', word: '', verdict: 'none' }, // fewer than two values
};

/** Which way a value moved, for the arrow of a trend that follows the value. */
export type Movement = 'up' | 'down';

/** The arrow of a value that rose or fell. */
export const MOVEMENT_ARROWS: Readonly<Record<Movement, string>> = { up: '↑', down: '↓' };

/**
 * Returns the text a trend cell shows: "↓ improving" for a value that fell (`movement`), "→ stable", or "" for none.
 * Without a movement a trend shows its own arrow.
 */
export function trendText(key: TrendKey, movement?: Movement): string {
  const e = TREND_VOCABULARY[key];
  if (e.word === '') return '';
  return `${e.followsValue && movement !== undefined ? MOVEMENT_ARROWS[movement] : e.arrow} ${e.word}`;
}

/** Trend codes the rules compute; the trend table holds code + 1 in its rows (0 shows nothing). */
export const TREND_CODE: Readonly<Record<TrendKey, number>> = {
  none: 0, improving: 1, stable: 2, worsening: 3, notComparable: 4, increasing: 5, decreasing: 6,
};

/** Returns the status key of a status code on a row whose no-status word is `noStatus`. */
export function statusOfCode(code: number, noStatus: NoStatusKey): StatusKey | undefined {
  switch (code) {
    case STATUS_CODE.green: return 'green';
    case STATUS_CODE.amber: return 'amber';
    case STATUS_CODE.red: return 'red';
    case STATUS_CODE.noData: return 'noData';
    case STATUS_CODE.noStatus: return noStatus;
    default: return undefined;
  }
}

/** Returns the trend key of a trend code. */
export function trendOfCode(code: number): TrendKey | undefined {
  return (Object.keys(TREND_CODE) as TrendKey[]).find((k) => TREND_CODE[k] === code);
}

/** The no-status words, in the order of their columns in the status table (`WORD_LISTS.Scorecard_Status`). */
export const NO_STATUS_KEYS: readonly NoStatusKey[] = ['dataOnly', 'noTarget', 'targetUnclear', 'noBaseline', 'noDirection', 'noBudget', 'noForecast'];

/** Which way a trend word's arrow is chosen, as the column of the trend table (`WORD_LISTS.Scorecard_Trend`). */
export const TREND_COLUMN = { up: 1, down: 2, own: 3 } as const;

/**
 * The status and trend words, held once in the workbook as defined names, so that a Status or Trend formula reads
 * its word by code (INDEX(Scorecard_Status, code, column)) rather than listing the words in every row.
 * - Status: a row per status code (1 green … 4 no data, 5 the row's no-status word); a column per no-status word
 *   (NO_STATUS_KEYS): codes 1–4 read the same in every column.
 * - Trend: a row per trend code + 1 (the first row is "" for no trend); columns by TREND_COLUMN: the arrow of a value
 *   that rose, of one that fell, and the word's own arrow.
 */
export const WORD_LISTS = {
  Scorecard_Status: [
    ...(['green', 'amber', 'red', 'noData'] as const).map((k) => NO_STATUS_KEYS.map(() => statusText(k))),
    NO_STATUS_KEYS.map((k) => statusText(k)),
  ],
  Scorecard_Trend: (Object.keys(TREND_CODE) as TrendKey[]).sort((a, b) => TREND_CODE[a] - TREND_CODE[b])
    .map((k) => [trendText(k, 'up'), trendText(k, 'down'), trendText(k)]),
} as const satisfies Record<string, readonly (readonly string[])[]>;

/** The defined names that hold the words. */
export type WordListName = keyof typeof WORD_LISTS;

/** The status table's column of a no-status word (1-based). */
export function noStatusColumn(key: NoStatusKey): number {
  return NO_STATUS_KEYS.indexOf(key) + 1;
}

/** Risk ratings on the usual 5 × 5 likelihood × impact scale: 15–25 red, 8–14 amber, below 8 green. */
export const RISK_BANDS = { red: 15, amber: 8, top: 25 } as const;
