/** The scorecard engine: pure functions from a workbook snapshot to an evaluation, a report and a write plan. */
export * from './snapshot';
export * from './address';
export * from './compare';
export * from './value';
export * from './target';
export * from './period';
export * from './polarity';
export * from './findings';
export * from './vocabulary';
export * from './detect';
export * from './judge';
export * from './evaluate';
export * from './report';
export * from './plan';
export * from './display';
export * from './summary';
export * from './print';
