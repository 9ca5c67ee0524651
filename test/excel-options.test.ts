import { DEFAULT_OPTIONS, parseOptions, toRefreshOptions } from '../src/excel/settings';

describe('stored options, read through their schema', () => {
  it('keeps what parses and falls back field by field, dropping only the override that does not parse', () => {
    const options = parseOptions(JSON.stringify({
      amber: { kind: 'absolute', value: 2 }, green: { kind: 'relative', value: -1 }, palette: 'neon',
      overrides: [{ sheet: 'KPIs', targetColumn: 'c', rowPolarity: { 12: 'lower', x: 'lower', 13: 'sideways' } }, { range: 'A1:B2' }, 'junk'],
    }));
    expect(options).toEqual({
      ...DEFAULT_OPTIONS, amber: { kind: 'absolute', value: 2 },
      overrides: [{ sheet: 'KPIs', targetColumn: 'C', rowPolarity: { 12: 'lower' } }],
    });
  });

  it('gives the defaults for text that is not JSON, or JSON that is not an object', () => {
    expect(parseOptions('not json {')).toEqual(DEFAULT_OPTIONS);
    expect(parseOptions('[1, 2]')).toEqual(DEFAULT_OPTIONS);
  });

  it('passes bands chosen in the pane on as chosen, so that they override a key printed on the sheet', () => {
    expect(toRefreshOptions(DEFAULT_OPTIONS).settings?.tolerancesChosen).toBeUndefined();
    expect(toRefreshOptions({ ...DEFAULT_OPTIONS, tolerancesChosen: true }).settings?.tolerancesChosen).toBe(true);
    expect(parseOptions({ tolerancesChosen: true }).tolerancesChosen).toBe(true);
  });

  it.each<[string, unknown, boolean]>([
    ['off when nothing is stored', {}, false],
    ['on once ticked', { fitToWidth: true }, true],
    ['off when ticked off again', { fitToWidth: false }, false],
    ['off when what is stored is not a yes or no', { fitToWidth: 'yes' }, false],
  ])('reads "Fit to page width" %s, keeping the other options', (_, stored, on) => {
    const options = parseOptions(JSON.stringify({ ...(stored as object), palette: 'colour-blind' }));
    expect(options).toEqual({ ...DEFAULT_OPTIONS, palette: 'colour-blind', fitToWidth: on });
    expect(parseOptions(JSON.stringify(options))).toEqual(options);
  });
});
