/**
 * The Scorecard task pane: Refresh with progress, the tables found, findings that take you to their cells, how each
 * row was read (with overrides), and the workbook's options. Everything Excel-facing goes through the adapter
 * (src/excel); this module only keeps the pane's state and draws it.
 */
import {
  checkRequirements,
  loadOptions,
  openScorecard,
  refreshScorecard,
  saveOptions,
  selectCell,
  startWatch,
} from '../excel';
import type { ExcelRunWithContext, RefreshError, RefreshStep, RefreshSummary, ScorecardOptions } from '../excel';
import type { Tolerance } from '../engine';
import { isExcelApiSupported } from '../excel/requirements';
import { notifyError } from '../ui/notify';
import { chooseWatch, isWatchChosen } from '../ui/preferences';
import { byId, el, findByFocusKey, listen, replaceContent, srOnly } from './dom';
import { formatToleranceAmount, parseTolerance, replaceOverride, setExcluded, TableOverride } from './overrides';
import { draftOf, EditorDraft, plural, readDrafts, renderFindings, renderRows, renderTables, tableKey, ViewActions } from './render';
import { applyOfficeTheme } from './theme';

const STEPS: readonly RefreshStep[] = ['reading', 'evaluating', 'writing', 'done'];
const STEP_TEXT: Record<RefreshStep, string> = {
  waiting: 'Waiting: a refresh started from the ribbon or another pane is still running…',
  reading: 'Reading the workbook…',
  evaluating: 'Judging each row against its target…',
  writing: 'Writing status, variance and trend columns…',
  done: 'Finishing…',
};

/** Where the summary on show came from. */
type SummarySource = 'preview' | 'refresh' | 'watch';

/** The pane's elements, found once. */
function findElements() {
  return {
    pane: byId('pane', HTMLDivElement),
    refresh: byId('refresh', HTMLButtonElement),
    lastRun: byId('last-run', HTMLSpanElement),
    progress: byId('progress', HTMLDivElement),
    progressBar: byId('progress-bar', HTMLDivElement),
    status: byId('status', HTMLParagraphElement),
    hostMessage: byId('host-message', HTMLDivElement),
    hostMessageText: byId('host-message-text', HTMLSpanElement),
    content: byId('content', HTMLElement),
    tablesNote: byId('tables-note', HTMLSpanElement),
    tablesEmpty: byId('tables-empty', HTMLParagraphElement),
    tables: byId('tables', HTMLUListElement),
    openSummary: byId('open-summary', HTMLButtonElement),
    findingsCount: byId('findings-count', HTMLSpanElement),
    findingsHint: byId('findings-hint', HTMLParagraphElement),
    findings: byId('findings', HTMLUListElement),
    rows: byId('rows', HTMLDivElement),
    optionsForm: byId('options', HTMLFormElement),
    optionsNote: byId('options-note', HTMLSpanElement),
    amberAmount: byId('amber-amount', HTMLInputElement),
    amberKind: byId('amber-kind', HTMLSelectElement),
    amberHint: byId('amber-hint', HTMLSpanElement),
    greenAmount: byId('green-amount', HTMLInputElement),
    greenKind: byId('green-kind', HTMLSelectElement),
    greenHint: byId('green-hint', HTMLSpanElement),
    palette: byId('palette', HTMLSelectElement),
    fitToWidth: byId('fit-to-width', HTMLInputElement),
    fitToWidthHint: byId('fit-to-width-hint', HTMLSpanElement),
    watch: byId('watch', HTMLInputElement),
    watchHint: byId('watch-hint', HTMLSpanElement),
  };
}
type Elements = ReturnType<typeof findElements>;

