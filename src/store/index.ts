// The store's public surface: open the database, then build repositories over it.
export * from './audit-repository.js';
export * from './database.js';
export * from './inbound-repository.js';
export * from './ledger-repository.js';
export { defaultDatabasePath, migrationsFolder, projectRoot, resolveFromRoot } from './paths.js';
