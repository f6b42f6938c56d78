// /import on a tenant (the app with credentials against the emulator): a coordinator posts a decision file
// in the coordinators' group, replies to it with /import, reads the preview card and taps [确认导入].
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { createLarkEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/logger.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createDocumentRepository } from '../../../src/store/document-repository.js';
import { docxOfText } from '../../helpers/docx.js';
import { smallDecision } from '../store/ledger-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

const buttonValues = (content: unknown) =>
  [...JSON.stringify(content).matchAll(/"value":(\{[^}]*\})/g)].map(
    (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
  );

describe('/import on a tenant', () => {
  it('a .docx posted in the coordinators group → /import in reply → preview → 确认导入 → imported once', async () => {
    const emulator = createLarkEmulator({ encryptKey: 'k', verificationToken: 'v' });
    await emulator.start();
    cleanups.push(() => emulator.stop());
    const dir = mkdtempSync(join(tmpdir(), 'duban-chat-import-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const coordinator = emulator.addUser({ name: '赵督查' });
    const config = loadConfig({
      env: {
        DUBAN_DB_PATH: join(dir, 'duban.sqlite'),
        LARK_APP_ID: emulator.appId,
        LARK_APP_SECRET: emulator.appSecret,
        LARK_DOMAIN: emulator.url,
        LARK_TRANSPORT: 'webhook',
        LARK_ENCRYPT_KEY: 'k',
        LARK_VERIFICATION_TOKEN: 'v',
        DUBAN_WEBHOOK_HOST: '127.0.0.1',
        DUBAN_WEBHOOK_PORT: '0',
        DUBAN_COORDINATORS: coordinator.open_id,
      },
    });
    const app: App = createApp({
      config,
      logger: silentLogger,
      clock: createFixedClock('2026-12-01T02:00:00Z'),
    });
    const started = await app.start();
    cleanups.push(() => app.stop());
    emulator.setWebhookUrl(started.webhookUrl);
    const agencies = createAgencyRepository({ db: started.db });
    const documents = createDocumentRepository({ db: started.db });

    const group = emulator.createChat({ name: '督查室', members: [coordinator.open_id] });
    emulator.postAsUser({ chat_id: group.chat_id, open_id: coordinator.open_id, text: '@督办 /bind 督查室' });
    await until(() => agencies.bindingOfChat(group.chat_id) !== null);
    expect(agencies.bindingOfChat(group.chat_id)).toEqual({ kind: 'special', role: 'coordinators' });

    const posted = emulator.postAsUser({
      chat_id: group.chat_id,
      open_id: coordinator.open_id,
      file: { name: '测试决定.docx', data: docxOfText(smallDecision) },
    });
    emulator.postAsUser({
      chat_id: group.chat_id,
      open_id: coordinator.open_id,
      text: '@督办 /import',
      parent_id: posted.message.message_id,
    });
    const isPreview = (m: { msg_type: string; content: unknown }) =>
      m.msg_type === 'interactive' && JSON.stringify(m.content).includes('import_confirm');
    await until(() => emulator.messages(group.chat_id).some(isPreview));
    const preview = emulator.messages(group.chat_id).find(isPreview)!;
    expect(JSON.stringify(preview.content)).toContain('关于加强测试工作的决定');
    expect(JSON.stringify(preview.content)).toContain('测试决定.docx');
    expect(documents.findDocumentByTitle('关于加强测试工作的决定')).toBeNull();
    const downloads = emulator.requestLog().filter((r) => /\/resources\//u.test(r.path));
    expect(downloads.map((r) => r.status)).toEqual([200]);

    const confirm = buttonValues(preview.content).find((v) => v.action === 'import_confirm')!;
    const first = await emulator.clickCard({
      message_id: preview.message_id,
      open_id: coordinator.open_id,
      value: confirm,
    });
    expect(JSON.stringify(first)).toContain('已导入');
    const document = documents.findDocumentByTitle('关于加强测试工作的决定');
    expect(document).not.toBeNull();
    expect(document?.sourceName).toBe('测试决定.docx');

    const second = await emulator.clickCard({
      message_id: preview.message_id,
      open_id: coordinator.open_id,
      value: confirm,
    });
    expect(JSON.stringify(second)).toContain('未重复导入');
    expect(documents.findDocumentByTitle('关于加强测试工作的决定')?.id).toBe(document?.id);
  });
});
