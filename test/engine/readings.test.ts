import { DEFAULT_SETTINGS, detectTables, evaluateWorkbook, EvaluatedTable } from '../../src/engine';
import { grid, GridRow } from '../support/grid';

const table = (rows: readonly GridRow[], settings = DEFAULT_SETTINGS): EvaluatedTable => {
  const t = evaluateWorkbook(grid(rows), settings).tables[0];
  if (t === undefined) throw new Error('no table detected');
  return t;
};
const roles = (t: EvaluatedTable): string[] => t.table.columns.map((c) => c.role);
const codes = (t: EvaluatedTable, i = 0): string[] => t.rows[i]?.findings.map((f) => f.code) ?? [];

describe('budget tables as finance officers print them', () => {
  const capital: GridRow[] = [
    ['Council Overall Capital Budget Monitor'],
    [],
    ['CAPITAL SPENDING', 'ACTUAL TO DATE', '', '', 'YEAR END FORECAST'],
    ['All services for period to', 'Actual Spend', 'Programmed Spend', 'Over or (under) spend', 'Forecast Spend 2005/06', 'Programmed Spend 2005/06', 'Planned Rephasing to later years', 'NOTE'],
    ['Sep-05', "£'000", "£'000", "£'000", "£'000", "£'000", "£'000"],
    [],
    ['Highways', '1,491', '3,138', '(1,647)', '6,527', '6,536', '9', '1'],
    [],
    ['Leisure', '2,596', '4,728', '(2,132)', '8,038', '3,021', '(5,017)', '4'],
  ];

  it('reads a header over three rows in capitals, judges the year-end group and keeps the to-date group as context', () => {
    const t = table(capital);
    expect(t.table.kind).toBe('budget');
    expect(roles(t)).toEqual(['measure', 'forecast', 'budget', 'variance', 'forecast', 'budget', 'variance', 'narrative']);
    expect(t.table.columns.slice(1, 4).map((c) => c.group)).toEqual(['to-date', 'to-date', 'to-date']);
    expect(t.table.columns[4]?.scale).toEqual(expect.objectContaining({ factor: 1000, currency: '£' }));
    // Our variance is always forecast − budget, whatever the sheet's own convention ("rephasing" = budget − forecast).
    expect(t.rows.map((r) => r.variance)).toEqual([-9, 5017]);
    expect(t.rows.flatMap((r) => r.findings.map((f) => f.code))).toEqual([]);
  });

  it('infers a silent variance header\'s sign convention from the rows\' arithmetic and checks each row against it', () => {
    const t = table([
      ['Service', 'Budget', 'Forecast', 'Variance'],
      ['Libraries', '100', '110', '-10'],
      ['Museums', '200', '190', '10'],
      ['Parks', '350', '370', '-25'],
    ]);
    expect(t.rows.map((r) => r.variance)).toEqual([10, -10, 20]);
    expect(t.rows.map((r) => r.budget?.publishedVariance)).toEqual([10, -10, 25]);
    expect(codes(t, 0)).toEqual([]);
    expect(codes(t, 2)).toEqual(['variance-mismatch']);
  });

  it('reads a list of signed figures under a budget title, with no header, as the variances themselves', () => {
    const t = table([
      ['1. Outturn Forecast'],
      ['Police Officers', '-736'],
      ['New growth', '1682'],
      ['TOTAL', '- 946'],
    ]);
    expect(t.table).toEqual(expect.objectContaining({ kind: 'budget', varianceOnly: true }));
    expect(t.rows.map((r) => r.variance)).toEqual([-736, 1682, -946]);
    expect(t.rows[0]?.statusReason).toMatch(/variances only/);
  });

  it('reads "Underspend(-)/ Overspend(+)" as overspend positive in a table of variances only', () => {
    const t = table([
      ['Directorate', 'Underspend(-)/ Overspend(+) £m'],
      ['Learning & Culture', '- 0.221'],
      ['Resources', '0.244'],
    ]);
    expect(t.rows.map((r) => r.variance)).toEqual([-0.221, 0.244]);
  });

  it('reads a dash in a budget figure as nil', () => {
    const t = table([
      ['Service', 'Budget', 'Forecast Outturn', 'Forecast Variance'],
      ['Recovery measures', '-', '(511)', '(511)'],
    ]);
    expect(t.rows[0]?.variance).toBe(-511);
    expect(codes(t)).toEqual([]);
  });

  it('skips a list of figures with no header and no budget title, saying why', () => {
    const { tables, skipped } = detectTables(grid([['Libraries', '12'], ['Museums', '14']]));
    expect(tables).toEqual([]);
    expect(skipped[0]?.reason).toMatch(/No header row/);
  });
});

