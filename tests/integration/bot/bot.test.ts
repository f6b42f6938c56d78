import { afterEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/bot/commands/parse.js';
import { promptFieldNames } from '../../../src/core/render/prompt-card.js';
import type { InboundCardAction, InboundMessage } from '../../../src/ports/chat.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import { loadRegistry, memoryDb, smallDecision } from '../store/ledger-fixtures.js';

const now = new Date('2026-11-26T02:00:00Z');
const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

/** The bot over the real use cases and an in-memory ledger: a coordinator, an official of 市科技局. */
function setup() {
  const db = memoryDb();
  open.push(db);
  const registry = loadRegistry();
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry,
    now,
    actor: 'system',
    channel: 'system',
  });
  const repos = createRepositories(db);
  const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
  repos.people.upsertPerson({ openId: 'ou_official', role: 'official', agency: '市科技局', ...audit });
  const chat = createFakeChat();
  const bot = createRealBot({ db, repos, registry, chat, now });
  const agencyId = (name: string) => repos.agencies.requireAgency(name).id;
  const bindGroup = (name: string, chatId: string) =>
    repos.agencies.bindAgencyChat({ agencyId: agencyId(name), chatId, ...audit });
  let n = 0;
  const message = (
    text: string,
    sender = 'ou_coord',
    extra: Partial<InboundMessage> = {},
  ): InboundMessage => {
    n += 1;
    return {
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
    };
  };
  const tap = (input: Partial<InboundCardAction> & { value: Record<string, unknown> }) => {
    n += 1;
    return bot.handle({
      type: 'card_action',
      eventId: `ev_tap_${n}`,
      operatorOpenId: 'ou_coord',
      messageId: 'om_card',
      chatId: 'oc_group',
      ...input,
    });
  };
  const noChange = (operator: string, chatId: string, agency: number) =>
    tap({
      operatorOpenId: operator,
      chatId,
      value: { action: 'no_change', agency_id: agency, cycle: '2026-W48' },
    });
  return { db, repos, chat, bot, message, tap, noChange, agencyId, bindGroup };
}

describe('command parsing', () => {
  it('reads a slash command with a full-width slash and ideographic spaces', () => {
    expect(parseCommand('／bind\u3000市科技局')).toEqual({
      name: 'bind',
      args: '市科技局',
      tokens: ['市科技局'],
    });
    expect(parseCommand('  /HELP ')).toEqual({ name: 'help', args: '', tokens: [] });
  });

  it('does not treat ordinary text as a command', () => {
    expect(parseCommand('已完成70%')).toBeUndefined();
    expect(parseCommand('/ 空格')).toBeUndefined();
  });
});

