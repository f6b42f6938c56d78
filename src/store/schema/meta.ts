/** What a database knows about itself: which mode made it, and the sandbox's own secret. */
import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { DATABASE_MODES } from '../../core/vocabulary.js';

/** One row at most (id 1): written when a mode first starts on the database, read at every start. */
export const databaseMeta = sqliteTable(
  'database_meta',
  {
    id: integer('id').primaryKey(),
    mode: text('mode', { enum: DATABASE_MODES }).notNull(),
    /** Who made it: 'sandbox', 'tenant', 'duban import', or 'inferred' for a database older than the marker. */
    madeBy: text('made_by').notNull(),
    madeAt: text('made_at').notNull(),
    /** The sandbox's event encryption key, generated once per database so no two sandboxes share one. */
    sandboxEncryptKey: text('sandbox_encrypt_key'),
  },
  (t) => [check('database_meta_one_row', sql`${t.id} = 1`)],
);

export type DatabaseMetaRow = typeof databaseMeta.$inferSelect;
