import { z } from 'zod';
import { renderBoundCard } from '../../core/render/bot-cards.js';
import { t } from '../../core/render/catalog.js';
import { SPECIAL_CHAT_ROLES } from '../../core/vocabulary.js';
import type { BindTarget } from '../../usecases/bind-chat.js';
import { bindAnswer } from '../bind-replies.js';
import type { CardActionContext } from '../context.js';
import { defineCardAction } from './types.js';

const bind = (ctx: CardActionContext, target: BindTarget, confirmed?: string) =>
  ctx.deps.usecases.bindChat({
    chatId: ctx.event.chatId,
    target,
    actor: ctx.event.operatorOpenId,
    channel: 'card',
    now: ctx.now,
    source: ctx.source,
    ...(confirmed === undefined ? {} : { confirmed }),
  });

/** The onboarding card's form: bind this group to the agency picked in its select. */
export const bindAgencyAction = defineCardAction({
  name: 'bind_agency',
  value: z.object({ action: z.literal('bind_agency') }),
  roles: ['coordinator'],
  async handle(ctx) {
    const raw = ctx.event.formValue?.agency_id ?? ctx.event.option;
    const agencyId = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
    if (agencyId === undefined) return { toast: { type: 'warning', content: t('bot.onboard.pickFirst') } };
    return bindAnswer(await bind(ctx, { kind: 'agency_id', agencyId }));
  },
});

/** The onboarding card's buttons: make this the coordinators' or the leaders' group. */
export const bindSpecialAction = defineCardAction({
  name: 'bind_special',
  value: z.object({ action: z.literal('bind_special'), role: z.enum(SPECIAL_CHAT_ROLES) }),
  roles: ['coordinator'],
  async handle(ctx, value) {
    return bindAnswer(await bind(ctx, { kind: 'special', role: value.role }));
  },
});

const encodedTarget = z.string().transform((text, issue): BindTarget => {
  const agency = /^agency:(\d{1,9})$/.exec(text);
  if (agency) return { kind: 'agency_id', agencyId: Number(agency[1]) };
  const role = /^special:(\w+)$/.exec(text)?.[1];
  const special = SPECIAL_CHAT_ROLES.find((r) => r === role);
  if (special) return { kind: 'special', role: special };
  issue.addIssue({ code: 'custom', message: 'unknown bind target' });
  return z.NEVER;
});

/** The confirmation card: apply a binding that ends another, if nothing changed since it was shown. */
export const bindConfirmAction = defineCardAction({
  name: 'bind_confirm',
  value: z.object({ action: z.literal('bind_confirm'), target: encodedTarget, expect: z.string().max(200) }),
  roles: ['coordinator'],
  async handle(ctx, value) {
    return bindAnswer(await bind(ctx, value.target, value.expect));
  },
});

export const bindCancelAction = defineCardAction({
  name: 'bind_cancel',
  value: z.object({ action: z.literal('bind_cancel') }),
  roles: ['coordinator'],
  async handle() {
    const text = t('bot.bind.cancelled');
    return { toast: { type: 'info', content: text }, card: renderBoundCard({ text }) };
  },
});
