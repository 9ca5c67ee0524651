/**
 * The ribbon's Refresh scorecard button (ExecuteFunction `refreshScorecard` in manifest.xml): refreshes every
 * scorecard in the workbook without opening the pane. A failure is shown in a small dialog (message.html), since
 * this page is never shown. The event is completed exactly once, whatever happens, so that Excel never shows the
 * command as still running.
 */
import { refreshScorecard } from '../excel';
import type { ExcelRun } from '../excel/contract';
import { describeError, ErrorNotice } from '../ui/notify';
import { CLOSE_MESSAGE, dialogTimeLeft, messageUrl } from './dialog';

/** The action's id, as the manifest's <FunctionName> names it. */
export const REFRESH_ACTION = 'refreshScorecard';

/** The dialog's size, in percent of the Excel window. */
const DIALOG_SIZE = { height: 30, width: 35 } as const;

/**
 * Shows `notice` in the message dialog and resolves once the dialog has gone (closed by the person, by its Close
 * button, or when the command's time is nearly up: see {@link dialogTimeLeft}, counted from `invokedAt`). Resolves
 * at once when there is no dialog API or it could not open one: the notice is then only in the console. Never
 * rejects.
 */
function showMessage(notice: ErrorNotice, invokedAt: number): Promise<void> {
  const ui = typeof Office === 'undefined' ? undefined : Office.context?.ui;
  if (!ui || typeof ui.displayDialogAsync !== 'function') return Promise.resolve();
  return new Promise<void>((gone) => {
    const url = messageUrl(window.location.href, notice);
    ui.displayDialogAsync(url, { ...DIALOG_SIZE, displayInIframe: true }, (result) => {
      if (result.status !== Office.AsyncResultStatus.Succeeded) {
        console.error(`The message could not be shown in a dialog (${result.error?.code ?? 'no code'}: ${result.error?.message ?? ''}).`);
        gone();
        return;
      }
      const dialog = result.value;
      let finished = false;
      const finish = (close: boolean): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (close) {
          try {
            dialog.close();
          } catch (error) {
            console.error('The message dialog could not be closed.', error);
          }
        }
        gone();
      };
      const timer = setTimeout(() => finish(true), dialogTimeLeft(invokedAt, Date.now()));
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (args) => {
        if ('message' in args && args.message === CLOSE_MESSAGE) finish(true);
      });
      // 12006: the person closed the dialog; 12002/12003: its page did not load. Either way it has gone.
      dialog.addEventHandler(Office.EventType.DialogEventReceived, (args) => {
        if ('error' in args && args.error !== 12006) console.error(`The message dialog failed (${args.error}).`);
        finish(false);
      });
    });
  }).catch((error: unknown) => console.error('The message could not be shown in a dialog.', error));
}

/** Refreshes the workbook's scorecards, shows any failure (and waits for it to be dismissed), then completes `event`. */
async function onRefreshScorecard(event: Office.AddinCommands.Event): Promise<void> {
  const invokedAt = Date.now();
  try {
    await refreshScorecard(Excel.run.bind(Excel) as ExcelRun);
  } catch (error) {
    const notice = describeError(error);
    // Kept for whoever debugs the add-in (F12), and the only trace where there is no dialog API.
    console.error(`${notice.title}: ${notice.message}`, error);
    // Completing the event closes a dialog opened by the command on some hosts, so it waits for the dialog.
    await showMessage(notice, invokedAt);
  } finally {
    event.completed();
  }
}

Office.onReady(() => {
  if (Office.actions?.associate) {
    Office.actions.associate(REFRESH_ACTION, onRefreshScorecard);
  } else {
    // Hosts older than the actions API call the function file's global of the same name.
    (window as unknown as Record<string, unknown>)[REFRESH_ACTION] = onRefreshScorecard;
  }
}).catch((error: unknown) => console.error('Office did not start the ribbon commands.', error));
