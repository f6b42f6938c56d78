import { afterEach, describe, expect, it } from 'vitest';
import { nearestCommand } from '../../../src/bot/bot.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, measureCardJson } from '../../../src/core/render/card-limits.js';
import type { InboundMessage } from '../../../src/ports/chat.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import { defaultDecision, loadRegistry, memoryDb, smallDecision } from '../store/ledger-fixtures.js';

// Thursday 2026-11-26, 10:00 in Shanghai: a working day.
const now = new Date('2026-11-26T02:00:00Z');
const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function setup(decision = smallDecision) {
  const db = memoryDb();
  open.push(db);
  const registry = loadRegistry();
  applyImport({ db, text: decision, sourceName: 'd.txt', registry, now, actor: 'system', channel: 'system' });
  const repos = createRepositories(db);
  const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
  repos.people.upsertPerson({ openId: 'ou_leader', role: 'leader', ...audit });
  repos.people.upsertPerson({ openId: 'ou_official', role: 'official', agency: '市科技局', ...audit });
  const chat = createFakeChat();
  const _clock = createFixedClock(now.toISOString());
  const bot = createRealBot({ db, repos, registry, chat, now });
  let n = 0;
  const say = async (text: string, sender = 'ou_coord', extra: Partial<InboundMessage> = {}) => {
    n += 1;
    const before = chat.sent.length;
    await bot.handle({
      type: 'message',
      eventId: `ev_${n}`,
      messageId: `om_${n}`,
      chatId: 'oc_group',
      chatType: 'group',
      senderOpenId: sender,
      text,
      mentions: [],
      mentionsBot: true,
      createdAt: now,
      ...extra,
    });
    await bot.idle();
    const answers = chat.sent.slice(before);
    expect(answers).toHaveLength(1);
    return textOf(answers[0]!.message);
  };
  const bind = (agency: string, chatId: string) =>
    repos.agencies.bindAgencyChat({ agencyId: repos.agencies.requireAgency(agency).id, chatId, ...audit });
  return { db, repos, chat, bot, say, bind };
}

describe('/tasks and /article', () => {
  it('shows a coordinator every task with its light and reason on one card', async () => {
    const { say } = setup();
    const card = await say('/tasks');
    expect(card).toContain('督办任务 · 全部');
    expect(card).toContain('市科技局（牵头）');
    expect(card).toContain('市财政局（参与）');
    expect(card).toContain('未设截止');
  });

  it('shows an official only their own agency’s tasks, and a leader all of them', async () => {
    const { say } = setup();
    const mine = await say('/tasks', 'ou_official');
    expect(mine).toContain('督办任务 · 本单位');
    expect(mine).toContain('市科技局');
    expect(mine).not.toContain('市发改委');
    expect(await say('/tasks', 'ou_leader')).toContain('市发改委');
  });

  it('filters by agency, article and light, and answers an unknown agency with the nearest name', async () => {
    const { say, repos } = setup();
    const byAgency = await say('/tasks 市发改委');
    expect(byAgency).toContain('市发改委');
    expect(byAgency).not.toContain('市科技局（牵头）');
    const article = await say('/article 1');
    expect(article).toContain('第1条');
    expect(article).not.toContain('第2条');
    // Full-width digits, as Chinese input methods type them, are the same article (not their code points).
    expect(await say('/article １')).toBe(article);
    expect(await say('/article 第２条')).toContain('第2条');
    // A past due date makes the task red and overdue.
    const ids = repos.tasks.listTasks({ articleNo: 2 }).map((t) => t.id);
    repos.tasks.setDueDate({
      taskIds: ids,
      dueDate: '2026-11-01',
      at: now.toISOString(),
      actor: 't',
      channel: 'system',
    });
    const red = await say('/tasks red');
    expect(red).toContain('第2条');
    expect(red).not.toContain('第1条');
    expect(red).toContain('逾期');
    expect(await say('/tasks overdue')).toContain('第2条');
    expect(await say('/tasks 市科技')).toContain('您是不是要找「市科技局」');
  });

  it('refuses a person with no role, naming who may use it', async () => {
    const { say } = setup();
    expect(await say('/tasks', 'ou_nobody')).toContain('仅限督查室工作人员、领导、责任单位联络员使用');
  });

  it('answers a bad article number with the problem and the usage', async () => {
    const { say } = setup();
    const answer = await say('/article abc');
    expect(answer).toContain('「abc」不是条目号');
    expect(answer).toContain('用法：/article');
  });

  it('pages all 208 tasks of the default decision within Lark’s card limits', async () => {
    const { say } = setup(defaultDecision);
    const first = JSON.parse(await say('/tasks')) as { card: unknown };
    const firstJson = JSON.stringify(first.card);
    expect(firstJson).toContain('共 208 项');
    const pages = Number(/第 1\/(\d+) 页/u.exec(firstJson)?.[1]);
    expect(pages).toBeGreaterThan(1);
    expect(firstJson).toContain('/tasks p2');
    let shown = 0;
    for (let page = 1; page <= pages; page++) {
      const json = JSON.stringify((JSON.parse(await say(`/tasks p${page}`)) as { card: unknown }).card);
      const size = measureCardJson(json);
      expect(size.bytes).toBeLessThanOrEqual(CARD_MAX_BYTES);
      expect(size.elements).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
      shown += (json.match(/\*\*第\d+条\*\*/gu) ?? []).length;
    }
    expect(shown).toBe(208);
    expect(await say(`/tasks p${pages + 1}`)).toContain(`没有第 ${pages + 1} 页`);
  });
});

