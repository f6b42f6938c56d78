// Every table of the product. Each feature keeps its tables in its own file here; drizzle-kit reads the folder.

export * from './evidence.js';
export * from './instructions.js';
export * from './ledger.js';
export * from './meta.js';
export * from './outbox.js';
export * from './progress.js';
export * from './review.js';
export * from './scheduler.js';
