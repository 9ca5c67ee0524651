/**
 * What the ribbon command and its message dialog (message.html) share: the page, how the title and message travel in
 * its query string, and the message the dialog sends back when the person closes it. No Office, no DOM: both
 * bundles import it.
 */

/** The dialog page, beside commands.html. */
export const MESSAGE_PAGE = 'message.html';

/** What the dialog sends the command (Office.context.ui.messageParent) when the person closes it. */
export const CLOSE_MESSAGE = 'close';

/**
 * How long a ribbon command may run, from its invocation, before the add-in closes its dialog and completes the
 * event: Excel ends a command that has not completed within five minutes, so a minute is kept in hand.
 */
export const COMMAND_TIME_MS = 4 * 60 * 1000;

/**
 * Returns how long the message dialog may stay open (ms, never negative) when the command was invoked at
 * `invokedAt` and it is now `now`: the refresh before it has already used part of the command's time.
 */
export function dialogTimeLeft(invokedAt: number, now: number): number {
  return Math.max(0, invokedAt + COMMAND_TIME_MS - now);
}

/** Longest title or message carried in the URL; the rest is cut with an ellipsis. */
const MAX_LENGTH = 600;

/** What the dialog shows. */
export interface DialogMessage {
  readonly title: string;
  readonly message: string;
}

const FALLBACK: DialogMessage = { title: 'Scorecard Refresh', message: 'Something went wrong. Try again.' };

function clip(text: string): string {
  const t = text.trim();
  return t.length > MAX_LENGTH ? `${t.slice(0, MAX_LENGTH - 1)}…` : t;
}

/** Returns the dialog's URL, resolved against `base` (the command page's own URL), carrying `notice`. */
export function messageUrl(base: string, notice: DialogMessage): string {
  const url = new URL(MESSAGE_PAGE, base);
  url.search = new URLSearchParams({ title: clip(notice.title), message: clip(notice.message) }).toString();
  url.hash = '';
  return url.href;
}

/** Returns the title and message in a query string ("?title=…&message=…"), with defaults for what is missing. */
export function readMessage(search: string): DialogMessage {
  const params = new URLSearchParams(search);
  return {
    title: clip(params.get('title') ?? '') || FALLBACK.title,
    message: clip(params.get('message') ?? '') || FALLBACK.message,
  };
}
