/**
 * The seeds' acceptance rows (test/fixtures/acceptance/seed-expectations.tsv, copied from the product's
 * acceptance set) and a checker that compares a report with them.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { Report, ReportRow, ReportTable } from '../../src/engine';

export const FIXTURES = join(__dirname, '..', 'fixtures');
export const SEEDS = ['000_c181ff5ffa342356', '004_730aab70e4ac106c'] as const;

/** One acceptance row. */
export interface Expectation {
  readonly seed: string;
  readonly table: string;
  readonly measure: string;
  readonly label: string | null;
  readonly polarity: readonly string[];
  readonly targetMin: ReadonlyArray<number | null>;
  readonly targetMax: ReadonlyArray<number | null>;
  readonly latest: number | null;
  readonly previous: number | null;
  readonly status: string;
  readonly trend: readonly string[];
  readonly mustFlag: readonly string[];
}

function numbers(field: string): Array<number | null> {
  return field.split('|').map((s) => (s.trim() === '' ? null : Number(s)));
}

/** Reads the acceptance rows. */
export function loadExpectations(): Expectation[] {
  const lines = readFileSync(join(FIXTURES, 'acceptance', 'seed-expectations.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.slice(1).map((line) => {
    const [seed = '', table = '', measureField = '', polarity = '', min = '', max = '', latest = '', previous = '', status = '', trend = '', flags = ''] = line.split('\t');
    const labelMatch = /^(.*) \[(.+)\]$/.exec(measureField);
    return {
      seed: seed.replace(/\.txt$/, ''), table, measure: labelMatch?.[1] ?? measureField, label: labelMatch?.[2] ?? null,
      polarity: polarity.split('|'), targetMin: numbers(min), targetMax: numbers(max),
      latest: latest.trim() === '' ? null : Number(latest), previous: previous.trim() === '' ? null : Number(previous),
      status, trend: trend.split('|').filter((t) => t !== ''), mustFlag: flags.split(';').filter((f) => f !== ''),
    };
  });
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
}

/** Finds the table an expectation speaks of: by title, or the only table. */
export function tableFor(report: Report, e: Expectation): ReportTable | undefined {
  if (e.table === '(only table)') return report.tables.length === 1 ? report.tables[0] : undefined;
  return report.tables.find((t) => t.title === e.table);
}

/** Returns the differences between a report row and an expectation (empty when it matches). */
export function differences(row: ReportRow, e: Expectation): string[] {
  const out: string[] = [];
  const say = (what: string, got: unknown, want: unknown): void => { out.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`); };
  if (!e.polarity.includes(row.polarity)) say('polarity', row.polarity, e.polarity);
  const min = row.target?.min ?? null;
  const max = row.target?.max ?? null;
  if (!e.targetMin.some((m) => close(min, m))) say('target min', min, e.targetMin);
  if (!e.targetMax.some((m) => close(max, m))) say('target max', max, e.targetMax);
  if (!close(row.latest?.value ?? null, e.latest)) say('latest', row.latest?.value ?? null, e.latest);
  if (!close(row.previous?.value ?? null, e.previous)) say('previous', row.previous?.value ?? null, e.previous);
  if (row.status !== e.status) say('status', row.status, e.status);
  if (!e.trend.includes(row.trend)) say('trend', row.trend, e.trend);
  for (const code of e.mustFlag) if (!row.flags.some((f) => f.code === code)) say('flag', row.flags.map((f) => f.code), code);
  return out;
}

/**
 * Checks every expectation of one seed against a report; returns one line per mismatch
 * (an empty list means every row of the seed is read as the acceptance set says).
 */
export function checkSeed(report: Report, seed: string): string[] {
  const problems: string[] = [];
  for (const e of loadExpectations().filter((x) => x.seed === seed)) {
    if (e.status === 'skip') {
      if (report.tables.some((t) => t.title === e.table)) problems.push(`${e.table}: detected as a scorecard, must be skipped`);
      if (!report.skipped.some((s) => s.title === e.table)) problems.push(`${e.table}: not listed as skipped`);
      continue;
    }
    const table = tableFor(report, e);
    if (!table) { problems.push(`${e.table}: table not found`); continue; }
    const rows = table.rows.filter((r) => r.measure.startsWith(e.measure) && (e.label === null || r.label === e.label));
    if (rows.length === 0) { problems.push(`${e.table} / ${e.measure}: row not found`); continue; }
    for (const row of rows) for (const d of differences(row, e)) problems.push(`${e.table} row ${row.row} (${e.measure.slice(0, 40)}): ${d}`);
  }
  return problems;
}
