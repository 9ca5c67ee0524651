import fc from 'fast-check';
import {
  CellSnapshot, EvaluatedRow, evaluateWorkbook, parseCell, parsePeriod, parseTarget, planRefresh, STATUS_TEXT, TREND_TEXT, WorkbookSnapshot,
} from '../../src/engine';
import { MOVEMENT_ARROWS } from '../../src/engine/rules/vocabulary';

/** The trend the sheet shows: the pane's word, its arrow the way the value moved (a budget's variance; a rating keeps its own). */
function trendShownFor(row: EvaluatedRow): string {
  const words = TREND_TEXT[row.trend];
  if ((row.trend !== 'improving' && row.trend !== 'worsening') || row.shape.kind === 'ratings') return words;
  const { latest, previous, change } = row.block;
  const moved = row.shape.kind === 'budget' ? (change?.kind === 'number' ? change.value : 0)
    : latest?.kind === 'number' && previous?.kind === 'number' ? latest.value - previous.value : 0;
  return `${MOVEMENT_ARROWS[moved > 0 ? 'up' : 'down']}${words.slice(1)}`;
}

/** Returns the first broken promise of a row's verdict, or undefined: status against bounds and polarity, trend against polarity. */
function verdictBreaks(row: EvaluatedRow): string | undefined {
  const shape = row.shape;
  const latest = row.block.latest;
  if (row.status !== 'none' && (shape.kind === 'kpi' || shape.kind === 'series') && shape.marks === undefined) {
    const value = latest?.kind === 'number' ? latest.value : undefined;
    if (value === undefined) return 'a status without a latest value';
    const bound = (role: 'min' | 'max', source: typeof shape.min): number | undefined => {
      const cell = row.block[role];
      if (source.kind === 'constant') return source.value;
      return cell?.kind === 'number' ? cell.value : undefined;
    };
    const min = bound('min', shape.min);
    const max = bound('max', shape.max);
    if (min === undefined && max === undefined) return 'a status without a target';
    const meetsMin = min === undefined || (shape.minInclusive ? value >= min - 1e-12 * Math.abs(min) : value > min);
    const meetsMax = max === undefined || (shape.maxInclusive ? value <= max + 1e-12 * Math.abs(max) : value < max);
    // On target is green; a miss is amber or red unless a green band covers it; the miss is on the failing side.
    if (meetsMin && meetsMax && row.status !== 'green') return `on target but ${row.status}`;
    // A value equal to a strict bound (">85%" and exactly 85%) misses it with a variance of 0.
    const strictEdge = row.variance === 0;
    if (!(meetsMin && meetsMax) && row.status !== 'green' && row.variance !== null && min !== undefined && max === undefined && row.variance >= 0 && !(strictEdge && !shape.minInclusive)) return 'missed a minimum with a variance above it';
    if (!(meetsMin && meetsMax) && row.status !== 'green' && row.variance !== null && max !== undefined && min === undefined && row.variance <= 0 && !(strictEdge && !shape.maxInclusive)) return 'missed a maximum with a variance below it';
    if (!(meetsMin && meetsMax) && shape.green.relative === 0 && shape.green.absolute === 0 && row.status === 'green') return 'missed with no green band but green';
  }
  if ((row.trend === 'improving' || row.trend === 'worsening') && (shape.kind === 'kpi' || shape.kind === 'series')) {
    const previous = row.block.previous;
    if (latest?.kind !== 'number' || previous?.kind !== 'number') return 'a direction of travel without two values';
    const up = latest.value > previous.value;
    if (shape.polarity === 'higher' && (row.trend === 'improving') !== up) return `higher is better but ${row.trend} on ${previous.value} → ${latest.value}`;
    if (shape.polarity === 'lower' && (row.trend === 'improving') === up) return `lower is better but ${row.trend} on ${previous.value} → ${latest.value}`;
    if (shape.polarity === 'unknown') return 'improving or worsening with polarity unknown';
  }
  if ((row.trend === 'increasing' || row.trend === 'decreasing') && shape.kind !== 'risk' && shape.kind !== 'budget' && shape.kind !== 'ratings'
    && shape.polarity !== 'unknown' && shape.polarity !== 'range') return `${row.trend} with polarity ${shape.polarity}`;
  // The sheet shows the same words as the pane.
  const status = row.block.status;
  if (row.status !== 'none' && (status?.kind !== 'text' || status.value !== STATUS_TEXT[row.status])) return 'status words differ from the pane';
  const trend = row.block.trend;
  const trendShown = trend === undefined || trend.kind !== 'text' ? '' : trend.value;
  if (trendShown !== trendShownFor(row)) return 'trend words differ from the pane, or its arrow from the value';
  return undefined;
}

