import { z } from 'zod';
import { isDubanError } from '../../core/errors.js';
import { t } from '../../core/render/catalog.js';
import { readPlaceRef, renderHistoryCards } from '../../core/render/history.js';
import { type TaskPlace, taskPlaceLabel } from '../../core/render/task-place.js';
import type { ArticleHistory } from '../../usecases/history.js';
import type { ParsedCommand } from './parse.js';
import { defineCommand } from './types.js';

interface HistoryArgs {
  article: Required<TaskPlace>;
  agency?: string;
}

const historyArgs = z.custom<ParsedCommand>().transform((command, ctx): HistoryArgs => {
  const [first = '', ...rest] = command.args.trim().split(/\s+/u);
  const article = readPlaceRef(first);
  if (article === null) {
    ctx.addIssue({ code: 'custom', message: t('bot.cmd.history.badArticle') });
    return z.NEVER;
  }
  const agency = rest.join(' ').trim();
  return agency === '' ? { article } : { article, agency };
});

/**
 * `/history ARTICLE [AGENCY]`: the article's audit trail as a card. Coordinators and leaders see any
 * agency's; everyone else only their own agency's tasks, in its bound group.
 */
export const historyCommand = defineCommand({
  name: 'history',
  summary: 'bot.cmd.history.summary',
  usage: 'bot.cmd.history.usage',
  roles: 'anyone',
  args: historyArgs,
  async handle(ctx, args: HistoryArgs) {
    const query = ctx.deps.usecases.history;
    if (query === undefined) return;
    const overseer = ctx.roles.includes('coordinator') || ctx.roles.includes('leader');
    const binding = ctx.deps.directory.bindingOf(ctx.event.chatId);
    const ownAgency = binding?.kind === 'agency' ? binding.agencyId : undefined;
    if (!overseer && ownAgency === undefined) {
      await ctx.reply(t('bot.cmd.history.notHere'));
      return;
    }
    let history: ArticleHistory;
    try {
      history = query({
        article: args.article.articleNo,
        kind: args.article.articleKind,
        // In an agency's group without an overseer's role, the history is that agency's.
        ...(args.agency !== undefined
          ? { agency: args.agency }
          : !overseer && ownAgency !== undefined
            ? { agency: ownAgency }
            : {}),
      });
    } catch (error) {
      if (isDubanError(error) && error.code === 'history.article_not_found') {
        await ctx.reply(t('history.notFound', { place: taskPlaceLabel(args.article) }));
        return;
      }
      if (isDubanError(error) && error.code === 'ledger.unknown_agency') {
        await ctx.reply(t('bot.cmd.history.unknownAgency', { agency: args.agency ?? '' }));
        return;
      }
      throw error;
    }
    if (!overseer && history.agency?.id !== ownAgency) {
      await ctx.reply(t('bot.cmd.history.otherAgency'));
      return;
    }
    const cards = renderHistoryCards({
      article: history.article,
      agency: history.agency?.name ?? null,
      entries: history.entries,
    });
    // One answer per command (replies are keyed by the message): the page with the latest events,
    // which says which page of how many it is; `duban history` prints every event.
    const latest = cards.at(-1);
    if (latest !== undefined) await ctx.reply({ kind: 'card', card: latest });
  },
});
