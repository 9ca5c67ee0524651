/**
 * Watching the workbook: when the user edits a sheet, the scorecard is refreshed again after a quiet moment.
 * Our own writes do not count as edits, so a refresh never sets off another.
 */
import { ownBlocks, parseCellAddress, SheetRect } from '../engine';
import { ExcelRun, ExcelRunWithContext, RefreshError, RefreshSummary, WatchOptions } from './contract';
import { SyncCounter, toRefreshError } from './host';
import { refreshWithPlan } from './refresh';

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

function isInside(inner: SheetRect, outer: SheetRect): boolean {
  return inner.sheet === outer.sheet && inner.top >= outer.top && inner.bottom <= outer.bottom && inner.left >= outer.left && inner.right <= outer.right;
}

/**
 * Registers a change handler on every sheet (one run) and refreshes the scorecard `debounceMs` after the
 * last edit, passing each summary to `onChange`. Changes made by this add-in, and changes inside the
 * scorecard's own blocks, are ignored. Resolves to a function that stops the watch and removes the handlers
 * (through `run(context, batch)`: `run` must be `Excel.run` or work like it). Two syncs: list, register.
 */
export async function startWatch(
  run: ExcelRun,
  onChange: (summary: RefreshSummary) => void,
  options: WatchOptions = {},
): Promise<() => Promise<void>> {
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  const sheetNames = new Map<string, string>();
  let blocks: readonly SheetRect[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const refresh = async (): Promise<void> => {
    try {
      const outcome = await refreshWithPlan(run);
      blocks = outcome.plan.blocks;
      if (!stopped) onChange(outcome.summary);
    } catch (error) {
      options.onError?.(error instanceof RefreshError ? error : toRefreshError(error, 'refresh the scorecard', []));
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
    if (args.triggerSource === 'ThisLocalAddin') return true;
    const sheet = sheetNames.get(args.worksheetId);
    const rect = sheet === undefined ? undefined : rectOf(sheet, args.address);
    return rect !== undefined && blocks.some((b) => isInside(rect, b));
  };
  const handler = async (args: Excel.WorksheetChangedEventArgs): Promise<void> => {
    if (!stopped && !isOwnChange(args)) schedule();
  };

  let watchContext: Excel.RequestContext | undefined;
  let registrations: OfficeExtension.EventHandlerResult<Excel.WorksheetChangedEventArgs>[] = [];
  try {
    await run(async (context) => {
      const counter = new SyncCounter(context);
      const sheets = context.workbook.worksheets.load('items/name,items/id');
      const names = context.workbook.names.load('items/name,items/formula');
      await counter.sync();
      for (const s of sheets.items) sheetNames.set(s.id, s.name);
      blocks = ownBlocks({
        sheets: [],
        names: names.items.flatMap((n) => (typeof n.formula === 'string' && n.formula.startsWith('=') ? [{ name: n.name, reference: n.formula.slice(1) }] : [])),
      });
      registrations = sheets.items.map((s) => s.onChanged.add(handler));
      watchContext = context;
      await counter.sync();
    });
  } catch (error) {
    throw toRefreshError(error, 'watch the workbook for edits', []);
  }

  return async () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    await running;
    const context = watchContext;
    if (context === undefined || registrations.length === 0) return;
    try {
      await runInContext(run, context, async (ctx) => {
        for (const r of registrations) r.remove();
        await new SyncCounter(ctx).sync();
      });
    } catch (error) {
      throw toRefreshError(error, 'stop watching the workbook', []);
    }
  };
}
