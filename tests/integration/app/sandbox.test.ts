// The sandbox as `npm start` runs it, without a browser: the app with its Lark emulator, driven through
// the emulator's control API the way outside scripts do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type App, createApp, type StartedApp } from '../../../src/app.js';
import { loadConfig } from '../../../src/config/index.js';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { silentLogger } from '../../../src/logger.js';
import { SANDBOX_CHATS, SANDBOX_PEOPLE } from '../../../src/sandbox.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import type { DubanDatabase } from '../../../src/store/database.js';
import { createDocumentRepository } from '../../../src/store/document-repository.js';
import { createPeopleRepository } from '../../../src/store/people-repository.js';
import { createTaskRepository } from '../../../src/store/task-repository.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';

/** Every repository a test reads the sandbox's ledger through. */
function repos(db: DubanDatabase) {
  return {
    agencies: createAgencyRepository({ db }),
    documents: createDocumentRepository({ db }),
    people: createPeopleRepository({ db }),
    tasks: createTaskRepository({ db }),
  };
}

interface ChatJson {
  chat_id: string;
  name: string;
  members: { open_id: string; name: string }[];
}
interface MessageJson {
  message_id: string;
  sender: { type: string };
  msg_type: string;
  content: Record<string, unknown>;
  parent_id: string | null;
}

const dirs: string[] = [];
const apps: App[] = [];

async function startSandbox(
  dbPath?: string,
  env: Record<string, string> = {},
): Promise<{ app: App; started: StartedApp; url: string; dbPath: string }> {
  const path = dbPath ?? join(mkdtempSync(join(tmpdir(), 'duban-sandbox-')), 'duban.sqlite');
  if (!dbPath) dirs.push(join(path, '..'));
  const config = loadConfig({
    env: { DUBAN_DB_PATH: path, DUBAN_SANDBOX_PORT: '0', DUBAN_LOG_LEVEL: 'silent', ...env },
  });
  // A Sunday evening in Shanghai: no scheduled prompt is due, so each test sees only what it causes.
  const app = createApp({ config, logger: silentLogger, clock: createFixedClock('2026-11-29T14:00:00Z') });
  apps.push(app);
  const started = await app.start();
  return { app, started, url: started.emulator!.url, dbPath: path };
}

async function chats(url: string): Promise<ChatJson[]> {
  return (await (await fetch(`${url}/_emulator/chats`)).json()) as ChatJson[];
}

