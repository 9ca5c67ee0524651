/**
 * Watching the workbook: when the user edits a sheet, the scorecard is refreshed again after a quiet moment.
 * Our own writes do not count as edits, so a refresh never sets off another. Two guards see to that, because
 * neither is available everywhere:
 * - the refresh switches change events off while it writes (`runtime.enableEvents`, ExcelApi 1.8), and the
 *   watch ignores changes Excel marks as this add-in's (`triggerSource`, ExcelApi 1.14);
 * - the watch ignores changes inside the areas the refresh writes to (its blocks, old and new) and on the ledger
 *   sheet. The only writes outside those are the lossless tidying of table cells, which a second refresh finds
 *   already done: on a host without events switch, an edit costs at most one extra refresh, never a loop.
 * Refreshes wait their turn with the pane's (see runExclusive); one refused because the user is typing in a
 * cell is tried again after the quiet time, without a message.
 *
 * Only the user's own edits count: a co-author's (source Remote) are theirs to re-check. An edit that touches no
 * table the last refresh judged sets nothing off, and a refresh whose plan the sheet already holds writes nothing:
 * before ExcelApi 1.19 every write through the API empties Excel's undo list.
 */
import { LEDGER_SHEET, ownBlocks, parseCellAddress, rectsOverlap, rectWithin, SheetRect, WritePlan } from '../engine';
import { ExcelRun, ExcelRunWithContext, RefreshSummary, WatchOptions } from './contract';
import { toRefreshError } from './host';
import { observePlans, refreshWithPlan } from './refresh';
import { isExcelApiSupported } from './requirements';

/** Quiet time after the last edit before the refresh runs. */
export const WATCH_DEBOUNCE_MS = 600;

/** The rectangle of a sheet-relative A1 address ("B3", "B3:D9"), or undefined for whole rows or columns. */
function rectOf(sheet: string, address: string): SheetRect | undefined {
  const [a = '', b = a] = address.split(':');
  try {
    const p = parseCellAddress(a);
    const q = parseCellAddress(b);
    return { sheet, top: Math.min(p.row, q.row), left: Math.min(p.col, q.col), bottom: Math.max(p.row, q.row), right: Math.max(p.col, q.col) };
  } catch {
    return undefined;
  }
}

/**
 * `Excel.run(context, batch)`. The adapter's `run` is `Excel.run` (or an emulator's), which also takes the
 * request context to reuse; event handlers can only be removed through the context that added them.
 */
function runInContext<T>(run: ExcelRun, context: Excel.RequestContext, batch: (context: Excel.RequestContext) => Promise<T>): Promise<T> {
  return (run as ExcelRunWithContext)(context, batch);
}

/**
 * Registers a change handler on every sheet (one run) and refreshes the scorecard `debounceMs` after the
 * last edit, passing each summary to `onChange`. Changes made by this add-in, and changes inside the
 * scorecard's own blocks and on its ledger sheet, are ignored. Resolves to a function that stops the watch
 * and removes the handlers (through `run(context, batch)`: `run` must be `Excel.run` or work like it).
 * Two syncs: list, register.
 */
