import { renderOnboardingCard } from '../core/render/bot-cards.js';
import { t, translate } from '../core/render/catalog.js';
import type { CardActionAnswer, InboundBotAdded, InboundEvent, InboundHandler } from '../ports/chat.js';
import { createCardActionRouter } from './actions/router.js';
import type { CardAction } from './actions/types.js';
import { parseCommand } from './commands/parse.js';
import type { Command } from './commands/types.js';
import { compose, type Middleware } from './compose.js';
import {
  type BotDeps,
  createCardActionContext,
  createMessageContext,
  type MessageContext,
} from './context.js';
import type { InboundLog } from './ports.js';

export interface Bot {
  /** Hand this to the chat adapter's intake (webhook or long connection). */
  handle: InboundHandler;
  /** Resolves when every piece of work started so far has finished (for shutdown and tests). */
  idle(): Promise<void>;
}

export interface CreateBotOptions {
  deps: BotDeps;
  inboundLog: InboundLog;
  commands: readonly Command[];
  cardActions: readonly CardAction[];
  /** Messages that are not commands (e.g. replies in a prompt's thread); later features plug in here. */
  onText?: Middleware<MessageContext>;
  /** Lark gives a card callback 3 s; answer before that even if the work is slow. */
  cardActionTimeoutMs?: number;
}

const errorBoundary: Middleware<MessageContext> = async (ctx, next) => {
  try {
    await next();
  } catch (error) {
    ctx.logger.error({ err: error }, 'message handling failed');
    await ctx.reply(t('bot.error.internal')).catch((replyError: unknown) => {
      ctx.logger.error({ err: replyError }, 'could not tell the user about the failure');
    });
  }
};

const logReceived: Middleware<MessageContext> = async (ctx, next) => {
  const started = Date.now();
  ctx.logger.info({ text: ctx.event.text.slice(0, 80), sender: ctx.event.senderOpenId }, 'message received');
  await next();
  ctx.logger.debug({ ms: Date.now() - started }, 'message handled');
};

function commandRouter(commands: readonly Command[]): Middleware<MessageContext> {
  // A Map, not an object: `/constructor` or `/__proto__` is just an unknown command.
  const byName = new Map(commands.map((c) => [c.name, c]));
  return async (ctx, next) => {
    const parsed = parseCommand(ctx.event.text);
    if (!parsed) return next();
    const command = byName.get(parsed.name);
    if (!command) {
      await ctx.reply(t('bot.error.unknownCommand', { name: parsed.name }));
      return;
    }
    if (command.roles !== 'anyone' && !command.roles.some((role) => ctx.roles.includes(role))) {
      await ctx.reply(t('bot.error.forbidden', { name: command.name }));
      return;
    }
    const args = command.args.safeParse(parsed);
    if (!args.success) {
      const problem = args.error.issues[0]?.message ?? '';
      await ctx.reply(t('bot.error.badArgs', { problem, usage: translate(command.usage) }));
      return;
    }
    await command.handle(ctx, args.data);
  };
}

const mentionHint: Middleware<MessageContext> = async (ctx, next) => {
  if (ctx.event.mentionsBot || ctx.event.chatType === 'p2p') {
    await ctx.reply(t('bot.hint.mentionOnly'));
    return;
  }
  await next();
};

export function createBot(options: CreateBotOptions): Bot {
  const { deps, inboundLog } = options;
  const inFlight = new Set<Promise<void>>();
  const routeCardAction = createCardActionRouter(options.cardActions);
  const runMessage = compose<MessageContext>([
    errorBoundary,
    logReceived,
    commandRouter(options.commands),
    ...(options.onText ? [options.onText] : []),
    mentionHint,
  ]);

  /** Work after the ack: Lark must get its answer within 3 s whatever the work costs. */
  const track = (work: Promise<unknown>) => {
    const settled: Promise<void> = work
      .then(
        () => undefined,
        (error: unknown) => deps.logger.error({ err: error }, 'background work failed'),
      )
      .finally(() => inFlight.delete(settled));
    inFlight.add(settled);
  };
  const background = (work: () => Promise<void>) => track(work());

  const onBotAdded = async (event: InboundBotAdded) => {
    // Re-adding the bot to a group that is already bound needs no onboarding.
    if (deps.directory.bindingOf(event.chatId) !== null) return;
    const card = renderOnboardingCard({ agencies: deps.directory.bindableAgencies() });
    await deps.chat.send({
      chatId: event.chatId,
      message: { kind: 'card', card },
      idempotencyKey: `onboard:${event.eventId}`.slice(0, 50),
    });
  };

  const onCardAction = async (
    event: Extract<InboundEvent, { type: 'card_action' }>,
  ): Promise<CardActionAnswer> => {
    const ctx = createCardActionContext(event, deps);
    const action = typeof event.value.action === 'string' ? event.value.action : '';
    const timeoutMs = options.cardActionTimeoutMs ?? 2500;
    let timer: NodeJS.Timeout | undefined;
    const work = routeCardAction(ctx);
    track(work.catch(() => undefined));
    try {
      return await Promise.race([
        work,
        new Promise<CardActionAnswer>((resolve) => {
          timer = setTimeout(() => {
            ctx.logger.warn({ action }, 'card action is slow; answered before Lark gives up');
            resolve({ toast: { type: 'info', content: t('bot.error.internal') } });
          }, timeoutMs);
        }),
      ]);
    } catch (error) {
      ctx.logger.error({ err: error, action }, 'card action failed');
      return { toast: { type: 'error', content: t('bot.error.internal') } };
    } finally {
      clearTimeout(timer);
    }
  };

  const handle: InboundHandler = async (event) => {
    try {
      const first = inboundLog.firstSeen({
        eventId: event.eventId,
        ...(event.type === 'message' ? { messageId: event.messageId } : {}),
        kind: event.type,
        at: deps.clock.now(),
      });
      if (!first) {
        deps.logger.debug({ eventId: event.eventId }, 'duplicate event ignored');
        return undefined;
      }
      switch (event.type) {
        case 'message':
          background(() => runMessage(createMessageContext(event, deps)));
          return undefined;
        case 'bot_added':
          background(() => onBotAdded(event));
          return undefined;
        case 'members_changed':
          background(async () => {
            const input = {
              chatId: event.chatId,
              users: event.users,
              ...(event.operatorOpenId === undefined ? {} : { operatorOpenId: event.operatorOpenId }),
              source: { eventId: event.eventId },
            };
            if (event.change === 'added') await deps.usecases.membership.memberJoined(input);
            else deps.usecases.membership.memberLeft(input);
          });
          return undefined;
        case 'card_action':
          return await onCardAction(event);
      }
    } catch (error) {
      // Never throw into the transport: Lark would retry, and adaptDefault would leave the request hanging.
      deps.logger.error({ err: error, eventId: event.eventId }, 'event intake failed');
      return undefined;
    }
  };

  return {
    handle,
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
