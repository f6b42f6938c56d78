import { describe, expect, it } from 'vitest';
import { createBot } from '../../../src/bot/bot.js';
import { onboardingActions, progressActions } from '../../../src/bot/card-actions.js';
import { bindCommand } from '../../../src/bot/commands/bind.js';
import { createHelpCommand } from '../../../src/bot/commands/help.js';
import { parseCommand } from '../../../src/bot/commands/parse.js';
import type { Command } from '../../../src/bot/commands/types.js';
import type { AgencyRef, BotDirectory, Role, SpecialChat } from '../../../src/bot/ports.js';
import { createFixedClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/logger.js';
import type { InboundMessage } from '../../../src/ports/chat.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';

function createMemoryDirectory(roles: Record<string, Role[]>) {
  const agencies: AgencyRef[] = [
    { id: 1, name: '市科技局', kind: 'department', chatId: null },
    { id: 2, name: '市发改委', kind: 'department', chatId: null },
    { id: 3, name: '各有关单位', kind: 'collective', chatId: null },
  ];
  const aliases: Record<string, string> = { 广州市科学技术局: '市科技局' };
  const special = new Map<string, SpecialChat>();
  const directory: BotDirectory = {
    findAgency: (name) => agencies.find((a) => a.name === (aliases[name] ?? name)),
    listAgencies: () => agencies,
    suggestAgencies: (written) =>
      agencies.filter((a) => [...written].filter((c) => a.name.includes(c)).length >= 2).map((a) => a.name),
    agencyByChat: (chatId) => agencies.find((a) => a.chatId === chatId),
    specialChatRole: (chatId) => special.get(chatId),
    bindAgency: ({ agencyId, chatId }) => {
      for (const a of agencies) if (a.chatId === chatId) a.chatId = null;
      const agency = agencies.find((a) => a.id === agencyId)!;
      agency.chatId = chatId;
    },
    bindSpecial: ({ role, chatId }) => void special.set(chatId, role),
    rolesOf: (openId) => roles[openId] ?? [],
    agenciesOf: (openId) => (openId === 'ou_official' ? [1] : []),
  };
  return directory;
}

function setup() {
  const chat = createFakeChat();
  const directory = createMemoryDirectory({ ou_coord: ['coordinator'], ou_official: ['official'] });
  const seen = new Set<string>();
  const confirmations: { agencyId: number; actor: string }[] = [];
  const commands: Command[] = [];
  commands.push(
    createHelpCommand(() => commands),
    bindCommand,
  );
  const bot = createBot({
    deps: { chat, clock: createFixedClock('2026-11-26T02:00:00Z'), logger: silentLogger, directory },
    inboundLog: {
      firstSeen: ({ eventId, messageId }) => {
        const keys = [`e:${eventId}`, ...(messageId ? [`m:${messageId}`] : [])];
        if (keys.some((k) => seen.has(k))) return false;
        for (const k of keys) seen.add(k);
        return true;
      },
    },
    commands,
    cardActions: {
      ...onboardingActions,
      ...progressActions({
        confirmNoChange: ({ agencyId, actor }) => {
          confirmations.push({ agencyId, actor });
          return { confirmed: agencyId === 1 ? 3 : 0 };
        },
        findTask: () => undefined,
        recordReport: () => undefined,
      }),
    },
  });
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
      createdAt: new Date('2026-11-26T02:00:00Z'),
      ...extra,
    };
  };
  const noChange = (operator: string, chatId: string, agencyId: number) =>
    bot.handle({
      type: 'card_action',
      eventId: `ev_nc_${operator}_${chatId}_${agencyId}`,
      operatorOpenId: operator,
      messageId: 'om_prompt',
      chatId,
      value: { action: 'no_change', agency_id: agencyId, cycle: '2026-W48' },
    });
  return { chat, directory, bot, message, noChange, confirmations };
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

