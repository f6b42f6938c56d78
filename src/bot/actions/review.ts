import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import { promptFieldNames } from '../../core/render/prompt-card.js';
import { RETURN_FORM } from '../../core/render/review-cards.js';
import type { CardActionAnswer } from '../../ports/chat.js';
import type { VerdictOutcome } from '../../usecases/review.js';
import { extensionText, verdictRefusal } from '../review-replies.js';
import { defineCardAction } from './types.js';
import { idValue as id, cardOriginValue as origin } from './values.js';

const field = (value: unknown): string => (typeof value === 'string' ? value : '');

function verdictAnswer(outcome: VerdictOutcome): CardActionAnswer {
  if ('card' in outcome) {
    const content = outcome.kind === 'verified' ? t('review.verify.button') : t('review.return.button');
    return { toast: { type: 'success', content: `${content} ✓` }, card: outcome.card };
  }
  const type =
    outcome.kind === 'forbidden' ? 'error' : outcome.kind === 'already_verified' ? 'info' : 'warning';
  return { toast: { type, content: verdictRefusal(outcome) } };
}

/**
 * 销号 on the verifier's card. Anyone may tap; the use case says who may verify (the lead agency's
 * officials or a coordinator for a participant's task, a coordinator for a lead's task), wherever the
 * card was forwarded to.
 */
export const verifyAction = defineCardAction({
  name: 'verify_task',
  value: z.object({ action: z.literal('verify_task'), task_id: id }),
  roles: 'anyone',
  async handle(ctx, value) {
    return verdictAnswer(
      ctx.deps.usecases.review.verify({
        taskId: value.task_id,
        actor: ctx.event.operatorOpenId,
        channel: 'card',
        now: ctx.now,
        source: ctx.source,
      }),
    );
  },
});

/** 退回 on the verifier's card: its form carries the required reason. */
export const returnAction = defineCardAction({
  name: 'return_task',
  value: z.object({ action: z.literal('return_task'), task_id: id }),
  roles: 'anyone',
  async handle(ctx, value) {
    return verdictAnswer(
      ctx.deps.usecases.review.returnTask({
        taskId: value.task_id,
        reason: field(ctx.event.formValue?.[RETURN_FORM.reason]).slice(0, 2000),
        actor: ctx.event.operatorOpenId,
        channel: 'card',
        now: ctx.now,
        source: ctx.source,
      }),
    );
  },
});

/** The coordinators' 批准 / 驳回 on an extension request. */
export const decideExtensionAction = defineCardAction({
  name: 'decide_extension',
  value: z.object({ action: z.literal('decide_extension'), request_id: id, approve: z.boolean() }),
  roles: ['coordinator'],
  async handle(ctx, value) {
    const outcome = ctx.deps.usecases.review.decideExtension({
      requestId: value.request_id,
      approve: value.approve,
      actor: ctx.event.operatorOpenId,
      channel: 'card',
      now: ctx.now,
      source: ctx.source,
    });
    switch (outcome.kind) {
      case 'not_found':
        return { toast: { type: 'warning', content: t('bot.action.gone') } };
      case 'forbidden':
        return { toast: { type: 'error', content: t('bot.action.coordinatorsOnly') } };
      case 'already_decided':
        return {
          toast: { type: 'info', content: t('extend.alreadyDecided') },
          ...(outcome.card === undefined ? {} : { card: outcome.card }),
        };
      case 'decided':
        return {
          toast: {
            type: 'success',
            content: `${t(outcome.approved ? 'extend.card.approve' : 'extend.card.reject')} ✓`,
          },
          card: outcome.card,
        };
    }
  },
});

/** The prompt card's 申请延期: the card again, with the task's extension form open. */
export const openExtensionAction = defineCardAction({
  name: 'open_extension',
  value: z.object({
    action: z.literal('open_extension'),
    agency_id: id,
    task_id: id,
    page: z.number().int().positive().max(1000).optional(),
    ...origin,
  }),
  roles: ['coordinator', 'official'],
  agencyOf: (value) => value.agency_id,
  async handle(ctx, value) {
    const outcome = ctx.deps.usecases.progress.promptCard({
      agencyId: value.agency_id,
      taskId: value.task_id,
      form: 'extend',
      page: value.page,
      card: { cycle: value.cycle ?? null, issued: value.issued ?? null },
      now: ctx.now,
    });
    if (outcome.kind === 'card') return { card: outcome.card };
    if (outcome.kind === 'not_found') return { toast: { type: 'warning', content: t('bot.action.gone') } };
    return { toast: { type: 'warning', content: t('bot.card.noCycle') } };
  },
});

/** The extension form's submit: the request goes to the coordinators; a refusal keeps what was typed. */
export const requestExtensionAction = defineCardAction({
  name: 'request_extension',
  value: z.object({ action: z.literal('request_extension'), task_id: id, ...origin }),
  roles: ['coordinator', 'official'],
  agencyOf: (value, ctx) => {
    const task = ctx.deps.usecases.progress.findTask(value.task_id);
    return task === undefined ? undefined : task.agencyId;
  },
  async handle(ctx, value) {
    const names = promptFieldNames(value.task_id);
    const outcome = ctx.deps.usecases.review.requestExtension({
      taskId: value.task_id,
      date: field(ctx.event.formValue?.[names.extendDate]).slice(0, 40),
      reason: field(ctx.event.formValue?.[names.extendReason]).slice(0, 2000),
      actor: ctx.event.operatorOpenId,
      channel: 'card',
      now: ctx.now,
      source: ctx.source,
    });
    const content = extensionText(outcome);
    if (outcome.kind !== 'requested') return { toast: { type: 'warning', content } };
    const agencyId = ctx.deps.usecases.progress.findTask(value.task_id)?.agencyId;
    const card =
      agencyId === undefined || agencyId === null
        ? undefined
        : ctx.deps.usecases.progress.cardAfter({ agencyId, notice: `🕒 ${content}`, now: ctx.now });
    return { toast: { type: 'success', content }, ...(card === undefined ? {} : { card }) };
  },
});
