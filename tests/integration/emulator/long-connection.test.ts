// The emulator's long connection against the SDK's own WSClient: endpoint discovery, frames,
// ping/pong, card callbacks answered in the ACK, retries, and reconnects after a dropped connection.
import { request } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { LarkEmulatorOptions } from '../../../src/emulator/index.js';
import { decodeFrame, encodeFrame } from '../../../src/emulator/pbbp2.js';
import { createFrameReader } from '../../../src/emulator/websocket.js';
import { card2, startWorld, type World } from './helpers.js';

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
/** Fast reconnects for tests: no random wait before the first attempt, then every 50 ms. */
const FAST = { ReconnectNonce: 0, ReconnectInterval: 0.05 };

let world: World | undefined;
const clients: lark.WSClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close({ force: true });
  await world?.emulator.stop();
  world = undefined;
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

type Handler = (data: Record<string, unknown>) => Promise<unknown>;

/** A world whose app subscribes over the long connection, and the SDK's WSClient connected to it. */
async function connected(
  handlers: { message?: Handler; card?: Handler },
  options: LarkEmulatorOptions = {},
): Promise<{ world: World; errors: Error[]; client: lark.WSClient }> {
  world = await startWorld({
    transport: 'websocket',
    longConnection: FAST,
    // Retries every 100 ms, enough of them to outlast a reconnect on a busy machine.
    retrySchedule: Array.from({ length: 50 }, () => 100),
    ...options,
  });
  const errors: Error[] = [];
  const client = new lark.WSClient({
    appId: world.emulator.appId,
    appSecret: world.emulator.appSecret,
    domain: world.emulator.url,
    logger: silent,
    loggerLevel: lark.LoggerLevel.error,
    onError: (error) => errors.push(error),
  });
  clients.push(client);
  const dispatcher = new lark.EventDispatcher({
    logger: silent,
    loggerLevel: lark.LoggerLevel.error,
  }).register<{
    'card.action.trigger': Handler;
  }>({
    'im.message.receive_v1': async (data) => (handlers.message ?? (async () => undefined))(data),
    'card.action.trigger': async (data) => (handlers.card ?? (async () => undefined))(data),
  });
  await client.start({ eventDispatcher: dispatcher });
  const { emulator } = world;
  // Once it has pinged, the SDK is listening (see tests/helpers/tenant.ts).
  await until(() => (emulator.longConnections()[0]?.pings ?? 0) > 0);
  expect(emulator.longConnections()).toHaveLength(1);
  return { world, errors, client };
}