describe('commands', () => {
  it('answers /help with a card listing the commands in Chinese', async () => {
    const { bot, chat, message } = setup();
    await bot.handle(message('/help'));
    await bot.idle();
    expect(chat.sent).toHaveLength(1);
    const body = textOf(chat.sent[0]!.message);
    expect(body).toContain('督办助手');
    expect(body).toContain('/bind');
    expect(body).toContain('本群尚未绑定单位');
    expect(chat.sent[0]!.replyTo).toBe('om_1');
  });

  it('hides coordinator-only commands from an official', async () => {
    const { bot, chat, message } = setup();
    await bot.handle(message('/help', 'ou_official'));
    await bot.idle();
    expect(textOf(chat.sent[0]!.message)).not.toContain('把本群绑定到一个单位');
  });

  it('handles the same event pushed three times once', async () => {
    const { bot, chat, message } = setup();
    const event = message('/help');
    await bot.handle(event);
    await bot.handle(event);
    await bot.handle({ ...event, eventId: 'ev_other' });
    await bot.idle();
    expect(chat.sent).toHaveLength(1);
  });

  it('binds a group to an agency by alias and says so', async () => {
    const { bot, chat, repos, message } = setup();
    await bot.handle(message('/bind 广州市科学技术局'));
    await bot.idle();
    expect(repos.agencies.findAgencyByChat('oc_group')?.name).toBe('市科技局');
    expect(textOf(chat.sent[0]!.message)).toContain('已将本群绑定到「市科技局」');
  });

  it("answers /bind of another agency's group with a confirmation card, and binds only on 确认更改", async () => {
    const { bot, chat, repos, message, tap, bindGroup } = setup();
    bindGroup('市科技局', 'oc_kjj');
    await bot.handle(message('/bind 市科技局'));
    await bot.idle();
    const card = chat.sent[0]!.message;
    expect(card.kind).toBe('card');
    expect(textOf(card)).toContain('确认更改绑定');
    expect(repos.agencies.findAgency('市科技局')?.chatId).toBe('oc_kjj');
    const confirm = JSON.stringify(card).match(/"value":(\{"action":"bind_confirm"[^}]*\})/)?.[1];
    const answer = await tap({ value: JSON.parse(confirm!) });
    expect(answer?.toast?.type).toBe('success');
    expect(repos.agencies.findAgency('市科技局')?.chatId).toBe('oc_group');
    await bot.idle();
    expect(
      chat.sent.some((s) => s.chatId === 'oc_kjj' && textOf(s.message).includes('不再是「市科技局」')),
    ).toBe(true);
  });

  it("answers /bind 领导 in the coordinators' group with a confirmation instead of an internal error", async () => {
    const { bot, chat, repos, message } = setup();
    await bot.handle(message('/bind 督查室'));
    await bot.handle(message('/bind 领导'));
    await bot.idle();
    expect(textOf(chat.sent[1]!.message)).toContain('本群目前是「督查室群」');
    expect(repos.agencies.chatOfSpecial('coordinators')).toBe('oc_group');
    expect(repos.agencies.chatOfSpecial('leaders')).toBeNull();
  });

  it('refuses /bind from an official and explains who may use it', async () => {
    const { bot, chat, repos, message } = setup();
    await bot.handle(message('/bind 市科技局', 'ou_official'));
    await bot.idle();
    expect(repos.agencies.findAgencyByChat('oc_group')).toBeNull();
    expect(textOf(chat.sent[0]!.message)).toContain('仅限督查室');
  });

  it('answers an unknown agency with suggestions and binds nothing', async () => {
    const { bot, chat, repos, message } = setup();
    await bot.handle(message('/bind 市科技委'));
    await bot.idle();
    expect(repos.agencies.findAgencyByChat('oc_group')).toBeNull();
    expect(textOf(chat.sent[0]!.message)).toContain('没有找到单位「市科技委」');
    expect(textOf(chat.sent[0]!.message)).toContain('市科技局');
  });

  it('shows the usage when /bind has no agency', async () => {
    const { bot, chat, message } = setup();
    await bot.handle(message('/bind'));
    await bot.idle();
    expect(textOf(chat.sent[0]!.message)).toContain('用法：/bind');
  });

  it('answers an unknown command, /constructor and /__proto__ included, by pointing at /help', async () => {
    const { bot, chat, message } = setup();
    for (const name of ['frobnicate', 'constructor', '__proto__', 'toString'])
      await bot.handle(message(`/${name}`));
    await bot.idle();
    expect(chat.sent.map((s) => textOf(s.message))).toEqual([
      expect.stringContaining('没有「/frobnicate」这个命令'),
      expect.stringContaining('没有「/constructor」这个命令'),
      expect.stringContaining('没有「/__proto__」这个命令'),
      expect.stringContaining('没有「/tostring」这个命令'),
    ]);
  });

  it('takes /bind constructor as an agency name, not a property of the special names', async () => {
    const { bot, chat, repos, message } = setup();
    await bot.handle(message('/bind constructor'));
    await bot.idle();
    expect(textOf(chat.sent[0]!.message)).toContain('没有找到单位「constructor」');
    expect(repos.agencies.chatOfSpecial('coordinators')).toBeNull();
  });

  it('ignores group chatter that neither mentions the bot nor is a command', async () => {
    const { bot, chat, message } = setup();
    await bot.handle(message('大家好', 'ou_official', { mentionsBot: false }));
    await bot.idle();
    expect(chat.sent).toHaveLength(0);
  });
});

