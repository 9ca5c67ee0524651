import * as patterns from '../../src/engine/patterns';
import { named, namedWithPlainGroups, reflag, withoutNames } from '../../src/engine/regex';
import { MEASURE_COMPARATORS, SCALE_ROW, TOLERANCE_KEYS } from '../../src/engine/vocabulary';

describe('named groups for every webview', () => {
  it('rewrites named groups as plain ones and keeps the names in order, leaving classes, escapes and lookaheads alone', () => {
    expect(withoutNames(String.raw`^(?<a>\d+)(?:x)[(?<]\((?<b>y)(?!z)(c)`)).toEqual({ source: String.raw`^(\d+)(?:x)[(?<]\((y)(?!z)(c)`, names: ['a', 'b', null] });
  });

  const samples = ['(284)', '£240k', '88.0%', '13 ¹', '4.5% **', '29.87% (1574/5269) *Jan-Oct', '0.6 Years Interim', '173rd', '16 - 18', 'FSM Att8 = 39.6 All Att8 = 50.0',
    'Dec-15', 'April', 'Apr–Jun', 'Month 2', '22/23 Q1', 'FY21', '2016/17', 'Q3', 'H1', '20% reduction', '>2013/14', 'better than 2015/16', 'between 16 and 18',
    'at least 90%', '85% or above', 'Primary 88%', '95% (over next 3 years)', '5%', '2 pp', '100%+ of Rent Due', "£'000", 'Amber: within 10% of target',
    'No more than 20 per cent of calls', '$6.06B'];
  const compiled = [
    ...Object.entries(patterns).filter((e): e is [string, RegExp] => e[1] instanceof RegExp && 'namedSource' in e[1]),
    ['SCALE_ROW', SCALE_ROW] as [string, RegExp],
    ...TOLERANCE_KEYS.map((k, i) => [`TOLERANCE_KEYS[${i}]`, k.pattern] as [string, RegExp]),
    ...MEASURE_COMPARATORS.map((k, i) => [`MEASURE_COMPARATORS[${i}]`, k.pattern] as [string, RegExp]),
  ];

  it.each(compiled)('%s finds the same groups with plain groups as with named ones', (_name, pattern) => {
    const plain = namedWithPlainGroups((pattern as RegExp & { namedSource: string }).namedSource, pattern.flags.replace('g', ''));
    const native = new RegExp(pattern.source, pattern.flags.replace('g', ''));
    for (const text of samples) expect([text, plain.exec(text)?.groups ?? null]).toEqual([text, native.exec(text)?.groups ?? null]);
  });

  it('walks every match with its groups when re-made with the global flag', () => {
    const re = reflag(named(String.raw`(?<k>[a-z])=(?<v>\d)`), 'g');
    expect([...'a=1 b=2'.matchAll(re)].map((m) => m.groups)).toEqual([{ k: 'a', v: '1' }, { k: 'b', v: '2' }]);
    const plain = namedWithPlainGroups(String.raw`(?<k>[a-z])=(?<v>\d)`, 'g');
    expect([...'a=1 b=2'.matchAll(plain)].map((m) => ({ ...m.groups }))).toEqual([{ k: 'a', v: '1' }, { k: 'b', v: '2' }]);
  });
});
