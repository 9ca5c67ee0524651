import { ConditionalRule, MAX_RULE_ADDRESS, moveFormulaRows, rangeRects, ruleOver, shareStackedRules, splitRule } from '../../src/engine';

const rule = (range: string, formula: string, priority: number, fill = 'C6EFCE', sheet = 'Report'): ConditionalRule => ({
  sheet, range, formula, fill, fontColor: '006100', priority, stopIfTrue: true,
});

describe('rules shared by stacked tables', () => {
  it('moves only the relative rows of the cells a rule reads', () => {
    expect(moveFormulaRows('=$AD8=1', 17)).toBe('=$AD25=1');
    expect(moveFormulaRows('=$AD25>=4', -17)).toBe('=$AD8>=4');
    expect(moveFormulaRows('=AND($A3=1,$B$2=2)', 2)).toBe('=AND($A5=1,$B$2=2)');
    expect(moveFormulaRows('=$A3=1', 0)).toBe('=$A3=1');
  });

  it('merges the same test in the same columns into one rule over the areas, top first, read from the first area', () => {
    const rules = [
      rule('W25:W32', '=$AD25=1', 1), rule('W25:W32', '=$AD25=2', 2, 'FFEB9C'),
      rule('W8:W12', '=$AD8=1', 3), rule('W8:W12', '=$AD8=2', 4, 'FFEB9C'),
      // Another column, another sheet, another colour: each its own rule.
      rule('Z8:Z12', '=$AD8=1', 5), rule('W8:W12', '=$AD8=1', 6, 'C6EFCE', 'Other'), rule('W40:W41', '=$AD40=1', 7, 'FFC7CE'),
    ];
    expect(shareStackedRules(rules)).toEqual([
      rule('W8:W12 W25:W32', '=$AD8=1', 1), rule('W8:W12 W25:W32', '=$AD8=2', 2, 'FFEB9C'),
      rule('Z8:Z12', '=$AD8=1', 3), rule('W8:W12', '=$AD8=1', 4, 'C6EFCE', 'Other'), rule('W40:W41', '=$AD40=1', 5, 'FFC7CE'),
    ]);
  });

  it('does not merge tests that read different relative cells', () => {
    const shared = shareStackedRules([rule('W8:W12', '=$AD8=1', 1), rule('W25:W32', '=$AD26=1', 2)]);
    expect(shared.map((r) => r.range)).toEqual(['W8:W12', 'W25:W32']);
  });

  it(`keeps each shared rule's address within ${MAX_RULE_ADDRESS} characters, every area in exactly one rule`, () => {
    const areas = Array.from({ length: 60 }, (_, i) => 10 + i * 30);
    const rules = areas.map((top, i) => rule(`X${top}:X${top + 20}`, `=$AE${top}=1`, i + 1));
    const shared = shareStackedRules(rules);
    expect(shared.length).toBeGreaterThan(1);
    expect(shared.length).toBeLessThan(10);
    for (const r of shared) {
      expect(r.range.length).toBeLessThanOrEqual(MAX_RULE_ADDRESS);
      const first = (rangeRects(r.sheet, r.range) ?? [])[0];
      expect(r.formula).toBe(`=$AE${(first?.top ?? 0) + 1}=1`);
    }
    const covered = shared.flatMap((r) => r.range.split(' '));
    expect(covered).toEqual(rules.map((r) => r.range));
    expect(shared.map((r) => r.priority)).toEqual(shared.map((_, i) => i + 1));
  });

  it('narrows a shared rule to some of its areas, written against the first one kept', () => {
    const shared = rule('T8:T12 T25:T32 T37:T38', '=$AD8=1', 4);
    expect(ruleOver(shared, (a) => a.top >= 20)).toEqual({ ...shared, range: 'T25:T32 T37:T38', formula: '=$AD25=1' });
    expect(ruleOver(shared, (a) => a.top === 36)).toEqual({ ...shared, range: 'T37:T38', formula: '=$AD37=1' });
    expect(ruleOver(shared, () => true)).toBe(shared);
    expect(ruleOver(shared, () => false)).toBeNull();
  });

  it('splits a shared rule into one rule per area for hosts that cannot add a rule to several areas', () => {
    const shared = rule('T8:T12 T25:T32', '=$AD8>=4', 2);
    expect(splitRule(shared)).toEqual([{ ...shared, range: 'T8:T12' }, { ...shared, range: 'T25:T32', formula: '=$AD25>=4' }]);
    expect(splitRule(rule('T8:T12', '=$AD8=1', 1))).toHaveLength(1);
  });
});
