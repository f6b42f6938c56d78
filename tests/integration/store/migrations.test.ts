import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { migrationsFolder } from '../../../src/store/paths.js';
import { createRepositories } from '../../../src/usecases/repositories.js';

interface Journal {
  entries: Array<{ idx: number; when: number; tag: string; version: string; breakpoints: boolean }>;
}
const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;

/** A migrations folder holding the first `count` committed migrations, plus any extra files. */
function migrationsUpTo(dir: string, count: number, extra: Array<{ tag: string; sql: string }> = []): string {
  const folder = join(dir, `migrations-${count}-${extra.length}`);
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const entries = journal.entries.slice(0, count);
  for (const entry of entries)
    copyFileSync(join(migrationsFolder, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  let when = entries.at(-1)?.when ?? 0;
  for (const file of extra) {
    when += 1000;
    entries.push({ idx: entries.length, version: '6', when, tag: file.tag, breakpoints: true });
    writeFileSync(join(folder, `${file.tag}.sql`), file.sql);
  }
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'sqlite', entries }),
  );
  return folder;
}

/**
 * The database the first release wrote: its only migration (0000_ledger) applied by drizzle's own
 * migrator, as that release did, and rows written with the columns that release had.
 */
function firstReleaseDatabase(dir: string): string {
  const path = join(dir, 'first-release.sqlite');
  const sqlite = new Database(path);
  migrate(drizzle({ client: sqlite }), { migrationsFolder: migrationsUpTo(dir, 1) });
  const at = '2026-01-05T02:00:00.000Z';
  sqlite.exec(`
    INSERT INTO agencies (id, name, kind) VALUES (1, '市发展改革委', 'agency'), (2, '市财政局', 'agency');
    INSERT INTO agency_aliases (agency_id, alias) VALUES (1, '发改委');
    INSERT INTO documents (id, title, content_hash, source_name, imported_at, revised_at)
      VALUES (1, '关于优化营商环境的若干措施', 'hash-1', 'decision.txt', '${at}', '${at}');
    INSERT INTO articles (id, document_id, ordinal, label, title, body, clause)
      VALUES (1, 1, 1, '第一条', '压缩审批时限', '……', '市发展改革委牵头，市财政局配合');
    INSERT INTO tasks (article_id, agency_id, assignee, written_name, role, status, percent, created_at, updated_at)
      VALUES (1, 1, '市发展改革委', '市发展改革委', 'lead', 'in_progress', 40, '${at}', '${at}'),
             (1, 2, '市财政局', '市财政局', 'support', 'not_started', 0, '${at}', '${at}');
    INSERT INTO people (open_id, name, role, agency_id, created_at) VALUES ('ou_lead', '张三', 'official', 1, '${at}');
  `);
  sqlite.close();
  return path;
}

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'duban-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('bring a database made by the first release up to the current schema and keep its data', () => {
    const path = firstReleaseDatabase(dir);
    const db = openDatabase({ path });
    try {
      const sqlite = db.$client;
      const recorded = sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {
        n: number;
      };
      expect(recorded.n).toBe(journal.entries.length);
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
      // The latest tables and columns exist.
      const outboxColumns = (sqlite.pragma('table_info(outbox)') as Array<{ name: string }>).map(
        (c) => c.name,
      );
      expect(outboxColumns).toEqual(
        expect.arrayContaining(['lease_owner', 'lease_until', 'first_attempt_at']),
      );
      // And the first release's rows read through today's repositories.
      const repos = createRepositories(db);
      expect(
        repos.agencies
          .listAgencies({ includeInactive: true })
          .map((a) => a.name)
          .sort(),
      ).toEqual(['市发展改革委', '市财政局'].sort());
      const tasks = repos.tasks.listTasks();
      expect(tasks.map((t) => [t.assignee, t.status, t.percent])).toEqual([
        ['市发展改革委', 'in_progress', 40],
        ['市财政局', 'not_started', 0],
      ]);
    } finally {
      closeDatabase(db);
    }
    // Opening again applies nothing more.
    const again = openDatabase({ path });
    const n = again.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
    expect(n.n).toBe(journal.entries.length);
    closeDatabase(again);
  });

  it('apply each migration in its own transaction: a failing one leaves the earlier ones applied and the database consistent', () => {
    const path = firstReleaseDatabase(dir);
    const folder = migrationsUpTo(dir, journal.entries.length, [
      {
        tag: '9000_good',
        sql: 'CREATE TABLE `probe_good` (`id` integer PRIMARY KEY);',
      },
      {
        // The first statement works, the second fails: the first must be undone with it.
        tag: '9001_bad',
        sql: 'CREATE TABLE `probe_half` (`id` integer PRIMARY KEY);--> statement-breakpoint\nALTER TABLE `no_such_table` ADD `x` text;',
      },
    ]);
    expect(() => openDatabase({ path, migrationsFolder: folder })).toThrow(/9001_bad/);

    const sqlite = new Database(path, { readonly: true });
    try {
      const tables = (
        sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>
      ).map((t) => t.name);
      expect(tables).toContain('probe_good');
      expect(tables).not.toContain('probe_half');
      const recorded = sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as {
        n: number;
      };
      expect(recorded.n).toBe(journal.entries.length + 1);
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect((sqlite.prepare('SELECT count(*) AS n FROM tasks').get() as { n: number }).n).toBe(2);
    } finally {
      sqlite.close();
    }
  });

  it('are committed under db/migrations with one journal entry each', () => {
    const files = readdirSync(migrationsFolder).filter((f) => f.endsWith('.sql'));
    expect(files.sort()).toEqual(journal.entries.map((e) => `${e.tag}.sql`).sort());
  });
});