/** Strings built from the pieces real scorecards are made of, so that the generator reaches the parsers' corners. */
const scorecardText = fc.array(fc.constantFrom(
  '88.0%', '(284)', '£', 'k', '240', '-', '–', ' ', '¹', '**', '*Jan-Oct', '(395/1221)', '/', '=', 'Attainment GAP', '>', '<', '≥',
  'N/A', 'ANNUAL', 'TBC', 'Q3', '2016/17', '2013-14', 'Dec-15', 'End-of-year', 'reduction', 'increase', '[a]', '[b]', 'Primary', '%',
  '16', ' - ', '18', 'Years', 'Interim', '173rd', '0', '.', ',', '(', ')', '#DIV/0!', 'better', 'Lower is better', '▲', '▼',
), { maxLength: 8 }).map((parts) => parts.join(''));

const anyText = fc.oneof(scorecardText, fc.string({ maxLength: 30 }));

const anyCell: fc.Arbitrary<CellSnapshot | undefined> = fc.oneof(
  fc.constant(undefined),
  anyText.map((t) => ({ value: t, text: t })),
  fc.tuple(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), fc.constantFrom('General', '0.0%', '#,##0;(#,##0)', '"£"#,##0', 'mmm-yy'))
    .map(([n, numberFormat]) => ({ value: n, text: String(n), numberFormat })),
  fc.constant({ value: { error: '#N/A' }, text: '#N/A' }),
);

const anyWorkbook: fc.Arbitrary<WorkbookSnapshot> = fc.array(fc.array(anyCell, { maxLength: 8 }), { maxLength: 14 })
  .map((rows) => ({ sheets: [{ name: 'S', rows }] }));

describe('messy input never throws', () => {
  it('parseCell, parseTarget and parsePeriod return a reading for any text', () => {
    fc.assert(fc.property(anyText, (t) => {
      expect(parseCell({ value: t, text: t }).kind).toBeDefined();
      parseTarget(t);
      parsePeriod(t, 2016);
    }), { numRuns: 3000 });
  });

  it('evaluation and the write plan take any grid, and a status is always one of the four', () => {
    fc.assert(fc.property(anyWorkbook, (wb) => {
      const plan = planRefresh(wb);
      for (const t of evaluateWorkbook(wb).tables) for (const r of t.rows) expect(['green', 'amber', 'red', 'none']).toContain(r.status);
      for (const w of plan.writes) expect(w.sheet).toBe('S');
    }), { numRuns: 400 });
  });
});

/** Rows a KPI table is made of: a target as people write them, a polarity or none, values with their messes. */
const kpiRow = fc.tuple(
  fc.constantFrom('% of calls answered', 'Number of complaints', 'Average days to process', 'Income received', 'Caseload per worker'),
  fc.constantFrom('85%', '>85%', '<20', '16 - 18', '287', '0', '20% reduction', 'TBC', '', '90', 85, 0.9, 12),
  fc.constantFrom('Greater is better', 'Lower is better', 'Goldilocks', ''),
  fc.array(fc.oneof(fc.integer({ min: 0, max: 400 }).map((n) => String(n)), fc.integer({ min: 0, max: 100 }).map((n) => `${n}%`), fc.constantFrom('N/A', '', '<5', '13 ¹')), { minLength: 3, maxLength: 3 }),
);

describe('verdicts keep their promises', () => {
  it('gives green on target, amber or red past a bound on its failing side, and a trend that follows the polarity', () => {
    fc.assert(fc.property(fc.array(kpiRow, { minLength: 1, maxLength: 6 }), (rows) => {
      const cell = (v: string | number): CellSnapshot | undefined => (v === '' ? undefined : typeof v === 'number' ? { value: v, text: String(v), numberFormat: 'General' } : { value: v, text: v });
      const grid = [
        ['Measure', 'Target', '2014/15', '2015/16', '2016/17', 'Polarity'].map(cell),
        ...rows.map(([measure, target, polarity, values]) => [measure, target, ...values, polarity].map(cell)),
      ];
      const evaluation = evaluateWorkbook({ sheets: [{ name: 'S', rows: grid }] });
      for (const t of evaluation.tables) for (const r of t.rows) expect([r.measure, verdictBreaks(r)]).toEqual([r.measure, undefined]);
    }), { numRuns: 500 });
  });

  it('plans deterministically: the same workbook always gives the same writes', () => {
    fc.assert(fc.property(anyWorkbook, (wb) => {
      const first = planRefresh(wb);
      expect(planRefresh(wb).writes).toEqual(first.writes);
    }), { numRuns: 200 });
  });
});
