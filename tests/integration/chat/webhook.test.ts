import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkChat, createWebhookHandler, type WebhookOptions } from '../../../src/chat/index.js';
import { createWebhookServer, larkSignature } from '../../../src/chat/intake/webhook.js';
import { createLarkEmulator, encryptPayload, type LarkEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/logger.js';
import type { CardActionAnswer, InboundEvent } from '../../../src/ports/chat.js';
import { BOT_OPEN_ID, cardActionEnvelope, messageEnvelope, VERIFICATION_TOKEN } from './lark-events.js';

const ENCRYPT_KEY = 'enc-key-0123456789';
const PATH = '/webhook/event';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

interface Bot {
  url: string;
  events: InboundEvent[];
  logs: Array<{ level: number; msg: string } & Record<string, unknown>>;
}

async function startBot(
  options: Partial<WebhookOptions> & {
    answer?: (e: InboundEvent) => Promise<CardActionAnswer | undefined>;
  } = {},
): Promise<Bot> {
  const events: InboundEvent[] = [];
  const logs: Bot['logs'] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        logs.push(JSON.parse(line) as Bot['logs'][number]);
      },
    },
  );
  const handler = createWebhookHandler({
    verificationToken: VERIFICATION_TOKEN,
    path: PATH,
    botOpenId: BOT_OPEN_ID,
    logger,
    onEvent: async (event) => {
      events.push(event);
      return options.answer ? options.answer(event) : undefined;
    },
    ...options,
  });
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${PATH}`, events, logs };
}

async function startEmulator(bot: Bot, encryptKey?: string, extra: { duplicatePushes?: number } = {}) {
  const emu = createLarkEmulator({
    verificationToken: VERIFICATION_TOKEN,
    botOpenId: BOT_OPEN_ID,
    webhookUrl: bot.url,
    retrySchedule: [50, 100],
    ackTimeoutMs: 2000,
    rateLimits: false,
    ...(encryptKey === undefined ? {} : { encryptKey }),
    ...extra,
  });
  await emu.start();
  cleanups.push(() => emu.stop());
  return emu;
}

function groupWithAlice(emu: LarkEmulator) {
  const alice = emu.addUser({ name: '李四' });
  const group = emu.createChat({ name: '市财政局', members: [alice.open_id] });
  return { aliceId: alice.open_id, chatId: group.chat_id };
}

/** What Lark would send: the body (encrypted when a key is given) and its signature headers. */
function larkRequest(
  payload: unknown,
  encryptKey?: string,
  timestamp = String(Math.floor(Date.now() / 1000)),
) {
  const plain = JSON.stringify(payload);
  const body =
    encryptKey === undefined ? plain : JSON.stringify({ encrypt: encryptPayload(encryptKey, plain) });
  const nonce = 'n0nce';
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-lark-request-timestamp': timestamp,
    'x-lark-request-nonce': nonce,
  };
  if (encryptKey !== undefined) {
    headers['x-lark-signature'] = larkSignature(timestamp, nonce, encryptKey, Buffer.from(body));
  }
  return { body, headers };
}

const post = (url: string, req: { body: string; headers: Record<string, string> }) =>
  fetch(url, { method: 'POST', headers: req.headers, body: req.body });

const warned = (bot: Bot, pattern: RegExp) => bot.logs.some((l) => l.level === 40 && pattern.test(l.msg));

describe('createWebhookHandler with the emulator pushing', () => {
  it('accepts a plain event with the right verification token and normalizes it', async () => {
    const bot = await startBot();
    const emu = await startEmulator(bot);
    const { aliceId, chatId } = groupWithAlice(emu);
    const { message, event_id } = emu.postAsUser({ chat_id: chatId, open_id: aliceId, text: '@督办 /help' });
    await emu.idle();
    const received = bot.events.filter((e) => e.type === 'message');
    expect(received).toEqual([
      expect.objectContaining({
        eventId: event_id,
        messageId: message.message_id,
        chatId,
        senderOpenId: aliceId,
        text: '/help',
        mentionsBot: true,
      }),
    ]);
    expect(
      emu
        .deliveries()
        .find((d) => d.event_id === event_id)
        ?.attempts.map((a) => a.status),
    ).toEqual([200]);
  });

  it('accepts encrypted, signed events and answers the encrypted url_verification', async () => {
    const bot = await startBot({ encryptKey: ENCRYPT_KEY });
    const emu = await startEmulator(bot, ENCRYPT_KEY);
    expect(await emu.verifyUrl()).toBe(true);
    const { aliceId, chatId } = groupWithAlice(emu);
    const { event_id } = emu.postAsUser({ chat_id: chatId, open_id: aliceId, text: '3.2 已完成' });
    await emu.idle();
    expect(bot.events.find((e) => e.eventId === event_id)).toMatchObject({
      type: 'message',
      text: '3.2 已完成',
    });
  });

  it('answers the plain url_verification challenge', async () => {
    const bot = await startBot();
    const emu = await startEmulator(bot);
    expect(await emu.verifyUrl()).toBe(true);
  });

  it('delivers the bot joining a group', async () => {
    const bot = await startBot();
    const emu = await startEmulator(bot);
    const { chatId } = groupWithAlice(emu);
    await emu.idle();
    expect(bot.events).toContainEqual(
      expect.objectContaining({ type: 'bot_added', chatId, chatName: '市财政局' }),
    );
  });

  it('passes the same event pushed 3 times to the bot 3 times, ids unchanged, for it to dedupe', async () => {
    const bot = await startBot();
    const emu = await startEmulator(bot, undefined, { duplicatePushes: 3 });
    const { aliceId, chatId } = groupWithAlice(emu);
    const { message, event_id } = emu.postAsUser({ chat_id: chatId, open_id: aliceId, text: '进展' });
    await emu.idle();
    const received = bot.events.filter((e) => e.type === 'message');
    expect(received).toHaveLength(3);
    for (const e of received) expect(e).toMatchObject({ eventId: event_id, messageId: message.message_id });
  });

  it('answers a card click with the toast and the new card, which Lark then shows', async () => {
    const newCard = {
      schema: '2.0',
      config: { update_multi: true },
      body: { elements: [{ tag: 'markdown', content: '已绑定到 **市财政局**' }] },
    };
    for (const encryptKey of [undefined, ENCRYPT_KEY]) {
      const bot = await startBot({
        ...(encryptKey === undefined ? {} : { encryptKey }),
        answer: async (e) =>
          e.type === 'card_action'
            ? { toast: { type: 'success', content: '绑定成功' }, card: newCard }
            : undefined,
      });
      const emu = await startEmulator(bot, encryptKey);
      const { aliceId, chatId } = groupWithAlice(emu);
      const chat = createLarkChat({
        appId: emu.appId,
        appSecret: emu.appSecret,
        domain: emu.url,
        logger: silentLogger,
      });
      cleanups.push(() => chat.close());
      const original = {
        schema: '2.0',
        config: { update_multi: true },
        body: {
          elements: [
            {
              tag: 'form',
              name: 'bind_form',
              elements: [
                { tag: 'input', name: 'note' },
                {
                  tag: 'button',
                  name: 'bind_btn',
                  text: { tag: 'plain_text', content: '绑定' },
                  form_action_type: 'submit',
                  behaviors: [{ type: 'callback', value: { action: 'bind', agency: 'CZJ' } }],
                },
              ],
            },
          ],
        },
      };
      const sent = await chat.send({ chatId, message: { kind: 'card', card: original } });
      const result = await emu.clickCard({
        message_id: sent.messageId,
        open_id: aliceId,
        value: { action: 'bind', agency: 'CZJ' },
        form_value: { note: 'ok' },
      });
      expect(result.toast).toMatchObject({ type: 'success', content: '绑定成功' });
      expect(emu.message(sent.messageId)?.content).toEqual(newCard);
      expect(bot.events.find((e) => e.type === 'card_action')).toMatchObject({
        eventId: result.event_id,
        messageId: sent.messageId,
        chatId,
        operatorOpenId: aliceId,
        value: { action: 'bind', agency: 'CZJ' },
        formValue: { note: 'ok' },
      });
    }
  });

  it('answers 503 when the bot could not record an event, so Lark delivers it again', async () => {
    let refusals = 1;
    const bot = await startBot({
      answer: async () => {
        if (refusals-- > 0) throw new Error('database is locked');
        return undefined;
      },
    });
    const emu = await startEmulator(bot);
    const { aliceId, chatId } = groupWithAlice(emu);
    await emu.idle();
    refusals = 1;
    const { event_id } = emu.postAsUser({ chat_id: chatId, open_id: aliceId, text: 'x' });
    await emu.idle();
    expect(
      emu
        .deliveries()
        .find((d) => d.event_id === event_id)
        ?.attempts.map((a) => a.status),
    ).toEqual([503, 200]);
    expect(bot.logs.some((l) => l.level === 50 && /could not record a Lark event/.test(l.msg))).toBe(true);
  });

  it('answers 503 when the bot does not say in time that it recorded an event', async () => {
    const bot = await startBot({
      answerTimeoutMs: 50,
      answer: () => new Promise((resolve) => setTimeout(() => resolve(undefined), 500)),
    });
    const res = await post(bot.url, larkRequest(messageEnvelope({ text: 'slow' })));
    expect(res.status).toBe(503);
    expect(warned(bot, /did not record a Lark event in time/)).toBe(true);
  });

  it('answers a slow card action in time with an empty answer', async () => {
    let handlerFinished = false;
    const bot = await startBot({
      answerTimeoutMs: 100,
      answer: () =>
        new Promise((resolve) =>
          setTimeout(() => {
            handlerFinished = true;
            resolve({ toast: { type: 'info', content: 'late' } });
          }, 1000),
        ),
    });
    const res = await post(bot.url, larkRequest(cardActionEnvelope({})));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    // Lark got its answer while the handler was still working.
    expect(handlerFinished).toBe(false);
    expect(warned(bot, /did not answer a Lark event in time/)).toBe(true);
  });
});

describe('createWebhookHandler refuses what Lark did not send', () => {
  it('refuses a forged signature and logs it', async () => {
    const bot = await startBot({ encryptKey: ENCRYPT_KEY });
    const req = larkRequest(messageEnvelope({ text: 'x' }), ENCRYPT_KEY);
    const forged = { ...req, headers: { ...req.headers, 'x-lark-signature': 'f'.repeat(64) } };
    const res = await post(bot.url, forged);
    expect(res.status).toBe(401);
    expect(bot.events).toEqual([]);
    expect(warned(bot, /forged X-Lark-Signature/)).toBe(true);
  });

  it('accepts the signature in upper-case hex, and refuses it cut short or lengthened', async () => {
    const bot = await startBot({ encryptKey: ENCRYPT_KEY });
    const req = larkRequest(messageEnvelope({ text: 'x' }), ENCRYPT_KEY);
    const signature = req.headers['x-lark-signature'] as string;
    const withSignature = (value: string) => ({
      ...req,
      headers: { ...req.headers, 'x-lark-signature': value },
    });
    expect((await post(bot.url, withSignature(signature.slice(0, 63)))).status).toBe(401);
    expect((await post(bot.url, withSignature(`${signature}0`))).status).toBe(401);
    expect(bot.events).toEqual([]);
    expect((await post(bot.url, withSignature(signature.toUpperCase()))).status).toBe(200);
    expect(bot.events).toHaveLength(1);
  });

  it('refuses a body changed after signing, and one signed with another key', async () => {
    const bot = await startBot({ encryptKey: ENCRYPT_KEY });
    const req = larkRequest(messageEnvelope({ text: 'x' }), ENCRYPT_KEY);
    const tampered = { ...req, body: req.body.replace('"}', '=="}') };
    expect((await post(bot.url, tampered)).status).toBe(401);
    const otherKey = larkRequest(messageEnvelope({ text: 'x' }), 'another-key');
    expect((await post(bot.url, otherKey)).status).toBe(401);
    expect(bot.logs.filter((l) => /forged X-Lark-Signature/.test(l.msg))).toHaveLength(2);
    const unsigned = { ...req, headers: { 'content-type': 'application/json' } };
    expect((await post(bot.url, unsigned)).status).toBe(401);
    expect(warned(bot, /missing X-Lark-Signature/)).toBe(true);
    expect(bot.events).toEqual([]);
  });

  it('refuses a wrong verification token when no encrypt key is set, and logs it', async () => {
    const bot = await startBot();
    const env = messageEnvelope({ text: 'x' });
    const res = await post(bot.url, larkRequest({ ...env, header: { ...env.header, token: 'stolen?' } }));
    expect(res.status).toBe(401);
    expect(bot.events).toEqual([]);
    expect(warned(bot, /wrong verification token/)).toBe(true);
    const challenge = await post(
      bot.url,
      larkRequest({ challenge: 'c1', token: 'nope', type: 'url_verification' }),
    );
    expect(challenge.status).toBe(401);
  });

  it('handles a replayed identical request harmlessly: same answer, same ids for the dedupe', async () => {
    for (const encryptKey of [undefined, ENCRYPT_KEY]) {
      const bot = await startBot(encryptKey === undefined ? {} : { encryptKey });
      const req = larkRequest(
        messageEnvelope({ text: 'again', eventId: 'ev_replay', messageId: 'om_replay' }),
        encryptKey,
      );
      const first = await post(bot.url, req);
      const second = await post(bot.url, req);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(await second.json()).toEqual({});
      expect(bot.events.map((e) => [e.eventId, e.type === 'message' ? e.messageId : null])).toEqual([
        ['ev_replay', 'om_replay'],
        ['ev_replay', 'om_replay'],
      ]);
    }
  });

  it('answers only POSTs on its path and refuses bodies it cannot read', async () => {
    const bot = await startBot();
    expect((await fetch(bot.url)).status).toBe(405);
    expect((await fetch(bot.url.replace(PATH, '/other'), { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${bot.url}?x=1`, { method: 'POST', body: 'not json' })).status).toBe(400);
    const encrypted = larkRequest(messageEnvelope({ text: 'x' }), ENCRYPT_KEY);
    expect((await post(bot.url, encrypted)).status).toBe(400);
    expect(bot.events).toEqual([]);
  });

  it("acknowledges but does not deliver the bot's own messages and event types it does not handle", async () => {
    const bot = await startBot();
    const own = await post(bot.url, larkRequest(messageEnvelope({ text: 'mine', senderType: 'app' })));
    const env = messageEnvelope({ text: 'x' });
    const other = await post(
      bot.url,
      larkRequest({ ...env, header: { ...env.header, event_type: 'im.message.reaction.created_v1' } }),
    );
    const malformed = await post(bot.url, larkRequest({ ...env, event: { message: 'nope' } }));
    expect([own.status, other.status, malformed.status]).toEqual([200, 200, 200]);
    expect(bot.events).toEqual([]);
    expect(warned(bot, /unexpected shape/)).toBe(true);
  });

  it('refuses a signed event stamped 1 as a replay, and one stamped past the window either side', async () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    const bot = await startBot({ encryptKey: ENCRYPT_KEY, now: () => now });
    const seconds = (ms: number) => String(Math.floor(ms / 1000));
    for (const stamp of ['1', seconds(now - 5 * 60_000 - 1000), seconds(now + 5 * 60_000 + 1000), 'soon']) {
      const res = await post(bot.url, larkRequest(messageEnvelope({ text: 'replayed' }), ENCRYPT_KEY, stamp));
      expect(res.status).toBe(401);
    }
    expect(bot.events).toEqual([]);
    expect(bot.logs.filter((l) => /outside the replay window/.test(l.msg))).toHaveLength(4);
  });

  it('accepts a signed event stamped within five minutes of its clock, before or after', async () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    const bot = await startBot({ encryptKey: ENCRYPT_KEY, now: () => now });
    for (const offset of [-4 * 60_000, 0, 4 * 60_000]) {
      const stamp = String(Math.floor((now + offset) / 1000));
      const res = await post(bot.url, larkRequest(messageEnvelope({ text: 'fresh' }), ENCRYPT_KEY, stamp));
      expect(res.status).toBe(200);
    }
    expect(bot.events).toHaveLength(3);
  });

  it('checks the signature before decrypting: a forged or unsigned large body is refused undecrypted', async () => {
    const bot = await startBot({ encryptKey: ENCRYPT_KEY });
    const garbage = JSON.stringify({ encrypt: 'A'.repeat(4096) });
    const forged = {
      body: garbage,
      headers: {
        'content-type': 'application/json',
        'x-lark-request-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-lark-request-nonce': 'n',
        'x-lark-signature': 'e'.repeat(64),
      },
    };
    expect((await post(bot.url, forged)).status).toBe(401);
    expect(
      (await post(bot.url, { body: garbage, headers: { 'content-type': 'application/json' } })).status,
    ).toBe(401);
    expect(warned(bot, /forged X-Lark-Signature/)).toBe(true);
    expect(warned(bot, /missing X-Lark-Signature/)).toBe(true);
    expect(warned(bot, /does not decrypt/)).toBe(false);
  });

  it('refuses verification tokens that are a prefix, longer, or not a string', async () => {
    const bot = await startBot();
    const env = messageEnvelope({ text: 'x' });
    for (const token of [VERIFICATION_TOKEN.slice(0, -1), `${VERIFICATION_TOKEN}x`, 42, null]) {
      const res = await post(bot.url, larkRequest({ ...env, header: { ...env.header, token } }));
      expect(res.status).toBe(401);
    }
    expect(bot.events).toEqual([]);
  });
});

describe('createWebhookServer', () => {
  it('closes a connection that never finishes its headers, beside the body cap', async () => {
    const server = createWebhookServer(
      createWebhookHandler({
        verificationToken: VERIFICATION_TOKEN,
        logger: silentLogger,
        onEvent: async () => undefined,
      }),
      { headersTimeoutMs: 100, requestTimeoutMs: 200, checkIntervalMs: 20 },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
    });
    socket.write('POST /webhook/event HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    await new Promise<void>((resolve) => socket.on('close', () => resolve()));
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});
