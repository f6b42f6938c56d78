import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const fn of cleanups.splice(0).reverse()) fn();
});

/** `npm start` as a process: tsx src/main.ts, sandbox mode (no credentials), on a temp database. */
function start(dbPath: string): { child: ChildProcess; output: () => string; healthUrl: Promise<string> } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('LARK_') && !key.startsWith('DUBAN_')) env[key] = value;
  }
  const child = spawn(process.execPath, ['--import', 'tsx', join(process.cwd(), 'src', 'main.ts')], {
    env: {
      ...env,
      DUBAN_DB_PATH: dbPath,
      DUBAN_SANDBOX_PORT: '0',
      DUBAN_HEALTH_PORT: '0',
      DUBAN_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let out = '';
  const healthUrl = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /Health: (http:\/\/\S+\/healthz)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`exited with ${code} before starting:\n${out}`)));
  });
  return { child, output: () => out, healthUrl };
}

describe('graceful shutdown', () => {
  it('on SIGTERM stops taking events, closes the database cleanly and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-shutdown-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'duban.sqlite');
    const app = start(dbPath);
    const healthUrl = await app.healthUrl;
    const res = await fetch(healthUrl);
    expect(res.status).toBe(200);

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      app.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    app.child.kill('SIGTERM');
    const { code, signal } = await exited;
    expect({ code, signal }, app.output()).toEqual({ code: 0, signal: null });
    expect(app.output()).toMatch(/"msg":"stopping"/);
    expect(app.output()).toMatch(/"msg":"stopped"/);

    // The last connection closed: the WAL was folded back into the file and removed.
    const wal = `${dbPath}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const sending = db.prepare("SELECT count(*) AS n FROM outbox WHERE status = 'sending'").get() as {
        n: number;
      };
      expect(sending.n).toBe(0);
    } finally {
      db.close();
    }
    // Starting the sandbox compiles and seeds a city: generous on a shared 2-core machine.
  }, 120_000);
});
