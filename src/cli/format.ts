/** Terminal output: a readable table per scorecard table, and one-line summaries. */
import Table from 'cli-table3';
import { Report, ReportTable } from '../engine';


/** One line per table: "Indicators: 5 green, 0 amber, 2 red, 1 no status; 2 findings". */
export function summaryLine(t: ReportTable): string {
  const s = t.summary;
  const findings = `${s.findings} finding${s.findings === 1 ? '' : 's'}`;
  return `${t.sheet} › ${t.title ?? t.range} (${t.kind}): ${s.green} green, ${s.amber} amber, ${s.red} red, ${s.none} no status; ${findings}`;
}

/** Renders a report as readable text. */
export function renderReport(report: Report, width = 120): string {
  const out: string[] = [`Scorecard report for ${report.source}`, ''];
  for (const t of report.tables) {
    out.push(`${t.sheet} › ${t.title ?? '(untitled)'}  ${t.range}  ${t.kind}  (confidence ${Math.round(t.confidence * 100)}%)`);
    const measureWidth = Math.max(20, Math.min(44, width - 90));
    const table = new Table({
      head: ['Row', 'Measure', 'Target (as read)', 'Latest', 'Previous', 'Status', 'Trend'],
      colWidths: [5, measureWidth, 22, 11, 11, 17, 16],
      wordWrap: true,
      style: { head: [], border: [] },
    });
    for (const r of t.rows) {
      table.push([
        String(r.row), r.label ? `${r.measure} [${r.label}]` : r.measure, r.target?.asRead ?? '',
        r.latest?.displayed ?? '', r.previous?.displayed ?? '', r.state, r.trend === 'none' ? '' : r.trend,
      ]);
      // Each row's one-line reason, as the workbook's pane gives it.
      table.push([{ colSpan: 7, content: `  ↳ ${r.statusReason}${r.trend !== 'none' ? ` · ${r.trendReason}` : ''}` }]);
    }
    out.push(table.toString());
    const tableNotes = t.findings.map((f) => `  ⓘ ${f.cell}  ${f.message}`);
    const flags = t.rows.flatMap((r) => r.flags.filter((f) => f.severity === 'warning').map((f) => `  ⚠ ${f.cell}  ${f.message}`));
    const notes = t.rows.flatMap((r) => r.flags.filter((f) => f.severity === 'info').map((f) => `  ⓘ ${f.cell}  ${f.message}`));
    if (flags.length + notes.length + tableNotes.length > 0) out.push('Findings:', ...flags, ...notes, ...tableNotes);
    out.push(summaryLine(t), '');
  }
  for (const s of report.skipped) out.push(`Skipped ${s.sheet} › ${s.title ?? s.range} (${s.range}): ${s.reason}`);
  return out.join('\n');
}
