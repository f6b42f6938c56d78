import { z } from 'zod';
import { renderHelpCard } from '../../core/render/bot-cards.js';
import type { MessageContext } from '../context.js';
import { type Command, defineCommand } from './types.js';

function chatStatusOf(ctx: MessageContext) {
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
