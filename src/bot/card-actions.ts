import { renderBoundCard } from '../core/render/bot-cards.js';
import { t } from '../core/render/catalog.js';
import type { CardActionAnswer } from '../ports/chat.js';
import type { CardActionContext } from './context.js';

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