describe('/due, /assign, /unassign', () => {
  it('sets the due date of an article’s tasks, audited, and refuses officials', async () => {
    const { say, repos } = setup();
    expect(await say('/due 1 2026-12-31', 'ou_official')).toContain('仅限督查室');
    expect(await say('/due 1 2026-12-31')).toContain('已将第1条的 3 项任务截止日期设为 2026-12-31');
    // The unassigned 市未知局 task too: its deadline is the article's, whoever ends up holding it.
    expect(repos.tasks.listTasks({ articleNo: 1 }).map((t) => t.dueDate)).toEqual([
      '2026-12-31',
      '2026-12-31',
      '2026-12-31',
    ]);
    const events = repos.audit.list({ entity: 'task', action: 'due_set' });
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({ actor: 'ou_coord', channel: 'command' });
  });

  it('sets one agency’s date only, and refuses a past date or a malformed one', async () => {
    const { say, repos } = setup();
    expect(await say('/due 1 市财政局 2027-01-15')).toContain('「市财政局」');
    const dates = repos.tasks.listTasks({ articleNo: 1 }).map((t) => [t.agency, t.dueDate]);
    expect(dates).toContainEqual(['市财政局', '2027-01-15']);
    expect(dates).toContainEqual(['市科技局', null]);
    expect(await say('/due 1 2026-01-01')).toContain('早于今天');
    const bad = await say('/due 1 明年');
    expect(bad).toContain('「明年」不是日期');
    expect(bad).toContain('用法：/due');
    expect(await say('/due 9 2026-12-31')).toContain('没有第9条');
  });

  it('assigns, changes the role, and unassigns, each audited', async () => {
    const { say, repos } = setup();
    expect(await say('/assign 2 市科技局 参与')).toContain('已将第2条交给「市科技局」（参与）');
    expect(repos.tasks.listTasks({ articleNo: 2, agency: '市科技局' })).toMatchObject([
      { role: 'participant' },
    ]);
    expect(await say('/assign 2 市科技局 lead')).toContain('角色已改为牵头');
    expect(await say('/assign 2 市科技局 lead')).toContain('无需更改');
    expect(await say('/unassign 2 市科技局')).toContain('已取消「市科技局」在第2条的任务');
    expect(repos.tasks.listTasks({ articleNo: 2, agency: '市科技局' })).toEqual([]);
    expect(await say('/unassign 2 市科技局')).toContain('没有任务');
    expect(repos.audit.list({ entity: 'task', action: 'assigned' })).toHaveLength(1);
    expect(repos.audit.list({ entity: 'task', action: 'role_changed' })).toHaveLength(1);
    expect(repos.audit.list({ entity: 'task', action: 'unassigned' })).toHaveLength(1);
    const usage = await say('/assign 2 市科技局 boss');
    expect(usage).toContain('「boss」不是角色');
    expect(usage).toContain('用法：/assign');
    expect(await say('/assign 2 市科技局 lead', 'ou_leader')).toContain('仅限督查室');
  });
});

describe('the commands’ Lark ids in the audit trail', () => {
  it('keeps the message and event each change came from, so a change is traced to the command', async () => {
    const { say, repos, bind } = setup();
    bind('市科技局', 'oc_group');
    await say('/due 1 2026-12-31'); // om_1, ev_1
    await say('/assign 2 市科技局 参与'); // om_2
    await say('/unassign 2 市科技局'); // om_3
    await say('/pause 市科技局 until 2026-12-01'); // om_4
    await say('/resume 市科技局'); // om_5
    await say('/unbind'); // om_6
    const ids = (action: string) =>
      repos.audit.list({ action }).map((e) => [e.messageId, e.eventId] as const);
    expect(ids('due_set')).toEqual([0, 1, 2].map(() => ['om_1', 'ev_1']));
    expect(ids('assigned')).toEqual([['om_2', 'ev_2']]);
    expect(ids('unassigned')).toEqual([['om_3', 'ev_3']]);
    expect(ids('paused')).toEqual([['om_4', 'ev_4']]);
    expect(ids('resumed')).toEqual([['om_5', 'ev_5']]);
    expect(ids('chat_unbound')).toEqual([['om_6', 'ev_6']]);
  });
});

