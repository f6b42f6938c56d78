import { afterEach, describe, expect, it } from 'vitest';
import { larkError, startWorld, text, type World } from './helpers.js';

let world: World;
afterEach(async () => {
  await world?.emulator.stop();
});

const send = (w: World, uuid?: string) =>
  w.client.im.message.create({
    params: { receive_id_type: 'chat_id' },
    data: {
      receive_id: w.chatId,
      msg_type: 'text',
      content: text('x'),
      ...(uuid === undefined ? {} : { uuid }),
    },
  });

describe('Lark emulator rate limits', () => {
  it('answers 429 with 99991400 and x-ogw-ratelimit headers once the per-app limit is used up', async () => {
    world = await startWorld({ rateLimits: { perAppPerSecond: 3, perChatPerSecond: 100 } });
    for (let i = 0; i < 3; i += 1) expect((await world.client.im.chat.list({ params: {} })).code).toBe(0);
    const error = await larkError(world.client.im.chat.list({ params: {} }));
    expect(error).toMatchObject({ status: 429, code: 99991400 });
    expect(error.headers['x-ogw-ratelimit-limit']).toBe('3');
    expect(Number(error.headers['x-ogw-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    // Another API has its own budget.
    expect((await send(world)).code).toBe(0);
  });

  it('applies the per-minute limit too', async () => {
    world = await startWorld({ rateLimits: { perAppPerSecond: 100, perAppPerMinute: 2 } });
    await world.client.im.chat.list({ params: {} });
    await world.client.im.chat.list({ params: {} });
    const error = await larkError(world.client.im.chat.list({ params: {} }));
    expect(error).toMatchObject({ status: 429, code: 99991400 });
    expect(Number(error.headers['x-ogw-ratelimit-reset'])).toBeGreaterThan(50);
  });

  it('answers 230020 when one chat gets more than 5 messages a second, without storing the 6th', async () => {
    world = await startWorld();
    const results = await Promise.allSettled(Array.from({ length: 7 }, () => send(world)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const rejected = results.find((r) => r.status === 'rejected');
    expect(await larkError(Promise.reject(rejected?.reason))).toMatchObject({ status: 400, code: 230020 });
    expect(world.emulator.messages(world.chatId)).toHaveLength(5);
  });

  it('limits PATCH to 5 per second per message', async () => {
    world = await startWorld();
    const card = (n: number) =>
      JSON.stringify({ schema: '2.0', body: { elements: [{ tag: 'markdown', content: `${n}` }] } });
    const sent = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'interactive', content: card(0) },
    });
    const id = sent.data?.message_id ?? '';
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        world.client.im.message.patch({ path: { message_id: id }, data: { content: card(i) } }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
  });

  it('can switch rate limiting off', async () => {
    world = await startWorld({ rateLimits: false });
    const results = await Promise.all(Array.from({ length: 20 }, () => send(world)));
    expect(results.every((r) => r.code === 0)).toBe(true);
  });
});

describe('Lark emulator fault injection', () => {
  it('answers the next matching request with a 5xx and stores nothing, so a retry with the same uuid posts once', async () => {
    world = await startWorld();
    world.emulator.injectFault({
      kind: 'server_error',
      status: 503,
      method: 'POST',
      path: '^/open-apis/im/v1/messages$',
    });
    expect(await larkError(send(world, 'u-1'))).toMatchObject({ status: 503 });
    expect(world.emulator.messages(world.chatId)).toHaveLength(0);
    expect((await send(world, 'u-1')).code).toBe(0);
    expect(world.emulator.messages(world.chatId)).toHaveLength(1);
  });

  it('injects 429 with a reset header', async () => {
    world = await startWorld();
    world.emulator.injectFault({ kind: 'rate_limit', count: 2, resetSeconds: 7, path: '/im/v1/messages' });
    const first = await larkError(send(world));
    expect(first).toMatchObject({ status: 429, code: 99991400 });
    expect(first.headers['x-ogw-ratelimit-reset']).toBe('7');
    expect(await larkError(send(world))).toMatchObject({ status: 429 });
    expect((await send(world)).code).toBe(0);
  });

  it('drops the connection before storing, or after storing for exactly-once tests', async () => {
    world = await startWorld();
    world.emulator.injectFault({ kind: 'drop', path: '^/open-apis/im/v1/messages$' });
    const dropped = await larkError(send(world, 'once'));
    expect(dropped.status).toBeUndefined();
    expect(dropped.transport).toBeDefined();
    expect(world.emulator.messages(world.chatId)).toHaveLength(0);

    world.emulator.injectFault({ kind: 'drop_after_store', path: '^/open-apis/im/v1/messages$' });
    const lost = await larkError(send(world, 'once'));
    expect(lost.status).toBeUndefined();
    expect(world.emulator.messages(world.chatId)).toHaveLength(1);
    // The retry with the same uuid gets the stored message back instead of a second post.
    const retried = await send(world, 'once');
    expect(retried.data?.message_id).toBe(world.emulator.messages(world.chatId)[0]?.message_id);
    expect(world.emulator.messages(world.chatId)).toHaveLength(1);
  });

  it('adds latency', async () => {
    world = await startWorld();
    world.emulator.injectFault({ kind: 'latency', latencyMs: 300, path: '/im/v1/chats' });
    const started = performance.now();
    await world.client.im.chat.list({ params: {} });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('expires every token on request, so the call gets 99991663', async () => {
    world = await startWorld();
    await world.client.im.chat.list({ params: {} });
    world.emulator.injectFault({ kind: 'token_expiry', path: '/im/v1/chats' });
    expect(await larkError(world.client.im.chat.list({ params: {} }))).toMatchObject({ code: 99991663 });
  });

  it('fails a share of requests in probabilistic mode until cleared', async () => {
    let n = 0;
    const sequence = [0.05, 0.5, 0.05, 0.9, 0.5];
    world = await startWorld({ rateLimits: false, random: () => sequence[n++ % sequence.length] ?? 1 });
    world.emulator.injectFault({
      kind: 'server_error',
      probability: 0.1,
      path: '^/open-apis/im/v1/messages$',
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => send(world)));
    expect(results.map((r) => r.status)).toEqual([
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    world.emulator.clearFaults();
    expect((await send(world)).code).toBe(0);
  });

  it('takes faults over the control API and validates them', async () => {
    world = await startWorld();
    const bad = await fetch(`${world.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'explode' }),
    });
    expect(bad.status).toBe(400);
    const res = await fetch(`${world.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ kind: 'server_error', status: 500, path: '^/open-apis/im/v1/messages$' }]),
    });
    expect(res.status).toBe(200);
    expect(await larkError(send(world))).toMatchObject({ status: 500 });
    expect((await send(world)).code).toBe(0);
    await fetch(`${world.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'server_error', count: 5 }),
    });
    expect(((await (await fetch(`${world.emulator.url}/_emulator/faults`)).json()) as unknown[]).length).toBe(
      1,
    );
    await fetch(`${world.emulator.url}/_emulator/faults`, { method: 'DELETE' });
    expect((await send(world)).code).toBe(0);
  });
});
