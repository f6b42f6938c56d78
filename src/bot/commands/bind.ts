import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import type { BotDirectory, SpecialChat } from '../ports.js';
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

/** Names close to what was typed, so a typo gets a useful answer instead of a dead end. */
export function suggestAgencies(directory: BotDirectory, written: string): string[] {
  const chars = new Set(written.replace(/^(广州)?市/, ''));
  return directory
    .listAgencies()
    .map((a) => ({
      name: a.name,
      score: [...new Set(a.name.replace(/^市/, ''))].filter((c) => chars.has(c)).length,
    }))
    .filter((a) => a.score >= 2)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .map((a) => a.name);
}

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
          suggestions: suggestAgencies(directory, target.name).join('、'),
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
