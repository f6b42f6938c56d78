import { z } from 'zod';
import { readPromptReport } from '../../core/progress/report-form.js';
import { t, translate } from '../../core/render/catalog.js';
import { statusLabel } from '../../core/render/prompt-card.js';
import type { CardActionAnswer } from '../../ports/chat.js';
import type { CardOrigin, CardRefusal } from '../../usecases/report-progress.js';
import { defineCardAction } from './types.js';
import { idValue as id, cardOriginValue as origin } from './values.js';

const cardOf = (value: { cycle?: string | undefined; issued?: number | undefined }): CardOrigin => ({
  cycle: value.cycle ?? null,
  issued: value.issued ?? null,
});

/** A tap the use case refused because of the card it came from: the reason, and where to go instead. */
function refusedCard(refusal: CardRefusal): CardActionAnswer {
  if (refusal.kind === 'bad_card') return { toast: { type: 'warning', content: t('bot.action.malformed') } };
  return {
    toast: {
      type: 'warning',
      content:
        refusal.cardCycle === null
          ? t('bot.card.noCycle')
          : t('bot.card.stale', { card: refusal.cardCycle, current: refusal.currentCycle }),
    },
  };
}

/** `2026-11-26 10:00` in Shanghai. */
function shanghaiMinute(at: string): string {
  return new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** The prompt card's 报送 (open a task's form) and 收起 (close it): the answer carries the re-rendered card. */
export const openReportAction = defineCardAction({
  name: 'open_report',
  value: z.object({
    action: z.literal('open_report'),
    agency_id: id,
    task_id: id.optional(),
    page: z.number().int().positive().max(1000).optional(),
    ...origin,
  }),
  roles: ['coordinator', 'official'],
  agencyOf: (value) => value.agency_id,
  async handle(ctx, value) {
    const outcome = ctx.deps.usecases.progress.promptCard({
      agencyId: value.agency_id,
      taskId: value.task_id,
      page: value.page,
      card: cardOf(value),
      now: ctx.now,
    });
    if (outcome.kind === 'not_found') return { toast: { type: 'warning', content: t('bot.action.gone') } };
    if (outcome.kind !== 'card') return refusedCard(outcome);
    return { card: outcome.card };
  },
});

/** The prompt card's "本周无变化": the agency's open tasks not yet reported this cycle answered for it. */
export const noChangeAction = defineCardAction({
  name: 'no_change',
  value: z.object({ action: z.literal('no_change'), agency_id: id, ...origin }),
  roles: ['coordinator', 'official'],
  agencyOf: (value) => value.agency_id,
  async handle(ctx, value) {
    const progress = ctx.deps.usecases.progress;
    const outcome = progress.confirmNoChange({
      agencyId: value.agency_id,
      actor: ctx.event.operatorOpenId,
      channel: 'card',
      now: ctx.now,
      card: cardOf(value),
      source: ctx.source,
    });
    if (outcome.kind !== 'confirmed') return refusedCard(outcome);
    if (outcome.confirmed === 0) {
      return {
        toast: {
          type: 'info',
          content:
            outcome.alreadyReported > 0 ? t('bot.noChange.allReported') : t('bot.noChange.nothingOpen'),
        },
      };
    }
    const content = t('bot.noChange.done', {
      count: outcome.confirmed,
      skipped: outcome.alreadyReported,
    });
    const card = progress.cardAfter({ agencyId: value.agency_id, notice: `✅ ${content}`, now: ctx.now });
    return { toast: { type: 'success', content }, ...(card === undefined ? {} : { card }) };
  },
});

/** One task's form on the prompt card. A refusal keeps the card as it is, so nothing typed is lost. */
export const reportAction = defineCardAction({
  name: 'report',
  value: z.object({ action: z.literal('report'), task_id: id, ...origin }),
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
    if (!read.ok) return { toast: { type: 'warning', content: translate(read.problem, read.params) } };
    const outcome = progress.recordReport({
      taskId: value.task_id,
      report: read.report,
      actor: ctx.event.operatorOpenId,
      channel: 'card',
      now: ctx.now,
      card: cardOf(value),
      source: ctx.source,
    });
    switch (outcome.kind) {
      case 'not_found':
        return { toast: { type: 'warning', content: t('bot.action.gone') } };
      case 'closed':
        return { toast: { type: 'warning', content: t('bot.report.closed') } };
      case 'done_since':
        return {
          toast: {
            type: 'warning',
            content: t('bot.report.doneSince', {
              article: outcome.articleNo,
              by: outcome.doneBy,
              date: shanghaiMinute(outcome.doneAt),
            }),
          },
        };
      case 'stale_card':
      case 'bad_card':
        return refusedCard(outcome);
      case 'recorded':
        break;
    }
    const status = statusLabel(read.report.blocked ? 'blocked' : read.report.status);
    const params = { article: outcome.articleNo, status, percent: read.report.percent };
    const content = outcome.corrected ? t('bot.report.corrected', params) : t('bot.report.done', params);
    // The card answers in place with the ledger as it now stands: what was recorded, by whom, when.
    const card =
      outcome.agencyId === null
        ? undefined
        : progress.cardAfter({ agencyId: outcome.agencyId, recordedTaskId: value.task_id, now: ctx.now });
    return { toast: { type: 'success', content }, ...(card === undefined ? {} : { card }) };
  },
});
