/** What the pane shows after a refresh: tables with their counts and rows, findings with sheet and cell, notices. */
import { PlanNotice, Status, WritePlan } from '../engine';
import { PaneFinding, PaneTable, RefreshSummary } from './contract';

const STATUSES: readonly Status[] = ['green', 'amber', 'red', 'none'];

/**
 * Builds the summary of a plan (applied or not); `syncs` is the number of round trips used, `readNotices` what
 * reading found to tell (sheets too large to read), listed before the plan's own notices, and `summarySheet` the
 * Scorecard summary sheet the workbook holds afterwards (by default the one it held before).
 */
export function summarise(plan: WritePlan, syncs: number, readNotices: readonly PlanNotice[] = [], summarySheet: string | null = plan.replaceSummarySheet): RefreshSummary {
  const findings: PaneFinding[] = [];
  const tables: PaneTable[] = plan.evaluation.tables.map((et) => {
    const { table } = et;
    const own = [...et.findings, ...et.rows.flatMap((r) => r.findings)];
    for (const f of own) findings.push({ sheet: table.sheet, cell: f.cell, code: f.code, severity: f.severity, message: f.message });
    const counts = Object.fromEntries(STATUSES.map((s) => [s, et.rows.filter((r) => r.status === s).length])) as Record<Status, number>;
    return {
      sheet: table.sheet,
      range: table.range,
      title: table.title,
      kind: table.kind,
      confidence: table.confidence,
      counts,
      findings: own.length,
      rows: et.rows.map((r) => ({
        row: r.row + 1,
        measure: r.measure,
        polarity: r.polarity.polarity,
        polarityReason: r.polarity.reason,
        targetAsRead: r.target.readable,
        status: r.status,
        statusReason: r.statusReason,
      })),
    };
  });
  return {
    tables,
    skipped: plan.evaluation.detection.skipped.map((s) => ({ sheet: s.sheet, range: s.range, title: s.title, reason: s.reason })),
    findings,
    notices: [...readNotices, ...plan.notices].map((n) => ({ sheet: n.sheet, cell: n.cell, message: n.message })),
    syncs,
    summarySheet,
  };
}
