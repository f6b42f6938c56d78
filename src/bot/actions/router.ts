import { type MessageKey, translate } from '../../core/render/catalog.js';
import type { CardActionAnswer } from '../../ports/chat.js';
import type { CardActionContext } from '../context.js';
import type { CardAction } from './types.js';

const refuse = (type: 'error' | 'warning', key: MessageKey): CardActionAnswer => ({
  toast: { type, content: translate(key) },
});

/**
 * Routes a card callback to its declared action: an unknown name, a malformed value, a person without the
 * role or a tap outside the agency's own group are refused here, once, with a short reply; handlers only
 * see taps they may act on. Names are looked up in a Map, so `constructor` or `__proto__` is just unknown.
 */
export function createCardActionRouter(actions: readonly CardAction[]) {
  const byName = new Map(actions.map((action) => [action.name, action]));
  if (byName.size !== actions.length) throw new Error('two card actions share a name');

  return async function route(ctx: CardActionContext): Promise<CardActionAnswer> {
    const name = ctx.event.value.action;
    const action = typeof name === 'string' ? byName.get(name) : undefined;
    if (action === undefined) {
      ctx.logger.warn({ value: ctx.event.value }, 'card action without a handler');
      return refuse('warning', 'bot.action.unavailable');
    }
    const parsed = action.value.safeParse(ctx.event.value);
    if (!parsed.success) {
      ctx.logger.warn({ action: action.name, issues: parsed.error.issues }, 'malformed card action value');
      return refuse('warning', 'bot.action.malformed');
    }
    const value = parsed.data;

    let agencyId: number | null | undefined;
    if (action.agencyOf) {
      agencyId = action.agencyOf(value, ctx);
      if (agencyId === undefined) return refuse('warning', 'bot.action.gone');
      const binding = ctx.deps.directory.bindingOf(ctx.event.chatId);
      if (agencyId === null || binding?.kind !== 'agency' || binding.agencyId !== agencyId) {
        return refuse('error', 'bot.action.wrongChat');
      }
    }
    if (action.roles !== 'anyone') {
      const allowed = action.roles.some((role) =>
        role === 'official'
          ? typeof agencyId === 'number' &&
            ctx.deps.directory.agenciesOf(ctx.event.operatorOpenId).includes(agencyId)
          : ctx.roles.includes(role),
      );
      if (!allowed)
        return refuse(
          'error',
          action.roles.includes('official') ? 'bot.action.notOfficial' : 'bot.action.coordinatorsOnly',
        );
    }
    return action.handle(ctx, value);
  };
}
