import type { z } from 'zod';
import type { CardActionAnswer } from '../../ports/chat.js';
import type { CardActionContext } from '../context.js';
import type { Role } from '../ports.js';

/**
 * A card action is data, like a command: the dispatcher validates the button's value with `value`,
 * checks `roles` and, for actions that answer for an agency, the chat, before `handle` runs.
 */
export interface CardAction<V = unknown> {
  /** The `action` field of the button's callback value. */
  name: string;
  /** Validates the callback value (not the form: the handler reads `ctx.event.formValue`). */
  value: z.ZodType<V>;
  /**
   * Who may tap it. 'official' means an official of the agency the action answers for (`agencyOf`), so
   * an action that lists it must say which agency that is.
   */
  roles: readonly Role[] | 'anyone';
  /**
   * The agency this tap answers for. When given, the card must be tapped in that agency's own group, so a
   * forwarded card cannot answer for someone else. Undefined: the thing it points at does not exist.
   */
  agencyOf?(value: V, ctx: CardActionContext): number | null | undefined;
  handle(ctx: CardActionContext, value: V): Promise<CardActionAnswer>;
}

/** Keeps each action's value type while storing them in one list. */
export function defineCardAction<V>(action: CardAction<V>): CardAction<unknown> {
  return action as unknown as CardAction<unknown>;
}
