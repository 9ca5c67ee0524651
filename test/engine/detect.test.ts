import { detectTables, evaluateWorkbook } from '../../src/engine';
import { grid } from '../support/grid';

const kpi = (title: string): string[][] => [
  [title],
  ['Performance Measure', 'Target', '2015/16', '2016/17'],
  ['Reduce complaints', '<50', '61', '48'],
  ['Satisfaction with services', '80%', '76%', '82%'],
];

describe('detectTables', () => {
  it('finds two tables side by side, separated by a blank column, each with its title', () => {
    const left = kpi('North');
    const right = kpi('South');
    const rows = left.map((r, i) => [...r, ...Array<string>(4 - r.length).fill(''), '', ...(right[i] ?? [])]);
    const { tables } = detectTables(grid(rows));
    expect(tables.map((t) => [t.title, t.range, t.kind])).toEqual([['North', 'A2:D4', 'kpi'], ['South', 'F2:I4', 'kpi']]);
  });

  it('finds tables one under another, separated by blank rows, with a title line above after a gap', () => {
    const rows = [...kpi('First'), [], ['Second'], [], ...kpi('').slice(1)];
    const { tables } = detectTables(grid(rows));
    expect(tables.map((t) => t.title)).toEqual(['First', 'Second']);
  });

  it('reads a header over two rows where a merged group label stands over its periods', () => {
    const { tables } = detectTables(grid([
      ['Measure', 'Target 2016/17', 'Outturn', '', 'Narrative'],
      ['', '', '2015/16', 'Q2'],
      ['Reduce the number of late payments', '<5%', '6.1%', '5.2%', 'Improving as the new system beds in over the year'],
    ]));
    const cols = tables[0]?.columns.map((c) => [c.letter, c.role, c.period?.label ?? null]);
    expect(cols).toEqual([['A', 'measure', null], ['B', 'target', '2016/17'], ['C', 'period', '2015/16'], ['D', 'period', 'Q2 2016/17'], ['E', 'narrative', null]]);
  });

  it('continues a table across a blank line when the rows below have the same columns and no header', () => {
    const { tables } = detectTables(grid([
      ['Performance Measure', 'Q1', 'Target'],
      ['Reduce waiting times', '12', '10'],
      [],
      ['Increase satisfaction', '70%', '75%'],
    ]));
    expect(tables).toHaveLength(1);
    expect(tables[0]?.dataRows).toEqual([1, 3]);
  });

  it('leaves a section heading inside a table out of its rows', () => {
    const { tables } = detectTables(grid([
      ['Measure', 'Target', '2016/17'],
      ['Education'],
      ['Improve attendance', '95%', '94%'],
    ]));
    expect(tables[0]?.dataRows).toEqual([2]);
  });

  it('skips a plan whose month columns hold text, with a reason', () => {
    const { tables, skipped } = detectTables(grid([
      ['Plan'],
      ['', 'Apr-16', 'May-16', 'Jun-16'],
      ['Recommission short breaks', 'Engagement', '', 'Tender'],
      ['Single assessment', '', 'Go live', ''],
    ]));
    expect(tables).toEqual([]);
    expect(skipped).toEqual([expect.objectContaining({ title: 'Plan', reason: expect.stringMatching(/plan or timetable/) })]);
  });

  it('tells a monthly series (no target) from a KPI table', () => {
    const { tables } = detectTables(grid([
      ['', 'Jan-17', 'Feb-17', 'Mar-17'],
      ['Headcount', '348', '348', '347'],
    ]));
    expect(tables[0]?.kind).toBe('timeseries');
  });

  it('recognises a risk register by its rating columns', () => {
    const { tables } = detectTables(grid([
      ['Ref', 'Risk Description', 'Inherent risk score', 'Controls', 'Residual risk score'],
      ['R1', 'Placement costs rise beyond the budget', '20', 'Weekly panel', '15'],
    ]));
    expect(tables[0]?.kind).toBe('risk');
    expect(tables[0]?.columns.map((c) => c.role)).toEqual(['reference', 'measure', 'risk-before', 'risk-controls', 'risk-after']);
  });

  it.each([
    ['Over/(Under)spend', 'over-positive'],
    ['Variance Adv/(Fav)', 'over-positive'],
    ['(Over)/Under spend', 'under-positive'],
    ['Variance (favourable)/adverse', 'over-positive'],
    ['Variance (Adverse)/Favourable', 'under-positive'],
  ])('reads the sign convention of a budget variance header "%s" as %s', (header, convention) => {
    const { tables } = detectTables(grid([
      ['Service', 'Budget', 'Forecast', header],
      ['Libraries', '100', '110', '10'],
    ]));
    expect(tables[0]?.kind).toBe('budget');
    expect(tables[0]?.columns.find((c) => c.role === 'variance')?.signConvention).toBe(convention);
  });

  it('reads a typed date header (Dec-15 as a date serial with mmm-yy) as a month', () => {
    const { tables } = detectTables({ sheets: [{ name: 'S', rows: [
      [undefined, { value: 42339, numberFormat: 'mmm-yy', text: 'Dec-15' }, { value: 42370, numberFormat: 'mmm-yy', text: 'Jan-16' }, { value: 42401, numberFormat: 'mmm-yy', text: 'Feb-16' }],
      [{ value: 'FTE', text: 'FTE' }, { value: 319, text: '319' }, { value: 316, text: '316' }, { value: 319, text: '319' }],
    ] }] });
    expect(tables[0]?.columns.slice(1).map((c) => c.period?.kind)).toEqual(['month', 'month', 'month']);
  });
});

