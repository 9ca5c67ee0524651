/**
 * The ribbon command's message dialog (message.html): shows the title and message passed in its query string, as
 * text only (never markup), and a Close button that asks the command to close the dialog.
 */
import { applyOfficeTheme } from '../taskpane/theme';
import { CLOSE_MESSAGE, readMessage } from './dialog';

/** Resolves once office.js is ready; false when it did not load (the page was opened outside Office). */
const officeReady: Promise<boolean> = typeof Office === 'undefined'
  ? Promise.resolve(false)
  : Office.onReady().then(() => true, () => false);

function element<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`The page has no <${type.name}> #${id}`);
  return node;
}

/** Asks the command to close the dialog; outside Office, closes the window. */
async function closeDialog(): Promise<void> {
  if ((await officeReady) && typeof Office.context?.ui?.messageParent === 'function') {
    Office.context.ui.messageParent(CLOSE_MESSAGE);
  } else {
    window.close();
  }
}

function show(): void {
  const { title, message } = readMessage(window.location.search);
  document.title = title;
  element('title', HTMLHeadingElement).textContent = title;
  element('message', HTMLParagraphElement).textContent = message;
  const close = element('close', HTMLButtonElement);
  close.addEventListener('click', () => void closeDialog());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') void closeDialog();
  });
  close.focus();
  void officeReady.then(() => applyOfficeTheme(document.documentElement));
}

show();
