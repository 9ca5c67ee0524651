/**
 * Shared formulas for the file path. A block's rows of one shape get the same formula, moved down a row at a time;
 * an .xlsx file can hold such a run once, as a shared formula (`<f t="shared" ref="P8:P40" si="0">` in the run's first
 * cell and `<f t="shared" si="0"/>` in the others: ECMA-376 Part 1, 18.3.1.40 "f (Formula)"), which Excel and
 * LibreOffice read as the first cell's formula with its relative references moved to each cell. The file is written
 * and deflated faster and is several times smaller.
 *
 * A cell joins a run only when its own formula is, character for character, the run's first formula with every
 * relative row moved by the distance between them, so that what the file holds reads exactly as the plan wrote it.
 */

const REFERENCE = /(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(.])/y;

/** Whether a character can be part of a name or number, so that a reference cannot start right after it. */
function continuesName(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46;
}

/** A formula split around its relative row numbers: text, row, text, row, …, text. */
interface RowTemplate {
  readonly texts: readonly string[];
  readonly rows: readonly number[];
}

/** Splits an A1 formula around its relative rows (`$P8` and `P8`, not `P$8`), skipping text in quotes and sheet names. */
function rowTemplate(formula: string): RowTemplate {
  const texts: string[] = [];
  const rows: number[] = [];
  let from = 0;
  let i = 0;
  while (i < formula.length) {
    const code = formula.charCodeAt(i);
    if (code === 34 || code === 39) {
      // A string or a quoted sheet name runs to its closing quote; a doubled quote stays inside.
      let j = i + 1;
      while (j < formula.length && !(formula.charCodeAt(j) === code && formula.charCodeAt(j + 1) !== code)) j += formula.charCodeAt(j) === code ? 2 : 1;
      i = j + 1;
      continue;
    }
    if ((code === 36 || (code >= 65 && code <= 90)) && (i === 0 || !continuesName(formula.charCodeAt(i - 1)))) {
      REFERENCE.lastIndex = i;
      const m = REFERENCE.exec(formula);
      if (m !== null) {
        const [whole, colAbs = '', col = '', rowAbs = '', row = ''] = m;
        if (rowAbs === '') {
          texts.push(formula.slice(from, i) + colAbs + col);
          rows.push(Number(row));
          from = i + whole.length;
        }
        i += whole.length;
        continue;
      }
    }
    i += 1;
  }
  texts.push(formula.slice(from));
  return { texts, rows };
}

/** The template's formula with its relative rows moved by `delta`; null when one would leave the sheet. */
function fillRows(t: RowTemplate, delta: number): string | null {
  let out = t.texts[0] as string;
  for (let k = 0; k < t.rows.length; k++) {
    const moved = (t.rows[k] as number) + delta;
    if (moved < 1 || moved > 1_048_576) return null;
    out += `${moved}${t.texts[k + 1] as string}`;
  }
  return out;
}

/**
 * Moves every relative row reference of an A1 formula by `delta` rows, as a spreadsheet does when it copies the
 * formula down: `$P8` and `P8` move, `P$8` does not; text in quotes and quoted sheet names are left alone. Returns
 * null when a reference would leave the sheet.
 */
export function moveFormulaRows(formula: string, delta: number): string | null {
  return fillRows(rowTemplate(formula), delta);
}

/** A formula cell of a column, 0-based row. */
export interface ColumnFormula {
  readonly row: number;
  readonly formula: string;
}

/**
 * Splits the formula cells of one column (sorted by row) into runs a shared formula can hold: consecutive rows whose
 * formulas are the first one's moved down. Each run is given as the index of its first cell and its length.
 */
export function sharedRuns(cells: readonly ColumnFormula[]): Array<{ readonly start: number; readonly length: number }> {
  const runs: Array<{ start: number; length: number }> = [];
  let start = 0;
  while (start < cells.length) {
    const first = cells[start] as ColumnFormula;
    const template = rowTemplate(first.formula);
    let end = start;
    while (end + 1 < cells.length) {
      const next = cells[end + 1] as ColumnFormula;
      if (next.row !== (cells[end] as ColumnFormula).row + 1 || fillRows(template, next.row - first.row) !== next.formula) break;
      end += 1;
    }
    runs.push({ start, length: end - start + 1 });
    start = end + 1;
  }
  return runs;
}