function formatTime(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** The office-js code of an error Excel raises while the user is typing in a cell. */
const CELL_EDIT_MODE = 'InvalidOperationInCellEditMode';

/** A change to the options waiting its turn to be saved. */
interface PendingSave {
  readonly change: (options: ScorecardOptions) => ScorecardOptions;
  readonly done?: string;
  readonly settle: (saved: boolean) => void;
}

/** The keyboard focus, remembered across a redraw: the element's focus key and, in a text box, the caret. */
interface FocusMark {
  readonly key: string;
  readonly selection?: readonly [number, number, 'forward' | 'backward' | 'none'];
}

class ScorecardPane {
  private summary: RefreshSummary | null = null;
  private source: SummarySource = 'preview';
  /** The options as the pane shows them: what is saved, with the changes still waiting to be saved applied. */
  private options: ScorecardOptions | null = null;
  /** The options as last read from or saved to the workbook. */
  private saved: ScorecardOptions | null = null;
  /** Changes applied to `options` but not yet saved, oldest first; saved one at a time, in order. */
  private readonly pending: PendingSave[] = [];
  private saving = false;
  private readonly editing = new Set<string>();
  private readonly open = new Set<string>();
  /** What is typed into each open override editor, so that a redraw does not lose it. */
  private readonly drafts = new Map<string, EditorDraft>();
  private stopWatch: (() => Promise<void>) | null = null;
  /** Starting and stopping the watch, one after the other. */
  private watchTask: Promise<void> = Promise.resolve();
  private busy = false;
  /** Bumped by every refresh, so that a slower preview started earlier never overwrites its result. */
  private generation = 0;

  private readonly actions: ViewActions = {
    selectCell: (sheet, cell) => this.goToCell(sheet, cell),
    setExcluded: async (sheet, range, exclude) => {
      const done = exclude ? `The table at ${sheet}!${range} will be left out from the next refresh.` : `The table at ${sheet}!${range} will be included on the next refresh.`;
      await this.updateOptions((options) => setExcluded(options, sheet, range, exclude), done);
    },
    saveOverride: (sheet, range, override) => this.saveOverride(sheet, range, override),
    toggleEditing: (key) => {
      const closing = this.editing.has(key);
      if (closing) {
        this.editing.delete(key);
        this.drafts.delete(key);
      } else {
        this.editing.add(key);
      }
      this.render();
      // Cancel goes away with the editor: back to the table's Edit button.
      if (closing) this.focusKey(`edit:${key}`);
    },
  };

  constructor(private readonly ui: Elements, private readonly run: ExcelRunWithContext) {}

  /** Wires the controls, then reads the options and previews what a refresh would find (writing nothing). */
  async start(): Promise<void> {
    const { ui } = this;
    listen(ui.refresh, 'click', () => this.refresh());
    listen(ui.openSummary, 'click', () => this.openSummary());
    ui.rows.addEventListener('toggle', (event) => {
      const details = event.target;
      // Edge Legacy has no <details> element (nor HTMLDetailsElement): there the rows simply stay open.
      if (!(details instanceof HTMLElement) || details.tagName !== 'DETAILS' || !details.dataset.key) return;
      if ((details as HTMLDetailsElement).open) this.open.add(details.dataset.key);
      else this.open.delete(details.dataset.key);
    }, true);
    ui.optionsForm.addEventListener('submit', (event) => event.preventDefault());
    for (const control of [ui.amberAmount, ui.amberKind, ui.greenAmount, ui.greenKind]) listen(control, 'change', () => this.saveBands());
    listen(ui.palette, 'change', () => this.savePalette());
    listen(ui.fitToWidth, 'change', () => this.saveFitToWidth());
    // Saved in the workbook for everyone; only an Excel with a page layout API (ExcelApi 1.9) can apply it.
    if (!isExcelApiSupported('1.9')) {
      ui.fitToWidthHint.textContent = 'This Excel cannot set the page layout from an add-in (Excel 2021 or Microsoft 365 can). Your choice is kept in the workbook and applies where it can.';
    }
    listen(ui.watch, 'change', () => this.setWatching(ui.watch.checked));
    // A choice of the person's, off until they make it (see src/ui/preferences.ts).
    ui.watch.checked = isWatchChosen();
    ui.refresh.disabled = false;
    ui.content.hidden = false;
    ui.tablesNote.textContent = 'reading…';

    ui.pane.setAttribute('aria-busy', 'true');
    this.announce('Reading the workbook…');
    const generation = this.generation;
    try {
      // One read gives the stored options and the preview: a round trip fewer as the pane opens.
      const { options, preview } = await openScorecard(this.run);
      this.useSavedOptions(options);
      if (generation === this.generation) {
        this.show(preview, 'preview');
        this.announce(`Found ${plural(preview.tables.length, 'scorecard table')}. Nothing written yet: select Refresh scorecard.`);
      }
    } catch (error) {
      if (generation === this.generation) this.announce('Could not read the workbook.');
      await notifyError(error);
      // The options on their own, so that they can still be seen and changed.
      if (this.saved === null) {
        try {
          this.useSavedOptions(await loadOptions(this.run));
        } catch (optionsError) {
          await notifyError(optionsError);
        }
      }
    } finally {
      if (!this.busy) ui.pane.setAttribute('aria-busy', 'false');
    }
    if (ui.watch.checked) await this.syncWatch();
  }

  /** Refreshes every scorecard in the workbook, showing progress, then the result. */
  private async refresh(): Promise<void> {
    if (this.busy) return;
    const { ui } = this;
    this.busy = true;
    this.generation += 1;
    ui.refresh.disabled = true;
    ui.pane.setAttribute('aria-busy', 'true');
    ui.progress.hidden = false;
    this.showStep('reading');
    try {
      const summary = await refreshScorecard(this.run, (step) => this.showStep(step));
      this.showStep('done');
      this.setLastRun(true);
      this.show(summary, 'refresh');
      const judged = summary.tables.length;
      this.announce(`Done: ${plural(judged, 'table')} judged, ${plural(summary.findings.length, 'finding')}${summary.notices.length > 0 ? `, ${plural(summary.notices.length, 'table')} not written` : ''}.`);
    } catch (error) {
      this.setLastRun(false);
      this.announce('The scorecard was not refreshed; nothing was written.');
      await notifyError(error);
    } finally {
      this.busy = false;
      ui.progress.hidden = true;
      ui.refresh.disabled = false;
      ui.pane.setAttribute('aria-busy', 'false');
    }
  }

  private showStep(step: RefreshStep): void {
    if (step === 'waiting') {
      this.announce(STEP_TEXT.waiting);
      return;
    }
    const index = STEPS.indexOf(step);
    const fill = this.ui.progressBar.firstElementChild;
    this.ui.progressBar.setAttribute('aria-valuenow', String(index + 1));
    this.ui.progressBar.setAttribute('aria-valuetext', STEP_TEXT[step]);
    if (fill instanceof HTMLElement) fill.style.width = `${((index + 1) / STEPS.length) * 100}%`;
    this.ui.progress.querySelectorAll<HTMLElement>('[data-step]').forEach((item) => {
      const at = STEPS.indexOf(item.dataset.step as RefreshStep);
      item.classList.toggle('is-done', at < index);
      item.classList.toggle('is-current', at === index);
    });
    if (step !== 'done') this.announce(STEP_TEXT[step]);
  }

  private setLastRun(ok: boolean, at = new Date()): void {
    const time = el('time', { text: formatTime(at), attrs: { datetime: at.toISOString() } });
    replaceContent(this.ui.lastRun, 'last run ', time, ' ',
      el('span', { className: ok ? 'ok' : 'failed', text: ok ? '✓' : '✗', attrs: { 'aria-hidden': 'true' } }),
      srOnly(ok ? 'succeeded' : 'failed'));
  }

  private announce(text: string): void {
    this.ui.status.textContent = text;
  }

  private show(summary: RefreshSummary, source: SummarySource): void {
    this.summary = summary;
    this.source = source;
    this.render();
  }

  /**
   * Redraws the summary. Keyboard focus stays on the same control (and the caret where it was), and an open override
   * editor keeps what was typed into it.
   */
  private render(): void {
    const { ui, summary } = this;
    if (!summary) return;
    const focus = this.markFocus();
    for (const [key, draft] of readDrafts(ui.rows)) this.drafts.set(key, draft);
    for (const key of [...this.drafts.keys()]) if (!this.editing.has(key)) this.drafts.delete(key);
    ui.content.hidden = false;

    const found = summary.tables.length;
    const notes: Record<SummarySource, string> = {
      preview: `${plural(found, 'table')} found · preview, nothing written yet`,
      refresh: `${plural(found, 'table')} judged${summary.skipped.length > 0 ? ` · ${summary.skipped.length} skipped` : ''}`,
      watch: `${plural(found, 'table')} · re-checked as you typed`,
    };
    ui.tablesNote.textContent = notes[this.source];
    ui.tablesEmpty.hidden = found + summary.skipped.length > 0;
    renderTables(ui.tables, summary, this.options, this.actions);
    ui.openSummary.hidden = summary.summarySheet === null;
    ui.openSummary.textContent = summary.summarySheet === null ? '' : `Open the summary sheet ("${summary.summarySheet}")`;

    const listed = renderFindings(ui.findings, summary, this.actions);
    ui.findingsCount.textContent = listed === 0 ? 'none' : String(listed);
    ui.findingsHint.textContent = listed === 0 ? 'Nothing needs a second look.' : 'Select a finding to go to its cell.';

    renderRows(ui.rows, summary, this.options, { editing: this.editing, open: this.open, drafts: this.drafts }, this.actions);
    if (focus) this.restoreFocus(focus);
  }

  /** Returns where the keyboard focus is, when it is on a control the pane redraws. */
  private markFocus(): FocusMark | undefined {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !active.dataset.focusKey || !this.ui.content.contains(active)) return undefined;
    if (active instanceof HTMLInputElement && active.type === 'text' && active.selectionStart !== null && active.selectionEnd !== null) {
      return { key: active.dataset.focusKey, selection: [active.selectionStart, active.selectionEnd, active.selectionDirection ?? 'none'] };
    }
    return { key: active.dataset.focusKey };
  }

  private restoreFocus(mark: FocusMark): void {
    const again = this.focusKey(mark.key);
    if (mark.selection && again instanceof HTMLInputElement) again.setSelectionRange(...mark.selection);
  }

  /** Moves the keyboard focus to the control with focus key `key`, if there is one; returns it. */
  private focusKey(key: string): HTMLElement | null {
    const target = findByFocusKey(this.ui.content, key);
    if (target && document.activeElement !== target) target.focus({ preventScroll: true });
    return target;
  }

  /** Activates the Scorecard summary sheet: its counts, chart and exceptions on one page. */
  private async openSummary(): Promise<void> {
    const sheet = this.summary?.summarySheet;
    if (sheet === null || sheet === undefined) return;
    await this.goToCell(sheet, 'A1');
  }

  private async goToCell(sheet: string, cell: string): Promise<void> {
    try {
      await selectCell(this.run, sheet, cell);
      this.announce(`Selected ${sheet}!${cell}.`);
    } catch (error) {
      await notifyError(error);
    }
  }

  /**
   * Applies `change` to the options at once (the pane shows it straight away), then saves it to the workbook after
   * the changes before it. Each save writes the options as last saved with this change applied, so a change never
   * writes back a value that an earlier one replaced. Resolves true when saved; when the save fails, the change is
   * undone (the changes after it stay) and the failure is shown.
   */
  private updateOptions(change: (options: ScorecardOptions) => ScorecardOptions, done?: string): Promise<boolean> {
    if (!this.options) return Promise.reject(new Error('The workbook options have not been read yet.'));
    this.options = change(this.options);
    this.ui.optionsNote.textContent = 'Saving…';
    this.render();
    return new Promise<boolean>((settle) => {
      this.pending.push({ change, ...(done !== undefined ? { done } : {}), settle });
      void this.savePending();
    });
  }

  /** Saves the waiting changes one after another, oldest first. */
  private async savePending(): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    let savedLast = true;
    try {
      for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) {
        const base = this.saved;
        savedLast = false;
        if (base) {
          try {
            const target = next.change(base);
            await saveOptions(this.run, target);
            this.saved = target;
            savedLast = true;
          } catch (error) {
            await notifyError(error);
            // What is shown goes back to what is saved, with the changes still waiting applied again.
            this.options = this.pending.reduce((options, p) => p.change(options), this.saved ?? base);
            this.fillOptions(this.options);
            this.render();
          }
        }
        if (savedLast && next.done) this.announce(next.done);
        next.settle(savedLast);
      }
    } finally {
      this.saving = false;
    }
    this.ui.optionsNote.textContent = savedLast ? 'Saved' : 'Not saved';
  }

  private async saveOverride(sheet: string, range: string, override: Omit<TableOverride, 'sheet' | 'range'>): Promise<void> {
    const key = tableKey(sheet, range);
    const title = this.summary?.tables.find((t) => tableKey(t.sheet, t.range) === key)?.title ?? `${sheet}!${range}`;
    this.editing.delete(key);
    const saving = this.updateOptions((options) => replaceOverride(options, sheet, range, override), `Saved your choices for ${title}. They apply on the next refresh.`);
    // Back to the table's Edit button, which the redraw left in place of the form.
    this.focusKey(`edit:${key}`);
    if (!(await saving)) {
      // Not saved: open the editor again with what was typed.
      this.editing.add(key);
      this.drafts.set(key, draftOf(override));
      this.render();
    }
  }

  /** Takes the options read from the workbook as the saved ones and shows them. */
  private useSavedOptions(options: ScorecardOptions): void {
    this.saved = options;
    this.options = options;
    this.fillOptions(options);
  }

  private fillOptions(options: ScorecardOptions): void {
    const { ui } = this;
    ui.amberAmount.value = formatToleranceAmount(options.amber);
    ui.amberKind.value = options.amber.kind;
    ui.greenAmount.value = formatToleranceAmount(options.green);
    ui.greenKind.value = options.green.kind;
    ui.palette.value = options.palette;
    document.documentElement.dataset.palette = options.palette;
    ui.fitToWidth.checked = options.fitToWidth;
  }

  /** Returns the band typed into `amount`/`kind`, marking the input invalid (with a reason) when it is not one. */
  private readBand(amount: HTMLInputElement, kind: HTMLSelectElement, hint: HTMLElement, usual: string): Tolerance | undefined {
    const band = parseTolerance({ amount: amount.value, kind: kind.value === 'absolute' ? 'absolute' : 'relative' });
    const invalid = band === undefined;
    amount.setAttribute('aria-invalid', String(invalid));
    hint.classList.toggle('is-error', invalid);
    hint.textContent = invalid
      ? (kind.value === 'absolute' ? 'Type a number of units, 0 or more.' : 'Type a percentage from 0 to 100.')
      : usual;
    return band;
  }

  private async saveBands(): Promise<void> {
    const { ui } = this;
    const amber = this.readBand(ui.amberAmount, ui.amberKind, ui.amberHint, 'Missed by no more than this: amber. By more: red.');
    const green = this.readBand(ui.greenAmount, ui.greenKind, ui.greenHint, 'Missed by no more than this: still green.');
    if (!amber || !green || !this.options) return;
    if (amber.kind === green.kind && amber.value < green.value) {
      ui.amberAmount.setAttribute('aria-invalid', 'true');
      ui.amberHint.classList.add('is-error');
      ui.amberHint.textContent = 'The amber band cannot be narrower than the green band.';
      return;
    }
    // Bands chosen here override a tolerance key printed on the sheet.
    await this.updateOptions((options) => ({ ...options, amber, green, tolerancesChosen: true }), 'Saved the bands. They apply on the next refresh.');
  }

  private async savePalette(): Promise<void> {
    if (!this.options) return;
    const palette = this.ui.palette.value === 'colour-blind' ? 'colour-blind' : 'default';
    // Shown at once; should the save fail, fillOptions puts the saved palette back.
    document.documentElement.dataset.palette = palette;
    await this.updateOptions((options) => ({ ...options, palette }), 'Saved the palette. It applies on the next refresh.');
  }

  /** Saves "Fit to page width": from the next refresh, sheets with a scorecard print landscape, one page wide (or keep their page setup). */
  private async saveFitToWidth(): Promise<void> {
    if (!this.options) return;
    const fitToWidth = this.ui.fitToWidth.checked;
    await this.updateOptions((options) => ({ ...options, fitToWidth }), fitToWidth
      ? 'Saved: from the next refresh, sheets with a scorecard print landscape, one page wide.'
      : 'Saved: the next refresh leaves the page setup as it is.');
  }

  /** Starts or stops re-checking as the user types, and remembers the choice for this person (not in the workbook). */
  private async setWatching(on: boolean): Promise<void> {
    chooseWatch(on);
    await this.syncWatch();
    if (this.ui.watch.checked === on && (this.stopWatch !== null) === on) {
      this.announce(on ? 'Re-checking as you type.' : 'Stopped re-checking as you type.');
    }
  }

  /** Starts or stops the watch so that it runs exactly when the checkbox is ticked; one change at a time. */
  private syncWatch(): Promise<void> {
    const task = this.watchTask.then(() => this.reconcileWatch());
    this.watchTask = task.catch(() => undefined);
    return task;
  }

  private async reconcileWatch(): Promise<void> {
    const want = this.ui.watch.checked && !this.ui.watch.disabled;
    if (want && !this.stopWatch) {
      try {
        this.stopWatch = await startWatch(this.run, (summary) => {
          this.setLastRun(true);
          this.show(summary, 'watch');
        }, { onError: (error) => this.onWatchError(error) });
      } catch (error) {
        this.ui.watch.checked = false;
        await notifyError(error);
      }
    } else if (!want && this.stopWatch) {
      const stop = this.stopWatch;
      this.stopWatch = null;
      await stop();
    }
  }

  /** A re-check that failed. Excel refuses while a cell is being edited; the watch tries again, so that is not shown. */
  private onWatchError(error: RefreshError): void {
    if (errorCode(error) === CELL_EDIT_MODE) return;
    this.setLastRun(false);
    void notifyError(error);
  }
}

