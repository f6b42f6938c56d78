import { t } from '../../core/render/catalog.js';
import { commandArgs } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

/**
 * `/digest`: the leaders' weekly card as it would be sent now, shown to the coordinators before Friday.
 * Only in the coordinators' own group: a preview elsewhere would show the leaders' card to others.
 */
export const digestCommand = defineCommand({
  name: 'digest',
  summary: 'digest.command.summary',
  usage: 'digest.command.usage',
  roles: ['coordinator'],
  args: commandArgs(() => ({})),
  handle: (ctx) =>
    answering(ctx, async () => {
      const preview = ctx.deps.usecases.digest;
      if (preview === undefined) return;
      const binding = ctx.deps.directory.bindingOf(ctx.event.chatId);
      if (binding?.kind !== 'special' || binding.role !== 'coordinators') {
        await ctx.reply(t('digest.command.onlyCoordinatorsChat'));
        return;
      }
      await ctx.reply({ kind: 'card', card: preview({ now: ctx.now, preview: true }).card });
    }),
});
