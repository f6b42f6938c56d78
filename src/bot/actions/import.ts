import { z } from 'zod';
import { t } from '../../core/render/catalog.js';
import { renderImportOutcomeCard } from '../../core/render/import-card.js';
import type { CardActionAnswer } from '../../ports/chat.js';
import { IMPORT_CANCEL, IMPORT_CONFIRM, importProblem } from '../import-cards.js';
import { defineCardAction } from './types.js';

const outcome = (
  text: string,
  ok: boolean,
  type: 'success' | 'info' | 'warning' | 'error',
): CardActionAnswer => ({
  toast: { type, content: text },
  card: renderImportOutcomeCard({ text, ok }),
});

/**
 * [确认导入] on the preview card: the file is downloaded again from its message and imported only if its
 * text still has the hash the card showed. A second tap imports nothing twice (the text is stored by hash).
 */
export const importConfirmAction = defineCardAction({
  name: IMPORT_CONFIRM,
  value: z.object({
    action: z.literal(IMPORT_CONFIRM),
    message_id: z.string().min(1).max(100),
    hash: z.string().regex(/^[0-9a-f]{64}$/u),
  }),
  roles: ['coordinator'],
  async handle(ctx, value) {
    const chatImport = ctx.deps.usecases.chatImport;
    if (chatImport === undefined) return { toast: { type: 'warning', content: t('bot.action.unavailable') } };
    const binding = ctx.deps.directory.bindingOf(ctx.event.chatId);
    if (binding?.kind !== 'special' || binding.role !== 'coordinators')
      return { toast: { type: 'error', content: t('import.onlyCoordinatorsChat') } };
    try {
      const result = await chatImport.confirm({
        messageId: value.message_id,
        contentHash: value.hash,
        now: ctx.now,
        actor: ctx.event.operatorOpenId,
      });
      if (!result.applied) return outcome(t('import.already', { id: result.documentId }), true, 'info');
      const c = result.changes;
      return outcome(
        t('import.done', {
          id: result.documentId,
          articles: c.articlesCreated + c.articlesUpdated,
          tasks: c.tasksCreated,
          closed: c.tasksRemoved,
        }),
        true,
        'success',
      );
    } catch (error) {
      const problem = importProblem(error);
      if (problem === null) {
        ctx.logger.error({ err: error }, 'import not applied');
        return { toast: { type: 'error', content: t('import.failed') } };
      }
      return { toast: { type: 'warning', content: problem } };
    }
  },
});

export const importCancelAction = defineCardAction({
  name: IMPORT_CANCEL,
  value: z.object({ action: z.literal(IMPORT_CANCEL) }),
  roles: ['coordinator'],
  async handle() {
    return outcome(t('import.cancelled'), false, 'info');
  },
});
