import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import type {
  ChatPort,
  InboundCardAction,
  InboundMessage,
  OutgoingMessage,
  SentMessage,
} from '../ports/chat.js';
import type { BotDirectory, BotUseCases, InboundLog, Role } from './ports.js';

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

/**
 * `answers` (the inbox) remembers the answer once Lark created it: within an hour Lark's uuid dedupe
 * already makes a repeated reply return the first, and after that only this record does.
 */
export function createMessageContext(
  event: InboundMessage,
  deps: BotDeps,
  answers?: Pick<InboundLog, 'answerOf' | 'recordAnswer'>,
): MessageContext {
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
    reply: async (message) => {
      const earlier = answers?.answerOf(event.messageId) ?? null;
      if (earlier !== null) {
        logger.info({ answer: earlier }, 'this message was answered before; the answer is not sent again');
        return { messageId: earlier };
      }
      const sent = await deps.chat.reply({
        messageId: event.messageId,
        chatId: event.chatId,
        message: typeof message === 'string' ? { kind: 'text', text: message } : message,
        // One answer per triggering message, even if the handler is retried.
        idempotencyKey: `re:${event.messageId}`,
      });
      try {
        answers?.recordAnswer(event.messageId, sent.messageId);
      } catch (error) {
        // The answer is out; only a restart more than an hour later could repeat it.
        logger.warn({ err: error }, 'could not note the answer to this message');
      }
      return sent;
    },
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