describe('card actions', () => {
  it('posts an onboarding card without collectives when added to a group, and binds from its form', async () => {
    const { bot, chat, repos, tap, agencyId } = setup();
    await bot.handle({ type: 'bot_added', eventId: 'ev_added', chatId: 'oc_new' });
    await bot.idle();
    expect(chat.sent[0]!.chatId).toBe('oc_new');
    const card = JSON.stringify(chat.sent[0]!.message);
    expect(card).toContain('bind_agency');
    expect(card).toContain('市发改委');
    expect(card).not.toContain('各有关单位');
    const answer = await tap({
      chatId: 'oc_new',
      messageId: chat.sent[0]!.messageId,
      value: { action: 'bind_agency' },
      formValue: { agency_id: String(agencyId('市发改委')) },
    });
    expect(answer?.toast?.type).toBe('success');
    expect(JSON.stringify(answer?.card)).toContain('市发改委');
    expect(repos.agencies.findAgencyByChat('oc_new')?.name).toBe('市发改委');
  });

  it('offers no onboarding card in a group that is already bound', async () => {
    const { bot, chat, bindGroup } = setup();
    bindGroup('市科技局', 'oc_kjj');
    await bot.handle({ type: 'bot_added', eventId: 'ev_added_again', chatId: 'oc_kjj' });
    await bot.idle();
    expect(chat.sent).toHaveLength(0);
  });

  it('refuses each bad tap with a short reply and writes nothing', async () => {
    const { repos, tap, agencyId, bindGroup } = setup();
    bindGroup('市科技局', 'oc_kjj');
    bindGroup('市发改委', 'oc_fgw');
    const task = repos.tasks.listTasks({ agency: '市科技局' })[0]!;
    const before = repos.audit.count();
    const refusals = [
      // unknown names, including ones an object lookup would find
      await tap({ value: { action: 'frobnicate' } }),
      await tap({ value: { action: 'constructor' } }),
      await tap({ value: { action: '__proto__' } }),
      await tap({ value: { action: 'hasOwnProperty' } }),
      await tap({ value: {} }),
      // malformed values
      await tap({ chatId: 'oc_kjj', value: { action: 'no_change', agency_id: 'abc' } }),
      await tap({ chatId: 'oc_kjj', value: { action: 'report', task_id: -1 } }),
      await tap({ value: { action: 'bind_special', role: 'admins' } }),
      await tap({ value: { action: 'bind_confirm', target: 'agency:x', expect: '' } }),
      // a role that may not
      await tap({ operatorOpenId: 'ou_official', value: { action: 'bind_special', role: 'leaders' } }),
      await tap({
        operatorOpenId: 'ou_stranger',
        chatId: 'oc_kjj',
        value: { action: 'no_change', agency_id: agencyId('市科技局') },
      }),
      // a chat that is not the task's
      await tap({
        operatorOpenId: 'ou_official',
        chatId: 'oc_fgw',
        value: { action: 'report', task_id: task.id },
      }),
      await tap({ chatId: 'oc_fgw', value: { action: 'no_change', agency_id: agencyId('市科技局') } }),
      // a task that does not exist
      await tap({ chatId: 'oc_kjj', value: { action: 'report', task_id: 999_999 } }),
    ];
    for (const answer of refusals) {
      expect(['warning', 'error']).toContain(answer?.toast?.type);
      expect(answer?.toast?.content).not.toContain('出了问题');
      expect(answer?.card).toBeUndefined();
    }
    expect(refusals[0]!.toast!.content).toBe('这个操作目前不可用。发送 /help 查看可用的功能。');
    expect(refusals[5]!.toast!.content).toContain('请在最新的卡片上操作');
    expect(refusals[11]!.toast!.content).toBe('这张卡片只能在对应单位自己的群里操作。');
    expect(repos.audit.count()).toBe(before);
    expect(repos.agencies.chatOfSpecial('leaders')).toBeNull();
  });

  it("records 'no change this cycle' when an official of the agency taps it in the agency's group", async () => {
    const { repos, noChange, agencyId, bindGroup } = setup();
    bindGroup('市科技局', 'oc_kjj');
    const answer = await noChange('ou_official', 'oc_kjj', agencyId('市科技局'));
    const openTasks = repos.tasks.listTasks({ agency: '市科技局' }).length;
    expect(answer?.toast).toEqual({
      type: 'success',
      content: expect.stringContaining(`本周 ${openTasks} 项任务无变化`),
    });
    expect(repos.audit.list({ action: 'no_change_confirmed' })).toHaveLength(openTasks);
    expect(repos.audit.list({ action: 'no_change_confirmed' })[0]).toMatchObject({
      actor: 'ou_official',
      channel: 'card',
    });
  });

  it('refuses a no-change tap from an official of another agency, or from a card forwarded to another group', async () => {
    const { repos, noChange, agencyId, bindGroup } = setup();
    bindGroup('市科技局', 'oc_kjj');
    bindGroup('市财政局', 'oc_czj');
    expect((await noChange('ou_official', 'oc_czj', agencyId('市财政局')))?.toast?.type).toBe('error');
    expect((await noChange('ou_official', 'oc_czj', agencyId('市科技局')))?.toast?.type).toBe('error');
    expect(repos.audit.list({ action: 'no_change_confirmed' })).toHaveLength(0);
  });

  it('lets a coordinator confirm for the group, and says so when nothing is open', async () => {
    const { db, noChange, agencyId, bindGroup } = setup();
    bindGroup('市财政局', 'oc_czj');
    const first = await noChange('ou_coord', 'oc_czj', agencyId('市财政局'));
    expect(first?.toast?.type).toBe('success');
    bindGroup('市外办', 'oc_wb');
    db.$client.prepare(`UPDATE tasks SET status = 'verified' WHERE agency_id = ?`).run(agencyId('市外办'));
    const answer = await noChange('ou_coord', 'oc_wb', agencyId('市外办'));
    expect(answer?.toast).toEqual({ type: 'info', content: '本单位目前没有需要报送的任务。' });
  });

  it("records a report from the task's form and stops the escalation climb for it", async () => {
    const { repos, tap, bindGroup } = setup();
    bindGroup('市科技局', 'oc_kjj');
    const task = repos.tasks.listTasks({ agency: '市科技局' })[0]!;
    repos.scheduler.advanceLadder({
      advance: [{ taskId: task.id, agencyId: task.agencyId!, step: 'group', at: now, triggers: ['overdue'] }],
    } as never);
    const names = promptFieldNames(task.id);
    const answer = await tap({
      operatorOpenId: 'ou_official',
      chatId: 'oc_kjj',
      value: { action: 'report', task_id: task.id, cycle: '2026-W48' },
      formValue: { [names.status]: 'in_progress', [names.percent]: '70', [names.note]: '已完成调研' },
    });
    expect(answer?.toast).toEqual({
      type: 'success',
      content: `已记录第${task.articleNo}条的进展：进行中，70%。`,
    });
    expect(repos.tasks.findTask(task.id)).toMatchObject({ status: 'in_progress', percent: 70 });
    expect(repos.scheduler.ladder().has(task.id)).toBe(false);
  });
});

