import { ColumnRole, detectTables, PeriodKind, TableKind } from '../../src/engine';
import { budgetDetection } from '../../src/engine/rules/kinds/budget';
import { KindDetection, Recognition, TABLE_KINDS, TableEvidence } from '../../src/engine/rules/kinds';
import { kpiDetection, seriesDetection } from '../../src/engine/rules/kinds/period';
import { ratingsDetection } from '../../src/engine/rules/kinds/ratings';
import { riskDetection } from '../../src/engine/rules/kinds/risk';
import { grid, GridRow } from '../support/grid';

/** A table each kind recognises, with the recognition it earns. */
const SAMPLES: ReadonlyArray<readonly [string, TableKind, readonly GridRow[], Recognition]> = [
  ['a KPI table with a target and two years', 'kpi', [
    ['Performance Measure', 'Target', '2015/16', '2016/17'],
    ['Reduce complaints', '<50', '61', '48'],
  ], { confidence: 0.9 }],
  ['a KPI table of one value per area under a target', 'kpi', [
    ['Indicator', 'Target', 'North', 'South'],
    ['Missed bin collections', '<50', '61', '48'],
  ], { confidence: 0.9 }],
  ['a monthly series with no target', 'timeseries', [
    ['', 'Jan-17', 'Feb-17', 'Mar-17'],
    ['Headcount', '348', '348', '347'],
  ], { confidence: 0.9 }],
  ['a budget with a forecast and a variance', 'budget', [
    ['Service', 'Budget', 'Forecast', 'Over/(Under)spend'],
    ['Libraries', '100', '110', '10'],
  ], { confidence: 0.95 }],
  ['a table of variances only', 'budget', [
    ['Service', 'Variance £000'],
    ['Libraries', '(12)'],
    ['Parks', '30'],
  ], { varianceOnly: true, confidence: 0.7 }],
  ['a headerless list of figures under a budget title', 'budget', [
    ['Forecast over/(under)spend'],
    ['Libraries', '(12)'],
    ['Parks', '30'],
  ], { varianceOnly: true, confidence: 0.6 }],
  ['a risk register rated before and after controls', 'risk', [
    ['Ref', 'Risk Description', 'Inherent risk score', 'Controls', 'Residual risk score'],
    ['R1', 'Placement costs rise beyond the budget', '20', 'Weekly panel', '15'],
  ], { confidence: 0.9 }],
  ['a grid of ratings per year', 'ratings', [
    ['Measure', '2014/15', '2015/16', '2016/17'],
    ['School attendance', 'Green', 'Amber', 'Amber'],
    ['Exclusions', 'Red', 'Amber', 'Green'],
  ], { confidence: 0.8 }],
];

/** A programme plan: month columns of milestones, which no kind takes. */
const PLAN: readonly GridRow[] = [
  ['Programme plan'],
  ['Workstream', 'Apr-16', 'May-16', 'Jun-16', 'Lead'],
  ['Recommission short breaks', 'Engagement', '', 'Tender', 'Head of Commissioning'],
  ['Single assessment', '', 'Go live', '', 'Service Manager'],
];

/** Evidence as detection gathers it, from the roles of a table's columns and its period columns. */
function evidence(roles: readonly ColumnRole[], options: { periods?: readonly PeriodKind[]; headerText?: string; figureShare?: number; ratingShare?: number } = {}): TableEvidence {
  const periods = options.periods ?? [];
  return {
    headerText: options.headerText ?? '',
    has: (role) => roles.includes(role) || (role === 'period' && periods.length > 0),
    periods,
    figureShare: options.figureShare ?? (periods.length > 0 ? 1 : 0),
    ratingShare: options.ratingShare ?? 0,
  };
}

