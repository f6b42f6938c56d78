import { z } from 'zod';
import { readPromptReport } from '../../core/progress/report-form.js';
import { t, translate } from '../../core/render/catalog.js';
import { statusLabel } from '../../core/render/prompt-card.js';
import { defineCardAction } from './types.js';

/** Ids arrive as numbers from our own cards, as strings from some clients; nothing else is an id. */
const id = z.union([
  z.number().int().positive().max(2_147_483_647),
  z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number),
]);

/** The prompt card's "本周无变化": every open task of the agency answered for this cycle. */
export const noChangeAction = defineCardAction({
  name: 'no_change',
  value: z.object({ action: z.literal('no_change'), agency_id: id, cycle: z.string().max(20).optional() }),
  roles: ['coordinator', 'official'],
  agencyOf: (value) => value.agency_id,
  async handle(ctx, value) {
    const { confirmed } = ctx.deps.usecases.progress.confirmNoChange({
      agencyId: value.agency_id,
      actor: ctx.event.operatorOpenId,
      channel: 'card',
      now: ctx.now,
    });
    if (confirmed === 0) return { toast: { type: 'info', content: t('bot.noChange.nothingOpen') } };
    return { toast: { type: 'success', content: t('bot.noChange.done', { count: confirmed }) } };
  },
});

/** One task's form on the prompt card. The card keeps what was typed, so a refusal loses nothing. */
export const reportAction = defineCardAction({
  name: 'report',
  value: z.object({ action: z.literal('report'), task_id: id, cycle: z.string().max(20).optional() }),
  roles: ['coordinator', 'official'],
  agencyOf: (value, ctx) => {
    const task = ctx.deps.usecases.progress.findTask(value.task_id);
    return task === undefined ? undefined : task.agencyId;
  },
  async handle(ctx, value) {
    const progress = ctx.deps.usecases.progress;
    const task = progress.findTask(value.task_id);
    if (task === undefined) return { toast: { type: 'warning', content: t('bot.action.gone') } };
    if (task.closed) return { toast: { type: 'warning', content: t('bot.report.closed') } };
    const read = readPromptReport({ taskId: value.task_id, formValue: ctx.event.formValue, current: task });
    if (!read.ok) return { toast: { type: 'warning', content: translate(read.problem) } };
    const outcome = progress.recordReport({
      taskId: value.task_id,
      report: read.report,
      actor: ctx.event.operatorOpenId,
      channel: 'card',
      now: ctx.now,
    });
    if (outcome.kind === 'not_found') return { toast: { type: 'warning', content: t('bot.action.gone') } };
    if (outcome.kind === 'closed') return { toast: { type: 'warning', content: t('bot.report.closed') } };
    const status = statusLabel(read.report.blocked ? 'blocked' : read.report.status);
    return {
      toast: {
        type: 'success',
        content: t('bot.report.done', { article: outcome.articleNo, status, percent: read.report.percent }),
      },
    };
  },
});
