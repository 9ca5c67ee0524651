/**
 * The add-in's commands: refresh (read in two syncs, plan, write in one), detect (read and evaluate only),
 * remove, and select a finding's cell. Each is one `Excel.run`; failures become RefreshErrors naming the sheet.
 * Refreshes and removals wait their turn in one queue ({@link runExclusive}), so that a Refresh click and the
 * watch's refresh never run at the same time.
 */
import { planRefresh, planRemoval, WritePlan } from '../engine';
import { ExcelRun, RefreshAction, RefreshSummary } from './contract';
import { applyPlan, applyRemoval, sheetsChangedBy, sheetsChangedByRemoval } from './apply';
import { runExclusive } from './exclusive';
import { SyncCounter, toRefreshError } from './host';
import { readWorkbook } from './snapshot';
import { toRefreshOptions } from './settings';
import { summarise } from './summary';

/** A step of a refresh, for a progress display. */
export type RefreshStep = 'reading' | 'evaluating' | 'writing' | 'done';

/** A refresh's summary with the plan it applied (the watch needs the blocks). */
export interface RefreshOutcome {
  readonly summary: RefreshSummary;
  readonly plan: WritePlan;
}

/** How {@link refreshWithPlan} reports; every field is optional. */
export interface RefreshHooks {
  readonly onProgress?: (step: RefreshStep) => void;
  /** What the refresh is for, in a failure's message title (default 'refresh'). */
  readonly action?: RefreshAction;
}

const planObservers = new Set<(plan: WritePlan) => void>();

/**
 * Calls `observer` with every refresh's plan just before it is written, whoever started the refresh (the watch
 * learns where a refresh writes before that write's change events arrive). Returns a function that stops it.
 */
export function observePlans(observer: (plan: WritePlan) => void): () => void {
  planObservers.add(observer);
  return () => {
    planObservers.delete(observer);
  };
}

/** Refreshes the workbook and returns the plan as well as the summary. Waits for any refresh or removal under way. */
export function refreshWithPlan(run: ExcelRun, hooks: RefreshHooks = {}): Promise<RefreshOutcome> {
  const { onProgress, action = 'refresh' } = hooks;
  return runExclusive(async () => {
    let sheets: string[] = [];
    let doing = 'read the workbook';
    let counter: SyncCounter | undefined;
    try {
      return await run(async (context) => {
        const syncs = (counter = new SyncCounter(context));
        onProgress?.('reading');
        const read = await readWorkbook(context, syncs);
        onProgress?.('evaluating');
        const plan = planRefresh(read.snapshot, toRefreshOptions(read.options));
        sheets = sheetsChangedBy(plan);
        doing = 'write the scorecard';
        onProgress?.('writing');
        for (const observe of planObservers) observe(plan);
        await applyPlan(context, plan, read, syncs);
        onProgress?.('done');
        return { summary: summarise(plan, syncs.count, read.notices), plan };
      });
    } catch (error) {
      throw toRefreshError(error, doing, sheets, { action, wrote: counter?.writeSent ?? false });
    }
  });
}

/**
 * Refreshes every scorecard in the workbook with the options stored in it: two syncs to read, one to write
 * (more only when the writes pass Excel's 5 MB request limit). Rejects with a RefreshError naming the sheet.
 * A refresh asked for while another (or a removal, or the watch's) is under way starts when that one ends.
 */
export async function refreshScorecard(run: ExcelRun, onProgress?: (step: RefreshStep) => void): Promise<RefreshSummary> {
  return (await refreshWithPlan(run, onProgress !== undefined ? { onProgress } : {})).summary;
}

/** Reads and evaluates the workbook without writing anything (two syncs). */
export async function detectScorecard(run: ExcelRun): Promise<RefreshSummary> {
  try {
    return await run(async (context) => {
      const counter = new SyncCounter(context);
      const read = await readWorkbook(context, counter);
      return summarise(planRefresh(read.snapshot, toRefreshOptions(read.options)), counter.count, read.notices);
    });
  } catch (error) {
    throw toRefreshError(error, 'read the workbook', [], { action: 'detect' });
  }
}

/**
 * Takes every refresh out of the workbook: blocks, rules, names and the ledger; normalised cells get their text
 * back. Waits for any refresh under way.
 */
export function removeScorecard(run: ExcelRun): Promise<void> {
  return runExclusive(async () => {
    let doing = 'read the workbook';
    let sheets: string[] = [];
    let counter: SyncCounter | undefined;
    try {
      await run(async (context) => {
        const syncs = (counter = new SyncCounter(context));
        const read = await readWorkbook(context, syncs);
        const plan = planRemoval(read.snapshot);
        sheets = sheetsChangedByRemoval(plan);
        doing = 'remove the scorecard';
        await applyRemoval(context, plan, read, syncs);
      });
    } catch (error) {
      throw toRefreshError(error, doing, sheets, { action: 'remove', wrote: counter?.writeSent ?? false });
    }
  });
}

/** Activates `sheet` and selects `cell` on it (a finding's cell, clicked in the pane). One sync. */
export async function selectCell(run: ExcelRun, sheet: string, cell: string): Promise<void> {
  try {
    await run(async (context) => {
      const ws = context.workbook.worksheets.getItem(sheet);
      ws.activate();
      ws.getRange(cell).select();
      await context.sync();
    });
  } catch (error) {
    throw toRefreshError(error, `select ${cell}`, [sheet], { action: 'select' });
  }
}