describe('the bot', () => {
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
    const { bot, chat, directory, message } = setup();
    await bot.handle(message('/bind 广州市科学技术局'));
    await bot.idle();
    expect(directory.agencyByChat('oc_group')?.name).toBe('市科技局');
    expect(textOf(chat.sent[0]!.message)).toContain('已将本群绑定到「市科技局」');
  });

  it('refuses /bind from an official and explains who may use it', async () => {
    const { bot, chat, directory, message } = setup();
    await bot.handle(message('/bind 市科技局', 'ou_official'));
    await bot.idle();
    expect(directory.agencyByChat('oc_group')).toBeUndefined();
    expect(textOf(chat.sent[0]!.message)).toContain('仅限督查室');
  });

  it('answers an unknown agency with suggestions and binds nothing', async () => {
    const { bot, chat, directory, message } = setup();
    await bot.handle(message('/bind 市科技委'));
    await bot.idle();
    expect(directory.agencyByChat('oc_group')).toBeUndefined();
    expect(textOf(chat.sent[0]!.message)).toContain('没有找到单位「市科技委」');
    expect(textOf(chat.sent[0]!.message)).toContain('市科技局');
  });

  it('shows the usage when /bind has no agency', async () => {
    const { bot, chat, message } = setup();
    await bot.handle(message('/bind'));
    await bot.idle();
    expect(textOf(chat.sent[0]!.message)).toContain('用法：/bind');
  });

  it('answers an unknown command by pointing at /help', async () => {
    const { bot, chat, message } = setup();
    await bot.handle(message('/frobnicate'));
    await bot.idle();
    expect(textOf(chat.sent[0]!.message)).toContain('没有「/frobnicate」这个命令');
  });

  it('ignores group chatter that neither mentions the bot nor is a command', async () => {
    const { bot, chat, message } = setup();
    await bot.handle(message('大家好', 'ou_official', { mentionsBot: false }));
    await bot.idle();
    expect(chat.sent).toHaveLength(0);
  });

  it('posts an onboarding card when added to a group and binds from its form', async () => {
    const { bot, chat, directory } = setup();
    await bot.handle({ type: 'bot_added', eventId: 'ev_added', chatId: 'oc_new' });
    await bot.idle();
    expect(chat.sent[0]!.chatId).toBe('oc_new');
    expect(JSON.stringify(chat.sent[0]!.message)).toContain('bind_agency');
    expect(JSON.stringify(chat.sent[0]!.message)).not.toContain('各有关单位');
    const answer = await bot.handle({
      type: 'card_action',
      eventId: 'ev_click',
      operatorOpenId: 'ou_coord',
      messageId: chat.sent[0]!.messageId,
      chatId: 'oc_new',
      value: { action: 'bind_agency' },
      formValue: { agency_id: '2' },
    });
    expect(answer?.toast?.type).toBe('success');
    expect(JSON.stringify(answer?.card)).toContain('市发改委');
    expect(directory.agencyByChat('oc_new')?.name).toBe('市发改委');
  });

  it('refuses an onboarding click from someone who is not a coordinator', async () => {
    const { bot, directory } = setup();
    const answer = await bot.handle({
      type: 'card_action',
      eventId: 'ev_click2',
      operatorOpenId: 'ou_official',
      messageId: 'om_x',
      chatId: 'oc_new',
      value: { action: 'bind_special', role: 'leaders' },
    });
    expect(answer?.toast?.type).toBe('error');
    expect(directory.specialChatRole('oc_new')).toBeUndefined();
  });

  it('tells the user when handling fails instead of staying silent', async () => {
    const { bot, chat, message, directory } = setup();
    directory.rolesOf = () => ['coordinator'];
    directory.bindSpecial = () => {
      throw new Error('disk full');
    };
    await bot.handle(message('/bind 督查室'));
    await bot.idle();
    expect(textOf(chat.sent[0]!.message)).toContain('出了问题');
  });

  it("records 'no change this cycle' when an official of the agency taps it in the agency's group", async () => {
    const { directory, noChange, confirmations } = setup();
    directory.bindAgency({ agencyId: 1, chatId: 'oc_kjj', actor: 'test', at: new Date() });
    const answer = await noChange('ou_official', 'oc_kjj', 1);
    expect(answer?.toast).toEqual({
      type: 'success',
      content: expect.stringContaining('本周 3 项任务无变化'),
    });
    expect(confirmations).toEqual([{ agencyId: 1, actor: 'ou_official' }]);
  });

  it('refuses a no-change tap from someone else, or from a card forwarded to another group', async () => {
    const { directory, noChange, confirmations } = setup();
    directory.bindAgency({ agencyId: 1, chatId: 'oc_kjj', actor: 'test', at: new Date() });
    directory.bindAgency({ agencyId: 2, chatId: 'oc_fgw', actor: 'test', at: new Date() });
    expect((await noChange('ou_stranger', 'oc_kjj', 1))?.toast?.type).toBe('error');
    expect((await noChange('ou_official', 'oc_fgw', 1))?.toast?.type).toBe('error');
    expect((await noChange('ou_official', 'oc_fgw', 2))?.toast?.type).toBe('error');
    expect(confirmations).toEqual([]);
  });

  it('lets a coordinator confirm for the group, and says so when nothing is open', async () => {
    const { directory, noChange } = setup();
    directory.bindAgency({ agencyId: 2, chatId: 'oc_fgw', actor: 'test', at: new Date() });
    const answer = await noChange('ou_coord', 'oc_fgw', 2);
    expect(answer?.toast).toEqual({ type: 'info', content: '本单位目前没有需要报送的任务。' });
  });
});
