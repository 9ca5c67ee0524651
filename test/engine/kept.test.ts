import { keptReadings } from '../../src/engine/kept';

describe('readings kept for the texts seen last', () => {
  it('reads a text once while it is kept, null readings included, and reads again once the store has filled', () => {
    const read = jest.fn((text: string) => (text === 'N/A' ? null : text.length));
    const kept = keptReadings(read, 2);
    expect([kept('N/A'), kept('N/A'), kept('17%'), kept('17%')]).toEqual([null, null, 3, 3]);
    expect(read).toHaveBeenCalledTimes(2);
    // A third text empties the store (it held two): the first is read again.
    expect(kept('TBC')).toBe(3);
    expect(kept('N/A')).toBeNull();
    expect(read).toHaveBeenCalledTimes(4);
  });
});
