import { detectTables, evaluateTable } from '../../src/engine';
import { evaluateInterpretedTable } from '../../src/engine/evaluate';
import { InterpretedCell, interpretedCell, InterpretedTable, interpretTable } from '../../src/engine/interpret';
import * as judge from '../../src/engine/judge';
import * as target from '../../src/engine/target';
import * as value from '../../src/engine/value';
import { cell, grid, GridRow } from '../support/grid';

/** A KPI table in the forms councils print: typed and text percentages, bracketed and scaled money, a footnote mark. */
const scorecard: GridRow[] = [
  ['Indicator', 'Target', '2022/23', '2023/24', 'Comment'],
  ['Residents satisfied with the service', '85%', { n: 0.845, fmt: '0.0%' }, '88.0%', 'Improved on last year'],
  ['Net spend against plan', '0', '(150)', '(284)', 'Underspend'],
  ['Income from fees and charges', '£250k', '£231k', '£240k', 'Below target'],
  ['Households in temporary accommodation', '10', '12', '13 ¹', '¹ provisional figure'],
];

function interpreted(rows: readonly GridRow[] = scorecard, options: Parameters<typeof interpretTable>[2] = {}): InterpretedTable {
  const workbook = grid(rows);
  const table = detectTables(workbook).tables[0];
  const sheet = workbook.sheets[0];
  if (table === undefined || sheet === undefined) throw new Error('no table detected');
  return interpretTable(sheet, table, options);
}

function at(t: InterpretedTable, address: string): InterpretedCell {
  const { row, col } = cell(address);
  const read = interpretedCell(t, row, col);
  if (read === undefined) throw new Error(`${address} is not a cell of the table`);
  return read;
}

/** Whether a cell was printed as a typed number, and whether the refresh types it (one of the table's normalisations). */
function printedAs(t: InterpretedTable, address: string, rows: readonly GridRow[] = scorecard): { typed: boolean; normalised: boolean } {
  const { row, col } = cell(address);
  return {
    typed: typeof grid(rows).sheets[0]?.rows[row]?.[col]?.value === 'number',
    normalised: t.normalisations.some((x) => x.row === row && x.col === col),
  };
}

afterEach(() => jest.restoreAllMocks());

