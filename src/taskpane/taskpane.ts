/**
 * The Scorecard task pane: Refresh with progress, the tables found, findings that take you to their cells, how each
 * row was read (with overrides), and the workbook's options. Everything Excel-facing goes through the adapter
 * (src/excel); this module only keeps the pane's state and draws it.
 */
import {
  checkRequirements,
  detectScorecard,
  loadOptions,
  refreshScorecard,
  saveOptions,
  selectCell,
  startWatch,
} from '../excel';
import type { ExcelRunWithContext, RefreshSummary, ScorecardOptions } from '../excel/contract';
import type { Tolerance } from '../engine';
import { notifyError } from '../ui/notify';
import { byId, el, listen, srOnly } from './dom';
import { formatToleranceAmount, parseTolerance, replaceOverride, setExcluded, TableOverride } from './overrides';
import { renderFindings, renderRows, renderTables, tableKey, ViewActions } from './render';
import { applyOfficeTheme } from './theme';

type Step = 'reading' | 'evaluating' | 'writing' | 'done';
const STEPS: readonly Step[] = ['reading', 'evaluating', 'writing', 'done'];
const STEP_TEXT: Record<Step, string> = {
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
    watch: byId('watch', HTMLInputElement),
  };
}
type Elements = ReturnType<typeof findElements>;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function formatTime(date: Date): string {
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

class ScorecardPane {
  private summary: RefreshSummary | null = null;
  private source: SummarySource = 'preview';
  private options: ScorecardOptions | null = null;
  private readonly editing = new Set<string>();
  private readonly open = new Set<string>();
  private stopWatch: (() => Promise<void>) | null = null;
  private busy = false;
  /** Bumped by every refresh, so that a slower preview started earlier never overwrites its result. */
  private generation = 0;

  private readonly actions: ViewActions = {
    selectCell: (sheet, cell) => this.goToCell(sheet, cell),
    setExcluded: async (sheet, range, exclude) => {
      const done = exclude ? `The table at ${sheet}!${range} will be left out from the next refresh.` : `The table at ${sheet}!${range} will be included on the next refresh.`;
      await this.updateOptions(setExcluded(this.requireOptions(), sheet, range, exclude), done);
    },
    saveOverride: (sheet, range, override) => this.saveOverride(sheet, range, override),
    toggleEditing: (key) => {
      if (this.editing.has(key)) this.editing.delete(key);
      else this.editing.add(key);
      this.render();
    },
  };

  constructor(private readonly ui: Elements, private readonly run: ExcelRunWithContext) {}

  /** Wires the controls, then reads the options and previews what a refresh would find (writing nothing). */
  async start(): Promise<void> {
    const { ui } = this;
    listen(ui.refresh, 'click', () => this.refresh());
    ui.rows.addEventListener('toggle', (event) => {
      const details = event.target;
      if (!(details instanceof HTMLDetailsElement) || !details.dataset.key) return;
      if (details.open) this.open.add(details.dataset.key);
      else this.open.delete(details.dataset.key);
    }, true);
    ui.optionsForm.addEventListener('submit', (event) => event.preventDefault());
    for (const control of [ui.amberAmount, ui.amberKind, ui.greenAmount, ui.greenKind]) listen(control, 'change', () => this.saveBands());
    listen(ui.palette, 'change', () => this.savePalette());
    listen(ui.watch, 'change', () => this.setWatching(ui.watch.checked));
    ui.refresh.disabled = false;
    ui.content.hidden = false;
    ui.tablesNote.textContent = 'reading…';

    ui.pane.setAttribute('aria-busy', 'true');
    this.announce('Reading the workbook…');
    try {
      this.options = await loadOptions(this.run);
      this.fillOptions(this.options);
    } catch (error) {
      await notifyError(error);
    }
    const generation = this.generation;
    try {
      const preview = await detectScorecard(this.run);
      if (generation === this.generation) {
        this.show(preview, 'preview');
        this.announce(`Found ${plural(preview.tables.length, 'scorecard table')}. Nothing written yet: select Refresh scorecard.`);
      }
    } catch (error) {
      if (generation === this.generation) this.announce('Could not read the workbook.');
      await notifyError(error);
    } finally {
      if (!this.busy) ui.pane.setAttribute('aria-busy', 'false');
    }
    if (this.options?.watch) await this.setWatching(true);
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

  private showStep(step: Step): void {
    const index = STEPS.indexOf(step);
    const fill = this.ui.progressBar.firstElementChild;
    this.ui.progressBar.setAttribute('aria-valuenow', String(index + 1));
    this.ui.progressBar.setAttribute('aria-valuetext', STEP_TEXT[step]);
    if (fill instanceof HTMLElement) fill.style.width = `${((index + 1) / STEPS.length) * 100}%`;
    this.ui.progress.querySelectorAll<HTMLElement>('[data-step]').forEach((item) => {
      const at = STEPS.indexOf(item.dataset.step as Step);
      item.classList.toggle('is-done', at < index);
      item.classList.toggle('is-current', at === index);
    });
    if (step !== 'done') this.announce(STEP_TEXT[step]);
  }

  private setLastRun(ok: boolean, at = new Date()): void {
    const time = el('time', { text: formatTime(at), attrs: { datetime: at.toISOString() } });
    this.ui.lastRun.replaceChildren('last run ', time, ' ',
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

  /** Redraws the summary, keeping keyboard focus on the same control when it is redrawn. */
  private render(): void {
    const { ui, summary } = this;
    if (!summary) return;
    const focusKey = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
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

    const listed = renderFindings(ui.findings, summary, this.actions);
    ui.findingsCount.textContent = listed === 0 ? 'none' : String(listed);
    ui.findingsHint.textContent = listed === 0 ? 'Nothing needs a second look.' : 'Select a finding to go to its cell.';

    renderRows(ui.rows, summary, this.options, this.editing, this.open, this.actions);
    if (focusKey) {
      const again = document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`);
      again?.focus();
    }
  }

  private async goToCell(sheet: string, cell: string): Promise<void> {
    try {
      await selectCell(this.run, sheet, cell);
      this.announce(`Selected ${sheet}!${cell}.`);
    } catch (error) {
      await notifyError(error);
    }
  }

  private requireOptions(): ScorecardOptions {
    if (!this.options) throw new Error('The workbook options have not been read yet.');
    return this.options;
  }

  /** Saves `next` to the workbook; on success it becomes the pane's options and `done` is announced. */
  private async updateOptions(next: ScorecardOptions, done: string): Promise<boolean> {
    try {
      await saveOptions(this.run, next);
    } catch (error) {
      await notifyError(error);
      if (this.options) this.fillOptions(this.options);
      return false;
    }
    this.options = next;
    this.ui.optionsNote.textContent = 'Saved';
    this.announce(done);
    this.render();
    return true;
  }

  private async saveOverride(sheet: string, range: string, override: Omit<TableOverride, 'sheet' | 'range'>): Promise<void> {
    const key = tableKey(sheet, range);
    const title = this.summary?.tables.find((t) => tableKey(t.sheet, t.range) === key)?.title ?? `${sheet}!${range}`;
    this.editing.delete(key);
    const saved = await this.updateOptions(replaceOverride(this.requireOptions(), sheet, range, override), `Saved your choices for ${title}. They apply on the next refresh.`);
    if (!saved) this.editing.add(key);
    // Back to the table's Edit button, which the redraw left in place of the form.
    document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(`edit:${key}`)}"]`)?.focus();
  }

  private fillOptions(options: ScorecardOptions): void {
    const { ui } = this;
    ui.amberAmount.value = formatToleranceAmount(options.amber);
    ui.amberKind.value = options.amber.kind;
    ui.greenAmount.value = formatToleranceAmount(options.green);
    ui.greenKind.value = options.green.kind;
    ui.palette.value = options.palette;
    ui.watch.checked = options.watch;
    document.documentElement.dataset.palette = options.palette;
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
    await this.updateOptions({ ...this.options, amber, green }, 'Saved the bands. They apply on the next refresh.');
  }

  private async savePalette(): Promise<void> {
    if (!this.options) return;
    const palette = this.ui.palette.value === 'colour-blind' ? 'colour-blind' : 'default';
    if (await this.updateOptions({ ...this.options, palette }, 'Saved the palette. It applies on the next refresh.')) {
      document.documentElement.dataset.palette = palette;
    }
  }

  /** Starts or stops re-checking as the user types, and keeps the choice in the workbook. */
  private async setWatching(on: boolean): Promise<void> {
    if (this.options && this.options.watch !== on) {
      const saved = await this.updateOptions({ ...this.options, watch: on }, on ? 'Re-checking as you type.' : 'Stopped re-checking as you type.');
      if (!saved) return;
    }
    if (on && !this.stopWatch) {
      try {
        this.stopWatch = await startWatch(this.run, (summary) => {
          this.setLastRun(true);
          this.show(summary, 'watch');
        }, {
          onError: (error) => {
            this.setLastRun(false);
            void notifyError(error);
          },
        });
      } catch (error) {
        this.ui.watch.checked = false;
        await notifyError(error);
      }
    } else if (!on && this.stopWatch) {
      const stop = this.stopWatch;
      this.stopWatch = null;
      await stop();
    }
  }
}

/** Shows a message in place of the pane's content and keeps Refresh disabled. */
function showHostMessage(ui: Elements, message: string): void {
  ui.hostMessageText.textContent = message;
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
