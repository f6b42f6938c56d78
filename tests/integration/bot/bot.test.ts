import { afterEach, describe, expect, it } from 'vitest';
import { cardActions } from '../../../src/bot/actions/index.js';
import { createBot } from '../../../src/bot/bot.js';
import { bindCommand } from '../../../src/bot/commands/bind.js';
import { createHelpCommand } from '../../../src/bot/commands/help.js';
import { parseCommand } from '../../../src/bot/commands/parse.js';
import type { Command } from '../../../src/bot/commands/types.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { promptFieldNames } from '../../../src/core/render/prompt-card.js';
import { silentLogger } from '../../../src/logger.js';
import type { InboundCardAction, InboundMessage } from '../../../src/ports/chat.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createBindChat } from '../../../src/usecases/bind-chat.js';
import { createChatDirectory } from '../../../src/usecases/chat-directory.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createMembership } from '../../../src/usecases/membership.js';
import { createProgressUseCases } from '../../../src/usecases/report-progress.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
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
  const commands: Command[] = [];
  commands.push(
    createHelpCommand(() => commands),
    bindCommand,
  );
  const bot = createBot({
    deps: {
      chat,
      clock: createFixedClock(now.toISOString()),
      logger: silentLogger,
      directory: createChatDirectory({ people: repos.people, agencies: repos.agencies }),
      usecases: {
        bindChat: createBindChat({ store: repos.agencies, chat, registry }),
        progress: createProgressUseCases({ progress: repos.progress, ladder: repos.scheduler }),
        membership: createMembership({
          people: repos.people,
          agencies: repos.agencies,
          chat,
          clock: createFixedClock(now.toISOString()),
          logger: silentLogger,
        }),
      },
    },
    inboundLog: {
      firstSeen: (input) => repos.inbound.recordInboundEvent(input),
    },
    commands,
    cardActions,
  });
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
