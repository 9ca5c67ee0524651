/**
 * The one place the add-in tells a person that something failed. It turns whatever was thrown into a title and a
 * sentence (never a raw object, a stack or a JSON dump) and shows them in a message bar at the top of the page,
 * built from elements and text nodes only.
 */
import { RefreshAction, RefreshError } from '../excel/contract';
import { firstLine, officeErrorCode, officeErrorSentence, unknownOfficeErrorSentence } from '../excel/host';

/** What a person is told about a failure. */
export interface ErrorNotice {
  readonly title: string;
  readonly message: string;
}

/** The title of a failed command's notification, by what was being done. */
const ACTION_TITLES: Readonly<Record<RefreshAction, string>> = {
  refresh: 'The scorecard was not refreshed',
  detect: 'The workbook could not be read',
  remove: 'The scorecard was not removed',
  select: 'Could not go to that cell',
  'load-options': 'Options could not be read',
  'save-options': 'Options were not saved',
  watch: 'Watching for edits ran into a problem',
};

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Returns the title and message a person sees for `error`, whatever was thrown: the adapter's RefreshError as
 * written (titled by its action), an office-js error by the sentence for its code (src/excel/host.ts keeps the
 * one table of them), anything else as a problem inside the add-in.
 */
export function describeError(error: unknown): ErrorNotice {
  if (error instanceof RefreshError) {
    return { title: ACTION_TITLES[error.action ?? 'refresh'], message: firstLine(error.message) || 'Try again.' };
  }
  const code = officeErrorCode(error);
  if (code !== undefined) {
    const sentence = officeErrorSentence(code);
    return { title: 'Excel reported a problem', message: capitalise(sentence ?? unknownOfficeErrorSentence(code)) };
  }
  const said = error instanceof Error ? firstLine(error.message) || error.name : typeof error === 'string' ? firstLine(error) : '';
  return {
    title: 'Scorecard Refresh ran into an internal problem',
    message: `${said !== '' ? `${said.replace(/[.!?…]+$/, '')}. ` : ''}This is a fault in the add-in, not in Excel or the workbook. Try again; if it keeps happening, please report it.`,
  };
}

/** The class of the notification bar (one at a time, at the top of the page). */
export const NOTIFICATION_CLASS = 'notification';

/**
 * Draws the notification bar: the title and the message as text, and a Dismiss button. Any bar already shown is
 * replaced. Part of the pane's own bundle, so that showing a failure never needs the network (which may be what
 * failed).
 */
function showNotification(title: string, message: string): void {
  for (const old of Array.from(document.querySelectorAll(`.${NOTIFICATION_CLASS}`))) old.parentNode?.removeChild(old);
  const bar = document.createElement('div');
  bar.className = NOTIFICATION_CLASS;
  bar.setAttribute('role', 'alert');
  const text = document.createElement('div');
  text.className = 'notification-text';
  const heading = document.createElement('div');
  heading.className = 'notification-title';
  heading.textContent = title;
  const body = document.createElement('div');
  body.textContent = message;
  text.appendChild(heading);
  text.appendChild(body);
  const dismiss = document.createElement('button');
  dismiss.type = 'button';
  dismiss.className = 'notification-dismiss';
  dismiss.setAttribute('aria-label', 'Dismiss');
  dismiss.textContent = '✕';
  dismiss.addEventListener('click', () => bar.parentNode?.removeChild(bar));
  bar.appendChild(text);
  bar.appendChild(dismiss);
  document.body.insertBefore(bar, document.body.firstChild);
}

/**
 * Shows `error` as a message bar at the top of the page. Resolves true when it was shown, false when it could only be
 * written to the console (no page to show it on). Never rejects.
 */
export async function notifyError(error: unknown): Promise<boolean> {
  const { title, message } = describeError(error);
  // Kept for whoever debugs the add-in (F12); the person using it sees only the title and message.
  console.error(`${title}: ${message}`, error);
  if (typeof document === 'undefined' || !document.body) return false;
  try {
    showNotification(title, message);
    return true;
  } catch (failure) {
    console.error('The notification could not be shown.', failure);
    return false;
  }
}
