/** Whether this Excel can run the add-in. */

/** The requirement set every command needs (conditional formats, suspended calculation). */
export const REQUIRED_EXCEL_API = '1.6';

/** Returns ok when the host supports ExcelApi 1.6, else a message saying which Excel is needed. */
export function checkRequirements(): { ok: true } | { ok: false; message: string } {
  if (typeof Office === 'undefined' || Office.context?.requirements === undefined) {
    return { ok: false, message: 'Scorecard Refresh runs inside Excel. Open this add-in from Excel 2019 or Microsoft 365.' };
  }
  if (Office.context.requirements.isSetSupported('ExcelApi', REQUIRED_EXCEL_API)) return { ok: true };
  return {
    ok: false,
    message: `This version of Excel is too old for Scorecard Refresh: it needs Excel 2019 or Microsoft 365 (Excel JavaScript API ${REQUIRED_EXCEL_API}; Windows version 1704 or later, Mac 15.36 or later, or Excel on the web).`,
  };
}
