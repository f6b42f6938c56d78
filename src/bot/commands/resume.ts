import { formatPauseResult } from '../../usecases/pause.js';
import { commandArgs, target } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

/** `/resume 市科技局`, `/resume all`; no target means all. */
const resumeArgs = commandArgs((tokens, fail) => ({
  target: tokens.length === 0 ? { all: true as const } : target(tokens, fail),
}));

export const resumeCommand = defineCommand({
  name: 'resume',
  summary: 'bot.cmd.resume.summary',
  usage: 'bot.cmd.resume.usage',
  roles: ['coordinator'],
  args: resumeArgs,
  handle: (ctx, args) =>
    answering(ctx, async () => {
      const result = ctx.deps.usecases.coordination.resume({
        ...('all' in args.target ? { all: true } : { agencies: [args.target.agency] }),
        actor: ctx.event.senderOpenId,
        channel: 'command',
        source: ctx.source,
        now: ctx.now,
      });
      await ctx.reply(formatPauseResult(result));
    }),
});
