/**
 * What the adapter needs to know about the host it runs in: how many round trips a batch used (and whether a
 * write was sent), and how an office-js error reads as a sentence. The table of error sentences here is the
 * only one: the adapter's messages and the pane's notifications (src/ui/notify.ts) both use it.
 */
import { RefreshAction, RefreshError } from './contract';

/** The request and response limit of Excel on the web, in bytes. */
export const PAYLOAD_LIMIT_BYTES = 5_000_000;

/** UTF-8 length of a string, as the request is measured. */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i += 1;
    } else n += 3;
  }
  return n;
}

/** A step of a request: its bytes, and (for a step that can be cut, such as a write of many rows) how to cut it. */
export interface PackableStep<S> {
  readonly bytes: number;
  /**
   * The step cut in two, the first part within `room` bytes; undefined when no useful first part fits. A step that
   * can be cut fills the room the request has left instead of starting a new request.
   */
  readonly split?: (room: number) => readonly [S, S] | undefined;
}

/**
 * Room a request must have left before a step is cut to fill it: a part smaller than this would cost more in
 * repeated paths and ranges than the room it fills.
 */
export const MIN_SPLIT_ROOM = 32 * 1024;

/**
 * Groups steps (writes or reads) into requests that each stay under the budget, in order. A step that would pass
 * the budget is cut where it can be, so that its first part fills the request and the rest starts the next.
 */
