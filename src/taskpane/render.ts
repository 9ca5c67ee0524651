/**
 * Drawing a refresh summary into the pane: the tables found, the findings, and how each row was read (with the
 * override editor). Pure DOM building; what a click does is passed in as {@link ViewActions}.
 */
import { quoteSheetName as quoteSheet, STATUS_TEXT } from '../engine';
import type { Polarity, Status, TableKind } from '../engine';
import type { PaneFinding, PaneRow, PaneTable, RefreshSummary, ScorecardOptions } from '../excel/contract';
import { el, listen, onSubmit, replaceContent, srOnly } from './dom';
import { ChosenPolarity, findOverride, parseColumnLetters, TableOverride } from './overrides';

/** What the pane's controls ask for; each resolves when done and reports its own errors. */
export interface ViewActions {
  selectCell(sheet: string, cell: string): Promise<void>;
  setExcluded(sheet: string, range: string, exclude: boolean): Promise<void>;
  saveOverride(sheet: string, range: string, override: Omit<TableOverride, 'sheet' | 'range'>): Promise<void>;
  toggleEditing(key: string): void;
}

const KIND_LABEL: Record<TableKind, string> = { kpi: 'KPI', timeseries: 'series', budget: 'budget', risk: 'risk', ratings: 'ratings' };

const POLARITY_LABEL: Record<Polarity, string> = {
  higher: 'Higher is better',
  lower: 'Lower is better',
  range: 'Within a range',
  unknown: 'Not known',
};

const STATUS_WORD: Record<Status, string> = { green: 'green', amber: 'amber', red: 'red', none: 'no data' };
const STATUS_ORDER: readonly Status[] = ['green', 'amber', 'red', 'none'];

/** The key a table's editing state is kept under. */
export function tableKey(sheet: string, range: string): string {
  return `${sheet}!${range}`;
}

/** Returns "1 table", "2 tables" (or `many` for an irregular plural). */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function tableName(table: { readonly title: string | null; readonly range: string }): string {
  return table.title?.trim() || `Table at ${table.range}`;
}

function statusShape(status: Status): string {
  return STATUS_TEXT[status].split(' ', 1)[0] ?? '';
}

function renderCounts(table: PaneTable): HTMLElement {
  const judged = table.counts.green + table.counts.amber + table.counts.red;
  if (judged === 0) {
    return el('p', { className: 'counts counts-data-only', text: `data only · ${plural(table.rows.length, 'row')}` });
  }
  const spoken = STATUS_ORDER.map((s) => `${table.counts[s]} ${STATUS_WORD[s]}`).join(', ');
  // Screen readers get the counts in words; the chips (shape and number) are for the eye.
  const counts = el('p', { className: 'counts' }, srOnly(spoken));
  for (const status of STATUS_ORDER) {
    counts.append(
      el('span', { className: `count status-${status}${table.counts[status] === 0 ? ' is-zero' : ''}`, attrs: { title: `${table.counts[status]} ${STATUS_WORD[status]}`, 'aria-hidden': 'true' } },
        el('span', { className: 'count-shape', text: statusShape(status) }),
        String(table.counts[status])),
    );
  }
  return counts;
}

/** Draws the detected tables, then the skipped ones with their reasons (and "Include again" for excluded ones). */
export function renderTables(list: HTMLElement, summary: RefreshSummary, options: ScorecardOptions | null, actions: ViewActions): void {
  replaceContent(list);
  for (const table of summary.tables) {
    const confidence = `${Math.round(table.confidence * 100)}% sure`;
    list.append(
      el('li', { className: 'table-card' },
        el('div', { className: 'table-head' },
          el('span', { className: 'table-title', text: tableName(table), attrs: { title: tableName(table) } }),
          el('span', { className: 'badge', text: KIND_LABEL[table.kind] })),
        el('p', { className: 'table-meta' },
          el('span', { className: 'ref', text: `${quoteSheet(table.sheet)}!${table.range}` }),
          ` · ${confidence}`,
          table.findings > 0 ? ` · ${plural(table.findings, 'finding')}` : null),
        renderCounts(table)),
    );
  }
  for (const skipped of summary.skipped) {
    const excluded = options ? findOverride(options, skipped.sheet, skipped.range)?.exclude === true : false;
    const card = el('li', { className: 'table-card is-skipped' },
      el('div', { className: 'table-head' },
        el('span', { className: 'table-title', text: tableName(skipped), attrs: { title: tableName(skipped) } }),
        el('span', { className: 'badge badge-muted', text: 'skipped' })),
      el('p', { className: 'table-meta' },
        el('span', { className: 'ref', text: `${quoteSheet(skipped.sheet)}!${skipped.range}` }),
        ` — ${skipped.reason}`));
    if (excluded) {
      const include = el('button', {
        className: 'btn btn-subtle btn-small',
        text: 'Include again',
        attrs: { type: 'button', 'data-focus-key': `include:${tableKey(skipped.sheet, skipped.range)}` },
      });
      listen(include, 'click', () => actions.setExcluded(skipped.sheet, skipped.range, false));
      card.append(include);
    }
    list.append(card);
  }
}

