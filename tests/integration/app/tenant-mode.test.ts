// Production mode (LARK_* set) pointed at the Lark emulator as if it were a tenant: the only
// differences from a real deployment are the URL and the credentials.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { DubanError } from '../../../src/core/errors.js';
import { createLarkEmulator, type LarkEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/logger.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startTenantApp(extraEnv: Record<string, string> = {}) {
  const emulator: LarkEmulator = createLarkEmulator({
    encryptKey: 'tenant-encrypt-key',
    verificationToken: 'tenant-token',
  });
  await emulator.start();
  cleanups.push(() => emulator.stop());
  const dir = mkdtempSync(join(tmpdir(), 'duban-tenant-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const coordinator = emulator.addUser({ name: '赵督查' });
  const config = loadConfig({
    env: {
      DUBAN_DB_PATH: join(dir, 'duban.sqlite'),
      LARK_APP_ID: emulator.appId,
      LARK_APP_SECRET: emulator.appSecret,
      LARK_DOMAIN: emulator.url,
      LARK_TRANSPORT: 'webhook',
      LARK_ENCRYPT_KEY: 'tenant-encrypt-key',
      LARK_VERIFICATION_TOKEN: 'tenant-token',
      DUBAN_WEBHOOK_HOST: '127.0.0.1',
      DUBAN_WEBHOOK_PORT: '0',
      DUBAN_COORDINATORS: coordinator.open_id,
      ...extraEnv,
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
  return { emulator, started, coordinator };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('running against a tenant', () => {
  it('answers a new group with onboarding, lets the configured coordinator bind it by command, and replies in Chinese', async () => {
    const { emulator, started, coordinator } = await startTenantApp();
    expect(started.emulator).toBeUndefined();
    const chat = emulator.createChat({ name: '科技局工作群', members: [coordinator.open_id], bot: true });
    await until(() => emulator.messages(chat.chat_id).length > 0);
    expect(JSON.stringify(emulator.messages(chat.chat_id)[0]?.content)).toContain('督办助手已加入本群');

    emulator.postAsUser({
      chat_id: chat.chat_id,
      open_id: coordinator.open_id,
      text: '@督办 /bind 广州市科学技术局',
    });
    await until(() => emulator.messages(chat.chat_id).length >= 3);
    const answer = emulator.messages(chat.chat_id)[2];
    expect(answer?.sender.type).toBe('app');
    expect(JSON.stringify(answer?.content)).toContain('已将本群绑定到「市科技局」');
    expect(createAgencyRepository({ db: started.db }).findAgencyByChat(chat.chat_id)?.name).toBe('市科技局');
  });

  it('refuses to start with a wrong app secret and says what to fix', async () => {
    const failure = await startTenantApp({ LARK_APP_SECRET: 'wrong' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DubanError);
    expect((failure as DubanError).code).toBe('lark.api_error');
    expect((failure as DubanError).hint).toMatch(/secret|App ID|凭证|credentials/i);
  });
});