describe('periods relative to the report', () => {
  it('reads "This quarter" as latest and "Last quarter" as the one before, whatever their order', () => {
    const t = table([
      ['Measure', 'Target', 'Last quarter', 'This quarter'],
      ['Calls answered within 20 seconds', '80%', '76%', '82%'],
    ]);
    expect([t.rows[0]?.latest?.periodLabel, t.rows[0]?.previous?.periodLabel]).toEqual(['This quarter', 'Last quarter']);
    expect([t.rows[0]?.status, t.rows[0]?.trend]).toEqual(['green', 'improving']);
  });

  it('reads "Year end" left of "Quarter 1" as last year, and an unheaded column after Quarter 1 as the next quarter', () => {
    const t = table([
      ['Criteria', 'Target', 'Year end', 'Quarter 1', ''],
      ['Percentage of emergency repairs completed in time', '97%', '99.1%', '99.7%', '99.4%'],
      ['Percentage of tenants satisfied', 'No target', '77.6%', 'Measured twice per year', '78.4%'],
    ]);
    expect(t.table.columns[4]?.period?.label).toMatch(/^Quarter 2 \(column E, unheaded\)$/);
    // Like with like: the quarter before; without one, the year before.
    expect(t.rows.map((r) => [r.previous?.periodLabel, r.trend])).toEqual([['Quarter 1', 'worsening'], ['Year end', 'improving']]);
    expect(t.rows[1]?.statusReason).toBe('No status: the target is "No target" (no target set)');
  });

  it('orders months without a year by column, starting a new year when the months wrap', () => {
    const { tables } = detectTables(grid([
      ['KPI', 'Measure (2019/20)', 'April', 'Dec', 'Jan', 'Mar'],
      ['1) Cases concluded', '45% within 90 days', '48%', '61%', '49%', '51%'],
    ]));
    const starts = tables[0]?.columns.filter((c) => c.role === 'period').map((c) => c.period?.start ?? 0) ?? [];
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(tables[0]?.kind).toBe('timeseries');
  });
});

describe('the columns of a KPI table', () => {
  it('takes the value from a "Result" column when there are no period columns', () => {
    const t = table([['PERFORMANCE INDICATOR', 'TARGET', 'RESULTS'], ['Current Rent Arrears', 'Max. 2.0% of Gross Rent for the Year', '2.3%']]);
    expect(roles(t)).toEqual(['measure', 'target', 'value']);
    expect(t.rows[0]?.status).toBe('red');
    expect(t.rows[0]?.target.readable).toBe('≤ 2.0%');
    expect(t.rows[0]?.polarity.polarity).toBe('lower');
  });

  it('judges the first of several entity columns (one value per landlord) against the shared target', () => {
    const t = table([['Description', 'North', 'South', 'Target'], ['Average Relet Time (days)', '49.36', '31.89', '25.6']]);
    expect(roles(t)).toEqual(['measure', 'value', 'value', 'target']);
    expect([t.rows[0]?.latest?.value.value, t.rows[0]?.polarity.polarity, t.rows[0]?.status]).toEqual([49.36, 'lower', 'red']);
  });

  it('takes the descriptive column as the measure when the first holds reference codes', () => {
    const t = table([['', 'Indicator', 'Target', '2022/23'], ['CS01', 'Calls answered', '90%', '92%'], ['CS02', 'Letters answered', '90%', '85%']]);
    expect(roles(t).slice(0, 2)).toEqual(['reference', 'measure']);
  });

  it('keeps benchmark columns as context, never the target or a period', () => {
    const t = table([['Measure', '2021/22', '2022/23', 'Latest Scottish Average'], ['Average time to complete repairs', '14.2', '9.3', '4.7']]);
    expect(roles(t)).toEqual(['measure', 'period', 'period', 'benchmark']);
    expect([t.rows[0]?.latest?.value.value, t.rows[0]?.trend]).toEqual([9.3, 'improving']);
  });

  it('reads a header over two rows ("FY23" above "Target") and a second target column whose comparator gives the side', () => {
    const t = table([
      ['', 'FY21', 'FY22', 'FY23', ''],
      ['Key Measures', 'Actual', 'Actual', 'Target', 'Desired Level'],
      ['Street Maintenance'],
      ['Mow 1,480 acres of vegetation on an annual basis', '1,456', '1,342', '1,480', '>1480'],
    ]);
    expect(roles(t)).toEqual(['measure', 'period', 'period', 'target', 'target']);
    expect(t.rows[0]?.polarity).toEqual(expect.objectContaining({ polarity: 'higher', source: 'target' }));
    expect(t.table.dataRows).toEqual([3]);
  });

  it('applies a Unit column of "%" to the row\'s bare figures', () => {
    const t = table([['Measure', 'Unit', 'Target', '2022/23'], ['Calls answered', '%', '90', '92']]);
    expect(t.rows[0]?.latest?.value).toEqual(expect.objectContaining({ value: 0.92, unit: 'percent' }));
    expect(t.rows[0]?.status).toBe('green');
  });

  it('reads a target written into the measure cell when there is no target column', () => {
    const t = table([['Measure', 'April', 'May', 'June'], ['45% within 90 days', '48%', '51%', '40%']]);
    expect(t.rows[0]?.target.interval).toEqual(expect.objectContaining({ min: 0.45 }));
    expect([t.rows[0]?.status, codes(t)]).toEqual(['red', ['target-in-measure']]);
  });

  it('leaves a repeated header row out of the rows and keeps the sections in one table', () => {
    const t = table([
      ['Measure', 'Target', '2022/23'],
      ['Calls answered', '90%', '92%'],
      ['Measure', 'Target', '2022/23'],
      ['Letters answered', '90%', '85%'],
    ]);
    expect(t.table.dataRows).toEqual([1, 3]);
  });
});

