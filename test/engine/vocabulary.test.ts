import {
  HEADER_WORDS, isValueHeader, MEASURE_COMPARATORS, MEASURE_POLARITY_NOTES, MEASURE_WORDING, parsePeriod, POLARITY_PHRASES,
  polarityFromMeasureComparator, polarityFromPhrase, RELATIVE_PERIOD_WORDS, roleOfHeader, SIGN_WORDS, signConventionOfHeader, STATUS_WORDS, statusOfWord,
  TOLERANCE_KEYS, TREND_WORDS, trendOfWord, VALUE_WORDS,
} from '../../src/engine';

// Every entry of the vocabulary carries an example: each must be read as its entry says.
describe('the vocabulary reads its own examples', () => {
  it.each(HEADER_WORDS.map((w) => [w.example, w.role] as const))('header %j names the %s column', (example, role) => {
    expect(roleOfHeader(example)).toBe(role);
  });

  it.each(VALUE_WORDS.map((w) => w.example))('header %j names the reported value', (example) => {
    expect(isValueHeader(example)).toBe(true);
  });

  it.each(RELATIVE_PERIOD_WORDS.filter((w) => w.kind !== 'year-end' && w.kind !== 'year-to-date').map((w) => [w.example, w.offset] as const))('%j is a period %d months from the reported one', (example, offset) => {
    expect(parsePeriod(example)?.relative?.offset).toBe(offset);
  });

  it.each(POLARITY_PHRASES.map((p) => [p.example, p.polarity] as const))('Polarity column %j reads %s', (example, polarity) => {
    expect(polarityFromPhrase(example)).toBe(polarity);
  });

  it.each(MEASURE_POLARITY_NOTES.map((p) => [p.example, p.polarity] as const))('measure note in %j reads %s', (example, polarity) => {
    expect(p(example, MEASURE_POLARITY_NOTES)).toBe(polarity);
  });

  it.each(MEASURE_COMPARATORS.map((p) => [p.example, p.polarity] as const))('measure comparator in %j reads %s', (example, polarity) => {
    expect(polarityFromMeasureComparator(example, null)?.polarity).toBe(polarity);
  });

  it.each(MEASURE_WORDING.map((w) => [w.example, w.polarity] as const))('wording %j has a word for %s', (example, polarity) => {
    expect(MEASURE_WORDING.some((w) => w.polarity === polarity && w.pattern.test(example))).toBe(true);
  });

  it.each(STATUS_WORDS.map((w) => [w.example, w.status] as const))('published status %j reads %s', (example, status) => {
    expect(statusOfWord(example)).toBe(status);
  });

  it.each(TREND_WORDS.map((w) => [w.example, w.trend] as const))('published trend %j reads %s', (example, trend) => {
    expect(trendOfWord(example)).toBe(trend);
  });

  it.each(SIGN_WORDS.map((w) => [w.example, w.convention] as const))('budget header %j signs %s', (example, convention) => {
    expect(signConventionOfHeader(example)).toBe(convention);
  });

  it.each(TOLERANCE_KEYS.map((k) => k.example))('tolerance key %j gives an amber band', (example) => {
    expect(TOLERANCE_KEYS.some((k) => k.pattern.exec(example)?.groups?.num !== undefined)).toBe(true);
  });
});

function p(text: string, list: ReadonlyArray<{ readonly pattern: RegExp; readonly polarity: string }>): string | undefined {
  return list.find((e) => e.pattern.test(text))?.polarity;
}

describe('header words that must not be mistaken', () => {
  it.each([
    ['% variation from target', 'variance'],
    ['Target achieved?', 'status'],
    ['Target Met?', 'status'],
    ['Latest Scottish Average', 'benchmark'],
    ['National average', 'benchmark'],
    ['Family group', 'benchmark'],
    ['Planned Rephasing to later years', 'variance'],
    ['Programmed Spend or (Income) 2005/06', 'budget'],
    ['Forecast Spend 2005/06', 'forecast'],
    ['Forecast Variance Month 2 %', 'variance-pct'],
    ['Good is', 'polarity'],
    ['Desired Level', 'target'],
    ['Aim', 'target'],
    ['Comments', 'narrative'],
    ['Risk Reference Number', 'reference'],
  ])('%j is a %s column', (header, role) => {
    expect(roleOfHeader(header)).toBe(role);
  });

  it.each(['Result 2005-2006', 'Year end', 'Quarter 1', '2021/22 value'])('%j names no role by its words (a period or a value)', (header) => {
    expect(roleOfHeader(header)).toBeUndefined();
  });
});
