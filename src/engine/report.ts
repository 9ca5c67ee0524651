/**
 * The report: evaluated tables in the published JSON contract (`scorecard report --json`).
 */
import { Evaluation, EvaluatedRow, Observation } from './evaluate';
import { Finding } from './findings';
import { Polarity, PolaritySource } from './polarity';
import { RowVerdict, Status } from './judge';
import { TableKind } from './detect';
import { NoStatusKey, STATUS_CODE, STATUS_VOCABULARY, StatusKey, statusOfCode } from './rules/vocabulary';

/** A value in the report. */
export interface ReportValue {
  readonly value: number;
  readonly period: string;
  readonly cell: string;
  readonly unit: string;
  readonly displayed: string;
}

/** A row in the report. */
export interface ReportRow extends RowVerdict {
  readonly row: number;
  readonly measure: string;
  readonly label: string | null;
  readonly polarity: Polarity;
  readonly polaritySource: PolaritySource;
  readonly polarityReason: string;
  /**
   * The specific state, as the sheet's Status cell shows it: "● Green", "▲ Amber", "■ Red", or why there is no
   * status: "○ No target", "○ No direction", "○ Data only", "○ Target unclear", "○ No baseline", "○ No data"….
   */
  readonly state: string;
  readonly target: { readonly min: number | null; readonly max: number | null; readonly minInclusive: boolean; readonly maxInclusive: boolean; readonly text: string; readonly asRead: string; readonly cell: string | null } | null;
  readonly latest: ReportValue | null;
  readonly previous: ReportValue | null;
  readonly flags: ReadonlyArray<Pick<Finding, 'code' | 'cell' | 'message' | 'severity'>>;
}

/** A table in the report. */
export interface ReportTable {
  readonly sheet: string;
  readonly range: string;
  readonly title: string | null;
  readonly kind: TableKind;
  readonly confidence: number;
  readonly columns: ReadonlyArray<{ readonly column: string; readonly header: string; readonly role: string; readonly period?: string }>;
  readonly summary: Readonly<Record<Status, number>> & { readonly findings: number };
  readonly findings: readonly Finding[];
  readonly rows: readonly ReportRow[];
}

/** The whole report. */
export interface Report {
  readonly source: string;
  readonly tables: readonly ReportTable[];
  readonly skipped: ReadonlyArray<{ readonly sheet: string; readonly range: string; readonly title: string | null; readonly reason: string }>;
}

const round = (n: number | null): number | null => (n === null ? null : Number(n.toPrecision(12)));

function reportValue(o: Observation | null, displayed: (o: Observation) => string): ReportValue | null {
  if (o === null) return null;
  return { value: round(o.value.value) as number, period: o.periodLabel, cell: o.cell, unit: o.value.unitWord ?? o.value.unit, displayed: displayed(o) };
}

/** The state a row's status code stands for, with the row's own no-status word where it has one. */
export function stateOf(r: EvaluatedRow): StatusKey {
  const code = r.block.statusCode?.kind === 'number' ? r.block.statusCode.value : 0;
  const own: NoStatusKey | undefined = 'noStatus' in r.shape ? r.shape.noStatus : undefined;
  const key = own !== undefined ? statusOfCode(code, own) : code === STATUS_CODE.noStatus ? 'noData' : statusOfCode(code, 'noTarget');
  return key ?? (r.status === 'none' ? own ?? 'noData' : r.status);
}

function reportRow(r: EvaluatedRow, displayed: (o: Observation) => string): ReportRow {
  const iv = r.target.interval;
  const hasTarget = r.target.spec !== null || iv !== null;
  return {
    row: r.row + 1, measure: r.measure, label: r.label,
    polarity: r.polarity.polarity, polaritySource: r.polarity.source, polarityReason: r.polarity.reason,
    state: (({ shape, word }) => `${shape} ${word}`)(STATUS_VOCABULARY[stateOf(r)]),
    target: hasTarget ? { min: round(iv?.min ?? null), max: round(iv?.max ?? null), minInclusive: iv?.minInclusive ?? true, maxInclusive: iv?.maxInclusive ?? true, text: r.target.text, asRead: r.target.readable, cell: r.target.cell } : null,
    latest: reportValue(r.latest, displayed), previous: reportValue(r.previous, displayed),
    variance: round(r.variance), variancePct: round(r.variancePct),
    status: r.status, statusReason: r.statusReason, trend: r.trend, trendReason: r.trendReason,
    flags: r.findings.map((f) => ({ code: f.code, cell: f.cell, message: f.message, severity: f.severity })),
  };
}

/** Builds the report of an evaluation; `source` names the input. */
export function buildReport(source: string, evaluation: Evaluation, displayed: (o: Observation) => string): Report {
  return {
    source,
    tables: evaluation.tables.map((t) => {
      const rows = t.rows.map((r) => reportRow(r, displayed));
      const count = (s: Status): number => rows.filter((r) => r.status === s).length;
      return {
        sheet: t.table.sheet, range: t.table.range, title: t.table.title, kind: t.table.kind, confidence: t.table.confidence,
        columns: t.table.columns.map((c) => ({ column: c.letter, header: c.header, role: c.role, ...(c.period ? { period: c.period.label } : {}) })),
        summary: { green: count('green'), amber: count('amber'), red: count('red'), none: count('none'), findings: rows.reduce((n, r) => n + r.flags.length, 0) + t.findings.length },
        findings: t.findings,
        rows,
      };
    }),
    skipped: evaluation.detection.skipped.map((s) => ({ sheet: s.sheet, range: s.range, title: s.title, reason: s.reason })),
  };
}
