import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventDispatcher, startLongConnection } from '../../../src/chat/index.js';
import { isDubanError } from '../../../src/core/errors.js';
import { silentLogger } from '../../../src/logger.js';
import type { InboundEvent } from '../../../src/ports/chat.js';
import { BOT_OPEN_ID, botAddedEnvelope, cardActionEnvelope, messageEnvelope } from './lark-events.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe('createEventDispatcher (what the long connection feeds)', () => {
  it('normalizes a message and acks it without data', async () => {
    const events: InboundEvent[] = [];
    const dispatcher = createEventDispatcher({
      botOpenId: BOT_OPEN_ID,
      logger: silentLogger,
      onEvent: async (e) => {
        events.push(e);
        return undefined;
      },
    });
    const env = messageEnvelope({
      text: '@_user_1 /help',
      mentions: [{ key: '@_user_1', openId: BOT_OPEN_ID, name: '督办' }],
      eventId: 'ev_ws_1',
      messageId: 'om_ws_1',
    });
    // The WSClient calls exactly this with the frame's JSON payload.
    const ack = await dispatcher.invoke(env, { needCheck: false });
    expect(ack).toBeUndefined();
    expect(events).toEqual([
      expect.objectContaining({
        type: 'message',
        eventId: 'ev_ws_1',
        messageId: 'om_ws_1',
        text: '/help',
        mentionsBot: true,
      }),
    ]);
  });

  it("answers a card action with Lark's toast and raw-card shape, which the SDK puts in the ACK", async () => {
    const card = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'done' }] } };
    const dispatcher = createEventDispatcher({
      logger: silentLogger,
      onEvent: async (e) =>
        e.type === 'card_action' ? { toast: { type: 'success', content: '好' }, card } : undefined,
    });
    const ack = await dispatcher.invoke(cardActionEnvelope({ eventId: 'ev_card_ws' }), { needCheck: false });
    expect(ack).toEqual({ toast: { type: 'success', content: '好' }, card: { type: 'raw', data: card } });
  });

  it('keeps the card token from the event, not the verification token the SDK flattens next to it', async () => {
    const events: InboundEvent[] = [];
    const dispatcher = createEventDispatcher({
      logger: silentLogger,
      onEvent: async (e) => {
        events.push(e);
        return undefined;
      },
    });
    await dispatcher.invoke(cardActionEnvelope({}), { needCheck: false });
    expect(events[0]).toMatchObject({ type: 'card_action', cardToken: expect.stringMatching(/^c-/) });
    await dispatcher.invoke(botAddedEnvelope({ eventId: 'ev_added' }), { needCheck: false });
    expect(events[1]).toMatchObject({ type: 'bot_added', eventId: 'ev_added' });
  });

  it('throws into the SDK (an ACK with code 500, so Lark retries) only when the bot could not record', async () => {
    let fail = true;
    const dispatcher = createEventDispatcher({
      logger: silentLogger,
      onEvent: async () => {
        if (fail) throw new Error('database is locked');
        return undefined;
      },
    });
    await expect(dispatcher.invoke(messageEnvelope({ text: 'x' }), { needCheck: false })).rejects.toThrow(
      /not recorded/,
    );
    fail = false;
    await expect(
      dispatcher.invoke(messageEnvelope({ text: 'x' }), { needCheck: false }),
    ).resolves.toBeUndefined();
    await expect(dispatcher.invoke(cardActionEnvelope({}), { needCheck: false })).resolves.toEqual({});
  });
});

describe('startLongConnection', () => {
  it('refuses an app id the SDK would silently ignore', () => {
    let error: unknown;
    try {
      startLongConnection({
        appId: 'my-app',
        appSecret: 's',
        logger: silentLogger,
        onEvent: async () => undefined,
      });
    } catch (e) {
      error = e;
    }
    expect(isDubanError(error, 'lark.invalid_app_id')).toBe(true);
  });

  it('asks the configured domain for its endpoint and reports a refusal in the log', async () => {
    const asked: Array<{ url: string | undefined; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        asked.push({ url: req.url, body });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ code: 514, msg: 'auth failed', data: {} }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const logs: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    const conn = startLongConnection({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 'sec',
      domain: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      logger,
      onEvent: async () => undefined,
    });
    cleanups.push(() => conn.stop());
    const failedForGood = () => logs.some((l) => /failed for good/.test(l.msg));
    for (let i = 0; i < 100 && !failedForGood(); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(asked[0]?.url).toBe('/callback/ws/endpoint');
    expect(JSON.parse(asked[0]?.body ?? '{}')).toMatchObject({
      AppID: 'cli_a1b2c3d4e5f60718',
      AppSecret: 'sec',
    });
    expect(logs.some((l) => l.level === 50 && /514, auth failed/.test(l.msg))).toBe(true);
    expect(failedForGood()).toBe(true);
  });
});
