import { t } from '../../core/render/catalog.js';
import { articleNumber, commandArgs, localDate } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

/** `/due 3 2026-12-31` or `/due 3 市科技局 2026-12-31`: the date comes last, the agency between. */
const dueArgs = commandArgs((tokens, fail) => {
  const article = articleNumber(tokens.shift(), fail);
  const date = localDate(tokens.pop(), fail);
  const agency = tokens.join(' ');
  return { article, dueDate: date, ...(agency === '' ? {} : { agency }) };
});

export const dueCommand = defineCommand({
  name: 'due',
  summary: 'bot.cmd.due.summary',
  usage: 'bot.cmd.due.usage',
  roles: ['coordinator'],
  args: dueArgs,
  handle: (ctx, args) =>
    answering(ctx, async () => {
      const result = ctx.deps.usecases.coordination.setDueDate({
        ...args,
        actor: ctx.event.senderOpenId,
        channel: 'command',
        source: ctx.source,
        now: ctx.now,
      });
      await ctx.reply(
        result.changed.length === 0
          ? t('coord.dueUnchanged', { article: result.article, date: result.dueDate })
          : t('coord.dueDone', {
              article: result.article,
              agency: result.agency,
              date: result.dueDate,
              count: result.changed.length,
            }),
      );
    }),
});
