import { t } from '../../core/render/catalog.js';
import { articleNumber, commandArgs } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

const unassignArgs = commandArgs((tokens, fail) => {
  const article = articleNumber(tokens.shift(), fail);
  const agency = tokens.join(' ');
  if (agency === '') return fail(t('coord.arg.agencyMissing'));
  return { article, agency };
});

export const unassignCommand = defineCommand({
  name: 'unassign',
  summary: 'bot.cmd.unassign.summary',
  usage: 'bot.cmd.unassign.usage',
  roles: ['coordinator'],
  args: unassignArgs,
  handle: (ctx, args) =>
    answering(ctx, async () => {
      const result = ctx.deps.usecases.coordination.unassign({
        ...args,
        actor: ctx.event.senderOpenId,
        channel: 'command',
        source: ctx.source,
        now: ctx.now,
      });
      await ctx.reply(t('coord.unassign.done', { article: result.article, agency: result.agency }));
    }),
});
