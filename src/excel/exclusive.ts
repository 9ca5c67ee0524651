/**
 * One queue for every command that writes to the workbook: a Refresh click, the watch's refresh after an edit,
 * a removal. Two of them at once would read the same workbook and write over each other's blocks; queued, each
 * reads what the one before it wrote.
 */

const settle = (): void => undefined;

/** Settles when the last queued task has; never rejects. */
let tail: Promise<void> = Promise.resolve();

/**
 * Runs `task` once every task queued before it has settled, and resolves or rejects as it does. A task that
 * fails does not stop the ones queued after it. Do not call it from inside a task: that task would wait for itself.
 */
export function runExclusive<T>(task: () => Promise<T>): Promise<T> {
  const result = tail.then(task);
  tail = result.then(settle, settle);
  return result;
}
