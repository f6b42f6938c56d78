import type { DubanDatabase } from './database.js';

/**
 * A cheap proof that the database answers: one indexed read of the migrations table (also proving
 * the schema is there). Throws what SQLite throws.
 */
export function pingDatabase(db: DubanDatabase): { migrations: number } {
  const row = db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
  return { migrations: row.n };
}
