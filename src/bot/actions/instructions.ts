import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import { INSTRUCTION_ACTIONS, INSTRUCTION_REJECT_FORM } from '../../core/render/instruction-cards.js';
import { defineCardAction } from './types.js';
import { idValue as id } from './values.js';

/** The coordinators' 确认立项 / 驳回 on a leader's instruction (批示). */
export const decideInstructionAction = defineCardAction({
  name: INSTRUCTION_ACTIONS.decide,
  value: z.object({
    action: z.literal(INSTRUCTION_ACTIONS.decide),
    instruction_id: id,
    confirm: z.boolean(),
  }),
  roles: ['coordinator'],
  async handle(ctx, value) {
    const instructions = ctx.deps.usecases.instructions;
    if (instructions === undefined) return { toast: { type: 'warning', content: t('bot.action.gone') } };
    const reason = ctx.event.formValue?.[INSTRUCTION_REJECT_FORM.reason];
    const outcome = await instructions.decide({
      instructionId: value.instruction_id,
      confirm: value.confirm,
      reason: typeof reason === 'string' ? reason.slice(0, 2000) : undefined,
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
      case 'needs_reason':
        return { toast: { type: 'warning', content: t('instruction.needsReason') } };
      case 'already_decided':
        return { toast: { type: 'info', content: t('instruction.alreadyDecided') }, card: outcome.card };
      case 'confirmed':
        return {
          toast: { type: 'success', content: `${t('instruction.card.confirm')} ✓` },
          card: outcome.card,
        };
      case 'rejected':
        return {
          toast: { type: 'success', content: `${t('instruction.card.reject')} ✓` },
          card: outcome.card,
        };
    }
  },
});
