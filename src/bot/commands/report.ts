import { z } from 'zod';
import { parsePercent } from '../../core/progress/percent.js';
import { t, translate } from '../../core/render/catalog.js';
import { statusLabel } from '../../core/render/prompt-card.js';
import { CN_DIGITS, readNumber } from '../../core/replies/numbers.js';
import type { ReplyStatus } from '../../core/replies/read-reply.js';
import { REPLY_NOTE_MAX, replyNote } from '../../core/replies/to-report.js';
import { refusalText } from '../reply-answers.js';
import type { ParsedCommand } from './parse.js';
import { defineCommand } from './types.js';

/** The words for a status, in Chinese or English (NFKC and lower-cased before lookup). */
const STATUS_WORDS = new Map<string, ReplyStatus>([
  ['未开始', 'not_started'],
  ['未启动', 'not_started'],
  ['not_started', 'not_started'],
  ['进行中', 'in_progress'],
  ['推进中', 'in_progress'],
  ['in_progress', 'in_progress'],
  ['已完成', 'done'],
  ['完成', 'done'],
  ['done', 'done'],
  ['受阻', 'blocked'],
  ['blocked', 'blocked'],
]);

const ARTICLE = new RegExp(`^第?(\\d{1,3}|[${CN_DIGITS}]{1,6})[条项]?$`, 'u');

export interface ReportArgs {
  article: number;
  status: ReplyStatus;
  percent: number | null;
  note: string;
}

const reportArgs = z.custom<ParsedCommand>().transform((command, ctx): ReportArgs => {
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  };
  const [articleText, statusText, ...rest] = command.tokens;
  if (articleText === undefined || statusText === undefined) return fail(t('bot.cmd.report.missing'));
  const articleMatch = ARTICLE.exec(articleText.normalize('NFKC'));
  const article = articleMatch?.[1] === undefined ? null : readNumber(articleMatch[1]);
  if (article === null || article < 1) return fail(t('bot.cmd.report.badArticle', { text: articleText }));
  const status = STATUS_WORDS.get(statusText.normalize('NFKC').toLowerCase());
  if (status === undefined) return fail(t('bot.cmd.report.badStatus', { text: statusText }));
  let percent: number | null = null;
  const percentText = rest[0]?.normalize('NFKC');
  // A third word that looks like a number (a digit, a sign or a point first) is meant as the percent:
  // strictly plain digits, 0–100, with the reason when it is not (+50, 1e2, 0x32, 100.5).
  if (percentText !== undefined && /^[+-]?\.?\d/u.test(percentText)) {
    const read = parsePercent(percentText, { sign: true });
    if (!read.ok) return fail(translate(read.reason, { text: (rest[0] ?? '').slice(0, 20) }));
    percent = read.percent;
    rest.shift();
  }
  const note = replyNote(rest.join(' '));
  if (rest.join(' ').length > REPLY_NOTE_MAX) return fail(t('bot.report.noteTooLong'));
  if (status === 'blocked' && note === '') return fail(t('bot.cmd.report.blockedNeedsReason'));
  return { article, status, percent, note };
});

/** `/report 13 进行中 70 已完成招标`: recorded at once, in the agency's group, by its officials or a coordinator. */
export const reportCommand = defineCommand({
  name: 'report',
  summary: 'bot.cmd.report.summary',
  usage: 'bot.cmd.report.usage',
  roles: ['coordinator', 'official'],
  args: reportArgs,
  async handle(ctx, args) {
    const outcome = ctx.deps.usecases.replies.reportCommand({
      chatId: ctx.event.chatId,
      messageId: ctx.event.messageId,
      senderOpenId: ctx.event.senderOpenId,
      ...args,
      now: ctx.now,
    });
    switch (outcome.kind) {
      case 'recorded': {
        const { report } = outcome;
        const params = {
          article: outcome.articleNo,
          status: statusLabel(report.blocked ? 'blocked' : report.status),
          percent: report.percent,
        };
        await ctx.reply(outcome.corrected ? t('bot.report.corrected', params) : t('bot.report.done', params));
        return;
      }
      case 'closed':
        await ctx.reply(t('bot.report.closed'));
        return;
      case 'not_found':
      case 'done_since':
      case 'stale_card':
      case 'bad_card':
        await ctx.reply(t('bot.action.gone'));
        return;
      default:
        await ctx.reply(refusalText(outcome));
    }
  },
});
