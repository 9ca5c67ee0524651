import { labelledNumberMatches } from '../../src/engine/patterns';
import { labelledNumbers } from '../../src/engine/value';

describe('numbers labelled inside a longer text', () => {
  it('finds each "label = number", the label running back to the last delimiter or match', () => {
    expect(labelledNumberMatches('FSM pupils Att8 = 39.6 All other pupils Att8 = 50.0: Attainment GAP = 10.4')).toEqual([
      { label: 'FSM pupils Att8', num: '39.6 ' },
      { label: 'All other pupils Att8', num: '50.0' },
      { label: ' Attainment GAP', num: '10.4' },
    ]);
    expect(labelledNumberMatches('published 3,296 but 7,690 - 4,393 = 3,297 (rounding)')).toEqual([{ label: '393', num: '3,297 ' }]);
    expect(labelledNumberMatches('rate = -12.5 %; count=7')).toEqual([{ label: 'rate', num: '-12.5 %' }, { label: ' count', num: '7' }]);
  });

  it('finds nothing where the "=" has no label or no number after it', () => {
    expect(labelledNumberMatches('= 5')).toEqual([]);
    expect(labelledNumberMatches('(=5)')).toEqual([]);
    expect(labelledNumberMatches('total = n/a, rate = x')).toEqual([]);
    expect(labelledNumberMatches('no equals sign at all, 12.5%')).toEqual([]);
  });

  it('keeps one character of a label of spaces, which the reading then drops', () => {
    expect(labelledNumberMatches(':  = 4')).toEqual([{ label: ' ', num: '4' }]);
    expect(labelledNumbers(':  = 4')).toEqual([expect.objectContaining({ label: null })]);
  });

  it('reads a page of narrative in one pass, and still finds a number labelled at its end', () => {
    // A lazy label tried from every start read on to the end of the text from each: minutes for a text this long.
    const page = `${'Narrative of the quarter, with no figure in it. '.repeat(4_000)}Attainment GAP = 10.4`;
    expect(labelledNumberMatches(page)).toEqual([{ label: ' with no figure in it. Attainment GAP', num: '10.4' }]);
    expect(labelledNumberMatches('Narrative of the quarter. '.repeat(8_000))).toEqual([]);
  });
});
