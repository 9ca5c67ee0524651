/**
 * The add-in's commands: refresh (read in one or two syncs, plan, write in one), detect (read and evaluate only),
 * remove, and select a finding's cell. Each is one `Excel.run`; failures become RefreshErrors naming the sheet.
 * Refreshes and removals wait their turn in one queue ({@link runExclusive}), so that a Refresh click and the
 * watch's refresh never run at the same time.
 */
import { blocksInPlace, cellAddress, CellWrite, narrowPlan, planPrint, planRefresh, planRemoval, SheetRect, touchedBlocks, WritePlan } from '../engine';
import { ExcelRun, RefreshAction, RefreshError, RefreshSummary, ScorecardOptions } from './contract';
import { applyPlan, applyRemoval, cellInput, printNotice, sheetsChangedBy, sheetsChangedByRemoval, summaryNotice } from './apply';
import { runExclusive } from './exclusive';
import { SyncCounter, toRefreshError } from './host';
import { readWorkbook, WorkbookRead } from './snapshot';
import { toRefreshOptions } from './settings';
import { summarise } from './summary';

/**
 * A step of a refresh, for a progress display: 'waiting' only when a refresh started elsewhere (the ribbon button,
 * or another pane) is still under way.
 */
export type RefreshStep = 'waiting' | 'reading' | 'evaluating' | 'writing' | 'done';

/** A refresh's summary with the plan it applied (the watch needs the blocks). */
export interface RefreshOutcome {
  readonly summary: RefreshSummary;
  readonly plan: WritePlan;
  /** False when nothing was written: the sheet already held what the plan would write (see {@link RefreshHooks.touched}). */
  readonly wrote: boolean;
}

/** How {@link refreshWithPlan} reports; every field is optional. */
export interface RefreshHooks {
  readonly onProgress?: (step: RefreshStep) => void;
  /** What the refresh is for, in a failure's message title (default 'refresh'). */
  readonly action?: RefreshAction;
  /**
   * The cells an edit changed. When given, the blocks of the tables they touch are read back and compared with the
   * plan; when the sheet already holds what the plan would write, nothing is written, and Excel's undo list stays.
   */
  readonly touched?: readonly SheetRect[];
}

/** Returns true when a cell as read back (its formula and number format) is what `write` would put there. */
function holds(write: CellWrite | undefined, formula: unknown, format: unknown): boolean {
  if (write === undefined) return formula === '' || formula === null;
  const wanted = write.value.kind === 'text' ? write.value.text : cellInput(write.value);
  const shown = typeof format === 'string' && format !== '' ? format : 'General';
  return formula === wanted && shown === (write.numberFormat ?? 'General');
}

/**
 * Returns true when the sheet already holds what `plan` would write for the tables `touched` reaches: every block
 * where the earlier refresh put it, nothing to tidy, and the cells of the touched blocks as planned (one sync to
 * read them back). The blocks of untouched tables depend only on cells that did not change.
 */
