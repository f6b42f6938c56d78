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
import { createInbox } from './inbox.js';
import type { InboundLog } from './ports.js';

export interface Bot {
  /** Hand this to the chat adapter's intake (webhook or long connection). */
  handle: InboundHandler;
  /** Resolves when every piece of work started so far has finished (for shutdown and tests). */
  idle(): Promise<void>;
  /** Works through events recorded but not processed before a crash or restart (call at start-up). */
  resume(): void;
}

/** Limits that keep the intake's memory bounded (see src/bot/inbox.ts). */
export interface IntakeLimits {
  /** Recorded events worked at once. Default 16. */
  concurrency?: number;
  /** Events waiting for their record transaction; more are refused so Lark retries. Default 5,000. */
  maxRecording?: number;
  /** Recorded events held in memory for work; more wait in the database. Default 1,000. */
  maxQueued?: number;
  /** Card actions being worked at once; more are answered "busy, tap again". Default 64. */
  maxCardActions?: number;
}

export interface CreateBotOptions {
  deps: BotDeps;
  inboundLog: InboundLog;
  commands: readonly Command[];
  cardActions: readonly CardAction[];
  /**
   * Messages that are not commands (e.g. replies in a prompt's thread, a leader's 批示); later features
   * plug in here, each passing on what is not its own.
   */
  onText?: Middleware<MessageContext> | readonly Middleware<MessageContext>[];
  /** Lark gives a card callback 3 s; answer before that even if the work is slow. */
  cardActionTimeoutMs?: number;
  intake?: IntakeLimits;
  /**
   * Runs each event's deferred work inside the caller's context (the app names the event on every log
   * line); the work happens after the acknowledgement, outside the transport's call.
   */
  workContext?: <T>(event: InboundEvent, run: () => T) => T;
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

/** Chinese names people try for the commands: suggested, never run under another name. */
const CHINESE_NAMES = new Map([
  ['帮助', 'help'],
  ['绑定', 'bind'],
  ['解绑', 'unbind'],
  ['任务', 'tasks'],
  ['条目', 'article'],
  ['截止', 'due'],
  ['分配', 'assign'],
  ['提醒', 'remind'],
  ['暂停', 'pause'],
  ['恢复', 'resume'],
  ['导入', 'import'],
]);

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] as number;
}

/** The command this person may run whose name is nearest to what was typed, when it is near enough. */
export function nearestCommand(typed: string, names: readonly string[]): string | null {
  const chinese = CHINESE_NAMES.get(typed);
  if (chinese !== undefined && names.includes(chinese)) return chinese;
  let best: { name: string; distance: number } | null = null;
  for (const name of names) {
    const distance = name.startsWith(typed) || typed.startsWith(name) ? 1 : editDistance(typed, name);
    if (best === null || distance < best.distance) best = { name, distance };
  }
  return best !== null && best.distance <= Math.max(1, Math.floor(best.name.length / 2)) ? best.name : null;
}

const mayRun = (command: Command, roles: readonly string[]) =>
  command.roles === 'anyone' || command.roles.some((role) => roles.includes(role));

function forbiddenText(command: Command): string {
  if (command.roles === 'anyone' || (command.roles.length === 1 && command.roles[0] === 'coordinator'))
    return t('bot.error.forbidden', { name: command.name });
  const names = command.roles.map((role) => translate(`bot.role.${role}` as 'bot.role.coordinator'));
  return t('bot.error.forbiddenRoles', { name: command.name, roles: names.join(t('bot.role.orSeparator')) });
}