/** A finding or notice as the list shows it. */
interface ListedFinding {
  readonly sheet: string;
  readonly cell: string;
  readonly severity: 'warning' | 'info';
  readonly message: string;
}

/** Returns notices (blocks not written) and findings, warnings first, each group in sheet order. */
export function orderFindings(summary: RefreshSummary): ListedFinding[] {
  const notices: ListedFinding[] = summary.notices.map((n) => ({ ...n, severity: 'warning' }));
  const findings: readonly PaneFinding[] = summary.findings;
  return [
    ...notices,
    ...findings.filter((f) => f.severity === 'warning'),
    ...findings.filter((f) => f.severity !== 'warning'),
  ];
}

/** Draws the findings list: each finding is a button that selects its cell. Returns how many were drawn. */
export function renderFindings(list: HTMLElement, summary: RefreshSummary, actions: ViewActions): number {
  replaceContent(list);
  const items = orderFindings(summary);
  const manySheets = new Set(items.map((f) => f.sheet)).size > 1;
  for (const finding of items) {
    const where = manySheets ? `${quoteSheet(finding.sheet)}!${finding.cell}` : finding.cell;
    const button = el('button', {
      className: 'finding',
      attrs: {
        type: 'button',
        'data-severity': finding.severity,
        'data-focus-key': `finding:${finding.sheet}!${finding.cell}:${finding.message}`,
        title: `Go to ${quoteSheet(finding.sheet)}!${finding.cell}`,
      },
    },
    // U+FE0E asks for the text glyph, not a coloured emoji; the info mark is drawn in CSS (ⓘ is missing from many fonts).
    el('span', { className: `finding-icon icon-${finding.severity}`, text: finding.severity === 'warning' ? '⚠\uFE0E' : 'i', attrs: { 'aria-hidden': 'true' } }),
    el('span', { className: 'finding-cell ref', text: where }),
    el('span', { className: 'finding-text' }, srOnly(finding.severity === 'warning' ? 'Warning: ' : 'Note: '), finding.message));
    listen(button, 'click', async () => {
      list.querySelectorAll('[aria-current]').forEach((other) => other.removeAttribute('aria-current'));
      button.setAttribute('aria-current', 'true');
      await actions.selectCell(finding.sheet, finding.cell);
    });
    list.append(el('li', {}, button));
  }
  return items.length;
}

/** What is typed into an open override editor and not saved yet, kept across redraws. */
export interface EditorDraft {
  readonly exclude: boolean;
  readonly targetColumn: string;
  /** The polarity select of each row, by row number ("" is "as read"). */
  readonly rowPolarity: Readonly<Record<string, string>>;
  /** The target column's error message, when it was marked invalid. */
  readonly columnError?: string;
}

/** Per table (by {@link tableKey}): whether its rows are open, its editor is open, and what is typed in the editor. */
export interface RowsState {
  readonly editing: ReadonlySet<string>;
  readonly open: ReadonlySet<string>;
  readonly drafts: ReadonlyMap<string, EditorDraft>;
}

