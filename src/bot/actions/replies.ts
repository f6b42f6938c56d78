import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import { statusLabel } from '../../core/render/prompt-card.js';
import { renderRecordedCard } from '../../core/render/reply-cards.js';
import { REPLY_NOTE_MAX } from '../../core/replies/to-report.js';
import { REPORTABLE_STATUSES } from '../../core/vocabulary.js';
import { defineCardAction } from './types.js';
import { idValue as id } from './values.js';

/**
 * [确认] on the echo card of a free-text reply: the reading travels in the button value. The value could
 * be edited by whoever taps, so the router checks that its task belongs to the group it is tapped in and
 * that the tapper is that agency's official (or a coordinator) — an edited value can at most say what
 * the same person could report with /report.
 */
export const replyConfirmAction = defineCardAction({
  name: 'reply_confirm',
  value: z.object({
    action: z.literal('reply_confirm'),
    task_id: id,
    status: z.enum(REPORTABLE_STATUSES),
    percent: z.number().int().min(0).max(100),
    blocked: z.boolean(),
    note: z.string().max(REPLY_NOTE_MAX),
    source: z.string().min(1).max(100),
  }),
  roles: ['coordinator', 'official'],
  agencyOf: (value, ctx) => {
    const task = ctx.deps.usecases.progress.findTask(value.task_id);
    return task === undefined ? undefined : task.agencyId;
  },
  async handle(ctx, value) {
    if (value.blocked && value.note.trim() === '')
      return { toast: { type: 'warning', content: t('bot.action.malformed') } };
    const outcome = ctx.deps.usecases.replies.confirmReading({
      taskId: value.task_id,
      report: {
        status: value.status,
        percent: value.status === 'reported_done' ? 100 : value.percent,
        blocked: value.blocked,
        note: value.note,
        evidenceUrl: null,
      },
      actor: ctx.event.operatorOpenId,
      messageId: value.source,
      now: ctx.now,
    });
    switch (outcome.kind) {
      case 'recorded': {
        const status = statusLabel(value.blocked ? 'blocked' : value.status);
        const percent = value.status === 'reported_done' ? 100 : value.percent;
        const params = { article: outcome.articleNo, status, percent };
        const content = outcome.corrected ? t('bot.report.corrected', params) : t('bot.report.done', params);
        return { toast: { type: 'success', content }, card: renderRecordedCard({ text: content }) };
      }
      case 'closed':
        return { toast: { type: 'warning', content: t('bot.report.closed') } };
      default:
        return { toast: { type: 'warning', content: t('bot.action.gone') } };
    }
  },
});
