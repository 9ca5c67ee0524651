/**
 * What the task pane and the ribbon command use from the Office.js adapter. The adapter implements these
 * in src/excel/; the pane and the command import only this module's types and the functions named here.
 */
import type { Polarity, Status, TableKind } from '../engine';
import type { StoredOptions } from './options-schema';

/** `Excel.run`, passed in so that tests can hand in an emulator's. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/**
 * `Excel.run` that can also reuse a request context, as `Excel.run(context, batch)` does: event handlers
 * can only be removed through the context that added them. `Excel.run` itself is one.
 */
export type ExcelRunWithContext = ExcelRun &
  (<T>(context: Excel.RequestContext, batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>);

/** Options kept in the workbook (`workbook.settings`), driving every refresh. */
/** The options a workbook stores: the type inferred from the zod schema in options-schema.ts. */
export type ScorecardOptions = StoredOptions;

/** One finding, for the pane's list (a click selects `sheet!cell`). */
export interface PaneFinding {
  readonly sheet: string;
  readonly cell: string;
  readonly code: string;
  readonly severity: 'warning' | 'info';
  readonly message: string;
}

/** How one row was read, for the pane's "how each row was read" list. */
export interface PaneRow {
  readonly row: number;
  readonly measure: string;
  readonly polarity: Polarity;
  readonly polarityReason: string;
  readonly targetAsRead: string;
  readonly status: Status;
  readonly statusReason: string;
}

/** One detected table with its counts. */
export interface PaneTable {
  readonly sheet: string;
  readonly range: string;
  readonly title: string | null;
  readonly kind: TableKind;
  readonly confidence: number;
  readonly counts: Readonly<Record<Status, number>>;
  readonly findings: number;
  readonly rows: readonly PaneRow[];
}

/** What a refresh did. */
export interface RefreshSummary {
  readonly tables: readonly PaneTable[];
  readonly skipped: ReadonlyArray<{ readonly sheet: string; readonly range: string; readonly title: string | null; readonly reason: string }>;
  readonly findings: readonly PaneFinding[];
  /**
   * What the user must be told: sheets too large to read (the cell is the last used one), tables that got
   * no block (no room), each with the reason.
   */
  readonly notices: ReadonlyArray<{ readonly sheet: string; readonly cell: string; readonly message: string }>;
  /** Round trips used: 3 for a refresh (2 reads, 1 write), more only when a write passes 5 MB. */
  readonly syncs: number;
  /** The Scorecard summary sheet the workbook holds after the command (the pane links to it), or null. */
  readonly summarySheet: string | null;
}

/** What the user was doing when a {@link RefreshError} happened; the notification's title follows from it. */
export type RefreshAction = 'refresh' | 'detect' | 'remove' | 'select' | 'load-options' | 'save-options' | 'watch';

/** What else a {@link RefreshError} carries, for logs, support and the notification's title. */
export interface RefreshErrorDetails {
  /** The office-js error code, e.g. "AccessDenied". */
  readonly code?: string;
  /** The error Excel (or the emulator) raised. */
  readonly cause?: unknown;
  /** What was being done. */
  readonly action?: RefreshAction;
  /**
   * True when the failure came after the first write request was sent: Excel applies the operations queued
   * before a failing one, so some changes may have been made (the message says so).
   */
  readonly mayHaveWritten?: boolean;
}

/**
 * A command that could not be done, with a message naming the sheet, saying what to do and, for commands that
 * write, whether anything may already have been written.
 */
export class RefreshError extends Error {
  readonly code?: string;
  readonly cause?: unknown;
  readonly action?: RefreshAction;
  readonly mayHaveWritten: boolean;

  constructor(message: string, readonly sheet?: string, details: RefreshErrorDetails = {}) {
    super(message);
    this.name = 'RefreshError';
    if (details.code !== undefined) this.code = details.code;
    if (details.cause !== undefined) this.cause = details.cause;
    if (details.action !== undefined) this.action = details.action;
    this.mayHaveWritten = details.mayHaveWritten === true;
  }
}

/** How `startWatch` behaves; every field has a default. */
export interface WatchOptions {
  /** Quiet time after the last edit before the refresh runs (default 600 ms). */
  readonly debounceMs?: number;
  /**
   * Called when a refresh started by the watch fails (the watch keeps running). Not called while the user is
   * typing in a cell: that refresh is tried again after the debounce.
   */
  readonly onError?: (error: RefreshError) => void;
}

/*
 * Functions the adapter exports (src/excel/index.ts):
 *   refreshScorecard(run: ExcelRun, onProgress?: (step: 'reading' | 'evaluating' | 'writing' | 'done') => void): Promise<RefreshSummary>
 *     (refreshes and removals, including the watch's, run one at a time: a call waits for the one before it)
 *   detectScorecard(run: ExcelRun): Promise<RefreshSummary>        // reads and evaluates; writes nothing
 *   openScorecard(run: ExcelRun): Promise<OpenedScorecard>         // detectScorecard's preview with the stored options, one read
 *   removeScorecard(run: ExcelRun): Promise<void>
 *   selectCell(run: ExcelRun, sheet: string, cell: string): Promise<void>   // also opens the summary sheet: selectCell(run, summarySheet, 'A1')
 *   loadOptions(run: ExcelRun): Promise<ScorecardOptions>
 *   saveOptions(run: ExcelRun, options: ScorecardOptions): Promise<void>
 *   startWatch(run: ExcelRun, onChange: (summary: RefreshSummary) => void, options?: WatchOptions): Promise<() => Promise<void>>
 *     (`run` must be `Excel.run` or behave like it: stopping calls it as `run(context, batch)`, see ExcelRunWithContext)
 *   removeScorecard, like refreshScorecard, waits its turn; runExclusive(task) queues any other task the same way
 *   checkRequirements(): { ok: true } | { ok: false; message: string }   // ExcelApi 1.7 via Office.context.requirements
 */