describe('table kinds', () => {
  it('declares each kind in its own module and tries them in order: risk, budget, ratings, series, KPI', () => {
    expect(TABLE_KINDS).toEqual([riskDetection, budgetDetection, ratingsDetection, seriesDetection, kpiDetection]);
    expect(TABLE_KINDS.map((k) => k.kind)).toEqual(['risk', 'budget', 'ratings', 'timeseries', 'kpi']);
  });

  it('has a sample table for every kind', () => {
    expect(new Set(SAMPLES.map(([, kind]) => kind))).toEqual(new Set(TABLE_KINDS.map((k) => k.kind)));
  });

  it.each(SAMPLES)('recognises %s as %s', (_name, kind, rows, recognition) => {
    const { tables, skipped } = detectTables(grid(rows));
    expect(skipped).toEqual([]);
    expect(tables).toHaveLength(1);
    expect({ kind: tables[0]?.kind, varianceOnly: tables[0]?.varianceOnly, confidence: tables[0]?.confidence })
      .toEqual({ kind, varianceOnly: recognition.varianceOnly, confidence: recognition.confidence });
  });

  it('takes a table two kinds would both recognise as the earlier kind (a risk register with a target column)', () => {
    const rows = [
      ['Risk', 'Target score', 'Inherent risk score', 'Residual risk score'],
      ['Placement costs rise beyond the budget', '8', '20', '15'],
    ];
    const both = evidence(['measure', 'target', 'risk-before', 'risk-after'], { headerText: rows[0]?.join(' ').toLowerCase() });
    expect(riskDetection.recognise(both)).toEqual({ confidence: 0.9 });
    expect(kpiDetection.recognise(both)).toEqual({ confidence: 0.6 });
    expect(detectTables(grid(rows)).tables[0]?.kind).toBe('risk');
  });
});

describe('each kind recognises its own evidence', () => {
  const cases: ReadonlyArray<readonly [string, KindDetection<string>, TableEvidence, Recognition | undefined]> = [
    ['risk ratings before and after under a risk header', riskDetection, evidence(['measure', 'risk-before', 'risk-after'], { headerText: 'risk inherent score residual score' }), { confidence: 0.9 }],
    ['one risk rating under a risk header', riskDetection, evidence(['measure', 'risk-after'], { headerText: 'risk residual score' }), { confidence: 0.7 }],
    ['ratings with no risk header', riskDetection, evidence(['measure', 'risk-after'], { headerText: 'service current rating' }), undefined],
    ['a budget, a forecast and a variance', budgetDetection, evidence(['measure', 'budget', 'forecast', 'variance']), { confidence: 0.95 }],
    ['a budget and a forecast', budgetDetection, evidence(['measure', 'budget', 'forecast']), { confidence: 0.8 }],
    ['variances alone', budgetDetection, evidence(['measure', 'variance']), { varianceOnly: true, confidence: 0.7 }],
    ['a variance from a target', budgetDetection, evidence(['measure', 'target', 'variance']), undefined],
    ['two periods of ratings', ratingsDetection, evidence(['measure'], { periods: ['year', 'year'], figureShare: 0, ratingShare: 1 }), { confidence: 0.8 }],
    ['one period of ratings', ratingsDetection, evidence(['measure'], { periods: ['year'], figureShare: 0, ratingShare: 1 }), undefined],
    ['three months with no target', seriesDetection, evidence(['measure'], { periods: ['month', 'month', 'month'] }), { confidence: 0.9 }],
    ['months and quarters with no target', seriesDetection, evidence(['measure'], { periods: ['month', 'month', 'quarter'] }), { confidence: 0.75 }],
    ['three months with a target', seriesDetection, evidence(['measure', 'target'], { periods: ['month', 'month', 'month'] }), undefined],
    ['years', seriesDetection, evidence(['measure'], { periods: ['year', 'year', 'year'] }), undefined],
    ['a target and periods of figures', kpiDetection, evidence(['measure', 'target'], { periods: ['year'] }), { confidence: 0.9 }],
    ['periods of figures with no target', kpiDetection, evidence(['measure'], { periods: ['year', 'year'] }), { confidence: 0.6 }],
    ['a target with nothing to judge against it', kpiDetection, evidence(['measure', 'target']), { confidence: 0.6 }],
    ['words alone', kpiDetection, evidence(['measure', 'narrative']), undefined],
  ];

  it.each(cases.map(([name, kind, table, expected]) => ({ name, kind, table, expected, verdict: expected === undefined ? 'leaves' : 'takes', of: kind.kind })))(
    '$of $verdict $name',
    ({ kind, table, expected }) => {
      expect(kind.recognise(table)).toEqual(expected);
    },
  );
});