describe('polarity as a person reads it', () => {
  it.each([
    ['At least 95% of patients waiting no more than four hours', '95%', 'higher', 'measure'],
    ['Calls abandoned: no more than 20 per cent of calls to be abandoned', '20%', 'lower', 'measure'],
    ['18 weeks: no more than 18 weeks from referral to treatment', '90%', 'higher', 'wording'],
    ['Kg household waste per head of population (Minimise)', '295', 'lower', 'measure'],
    ['Percentage of homes not meeting the Decent Homes Standard', '0%', 'lower', 'wording'],
    ['Number of council working days lost to sickness', '10.3', 'lower', 'wording'],
    ['Number of riverside clean-ups supported', '6', 'higher', 'assumed'],
  ])('%j with target %s reads %s (from the %s)', (measure, target, polarity, source) => {
    const t = table([['Measure', 'Target', '2021/22'], [measure, target, '5']]);
    expect(t.rows[0]?.polarity).toEqual(expect.objectContaining({ polarity, source }));
  });

  it('marks an assumed polarity in the target as read and in a finding, so a performance lead can confirm it', () => {
    const t = table([['Measure', 'Target', '2021/22'], ['Number of clean-ups supported', '6', '5']]);
    expect(t.rows[0]?.target.readable).toBe('≥ 6 (assumed)');
    expect(codes(t)).toEqual(['polarity-assumed']);
  });

  it('does not assume a direction for a row with no target (data only)', () => {
    const t = table([['Measure', 'Jan-17', 'Feb-17', 'Mar-17'], ['Headcount', '348', '348', '347']]);
    expect(t.rows[0]?.polarity.polarity).toBe('unknown');
  });

  it('reads lettered sub-measures with the stem of their first part', () => {
    const t = table([
      ['Ref', 'Key performance indicators', 'Target 2022/23'],
      ['OC02a', 'Satisfaction: a) residents who feel informed', '50%'],
      ['OC02b', 'b) To what extent the Council acts on concerns', '48%'],
    ]);
    expect(t.rows[1]?.polarity).toEqual(expect.objectContaining({ polarity: 'higher', source: 'wording' }));
  });

  it('keeps a Polarity column\'s "Representative of the borough" as a range, judged by the target\'s floor', () => {
    const t = table([['Measure', 'Good is', 'Target', '2022/23'], ['Proportion of disabled employees', 'Representative of the borough', 'Maintain 9% or above', '8%']]);
    expect(t.rows[0]?.polarity.polarity).toBe('range');
    expect(t.rows[0]?.target.interval).toEqual(expect.objectContaining({ min: 0.09, max: null }));
    expect(t.rows[0]?.status).toBe('red');
  });
});