describe('/unbind', () => {
  it('ends the group’s binding and the official role its members held through it', async () => {
    const { say, repos, chat, bind } = setup();
    bind('市科技局', 'oc_group');
    chat.members.set('oc_group', [{ openId: 'ou_member', name: '张三' }]);
    repos.people.grant({
      agencyId: repos.agencies.requireAgency('市科技局').id,
      role: 'official',
      source: 'chat',
      openId: 'ou_member',
      at: now.toISOString(),
      actor: 't',
      channel: 'system',
    });
    expect(repos.people.rolesOf('ou_member')).toContain('official');
    expect(await say('/unbind', 'ou_official')).toContain('仅限督查室');
    expect(await say('/unbind')).toContain('已解除本群与「市科技局」的绑定');
    expect(repos.agencies.bindingOfChat('oc_group')).toBeNull();
    expect(repos.people.rolesOf('ou_member')).not.toContain('official');
    expect(repos.audit.list({ entity: 'agency', action: 'chat_unbound' })).toMatchObject([
      { actor: 'ou_coord', channel: 'command' },
    ]);
    expect(await say('/unbind')).toContain('本群没有绑定');
  });
});

describe('/remind, /pause, /resume', () => {
  it('writes this cycle’s prompts to the outbox and says why others get none', async () => {
    const { say, repos, bind } = setup();
    bind('市科技局', 'oc_kj');
    const answer = await say('/remind all');
    expect(answer).toContain('已排入发送队列 1 张卡片');
    expect(answer).toContain('市发改委：不发送（尚未绑定群聊）');
    expect(answer).toContain('已写入发送队列');
    expect(repos.outbox.list().filter((row) => row.chatId === 'oc_kj')).toHaveLength(1);
    const again = await say('/remind 市科技局');
    expect(again).toContain('本周期已发送过');
    expect(await say('/remind all', 'ou_official')).toContain('仅限督查室');
  });

  it('pauses and resumes an agency and everyone, in the store and the audit trail', async () => {
    const { say, repos } = setup();
    expect(await say('/pause 市科技局 until 2026-12-01')).toContain('市科技局');
    expect(repos.agencies.requireAgency('市科技局')).toMatchObject({
      paused: true,
      pausedUntil: '2026-12-01',
    });
    expect(await say('/pause 市科技局 until 2026-11-01')).toContain('早于今天');
    expect(await say('/pause 市科技局 until 明天')).toContain('用法：/pause');
    await say('/resume 市科技局');
    expect(repos.agencies.requireAgency('市科技局').paused).toBe(false);
    await say('/pause all');
    expect(repos.scheduler.globalPause().paused).toBe(true);
    await say('/resume all');
    expect(repos.scheduler.globalPause().paused).toBe(false);
    expect(repos.audit.list({ entity: 'agency', action: 'paused' })).toMatchObject([{ channel: 'command' }]);
    expect(await say('/pause all', 'ou_leader')).toContain('仅限督查室');
  });
});

describe('help and unknown commands', () => {
  it('answers every slash command, ASCII or not, suggesting the nearest one', async () => {
    const { say } = setup();
    expect(await say('/周报')).toContain('没有「/周报」这个命令');
    expect(await say('/帮助')).toContain('/help');
    expect(await say('/taks')).toContain('您是不是要用 /tasks');
    expect(nearestCommand('remnd', ['help', 'remind', 'resume'])).toBe('remind');
    expect(nearestCommand('frobnicate', ['help', 'remind'])).toBeNull();
  });

  it('lists for each person only what they may use', async () => {
    const { say } = setup();
    const coordinator = await say('/help');
    expect(coordinator).toContain('/remind');
    expect(coordinator).toContain('/due');
    const official = await say('/help', 'ou_official');
    expect(official).toContain('/tasks');
    expect(official).not.toContain('/remind');
  });

  it('says in a private chat what the person may do and where', async () => {
    const { say } = setup();
    const p2p = { chatType: 'p2p' as const, chatId: 'oc_p2p' };
    const coordinator = await say('/help', 'ou_coord', p2p);
    expect(coordinator).toContain('私聊');
    expect(coordinator).toContain('您是督查室工作人员');
    expect(coordinator).not.toContain('本群尚未绑定单位');
    expect(await say('/help', 'ou_official', p2p)).toContain('「市科技局」的联络员');
    expect(await say('/help', 'ou_nobody', p2p)).toContain('您目前没有督办角色');
  });
});
