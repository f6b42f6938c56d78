import { t } from '../../core/render/catalog.js';
import { formatPromptCycleResult } from '../../usecases/prompt-cycle.js';
import { commandArgs, target } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

/** `/remind 市科技局`, `/remind all --force`; no target means all. */
const remindArgs = commandArgs((tokens) => {
  const force = tokens.some((token) => token === '--force' || token === '强制');
  const rest = tokens.filter((token) => token !== '--force' && token !== '强制');
  return {
    force,
    target: rest.length === 0 ? { all: true as const } : target(rest, () => undefined as never),
  };
});

export const remindCommand = defineCommand({
  name: 'remind',
  summary: 'bot.cmd.remind.summary',
  usage: 'bot.cmd.remind.usage',
  roles: ['coordinator'],
  args: remindArgs,
  handle: (ctx, args) =>
    answering(ctx, async () => {
      const result = await ctx.deps.usecases.coordination.remind({
        ...('all' in args.target ? { all: true } : { agency: args.target.agency }),
        force: args.force,
        actor: ctx.event.senderOpenId,
        channel: 'command',
        now: ctx.now,
      });
      // The cycle's own words: what was queued, and every agency left out with its reason. The running
      // dispatcher sends; its first drain's counts and the CLI's "npm start" line would mislead here.
      const { delivery: _sending, ...queued } = result;
      const cli = t('prompts.result.queuedOnly');
      const lines = formatPromptCycleResult(queued)
        .split('\n')
        .filter((line) => line !== cli);
      lines.push(t(result.queued.length > 0 ? 'coord.remind.sent' : 'coord.remind.nothing'));
      await ctx.reply(lines.join('\n'));
    }),
});
