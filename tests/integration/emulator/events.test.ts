import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { card2, startWorld, type World } from './helpers.js';

const ENCRYPT_KEY = 'test-encrypt-key';
const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

interface Captured {
  headers: IncomingMessage['headers'];
  raw: string;
}

let world: World | undefined;
let webhook: Server | undefined;
afterEach(async () => {
  await world?.emulator.stop();
  await new Promise<void>((resolve) => {
    if (webhook === undefined) return resolve();
    webhook.close(() => resolve());
    webhook.closeAllConnections();
  });
  world = undefined;
  webhook = undefined;
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  webhook = createServer(handler);
  await new Promise<void>((resolve) => webhook?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/webhook/event`;
}

/** A webhook that records raw requests and answers with `answer(n)` (status, body, delay). */
async function recordingWebhook(
  answer: (n: number) => { status?: number; body?: string; delayMs?: number } = () => ({}),
): Promise<{ url: string; seen: Captured[] }> {
  const seen: Captured[] = [];
  const url = await listen((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
    });
    req.on('end', () => {
      seen.push({ headers: req.headers, raw });
      const { status = 200, body = '{}', delayMs = 0 } = answer(seen.length);
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(status).end(body);
      }, delayMs);
    });
  });
  return { url, seen };
}

describe('Lark emulator event push', () => {
  it('delivers im.message.receive_v1 that the SDK EventDispatcher accepts (signed and encrypted)', async () => {
    const received: Array<Record<string, unknown>> = [];
    const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, logger: silent }).register({
      'im.message.receive_v1': async (data) => {
        received.push(data as unknown as Record<string, unknown>);
      },
    });
    const url = await listen(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
    world = await startWorld({ encryptKey: ENCRYPT_KEY, webhookUrl: url });
    const { message, event_id } = world.emulator.postAsUser({
      chat_id: world.chatId,
      open_id: world.alice,
      text: '@督办 /help 请 @李四 看看',
    });
    await world.emulator.idle();
    expect(received).toHaveLength(1);
    const data = received[0] as {
      event_id: string;
      event_type: string;
      token: string;
      sender: { sender_id: { open_id: string }; sender_type: string };
      message: {
        message_id: string;
        chat_id: string;
        chat_type: string;
        message_type: string;
        content: string;
        mentions: Array<{ key: string; id: { open_id: string }; name: string }>;
      };
    };
    expect(data.event_id).toBe(event_id);
    expect(data.event_type).toBe('im.message.receive_v1');
    expect(data.token).toBe(world.emulator.verificationToken);
    expect(data.sender).toMatchObject({ sender_id: { open_id: world.alice }, sender_type: 'user' });
    expect(data.message).toMatchObject({
      message_id: message.message_id,
      chat_id: world.chatId,
      chat_type: 'group',
      message_type: 'text',
    });
    expect(JSON.parse(data.message.content)).toEqual({ text: '@_user_1 /help 请 @_user_2 看看' });
    expect(data.message.mentions).toMatchObject([
      { key: '@_user_1', id: { open_id: world.emulator.botOpenId }, name: '督办' },
      { key: '@_user_2', id: { open_id: world.bob }, name: '李四' },
    ]);
    expect(world.emulator.deliveries()[0]).toMatchObject({ state: 'delivered', attempts: [{ status: 200 }] });
  });

  it('signs with sha256(timestamp + nonce + encryptKey + body) and encrypts with the SDK AESCipher scheme', async () => {
    const hook = await recordingWebhook();
    world = await startWorld({ encryptKey: ENCRYPT_KEY, webhookUrl: hook.url });
    world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: 'hello' });
    await world.emulator.idle();
    const [request] = hook.seen;
    if (request === undefined) throw new Error('no request');
    const timestamp = String(request.headers['x-lark-request-timestamp']);
    const nonce = String(request.headers['x-lark-request-nonce']);
    const expected = createHash('sha256')
      .update(timestamp + nonce + ENCRYPT_KEY + request.raw)
      .digest('hex');
    expect(request.headers['x-lark-signature']).toBe(expected);
    const body = JSON.parse(request.raw) as { encrypt: string };
    expect(Object.keys(body)).toEqual(['encrypt']);
    const envelope = JSON.parse(new lark.AESCipher(ENCRYPT_KEY).decrypt(body.encrypt)) as {
      schema: string;
      header: Record<string, string>;
    };
    expect(envelope.schema).toBe('2.0');
    expect(envelope.header).toMatchObject({
      event_type: 'im.message.receive_v1',
      token: world.emulator.verificationToken,
      app_id: world.emulator.appId,
    });
    expect(envelope.header.create_time).toMatch(/^\d{13}$/);
  });

  it('sends the plain envelope without a signature when no encrypt key is set', async () => {
    const hook = await recordingWebhook();
    world = await startWorld({ webhookUrl: hook.url });
    world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: 'hello' });
    await world.emulator.idle();
    const [request] = hook.seen;
    expect(request?.headers['x-lark-signature']).toBeUndefined();
    expect(JSON.parse(request?.raw ?? '{}')).toMatchObject({
      schema: '2.0',
      header: { event_type: 'im.message.receive_v1' },
    });
  });

  it('passes url_verification against the SDK autoChallenge, encrypted or not, and fails a wrong echo', async () => {
    const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, logger: silent });
    const url = await listen(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
    world = await startWorld({ encryptKey: ENCRYPT_KEY, webhookUrl: url });
    expect(await world.emulator.verifyUrl()).toBe(true);
    await world.emulator.stop();
    world = await startWorld({ webhookUrl: url.replace('/webhook/event', '/elsewhere') });
    webhook?.closeAllConnections();
    const hook = await recordingWebhook(() => ({ body: '{"challenge":"wrong"}' }));
    world.emulator.setWebhookUrl(hook.url);
    expect(await world.emulator.verifyUrl()).toBe(false);
  });

  it('retries a failed delivery on the (compressed) schedule with the same event_id', async () => {
    const hook = await recordingWebhook((n) => (n <= 2 ? { status: 500 } : {}));
    world = await startWorld({ webhookUrl: hook.url, retrySchedule: [30, 30, 30, 30] });
    world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: 'retry me' });
    await world.emulator.idle();
    expect(hook.seen).toHaveLength(3);
    const ids = hook.seen.map((r) => (JSON.parse(r.raw) as { header: { event_id: string } }).header.event_id);
    expect(new Set(ids).size).toBe(1);
    expect(world.emulator.deliveries()[0]).toMatchObject({
      state: 'delivered',
      attempts: [{ status: 500 }, { status: 500 }, { status: 200 }],
    });
  });

  it('treats no answer within the ack timeout as a failure and gives up after the last retry', async () => {
    const hook = await recordingWebhook(() => ({ delayMs: 400 }));
    world = await startWorld({ webhookUrl: hook.url, retrySchedule: [20, 20], ackTimeoutMs: 100 });
    world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: 'slow bot' });
    await world.emulator.idle();
    const [record] = world.emulator.deliveries();
    expect(record?.state).toBe('failed');
    expect(record?.attempts).toHaveLength(3);
    expect(record?.attempts.every((a) => a.status === null && a.error?.includes('100 ms'))).toBe(true);
  });

  it('pushes the same event several times when asked, for dedupe tests', async () => {
    const hook = await recordingWebhook();
    world = await startWorld({ webhookUrl: hook.url });
    const records = world.emulator.pushEvent(
      'im.message.receive_v1',
      { message: { message_id: 'om_x' } },
      { duplicates: 3 },
    );
    await world.emulator.idle();
    expect(records).toHaveLength(3);
    const ids = hook.seen.map((r) => (JSON.parse(r.raw) as { header: { event_id: string } }).header.event_id);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('emits im.chat.member.bot.added_v1 when the bot joins a chat', async () => {
    const hook = await recordingWebhook();
    world = await startWorld({ webhookUrl: hook.url });
    const chat = world.emulator.createChat({ name: '市发改委', members: [world.alice], bot: false });
    world.emulator.setBotMember(chat.chat_id, true, world.alice);
    await world.emulator.idle();
    expect(hook.seen).toHaveLength(1);
    const envelope = JSON.parse(hook.seen[0]?.raw ?? '{}') as {
      header: { event_type: string };
      event: Record<string, unknown>;
    };
    expect(envelope.header.event_type).toBe('im.chat.member.bot.added_v1');
    expect(envelope.event).toMatchObject({
      chat_id: chat.chat_id,
      name: '市发改委',
      operator_id: { open_id: world.alice },
    });
  });

  it('only pushes group messages that mention the bot in mentions_only mode, and none when the bot is absent', async () => {
    const hook = await recordingWebhook();
    world = await startWorld({ webhookUrl: hook.url, groupMessageEvents: 'mentions_only' });
    expect(
      world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: '闲聊' }).event_id,
    ).toBeNull();
    expect(
      world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: '@督办 /help' })
        .event_id,
    ).not.toBeNull();
    world.emulator.setBotMember(world.chatId, false);
    expect(
      world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: '@督办 hi' }).event_id,
    ).toBeNull();
    await world.emulator.idle();
    expect(hook.seen).toHaveLength(1);
  });
});

describe('Lark emulator card actions', () => {
  it('sends card.action.trigger, applies the returned card and returns the toast', async () => {
    const actions: Array<Record<string, unknown>> = [];
    const dispatcher = new lark.EventDispatcher({ encryptKey: ENCRYPT_KEY, logger: silent }).register<{
      'card.action.trigger': (data: Record<string, unknown>) => Promise<unknown>;
    }>({
      'card.action.trigger': async (data) => {
        actions.push(data);
        return {
          toast: { type: 'success', content: '已确认' },
          card: { type: 'raw', data: card2('已处理') },
        };
      },
    });
    const url = await listen(lark.adaptDefault('/webhook/event', dispatcher, { autoChallenge: true }));
    world = await startWorld({ encryptKey: ENCRYPT_KEY, webhookUrl: url });
    const sent = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: world.chatId,
        msg_type: 'interactive',
        content: JSON.stringify(
          card2('待处理', [
            {
              tag: 'form',
              name: 'f7',
              elements: [
                { tag: 'input', name: 'note' },
                { tag: 'input', name: 'percent', default_value: '40' },
                {
                  tag: 'button',
                  name: 'ok7',
                  text: { tag: 'plain_text', content: '提交' },
                  form_action_type: 'submit',
                  behaviors: [{ type: 'callback', value: { action: 'ok', task: 7 } }],
                },
              ],
            },
          ]),
        ),
      },
    });
    const messageId = sent.data?.message_id ?? '';
    const res = await fetch(`${world.emulator.url}/_emulator/messages/${messageId}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        open_id: world.bob,
        value: { action: 'ok', task: 7 },
        // Only what the person filled in; a key naming no component of the form never reaches the bot.
        form_value: { note: '完成', forged: 'x' },
      }),
    });
    expect(res.status).toBe(200);
    const result = (await res.json()) as {
      toast: { content: string };
      card: { header: { title: { content: string } } };
    };
    expect(result.toast.content).toBe('已确认');
    expect(result.card.header.title.content).toBe('已处理');
    expect(world.emulator.message(messageId)).toMatchObject({
      updated: true,
      content: { header: { title: { content: '已处理' } } },
    });
    const action = actions[0] as {
      token: string;
      operator: { open_id: string };
      action: { value: unknown; tag: string; name: string; form_value: unknown };
      context: { open_message_id: string; open_chat_id: string };
      create_time: string;
    };
    expect(action.token).toMatch(/^c-/);
    expect(action.operator.open_id).toBe(world.bob);
    expect(action.action).toMatchObject({ value: { action: 'ok', task: 7 }, tag: 'button', name: 'ok7' });
    // The untouched prefilled percent is not sent, as Lark sends only the fields filled in.
    expect(action.action.form_value).toEqual({ note: '完成' });
    expect(action.context).toEqual({ open_message_id: messageId, open_chat_id: world.chatId });
    expect(action.create_time).toMatch(/^\d{16}$/);

    // The c- token allows two delayed updates, then no more.
    const update = (title: string) =>
      world?.client.request({
        method: 'POST',
        url: '/open-apis/interactive/v1/card/update',
        data: { token: action.token, card: card2(title) },
      });
    expect(await update('延迟 1')).toMatchObject({ code: 0 });
    expect(await update('延迟 2')).toMatchObject({ code: 0 });
    await expect(update('延迟 3')).rejects.toMatchObject({ response: { status: 400 } });
    expect(world.emulator.message(messageId)).toMatchObject({
      content: { header: { title: { content: '延迟 2' } } },
    });
  });

  it('answers 502 and leaves the card alone when the bot does not answer in time, without retrying', async () => {
    const hook = await recordingWebhook(() => ({ delayMs: 500 }));
    world = await startWorld({ webhookUrl: hook.url, ackTimeoutMs: 100, retrySchedule: [10, 10] });
    const sent = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'interactive', content: JSON.stringify(card2('待处理')) },
    });
    const messageId = sent.data?.message_id ?? '';
    const res = await fetch(`${world.emulator.url}/_emulator/messages/${messageId}/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ open_id: world.alice, value: { action: 'ok' } }),
    });
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: string }).error).toContain('100 ms');
    await world.emulator.idle();
    expect(hook.seen).toHaveLength(1);
    expect(world.emulator.message(messageId)?.updated).toBe(false);
  });
});
