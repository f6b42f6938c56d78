// Tenant mode against an emulator that behaves like a strict Lark: repeated pushes under new event
// ids, and contact names only with the field scope and inside the contact range.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app.js';
import { createLarkChat } from '../../../src/chat/index.js';
import { loadConfig } from '../../../src/config/index.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { createLarkEmulator, type LarkEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/logger.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startTenantApp(emulator: LarkEmulator) {
  await emulator.start();
  cleanups.push(() => emulator.stop());
  const dir = mkdtempSync(join(tmpdir(), 'duban-strict-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const coordinator = emulator.addUser({ name: '赵督查' });
  const config = loadConfig({
    env: {
      DUBAN_DB_PATH: join(dir, 'duban.sqlite'),
      LARK_APP_ID: emulator.appId,
      LARK_APP_SECRET: emulator.appSecret,
      LARK_DOMAIN: emulator.url,
      LARK_TRANSPORT: 'webhook',
      LARK_VERIFICATION_TOKEN: emulator.verificationToken,
      DUBAN_WEBHOOK_HOST: '127.0.0.1',
      DUBAN_WEBHOOK_PORT: '0',
      DUBAN_COORDINATORS: coordinator.open_id,
    },
  });
  const app: App = createApp({
    config,
    logger: silentLogger,
    clock: createFixedClock('2026-11-29T14:00:00Z'),
  });
  const started = await app.start();
  cleanups.push(() => app.stop());
  emulator.setWebhookUrl(started.webhookUrl);
  return { coordinator };
}

describe('the bot under a strict Lark', () => {
  it('answers a message once when Lark pushes it again under a new event_id', async () => {
    const emulator = createLarkEmulator({ repushWithNewEventId: 1 });
    const { coordinator } = await startTenantApp(emulator);
    const chat = emulator.createChat({ name: '督查室工作群', members: [coordinator.open_id], bot: true });
    emulator.clearDeliveries();
    const posted = emulator.postAsUser({
      chat_id: chat.chat_id,
      open_id: coordinator.open_id,
      text: '@督办 /help',
    });
    await emulator.idle();
    const pushes = emulator.deliveries().filter((d) => d.event_type === 'im.message.receive_v1');
    expect(pushes).toHaveLength(2);
    expect(new Set(pushes.map((d) => d.event_id)).size).toBe(2);
    expect(pushes.every((d) => d.attempts.at(-1)?.status === 200)).toBe(true);
    // Give a second (wrong) answer time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answers = emulator
      .messages(chat.chat_id)
      .filter((m) => m.sender.type === 'app' && m.parent_id === posted.message.message_id);
    expect(answers).toHaveLength(1);
  });
});

describe('contact names need the field scope and the contact range', () => {
  const chatFor = (emulator: LarkEmulator) =>
    createLarkChat({
      appId: emulator.appId,
      appSecret: emulator.appSecret,
      domain: emulator.url,
      logger: silentLogger,
    });

  it('gives the name with both, and null (no name, or 41050) without either', async () => {
    const emulator = createLarkEmulator();
    await emulator.start();
    cleanups.push(() => emulator.stop());
    const alice = emulator.addUser({ name: '张伟' }).open_id;
    const bob = emulator.addUser({ name: '王芳' }).open_id;

    const granted = chatFor(emulator);
    cleanups.push(() => granted.close());
    expect(await granted.userName(alice)).toBe('张伟');

    emulator.setAppSettings({ contactNames: false });
    const noScope = chatFor(emulator);
    cleanups.push(() => noScope.close());
    expect(await noScope.userName(alice)).toBeNull();

    emulator.setAppSettings({ contactNames: true, contactRange: [alice] });
    const narrow = chatFor(emulator);
    cleanups.push(() => narrow.close());
    expect(await narrow.userName(alice)).toBe('张伟');
    expect(await narrow.userName(bob)).toBeNull();

    const res = await fetch(`${emulator.url}/_emulator/app`);
    expect(await res.json()).toEqual({ group_messages: true, contact_names: true, contact_range: [alice] });
  });

  it('answers the contact API with 41050 outside the range and with ids but no name without the scope', async () => {
    const emulator = createLarkEmulator();
    await emulator.start();
    cleanups.push(() => emulator.stop());
    const alice = emulator.addUser({ name: '张伟' }).open_id;
    await fetch(`${emulator.url}/_emulator/app`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contact_names: false, contact_range: [] }),
    });
    const token = (await (
      await fetch(`${emulator.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        body: JSON.stringify({ app_id: emulator.appId, app_secret: emulator.appSecret }),
      })
    ).json()) as { tenant_access_token: string };
    const get = () =>
      fetch(`${emulator.url}/open-apis/contact/v3/users/${alice}?user_id_type=open_id`, {
        headers: { authorization: `Bearer ${token.tenant_access_token}` },
      }).then((r) => r.json() as Promise<{ code: number; data?: { user: Record<string, unknown> } }>);
    expect((await get()).code).toBe(41050);
    emulator.setAppSettings({ contactRange: 'all' });
    const body = await get();
    expect(body.code).toBe(0);
    expect(body.data?.user.open_id).toBe(alice);
    expect(body.data?.user).not.toHaveProperty('name');
  });
});
