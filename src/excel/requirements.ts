/** Whether this Excel can run the add-in, and which optional requirement sets it has. */

/**
 * The requirement set every command needs: conditional formats and suspended calculation (1.6),
 * `Worksheet.getRangeByIndexes`, `NamedItem.formula`, `RangeFormat.useStandardWidth`, `Worksheet.onChanged`
 * and `Workbook.protection` (1.7). The manifest declares the same set.
 */
export const REQUIRED_EXCEL_API = '1.7';

/** Whether ExcelApi `have` includes `need` ("1.10" is later than "1.9"). */
export function versionAtLeast(have: string, need: string): boolean {
  const a = have.split('.').map(Number);
  const b = need.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * Returns true when the host supports the ExcelApi requirement set `version`, as `Office.context.requirements`
 * says. This is the only way to ask: office-js defines every member of every set on its proxies whatever the
 * host supports, so probing a proxy for a member always answers yes. Without an Office host (a test that installs
 * none), only the required set ({@link REQUIRED_EXCEL_API}) and those before it count as supported.
 */
export function isExcelApiSupported(version: string): boolean {
  if (typeof Office === 'undefined' || Office.context?.requirements === undefined) return versionAtLeast(REQUIRED_EXCEL_API, version);
  return Office.context.requirements.isSetSupported('ExcelApi', version);
}

/** Returns ok when the host supports ExcelApi 1.7, else a message saying which Excel is needed. */
export function checkRequirements(): { ok: true } | { ok: false; message: string } {
  if (typeof Office === 'undefined' || Office.context?.requirements === undefined) {
    return { ok: false, message: 'Scorecard Refresh runs inside Excel. Open this add-in from Excel 2019 or Microsoft 365.' };
  }
  if (Office.context.requirements.isSetSupported('ExcelApi', REQUIRED_EXCEL_API)) return { ok: true };
  return {
    ok: false,
    message: `This version of Excel is too old for Scorecard Refresh: it needs Excel 2019 or Microsoft 365 (Excel JavaScript API ${REQUIRED_EXCEL_API}; Windows version 1801 or later, Mac 16.9 or later, or Excel on the web).`,
  };
}
