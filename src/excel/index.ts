/** The Office.js adapter: what the task pane and the ribbon command call (see ./contract). */
export * from './contract';
export { refreshScorecard, detectScorecard, openScorecard, removeScorecard, selectCell } from './refresh';
export type { OpenedScorecard, RefreshStep } from './refresh';
export { loadOptions, saveOptions, DEFAULT_OPTIONS, OPTIONS_KEY } from './settings';
export { startWatch } from './watch';
export { runExclusive } from './exclusive';
export { checkRequirements } from './requirements';
