import { t } from '../../core/render/catalog.js';
import { EXPORT_KINDS, type ExportKind } from '../../usecases/export.js';
import { commandArgs } from './args.js';
import { scorePeriodArg } from './score.js';
import { defineCommand } from './types.js';

/**
 * `/export ledger|scores [PERIOD]`: the workbook as a file message in the chat that asked, for
 * coordinators and leaders. The message key is the command's message: a retried event sends nothing twice.
 */
export const exportCommand = defineCommand({
  name: 'export',
  summary: 'bot.cmd.export.summary',
  usage: 'bot.cmd.export.usage',
  roles: ['coordinator', 'leader'],
  args: commandArgs((tokens, fail) => {
    const [kind, period, ...rest] = tokens;
    const known = (EXPORT_KINDS as readonly string[]).includes(kind?.toLowerCase() ?? '');
    if (!known) return fail(t('bot.cmd.export.badKind'));
    if (rest.length > 0) return fail(t('bot.cmd.score.badPeriod'));
    return { kind: kind?.toLowerCase() as ExportKind, period: scorePeriodArg(period, fail) };
  }),
  async handle(ctx, args: { kind: ExportKind; period: string | undefined }) {
    const exports = ctx.deps.usecases.exports;
    if (exports === undefined) return;
    try {
      await exports.sendTo({
        kind: args.kind,
        period: args.period,
        now: ctx.now,
        chatId: ctx.event.chatId,
        idempotencyKey: `export:${ctx.event.messageId}`,
      });
    } catch (error) {
      ctx.logger.error({ err: error, kind: args.kind }, 'export not sent');
      await ctx.reply(t('bot.cmd.export.failed'));
    }
  },
});
