import { join } from 'path';
import { readDelimitedFile } from '../src/csv/read';
import { buildReport, evaluateWorkbook, formatNumber } from '../src/engine';
import { checkSeed, FIXTURES, loadExpectations, SEEDS } from './support/acceptance';

function reportOf(seed: string) {
  const path = join(FIXTURES, 'seeds', `${seed}.tsv`);
  return buildReport(path, evaluateWorkbook(readDelimitedFile(path)), (o) => formatNumber(o.value));
}

describe('seed acceptance (text reports)', () => {
  it('has acceptance rows for both seeds', () => {
    const rows = loadExpectations();
    expect(rows.filter((r) => r.seed === SEEDS[0]).length).toBeGreaterThan(25);
    expect(rows.filter((r) => r.seed === SEEDS[1]).length).toBeGreaterThan(30);
  });

  it.each(SEEDS)('reads every row of seed %s as the acceptance set says', (seed) => {
    expect(checkSeed(reportOf(seed), seed)).toEqual([]);
  });

  it('detects seed 000 Risk Management as a risk register and skips the Programme plan', () => {
    const report = reportOf(SEEDS[0]);
    expect(report.tables.find((t) => t.title === 'Risk Management')?.kind).toBe('risk');
    expect(report.tables.map((t) => [t.title, t.kind])).toEqual([
      ['Staffing', 'timeseries'], ['Indicators', 'kpi'], ['Risk Management', 'risk'], ['Outturn Detail', 'budget'],
    ]);
    expect(report.skipped).toEqual([expect.objectContaining({ title: 'Programme', reason: expect.stringMatching(/not a scorecard/i) })]);
  });

  it('reads the shifted Indicators header by its values: Frequency, Polarity and Direction one column right', () => {
    const table = reportOf(SEEDS[0]).tables.find((t) => t.title === 'Indicators');
    expect(table?.columns.map((c) => `${c.column}:${c.role}`)).toEqual([
      'A:measure', 'B:target', 'C:period', 'D:period', 'E:period', 'F:frequency', 'G:polarity', 'H:direction',
    ]);
    expect(table?.columns.find((c) => c.column === 'E')?.period).toBe('2016/17 End-of-year');
  });

  it('orders seed 004 periods by meaning: Q1 of the reporting year is later than 2013-14', () => {
    const table = reportOf(SEEDS[1]).tables[0];
    const grant = table?.rows.find((r) => r.measure.startsWith('Amount of Reward Grant'));
    expect(grant?.latest).toEqual(expect.objectContaining({ value: 17600, cell: 'B11', period: 'Q1 2014/15' }));
    expect(grant?.previous).toEqual(expect.objectContaining({ value: 35800, cell: 'C11' }));
  });

  it('says why each seed 000 Indicators row got its status', () => {
    const table = reportOf(SEEDS[0]).tables.find((t) => t.title === 'Indicators');
    const accommodation = table?.rows.find((r) => r.measure.startsWith('Decrease the number'));
    expect(accommodation?.statusReason).toBe('Red: 303 is 5.6% above the ≤ 287 maximum; amber band 5%');
    const referred = table?.rows.find((r) => r.measure.startsWith('Reduce the number of children being referred'));
    expect(referred?.flags.map((f) => [f.code, f.cell])).toEqual([['fraction-mismatch', 'E30'], ['direction-conflict', 'H30']]);
    expect(referred?.flags[0]?.message).toBe('32.6% does not match 395/1221 = 32.4%');
  });
});
