/**
 * Structural figures of a refresh, shared by `npm run bench` and test/bench-structure.test.ts: round trips and
 * bytes of a whole-workbook refresh through the Excel emulator (P1), conditional-format rules per output column
 * (P2), and the bytes a refresh sends against the bytes of its new cells (P6). Nothing here reads a clock.
 */
import { parseCellAddress, WritePlan } from '../../src/engine';
import { detectScorecard } from '../../src/excel';
import { refreshWithPlan } from '../../src/excel/refresh';
import { createExcelEmulator, EmulatedWorkbookInit, PAYLOAD_LIMIT_BYTES, SyncPayload } from '../../test/support/excel-emulator';

/** What one whole-workbook refresh through the emulator cost. */
export interface EmulatedRefresh {
  readonly syncs: number;
  readonly payloads: readonly SyncPayload[];
  /** Request plus response bytes over every sync. */
  readonly totalBytes: number;
  /** The largest request or response of any one sync. */
  readonly maxSyncBytes: number;
  /** Round trips and largest response of the read-only pass (zero without `measureReads`). */
  readonly reads: { readonly syncs: number; readonly maxResponseBytes: number };
  /** Request bytes of the reads alone (a read-only pass over the same workbook). */
  readonly readRequestBytes: number;
  readonly plan: WritePlan | null;
  /** The refresh's failure, in the adapter's words, when it failed. */
  readonly error: string | null;
}

/**
 * The round trips a refresh may use for its payload: two reads and one write, plus one more for every whole
 * 5 MB of request and response bytes (Excel on the web's limit per request and per response).
 */
export function syncGoal(totalBytes: number): number {
  return 3 + Math.floor(totalBytes / PAYLOAD_LIMIT_BYTES);
}

/** Refreshes `init` through the strict Excel emulator and reports the round trips and bytes it used. */
export async function refreshThroughEmulator(init: EmulatedWorkbookInit, options: { readonly measureReads?: boolean } = {}): Promise<EmulatedRefresh> {
  const emulator = createExcelEmulator(init);
  const restore = emulator.installOffice();
  try {
    let readRequestBytes = 0;
    let reads = { syncs: 0, maxResponseBytes: 0 };
    if (options.measureReads === true) {
      await detectScorecard(emulator.run);
      readRequestBytes = emulator.syncPayloads.reduce((n, p) => n + p.requestBytes, 0);
      reads = { syncs: emulator.syncCount, maxResponseBytes: Math.max(0, ...emulator.syncPayloads.map((p) => p.responseBytes)) };
      emulator.resetCounters();
    }
    let plan: WritePlan | null = null;
    let error: string | null = null;
    try {
      plan = (await refreshWithPlan(emulator.run)).plan;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const payloads = [...emulator.syncPayloads];
    return {
      syncs: emulator.syncCount,
      payloads,
      totalBytes: payloads.reduce((n, p) => n + p.requestBytes + p.responseBytes, 0),
      maxSyncBytes: Math.max(0, ...payloads.map((p) => Math.max(p.requestBytes, p.responseBytes))),
      readRequestBytes,
      reads,
      plan,
      error,
    };
  } finally {
    restore();
  }
}

/**
 * The most conditional-format rules that apply to any one output column of one block (P2). Blocks stacked on a
 * sheet share columns; each block's rules are counted apart.
 */
export function rulesPerOutputColumn(plan: WritePlan): number {
  const perColumn = new Map<string, number>();
  for (const rule of plan.rules) {
    for (const area of rule.range.split(/[ ,]+/).filter((a) => a !== '')) {
      const [from, to = from] = area.split(':');
      const start = parseCellAddress(from ?? '');
      const end = parseCellAddress(to ?? '');
      const block = plan.blocks.findIndex((b) => b.sheet === rule.sheet && b.top <= start.row && b.bottom >= end.row);
      for (let c = start.col; c <= end.col; c++) {
        const key = `${rule.sheet}\u0000${block === -1 ? `row ${start.row}` : block}\u0000${c}`;
        perColumn.set(key, (perColumn.get(key) ?? 0) + 1);
      }
    }
  }
  return Math.max(0, ...perColumn.values());
}

/**
 * The bytes of the new cells alone: every planned cell's value or formula as JSON, with a separator each — the
 * least any request carrying those cells could weigh. The summary sheet's cells are new cells too: the request
 * carries them (its exceptions list has a row per exception).
 */
export function newCellBytes(plan: WritePlan): number {
  let bytes = 0;
  const count = (v: WritePlan['writes'][number]['value'] | NonNullable<WritePlan['summary']>['cells'][number]['value']): void => {
    const shown = v.kind === 'number' ? String(v.value) : JSON.stringify(v.kind === 'text' ? v.text : v.formula);
    bytes += Buffer.byteLength(shown, 'utf8') + 1;
  };
  for (const write of plan.writes) count(write.value);
  for (const cell of plan.summary?.cells ?? []) count(cell.value);
  return bytes;
}

/** Rows the plan's evaluation judged, over every table. */
export function judgedRows(plan: WritePlan): number {
  return plan.evaluation.tables.reduce((n, t) => n + t.rows.length, 0);
}

/** Formula characters (UTF-8 bytes) the plan writes into cells, per judged row (P6). */
export function formulaBytesPerRow(plan: WritePlan): number {
  let bytes = 0;
  for (const write of plan.writes) if (write.value.kind === 'formula') bytes += Buffer.byteLength(write.value.formula, 'utf8');
  const rows = judgedRows(plan);
  return rows === 0 ? 0 : bytes / rows;
}

/** Request bytes a refresh sent to write, against the bytes of its new cells alone (P6). */
export function writeOverhead(refresh: EmulatedRefresh): number | null {
  if (refresh.plan === null) return null;
  const written = refresh.payloads.reduce((n, p) => n + p.requestBytes, 0) - refresh.readRequestBytes;
  const cells = newCellBytes(refresh.plan);
  return cells === 0 ? null : written / cells;
}