describe('budget checks', () => {
  const budget = (rows: string[][]) => evaluateWorkbook(grid([['Service', 'Net Budget £000\'s', 'Forecast Outturn £000\'s', 'Projected Over/(Under)spend £000\'s', 'January Over/(Under)spend £000\'s', 'Movement in Variance Adv/(Fav) £000\'s'], ...rows])).tables[0];

  it('flags a published variance that is not forecast − budget', () => {
    const row = budget([['Fieldwork', '2,536', '2,321', '(205)', '(32)', '(173)']])?.rows[0];
    expect(row?.findings.map((f) => [f.code, f.cell])).toEqual([['variance-mismatch', 'D2'], ['movement-mismatch', 'F2']]);
    expect(row?.findings[0]?.message).toBe('Published variance -205 ≠ forecast − budget = 2,321 − 2,536 = -215');
  });

  it('flags a subtotal that is not the sum of its lines, on the column that does not add up', () => {
    const t = budget([
      ['Additional Needs', '2,749', '2,465', '(284)', '(389)', '105'],
      ['Children\'s Commissioning', '1,629', '1,497', '(132)', '(239)', '107'],
      ['Education total', '4,378', '3,972', '(406)', '(628)', '222'],
    ]);
    // The forecast does not add up; the variance and movement printed from it do not either.
    expect(t?.rows[2]?.findings.map((f) => [f.code, f.cell])).toEqual([['subtotal-mismatch', 'C4'], ['subtotal-mismatch', 'D4'], ['subtotal-mismatch', 'F4']]);
    expect(t?.rows[2]?.findings[0]?.message).toMatch(/^Forecast Outturn £000's 3,972 ≠ sum of 2 lines \(Additional Needs … Children's Commissioning\) = 3,962$/);
  });

  it('judges spend against budget (lower is better) and trends by the movement of the variance', () => {
    const t = budget([['Looked After Children', '10,370', '11,801', '1,431', '1,298', '133']]);
    expect(t?.rows[0]).toEqual(expect.objectContaining({ status: 'red', trend: 'worsening', variance: 1431 }));
    expect(t?.rows[0]?.polarity).toEqual(expect.objectContaining({ polarity: 'lower', source: 'budget' }));
  });

  it('reads a variance printed with brackets for overspend the other way round', () => {
    const t = evaluateWorkbook(grid([
      ['Service', 'Budget', 'Forecast', '(Over)/Under spend', 'Previous (Over)/Under'],
      ['Libraries', '100', '104', '(4)', '2'],
    ])).tables[0];
    expect(t?.rows[0]?.budget).toEqual(expect.objectContaining({ publishedVariance: 4, priorVariance: -2 }));
    expect(t?.rows[0]?.trend).toBe('worsening');
    expect(t?.rows[0]?.findings).toEqual([]);
  });
});

describe('row evaluation', () => {
  it('takes a row\'s amber band from a Tolerance column', () => {
    const t = evaluateWorkbook(grid([
      ['Measure', 'Target', 'Tolerance', '2016/17'],
      ['Increase satisfaction', '80%', '10%', '73%'],
      ['Increase take-up', '80%', '', '73%'],
    ])).tables[0];
    expect(t?.rows.map((r) => r.status)).toEqual(['amber', 'red']);
  });

  it('flags a Polarity column that contradicts the target\'s comparator, and follows the column', () => {
    const t = evaluateWorkbook(grid([
      ['Measure', 'Target', '2016/17', 'Polarity'],
      ['Response times', '<10', '8', 'Greater is better'],
    ])).tables[0];
    expect(t?.rows[0]?.polarity.polarity).toBe('higher');
    expect(t?.rows[0]?.findings.map((f) => f.code)).toContain('polarity-conflict');
  });

  it('reads a 20% reduction against the previous year\'s outturn', () => {
    const t = evaluateWorkbook(grid([
      ['Measure', 'Target 2016/17', '2015/16', '2016/17'],
      ['% of families referred to higher levels of need', '20% reduction', '6.0%', '4.9%'],
    ])).tables[0];
    expect(t?.rows[0]?.target.interval?.max).toBeCloseTo(0.048, 10);
    expect(t?.rows[0]?.target.readable).toBe('≤ 4.80% (20% reduction on 2015/16)');
    expect(t?.rows[0]?.status).toBe('amber');
  });

  it('does not count a suppressed "<5" as a value, and says so', () => {
    const t = evaluateWorkbook(grid([
      ['Measure', 'Target', '2015/16', '2016/17'],
      ['Number of exclusions', '10', '12', '<5'],
    ])).tables[0];
    expect(t?.rows[0]?.latest?.value.value).toBe(12);
    expect(t?.rows[0]?.findings.map((f) => f.code)).toContain('suppressed-value');
  });

  it('gives a direction-conflict only against the table\'s majority arrow convention (▲ = increasing here)', () => {
    const t = evaluateWorkbook(grid([
      ['Measure', 'Target', '2015/16', '2016/17', 'Polarity', 'DoT'],
      ['Reduce delayed transfers', '<10', '12', '9', 'Lower is better', '▼'],
      ['Reduce complaints', '<50', '61', '48', 'Lower is better', '▼'],
      ['Increase satisfaction', '80%', '76%', '82%', 'Greater is better', '▲'],
      ['Reduce missed bins', '<100', '90', '95', 'Lower is better', '▼'],
    ])).tables[0];
    expect(t?.arrowConvention).toBe('increasing');
    expect(t?.rows.map((r) => r.findings.filter((f) => f.code === 'direction-conflict').map((f) => f.cell))).toEqual([[], [], [], ['F5']]);
  });
});

