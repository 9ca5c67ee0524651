/** The row-rule language and every judging rule written once in it, with a TypeScript and an Excel back end. */
export * from './expr';
export * from './values';
export * from './evaluate';
export * from './emit';
export * from './fold';
export * from './vocabulary';
export * from './row-rules';
export * from './block';
