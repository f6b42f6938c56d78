import { t } from '../../core/render/catalog.js';
import { parseScorePeriod } from '../../core/scoring/period.js';
import { commandArgs } from './args.js';
import { defineCommand } from './types.js';

/** A period as written (2026-11, 2026-Q4, 2026), checked here so a typo gets the usage, not an error. */
export function scorePeriodArg(
  token: string | undefined,
  fail: (message: string) => never,
): string | undefined {
  if (token === undefined) return undefined;
  try {
    return parseScorePeriod(token).key;
  } catch {
    return fail(t('bot.cmd.score.badPeriod'));
  }
}

/** `/score [PERIOD]`: per-agency totals and the lines behind the top ones, for coordinators and leaders. */
export const scoreCommand = defineCommand({
  name: 'score',
  summary: 'bot.cmd.score.summary',
  usage: 'bot.cmd.score.usage',
  roles: ['coordinator', 'leader'],
  args: commandArgs((tokens, fail) => {
    if (tokens.length > 1) return fail(t('bot.cmd.score.badPeriod'));
    return { period: scorePeriodArg(tokens[0], fail) };
  }),
  async handle(ctx, args: { period: string | undefined }) {
    const scoreCard = ctx.deps.usecases.scoreCard;
    if (scoreCard === undefined) return;
    await ctx.reply({ kind: 'card', card: scoreCard({ period: args.period, now: ctx.now }) });
  },
});
