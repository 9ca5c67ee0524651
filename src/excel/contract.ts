/**
 * What the task pane and the ribbon command use from the Office.js adapter. The adapter implements these
 * in src/excel/; the pane and the command import only this module's types and the functions named here.
 */
import type { PaletteName, Polarity, Status, TableKind, Tolerance } from '../engine';

/** `Excel.run`, passed in so that tests can hand in an emulator's. */
export type ExcelRun = <T>(batch: (context: Excel.RequestContext) => Promise<T>) => Promise<T>;

/** Options kept in the workbook (`workbook.settings`), driving every refresh. */
export interface ScorecardOptions {
  readonly green: Tolerance;
  readonly amber: Tolerance;
  readonly palette: PaletteName;
  /** Re-evaluate a table as its targets or outturns are edited. */
  readonly watch: boolean;
  readonly overrides: ReadonlyArray<{
    readonly sheet: string;
    readonly range?: string;
    readonly exclude?: boolean;
    readonly targetColumn?: string;
    readonly rowPolarity?: Readonly<Record<string, Exclude<Polarity, 'unknown'>>>;
  }>;
}

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
  /** Tables that got no block (no room), each with the reason. */
  readonly notices: ReadonlyArray<{ readonly sheet: string; readonly cell: string; readonly message: string }>;
  /** Round trips used (at most 3). */
  readonly syncs: number;
}

/** A refresh that could not be done, with a message naming the sheet; nothing was written. */
export class RefreshError extends Error {
  constructor(message: string, readonly sheet?: string) {
    super(message);
    this.name = 'RefreshError';
  }
}

/*
 * Functions the adapter exports (src/excel/index.ts):
 *   refreshScorecard(run: ExcelRun, onProgress?: (step: 'reading' | 'evaluating' | 'writing' | 'done') => void): Promise<RefreshSummary>
 *   detectScorecard(run: ExcelRun): Promise<RefreshSummary>        // reads and evaluates; writes nothing
 *   removeScorecard(run: ExcelRun): Promise<void>
 *   selectCell(run: ExcelRun, sheet: string, cell: string): Promise<void>
 *   loadOptions(run: ExcelRun): Promise<ScorecardOptions>
 *   saveOptions(run: ExcelRun, options: ScorecardOptions): Promise<void>
 *   startWatch(run: ExcelRun, onChange: (summary: RefreshSummary) => void): Promise<() => Promise<void>>
 *   checkRequirements(): { ok: true } | { ok: false; message: string }   // ExcelApi 1.6 via Office.context.requirements
 */
