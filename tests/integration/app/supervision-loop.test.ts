// The whole supervision loop on a tenant (the app with credentials against the emulator, nothing seeded):
// prompt → free-text reply → 确认 → the lead's card shows it → done by /report → the lead returns it with a
// reason → reported again → the lead verifies → closed; with and without the group-message scope.
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
import { applyImport } from '../../../src/usecases/import-decision.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { loadRegistry, smallDecision } from '../store/ledger-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(check: () => boolean): Promise<void> {
  // Generous: the whole suite shares two cores.
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}

const buttonValues = (content: unknown) =>
  [...JSON.stringify(content).matchAll(/"value":(\{[^}]*\})/g)].map(
    (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
  );
const cardHas = (text: string) => (m: { msg_type: string; content: unknown }) =>
  m.msg_type === 'interactive' && JSON.stringify(m.content).includes(text);
const textHas = (text: string) => (m: { msg_type: string; content: unknown }) =>
  JSON.stringify(m.content).includes(text);

describe('the supervision loop, on a tenant', () => {
  it.each([
    { scope: 'with the group-message scope', groupMessages: true, at: '' },
    { scope: 'with @-mentions only', groupMessages: false, at: '@督办 ' },
  ])('reply, confirm, roll up, return, report again, verify ($scope)', async ({ groupMessages, at }) => {
    const emulator = createLarkEmulator({ encryptKey: 'k', verificationToken: 'v' });
    await emulator.start();
    cleanups.push(() => emulator.stop());
    emulator.setAppSettings({ groupMessages });
    const dir = mkdtempSync(join(tmpdir(), 'duban-loop-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const coordinator = emulator.addUser({ name: '赵督查' });
    const lead = emulator.addUser({ name: '科技局李科长' });
    const participant = emulator.addUser({ name: '财政局周科长' });
    const app: App = createApp({
      config: loadConfig({
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
      }),
      logger: silentLogger,
      clock: createFixedClock('2026-11-27T06:00:00Z'),
      schedule: false,
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
    const repos = createRepositories(started.db);

    // Groups made the way Lark makes them, bound by the coordinator.
    const kjj = emulator.createChat({ name: '科技局工作群', members: [coordinator.open_id, lead.open_id] });
    const czj = emulator.createChat({
      name: '财政局工作群',
      members: [coordinator.open_id, participant.open_id],
    });
    for (const [chat, name] of [
      [kjj, '市科技局'],
      [czj, '市财政局'],
    ] as const) {
      emulator.postAsUser({
        chat_id: chat.chat_id,
        open_id: coordinator.open_id,
        text: `@督办 /bind ${name}`,
      });
      await until(() => repos.agencies.findAgencyByChat(chat.chat_id) !== null);
    }
    await until(() => repos.people.agenciesOf(participant.open_id).length > 0);
    const task = repos.tasks.listTasks({ agency: '市财政局' }).find((t) => t.articleNo === 1)!;
    expect(task.role).toBe('participant');

    const cycle = {
      db: started.db,
      chat: started.chat,
      settings: defaultScheduleSettings(),
      calendar: createWorkingCalendar(),
    };
    const now = new Date('2026-11-27T06:00:00Z');
    await runPromptCycle(cycle, { now, agency: '市财政局', settleTimeoutMs: 10_000 });
    await until(() => emulator.messages(czj.chat_id).some(cardHas('open_report')));
    const prompt = emulator.messages(czj.chat_id).find(cardHas('open_report'))!;

    // 1. A reply in the prompt's thread, read and echoed; recorded only on 确认.
    emulator.postAsUser({
      chat_id: czj.chat_id,
      open_id: participant.open_id,
      text: `${at}第1条已完成50%，预计年底前完成`,
      parent_id: prompt.message_id,
    });
    await until(() => emulator.messages(czj.chat_id).some(cardHas('reply_confirm')));
    const echo = emulator.messages(czj.chat_id).find(cardHas('reply_confirm'))!;
    expect(repos.tasks.findTask(task.id)?.percent).toBe(0);
    await emulator.clickCard({
      message_id: echo.message_id,
      open_id: participant.open_id,
      value: buttonValues(echo.content).find((v) => v.action === 'reply_confirm')!,
    });
    expect(repos.tasks.findTask(task.id)).toMatchObject({ status: 'in_progress', percent: 50 });

    // 2. The lead's card shows the participant's answer.
    await runPromptCycle(cycle, { now, agency: '市科技局', settleTimeoutMs: 10_000 });
    await until(() => emulator.messages(kjj.chat_id).some(cardHas('open_report')));
    expect(JSON.stringify(emulator.messages(kjj.chat_id).find(cardHas('open_report'))!.content)).toContain(
      '市财政局 进行中 50%',
    );

    // 3. Done by command: reported done, and the lead agency is asked to verify.
    emulator.postAsUser({
      chat_id: czj.chat_id,
      open_id: participant.open_id,
      text: `${at}/report 1 已完成 已完成招标`,
    });
    await until(() => emulator.messages(kjj.chat_id).some(cardHas('verify_task')));
    expect(repos.tasks.findTask(task.id)?.status).toBe('reported_done');
    const firstReview = emulator.messages(kjj.chat_id).find(cardHas('verify_task'))!;

    // 4. The lead returns it with a reason; the participant's group is told why.
    await emulator.clickCard({
      message_id: firstReview.message_id,
      open_id: lead.open_id,
      name: 'return_submit',
      value: buttonValues(firstReview.content).find((v) => v.action === 'return_task')!,
      form_value: { reason: '佐证材料不全，请补充验收报告' },
    });
    expect(repos.tasks.findTask(task.id)?.status).toBe('returned');
    await until(() => emulator.messages(czj.chat_id).some(textHas('佐证材料不全')));

    // 5. Reported again, and verified this time: closed.
    emulator.postAsUser({
      chat_id: czj.chat_id,
      open_id: participant.open_id,
      text: `${at}/report 1 已完成 已补充验收报告`,
    });
    const isSecondReview = (m: { message_id: string; msg_type: string; content: unknown }) =>
      m.message_id !== firstReview.message_id && cardHas('verify_task')(m);
    await until(() => emulator.messages(kjj.chat_id).some(isSecondReview));
    const secondReview = emulator.messages(kjj.chat_id).find(isSecondReview)!;
    await emulator.clickCard({
      message_id: secondReview.message_id,
      open_id: lead.open_id,
      value: buttonValues(secondReview.content).find((v) => v.action === 'verify_task')!,
    });
    expect(repos.tasks.findTask(task.id)?.status).toBe('verified');

    // Every step is in the audit trail, in order, with who and through which channel.
    const steps = repos.audit
      .list({ entity: 'task', entityId: task.id })
      .filter((e) => e.action !== 'created')
      .map((e) => [e.action, e.channel, e.actor]);
    expect(steps).toEqual([
      ['reported', 'thread', participant.open_id],
      ['reported', 'command', participant.open_id],
      ['returned', 'card', lead.open_id],
      ['reported', 'command', participant.open_id],
      ['verified', 'card', lead.open_id],
    ]);
  });
});
