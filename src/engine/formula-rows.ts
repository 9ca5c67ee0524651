/**
 * Moving an A1 formula down or up, as a spreadsheet does when it copies a formula to another row: every relative row
 * (`$P8`, `P8`) moves, absolute rows (`P$8`) stay, and text in quotes and quoted sheet names are left alone. The
 * conditional formats shared by stacked tables move their tests to each area's rows with it, and the file path checks
 * with it that a run of cells can be one shared formula.
 */
import { SHEET_ROWS } from './address';

const REFERENCE = /(\$?)([A-Z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(.])/y;

/** Whether a character can be part of a name or number, so that a reference cannot start right after it. */
function continuesName(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46;
}

/** A formula split around its relative row numbers: text, row, text, row, …, text. */
export interface RowTemplate {
  readonly texts: readonly string[];
  readonly rows: readonly number[];
}

/** Splits an A1 formula around its relative rows (`$P8` and `P8`, not `P$8`), skipping text in quotes and sheet names. */
export function rowTemplate(formula: string): RowTemplate {
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
export function fillRows(t: RowTemplate, delta: number): string | null {
  let out = t.texts[0] as string;
  for (let k = 0; k < t.rows.length; k++) {
    const moved = (t.rows[k] as number) + delta;
    if (moved < 1 || moved > SHEET_ROWS) return null;
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
  // Not moved: nothing to read (a shared rule's first area, most narrowed rules).
  if (delta === 0) return formula;
  return fillRows(rowTemplate(formula), delta);
}

