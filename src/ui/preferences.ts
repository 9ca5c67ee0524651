/**
 * Choices that belong to the person, not to the workbook: kept in this browser profile's storage for the add-in's
 * origin (localStorage, which the pane and the ribbon command share), so that they follow no workbook to its other
 * readers and co-authors. Excel has no per-user settings store of its own for add-ins (Office.context.roamingSettings
 * is Outlook's), so a choice stays on the computer where it was made.
 */

/** The storage key of "Re-check as I type". */
export const WATCH_PREFERENCE_KEY = 'scorecard.recheck-as-I-type';

/** The browser's localStorage, or undefined where there is none or it is refused (private modes, blocked storage). */
export function localStore(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** Returns true when this person chose to have tables re-checked as they type; false (the default) otherwise. */
export function isWatchChosen(store: Storage | undefined = localStore()): boolean {
  try {
    return store?.getItem(WATCH_PREFERENCE_KEY) === 'on';
  } catch {
    return false;
  }
}

/** Remembers whether this person wants tables re-checked as they type. Returns false when it could not be kept. */
export function chooseWatch(on: boolean, store: Storage | undefined = localStore()): boolean {
  if (store === undefined) return false;
  try {
    if (on) store.setItem(WATCH_PREFERENCE_KEY, 'on');
    else store.removeItem(WATCH_PREFERENCE_KEY);
    return true;
  } catch {
    return false;
  }
}
