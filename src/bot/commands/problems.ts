import { isDubanError } from '../../core/errors.js';
import { t } from '../../core/render/catalog.js';
import type { MessageContext } from '../context.js';

const text = (value: unknown): string => (typeof value === 'string' ? value : String(value ?? ''));

/**
 * A refusal from a use case in the users' words: the codes the coordinators' commands can meet are
 * worded from the catalog with their details; anything else keeps the use case's own message.
 */
export function describeProblem(error: unknown): string | null {
  if (!isDubanError(error)) return null;
  const d = error.details ?? {};
  switch (error.code) {
    case 'ledger.unknown_agency':
      return t('coord.unknownAgency', {
        name: text(d.name),
        suggestion: typeof d.suggestion === 'string' ? d.suggestion : null,
      });
    case 'coord.unknown_article':
      return t('coord.unknownArticle', { article: Number(d.article) });
    case 'coord.collective':
    case 'pause.collective':
      return t('coord.collective', { name: text(d.name ?? d.agency) });
    case 'coord.no_tasks':
      return t('coord.noTasksFor', { article: Number(d.article), agency: text(d.agency) });
    case 'coord.due_past':
      return t('coord.duePast', { date: text(d.date), today: text(d.today) });
    case 'pause.until_past':
      return t('coord.duePast', { date: text(d.until), today: text(d.today) });
    case 'coord.bad_date':
      return t('coord.arg.date', { value: text(d.value) });
    case 'pause.until_malformed':
      return t('coord.arg.date', { value: text(d.until) });
    default:
      return `${error.message}${error.hint ? `\n${error.hint}` : ''}`;
  }
}

/** Runs a command's work; a use case's refusal becomes the reply instead of an internal error. */
export async function answering(ctx: MessageContext, work: () => Promise<void> | void): Promise<void> {
  try {
    await work();
  } catch (error) {
    const problem = describeProblem(error);
    if (problem === null) throw error;
    await ctx.reply(problem);
  }
}
