/**
 * Builds typed .xlsx workbooks from the text of a report, as if a user had typed every cell into Excel (en-GB):
 * "88.0%" becomes the number 0.88 shown with 0.0%, "(284)" the number -284 shown with brackets, "Dec-15" the date
 * 1 Dec 2015 shown as mmm-yy, and anything Excel would keep as text stays text.
 *
 * Where Excel's own choice of number format would change what the cell shows ("48.0" typed into a General cell
 * shows "48"), the format chosen is the one the report's author must have applied to show the text as printed, so
 * that typing followed by number-format rendering gives the original text back.
 */
import * as ExcelJS from 'exceljs';
import { basename, extname } from 'path';
import { readFileSync } from 'fs';
import { format as formatNumber } from 'numfmt';

/** A value as Excel stores it after typing. */
export type ExcelTypedValue = string | number | boolean | Date | { readonly error: string };

/** What Excel stores for typed text: the value and, when Excel applies one, the number format. */
export interface TypedCell {
  readonly value: ExcelTypedValue;
  readonly numFmt?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A number as Excel (en-GB) accepts it typed: signs, £, brackets, thousands separators, %, exponent. */
const TYPED_NUMBER = new RegExp(
  '^(?<open>\\()?(?<sign>[-+])?(?<cur>£)?(?<sign2>[-+])?' +
  '(?<num>(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d*)?|\\.\\d+)' +
  '(?<exp>[eE][-+]?\\d+)?(?<pct>%)?(?<close>\\))?$',
);

const ERROR_VALUES = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A'];

/** Two-digit years as Excel reads them: 00–29 are 2000–2029, 30–99 are 1930–1999. */
function fullYear(digits: string): number {
  const y = Number(digits);
  if (digits.length === 4) return y;
  return y < 30 ? 2000 + y : 1900 + y;
}

function typeDate(t: string): TypedCell | undefined {
  const monthYear = /^([A-Za-z]{3})-(\d{2}|\d{4})$/.exec(t);
  if (monthYear?.[1] !== undefined && monthYear[2] !== undefined) {
    const month = MONTHS.indexOf(monthYear[1].toLowerCase());
    if (month < 0) return undefined;
    return {
      value: new Date(Date.UTC(fullYear(monthYear[2]), month, 1)),
      numFmt: monthYear[2].length === 2 ? 'mmm-yy' : 'mmm-yyyy',
    };
  }
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(t);
  if (dmy?.[1] !== undefined && dmy[2] !== undefined && dmy[3] !== undefined) {
    const [day, month, year] = [Number(dmy[1]), Number(dmy[2]) - 1, fullYear(dmy[3])];
    const date = new Date(Date.UTC(year, month, day));
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month || date.getUTCDate() !== day) return undefined;
    return { value: date, numFmt: 'dd/mm/yyyy' };
  }
  return undefined;
}

function typeNumber(t: string): TypedCell | undefined {
  const g = TYPED_NUMBER.exec(t)?.groups;
  if (g?.num === undefined) return undefined;
  const bracketed = g.open !== undefined;
  if (bracketed !== (g.close !== undefined)) return undefined;
  const signs = [g.sign, g.sign2].filter((s) => s !== undefined);
  if (signs.length > 1 || (bracketed && signs.length > 0)) return undefined;
  const currency = g.cur !== undefined;
  const percent = g.pct !== undefined;
  const exponent = g.exp !== undefined;
  if (currency && percent) return undefined;
  const grouped = g.num.includes(',');
  if (exponent && (currency || percent || grouped)) return undefined;

  const digits = g.num.replace(/,/g, '');
  const magnitude = Number(digits + (g.exp ?? '') + (percent ? 'e-2' : ''));
  const negative = bracketed || signs[0] === '-';
  const value = negative && magnitude !== 0 ? -magnitude : magnitude;

  const dot = digits.indexOf('.');
  const decimals = dot < 0 ? 0 : digits.length - dot - 1;
  const dec = decimals > 0 ? `.${'0'.repeat(decimals)}` : '';
  const whole = dot < 0 ? digits : digits.slice(0, dot);
  // Grouping is shown when the text has it, or when it cannot show (under 1,000) and a bracket or £ format needs a pattern.
  const group = grouped || ((bracketed || currency) && Math.abs(magnitude) < 1000) ? '#,##0'
    : /^0\d/.test(whole) ? '0'.repeat(whole.length) : '0';

  let positive: string;
  if (exponent) {
    const mantissa = /\.(\d+)/.exec(g.num)?.[1]?.length ?? 0;
    positive = `0${mantissa > 0 ? `.${'0'.repeat(mantissa)}` : ''}E+00`;
  } else if (percent) {
    positive = `${group}${dec}%`;
  } else if (currency) {
    positive = `"£"${group}${dec}`;
  } else if (grouped || group !== '0' || bracketed) {
    positive = `${group}${dec}`;
  } else {
    // Plain numbers: General when it shows the text as typed ("287", "7.53"), else the decimals shown ("48.0").
    const canonical = t.replace(/^\+/, '');
    if (formatNumber('General', value) === canonical) return { value };
    positive = `0${dec}`;
  }
  return { value, numFmt: bracketed ? `${positive};(${positive})` : positive };
}

/**
 * Returns what Excel (en-GB) stores when a user types the text into a cell. Text that Excel keeps as text
 * ("2013-14", "Q1", "£240k", "4.5% **", ">85%", "N/A") comes back unchanged.
 */
export function typeAsExcel(text: string): TypedCell {
  if (text.startsWith("'")) return { value: text.slice(1) };
  const t = text.replace(/^[ \t]+|[ \t]+$/g, '');
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
  const error = ERROR_VALUES.find((e) => e === t.toUpperCase());
  if (error !== undefined) return { value: { error } };
  return typeNumber(t) ?? typeDate(t) ?? { value: text };
}

/** Puts each line of tab-separated text into a sheet, row by row from A1, typing every field as Excel would. */
export function buildTypedWorkbook(tsvText: string, sheetName: string): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  const lines = tsvText.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, r) => {
    line.split('\t').forEach((field, c) => {
      if (field.trim() === '') return; // empty and single-space fields stay empty cells
      const typed = typeAsExcel(field);
      const cell = ws.getCell(r + 1, c + 1);
      cell.value = typed.value as ExcelJS.CellValue;
      if (typed.numFmt !== undefined) cell.numFmt = typed.numFmt;
    });
  });
  return wb;
}

/** Writes the typed workbook of a .tsv file to an .xlsx file; the sheet is named after the .tsv file. */
export async function writeTypedXlsx(tsvPath: string, outPath: string): Promise<void> {
  const sheetName = basename(tsvPath, extname(tsvPath)).replace(/[[\]:*?/\\]/g, '_').slice(0, 31);
  const wb = buildTypedWorkbook(readFileSync(tsvPath, 'utf8'), sheetName);
  await wb.xlsx.writeFile(outPath);
}
