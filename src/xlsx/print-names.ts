/**
 * ExcelJS writes a sheet's print area and print titles as `'<sheet name>'!$A:$B` without doubling an apostrophe in
 * the name, so a sheet called "Children's KPIs" with a print area (the user's own, read from the file, or the titles
 * "Fit to page width" sets) comes out as a defined name Excel must repair. This module, imported wherever the
 * command line writes a workbook, puts the quoting right as ExcelJS prepares the workbook for writing.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WorkbookXform = require('exceljs/lib/xlsx/xform/book/workbook-xform') as { prototype: { prepare: (model: PreparedModel) => void } };

interface PreparedModel {
  definedNames?: Array<{ name: string; ranges?: string[] }>;
}

const PRINT_NAMES = new Set(['_xlnm.Print_Area', '_xlnm.Print_Titles']);

/** `'Children's KPIs'!$A:$B` → `'Children''s KPIs'!$A:$B`; a reference already quoted right is left as it is. */
export function quotePrintReference(reference: string): string {
  const m = /^'(.*)'!([^!]*)$/.exec(reference);
  if (m === null || m[1] === undefined) return reference;
  const name = m[1].replace(/''/g, "'");
  return `'${name.replace(/'/g, "''")}'!${m[2] ?? ''}`;
}

const prepare = WorkbookXform.prototype.prepare;
if (!(prepare as { quotesPrintNames?: boolean }).quotesPrintNames) {
  const quoting = function (this: unknown, model: PreparedModel): void {
    prepare.call(this, model);
    for (const name of model.definedNames ?? []) {
      if (PRINT_NAMES.has(name.name) && name.ranges !== undefined) name.ranges = name.ranges.map(quotePrintReference);
    }
  };
  WorkbookXform.prototype.prepare = Object.assign(quoting, { quotesPrintNames: true });
}