describe('the long connection', () => {
  it('hands the SDK a WebSocket URL for the right credentials and answers its ping with a pong', async () => {
    const { world } = await connected({});
    const { emulator } = world;
    expect(emulator.longConnections()[0]?.pings).toBeGreaterThan(0);

    const discovery = await fetch(`${emulator.url}/callback/ws/endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AppID: emulator.appId, AppSecret: emulator.appSecret }),
    }).then((r) => r.json() as Promise<{ code: number; data: { URL: string; ClientConfig: object } }>);
    expect(discovery.code).toBe(0);
    expect(discovery.data.URL).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/ws\/v2\?fpid=.*&device_id=\d+&.*service_id=\d+/,
    );
    expect(discovery.data.ClientConfig).toEqual({
      PingInterval: 120,
      ReconnectCount: -1,
      ReconnectInterval: 0.05,
      ReconnectNonce: 0,
    });
  });

  it('refuses a wrong app secret with auth_failed (514), and the SDK gives up for good', async () => {
    world = await startWorld({ transport: 'websocket' });
    const errors: Error[] = [];
    const client = new lark.WSClient({
      appId: world.emulator.appId,
      appSecret: 'wrong',
      domain: world.emulator.url,
      logger: silent,
      onError: (error) => errors.push(error),
    });
    clients.push(client);
    await client.start({ eventDispatcher: new lark.EventDispatcher({ logger: silent }) });
    await until(() => errors.length > 0);
    expect(errors[0]?.message).toMatch(/code=514/);
    expect(world.emulator.longConnections()).toHaveLength(0);
  });

  it('refuses a WebSocket that did not come through endpoint discovery', async () => {
    world = await startWorld({ transport: 'websocket' });
    const status = await new Promise<number | undefined>((resolve) => {
      const req = request(`${world?.emulator.url}/ws/v2?device_id=1&service_id=1&ticket=made-up`, {
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': Buffer.alloc(16, 1).toString('base64'),
        },
      });
      req.on('response', (res) => resolve(res.statusCode));
      req.on('upgrade', () => resolve(101));
      req.on('error', () => resolve(undefined));
      req.end();
    });
    expect(status).toBe(403);
  });

  it('delivers a message event as a data frame and marks it delivered on the ACK', async () => {
    const received: Record<string, unknown>[] = [];
    const { world } = await connected({
      message: async (data) => {
        received.push(data);
        return undefined;
      },
    });
    const { emulator, alice, chatId } = world;
    const { event_id } = emulator.postAsUser({ chat_id: chatId, open_id: alice, text: '第1条已完成' });
    await emulator.idle();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ event_id, event_type: 'im.message.receive_v1' });
    const delivery = emulator.deliveries().find((d) => d.event_id === event_id);
    expect(delivery).toMatchObject({
      state: 'delivered',
      attempts: [{ transport: 'websocket', status: 200 }],
    });
  });

  it('reassembles an event split into parts (sum/seq) in the SDK', async () => {
    const received: Record<string, unknown>[] = [];
    const { world } = await connected(
      {
        message: async (data) => {
          received.push(data);
          return undefined;
        },
      },
      { longConnection: { ...FAST, fragmentBytes: 64 } },
    );
    const text = '很长的回复'.repeat(100);
    world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text });
    await world.emulator.idle();
    expect(received).toHaveLength(1);
    expect(JSON.stringify(received[0])).toContain(text);
  });

  it('carries a card callback and applies the toast and card the SDK returns in the ACK', async () => {
    const seen: Record<string, unknown>[] = [];
    const updated = card2('已确认');
    const { world } = await connected({
      card: async (data) => {
        seen.push(data);
        return { toast: { type: 'success', content: '已记录' }, card: { type: 'raw', data: updated } };
      },
    });
    const { emulator, client: sdk, chatId, alice } = world;
    const sent = await sdk.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: chatId,
        msg_type: 'interactive',
        content: JSON.stringify(card2('请确认')),
      },
    });
    const messageId = sent.data?.message_id ?? '';
    const answer = await emulator.clickCard({
      message_id: messageId,
      open_id: alice,
      value: { action: 'ok' },
    });
    expect(seen[0]).toMatchObject({ action: { value: { action: 'ok' } }, operator: { open_id: alice } });
    expect(answer.toast).toEqual({ type: 'success', content: '已记录' });
    expect(answer.card).toEqual(updated);
    expect(JSON.stringify(emulator.message(messageId)?.content)).toContain('已确认');
  });

  it('retries an event the client answered with code 500 (its handler threw) until it is answered 200', async () => {
    let calls = 0;
    const { world } = await connected({
      message: async () => {
        calls += 1;
        if (calls === 1) throw new Error('not yet');
        return undefined;
      },
    });
    const { event_id } = world.emulator.postAsUser({
      chat_id: world.chatId,
      open_id: world.alice,
      text: 'x',
    });
    await world.emulator.idle();
    const delivery = world.emulator.deliveries().find((d) => d.event_id === event_id);
    expect(delivery?.state).toBe('delivered');
    expect(delivery?.attempts.map((a) => a.status)).toEqual([500, 200]);
  });

  it('keeps events pushed while the connection is down and delivers them once the SDK has reconnected', async () => {
    const received: string[] = [];
    const { world, errors } = await connected({
      message: async (data) => {
        received.push(String(data.event_id));
        return undefined;
      },
    });
    const { emulator, chatId, alice } = world;
    emulator.setLongConnectionOutage(true);
    await until(() => emulator.longConnections().length === 0);
    const pushed = ['一', '二', '三'].map((text) =>
      emulator.postAsUser({ chat_id: chatId, open_id: alice, text }),
    );
    await until(() => emulator.deliveries().every((d) => d.attempts.length > 0));
    expect(received).toEqual([]);
    expect(emulator.deliveries().map((d) => d.state)).toEqual(['retrying', 'retrying', 'retrying']);

    emulator.setLongConnectionOutage(false);
    await until(() => emulator.longConnections().length === 1);
    await emulator.idle();
    expect(received.sort()).toEqual(pushed.map((p) => p.event_id).sort());
    expect(emulator.deliveries().map((d) => d.state)).toEqual(['delivered', 'delivered', 'delivered']);
    expect(errors).toEqual([]);
  });

  it('delivers again an event whose ACK was lost with the connection (same event_id), as Lark does', async () => {
    const received: string[] = [];
    const { world } = await connected({
      message: async (data) => {
        received.push(String(data.event_id));
        return undefined;
      },
    });
    const { emulator } = world;
    expect(emulator.dropLongConnections({ beforeAck: true })).toBe(1);
    const { event_id } = emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: 'x' });
    await until(() => received.length >= 2);
    await emulator.idle();
    expect(received).toEqual([event_id, event_id]);
    const delivery = emulator.deliveries().find((d) => d.event_id === event_id);
    // The lost ACK, maybe attempts while the SDK was reconnecting, then the one answered.
    const statuses = delivery?.attempts.map((a) => a.status) ?? [];
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, -1).every((status) => status === null)).toBe(true);
  });

  it('lets the control API cut the connection, after which the SDK reconnects by itself', async () => {
    const { world } = await connected({});
    const { emulator } = world;
    const before = emulator.longConnections()[0]?.conn_id;
    const control = (body: unknown) =>
      fetch(`${emulator.url}/_emulator/long-connection`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await control({ drop: 'later' })).status).toBe(400);
    expect((await control({ drop: 'now' })).status).toBe(200);
    await until(() => (emulator.longConnections()[0]?.conn_id ?? before) !== before);
    const view = (await (await fetch(`${emulator.url}/_emulator/long-connection`)).json()) as {
      transport: string;
      connections: { conn_id: string }[];
    };
    expect(view.transport).toBe('websocket');
    expect(view.connections).toHaveLength(1);
    expect(view.connections[0]?.conn_id).not.toBe(before);
  });

  it('sends each event to one connection only when several clients are connected (cluster mode)', async () => {
    const received: string[] = [];
    const { world } = await connected({
      message: async (data) => {
        received.push(`a:${String(data.event_id)}`);
        return undefined;
      },
    });
    const { emulator } = world;
    const second = new lark.WSClient({
      appId: emulator.appId,
      appSecret: emulator.appSecret,
      domain: emulator.url,
      logger: silent,
    });
    clients.push(second);
    await second.start({
      eventDispatcher: new lark.EventDispatcher({ logger: silent }).register({
        'im.message.receive_v1': async (data) => {
          received.push(`b:${data.event_id}`);
        },
      }),
    });
    await until(
      () => emulator.longConnections().length === 2 && emulator.longConnections().every((c) => c.pings > 0),
    );
    for (let i = 0; i < 10; i++)
      emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: `${i}` });
    await emulator.idle();
    expect(received).toHaveLength(10);
    expect(new Set(received.map((r) => r.slice(2))).size).toBe(10);
  });
});

describe('the long connection frame codecs', () => {
  it('round-trips a pbbp2 frame, negative int32 included, and refuses one without its required fields', () => {
    const frame = {
      SeqID: 2 ** 40,
      LogID: 7,
      service: -3,
      method: 1,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'trace_id', value: '追踪' },
      ],
      payload: Buffer.from('{"code":200}'),
    };
    expect(decodeFrame(encodeFrame(frame))).toEqual(frame);
    // Field 1 only (SeqID = 1): the SDK's decoder throws "missing required 'LogID'", and so does ours.
    expect(() => decodeFrame(Buffer.from([8, 1]))).toThrow(/LogID/);
  });

  it('refuses an unmasked client frame and an oversized control frame, as RFC 6455 requires of a server', () => {
    expect(() => createFrameReader(1024).push(Buffer.from([0x82, 0x01, 0x00]))).toThrow(/masked/);
    const ping = Buffer.concat([Buffer.from([0x89, 0x80 | 126, 0, 200]), Buffer.alloc(4), Buffer.alloc(200)]);
    expect(() => createFrameReader(1024).push(ping)).toThrow(/control frames/);
    const masked = Buffer.from([0x82, 0x82, 1, 2, 3, 4, 0x61 ^ 1, 0x62 ^ 2]);
    expect(createFrameReader(1024).push(masked)).toEqual([
      { fin: true, opcode: 2, payload: Buffer.from('ab') },
    ]);
  });
});
