import { bindingLabel } from '../core/render/bindings.js';
import { renderBindConfirmCard, renderBoundCard } from '../core/render/bot-cards.js';
import { t } from '../core/render/catalog.js';
import type { BindChange, BindOutcome, ResolvedTarget } from '../usecases/bind-chat.js';

function changeLine(change: BindChange, target: ResolvedTarget): string {
  if (change.kind === 'target_moved')
    return t('bot.bind.change.targetMoved', { target: bindingLabel(target) });
  return change.from.kind === 'agency'
    ? t('bot.bind.change.chatWasAgency', { agency: change.from.agency })
    : t('bot.bind.change.chatWasSpecial', { role: bindingLabel(change.from) });
}

/** The button value that names a target without a free-text name (ids and roles only). */
function encodeTarget(target: ResolvedTarget): string {
  return target.kind === 'agency' ? `agency:${target.agencyId}` : `special:${target.role}`;
}

/** What the person is told after asking to bind: a line of text, or a card to confirm on. */
export function bindReply(outcome: BindOutcome): { text: string; card?: Record<string, unknown> } {
  switch (outcome.kind) {
    case 'bound': {
      const done =
        outcome.target.kind === 'agency'
          ? t('bot.bind.done', { agency: outcome.target.agency })
          : t('bot.bind.specialDone', { role: bindingLabel(outcome.target) });
      const moved = outcome.changes.some((c) => c.kind === 'target_moved');
      return { text: moved ? `${done}${t('bot.bind.movedNote')}` : done };
    }
    case 'already_bound':
      return { text: t('bot.bind.already', { target: bindingLabel(outcome.target) }) };
    case 'confirm': {
      const intro = t('bot.bind.confirmIntro', { target: bindingLabel(outcome.target) });
      const changes = outcome.changes.map((change) => changeLine(change, outcome.target));
      return {
        text: [intro, ...changes].join('\n'),
        card: renderBindConfirmCard({
          intro,
          changes,
          confirmValue: {
            action: 'bind_confirm',
            target: encodeTarget(outcome.target),
            expect: outcome.expect,
          },
          cancelValue: { action: 'bind_cancel' },
        }),
      };
    }
    case 'unknown_agency':
      return {
        text: t('bot.bind.unknownAgency', {
          name: outcome.name,
          suggestions: outcome.suggestions.join('、'),
        }),
      };
    case 'collective':
      return { text: t('bot.bind.collective', { name: outcome.agency }) };
    case 'inactive':
      return { text: t('bot.bind.inactive', { name: outcome.agency }) };
  }
}

/** A card action's answer to a bind: a toast, and the card replaced by the outcome or the confirmation. */
export function bindAnswer(outcome: BindOutcome) {
  const reply = bindReply(outcome);
  if (reply.card)
    return { toast: { type: 'info' as const, content: t('bot.bind.confirmTitle') }, card: reply.card };
  const ok = outcome.kind === 'bound' || outcome.kind === 'already_bound';
  return ok
    ? {
        toast: { type: 'success' as const, content: reply.text },
        card: renderBoundCard({ text: reply.text }),
      }
    : { toast: { type: 'warning' as const, content: reply.text } };
}
