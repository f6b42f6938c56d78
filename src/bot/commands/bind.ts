import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import type { SpecialChat } from '../ports.js';
import type { ParsedCommand } from './parse.js';
import { defineCommand } from './types.js';

const SPECIAL_NAMES: Record<string, SpecialChat> = {
  督查室: 'coordinators',
  督查室群: 'coordinators',
  协调组: 'coordinators',
  coordinators: 'coordinators',
  领导: 'leaders',
  领导群: 'leaders',
  leaders: 'leaders',
};

export type BindTarget = { kind: 'special'; role: SpecialChat } | { kind: 'agency'; name: string };

const bindArgs = z.custom<ParsedCommand>().transform((command, ctx): BindTarget => {
  const name = command.args.trim();
  if (!name) {
    ctx.addIssue({ code: 'custom', message: t('bot.cmd.bind.missing') });
    return z.NEVER;
  }
  const role = SPECIAL_NAMES[name.toLowerCase()];
  return role ? { kind: 'special', role } : { kind: 'agency', name };
});

export const bindCommand = defineCommand({
  name: 'bind',
  summary: 'bot.cmd.bind.summary',
  usage: 'bot.cmd.bind.usage',
  roles: ['coordinator'],
  args: bindArgs,
  async handle(ctx, target) {
    const { directory } = ctx.deps;
    const actor = ctx.event.senderOpenId;
    if (target.kind === 'special') {
      directory.bindSpecial({ role: target.role, chatId: ctx.event.chatId, actor, at: ctx.now });
      const role = t(target.role === 'coordinators' ? 'bot.role.coordinatorsGroup' : 'bot.role.leadersGroup');
      await ctx.reply(t('bot.bind.specialDone', { role }));
      return;
    }
    const agency = directory.findAgency(target.name);
    if (!agency) {
      await ctx.reply(
        t('bot.bind.unknownAgency', {
          name: target.name,
          suggestions: directory.suggestAgencies(target.name).join('、'),
        }),
      );
      return;
    }
    if (agency.kind === 'collective') {
      await ctx.reply(t('bot.bind.collective', { name: agency.name }));
      return;
    }
    directory.bindAgency({ agencyId: agency.id, chatId: ctx.event.chatId, actor, at: ctx.now });
    await ctx.reply(t('bot.bind.done', { agency: agency.name }));
  },
});