describe('the prompt card', () => {
  const cardValues = (answerCard: unknown) =>
    [...JSON.stringify(answerCard).matchAll(/"value":(\{[^}]*\})/g)].map(
      (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
    );

  function ready() {
    const world = setup();
    world.bindGroup('市科技局', 'oc_kjj');
    const tasks = world.repos.tasks.listTasks({ agency: '市科技局' });
    const report = (
      taskId: number,
      form: { status: string; percent: string; note?: string },
      value: Record<string, unknown> = {},
      operatorOpenId = 'ou_official',
    ) => {
      const names = promptFieldNames(taskId);
      return world.tap({
        operatorOpenId,
        chatId: 'oc_kjj',
        value: { action: 'report', task_id: taskId, cycle: '2026-W48', issued: now.getTime(), ...value },
        formValue: {
          [names.status]: form.status,
          [names.percent]: form.percent,
          [names.note]: form.note ?? '',
        },
      });
    };
    return { ...world, tasks, report };
  }

  it("opens a task's labelled form when 报送 is tapped, and closes it on 收起", async () => {
    const { tap, tasks, agencyId } = ready();
    const task = tasks[0]!;
    const answer = await tap({
      operatorOpenId: 'ou_official',
      chatId: 'oc_kjj',
      value: { action: 'open_report', agency_id: agencyId('市科技局'), task_id: task.id, cycle: '2026-W48' },
    });
    expect(answer?.toast).toBeUndefined();
    const json = JSON.stringify(answer?.card);
    expect(json).toContain(`"name":"${promptFieldNames(task.id).form}"`);
    expect(json).toContain('完成比例（0–100）');
    expect(json).toContain('**状态**');
    const close = cardValues(answer?.card).find((v) => v.action === 'open_report' && v.task_id === undefined);
    const closed = await tap({ operatorOpenId: 'ou_official', chatId: 'oc_kjj', value: close! });
    expect(JSON.stringify(closed?.card)).not.toContain('"tag":"form"');
  });

  it('answers a submit with the card updated in place: what was recorded, by whom and when', async () => {
    const { repos, report, tasks } = ready();
    const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
    repos.people.upsertPerson({
      openId: 'ou_official',
      role: 'official',
      agency: '市科技局',
      name: '张三',
      ...audit,
    });
    const task = tasks[0]!;
    const answer = await report(task.id, { status: 'in_progress', percent: '70', note: '已完成调研' });
    expect(answer?.toast?.type).toBe('success');
    const json = JSON.stringify(answer?.card);
    expect(json).toContain(`✅ 已记录第${task.articleNo}条：进行中 70%（张三，2026-11-26 10:00）`);
    expect(json).toContain('上次报送：进行中 70%（张三，2026-11-26 10:00）');
    expect(json).not.toContain('"tag":"form"');
    // the card's new buttons carry the time it was re-issued
    for (const v of cardValues(answer?.card))
      expect(v).toMatchObject({ cycle: '2026-W48', issued: now.getTime() });
  });

  it("refuses taps from last cycle's card with the reason and a pointer to this cycle's card", async () => {
    const { repos, tap, report, tasks, agencyId } = ready();
    const before = repos.audit.count();
    const old = { cycle: '2026-W47', issued: Date.parse('2026-11-17T01:00:00Z') };
    const answers = [
      await tap({
        operatorOpenId: 'ou_official',
        chatId: 'oc_kjj',
        value: { action: 'no_change', agency_id: agencyId('市科技局'), ...old },
      }),
      await report(tasks[0]!.id, { status: 'in_progress', percent: '50' }, old),
      await tap({
        operatorOpenId: 'ou_official',
        chatId: 'oc_kjj',
        value: { action: 'open_report', agency_id: agencyId('市科技局'), task_id: tasks[0]!.id, ...old },
      }),
    ];
    for (const answer of answers) {
      expect(answer?.toast).toEqual({
        type: 'warning',
        content:
          '这张卡片属于 2026-W47，已过期，本次操作未记录。请在本周期（2026-W48）最新的「督办提醒」卡片上操作。',
      });
      expect(answer?.card).toBeUndefined();
    }
    const noCycle = await report(
      tasks[0]!.id,
      { status: 'in_progress', percent: '50' },
      { cycle: undefined },
    );
    expect(noCycle?.toast?.content).toContain('没有标明周期');
    const future = await report(
      tasks[0]!.id,
      { status: 'in_progress', percent: '50' },
      { issued: now.getTime() + 86_400_000 },
    );
    expect(future?.toast?.type).toBe('warning');
    expect(repos.audit.count()).toBe(before);
  });

  it('does not let a card older than a done report undo it, and audits a correction made on the current card', async () => {
    const { repos, report, tasks } = ready();
    const task = tasks[0]!;
    const issuedBefore = now.getTime() - 3600_000;
    const done = await report(task.id, { status: 'reported_done', percent: '100' }, { issued: issuedBefore });
    expect(done?.toast?.type).toBe('success');
    expect(JSON.stringify(done?.card)).toContain('"更正"');
    // the same old card, then a made-up earlier cycle: both refused, the task stays done
    const again = await report(task.id, { status: 'in_progress', percent: '10' }, { issued: issuedBefore });
    expect(again?.toast?.content).toContain('这张卡片早于该报告');
    const forged = await report(task.id, { status: 'not_started', percent: '0' }, { cycle: '2026-W40' });
    expect(forged?.toast?.type).toBe('warning');
    expect(repos.tasks.findTask(task.id)).toMatchObject({ status: 'reported_done', percent: 100 });
    expect(repos.audit.list({ action: 'report_corrected' })).toHaveLength(0);
    // the card the done report answered with is current: a correction from it is recorded and audited
    const corrected = await report(task.id, { status: 'in_progress', percent: '90', note: '验收材料需补充' });
    expect(corrected?.toast).toEqual({
      type: 'success',
      content: `已更正第${task.articleNo}条的完成报告：进行中，90%。`,
    });
    expect(repos.tasks.findTask(task.id)).toMatchObject({ status: 'in_progress', percent: 90 });
    const audits = repos.audit.list({ action: 'report_corrected' });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor: 'ou_official', channel: 'card', entityId: String(task.id) });
  });

  it('confirms no change only for the tasks not reported this cycle, and says how many', async () => {
    const { repos, report, tasks, noChange, agencyId } = ready();
    expect(tasks.length).toBeGreaterThan(1);
    await report(tasks[0]!.id, { status: 'in_progress', percent: '70' });
    const answer = await noChange('ou_official', 'oc_kjj', agencyId('市科技局'));
    expect(answer?.toast).toEqual({
      type: 'success',
      content: `已确认：本周 ${tasks.length - 1} 项任务无变化（另有 1 项本周已报送，保持不变）。本周不会再就这些任务催报，谢谢！`,
    });
    expect(repos.audit.list({ action: 'no_change_confirmed' }).map((a) => a.entityId)).not.toContain(
      String(tasks[0]!.id),
    );
    expect(repos.tasks.findTask(tasks[0]!.id)).toMatchObject({ percent: 70 });
    const twice = await noChange('ou_official', 'oc_kjj', agencyId('市科技局'));
    expect(twice?.toast).toEqual({ type: 'info', content: '本周期的任务都已报送过进展，无需再确认无变化。' });
  });

  it("allows a report only to a coordinator or an official of the agency, in its group, from this cycle's card", async () => {
    const { repos, tap, bindGroup } = ready();
    bindGroup('市财政局', 'oc_czj');
    const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
    repos.people.upsertPerson({ openId: 'ou_czj', role: 'official', agency: '市财政局', ...audit });
    const own = repos.tasks.listTasks({ agency: '市科技局' })[0]!;
    const other = repos.tasks.listTasks({ agency: '市财政局' })[0]!;
    const people = {
      coordinator: 'ou_coord',
      official: 'ou_official',
      otherOfficial: 'ou_czj',
      stranger: 'ou_x',
    };
    const chats = { own: 'oc_kjj', other: 'oc_czj', unbound: 'oc_group' };
    const taskOf = { own, other };
    const cards = { current: { cycle: '2026-W48', issued: now.getTime() }, stale: { cycle: '2026-W47' } };
    const rows: string[] = [];
    let percent = 0;
    for (const [who, openId] of Object.entries(people))
      for (const [where, chatId] of Object.entries(chats))
        for (const [whose, task] of Object.entries(taskOf))
          for (const [age, card] of Object.entries(cards)) {
            percent += 1;
            const names = promptFieldNames(task.id);
            const answer = await tap({
              operatorOpenId: openId,
              chatId,
              value: { action: 'report', task_id: task.id, ...card },
              formValue: { [names.status]: 'in_progress', [names.percent]: String(percent) },
            });
            const recorded = repos.tasks.findTask(task.id)?.percent === percent;
            const agencyOfTask = whose === 'own' ? '市科技局' : '市财政局';
            const groupOfTask = whose === 'own' ? 'own' : 'other';
            const mayAct =
              who === 'coordinator' ||
              (who === 'official' && agencyOfTask === '市科技局') ||
              (who === 'otherOfficial' && agencyOfTask === '市财政局');
            const expected = mayAct && where === groupOfTask && age === 'current';
            if (recorded !== expected || (answer?.toast?.type === 'success') !== expected)
              rows.push(`${who} in ${where} on ${whose} task, ${age} card: ${answer?.toast?.content}`);
          }
    expect(rows).toEqual([]);
  });
});

