import { isValueHeader, polarityFromPhrase, singleSpaced, statusOfWord, trendOfWord, VALUE_WORDS, withoutFullStop } from '../../src/engine';

// Texts with every kind of whitespace a cell holds, alone, doubled, leading, trailing and between words.
const SPACINGS = [
  '', ' ', '  ', 'a', 'a b', 'a  b', ' a', 'a ', '\ta', 'a\tb', 'a\nb', 'a\r\nb', 'a \u00a0b', 'a\u00a0b', '\u2003a', 'a\u200ab',
  'a\u3000b', 'a\ufeffb', '\u00a0', 'Higher is better', 'Higher  is\nbetter.', ' Green* ', 'Red\u00a0\u00a0†', 'No change.', 'Result',
  '  Actual\tto  date ', 'a \t b', 'a\vb', 'a\fb', 'a\u2028b', 'a\u2029b', 'a\u1680b', 'a\u202fb', 'a\u205fb', 'a\u180eb',
];

describe('the normalising of cell texts', () => {
  it.each(SPACINGS.map((t) => [t]))('makes each run of whitespace in %j one space, as a replace of every run does', (text) => {
    expect(singleSpaced(text)).toBe(text.replace(/\s+/g, ' '));
  });

  it('returns a text with no run to change as it is', () => {
    const text = 'Smaller is better';
    expect(singleSpaced(text)).toBe(text);
  });

  it.each(['', '.', '..', 'Improved.', 'Improved', 'a.b', '. '].map((t) => [t]))('takes the one closing full stop off %j, as a replace of /\\.$/ does', (text) => {
    expect(withoutFullStop(text)).toBe(text.replace(/\.$/, ''));
  });

  it.each(SPACINGS.map((t) => [t]))('reads %j alike with its whitespace made single spaces first', (text) => {
    const spaced = text.replace(/\s+/g, ' ');
    expect(statusOfWord(text)).toBe(statusOfWord(spaced));
    expect(trendOfWord(text)).toBe(trendOfWord(spaced));
    expect(polarityFromPhrase(text)).toBe(polarityFromPhrase(spaced));
    expect(isValueHeader(text)).toBe(isValueHeader(spaced));
  });

  it.each([
    ['Green*', 'green'], ['Red\u00a0†', 'red'], ['  target\n not   met ', 'red'], ['N/A', 'none'], ['Greenish', undefined], ['', undefined],
  ] as const)('reads the published status %j as %s', (text, status) => {
    expect(statusOfWord(text)).toBe(status);
  });

  it.each([['Improved.', 'improving'], ['No\tchange', 'stable'], ['Worse  than 2023/24.', 'worsening'], ['Improved..', undefined]] as const)(
    'reads the published trend %j as %s', (text, trend) => {
      expect(trendOfWord(text)).toBe(trend);
    },
  );

  it.each([['Higher\u00a0is better.', 'higher'], [' Smaller  is better ', 'lower'], ['Within range', 'range'], ['Higher is better..', undefined]] as const)(
    'reads the Polarity cell %j as %s', (text, polarity) => {
      expect(polarityFromPhrase(text)).toBe(polarity);
    },
  );
});

describe('the value words', () => {
  it.each(VALUE_WORDS.map((w) => [w.example, w.pattern] as const))(
    'are written case-insensitive and capturing nothing (as %j\'s), so that they are tested as one pattern',
    (_example, pattern) => {
      expect(pattern.flags).toBe('i');
      expect(new RegExp(`${pattern.source}|`).exec('')?.length).toBe(1);
    },
  );

  it.each([
    'Result', 'ACTUALS', 'latest', 'Performance to March 2002', 'Actual to date', 'outturn  to\tend Dec', ' Value ', 'Position to date 2024',
    'Results to', 'Value 2024', 'Actual to', 'Target', 'Performance to Smarch', '',
  ].map((t) => [t]))('reads %j as any one value word reads it', (header) => {
    const h = header.replace(/\s+/g, ' ').trim();
    expect(isValueHeader(header)).toBe(VALUE_WORDS.some((w) => w.pattern.test(h)));
  });
});