describe('figure columns need figures', () => {
  it('does not take a "Budget Holder" column of names for the budget', () => {
    const t = evaluateWorkbook(grid([
      ['Service', 'Budget Holder', 'Net Budget', 'Forecast'],
      ['Libraries', 'J. Smith', '100', '96'],
    ])).tables[0];
    expect(t?.table.columns.map((c) => c.role)).toEqual(['measure', 'other', 'budget', 'forecast']);
    expect(t?.rows[0]?.status).toBe('green');
  });

  it('takes the first of two month-named variance columns as the current one', () => {
    const t = evaluateWorkbook(grid([
      ['Service', 'Budget', 'Forecast', 'Variance at 31 March Over/(Under)', 'Variance at Month 6 Over/(Under)'],
      ['Libraries', '1,000', '1,100', '100', '20'],
    ])).tables[0];
    expect(t?.table.columns.map((c) => c.role)).toEqual(['measure', 'budget', 'forecast', 'variance', 'prior-variance']);
    expect(t?.rows[0]?.trend).toBe('worsening');
  });
});

describe('targets that take their side from the row', () => {
  it('reads "better than 2015/16" on a lower-is-better measure as below last year', () => {
    const t = evaluateWorkbook(grid([
      ['Measure', 'Target', '2015/16', '2016/17', 'Polarity'],
      ['Days lost to sickness per FTE', 'better than 2015/16', '9.1', '8.5', 'Lower is better'],
      ['Satisfaction with libraries', 'better than 2015/16', '71%', '74%', ''],
      ['Library visits per head', 'better than 2015/16', '4.1', '4.3', ''],
    ])).tables[0];
    expect(t?.rows.map((r) => [r.polarity.polarity, r.status, r.trend])).toEqual([
      ['lower', 'green', 'improving'], ['higher', 'green', 'improving'], ['higher', 'green', 'improving'],
    ]);
    expect(t?.rows[0]?.target.interval).toEqual(expect.objectContaining({ min: null, max: 9.1, maxInclusive: false }));
    // Nothing says which way library visits should go: judged higher-is-better, marked assumed, with a finding.
    expect(t?.rows[2]?.polarity.source).toBe('assumed');
    expect(t?.rows[2]?.target.readable).toMatch(/\(assumed\)$/);
    expect(t?.rows[2]?.findings.map((f) => f.code)).toContain('polarity-assumed');
  });

  it('says a budget line with no forecast has no forecast', () => {
    const t = evaluateWorkbook(grid([
      ['Service', 'Budget', 'Forecast'],
      ['Libraries', '100', '96'],
      ['Museums', '50', ''],
    ])).tables[0];
    expect(t?.rows[1]).toEqual(expect.objectContaining({ status: 'none', statusReason: 'No status: no forecast' }));
  });
});

describe('a bare target over percentages', () => {
  it('reads "85" as 85% when every value of the row is a percentage, and says so', () => {
    const t = evaluateWorkbook(grid([
      ['Measure', 'Target', '2015/16', '2016/17', 'Polarity'],
      ['% of calls answered', '85', '80%', '90%', 'Greater is better'],
    ])).tables[0];
    const row = t?.rows[0];
    expect(row?.target.interval).toEqual(expect.objectContaining({ min: 0.85, unit: 'percent' }));
    expect([row?.status, row?.trend]).toEqual(['green', 'improving']);
    expect(row?.findings.map((f) => [f.code, f.cell])).toEqual([['unit-assumed', 'B2']]);
  });
});

describe('tables broken by blank lines', () => {
  it('continues a budget table across a blank line and a section heading', () => {
    const { tables, skipped } = detectTables(grid([
      ['Service', 'Net Budget', 'Forecast Outturn'],
      ['Additional Needs', '2,749', '2,465'],
      [],
      ['Children\'s Services'],
      ['Fieldwork', '2,536', '2,321'],
      ['Looked After Children', '10,370', '11,801'],
    ]));
    expect(skipped).toEqual([]);
    expect(tables.map((t) => [t.kind, t.dataRows])).toEqual([['budget', [1, 4, 5]]]);
  });
});
