import { t } from '../../core/render/catalog.js';
import { articleNumber, commandArgs, taskRole } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

/** `/assign 3 市科技局 lead`: the role comes last, the agency (which may hold spaces) between. */
const assignArgs = commandArgs((tokens, fail) => {
  const article = articleNumber(tokens.shift(), fail);
  const role = taskRole(tokens.pop(), fail);
  const agency = tokens.join(' ');
  if (agency === '') return fail(t('coord.arg.agencyMissing'));
  return { article, agency, role };
});

export const assignCommand = defineCommand({
  name: 'assign',
  summary: 'bot.cmd.assign.summary',
  usage: 'bot.cmd.assign.usage',
  roles: ['coordinator'],
  args: assignArgs,
  handle: (ctx, args) =>
    answering(ctx, async () => {
      const result = ctx.deps.usecases.coordination.assign({
        ...args,
        actor: ctx.event.senderOpenId,
        channel: 'command',
        source: ctx.source,
        now: ctx.now,
      });
      const params = {
        article: result.article,
        agency: result.agency,
        role: t(result.role === 'lead' ? 'common.lead' : 'common.participant'),
      };
      await ctx.reply(
        result.outcome === 'unchanged'
          ? t('coord.assign.unchanged', params)
          : result.outcome === 'role_changed'
            ? t('coord.assign.roleChanged', params)
            : t('coord.assign.created', params),
      );
    }),
});
