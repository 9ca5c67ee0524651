/**
 * The one place the add-in tells a person that something failed. It turns whatever was thrown into a title and a
 * sentence (never a raw object, a stack or a JSON dump) and shows them with office-js-helpers' message bar.
 *
 * office-js-helpers ships as one pre-built bundle (lodash, rxjs, OAuth helpers, dialogs); only its `UI` is used, and
 * it is loaded on the first error, as a chunk of its own, so that a pane that never fails never pays for it.
 */
import { RefreshError } from '../excel/contract';

/** What a person is told about a failure. */
export interface ErrorNotice {
  readonly title: string;
  readonly message: string;
}

/** Excel error codes a person can act on, with what to do. */
const OFFICE_ERROR_ADVICE: Readonly<Record<string, ErrorNotice>> = {
  AccessDenied: {
    title: 'A sheet is protected',
    message: 'Excel would not let the add-in write to a protected sheet. Unprotect it (Review › Unprotect Sheet) and try again.',
  },
  InvalidOperationInCellEditMode: {
    title: 'Excel is editing a cell',
    message: 'Finish editing the cell (press Enter or Esc), then try again.',
  },
  RequestPayloadSizeLimitExceeded: {
    title: 'The workbook is too large for one pass',
    message: 'Excel on the web limits how much one request may carry. Try the desktop app, or move large data to another workbook.',
  },
  ResponsePayloadSizeLimitExceeded: {
    title: 'The workbook is too large for one pass',
    message: 'Excel on the web limits how much one request may carry. Try the desktop app, or move large data to another workbook.',
  },
  ItemNotFound: {
    title: 'A sheet or cell has gone',
    message: 'Something the add-in expected was renamed or deleted meanwhile. Refresh the scorecard to read the workbook again.',
  },
};

function isOfficeError(error: unknown): error is Error & { readonly code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0]?.trim() ?? '';
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** Returns the title and message a person sees for `error`, whatever was thrown. */
export function describeError(error: unknown): ErrorNotice {
  if (error instanceof RefreshError) {
    return { title: 'The scorecard was not refreshed', message: firstLine(error.message) || 'Nothing was written.' };
  }
  if (isOfficeError(error)) {
    const advice = OFFICE_ERROR_ADVICE[error.code];
    if (advice) return advice;
    const said = firstLine(error.message);
    return { title: 'Excel reported a problem', message: said ? `${said} (${error.code})` : `Excel error ${error.code}.` };
  }
  if (error instanceof Error) {
    return { title: 'Something went wrong', message: firstLine(error.message) || error.name };
  }
  if (typeof error === 'string' && error.trim() !== '') {
    return { title: 'Something went wrong', message: firstLine(error) };
  }
  return { title: 'Something went wrong', message: 'An unexpected problem stopped the add-in. Try again.' };
}

// office-js-helpers draws its close button as a Fabric icon font glyph and gives the bar no role; the pane's CSS
// draws the glyph, and these attributes let a screen reader announce the bar and name the button.
function labelNotification(): void {
  const bar = document.querySelector<HTMLElement>('.office-js-helpers-notification');
  if (!bar) return;
  bar.setAttribute('role', 'alert');
  bar.querySelector('button')?.setAttribute('aria-label', 'Dismiss');
}

/**
 * Shows `error` as a message bar at the top of the page. Resolves true when it was shown, false when it could only be
 * written to the console (no page to show it on, or the notification could not load). Never rejects.
 */
export async function notifyError(error: unknown): Promise<boolean> {
  const { title, message } = describeError(error);
  // Kept for whoever debugs the add-in (F12); the person using it sees only the title and message.
  console.error(`${title}: ${message}`, error);
  if (typeof document === 'undefined' || !document.body) return false;
  try {
    const { UI } = await import(/* webpackChunkName: "office-helpers" */ '@microsoft/office-js-helpers');
    UI.notify(message, title, 'error');
    labelNotification();
    return true;
  } catch (failure) {
    console.error('The notification could not be shown.', failure);
    return false;
  }
}
