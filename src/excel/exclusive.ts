/**
 * One refresh at a time: a Refresh click, the watch's refresh after an edit, a removal, and the ribbon's Refresh
 * scorecard button. Two of them at once would read the same workbook and write over each other's blocks; one after
 * the other, each reads what the one before it wrote.
 *
 * Within one runtime (the pane's page, or the ribbon command's) tasks wait in a queue. The pane and the ribbon command
 * run in separate runtimes, which share nothing but the origin's storage; there a lock in localStorage, holding its
 * owner, a timestamp and an expiry, keeps them apart. The holder renews it while it works; a runtime closed part-way
 * leaves a lock that expires.
 */
import { RefreshError } from './contract';

const settle = (): void => undefined;

/** Settles when the last queued task has; never rejects. */
let tail: Promise<void> = Promise.resolve();

/** The storage key of the lock between runtimes. */
export const REFRESH_LOCK_KEY = 'scorecard.refresh-lock';

/** How long a lock holds without being renewed: a runtime closed mid-refresh blocks the others no longer than this. */
export const LOCK_EXPIRY_MS = 30_000;

/** How often the holder renews the lock. */
const RENEW_MS = 10_000;

/** How often a waiting runtime looks again. */
const POLL_MS = 200;

/** How long a task waits for another runtime's refresh before giving up with a message. */
export const LOCK_WAIT_MS = 120_000;

/** The lock as stored. */
interface LockRecord {
  readonly owner: string;
  /** When it was taken or last renewed (ms since the epoch). */
  readonly at: number;
  /** When it lapses unless renewed (ms since the epoch). */
  readonly until: number;
}

/** How {@link runExclusive} reports. */
export interface ExclusiveHooks {
  /** Called once when the task has to wait for a refresh running in another runtime. */
  readonly onWait?: () => void;
}

/** This runtime's name in the lock. */
const OWNER = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

function sharedStore(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

function readLock(store: Storage): LockRecord | undefined {
  try {
    const value: unknown = JSON.parse(store.getItem(REFRESH_LOCK_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return undefined;
    const { owner, at, until } = value as Record<string, unknown>;
    return typeof owner === 'string' && typeof at === 'number' && typeof until === 'number' ? { owner, at, until } : undefined;
  } catch {
    return undefined;
  }
}

function writeLock(store: Storage, now: number): void {
  const record: LockRecord = { owner: OWNER, at: now, until: now + LOCK_EXPIRY_MS };
  store.setItem(REFRESH_LOCK_KEY, JSON.stringify(record));
}

const sleep = (ms: number): Promise<void> => new Promise((wake) => setTimeout(wake, ms));

/**
 * Takes the lock between runtimes, waiting while another runtime holds it. Resolves to a function that lets it go.
 * Where there is no storage (or it is refused) there is nothing to share, and nothing to wait for.
 */
async function takeSharedLock(hooks: ExclusiveHooks): Promise<() => void> {
  const store = sharedStore();
  if (store === undefined) return settle;
  const giveUpAt = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    const now = Date.now();
    const held = readLock(store);
    if (held === undefined || held.owner === OWNER || held.until <= now) {
      try {
        writeLock(store, now);
      } catch {
        return settle;
      }
      // Two runtimes may have written at the same moment: the one whose record stays has it.
      await sleep(25);
      if (readLock(store)?.owner === OWNER) break;
    } else if (now >= giveUpAt) {
      throw new RefreshError(
        'A refresh is already running in this workbook (from the ribbon\'s Refresh scorecard button or the Scorecard pane). Wait for it to finish, then try again.',
        undefined,
        { code: 'RefreshRunning' },
      );
    } else if (!told) {
      told = true;
      hooks.onWait?.();
    }
    await sleep(POLL_MS);
  }
  const renew = setInterval(() => {
    try {
      if (readLock(store)?.owner === OWNER) writeLock(store, Date.now());
    } catch {
      // Storage went away: the lock lapses on its own.
    }
  }, RENEW_MS);
  return () => {
    clearInterval(renew);
    try {
      if (readLock(store)?.owner === OWNER) store.removeItem(REFRESH_LOCK_KEY);
    } catch {
      // Nothing to let go of.
    }
  };
}

/**
 * Runs `task` once every task queued before it in this runtime has settled and no other runtime is refreshing, and
 * resolves or rejects as it does. A task that fails does not stop the ones queued after it. Rejects with a
 * RefreshError (code "RefreshRunning") when another runtime's refresh holds the lock past {@link LOCK_WAIT_MS}.
 * Do not call it from inside a task: that task would wait for itself.
 */
export function runExclusive<T>(task: () => Promise<T>, hooks: ExclusiveHooks = {}): Promise<T> {
  const result = tail.then(async () => {
    const release = await takeSharedLock(hooks);
    try {
      return await task();
    } finally {
      release();
    }
  });
  tail = result.then(settle, settle);
  return result;
}
