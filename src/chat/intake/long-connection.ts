import * as lark from '@larksuiteoapi/node-sdk';
import { DubanError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';
import type { InboundHandler } from '../../ports/chat.js';
import { type LarkDomain, resolveDomain, sdkLogger } from '../sdk.js';
import { deliver, normalizeEvent, toLarkCardResponse } from './normalize.js';

export interface DispatcherOptions {
  onEvent: InboundHandler;
  logger: Logger;
  botOpenId?: string | undefined;
  /** Lark waits 3 s for the ACK; answer before that even when the bot is slow. */
  answerTimeoutMs?: number;
}

/** What the SDK hands a handler: header and event fields flattened into one object. */
type FlatEvent = { event_id?: string; event_type?: string } & Record<string, unknown>;

/**
 * The EventDispatcher the long connection feeds. A handler throws only for an event the bot could not
 * record (the SDK then ACKs code 500 and Lark retries); a card action's answer is returned, and the
 * SDK puts it in the ACK's data.
 */
export function createEventDispatcher(options: DispatcherOptions): lark.EventDispatcher {
  const log = options.logger.child({ component: 'lark-ws' });
  const answerTimeoutMs = options.answerTimeoutMs ?? 2500;

  const handle = async (data: FlatEvent, expected: string): Promise<Record<string, unknown> | undefined> => {
    const event = normalizeEvent(
      { eventType: data.event_type ?? expected, eventId: data.event_id, event: data },
      { botOpenId: options.botOpenId, logger: log },
    );
    if (event === null) return undefined;
    const outcome = await deliver(event, options.onEvent, log, answerTimeoutMs);
    // Not recorded: throwing makes the SDK ACK with code 500, and Lark delivers the event again.
    if (!outcome.recorded) throw new Error(`event ${event.eventId} not recorded`);
    return event.type === 'card_action' ? toLarkCardResponse(outcome.answer) : undefined;
  };

  return new lark.EventDispatcher({
    loggerLevel: lark.LoggerLevel.warn,
    logger: sdkLogger(options.logger, { errorsAreRethrown: false }),
  }).register<{ 'card.action.trigger': (data: FlatEvent) => Promise<Record<string, unknown> | undefined> }>({
    'im.message.receive_v1': (data) => handle(data as unknown as FlatEvent, 'im.message.receive_v1'),
    'im.chat.member.bot.added_v1': (data) =>
      handle(data as unknown as FlatEvent, 'im.chat.member.bot.added_v1'),
    'im.chat.member.user.added_v1': (data) =>
      handle(data as unknown as FlatEvent, 'im.chat.member.user.added_v1'),
    'im.chat.member.user.deleted_v1': (data) =>
      handle(data as unknown as FlatEvent, 'im.chat.member.user.deleted_v1'),
    'card.action.trigger': (data) => handle(data, 'card.action.trigger'),
  });
}

export interface LongConnectionOptions extends DispatcherOptions {
  appId: string;
  appSecret: string;
  domain?: LarkDomain;
}

export interface LongConnection {
  /**
   * Settles when the socket is first up, or rejects when Lark refused the connection for good (a
   * wrong secret, say). The sandbox waits on it before its emulator pushes the first events.
   */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Events over Lark's long connection (no public URL needed). The SDK reconnects by itself; start
 * returns before the socket is up, and failures are reported through the logger.
 */
export function startLongConnection(options: LongConnectionOptions): LongConnection {
  const log = options.logger.child({ component: 'lark-ws' });
  // The SDK silently refuses other app ids; say so instead of never receiving anything.
  if (!/^cli_[0-9a-fA-F]{16}$/.test(options.appId)) {
    throw new DubanError('lark.invalid_app_id', `LARK_APP_ID "${options.appId}" is not a Lark app id`, {
      hint: 'Copy the App ID (cli_ followed by 16 hex digits) from Developer Console → Credentials & Basic Info.',
    });
  }
  let settleReady: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  ready.catch(() => undefined); // a caller that never waits must not see an unhandled rejection
  const ws = new lark.WSClient({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: resolveDomain(options.domain),
    loggerLevel: lark.LoggerLevel.warn,
    logger: sdkLogger(options.logger, { errorsAreRethrown: false }),
    autoReconnect: true,
    handshakeTimeoutMs: 10_000,
    onReady: () => {
      log.info('Lark long connection ready');
      settleReady?.resolve();
    },
    onReconnecting: () => log.warn('Lark long connection lost; reconnecting'),
    onReconnected: () => log.info('Lark long connection re-established'),
    onError: (err) => {
      log.error({ err }, 'Lark long connection failed for good');
      settleReady?.reject(err);
    },
  });
  ws.start({ eventDispatcher: createEventDispatcher(options) }).catch((err: unknown) => {
    log.error({ err }, 'Lark long connection could not start');
  });
  return {
    ready,
    async stop() {
      ws.close({ force: true });
    },
  };
}
