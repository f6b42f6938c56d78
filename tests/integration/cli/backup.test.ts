import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { runCli } from '../../../src/cli/program.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { runCliCaptured } from '../../helpers/cli.js';

let dir: string;
let dbPath: string;
const NOW = new Date('2026-03-02T01:30:00Z');

async function cli(argv: string[], extra: Partial<CliIo> = {}) {
  const { code, stdout, stderr } = await runCliCaptured([...argv, '--db', dbPath], {
    env: { DUBAN_LOCALE: 'en-US' },
    cwd: dir,
    now: () => NOW,
    ...extra,
  });
  return { code, stdout, stderr };
}

function agencyNames(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM agencies ORDER BY id').all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
  } finally {
    db.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duban-backup-'));
  dbPath = join(dir, 'duban.sqlite');
  closeDatabase(openDatabase({ path: dbPath })); // the CLI refuses a missing ledger
  expect((await cli(['agencies'])).code).toBe(0); // a ledger with the registry's agencies
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('duban backup and duban restore', () => {
  it('backs up while the database is open in another connection, and refuses to overwrite a backup', async () => {
    const live = openDatabase({ path: dbPath });
    try {
      live.$client.exec("UPDATE agencies SET name = name || '（测试）' WHERE id = 1");
      const run = await cli(['backup', 'copy.sqlite']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/Backed up the database to .*copy\.sqlite/);
    } finally {
      closeDatabase(live);
    }
    // The copy holds what was written (still in the WAL) when it was taken.
    expect(agencyNames(join(dir, 'copy.sqlite'))[0]).toMatch(/（测试）$/);
    const again = await cli(['backup', 'copy.sqlite']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists/);
    expect((await cli(['backup', 'copy.sqlite', '--force'])).code).toBe(0);
  });

  it('restores a backup in place of the database and keeps the one it replaced', async () => {
    expect((await cli(['backup', 'before.sqlite'])).code).toBe(0);
    const original = agencyNames(dbPath);
    const db = new Database(dbPath);
    db.exec('DELETE FROM agency_aliases; UPDATE agencies SET active = 0');
    db.exec("UPDATE agencies SET name = 'changed-' || id");
    db.close();

    const run = await cli(['restore', 'before.sqlite', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { path: string; previous: string; migrations: number };
    expect(result.previous).toBe(`${dbPath}.before-restore-2026-03-02T01-30-00-000Z`);
    expect(agencyNames(dbPath)).toEqual(original);
    expect(agencyNames(result.previous)[0]).toBe('changed-1');
    // The restored database opens and works.
    const reopened = openDatabase({ path: dbPath });
    expect(reopened.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    closeDatabase(reopened);
    expect(readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('refuses to restore over a database another process has open', async () => {
    expect((await cli(['backup', 'b.sqlite'])).code).toBe(0);
    const live = openDatabase({ path: dbPath });
    try {
      const run = await cli(['restore', 'b.sqlite']);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/in use/);
      expect(run.stderr).toMatch(/Stop the bot/);
    } finally {
      closeDatabase(live);
    }
    expect(readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('refuses a file that is not a Duban database and leaves the database untouched', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'not a database at all');
    const plain = new Database(join(dir, 'other.sqlite'));
    plain.exec('CREATE TABLE t (x)');
    plain.close();
    const before = agencyNames(dbPath);
    for (const file of ['notes.txt', 'other.sqlite', 'missing.sqlite']) {
      const run = await cli(['restore', file]);
      expect(run.code, file).toBe(1);
      expect(run.stderr).toMatch(/not a Duban database|does not exist|cannot be opened/);
    }
    expect(agencyNames(dbPath)).toEqual(before);
    expect(existsSync(`${dbPath}.before-restore-2026-03-02T01-30-00-000Z`)).toBe(false);
  });

  it('refuses to back up a database that does not exist instead of creating one', async () => {
    const run = await runCli(['backup', join(dir, 'x.sqlite'), '--db', join(dir, 'nope', 'db.sqlite')], {
      stdout: { write: () => true },
      stderr: { write: () => true },
      env: {},
      cwd: dir,
    });
    expect(run).toBe(1);
    expect(existsSync(join(dir, 'nope'))).toBe(false);
  });
});