describe('verification and extension taps', () => {
  /** 市财政局 (a participant of article 1) reports done; 市科技局 leads the article. */
  function doneByParticipant() {
    const env = setup();
    const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
    env.repos.people.upsertPerson({ openId: 'ou_czj', role: 'official', agency: '市财政局', ...audit });
    env.bindGroup('市科技局', 'oc_kjj');
    env.bindGroup('市财政局', 'oc_czj');
    const task = env.repos.tasks
      .listTasks()
      .find((t) => t.agencyId === env.agencyId('市财政局') && t.role === 'participant');
    if (!task) throw new Error('no participant task');
    env.repos.progress.recordReport({
      taskId: task.id,
      report: { status: 'reported_done', percent: 100, blocked: false, note: '', evidenceUrl: null },
      ...audit,
      actor: 'ou_czj',
      channel: 'card',
    });
    return { ...env, taskId: task.id };
  }

  it('refuses the participant’s own official and lets the lead agency’s official verify, once', async () => {
    const { tap, taskId, repos } = doneByParticipant();
    const own = await tap({
      operatorOpenId: 'ou_czj',
      chatId: 'oc_kjj',
      value: { action: 'verify_task', task_id: taskId },
    });
    expect(own?.toast?.type).toBe('error');
    expect(repos.tasks.findTask(taskId)?.status).toBe('reported_done');
    const lead = await tap({
      operatorOpenId: 'ou_official',
      chatId: 'oc_kjj',
      value: { action: 'verify_task', task_id: taskId },
    });
    expect(lead?.toast?.type).toBe('success');
    expect(repos.tasks.findTask(taskId)?.status).toBe('verified');
    const again = await tap({
      operatorOpenId: 'ou_coord',
      chatId: 'oc_kjj',
      value: { action: 'verify_task', task_id: taskId },
    });
    expect(again?.toast?.content).toContain('已经销号');
  });

  it('returns only with a reason from the form, and only for the verifier', async () => {
    const { tap, taskId, repos } = doneByParticipant();
    const stranger = await tap({
      operatorOpenId: 'ou_nobody',
      value: { action: 'return_task', task_id: taskId },
      formValue: { reason: '不行' },
    });
    expect(stranger?.toast?.type).toBe('error');
    const empty = await tap({
      operatorOpenId: 'ou_coord',
      value: { action: 'return_task', task_id: taskId },
      formValue: {},
    });
    expect(empty?.toast?.content).toContain('退回原因');
    const returned = await tap({
      operatorOpenId: 'ou_coord',
      value: { action: 'return_task', task_id: taskId },
      formValue: { reason: '缺少验收材料' },
    });
    expect(returned?.toast?.type).toBe('success');
    expect(repos.tasks.findTask(taskId)?.status).toBe('returned');
  });

  it('lets only coordinators approve an extension asked with /extend in the agency’s group', async () => {
    const { bot, message, tap, chat, repos, bindGroup } = setup();
    bindGroup('市科技局', 'oc_group');
    await bot.handle(message('/extend 第1条 2027-03-31 资金尚未到位', 'ou_official'));
    await bot.idle();
    expect(textOf(chat.sent.at(-1)?.message ?? { kind: 'text', text: '' })).toContain('已提交第1条延期');
    await bot.handle(message('/extend 1 明年 理由', 'ou_official'));
    await bot.idle();
    expect(textOf(chat.sent.at(-1)?.message ?? { kind: 'text', text: '' })).toContain(
      '2027-03-31 或 2027年3月31日',
    );
    const request = repos.review.pendingExtensionOf(
      repos.tasks.listTasks().find((t) => t.agencyId === repos.agencies.requireAgency('市科技局').id)?.id ??
        0,
    );
    if (!request) throw new Error('no pending request');
    const official = await tap({
      operatorOpenId: 'ou_official',
      value: { action: 'decide_extension', request_id: request.id, approve: true },
    });
    expect(official?.toast?.type).toBe('error');
    const coordinator = await tap({
      value: { action: 'decide_extension', request_id: request.id, approve: true },
    });
    expect(coordinator?.toast?.type).toBe('success');
    expect(repos.tasks.findTask(request.taskId)?.dueDate).toBe('2027-03-31');
  });
});

