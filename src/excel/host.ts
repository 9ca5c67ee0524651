/**
 * What the adapter needs to know about the host it runs in: which optional members it has, how many round
 * trips a batch used, and how an office-js error reads as a sentence.
 */
import { RefreshError } from './contract';

/** The request and response limit of Excel on the web, in bytes. */
export const PAYLOAD_LIMIT_BYTES = 5_000_000;

/** Counts the `context.sync()` round trips of one `Excel.run`. */
export class SyncCounter {
  private used = 0;

  constructor(private readonly context: Excel.RequestContext) {}

  /** Round trips so far. */
  get count(): number {
    return this.used;
  }

  /** Sends the queued work to Excel. */
  async sync(): Promise<void> {
    this.used += 1;
    await this.context.sync();
  }
}

function descriptorOf(target: object, property: string): PropertyDescriptor | undefined {
  for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, property);
    if (d !== undefined) return d;
  }
  return undefined;
}

/**
 * Returns true when the proxy object lets `property` be set. office-js defines every property of an API set
 * as an accessor on the class's prototype, so this holds on every Excel host for members of ExcelApi 1.1–1.6;
 * a stand-in for Excel (a test emulator) may leave some out.
 */
export function canSet(target: object, property: string): boolean {
  const d = descriptorOf(target, property);
  return d !== undefined && (d.set !== undefined || d.writable === true);
}

/** Returns true when the proxy object has the method `name` (see {@link canSet}). */
export function hasMethod(target: object, name: string): boolean {
  return typeof descriptorOf(target, name)?.value === 'function';
}

/**
 * Returns true when the host supports the ExcelApi requirement set `version`. Inside Office this asks
 * `Office.context.requirements`; without an Office host (tests), the proxy object is asked instead.
 */
export function isExcelApiSupported(version: string, probe: () => boolean): boolean {
  if (typeof Office !== 'undefined' && Office.context?.requirements !== undefined) {
    return Office.context.requirements.isSetSupported('ExcelApi', version);
  }
  return probe();
}

const SHEET_WORDS = (sheets: readonly string[]): string =>
  sheets.length === 1 ? `sheet "${sheets[0]}"` : sheets.length > 1 ? `one of the sheets ${sheets.map((s) => `"${s}"`).join(', ')}` : 'the workbook';

/** The office-js error code of an error, if it has one. */
export function officeErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns whatever a batch threw into a {@link RefreshError} whose message is a sentence naming the sheet(s)
 * involved. `doing` says what was being done ("write the scorecard"); `sheets` are the sheets the batch used.
 */
export function toRefreshError(error: unknown, doing: string, sheets: readonly string[]): RefreshError {
  if (error instanceof RefreshError) return error;
  const code = officeErrorCode(error);
  const where = SHEET_WORDS(sheets);
  const sheet = sheets.length === 1 ? sheets[0] : undefined;
  let message: string;
  switch (code) {
    case 'AccessDenied':
      message = `Could not ${doing}: ${where} is protected or read-only. Unprotect it (Review › Unprotect Sheet) and try again.`;
      break;
    case 'ItemNotFound':
      message = `Could not ${doing}: something on ${where} was renamed or deleted while Excel was working. Try again.`;
      break;
    case 'RequestPayloadSizeLimitExceeded':
      message = `Could not ${doing}: what had to be written to ${where} is more than Excel accepts in one request (5 MB). Split the table, or refresh in Excel for the desktop.`;
      break;
    case 'ResponsePayloadSizeLimitExceeded':
      message = `Could not ${doing}: ${where} holds more than Excel can send in one response (5 MB). Move large data to another workbook or refresh in Excel for the desktop.`;
      break;
    case 'InvalidArgument':
    case 'InvalidReference':
      message = `Could not ${doing}: Excel refused a value for ${where}. Check that the sheet names are valid and try again.`;
      break;
    case 'InvalidOperationInCellEditMode':
      message = `Could not ${doing}: a cell is being edited. Press Enter or Esc in the sheet and try again.`;
      break;
    case 'ApiNotFound':
    case 'NotImplemented':
    case 'UnsupportedOperation':
      message = `Could not ${doing}: this version of Excel lacks a feature Scorecard Refresh needs (Excel 2019 or Microsoft 365 required).`;
      break;
    default:
      message = `Could not ${doing}${sheets.length > 0 ? ` on ${where}` : ''}: Excel reported a problem${code !== undefined ? ` (${code})` : ''}. Try again; if it keeps happening, save the workbook and reopen it.`;
  }
  return new RefreshError(message, sheet, { ...(code !== undefined ? { code } : {}), cause: error });
}
