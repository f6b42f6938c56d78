import { t } from '../../core/render/catalog.js';
import { commandArgs, noMore } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

export const unbindCommand = defineCommand({
  name: 'unbind',
  summary: 'bot.cmd.unbind.summary',
  usage: 'bot.cmd.unbind.usage',
  roles: ['coordinator'],
  args: commandArgs((tokens, fail) => noMore(tokens, fail)),
  handle: (ctx) =>
    answering(ctx, async () => {
      const ended = ctx.deps.usecases.coordination.unbind({
        chatId: ctx.event.chatId,
        actor: ctx.event.senderOpenId,
        channel: 'command',
        source: ctx.source,
        now: ctx.now,
      });
      if (ended === null) await ctx.reply(t('coord.unbind.none'));
      else if (ended.kind === 'agency') await ctx.reply(t('coord.unbind.agency', { agency: ended.agency }));
      else
        await ctx.reply(
          t('coord.unbind.special', {
            role: t(ended.role === 'coordinators' ? 'bot.role.coordinatorsGroup' : 'bot.role.leadersGroup'),
          }),
        );
    }),
});