export async function startWatch(
  run: ExcelRun,
  onChange: (summary: RefreshSummary) => void,
  options: WatchOptions = {},
): Promise<() => Promise<void>> {
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  const sheetNames = new Map<string, string>();
  // Where refreshes write: the blocks found at the start, then each refresh's old and new blocks, known before
  // it writes (so that its change events, which may arrive before it resolves, are recognised). Refreshes the
  // pane starts count too.
  let ownAreas: readonly SheetRect[] = [];
  // The tables the last refresh judged (null until one is known: then every edit counts), and the cells edited since.
  let tables: readonly SheetRect[] | null = null;
  let touched: SheetRect[] = [];
  const learnTables = (plan: WritePlan): void => {
    // A row typed just below a table may extend it.
    tables = plan.evaluation.tables.map(({ table: t }) => ({ sheet: t.sheet, top: t.top, left: t.left, bottom: t.bottom + 1, right: t.right }));
  };
  const stopObserving = observePlans((plan) => {
    ownAreas = [...plan.clear, ...plan.blocks];
    learnTables(plan);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const trustTriggerSource = isExcelApiSupported('1.14');

  const refresh = async (): Promise<void> => {
    const edited = touched;
    touched = [];
    try {
      const outcome = await refreshWithPlan(run, { action: 'watch', touched: edited });
      learnTables(outcome.plan);
      if (!stopped) onChange(outcome.summary);
    } catch (error) {
      // Not re-checked: the next try still owes these edits a look.
      touched = [...edited, ...touched];
      const failure = toRefreshError(error, 'refresh the scorecard', [], { action: 'watch' });
      // The user is typing in a cell: Excel refuses every request until they finish. Try again later, quietly.
      if (failure.code === 'InvalidOperationInCellEditMode') again = true;
      else if (!stopped) options.onError?.(failure);
    }
  };
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(fire, debounceMs);
  };
  function fire(): void {
    timer = undefined;
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = refresh().finally(() => {
      running = undefined;
      if (again && !stopped) {
        again = false;
        schedule();
      }
    });
  }
  const isOwnChange = (args: Excel.WorksheetChangedEventArgs): boolean => {
    if (trustTriggerSource && args.triggerSource === 'ThisLocalAddin') return true;
    const sheet = sheetNames.get(args.worksheetId);
    if (sheet === LEDGER_SHEET) return true;
    const rect = sheet === undefined ? undefined : rectOf(sheet, args.address);
    return rect !== undefined && ownAreas.some((b) => rectWithin(rect, b));
  };
  /** The cells a user's edit changed, when it touches a table the last refresh judged (or none is known yet). */
  const touchedBy = (args: Excel.WorksheetChangedEventArgs): SheetRect | undefined => {
    // A co-author's edit (Excel.EventSource "Remote") is re-checked by their own copy, if they watch.
    if (String(args.source) === 'Remote' || isOwnChange(args)) return undefined;
    const sheet = sheetNames.get(args.worksheetId);
    const rect = sheet === undefined ? undefined : rectOf(sheet, args.address);
    // Whole rows or columns (inserted, deleted): taken to touch everything on the sheet.
    const reach = rect ?? (sheet === undefined ? undefined : { sheet, top: 0, left: 0, bottom: Number.MAX_SAFE_INTEGER, right: Number.MAX_SAFE_INTEGER });
    if (reach === undefined) return undefined;
    if (tables !== null && !tables.some((t) => rectsOverlap(t, reach))) return undefined;
    return reach;
  };
  const handler = async (args: Excel.WorksheetChangedEventArgs): Promise<void> => {
    if (stopped) return;
    const rect = touchedBy(args);
    if (rect === undefined) return;
    touched.push(rect);
    schedule();
  };

  let watchContext: Excel.RequestContext | undefined;
  let registrations: OfficeExtension.EventHandlerResult<Excel.WorksheetChangedEventArgs>[] = [];
  try {
    await run(async (context) => {
      const sheets = context.workbook.worksheets.load('items/name,items/id');
      const names = context.workbook.names.load('items/name,items/formula');
      await context.sync();
      for (const s of sheets.items) sheetNames.set(s.id, s.name);
      const blocks = ownBlocks({
        sheets: [],
        names: names.items.flatMap((n) => (typeof n.formula === 'string' && n.formula.startsWith('=') ? [{ name: n.name, reference: n.formula.slice(1) }] : [])),
      });
      ownAreas = [...ownAreas, ...blocks];
      // Until a refresh says where its tables are: each block stands on its table's rows, right of the table.
      if (tables === null && blocks.length > 0) tables = blocks.map((b) => ({ sheet: b.sheet, top: b.top, left: 0, bottom: b.bottom + 1, right: Math.max(0, b.left - 1) }));
      registrations = sheets.items.map((s) => s.onChanged.add(handler));
      watchContext = context;
      await context.sync();
    });
  } catch (error) {
    stopObserving();
    throw toRefreshError(error, 'watch the workbook for edits', [], { action: 'watch' });
  }

  return async () => {
    stopped = true;
    stopObserving();
    if (timer !== undefined) clearTimeout(timer);
    await running;
    const context = watchContext;
    if (context === undefined || registrations.length === 0) return;
    try {
      await runInContext(run, context, async (ctx) => {
        for (const r of registrations) r.remove();
        await ctx.sync();
      });
    } catch (error) {
      throw toRefreshError(error, 'stop watching the workbook', [], { action: 'watch' });
    }
  };
}