describe('publishers\' ratings, keys and stale figures', () => {
  it('reads a grid of ratings per quarter: the newest rating is the status and the one before gives the trend', () => {
    const t = table([
      ['Ref', 'Strategic Risks', '23/24 Q4', '24/25 Q1', '24/25 Q2'],
      ['1', 'Roads', 'A', 'R', 'R'],
      ['4', 'Health', 'A', 'A', 'G'],
      ['8', 'Capital Programme', 'A', '*', ''],
    ]);
    expect(t.table.kind).toBe('ratings');
    expect(t.rows.map((r) => [r.status, r.trend])).toEqual([['red', 'stable'], ['green', 'improving'], ['none', 'none']]);
    expect(t.rows[2]?.statusReason).toBe('No status: not rated in 24/25 Q2; last rated A in 23/24 Q4');
  });

  it('raises status-conflict where the publisher\'s own rating disagrees with the figures', () => {
    const t = table([['Description', 'Value', 'Target Met?', 'Target'], ['% of repairs appointments kept', '98.9', 'happy face', '99.2']], { ...DEFAULT_SETTINGS, amber: { kind: 'relative', value: 0 }, tolerancesChosen: true });
    expect(t.rows[0]?.statedStatus).toBe('green');
    expect(t.rows[0]?.status).toBe('red');
    expect(codes(t)).toContain('status-conflict');
  });

  it('takes the amber band from a key printed on the sheet, unless the user chose one', () => {
    const rows: GridRow[] = [['Measure', 'Target', '2022/23'], ['Calls answered', '90%', '84%'], [], ['Key: Amber = within 10% of target']];
    expect(table(rows).rows[0]?.status).toBe('amber');
    expect(table(rows).findings.map((f) => f.code)).toContain('tolerance-from-sheet');
    expect(table(rows, { ...DEFAULT_SETTINGS, tolerancesChosen: true }).rows[0]?.status).toBe('red');
  });

  it('reads a met / not met key as no amber band', () => {
    const rows: GridRow[] = [['Measure', 'Target', '2022/23'], ['Calls answered', '90%', '89%'], [], ['Target met / target not met']];
    expect(table(rows).rows[0]?.status).toBe('red');
  });

  it('says a figure identical to the previous period\'s, on a measure that normally moves, may not be updated', () => {
    const t = table([['Measure', 'Target', '2020/21', '2021/22', '2022/23'], ['Rent collected', '98%', '97.2%', '98.4%', '98.4%']]);
    expect(codes(t)).toContain('unchanged-value');
    expect(t.rows[0]?.findings.find((f) => f.code === 'unchanged-value')?.message).toBe('98.4% is unchanged since 2021/22: not yet updated?');
  });

  it('judges a yes / no standard by the published mark', () => {
    const t = table([['Measure', 'Target', '2022/23'], ['Gas safety certificates in date', 'Met', 'Not met']]);
    expect(t.rows[0]?.status).toBe('red');
  });
});

describe('targets set per period', () => {
  it('judges each period\'s value against that period\'s target, not pro rata', () => {
    const t = table([
      ['Measure', 'Q1 Target', 'Q1 Actual', 'Q2 Target', 'Q2 Actual'],
      ['New homes delivered', '50', '46', '60', '71'],
      ['Food hygiene inspections completed', '95%', '96%', '95%', '91%'],
    ]);
    expect(t.rows.map((r) => [r.target.cell, r.target.proRata, r.status])).toEqual([['D2', undefined, 'green'], ['D3', undefined, 'amber']]);
  });

  it('uses the last target up to the newest value when the newest period has no target of its own', () => {
    const t = table([['Measure', 'Q1 Target', 'Q2 Target', 'Q1', 'Q2', 'Q3'], ['Calls answered', '80%', '85%', '79%', '84%', '86%']]);
    expect(t.rows[0]?.target.cell).toBe('C2');
  });
});

describe('partial periods against annual targets', () => {
  it('judges a quarter of an accumulating count against the annual target pro rata', () => {
    const t = table([['Measure', 'Target 2014-15', '2013-14', 'Q1'], ['Amount of grant received', '£240k', '£35,800', '£70,000']]);
    const row = t.rows[0];
    expect(row?.target.proRata).toEqual({ share: 0.25, label: 'Q1 of 4' });
    expect(row?.target.interval?.min).toBe(240000);
    expect(row?.status).toBe('green');
    expect(row?.statusReason).toMatch(/Q1 of 4: pro rata ≥ £60,000 of ≥ £240,000/);
  });

  it('judges a rate at Q1 against the target as it stands', () => {
    const t = table([['Measure', 'Target 2014-15', 'Q1'], ['% of calls answered', '90%', '85%']]);
    expect(t.rows[0]?.target.proRata).toBeUndefined();
    expect(t.rows[0]?.status).toBe('red');
  });

  it('compares a year-to-date figure only with the same point a year earlier', () => {
    const t = table([['Measure', 'Target', '2015/16', 'YTD 2016/17'], ['Income received', '£100k', '£90,000', '£40,000']]);
    expect(t.rows[0]?.previous).toBeNull();
    expect(t.rows[0]?.trend).toBe('not-comparable');
  });
});
