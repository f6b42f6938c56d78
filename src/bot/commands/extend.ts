import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import { extensionText } from '../review-replies.js';
import type { ParsedCommand } from './parse.js';
import { defineCommand } from './types.js';

export interface ExtendArgs {
  articleNo: number;
  date: string;
  reason: string;
}

/** `/extend 3 2027-03-31 理由…` (also `第3条`, `2027年3月31日`); the date is checked by the use case. */
const extendArgs = z.custom<ParsedCommand>().transform((command, ctx): ExtendArgs => {
  const [article, date, ...reason] = command.tokens;
  const number = /^第?([0-9０-９]{1,4})条?$/.exec(article ?? '')?.[1];
  if (number === undefined) {
    ctx.addIssue({ code: 'custom', message: t('bot.cmd.extend.badArticle') });
    return z.NEVER;
  }
  if (date === undefined) {
    ctx.addIssue({ code: 'custom', message: t('extend.badDate') });
    return z.NEVER;
  }
  if (reason.length === 0) {
    ctx.addIssue({ code: 'custom', message: t('extend.needsReason') });
    return z.NEVER;
  }
  const ascii = number.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return { articleNo: Number(ascii), date, reason: reason.join(' ') };
});

/** An agency asks, in its own group, for a later due date; the coordinators decide on a card. */
export const extendCommand = defineCommand({
  name: 'extend',
  summary: 'bot.cmd.extend.summary',
  usage: 'bot.cmd.extend.usage',
  roles: ['official', 'coordinator'],
  args: extendArgs,
  async handle(ctx, args) {
    const binding = ctx.deps.directory.bindingOf(ctx.event.chatId);
    if (binding?.kind !== 'agency') {
      await ctx.reply(t('extend.notAgencyGroup'));
      return;
    }
    const outcome = ctx.deps.usecases.review.requestExtensionByArticle({
      agencyId: binding.agencyId,
      articleNo: args.articleNo,
      date: args.date,
      reason: args.reason,
      actor: ctx.event.senderOpenId,
      channel: 'command',
      now: ctx.now,
      source: ctx.source,
    });
    await ctx.reply(extensionText(outcome));
  },
});
