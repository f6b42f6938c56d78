import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';

const opened: DubanDatabase[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const db of opened.splice(0)) closeDatabase(db);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tableNames(db: DubanDatabase): string[] {
  return db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
}

describe('openDatabase', () => {
  it('creates every ledger table in memory from the committed migrations with foreign keys on', () => {
    const db = openDatabase({ path: ':memory:' });
    opened.push(db);
    expect(tableNames(db)).toEqual(
      expect.arrayContaining([
        'documents',
        'parts',
        'articles',
        'agencies',
        'agency_aliases',
        'tasks',
        'indicators',
        'audit_events',
        'people',
        'special_chats',
        'inbound_events',
        'inbound_messages',
      ]),
    );
    expect(db.$client.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('opens a file in WAL mode with synchronous NORMAL and reopens it without reapplying migrations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-store-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'duban.sqlite');
    const first = openDatabase({ path });
    expect(first.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.$client.pragma('synchronous', { simple: true })).toBe(1);
    const applied = first.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get();
    closeDatabase(first);
    const second = openDatabase({ path });
    opened.push(second);
    expect(second.$client.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(applied);
  });

  it('refuses to update or delete an audit event', () => {
    const db = openDatabase({ path: ':memory:' });
    opened.push(db);
    db.$client
      .prepare(
        "INSERT INTO audit_events (at, actor, channel, entity, entity_id, action) VALUES ('2026-01-01T00:00:00Z', 'cli', 'cli', 'task', '1', 'created')",
      )
      .run();
    expect(() => db.$client.prepare("UPDATE audit_events SET actor = 'x'").run()).toThrow(/append-only/);
    expect(() => db.$client.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
    // The columns that say where a change came from are as fixed as the rest.
    expect(() => db.$client.prepare("UPDATE audit_events SET message_id = 'om_forged'").run()).toThrow(
      /append-only/,
    );
    expect(() => db.$client.prepare("UPDATE audit_events SET actor_name = 'x', agency_id = 1").run()).toThrow(
      /append-only/,
    );
  });

  it('rejects a task that points at an article that does not exist', () => {
    const db = openDatabase({ path: ':memory:' });
    opened.push(db);
    expect(() =>
      db.$client
        .prepare(
          "INSERT INTO tasks (article_id, assignee, written_name, role, created_at, updated_at) VALUES (999, 'x', 'x', 'lead', 'a', 'a')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