async function messages(url: string, chatId: string): Promise<MessageJson[]> {
  return (await (await fetch(`${url}/_emulator/chats/${chatId}/messages`)).json()) as MessageJson[];
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

afterEach(async () => {
  for (const app of apps.splice(0)) await app.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox', () => {
  it('creates and binds a group per agency plus the coordinators and leaders groups, and imports the default decision', async () => {
    const { started, url } = await startSandbox();
    const all = await chats(url);
    const ledger = repos(started.db);
    const agencies = ledger.agencies.listAgencies().filter((a) => a.kind !== 'collective');
    for (const agency of agencies) {
      const chat = all.find((c) => c.name === SANDBOX_CHATS.agency(agency.name));
      expect(chat, agency.name).toBeDefined();
      expect(agency.chatId).toBe(chat!.chat_id);
      expect(agency.contactOpenId).toBeTruthy();
    }
    expect(ledger.agencies.chatOfSpecial('coordinators')).toBe(
      all.find((c) => c.name === SANDBOX_CHATS.coordinators)?.chat_id,
    );
    expect(ledger.agencies.chatOfSpecial('leaders')).toBe(
      all.find((c) => c.name === SANDBOX_CHATS.leaders)?.chat_id,
    );
    expect(ledger.documents.listDocuments()).toHaveLength(1);
    expect(ledger.tasks.listTasks().length).toBeGreaterThan(150);
    expect(started.banner.join('\n')).toContain(started.pageUrl!);
  });

  it('greets only the unbound group with the onboarding card', async () => {
    const { url } = await startSandbox();
    const all = await chats(url);
    const unbound = all.find((c) => c.name === SANDBOX_CHATS.unbound)!;
    const greeted = await waitFor(
      () => messages(url, unbound.chat_id),
      (list) => list.length > 0,
    );
    expect(JSON.stringify(greeted[0]!.content)).toContain('督办助手已加入本群');
    const bound = all.find((c) => c.name === SANDBOX_CHATS.coordinators)!;
    expect(await messages(url, bound.chat_id)).toEqual([]);
  });

  it.each([
    { transport: 'websocket', env: {}, webhook: false },
    { transport: 'webhook', env: { LARK_TRANSPORT: 'webhook' }, webhook: true },
  ] as const)('hands the bot its events over the $transport', async ({ transport, env, webhook }) => {
    const { started, url } = await startSandbox(undefined, env);
    const emulator = started.emulator!;
    expect(emulator.transport).toBe(transport);
    expect(started.webhookUrl !== undefined).toBe(webhook);
    expect(emulator.longConnections()).toHaveLength(webhook ? 0 : 1);
    const chat = (await chats(url)).find((c) => c.name === SANDBOX_CHATS.coordinators)!;
    emulator.postAsUser({
      chat_id: chat.chat_id,
      open_id: SANDBOX_PEOPLE.coordinator.openId,
      text: '@督办 /help',
    });
    await emulator.idle();
    const help = emulator.deliveries().find((d) => d.event_type === 'im.message.receive_v1');
    expect(help).toMatchObject({ state: 'delivered', attempts: [{ transport, status: 200 }] });
  });

  it('answers /help posted through the control API with a card in the thread of the question', async () => {
    const { url } = await startSandbox();
    const chat = (await chats(url)).find((c) => c.name === SANDBOX_CHATS.agency('市科技局'))!;
    const official = chat.members.find((m) => m.open_id !== SANDBOX_PEOPLE.coordinator.openId)!;
    const posted = (await (
      await fetch(`${url}/_emulator/chats/${chat.chat_id}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ open_id: official.open_id, text: '@督办 /help' }),
      })
    ).json()) as { message: { message_id: string } };
    const list = await waitFor(
      () => messages(url, chat.chat_id),
      (l) => l.some((m) => m.sender.type === 'app'),
    );
    const answer = list.find((m) => m.sender.type === 'app')!;
    expect(answer.msg_type).toBe('interactive');
    expect(answer.parent_id).toBe(posted.message.message_id);
    expect(JSON.stringify(answer.content)).toContain('本群已绑定单位：**市科技局**');
  });

  for (const groupMsg of [true, false]) {
    it(`with DUBAN_SANDBOX_GROUP_MSG=${groupMsg}, ${groupMsg ? 'answers a bare /help' : 'never sees a bare /help but answers @督办 /help'}, and /help says to @ the bot`, async () => {
      const { started, url } = await startSandbox(undefined, { DUBAN_SANDBOX_GROUP_MSG: String(groupMsg) });
      expect(started.emulator!.appSettings().groupMessages).toBe(groupMsg);
      const chat = (await chats(url)).find((c) => c.name === SANDBOX_CHATS.coordinators)!;
      const post = (text: string) =>
        fetch(`${url}/_emulator/chats/${chat.chat_id}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ open_id: SANDBOX_PEOPLE.coordinator.openId, text }),
        }).then((r) => r.json() as Promise<{ event_id: string | null }>);
      const bare = await post('/help');
      expect(bare.event_id === null).toBe(!groupMsg);
      if (!groupMsg) {
        const mentioned = await post('@督办 /help');
        expect(mentioned.event_id).not.toBeNull();
      }
      const list = await waitFor(
        () => messages(url, chat.chat_id),
        (l) => l.some((m) => m.sender.type === 'app'),
      );
      const answers = list.filter((m) => m.sender.type === 'app');
      expect(answers).toHaveLength(1);
      expect(JSON.stringify(answers[0]!.content)).toContain('@督办 /help');
    });
  }

  it('continues where it stopped after a restart: same chats, history and ledger, nothing seeded twice', async () => {
    const first = await startSandbox();
    const firstChats = await chats(first.url);
    const chat = firstChats.find((c) => c.name === SANDBOX_CHATS.coordinators)!;
    await fetch(`${first.url}/_emulator/chats/${chat.chat_id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ open_id: SANDBOX_PEOPLE.coordinator.openId, text: '/help' }),
    });
    await waitFor(
      () => messages(first.url, chat.chat_id),
      (l) => l.length === 2,
    );
    const tasksBefore = createTaskRepository({ db: first.started.db }).listTasks().length;
    await first.app.stop();
    apps.splice(apps.indexOf(first.app), 1);

    const second = await startSandbox(first.dbPath);
    const again = await chats(second.url);
    expect(again.map((c) => c.chat_id).sort()).toEqual(firstChats.map((c) => c.chat_id).sort());
    expect((await messages(second.url, chat.chat_id)).map((m) => m.msg_type)).toEqual([
      'text',
      'interactive',
    ]);
    const ledger = repos(second.started.db);
    expect(ledger.documents.listDocuments()).toHaveLength(1);
    expect(ledger.tasks.listTasks()).toHaveLength(tasksBefore);
  });

  it("sends an agency one prompt card, and the official's '本周无变化' tap records the answer for every open task", async () => {
    const { started, url } = await startSandbox();
    const emulator = started.emulator!;
    const ledger = repos(started.db);
    const agency = ledger.agencies.findAgency('市发改委')!;
    // Friday of the week the app's fixed clock (Sunday 2026-11-29) is in: a working day, and due by
    // that clock, so the app's dispatcher may send it too.
    const now = new Date('2026-11-27T06:00:00Z');
    const deps = {
      db: started.db,
      chat: started.chat,
      settings: defaultScheduleSettings(),
      calendar: createWorkingCalendar(),
    };
    await runPromptCycle(deps, { now, agency: '市发改委', settleTimeoutMs: 10_000 });
    // Asked twice, it still sends one card: the outbox key is the cycle's.
    await runPromptCycle(deps, { now, agency: '市发改委', settleTimeoutMs: 10_000 });
    // The running app's dispatcher may be the one that sends it.
    await waitFor(
      () => messages(url, agency.chatId!),
      (list) => list.some((m) => m.msg_type === 'interactive'),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const cards = (await messages(url, agency.chatId!)).filter((m) => m.msg_type === 'interactive');
    expect(cards).toHaveLength(1);
    expect(JSON.stringify(cards[0]!.content)).toContain('本周无变化');

    const official = ledger.people.listPeople({ role: 'official' }).find((p) => p.agency === '市发改委')!;
    const open = ledger.tasks.listTasks({ agency: '市发改委' }).filter((t) => t.status !== 'verified');
    const answer = await emulator.clickCard({
      message_id: cards[0]!.message_id,
      open_id: official.openId,
      value: { action: 'no_change', agency_id: agency.id, cycle: '2026-W48' },
    });
    expect(answer.toast?.content).toContain(`本周 ${open.length} 项任务无变化`);
    expect(ledger.tasks.listTasks({ agency: '市发改委' }).every((t) => t.lastReportAt !== null)).toBe(true);

    // An official of another agency is not one of 市发改委's: added to its group they become one at once,
    // and once they leave they are refused again.
    const stranger = ledger.people.listPeople({ role: 'official' }).find((p) => p.agency === '市科技局')!;
    expect(ledger.people.agenciesOf(stranger.openId)).not.toContain(agency.id);
    emulator.addMembers(agency.chatId!, [stranger.openId]);
    await waitFor(
      async () => ledger.people.agenciesOf(stranger.openId),
      (ids) => ids.includes(agency.id),
    );
    expect(ledger.people.agenciesOf(stranger.openId)).toContain(agency.id);
    emulator.removeMembers(agency.chatId!, [stranger.openId]);
    await waitFor(
      async () => ledger.people.agenciesOf(stranger.openId),
      (ids) => !ids.includes(agency.id),
    );
    expect(ledger.people.agenciesOf(stranger.openId)).not.toContain(agency.id);
    // Lark itself keeps someone who left from tapping the group's cards.
    await expect(
      emulator.clickCard({
        message_id: cards[0]!.message_id,
        open_id: stranger.openId,
        value: { action: 'no_change', agency_id: agency.id, cycle: '2026-W48' },
      }),
    ).rejects.toThrow(/not a member/);

    // One task's form, opened from its 报送 button: the report lands on the task, its history and the audit log.
    const task = ledger.tasks.listTasks({ agency: '市发改委' })[0]!;
    const buttonValues = (content: unknown) =>
      [...JSON.stringify(content).matchAll(/"value":(\{[^}]*\})/g)].map(
        (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
      );
    const opened = await emulator.clickCard({
      message_id: cards[0]!.message_id,
      open_id: official.openId,
      value: buttonValues(cards[0]!.content).find(
        (v) => v.action === 'open_report' && v.task_id === task.id,
      )!,
    });
    const submit = buttonValues(opened.card).find((v) => v.action === 'report')!;
    const reported = await emulator.clickCard({
      message_id: cards[0]!.message_id,
      open_id: official.openId,
      value: submit,
      form_value: {
        [`st${task.id}`]: 'in_progress',
        [`pc${task.id}`]: '70',
        [`nt${task.id}`]: '已完成70%，需市财政局配合',
      },
    });
    expect(reported.toast?.content).toBe(`已记录第${task.articleNo}条的进展：进行中，70%。`);
    const after = ledger.tasks.listTasks({ agency: '市发改委' }).find((t) => t.id === task.id)!;
    expect(after).toMatchObject({ status: 'in_progress', percent: 70 });
    const history = started.db.$client
      .prepare('SELECT note, channel FROM progress_updates WHERE task_id = ? AND no_change = 0')
      .all(task.id);
    expect(history).toEqual([{ note: '已完成70%，需市财政局配合', channel: 'card' }]);

    // The card after the submit has no form open: open it again to type a bad percent.
    const stored = (await messages(url, agency.chatId!)).find((m) => m.message_id === cards[0]!.message_id)!;
    const reopened = await emulator.clickCard({
      message_id: cards[0]!.message_id,
      open_id: official.openId,
      value: buttonValues(stored.content).find((v) => v.action === 'open_report' && v.task_id === task.id)!,
    });
    const bad = await emulator.clickCard({
      message_id: cards[0]!.message_id,
      open_id: official.openId,
      value: buttonValues(reopened.card).find((v) => v.action === 'report')!,
      form_value: { [`st${task.id}`]: 'in_progress', [`pc${task.id}`]: '170' },
    });
    expect(bad.toast).toMatchObject({
      type: 'warning',
      content: '完成比例「170」超过 100：请写 0 到 100 的整数。',
    });
  });
});

describe('the prompt card in the sandbox', () => {
  it('opens a form from 报送, records the submit and shows it on the card the page reloads', async () => {
    const { started, url } = await startSandbox();
    const emulator = started.emulator!;
    const ledger = repos(started.db);
    const agency = ledger.agencies.findAgency('市科技局')!;
    const now = new Date('2026-11-27T06:00:00Z');
    const deps = {
      db: started.db,
      chat: started.chat,
      settings: defaultScheduleSettings(),
      calendar: createWorkingCalendar(),
    };
    await runPromptCycle(deps, { now, agency: '市科技局', settleTimeoutMs: 10_000 });
    const cards = await waitFor(
      () => messages(url, agency.chatId!),
      (list) => list.some((m) => m.msg_type === 'interactive'),
    ).then((list) => list.filter((m) => m.msg_type === 'interactive'));
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    const values = (content: unknown) =>
      [...JSON.stringify(content).matchAll(/"value":(\{[^}]*\})/g)].map(
        (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
      );
    expect(JSON.stringify(card.content)).not.toContain('"tag":"form"');
    const official = ledger.people.listPeople({ role: 'official' }).find((p) => p.agency === '市科技局')!;
    const openValue = values(card.content).find((v) => v.action === 'open_report')!;
    const opened = await emulator.clickCard({
      message_id: card.message_id,
      open_id: official.openId,
      value: openValue,
    });
    const taskId = openValue.task_id as number;
    expect(JSON.stringify(opened.card)).toContain(`"name":"f${taskId}"`);
    const submit = values(opened.card).find((v) => v.action === 'report')!;
    const reported = await emulator.clickCard({
      message_id: card.message_id,
      open_id: official.openId,
      value: submit,
      form_value: { [`st${taskId}`]: 'in_progress', [`pc${taskId}`]: '70', [`nt${taskId}`]: '已完成调研' },
    });
    expect(reported.toast?.type).toBe('success');
    // What a reload of the page reads: the stored message shows the recorded report, not "尚未报送".
    const stored = (await messages(url, agency.chatId!)).find((m) => m.message_id === card.message_id)!;
    const text = JSON.stringify(stored.content);
    expect(text).toContain('上次报送：进行中 70%');
    expect(text).toContain('✅ 已记录');
    expect(text).not.toContain('"tag":"form"');

    // A replayed value from last cycle answers nothing.
    const stale = await emulator.clickCard({
      message_id: card.message_id,
      open_id: official.openId,
      value: { ...submit, cycle: '2026-W47' },
      form_value: { [`st${taskId}`]: 'not_started', [`pc${taskId}`]: '0' },
    });
    expect(stale.toast?.content).toContain('已过期');
    expect(ledger.tasks.findTask(taskId)).toMatchObject({ percent: 70 });
  });
});