function commandRouter(commands: readonly Command[]): Middleware<MessageContext> {
  // A Map, not an object: `/constructor` or `/__proto__` is just an unknown command.
  const byName = new Map(commands.map((c) => [c.name, c]));
  return async (ctx, next) => {
    const parsed = parseCommand(ctx.event.text);
    if (!parsed) return next();
    const command = byName.get(parsed.name);
    if (!command) {
      const allowed = commands.filter((c) => mayRun(c, ctx.roles)).map((c) => c.name);
      const suggestion = nearestCommand(parsed.name, allowed);
      await ctx.reply(
        suggestion === null
          ? t('bot.error.unknownCommand', { name: parsed.name })
          : t('bot.error.unknownCommandSuggest', { name: parsed.name, suggestion }),
      );
      return;
    }
    if (!mayRun(command, ctx.roles)) {
      await ctx.reply(forbiddenText(command));
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
    ...(options.onText === undefined
      ? []
      : Array.isArray(options.onText)
        ? options.onText
        : [options.onText]),
    mentionHint,
  ]);

  const maxCardActions = options.intake?.maxCardActions ?? 64;
  let busySinceLog = 0;

  /** A card action's work, which may outlive its answer; it counts against the cap until it settles. */
  const track = (work: Promise<unknown>, eventId: string) => {
    const settled: Promise<void> = work
      .then(
        () => undefined,
        (error: unknown) => deps.logger.error({ err: error }, 'background work failed'),
      )
      .finally(() => {
        inFlight.delete(settled);
        inbox.markProcessed(eventId);
      });
    inFlight.add(settled);
  };

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
    track(
      work.catch(() => undefined),
      event.eventId,
    );
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

  /** The work owed on a recorded event, done after Lark has its acknowledgement. */
  const work = async (event: InboundEvent): Promise<void> => {
    switch (event.type) {
      case 'message':
        await runMessage(createMessageContext(event, deps, inboundLog));
        return;
      case 'bot_added':
        await onBotAdded(event);
        return;
      case 'members_changed': {
        const input = {
          chatId: event.chatId,
          users: event.users,
          ...(event.operatorOpenId === undefined ? {} : { operatorOpenId: event.operatorOpenId }),
          source: { eventId: event.eventId },
        };
        if (event.change === 'added') await deps.usecases.membership.memberJoined(input);
        else deps.usecases.membership.memberLeft(input);
        return;
      }
      case 'card_action':
        // Answered in the request (onCardAction); a card action is never worked from the queue.
        return;
    }
  };

  const inbox = createInbox({
    log: inboundLog,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'inbox' }),
    work: options.workContext
      ? (event) =>
          (options.workContext as NonNullable<CreateBotOptions['workContext']>)(event, () => work(event))
      : work,
    ...(options.intake?.concurrency === undefined ? {} : { concurrency: options.intake.concurrency }),
    ...(options.intake?.maxRecording === undefined ? {} : { maxRecording: options.intake.maxRecording }),
    ...(options.intake?.maxQueued === undefined ? {} : { maxQueued: options.intake.maxQueued }),
  });

  /**
   * Record, acknowledge, work. Resolves once the event is recorded (a card action: once answered), so
   * the transport acknowledges only what is safe; rejects when it could not be recorded, and the
   * transport must then make Lark deliver it again.
   */
  const handle: InboundHandler = async (event) => {
    if (event.type === 'card_action' && inFlight.size >= maxCardActions) {
      // Refused before recording: nothing is lost, and the person taps again.
      if (busySinceLog++ === 0) {
        deps.logger.warn({ limit: maxCardActions }, 'too many card actions at once; answering "busy"');
      }
      return { toast: { type: 'warning', content: t('bot.error.busy') } };
    }
    busySinceLog = 0;
    const first = await inbox.record(event);
    if (!first) {
      deps.logger.debug({ eventId: event.eventId }, 'duplicate event ignored');
      return undefined;
    }
    if (event.type === 'card_action') return await onCardAction(event);
    inbox.enqueue(event);
    return undefined;
  };

  return {
    handle,
    async idle() {
      for (;;) {
        await inbox.idle();
        if (inFlight.size === 0) break;
        await Promise.all([...inFlight]);
      }
      await inbox.idle();
    },
    resume: () => inbox.resume(),
  };
}