describe('interpretTable', () => {
  it('reads the scorecard as a KPI table with a target, two periods and a comment', () => {
    const t = interpreted();
    expect(t.table.kind).toBe('kpi');
    expect(t.table.columns.map((c) => c.role)).toEqual(['measure', 'target', 'period', 'period', 'narrative']);
  });

  it.each([
    ['D2', '88.0%', { kind: 'number', value: 0.88, unit: 'percent', decimals: 1 }, { typed: false, normalised: true }],
    ['C2', '0.845', { kind: 'number', value: 0.845, unit: 'percent', decimals: 1 }, { typed: true, normalised: false }],
    ['D3', '(284)', { kind: 'number', value: -284, unit: 'plain', decimals: 0, bracketed: true }, { typed: false, normalised: true }],
    ['D4', '£240k', { kind: 'number', value: 240_000, unit: 'currency', currency: '£', decimals: 0 }, { typed: false, normalised: true }],
    ['D5', '13 ¹', { kind: 'number', value: 13, unit: 'plain', decimals: 0, footnote: '¹' }, { typed: false, normalised: false }],
  ])('reads %s ("%s") once, with its position and unit', (address, text, meaning, how) => {
    const t = interpreted();
    expect(at(t, address)).toEqual(expect.objectContaining({ ...cell(address), text, meaning: expect.objectContaining(meaning) }));
    expect(printedAs(t, address)).toEqual(how);
  });

  it('gives a figure the refresh types the value a formula will read, and keeps marked text as text', () => {
    const t = interpreted();
    expect(at(t, 'D2').value).toEqual({ kind: 'number', value: 0.88 });
    expect(at(t, 'D3').value).toEqual({ kind: 'number', value: -284 });
    expect(at(t, 'D5').value).toEqual({ kind: 'text', value: '13 ¹' });
    expect(t.normalisations.map((x) => x.original.text)).toEqual(expect.arrayContaining(['88.0%', '(284)', '£240k']));
    expect(t.normalisations.map((x) => x.original.text)).not.toContain('13 ¹');
  });

  const withLatestRows = (text: string): GridRow[] => [...scorecard.slice(0, 4), ['Households in temporary accommodation', '10', '12', text, '']];
  const withLatest = (text: string): InterpretedCell => at(interpreted(withLatestRows(text)), 'D5');

  it('reads text that the refresh leaves as text ("85.0 %") as exactly one number, which a formula reads once it is typed', () => {
    const t = interpreted(withLatestRows('85.0 %'));
    expect(at(t, 'D5')).toEqual(expect.objectContaining({ exact: expect.objectContaining({ value: 0.85, unit: 'percent' }) }));
    expect(printedAs(t, 'D5', withLatestRows('85.0 %')).normalised).toBe(false);
  });

  it.each(['13 ¹', '0.6 years'])('reads no exact number in "%s", whose mark or word stands beside the number', (text) => {
    expect(withLatest(text)).toEqual(expect.objectContaining({ text, meaning: expect.objectContaining({ kind: 'number' }), exact: undefined }));
  });

  it('reads the target each cell of a target column states', () => {
    const t = interpreted();
    expect(at(t, 'B2').target).toEqual(expect.objectContaining({ kind: 'bound', comparator: 'none', value: expect.objectContaining({ value: 0.85, unit: 'percent' }) }));
    expect(at(t, 'B4').target).toEqual(expect.objectContaining({ kind: 'bound', value: expect.objectContaining({ value: 250_000, unit: 'currency' }) }));
    expect(at(t, 'C2').target).toBeUndefined();
  });

  it('reads a target written into the measure ("45% within 90 days")', () => {
    const t = interpreted([
      ['Measure', '2022/23', '2023/24'],
      ['45% within 90 days', '41%', '47%'],
      ['Complaints answered', '12', '9'],
    ]);
    expect(at(t, 'A2').targetInMeasure).toEqual(expect.objectContaining({ value: 0.45, unit: 'percent' }));
    expect(at(t, 'A3').targetInMeasure).toBeUndefined();
  });

  it('leaves the cells of word columns unparsed', () => {
    const t = interpreted();
    expect(at(t, 'A2')).toEqual(expect.objectContaining({ text: 'Residents satisfied with the service', meaning: undefined }));
    expect(at(t, 'E5')).toEqual(expect.objectContaining({ text: '¹ provisional figure', meaning: undefined }));
  });

  it('holds each row\'s cells as the rules read them, by column role', () => {
    const t = interpreted();
    expect(t.rows.get(cell('A2').row)?.ruleCells).toEqual({
      c0: { kind: 'text', value: 'Residents satisfied with the service' }, c1: { kind: 'number', value: 0.85 },
      c2: { kind: 'number', value: 0.845 }, c3: { kind: 'number', value: 0.88 }, c4: { kind: 'text', value: 'Improved on last year' },
    });
  });

  it('returns no cell outside the table\'s data rows', () => {
    const t = interpreted();
    expect(interpretedCell(t, cell('A1').row, 0)).toBeUndefined();
    expect(interpretedCell(t, cell('A9').row, 0)).toBeUndefined();
  });
});

describe('a refresh parses each cell once', () => {
  it('parses each cell of the figure columns exactly once when the table is read', () => {
    const parse = jest.fn(value.parseCell);
    const t = interpreted(scorecard, { parse });
    const figureCells = t.table.dataRows.length * 3;
    expect(parse).toHaveBeenCalledTimes(figureCells);
    expect(new Set(parse.mock.calls.map(([c]) => c)).size).toBe(figureCells);
  });

  it('evaluates the table from its readings without parsing any cell again', () => {
    const parsers = [
      jest.spyOn(value, 'parseCell'), jest.spyOn(value, 'parseNumberText'), jest.spyOn(target, 'parseTarget'), jest.spyOn(judge, 'parseTolerance'),
    ];
    // Reading the table is where the cells are parsed: the same watch sees it.
    const t = interpreted();
    for (const p of parsers.slice(0, 3)) expect(p).toHaveBeenCalled();
    for (const p of parsers) p.mockClear();
    const evaluated = evaluateInterpretedTable(t);
    expect(evaluated.rows).toHaveLength(4);
    for (const p of parsers) expect(p).not.toHaveBeenCalled();
  });

  it('judges the same from the readings as from the sheet', () => {
    const workbook = grid(scorecard);
    const table = detectTables(workbook).tables[0];
    const sheet = workbook.sheets[0];
    if (table === undefined || sheet === undefined) throw new Error('no table detected');
    const fromSheet = evaluateTable(sheet, table);
    const fromReadings = evaluateInterpretedTable(interpretTable(sheet, table));
    expect(fromReadings.rows.map((r) => [r.status, r.trend, r.variance])).toEqual(fromSheet.rows.map((r) => [r.status, r.trend, r.variance]));
    expect(fromSheet.rows.map((r) => r.status)).toEqual(['green', 'green', 'amber', 'red']);
  });
});
