import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import type {
  ChatPort,
  InboundCardAction,
  InboundMessage,
  OutgoingMessage,
  SentMessage,
} from '../ports/chat.js';
import type { BotDirectory, BotUseCases, Role } from './ports.js';

/** Everything a handler may use, passed once to the bot and shared by every context. */
export interface BotDeps {
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  directory: BotDirectory;
  usecases: BotUseCases;
}

/** One context per inbound message: the event, a bound reply, a tagged logger, the time it is handled. */
export interface MessageContext {
  event: InboundMessage;
  deps: BotDeps;
  logger: Logger;
  now: Date;
  roles: Role[];
  /** The Lark message and event this context answers: what the audit trail records a change came from. */
  source: { messageId: string; eventId: string };
  /** Replies to the triggering message (in its thread when it was in one). */
  reply(message: OutgoingMessage | string): Promise<SentMessage>;
}

export interface CardActionContext {
  event: InboundCardAction;
  deps: BotDeps;
  logger: Logger;
  now: Date;
  roles: Role[];
  /** The card's message and the callback's event: what the audit trail records a change came from. */
  source: { messageId: string; eventId: string };
}

export function createMessageContext(event: InboundMessage, deps: BotDeps): MessageContext {
  const logger = deps.logger.child({
    eventId: event.eventId,
    messageId: event.messageId,
    chatId: event.chatId,
  });
  return {
    event,
    deps,
    logger,
    now: deps.clock.now(),
    roles: deps.directory.rolesOf(event.senderOpenId),
    source: { messageId: event.messageId, eventId: event.eventId },
    reply: (message) =>
      deps.chat.reply({
        messageId: event.messageId,
        chatId: event.chatId,
        message: typeof message === 'string' ? { kind: 'text', text: message } : message,
        // One answer per triggering message, even if the handler is retried.
        idempotencyKey: `re:${event.messageId}`,
      }),
  };
}

export function createCardActionContext(event: InboundCardAction, deps: BotDeps): CardActionContext {
  return {
    event,
    deps,
    logger: deps.logger.child({ eventId: event.eventId, messageId: event.messageId, chatId: event.chatId }),
    now: deps.clock.now(),
    roles: deps.directory.rolesOf(event.operatorOpenId),
    source: { messageId: event.messageId, eventId: event.eventId },
  };
}