async function isAlreadyWritten(context: Excel.RequestContext, counter: SyncCounter, plan: WritePlan, read: WorkbookRead, touched: readonly SheetRect[]): Promise<boolean> {
  if (plan.ledger.length > 0 || plan.writes.some((w) => w.purpose !== 'block') || !blocksInPlace(plan, read.snapshot)) return false;
  const reached = touchedBlocks(plan, touched).map((r) => r.block);
  if (reached.length === 0) return true;
  const loads = reached.map((b) => context.workbook.worksheets.getItem(b.sheet).getRangeByIndexes(b.top, b.left, b.bottom - b.top + 1, b.right - b.left + 1).load('formulas,numberFormat'));
  await counter.sync();
  const planned = new Map(plan.writes.map((w) => [`${w.sheet}!${cellAddress(w.row, w.col)}`, w]));
  return reached.every((b, i) => {
    const range = loads[i] as Excel.Range;
    return range.formulas.every((line, r) => line.every((formula: unknown, c: number) =>
      holds(planned.get(`${b.sheet}!${cellAddress(b.top + r, b.left + c)}`), formula, range.numberFormat[r]?.[c])));
  });
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
  const { onProgress, action = 'refresh', touched } = hooks;
  const waiting = onProgress === undefined ? {} : { onWait: () => onProgress('waiting') };
  return runExclusive(async () => {
    let sheets: string[] = [];
    let doing = 'read the workbook';
    let counter: SyncCounter | undefined;
    try {
      return await run(async (context) => {
        const syncs = (counter = new SyncCounter(context));
        onProgress?.('reading');
        // Sent with the read's first sync: the summary sheet stays active if the user was looking at it.
        const active = context.workbook.worksheets.getActiveWorksheet().load('name');
        const read = await readWorkbook(context, syncs);
        onProgress?.('evaluating');
        const plan = planRefresh(read.snapshot, toRefreshOptions(read.options));
        // The page layout changes only when the user asked for it (the pane's "Fit to page width").
        const print = read.options.fitToWidth ? planPrint(plan) : [];
        const blocked = summaryNotice(plan, read);
        const notices = [...read.notices, ...[blocked, printNotice(print)].filter((n): n is NonNullable<typeof n> => n !== null)];
        sheets = sheetsChangedBy(plan);
        if (touched !== undefined && (await isAlreadyWritten(context, syncs, plan, read, touched))) {
          onProgress?.('done');
          return { summary: summarise(plan, syncs.count, notices), plan, wrote: false };
        }
        doing = 'write the scorecard';
        onProgress?.('writing');
        for (const observe of planObservers) observe(plan);
        // After an edit, only the touched tables' part, when every other block already holds what the plan writes there.
        const part = touched === undefined ? null : narrowPlan(plan, read.snapshot, touched);
        await applyPlan(context, part ?? plan, read, syncs, { print, activeSheet: active.name });
        onProgress?.('done');
        return { summary: summarise(plan, syncs.count, notices, blocked === null ? plan.summary?.sheet ?? null : plan.replaceSummarySheet), plan, wrote: true };
      });
    } catch (error) {
      throw toRefreshError(error, doing, sheets, { action, wrote: counter?.writeSent ?? false });
    }
  }, waiting);
}

/**
 * Refreshes every scorecard in the workbook with the options stored in it: one or two syncs to read, one to write
 * (more only when the writes pass Excel's 5 MB request limit). Rejects with a RefreshError naming the sheet.
 * A refresh asked for while another (or a removal, or the watch's) is under way starts when that one ends.
 */
export async function refreshScorecard(run: ExcelRun, onProgress?: (step: RefreshStep) => void): Promise<RefreshSummary> {
  return (await refreshWithPlan(run, onProgress !== undefined ? { onProgress } : {})).summary;
}

/** What the pane opens with: the workbook's stored options and what a refresh would find, from one read. */
export interface OpenedScorecard {
  readonly options: ScorecardOptions;
  readonly preview: RefreshSummary;
}

/**
 * Reads the workbook once (one or two syncs, as {@link detectScorecard}) and gives its stored options with the
 * preview: the read loads the options anyway, so a pane opening needs no round trip of its own for them.
 */
export async function openScorecard(run: ExcelRun): Promise<OpenedScorecard> {
  try {
    return await run(async (context) => {
      const counter = new SyncCounter(context);
      const read = await readWorkbook(context, counter);
      return { options: read.options, preview: summarise(planRefresh(read.snapshot, toRefreshOptions(read.options)), counter.count, read.notices) };
    });
  } catch (error) {
    throw toRefreshError(error, 'read the workbook', [], { action: 'detect' });
  }
}

/** Reads and evaluates the workbook without writing anything (one or two syncs). */
export async function detectScorecard(run: ExcelRun): Promise<RefreshSummary> {
  return (await openScorecard(run)).preview;
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

/**
 * Activates `sheet` and selects `cell` on it (a finding's cell, clicked in the pane). Two syncs. A hidden sheet
 * cannot be activated: then it rejects with a RefreshError saying so and how to show the sheet.
 */
export async function selectCell(run: ExcelRun, sheet: string, cell: string): Promise<void> {
  let hidden = false;
  try {
    await run(async (context) => {
      const ws = context.workbook.worksheets.getItem(sheet).load('visibility');
      await context.sync();
      if (String(ws.visibility) !== 'Visible') {
        hidden = true;
        return;
      }
      ws.activate();
      ws.getRange(cell).select();
      await context.sync();
    });
  } catch (error) {
    throw toRefreshError(error, `select ${cell}`, [sheet], { action: 'select' });
  }
  if (hidden) {
    throw new RefreshError(
      `Sheet "${sheet}" is hidden, so Scorecard Refresh cannot go to ${cell}. To see it, right-click any sheet tab, choose Unhide and pick "${sheet}".`,
      sheet,
      { action: 'select' },
    );
  }
}
