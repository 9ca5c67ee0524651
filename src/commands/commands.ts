/**
 * The ribbon's Refresh scorecard button (ExecuteFunction `refreshScorecard` in manifest.xml): refreshes every
 * scorecard in the workbook without opening the pane. The event is always completed, whatever happens, so that Excel
 * never shows the command as still running.
 */
import { refreshScorecard } from '../excel';
import type { ExcelRun } from '../excel/contract';
import { notifyError } from '../ui/notify';

/** The action's id, as the manifest's <FunctionName> names it. */
export const REFRESH_ACTION = 'refreshScorecard';

/** Refreshes the workbook's scorecards, shows any failure, then completes `event`. */
async function onRefreshScorecard(event: Office.AddinCommands.Event): Promise<void> {
  try {
    await refreshScorecard(Excel.run.bind(Excel) as ExcelRun);
  } catch (error) {
    // With no pane the message bar may have nowhere to show; notifyError then leaves it in the console.
    await notifyError(error).catch(() => console.error('Refresh scorecard failed.', error));
  } finally {
    event.completed();
  }
}

Office.onReady(() => {
  if (Office.actions?.associate) {
    Office.actions.associate(REFRESH_ACTION, onRefreshScorecard);
  } else {
    // Hosts older than the actions API call the function file's global of the same name.
    (globalThis as Record<string, unknown>)[REFRESH_ACTION] = onRefreshScorecard;
  }
}).catch((error: unknown) => console.error('Office did not start the ribbon commands.', error));
