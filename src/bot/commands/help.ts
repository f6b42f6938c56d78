import { z } from 'zod';
import { renderHelpCard } from '../../core/render/bot-cards.js';
import { t } from '../../core/render/catalog.js';
import type { MessageContext } from '../context.js';
import { type Command, defineCommand } from './types.js';

/** In a private chat there is no group to describe: say instead what this person may do, and where. */
function whereLines(ctx: MessageContext): string[] {
  const lines = [t('bot.help.private')];
  if (ctx.roles.includes('coordinator')) lines.push(t('bot.help.whereCoordinator'));
  if (ctx.roles.includes('leader')) lines.push(t('bot.help.whereLeader'));
  if (ctx.roles.includes('official')) {
    const mine = new Set(ctx.deps.directory.agenciesOf(ctx.event.senderOpenId));
    const names = ctx.deps.directory
      .bindableAgencies()
      .filter((agency) => mine.has(agency.id))
      .map((agency) => agency.name);
    lines.push(t('bot.help.whereOfficial', { agencies: names.join('、') }));
  }
  if (ctx.roles.length === 0) lines.push(t('bot.help.whereNobody'));
  return lines;
}

function chatStatusOf(ctx: MessageContext) {
  if (ctx.event.chatType === 'p2p') return { kind: 'private' as const, lines: whereLines(ctx) };
  const binding = ctx.deps.directory.bindingOf(ctx.event.chatId);
  if (binding?.kind === 'agency') return { kind: 'agency' as const, agency: binding.agency };
  if (binding?.kind === 'special') return { kind: 'special' as const, role: binding.role };
  return { kind: 'unbound' as const };
}

/** /help lists what this person may run, generated from the registry so it never drifts. */
export function createHelpCommand(getCommands: () => readonly Command[]): Command {
  return defineCommand({
    name: 'help',
    summary: 'bot.cmd.help.summary',
    usage: 'bot.cmd.help.usage',
    roles: 'anyone',
    args: z.unknown(),
    async handle(ctx) {
      const visible = getCommands().filter(
        (c) => c.roles === 'anyone' || c.roles.some((r) => ctx.roles.includes(r)),
      );
      const card = renderHelpCard({
        commands: visible.map((c) => ({
          usage: c.usage,
          summary: c.summary,
          coordinatorsOnly: c.roles !== 'anyone' && c.roles.length === 1 && c.roles[0] === 'coordinator',
        })),
        chatStatus: chatStatusOf(ctx),
      });
      await ctx.reply({ kind: 'card', card });
    },
  });
}
