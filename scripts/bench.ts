// Benchmarks: npm run bench. Times and memory of the engine and the .xlsx path on large generated sheets.
import * as ExcelJS from 'exceljs';
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CellSnapshot, evaluateWorkbook, planRefresh, textCell, WorkbookSnapshot } from '../src/engine';
import { readXlsxFile } from '../src/xlsx/read';
import { refreshXlsxFile } from '../src/xlsx/refresh';

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);

function kpiRow(i: number): string[] {
  const target = 50 + (i % 40);
  return [`Measure ${i}: reduce waiting time in area ${i % 97}`, `<${target}%`, `${(target - 5 + (i % 13)).toFixed(1)}%`, `${(target - 3 + (i % 11)).toFixed(1)}%`, 'Quarterly', 'Lower is better', i % 3 === 0 ? '▲' : '▼'];
}

function syntheticSnapshot(rows: number): WorkbookSnapshot {
  const grid: Array<Array<CellSnapshot | undefined>> = [
    ['Performance scorecard'].map(textCell),
    ['Performance Measure', 'Target 2016/17', 'Outturn 2015/16', 'Outturn 2016/17', 'Frequency', 'Polarity', 'Direction of Travel'].map(textCell),
  ];
  for (let i = 0; i < rows; i++) grid.push(kpiRow(i).map(textCell));
  return { sheets: [{ name: 'Large', rows: grid }] };
}

function measure<T>(label: string, f: () => T): T {
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = process.hrtime.bigint();
  const result = f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const heapAfter = process.memoryUsage().heapUsed;
  process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   heap +${((heapAfter - heapBefore) / 1048576).toFixed(0)} MiB (rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB)\n`);
  return result;
}

async function measureAsync(label: string, f: () => Promise<unknown>): Promise<void> {
  const t0 = process.hrtime.bigint();
  await f();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  process.stdout.write(`${label.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms   (rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MiB)\n`);
}

async function main(): Promise<void> {
  process.stdout.write(`Scorecard Refresh benchmarks, ${ROWS.toLocaleString('en-GB')} KPI rows, node ${process.version}\n`);
  const snapshot = measure('build snapshot', () => syntheticSnapshot(ROWS));
  const evaluation = measure('detect + evaluate (engine)', () => evaluateWorkbook(snapshot));
  process.stdout.write(`  rows evaluated: ${evaluation.tables[0]?.rows.length ?? 0}\n`);
  const plan = measure('plan refresh (engine)', () => planRefresh(snapshot));
  process.stdout.write(`  cells planned: ${plan.writes.length.toLocaleString('en-GB')}, rules: ${plan.rules.length}\n`);

  const dir = mkdtempSync(join(tmpdir(), 'scorecard-bench-'));
  const file = join(dir, 'large.xlsx');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Large');
  for (const row of snapshot.sheets[0]?.rows ?? []) ws.addRow(row.map((c) => c?.text ?? null));
  await measureAsync('write .xlsx (ExcelJS)', () => wb.xlsx.writeFile(file));
  await measureAsync('read .xlsx into a snapshot', () => readXlsxFile(file));
  await measureAsync('refresh .xlsx file (read, plan, apply, write)', () => refreshXlsxFile(file, join(dir, 'large-out.xlsx')));
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
