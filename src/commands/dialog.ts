/**
 * What the ribbon command and its message dialog (message.html) share: the page, how the title and message travel in
 * its query string, and the message the dialog sends back when the person closes it. No Office, no DOM: both
 * bundles import it.
 */

/** The dialog page, beside commands.html. */
export const MESSAGE_PAGE = 'message.html';

/** What the dialog sends the command (Office.context.ui.messageParent) when the person closes it. */
export const CLOSE_MESSAGE = 'close';

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
