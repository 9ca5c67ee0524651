import { parseTolerance } from '../src/taskpane/overrides';

describe('bands typed in the pane', () => {
  it.each([
    [{ amount: '5', kind: 'relative' as const }, { kind: 'relative', value: 0.05 }],
    [{ amount: '7.5%', kind: 'relative' as const }, { kind: 'relative', value: 0.075 }],
    [{ amount: '2', kind: 'absolute' as const }, { kind: 'absolute', value: 2 }],
    [{ amount: '1,000', kind: 'absolute' as const }, { kind: 'absolute', value: 1000 }],
  ])('reads %j as the engine reads a Tolerance column', (input, tolerance) => {
    expect(parseTolerance(input)).toEqual(tolerance);
  });

  it.each([
    { amount: 'lots', kind: 'relative' as const },
    { amount: '120', kind: 'relative' as const },
    { amount: '-3', kind: 'absolute' as const },
    { amount: '', kind: 'absolute' as const },
  ])('refuses %j', (input) => {
    expect(parseTolerance(input)).toBeUndefined();
  });
});
