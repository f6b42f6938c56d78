import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/logger.js';
import { startTenantApp, stopTenantApps } from '../../helpers/tenant.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await stopTenantApps();
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function get(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('GET /healthz', () => {
  it('is served on the webhook server on a tenant: process, database and Lark all ok', async () => {
    const { started } = await startTenantApp({ schedule: false });
    expect(started.webhookUrl).toBeDefined();
    const url = new URL('/healthz', started.webhookUrl).toString();
    const { status, body } = await get(url);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      checks: { process: { status: 'ok' }, database: { status: 'ok' }, lark: { status: 'ok' } },
    });
    // The webhook path still answers as before; other paths are still refused.
    expect((await fetch(new URL('/nope', started.webhookUrl))).status).toBe(404);
  });

  it('has its own small server in the sandbox (and with the long connection), on loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-health-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = loadConfig({
      env: { DUBAN_DB_PATH: join(dir, 'duban.sqlite'), DUBAN_SANDBOX_PORT: '0', DUBAN_LOG_LEVEL: 'silent' },
    });
    const app = createApp({
      config,
      logger: silentLogger,
      clock: createFixedClock('2026-11-29T14:00:00Z'),
      schedule: false,
    });
    cleanups.push(() => app.stop());
    const started = await app.start();
    expect(started.healthUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/healthz$/);
    expect(started.banner.join('\n')).toContain(started.healthUrl);
    const { status, body } = await get(started.healthUrl as string);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'ok' }, lark: { status: 'ok' } },
    });
    expect((await fetch(started.healthUrl?.replace('/healthz', '/other') as string)).status).toBe(404);
  });
});