export function packSteps<S extends PackableStep<S>>(steps: readonly S[], budget: number): S[][] {
  const batches: S[][] = [];
  let current: S[] = [];
  let size = 0;
  const close = (): void => {
    batches.push(current);
    current = [];
    size = 0;
  };
  // Steps still to place, the next last.
  const pending = [...steps].reverse();
  for (let s = pending.pop(); s !== undefined; s = pending.pop()) {
    if (size + s.bytes <= budget) {
      current.push(s);
      size += s.bytes;
      continue;
    }
    const parts = budget - size >= MIN_SPLIT_ROOM ? s.split?.(budget - size) : undefined;
    if (parts !== undefined) {
      current.push(parts[0]);
      pending.push(parts[1]);
      close();
    } else if (current.length > 0) {
      close();
      pending.push(s);
    } else {
      // Larger than a request on its own and cannot be cut: sent alone, for the host to accept or refuse.
      current.push(s);
      close();
    }
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Counts the `context.sync()` round trips of one `Excel.run`, and whether a write request was sent. */
export class SyncCounter {
  private used = 0;
  private wrote = false;

  constructor(private readonly context: Excel.RequestContext) {}

  /** Round trips so far. */
  get count(): number {
    return this.used;
  }

  /**
   * True once a write request has been sent, whether or not it succeeded: Excel applies the operations
   * queued before a failing one, so from then on the workbook may have changed.
   */
  get writeSent(): boolean {
    return this.wrote;
  }

  /** Sends the queued work (loads) to Excel. */
  async sync(): Promise<void> {
    this.used += 1;
    await this.context.sync();
  }

  /** Sends queued writes to Excel. */
  async syncWrites(): Promise<void> {
    this.wrote = true;
    await this.sync();
  }
}

/**
 * What to tell a person for each office-js error code they can act on. `where` names the place involved
 * ('sheet "Report"', 'the workbook'); the sentence completes "Could not refresh the scorecard: …".
 */
const OFFICE_ERROR_SENTENCES: Readonly<Record<string, (where: string) => string>> = {
  AccessDenied: (where) => `${where} is protected or read-only. Unprotect it (Review › Unprotect Sheet, or Review › Protect Workbook for the workbook's structure) and try again.`,
  ItemNotFound: (where) => `something on ${where} was renamed or deleted while Excel was working. Try again.`,
  ItemAlreadyExists: (where) => `something on ${where} already has a name Scorecard Refresh uses. Try again; if it keeps happening, remove the scorecard and refresh.`,
  RequestPayloadSizeLimitExceeded: (where) => `what had to be written to ${where} is more than Excel accepts in one request (5 MB). Split the table, or refresh in Excel for the desktop.`,
  ResponsePayloadSizeLimitExceeded: (where) => `${where} holds more than Excel can send in one response (5 MB). Move large data to another workbook or refresh in Excel for the desktop.`,
  InvalidArgument: (where) => `Excel refused a value for ${where}. Check that the sheet names are valid and try again.`,
  InvalidReference: (where) => `Excel refused a value for ${where}. Check that the sheet names are valid and try again.`,
  InvalidOperationInCellEditMode: () => 'a cell is being edited. Press Enter or Esc in the sheet and try again.',
  ApiNotFound: () => 'this version of Excel lacks a feature Scorecard Refresh needs (Excel 2019 or Microsoft 365 required).',
  NotImplemented: () => 'this version of Excel lacks a feature Scorecard Refresh needs (Excel 2019 or Microsoft 365 required).',
  UnsupportedOperation: () => 'this version of Excel lacks a feature Scorecard Refresh needs (Excel 2019 or Microsoft 365 required).',
};

/** The sentence for an office-js error code (see {@link OFFICE_ERROR_SENTENCES}), or undefined when there is none. */
export function officeErrorSentence(code: string | undefined, where = 'the workbook'): string | undefined {
  return code === undefined ? undefined : OFFICE_ERROR_SENTENCES[code]?.(where);
}

/** The sentence for an error Excel raised whose code has no sentence of its own. */
export function unknownOfficeErrorSentence(code: string): string {
  return `Excel reported a problem (${code}). Try again; if it keeps happening, save the workbook and reopen it.`;
}

const SHEET_WORDS = (sheets: readonly string[]): string =>
  sheets.length === 1 ? `sheet "${sheets[0]}"` : sheets.length > 1 ? `one of the sheets ${sheets.map((s) => `"${s}"`).join(', ')}` : 'the workbook';

/** The office-js error code of an error, if it has one (OfficeExtension.Error always has one). */
export function officeErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The first line of an error's message, short enough for a notification. */
export function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** What a failed command writes about what it may have changed (commands that write only). */
export const NOTHING_WRITTEN = 'Nothing was written.';
export const MAY_HAVE_WRITTEN = 'Some changes may already have been made: check the sheet, then refresh again (or remove the scorecard) once the problem is fixed.';

/** How {@link toRefreshError} describes the failure. */
export interface FailureContext {
  /** What was being done; gives the notification its title. */
  readonly action?: RefreshAction;
  /**
   * For commands that write: whether a write request had been sent (see {@link SyncCounter.writeSent}).
   * Undefined for commands that never write (no sentence about writing is added).
   */
  readonly wrote?: boolean;
}

function writingSentence(wrote: boolean | undefined): string {
  return wrote === undefined ? '' : ` ${wrote ? MAY_HAVE_WRITTEN : NOTHING_WRITTEN}`;
}

/**
 * Turns whatever a batch threw into a {@link RefreshError} whose message is a sentence naming the sheet(s)
 * involved. `doing` says what was being done ("write the scorecard"); `sheets` are the sheets the batch used.
 * An error without an office-js code comes from the add-in itself and is reported as an internal problem.
 */
export function toRefreshError(error: unknown, doing: string, sheets: readonly string[], context: FailureContext = {}): RefreshError {
  const { action, wrote } = context;
  if (error instanceof RefreshError) {
    // Raised by the adapter itself, before anything was written (e.g. a protected sheet found while reading).
    if (error.action !== undefined || action === undefined) return error;
    return new RefreshError(error.message, error.sheet, {
      ...(error.code !== undefined ? { code: error.code } : {}),
      ...(error.cause !== undefined ? { cause: error.cause } : {}),
      action,
      mayHaveWritten: error.mayHaveWritten,
    });
  }
  const code = officeErrorCode(error);
  const where = SHEET_WORDS(sheets);
  const sheet = sheets.length === 1 ? sheets[0] : undefined;
  let message: string;
  if (code === undefined) {
    const said = error instanceof Error ? firstLine(error.message) : typeof error === 'string' ? firstLine(error) : '';
    message = `Could not ${doing}: Scorecard Refresh ran into an internal problem${said !== '' ? ` (${said})` : ''}. Excel and the workbook are not at fault; please report it.`;
  } else {
    const sentence = officeErrorSentence(code, where);
    message = sentence !== undefined
      ? `Could not ${doing}: ${sentence}`
      : `Could not ${doing}${sheets.length > 0 ? ` on ${where}` : ''}: ${unknownOfficeErrorSentence(code)}`;
  }
  return new RefreshError(`${message}${writingSentence(wrote)}`, sheet, {
    ...(code !== undefined ? { code } : {}),
    cause: error,
    ...(action !== undefined ? { action } : {}),
    mayHaveWritten: wrote === true,
  });
}
