import { formatPauseResult } from '../../usecases/pause.js';
import { commandArgs, localDate, target } from './args.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

/** `/pause 市科技局 until 2026-10-08`, `/pause all`; no target means all. */
const pauseArgs = commandArgs((tokens, fail) => {
  const at = tokens.findIndex((token) => token.toLowerCase() === 'until' || token === '至');
  const until = at === -1 ? undefined : localDate(tokens[at + 1], fail);
  const rest = at === -1 ? tokens : [...tokens.slice(0, at), ...tokens.slice(at + 2)];
  return { target: rest.length === 0 ? { all: true as const } : target(rest, fail), until };
});

export const pauseCommand = defineCommand({
  name: 'pause',
  summary: 'bot.cmd.pause.summary',
  usage: 'bot.cmd.pause.usage',
  roles: ['coordinator'],
  args: pauseArgs,
  handle: (ctx, args) =>
    answering(ctx, async () => {
      const result = ctx.deps.usecases.coordination.pause({
        ...('all' in args.target ? { all: true } : { agencies: [args.target.agency] }),
        ...(args.until === undefined ? {} : { until: args.until }),
        actor: ctx.event.senderOpenId,
        channel: 'command',
        source: ctx.source,
        now: ctx.now,
      });
      await ctx.reply(formatPauseResult(result));
    }),
});
