/**
 * Duban as it runs on a real tenant, for tests: the app started with credentials against the Lark
 * emulator, nothing seeded by the sandbox, over either transport: the webhook (signed and encrypted
 * pushes) or the long connection (the SDK's WSClient, the production default). The only differences
 * from a deployment are the URL and the credentials.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { createFixedClock } from '../../src/core/clock.js';
import { createLarkEmulator, type LarkEmulator, type LarkEmulatorOptions } from '../../src/emulator/index.js';
import { type Logger, silentLogger } from '../../src/logger.js';
import { createAgencyRepository } from '../../src/store/agency-repository.js';
import type { DubanDatabase } from '../../src/store/database.js';
import { applyImport } from '../../src/usecases/import-decision.js';
import { loadRegistry, smallDecision } from '../integration/store/ledger-fixtures.js';

/** Both ways Lark hands the bot its events; end-to-end tests run over each. */
export const TRANSPORTS = ['webhook', 'websocket'] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** What a test started, stopped in reverse order by `stopAll`. */
const cleanups: (() => Promise<void> | void)[] = [];

export async function stopTenantApps(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

export async function startTenantApp(
  input: {
    emulator?: LarkEmulator;
    emulatorOptions?: Partial<LarkEmulatorOptions>;
    env?: Record<string, string>;
    /** The app's fixed clock; default Sunday 2026-11-29 22:00 in Shanghai. */
    now?: string;
    /** False keeps the prompt schedule off (tests that run cycles themselves). */
    schedule?: boolean;
    /** Default silent; a test that reads the log lines passes its own. */
    logger?: Logger;
    /** LARK_TRANSPORT, and the emulator's subscription mode to match; default webhook. */
    transport?: Transport;
  } = {},
) {
  const transport = input.transport ?? 'webhook';
  const emulator =
    input.emulator ??
    createLarkEmulator({
      encryptKey: 'tenant-encrypt-key',
      verificationToken: 'tenant-token',
      ...input.emulatorOptions,
    });
  emulator.setTransport(transport);
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
      LARK_TRANSPORT: transport,
      ...(emulator.encryptKey ? { LARK_ENCRYPT_KEY: emulator.encryptKey } : {}),
      LARK_VERIFICATION_TOKEN: emulator.verificationToken,
      DUBAN_WEBHOOK_HOST: '127.0.0.1',
      DUBAN_WEBHOOK_PORT: '0',
      DUBAN_COORDINATORS: coordinator.open_id,
      ...input.env,
    },
  });
  const app: App = createApp({
    config,
    logger: input.logger ?? silentLogger,
    clock: createFixedClock(input.now ?? '2026-11-29T14:00:00Z'),
    ...(input.schedule === false ? { schedule: false } : {}),
  });
  const started = await app.start();
  cleanups.push(() => app.stop());
  if (transport === 'webhook') emulator.setWebhookUrl(started.webhookUrl);
  else {
    // start() returns before the SDK's socket is up, as on a tenant. A test begins once the SDK has
    // pinged: it listens for frames only after its 'open' handler's promise settles, so an event sent
    // in the same breath as the handshake can be dropped by the SDK and wait for Lark's retry (15 s).
    const pinged = () => (emulator.longConnections()[0]?.pings ?? 0) > 0;
    await until(pinged);
    if (!pinged()) throw new Error('the bot never opened the long connection');
  }
  return { emulator, started, coordinator };
}

/** The small decision in the tenant's ledger, imported as `duban import` would a week before the tests' day. */
export function importSmallDecision(db: DubanDatabase): void {
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry: loadRegistry(),
    now: new Date('2026-11-20T00:00:00Z'),
    actor: 'test',
    channel: 'cli',
  });
}

/**
 * The coordinator binds each group as a person does in Lark (`@督办 /bind TARGET` posted in it), one
 * after the other, each once its binding is stored.
 */
export async function bindGroups(
  emulator: LarkEmulator,
  db: DubanDatabase,
  coordinatorOpenId: string,
  groups: ReadonlyArray<readonly [chat: { chat_id: string }, target: string]>,
): Promise<void> {
  const agencies = createAgencyRepository({ db });
  for (const [chat, target] of groups) {
    emulator.postAsUser({ chat_id: chat.chat_id, open_id: coordinatorOpenId, text: `@督办 /bind ${target}` });
    await until(() => agencies.bindingOfChat(chat.chat_id) !== null);
  }
}

/** Waits for what the bot does after Lark's ack; generous, as the whole suite shares two cores. */
export async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Every callback value on a card (buttons and forms), in order. */
export function buttonValues(content: unknown): Record<string, unknown>[] {
  return [...JSON.stringify(content).matchAll(/"value":(\{[^}]*\})/g)].map(
    (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
  );
}