/** Returns what is typed into each override editor open in `container`, by table key. */
export function readDrafts(container: HTMLElement): Map<string, EditorDraft> {
  const drafts = new Map<string, EditorDraft>();
  container.querySelectorAll<HTMLFormElement>('form.editor[data-key]').forEach((form) => {
    const key = form.dataset.key;
    if (key === undefined) return;
    const exclude = form.querySelector<HTMLInputElement>('input[name="exclude"]');
    const column = form.querySelector<HTMLInputElement>('input[name="targetColumn"]');
    const rowPolarity: Record<string, string> = {};
    form.querySelectorAll<HTMLSelectElement>('select[data-row]').forEach((select) => {
      if (select.dataset.row) rowPolarity[select.dataset.row] = select.value;
    });
    const invalid = column?.getAttribute('aria-invalid') === 'true';
    const hint = form.querySelector<HTMLElement>('.field-inline .hint');
    drafts.set(key, {
      exclude: exclude?.checked === true,
      targetColumn: column?.value ?? '',
      rowPolarity,
      ...(invalid && hint?.textContent ? { columnError: hint.textContent } : {}),
    });
  });
  return drafts;
}

/** Returns the editor's starting values for a table's saved `override`. */
export function draftOf(override: Omit<TableOverride, 'sheet' | 'range'> | undefined): EditorDraft {
  return { exclude: override?.exclude === true, targetColumn: override?.targetColumn ?? '', rowPolarity: { ...override?.rowPolarity } };
}

function polarityChoice(row: PaneRow, selected: string, tableId: string, key: string): HTMLElement {
  const id = `${tableId}-row-${row.row}-polarity`;
  const select = el('select', { attrs: { id, name: `row-${row.row}`, 'data-row': String(row.row), 'data-focus-key': `polarity:${key}:${row.row}` } });
  const asRead = el('option', { text: `As read (${POLARITY_LABEL[row.polarity].toLowerCase()})`, attrs: { value: '' } });
  select.append(asRead);
  for (const p of ['higher', 'lower', 'range'] as const) {
    select.append(el('option', { text: POLARITY_LABEL[p], attrs: { value: p, selected: selected === p } }));
  }
  return el('div', { className: 'row-choice' }, el('label', { text: 'Set polarity', attrs: { for: id } }), select);
}

/** Draws one row; `selected` is the value of its polarity select when the editor is open (undefined when closed). */
function renderRow(row: PaneRow, chosen: ChosenPolarity | undefined, tableId: string, key: string, selected: string | undefined): HTMLElement {
  const item = el('li', { className: 'row-item' },
    el('div', { className: 'row-head' },
      el('span', { className: 'row-number ref', text: `row ${row.row}` }),
      el('span', { className: 'row-measure', text: row.measure, attrs: { title: row.measure } }),
      el('span', { className: `status-chip status-${row.status}`, text: STATUS_TEXT[row.status] })),
    el('dl', { className: 'row-facts' },
      el('dt', { text: 'Polarity' }),
      el('dd', {}, chosen ? `${POLARITY_LABEL[chosen]} (your choice)` : POLARITY_LABEL[row.polarity], row.polarityReason && !chosen ? ` — ${row.polarityReason}` : null),
      el('dt', { text: 'Target' }),
      el('dd', { text: row.targetAsRead || '—' }),
      el('dt', { text: 'Status' }),
      el('dd', { text: row.statusReason || STATUS_TEXT[row.status] })));
  if (selected !== undefined) item.append(polarityChoice(row, selected, tableId, key));
  return item;
}

const COLUMN_HINT = 'Column letter, e.g. B. Blank: as detected.';

