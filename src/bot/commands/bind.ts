import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import type { SpecialChatRole } from '../../core/vocabulary.js';
import type { BindTarget } from '../../usecases/bind-chat.js';
import { bindReply } from '../bind-replies.js';
import type { ParsedCommand } from './parse.js';
import { defineCommand } from './types.js';

/** The words coordinators use for the special groups. */
const SPECIAL_NAMES = new Map<string, SpecialChatRole>([
  ['督查室', 'coordinators'],
  ['督查室群', 'coordinators'],
  ['协调组', 'coordinators'],
  ['coordinators', 'coordinators'],
  ['领导', 'leaders'],
  ['领导群', 'leaders'],
  ['leaders', 'leaders'],
]);

const bindArgs = z.custom<ParsedCommand>().transform((command, ctx): BindTarget => {
  const name = command.args.trim();
  if (!name) {
    ctx.addIssue({ code: 'custom', message: t('bot.cmd.bind.missing') });
    return z.NEVER;
  }
  const role = SPECIAL_NAMES.get(name.toLowerCase());
  return role ? { kind: 'special', role } : { kind: 'agency', name };
});

export const bindCommand = defineCommand({
  name: 'bind',
  summary: 'bot.cmd.bind.summary',
  usage: 'bot.cmd.bind.usage',
  roles: ['coordinator'],
  args: bindArgs,
  async handle(ctx, target) {
    const outcome = await ctx.deps.usecases.bindChat({
      chatId: ctx.event.chatId,
      target,
      actor: ctx.event.senderOpenId,
      channel: 'command',
      now: ctx.now,
      source: ctx.source,
    });
    const reply = bindReply(outcome);
    await ctx.reply(reply.card ? { kind: 'card', card: reply.card } : reply.text);
  },
});
