/**
 * The add-in's commands: refresh (read in two syncs, plan, write in one), detect (read and evaluate only),
 * remove, and select a finding's cell. Each is one `Excel.run`; failures become RefreshErrors naming the sheet.
 */
import { planRefresh, planRemoval, WritePlan } from '../engine';
import { ExcelRun, RefreshSummary } from './contract';
import { applyPlan, applyRemoval, sheetsChangedBy, sheetsChangedByRemoval } from './apply';
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

/** Refreshes the workbook and returns the plan as well as the summary. */
export async function refreshWithPlan(run: ExcelRun, onProgress?: (step: RefreshStep) => void): Promise<RefreshOutcome> {
  let sheets: string[] = [];
  let doing = 'read the workbook';
  try {
    return await run(async (context) => {
      const counter = new SyncCounter(context);
      onProgress?.('reading');
      const read = await readWorkbook(context, counter);
      onProgress?.('evaluating');
      const plan = planRefresh(read.snapshot, toRefreshOptions(read.options));
      sheets = sheetsChangedBy(plan);
      doing = 'write the scorecard';
      onProgress?.('writing');
      await applyPlan(context, plan, read, counter);
      onProgress?.('done');
      return { summary: summarise(plan, counter.count), plan };
    });
  } catch (error) {
    throw toRefreshError(error, doing, sheets);
  }
}

/**
 * Refreshes every scorecard in the workbook with the options stored in it: two syncs to read, one to write
 * (more only when the writes pass Excel's 5 MB request limit). Rejects with a RefreshError naming the sheet.
 */
export async function refreshScorecard(run: ExcelRun, onProgress?: (step: RefreshStep) => void): Promise<RefreshSummary> {
  return (await refreshWithPlan(run, onProgress)).summary;
}

/** Reads and evaluates the workbook without writing anything (two syncs). */
export async function detectScorecard(run: ExcelRun): Promise<RefreshSummary> {
  try {
    return await run(async (context) => {
      const counter = new SyncCounter(context);
      const read = await readWorkbook(context, counter);
      return summarise(planRefresh(read.snapshot, toRefreshOptions(read.options)), counter.count);
    });
  } catch (error) {
    throw toRefreshError(error, 'read the workbook', []);
  }
}

/** Takes every refresh out of the workbook: blocks, rules, names and the ledger; normalised cells get their text back. */
export async function removeScorecard(run: ExcelRun): Promise<void> {
  let doing = 'read the workbook';
  let sheets: string[] = [];
  try {
    await run(async (context) => {
      const counter = new SyncCounter(context);
      const read = await readWorkbook(context, counter);
      const plan = planRemoval(read.snapshot);
      sheets = sheetsChangedByRemoval(plan);
      doing = 'remove the scorecard';
      await applyRemoval(context, plan, read, counter);
    });
  } catch (error) {
    throw toRefreshError(error, doing, sheets);
  }
}

/** Activates `sheet` and selects `cell` on it (a finding's cell, clicked in the pane). One sync. */
export async function selectCell(run: ExcelRun, sheet: string, cell: string): Promise<void> {
  try {
    await run(async (context) => {
      const ws = context.workbook.worksheets.getItem(sheet);
      ws.activate();
      ws.getRange(cell).select();
      await new SyncCounter(context).sync();
    });
  } catch (error) {
    throw toRefreshError(error, `select ${cell}`, [sheet]);
  }
}