function renderEditor(table: PaneTable, draft: EditorDraft, tableId: string, actions: ViewActions): HTMLFormElement {
  const key = tableKey(table.sheet, table.range);
  const excludeId = `${tableId}-exclude`;
  const columnId = `${tableId}-target-column`;
  const columnHint = `${columnId}-hint`;
  const exclude = el('input', { attrs: { type: 'checkbox', id: excludeId, name: 'exclude', checked: draft.exclude, 'data-focus-key': `exclude:${key}` } });
  const column = el('input', {
    className: 'input input-narrow ref',
    attrs: {
      type: 'text', id: columnId, name: 'targetColumn', value: draft.targetColumn, maxlength: '3', autocomplete: 'off',
      spellcheck: 'false', placeholder: 'auto', 'aria-describedby': columnHint, 'data-focus-key': `column:${key}`,
      'aria-invalid': draft.columnError !== undefined ? 'true' : undefined,
    },
  });
  const hint = el('span', { className: 'hint', text: draft.columnError ?? COLUMN_HINT, attrs: { id: columnHint } });
  const save = el('button', { className: 'btn btn-primary btn-small', text: 'Save', attrs: { type: 'submit', 'data-focus-key': `save:${key}` } });
  const cancel = el('button', { className: 'btn btn-subtle btn-small', text: 'Cancel', attrs: { type: 'button', 'data-focus-key': `cancel:${key}` } });
  const form = el('form', { className: 'editor', attrs: { 'aria-label': `Overrides for ${tableName(table)}`, novalidate: true, 'data-key': key } },
    el('div', { className: 'field field-check' }, exclude, el('label', { text: 'Leave this table out', attrs: { for: excludeId } })),
    el('div', { className: 'field field-inline' }, el('label', { text: 'Target column', attrs: { for: columnId } }), column, hint));
  listen(cancel, 'click', () => actions.toggleEditing(key));
  onSubmit(form, async () => {
    const letters = parseColumnLetters(column.value);
    if (letters === undefined) {
      column.setAttribute('aria-invalid', 'true');
      hint.textContent = 'Type a column letter (A to XFD), or leave it blank.';
      column.focus();
      return;
    }
    column.removeAttribute('aria-invalid');
    hint.textContent = COLUMN_HINT;
    const rowPolarity: Record<string, ChosenPolarity> = {};
    form.querySelectorAll<HTMLSelectElement>('select[data-row]').forEach((select) => {
      const value = select.value;
      if ((value === 'higher' || value === 'lower' || value === 'range') && select.dataset.row) rowPolarity[select.dataset.row] = value;
    });
    await actions.saveOverride(table.sheet, table.range, { exclude: exclude.checked, targetColumn: letters || undefined, rowPolarity });
  });
  // The caller puts the rows before these buttons, so that the tab order reads top to bottom.
  form.append(el('div', { className: 'editor-actions' }, save, cancel));
  return form;
}

/**
 * Draws, per table, how each row was read, with an editor for the table's overrides when `state.editing` holds its
 * key. An open editor starts from its draft (what was typed before the redraw), else from the saved override.
 */
export function renderRows(container: HTMLElement, summary: RefreshSummary, options: ScorecardOptions | null, state: RowsState, actions: ViewActions): void {
  replaceContent(container);
  summary.tables.forEach((table, index) => {
    if (table.rows.length === 0) return;
    const key = tableKey(table.sheet, table.range);
    const tableId = `t${index}`;
    const isEditing = state.editing.has(key) && options !== null;
    const override = options ? findOverride(options, table.sheet, table.range) : undefined;
    const draft = isEditing ? state.drafts.get(key) ?? draftOf(override) : undefined;
    const details = el('details', { className: 'rows-table', attrs: { open: state.open.has(key) || isEditing, 'data-key': key } },
      el('summary', {},
        el('span', { className: 'rows-label' },
          el('span', { className: 'rows-title', text: tableName(table) }),
          el('span', { className: 'rows-count', text: ` · ${plural(table.rows.length, 'row')}` }))));
    const edit = el('button', {
      className: 'btn btn-subtle btn-small',
      text: 'Edit overrides',
      attrs: { type: 'button', 'aria-pressed': isEditing ? 'true' : 'false', disabled: options === null, 'data-focus-key': `edit:${key}` },
    });
    listen(edit, 'click', () => actions.toggleEditing(key));
    details.append(el('div', { className: 'rows-toolbar' },
      el('span', { className: 'hint', text: override ? 'Your overrides apply to this table.' : 'Read automatically.' }), edit));
    const list = el('ol', { className: 'rows-list' });
    for (const row of table.rows) {
      const selected = draft ? draft.rowPolarity[String(row.row)] ?? '' : undefined;
      list.append(renderRow(row, override?.rowPolarity?.[String(row.row)], tableId, key, selected));
    }
    if (draft) {
      const form = renderEditor(table, draft, tableId, actions);
      form.insertBefore(list, form.lastChild);
      details.append(form);
    } else {
      details.append(list);
    }
    container.append(details);
  });
}