describe('the audit trail people can read', () => {
  const reportAs = async (
    ctx: ReturnType<typeof setup>,
    operator: string,
    chatId: string,
    taskId: number,
    percent: string,
  ) => {
    const names = promptFieldNames(taskId);
    return ctx.tap({
      operatorOpenId: operator,
      chatId,
      value: { action: 'report', task_id: taskId, cycle: '2026-W48' },
      formValue: { [names.status]: 'in_progress', [names.percent]: percent, [names.note]: '' },
    });
  };
  const withPeople = () => {
    const ctx = setup();
    const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
    ctx.repos.people.upsertPerson({
      openId: 'ou_wang',
      role: 'official',
      name: '王芳',
      agency: '市科技局',
      ...audit,
    });
    ctx.repos.people.upsertPerson({
      openId: 'ou_li',
      role: 'official',
      name: '李强',
      agency: '市财政局',
      ...audit,
    });
    ctx.bindGroup('市科技局', 'oc_kjj');
    ctx.bindGroup('市财政局', 'oc_czj');
    const task = ctx.repos.tasks.listTasks({ agency: '市科技局' }).find((x) => x.articleNo === 1)!;
    return { ...ctx, task };
  };

  it('records who, which agency, the card channel and the Lark message and event of a report', async () => {
    const ctx = withPeople();
    await reportAs(ctx, 'ou_wang', 'oc_kjj', ctx.task.id, '70');
    const [event] = ctx.repos.audit.list({ entity: 'task', entityId: ctx.task.id, action: 'reported' });
    expect(event).toMatchObject({
      actor: 'ou_wang',
      actorName: '王芳',
      agencyId: ctx.agencyId('市科技局'),
      channel: 'card',
      messageId: 'om_card',
    });
    expect(event?.eventId).toMatch(/^ev_tap_\d+$/);
    expect(event?.after).toMatchObject({ status: 'in_progress', percent: 70 });
  });

  it("answers /history in the agency's group with a card listing the report in words", async () => {
    const ctx = withPeople();
    await reportAs(ctx, 'ou_wang', 'oc_kjj', ctx.task.id, '70');
    await ctx.bot.handle(ctx.message('/history 第1条', 'ou_wang', { chatId: 'oc_kjj' }));
    await ctx.bot.idle();
    const body = textOf(ctx.chat.sent.at(-1)!.message);
    expect(body).toContain('第1条');
    expect(body).toContain('11-26 10:00 王芳（市科技局）通过卡片报送：未开始 0% → 进行中 70%');
  });

  it("refuses /history for another agency's tasks, and outside a bound group, to anyone but coordinators and leaders", async () => {
    const ctx = withPeople();
    await reportAs(ctx, 'ou_wang', 'oc_kjj', ctx.task.id, '70');
    await ctx.bot.handle(ctx.message('/history 1 市科技局', 'ou_li', { chatId: 'oc_czj' }));
    await ctx.bot.handle(ctx.message('/history 1', 'ou_li', { chatId: 'oc_unbound' }));
    await ctx.bot.idle();
    const [other, unbound] = ctx.chat.sent.slice(-2).map((sent) => textOf(sent.message));
    expect(other).toBe('本群只能查看本单位任务的记录。');
    expect(unbound).toContain('督查室和领导可查看全部');
    // 市财政局's own view of article 1 holds no report of 市科技局's.
    await ctx.bot.handle(ctx.message('/history 1', 'ou_li', { chatId: 'oc_czj' }));
    await ctx.bot.idle();
    expect(textOf(ctx.chat.sent.at(-1)!.message)).not.toContain('王芳');
    // A coordinator sees any agency's, anywhere.
    await ctx.bot.handle(ctx.message('/history 1 市科技局', 'ou_coord', { chatId: 'oc_unbound' }));
    await ctx.bot.idle();
    expect(textOf(ctx.chat.sent.at(-1)!.message)).toContain('王芳（市科技局）通过卡片报送');
  });

  it("rolls the participant's report up into the lead's prompt card", async () => {
    const ctx = withPeople();
    const participant = ctx.repos.tasks.listTasks({ agency: '市财政局' }).find((x) => x.articleNo === 1)!;
    await reportAs(ctx, 'ou_li', 'oc_czj', participant.id, '40');
    const card = ctx.tap({
      operatorOpenId: 'ou_wang',
      chatId: 'oc_kjj',
      value: { action: 'open_report', agency_id: ctx.agencyId('市科技局'), cycle: '2026-W48' },
    });
    expect(JSON.stringify((await card)?.card)).toContain('参与单位：市财政局 进行中 40%（11-26）');
  });
});