describe('column hints of a kind', () => {
  it('reads an "Actual" column as the spend in a table with a budget header, and as the value in a KPI table', () => {
    const budget = detectTables(grid([['Service', 'Budget', 'Actual', 'Variance'], ['Libraries', '100', '110', '10']])).tables[0];
    const kpi = detectTables(grid([['Measure', 'Target', 'Actual'], ['Reduce complaints', '<50', '48']])).tables[0];
    expect(budget?.columns.map((c) => c.role)).toEqual(['measure', 'budget', 'forecast', 'variance']);
    expect(kpi?.columns.map((c) => c.role)).toEqual(['measure', 'target', 'value']);
  });

  it('reads ratings under a period header as a period of a grid, and under a "Status" header as the status', () => {
    const ratings = detectTables(grid([['Measure', '2015/16', '2016/17'], ['Attendance', 'Green', 'Amber'], ['Exclusions', 'Red', 'Amber']])).tables[0];
    const status = detectTables(grid([['Measure', 'Target', '2016/17', 'Status'], ['Attendance', '95%', '94%', 'Amber'], ['Exclusions', '<10', '8', 'Green']])).tables[0];
    expect(ratings?.columns.map((c) => c.role)).toEqual(['measure', 'period', 'period']);
    expect(status?.columns.map((c) => c.role)).toEqual(['measure', 'target', 'period', 'status']);
  });

  it('keeps area columns beside a target as values in a KPI table, but not where a header names a budget', () => {
    const kpi = detectTables(grid([['Indicator', 'Target', 'North', 'South'], ['Missed bins', '<50', '61', '48']])).tables[0];
    const budget = detectTables(grid([['Service', 'Budget', 'Target', 'North', 'South'], ['Libraries', '100', '90', '61', '48']])).tables[0];
    expect(kpi?.columns.map((c) => c.role)).toEqual(['measure', 'target', 'value', 'value']);
    expect(budget?.columns.map((c) => c.role)).toEqual(['measure', 'budget', 'target', 'other', 'other']);
  });

  it.each(TABLE_KINDS.filter((k) => k.headerWords !== undefined).map((k) => [k.kind, k.headerWords as RegExp] as const))(
    'writes the header words of %s tables case-insensitive and capturing nothing, so that they are tested as one pattern with the others',
    (_kind, words) => {
      expect(words.flags).toBe('i');
      expect(new RegExp(`${words.source}|`).exec('')?.length).toBe(1);
    },
  );
});

describe('rejects', () => {
  it('recognises a programme plan as no kind, and says it reads as a plan', () => {
    const { tables, skipped } = detectTables(grid(PLAN));
    expect(tables).toEqual([]);
    expect(skipped).toEqual([expect.objectContaining({ title: 'Programme plan', reason: expect.stringMatching(/plan or timetable/) })]);
  });

  it('finds no kind that takes month columns holding text', () => {
    const plan = evidence(['measure', 'other'], { periods: ['month', 'month', 'month'], figureShare: 0, ratingShare: 0 });
    expect(TABLE_KINDS.map((k) => k.recognise(plan))).toEqual(TABLE_KINDS.map(() => undefined));
  });

  it('leaves a headerless list under a title that no kind reads', () => {
    const { tables, skipped } = detectTables(grid([['Staff in post'], ['North', '12'], ['South', '14']]));
    expect(tables).toEqual([]);
    expect(skipped).toEqual([expect.objectContaining({ reason: 'No header row: the columns cannot be told apart' })]);
  });
});
