/**
 * Drawing a refresh summary into the pane: the tables found, the findings, and how each row was read (with the
 * override editor). Pure DOM building; what a click does is passed in as {@link ViewActions}.
 */
import { STATUS_TEXT } from '../engine';
import type { Polarity, Status, TableKind } from '../engine';
import type { PaneFinding, PaneRow, PaneTable, RefreshSummary, ScorecardOptions } from '../excel/contract';
import { el, listen, srOnly } from './dom';
import { ChosenPolarity, findOverride, parseColumnLetters, TableOverride } from './overrides';

/** What the pane's controls ask for; each resolves when done and reports its own errors. */
export interface ViewActions {
  selectCell(sheet: string, cell: string): Promise<void>;
  setExcluded(sheet: string, range: string, exclude: boolean): Promise<void>;
  saveOverride(sheet: string, range: string, override: Omit<TableOverride, 'sheet' | 'range'>): Promise<void>;
  toggleEditing(key: string): void;
}

const KIND_LABEL: Record<TableKind, string> = { kpi: 'KPI', timeseries: 'series', budget: 'budget', risk: 'risk' };

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

function plural(n: number, one: string): string {
  return `${n} ${n === 1 ? one : `${one}s`}`;
}

function tableName(table: { readonly title: string | null; readonly range: string }): string {
  return table.title?.trim() || `Table at ${table.range}`;
}

function quoteSheet(sheet: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
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
  list.replaceChildren();
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
  list.replaceChildren();
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

function polarityChoice(row: PaneRow, chosen: ChosenPolarity | undefined, tableId: string): HTMLElement {
  const id = `${tableId}-row-${row.row}-polarity`;
  const select = el('select', { attrs: { id, name: `row-${row.row}`, 'data-row': String(row.row) } });
  const asRead = el('option', { text: `As read (${POLARITY_LABEL[row.polarity].toLowerCase()})`, attrs: { value: '' } });
  select.append(asRead);
  for (const p of ['higher', 'lower', 'range'] as const) {
    select.append(el('option', { text: POLARITY_LABEL[p], attrs: { value: p, selected: chosen === p } }));
  }
  return el('div', { className: 'row-choice' }, el('label', { text: 'Set polarity', attrs: { for: id } }), select);
}

function renderRow(row: PaneRow, editing: boolean, chosen: ChosenPolarity | undefined, tableId: string): HTMLElement {
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
  if (editing) item.append(polarityChoice(row, chosen, tableId));
  return item;
}

function renderEditor(table: PaneTable, override: TableOverride | undefined, tableId: string, actions: ViewActions): HTMLFormElement {
  const excludeId = `${tableId}-exclude`;
  const columnId = `${tableId}-target-column`;
  const columnHint = `${columnId}-hint`;
  const exclude = el('input', { attrs: { type: 'checkbox', id: excludeId, name: 'exclude', checked: override?.exclude === true } });
  const column = el('input', {
    className: 'input input-narrow ref',
    attrs: {
      type: 'text', id: columnId, name: 'targetColumn', value: override?.targetColumn ?? '', maxlength: '3', autocomplete: 'off',
      spellcheck: 'false', placeholder: 'auto', 'aria-describedby': columnHint,
    },
  });
  const hint = el('span', { className: 'hint', text: 'Column letter, e.g. B. Blank: as detected.', attrs: { id: columnHint } });
  const save = el('button', { className: 'btn btn-primary btn-small', text: 'Save', attrs: { type: 'submit' } });
  const cancel = el('button', { className: 'btn btn-subtle btn-small', text: 'Cancel', attrs: { type: 'button' } });
  const form = el('form', { className: 'editor', attrs: { 'aria-label': `Overrides for ${tableName(table)}`, novalidate: true } },
    el('div', { className: 'field field-check' }, exclude, el('label', { text: 'Leave this table out', attrs: { for: excludeId } })),
    el('div', { className: 'field field-inline' }, el('label', { text: 'Target column', attrs: { for: columnId } }), column, hint));
  listen(cancel, 'click', () => actions.toggleEditing(tableKey(table.sheet, table.range)));
  listen(form, 'submit', async (event) => {
    event.preventDefault();
    const letters = parseColumnLetters(column.value);
    if (letters === undefined) {
      column.setAttribute('aria-invalid', 'true');
      hint.textContent = 'Type a column letter (A to XFD), or leave it blank.';
      column.focus();
      return;
    }
    column.removeAttribute('aria-invalid');
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

/** Draws, per table, how each row was read, with an editor for the table's overrides when `editing` holds its key. */
export function renderRows(container: HTMLElement, summary: RefreshSummary, options: ScorecardOptions | null, editing: ReadonlySet<string>, open: ReadonlySet<string>, actions: ViewActions): void {
  container.replaceChildren();
  summary.tables.forEach((table, index) => {
    if (table.rows.length === 0) return;
    const key = tableKey(table.sheet, table.range);
    const tableId = `t${index}`;
    const isEditing = editing.has(key) && options !== null;
    const override = options ? findOverride(options, table.sheet, table.range) : undefined;
    const details = el('details', { className: 'rows-table', attrs: { open: open.has(key) || isEditing, 'data-key': key } },
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
    for (const row of table.rows) list.append(renderRow(row, isEditing, override?.rowPolarity?.[String(row.row)], tableId));
    if (isEditing) {
      const form = renderEditor(table, override, tableId, actions);
      form.insertBefore(list, form.lastChild);
      details.append(form);
    } else {
      details.append(list);
    }
    container.append(details);
  });
}