/** The office-js code of `error`, or of the error it wraps. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Shows a message in place of the pane's content and keeps Refresh disabled. */
function showHostMessage(ui: Elements, message: string): void {
  ui.hostMessageText.textContent = message;
  // Re-checking as you type needs Worksheet.onChanged (ExcelApi 1.7): off, with the reason beside it.
  ui.watch.checked = false;
  ui.watch.disabled = true;
  ui.watchHint.textContent = message;
  ui.watchHint.hidden = false;
  ui.hostMessage.hidden = false;
  ui.content.hidden = true;
  ui.refresh.disabled = true;
  ui.pane.setAttribute('aria-busy', 'false');
  ui.status.textContent = '';
}

async function main(): Promise<void> {
  const ui = findElements();
  if (typeof Office === 'undefined') {
    showHostMessage(ui, 'Office could not be loaded. Open this page from Excel (Home › Scorecard), and check the connection.');
    return;
  }
  const { host } = await Office.onReady();
  applyOfficeTheme(document.documentElement);
  if (host === null || host === undefined) {
    showHostMessage(ui, 'Open this page from Excel: Home › Scorecard.');
    return;
  }
  if (String(host) !== 'Excel') {
    showHostMessage(ui, 'Scorecard Refresh works in Excel only.');
    return;
  }
  const requirements = checkRequirements();
  if (!requirements.ok) {
    showHostMessage(ui, requirements.message);
    return;
  }
  const run = Excel.run.bind(Excel) as ExcelRunWithContext;
  await new ScorecardPane(ui, run).start();
}

main().catch((error: unknown) => notifyError(error));
