import { readPromptReport } from '../core/progress/report-form.js';
import { renderBoundCard } from '../core/render/bot-cards.js';
import { t, translate } from '../core/render/catalog.js';
import { statusLabel } from '../core/render/prompt-card.js';
import type { CardActionAnswer } from '../ports/chat.js';
import type { CardActionContext } from './context.js';
import type { ProgressPort } from './ports.js';

export type CardActionHandler = (ctx: CardActionContext) => Promise<CardActionAnswer>;

const forbidden = (): CardActionAnswer => ({
  toast: { type: 'error', content: t('bot.error.forbidden', { name: 'bind' }) },
});

/** The onboarding card's buttons: bind this group to an agency or make it a special group. */
export const onboardingActions: Record<string, CardActionHandler> = {
  async bind_agency(ctx) {
    if (!ctx.roles.includes('coordinator')) return forbidden();
    const raw = ctx.event.formValue?.agency_id ?? ctx.event.value.agency_id;
    const agencyId = Number(raw);
    const agency = Number.isInteger(agencyId)
      ? ctx.deps.directory.listAgencies().find((a) => a.id === agencyId)
      : undefined;
    if (!agency) return { toast: { type: 'warning', content: t('bot.onboard.pickFirst') } };
    ctx.deps.directory.bindAgency({
      agencyId: agency.id,
      chatId: ctx.event.chatId,
      actor: ctx.event.operatorOpenId,
      at: ctx.now,
    });
    const text = t('bot.bind.done', { agency: agency.name });
    return { toast: { type: 'success', content: text }, card: renderBoundCard({ text }) };
  },
  async bind_special(ctx) {
    if (!ctx.roles.includes('coordinator')) return forbidden();
    const role = ctx.event.value.role === 'leaders' ? 'leaders' : 'coordinators';
    ctx.deps.directory.bindSpecial({
      role,
      chatId: ctx.event.chatId,
      actor: ctx.event.operatorOpenId,
      at: ctx.now,
    });
    const text = t('bot.bind.specialDone', {
      role: t(role === 'leaders' ? 'bot.role.leadersGroup' : 'bot.role.coordinatorsGroup'),
    });
    return { toast: { type: 'success', content: text }, card: renderBoundCard({ text }) };
  },
};

/**
 * The prompt card's "本周无变化" tap. Only an official of the agency (or a coordinator) may answer for
 * it, and only in the agency's own group, so a forwarded card cannot answer for someone else.
 */
export function progressActions(progress: ProgressPort): Record<string, CardActionHandler> {
  return {
    async no_change(ctx) {
      const agencyId = Number(ctx.event.value.agency_id);
      const agency = ctx.deps.directory.agencyByChat(ctx.event.chatId);
      const operator = ctx.event.operatorOpenId;
      const mayAnswer =
        ctx.roles.includes('coordinator') || ctx.deps.directory.agenciesOf(operator).includes(agencyId);
      if (!agency || agency.id !== agencyId || !mayAnswer) {
        return { toast: { type: 'error', content: t('bot.noChange.forbidden') } };
      }
      const { confirmed } = progress.confirmNoChange({ agencyId, actor: operator, at: ctx.now });
      if (confirmed === 0) return { toast: { type: 'info', content: t('bot.noChange.nothingOpen') } };
      return { toast: { type: 'success', content: t('bot.noChange.done', { count: confirmed }) } };
    },

    /** One task's form on the prompt card. The card keeps what was typed, so a refusal loses nothing. */
    async report(ctx) {
      const taskId = Number(ctx.event.value.task_id);
      const task = Number.isInteger(taskId) ? progress.findTask(taskId) : undefined;
      const agency = ctx.deps.directory.agencyByChat(ctx.event.chatId);
      const operator = ctx.event.operatorOpenId;
      if (!task || task.agencyId === null || !agency || agency.id !== task.agencyId) {
        return { toast: { type: 'error', content: t('bot.report.forbidden') } };
      }
      const mayReport =
        ctx.roles.includes('coordinator') || ctx.deps.directory.agenciesOf(operator).includes(task.agencyId);
      if (!mayReport) return { toast: { type: 'error', content: t('bot.report.forbidden') } };
      if (task.closed) return { toast: { type: 'warning', content: t('bot.report.closed') } };
      const read = readPromptReport({ taskId, formValue: ctx.event.formValue, current: task });
      if (!read.ok) return { toast: { type: 'warning', content: translate(read.problem) } };
      progress.recordReport({ taskId, report: read.report, actor: operator, at: ctx.now });
      const status = statusLabel(read.report.blocked ? 'blocked' : read.report.status);
      return {
        toast: {
          type: 'success',
          content: t('bot.report.done', { article: task.articleNo, status, percent: read.report.percent }),
        },
      };
    },
  };
}
