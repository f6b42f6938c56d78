// A database remembers which mode made it: the sandbox never seeds made-up people and groups into a
// real ledger, and a tenant never runs on the sandbox's made-up bindings.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app.js';
import { runCli } from '../../../src/cli/program.js';
import { loadConfig } from '../../../src/config/index.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { DubanError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { databaseModeOf } from '../../../src/store/database-mode.js';
import { projectRoot } from '../../../src/store/paths.js';
import { startTenantApp, stopTenantApps } from '../../helpers/tenant.js';

const dirs: string[] = [];
const apps: App[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  await stopTenantApps();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'duban-mode-'));
  dirs.push(dir);
  return join(dir, 'duban.sqlite');
}

function sandboxApp(path: string): App {
  const config = loadConfig({
    env: { DUBAN_DB_PATH: path, DUBAN_SANDBOX_PORT: '0', DUBAN_LOG_LEVEL: 'silent' },
  });
  const app = createApp({
    config,
    logger: silentLogger,
    clock: createFixedClock('2026-11-29T14:00:00Z'),
    schedule: false,
  });
  apps.push(app);
  return app;
}

async function importWithCli(path: string): Promise<void> {
  let stderr = '';
  const code = await runCli(
    ['import', join(projectRoot, 'config', 'default-decision.txt'), '--db', path, '--yes', '--json'],
    {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      env: {},
      cwd: projectRoot,
      now: () => new Date('2026-11-20T02:00:00Z'),
    },
  );
  expect(stderr).toBe('');
  expect(code).toBe(0);
}

/** What a start must not touch on a database it refuses: counts of every row a start would write. */
function footprint(path: string) {
  const db = openDatabase({ path });
  try {
    const n = (sql: string) => db.$client.prepare(sql).pluck().get() as number;
    return {
      bindings: n('SELECT count(*) FROM agencies WHERE chat_id IS NOT NULL'),
      specialChats: n('SELECT count(*) FROM special_chats'),
      people: n('SELECT count(*) FROM people'),
      outbox: n('SELECT count(*) FROM outbox'),
      audit: n('SELECT count(*) FROM audit_events'),
      agencies: n('SELECT count(*) FROM agencies'),
      jobRuns: n('SELECT count(*) FROM job_runs'),
      mark: databaseModeOf(db),
    };
  } finally {
    closeDatabase(db);
  }
}

async function refusal(start: Promise<unknown>): Promise<DubanError> {
  const error = await start.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DubanError);
  return error as DubanError;
}

describe('the database mode', () => {
  it('refuses to start the sandbox on a ledger made by `duban import`, and writes nothing to it', async () => {
    const path = tempDb();
    await importWithCli(path);
    const before = footprint(path);
    expect(before.mark).toMatchObject({ mode: 'tenant', madeBy: 'duban import' });
    expect(before).toMatchObject({ bindings: 0, specialChats: 0, people: 0, outbox: 0 });

    const error = await refusal(sandboxApp(path).start());
    expect(error.code).toBe('store.database_mode_mismatch');
    expect(error.message).toContain(path);
    expect(error.message).toContain('duban import');
    expect(error.hint).toContain('db/sandbox.sqlite');

    expect(footprint(path)).toEqual(before);
    expect(existsSync(`${path}.emulator.json`)).toBe(false);
  });

  it('refuses to start a tenant on a sandbox database, and writes nothing to it', async () => {
    const path = tempDb();
    const sandbox = sandboxApp(path);
    await sandbox.start();
    await sandbox.stop();
    const before = footprint(path);
    expect(before.mark).toMatchObject({ mode: 'sandbox', madeBy: 'sandbox' });

    const error = await refusal(startTenantApp({ env: { DUBAN_DB_PATH: path } }));
    expect(error.code).toBe('store.database_mode_mismatch');
    expect(error.message).toContain('sandbox');
    expect(error.hint).toContain('DUBAN_DB_PATH');
    expect(footprint(path)).toEqual(before);
  });

  it('starts each mode again on its own database', async () => {
    const path = tempDb();
    await importWithCli(path);
    const { started } = await startTenantApp({ env: { DUBAN_DB_PATH: path } });
    expect(databaseModeOf(started.db)).toMatchObject({ mode: 'tenant', madeBy: 'duban import' });
    await stopTenantApps();

    const sandboxPath = tempDb();
    await sandboxApp(sandboxPath).start();
    for (const app of apps.splice(0)) await app.stop();
    const again = await sandboxApp(sandboxPath).start();
    expect(databaseModeOf(again.db)?.mode).toBe('sandbox');
  });

  it('marks a new database with the mode that first starts on it', async () => {
    const path = tempDb();
    const { started } = await startTenantApp({ env: { DUBAN_DB_PATH: path } });
    expect(databaseModeOf(started.db)).toMatchObject({ mode: 'tenant', madeBy: 'tenant' });
  });

  describe('of a database made before the marker', () => {
    function dropMark(path: string): void {
      const db = openDatabase({ path });
      db.$client.exec('DELETE FROM database_meta');
      closeDatabase(db);
    }

    it("is the sandbox's when it holds the sandbox's groups: a tenant refuses it, the sandbox takes it", async () => {
      const path = tempDb();
      await sandboxApp(path).start();
      for (const app of apps.splice(0)) await app.stop();
      dropMark(path);
      const before = footprint(path);

      await refusal(startTenantApp({ env: { DUBAN_DB_PATH: path } }));
      expect(footprint(path)).toEqual(before);

      const started = await sandboxApp(path).start();
      expect(databaseModeOf(started.db)).toMatchObject({ mode: 'sandbox', madeBy: 'inferred' });
    });

    it('is a real ledger otherwise: the sandbox refuses it', async () => {
      const path = tempDb();
      await importWithCli(path);
      dropMark(path);
      const before = footprint(path);
      const error = await refusal(sandboxApp(path).start());
      expect(error.message).toContain('earlier tenant run');
      expect(footprint(path)).toEqual(before);
    });
  });
});

describe('bad configuration at start-up', () => {
  it('refuses a registry giving one group to two agencies with the entries named, before the database opens', async () => {
    const path = tempDb();
    const registry = join(path, '..', 'agencies.json');
    writeFileSync(
      registry,
      JSON.stringify([
        { name: '市科技局', kind: 'department', chatId: 'oc_shared' },
        { name: '市财政局', kind: 'department', chatId: 'oc_shared' },
      ]),
    );
    const error = await refusal(
      startTenantApp({ env: { DUBAN_DB_PATH: path, DUBAN_AGENCIES_FILE: registry } }),
    );
    expect(error.code).toBe('config.agencies_invalid');
    expect(error.message).toContain(
      'entry 2 (市财政局): chatId "oc_shared" is already the group of entry 1 (市科技局)',
    );
    expect(existsSync(path)).toBe(false);
  });
});

describe("the sandbox's encryption key", () => {
  it('is generated per database and kept across restarts of the same database', async () => {
    const path = tempDb();
    const first = await sandboxApp(path).start();
    const key = first.emulator?.encryptKey;
    for (const app of apps.splice(0)) await app.stop();
    const second = await sandboxApp(path).start();
    const other = await sandboxApp(tempDb()).start();

    expect(key).toMatch(/^[\w-]{32}$/);
    expect(key).not.toBe('duban-sandbox-encrypt-key');
    expect(second.emulator?.encryptKey).toBe(key);
    expect(other.emulator?.encryptKey).not.toBe(key);
  });
});
