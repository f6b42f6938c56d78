// An official answering a prompt in words, on a tenant (the app with credentials against the emulator):
// prompt → free-text reply in the card's thread → echo card → 确认 → the task updated, with and without
// the sensitive group-message scope (without it, only a reply that @-mentions the bot arrives).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { createLarkEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/logger.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { createPeopleRepository } from '../../../src/store/people-repository.js';
import { createTaskRepository } from '../../../src/store/task-repository.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';
import { loadRegistry, smallDecision } from '../store/ledger-fixtures.js';

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

describe('answering a prompt in words, on a tenant', () => {
  it.each([
    {
      scope: 'with the group-message scope',
      groupMessages: true,
      text: '第1条已完成70%，预计6月底完成，需市财政局配合',
    },
    {
      scope: 'with @-mentions only',
      groupMessages: false,
      text: '@督办 第1条已完成70%，预计6月底完成，需市财政局配合',
    },
  ])(
    'prompt → reply in the thread → echo card → 确认 → task updated ($scope)',
    async ({ groupMessages, text }) => {
      const emulator = createLarkEmulator({ encryptKey: 'k', verificationToken: 'v' });
      await emulator.start();
      cleanups.push(() => emulator.stop());
      emulator.setAppSettings({ groupMessages });
      // Lark may push one message twice under new event ids: it is still answered once.
      emulator.setRepushWithNewEventId(1);
      const dir = mkdtempSync(join(tmpdir(), 'duban-replies-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const coordinator = emulator.addUser({ name: '赵督查' });
      const official = emulator.addUser({ name: '科技局李科长' });
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
        clock: createFixedClock('2026-11-27T06:00:00Z'),
      });
      const started = await app.start();
      cleanups.push(() => app.stop());
      emulator.setWebhookUrl(started.webhookUrl);
      applyImport({
        db: started.db,
        text: smallDecision,
        sourceName: 'small.txt',
        registry: loadRegistry(),
        now: new Date('2026-11-20T00:00:00Z'),
        actor: 'test',
        channel: 'cli',
      });
      const agencies = createAgencyRepository({ db: started.db });
      const people = createPeopleRepository({ db: started.db });
      const tasks = createTaskRepository({ db: started.db });
      const group = emulator.createChat({
        name: '科技局工作群',
        members: [coordinator.open_id, official.open_id],
      });
      emulator.postAsUser({
        chat_id: group.chat_id,
        open_id: coordinator.open_id,
        text: '@督办 /bind 市科技局',
      });
      await until(() => people.agenciesOf(official.open_id).length > 0);
      expect(agencies.findAgencyByChat(group.chat_id)?.name).toBe('市科技局');

      await runPromptCycle(
        {
          db: started.db,
          chat: started.chat,
          settings: defaultScheduleSettings(),
          calendar: createWorkingCalendar(),
        },
        { now: new Date('2026-11-27T06:00:00Z'), agency: '市科技局', settleTimeoutMs: 10_000 },
      );
      const isPrompt = (m: { msg_type: string; content: unknown }) =>
        m.msg_type === 'interactive' && JSON.stringify(m.content).includes('open_report');
      await until(() => emulator.messages(group.chat_id).some(isPrompt));
      const prompt = emulator.messages(group.chat_id).find(isPrompt)!;

      emulator.postAsUser({
        chat_id: group.chat_id,
        open_id: official.open_id,
        text,
        parent_id: prompt.message_id,
      });
      const isEcho = (m: { msg_type: string; content: unknown }) =>
        m.msg_type === 'interactive' && JSON.stringify(m.content).includes('reply_confirm');
      await until(() => emulator.messages(group.chat_id).some(isEcho));
      await emulator.idle();
      await started.bot.idle();
      const echoes = emulator.messages(group.chat_id).filter(isEcho);
      expect(echoes).toHaveLength(1);
      const echo = echoes[0]!;
      expect(JSON.stringify(echo.content)).toContain('进行中 70% · 预计 2027-06-30 · 需 市财政局 配合');
      const task = tasks.listTasks({ agency: '市科技局' }).find((t) => t.articleNo === 1)!;
      expect(task.status).toBe('not_started');

      const confirm = buttonValues(echo.content).find((v) => v.action === 'reply_confirm')!;
      const result = await emulator.clickCard({
        message_id: echo.message_id,
        open_id: official.open_id,
        value: confirm,
      });
      expect(JSON.stringify(result)).toContain('已记录第1条的进展：进行中，70%。');
      expect(tasks.listTasks({ agency: '市科技局' }).find((t) => t.id === task.id)).toMatchObject({
        status: 'in_progress',
        percent: 70,
      });
      const [event] = createAuditRepository({ db: started.db }).list({
        entityId: task.id,
        action: 'reported',
      });
      expect(event).toMatchObject({ channel: 'thread', actor: official.open_id });
    },
  );
});
