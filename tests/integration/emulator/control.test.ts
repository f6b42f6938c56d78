import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkEmulator, type LarkEmulator } from '../../../src/emulator/index.js';
import { startWorld, text, type World } from './helpers.js';

let world: World | undefined;
let extra: LarkEmulator | undefined;
afterEach(async () => {
  await world?.emulator.stop();
  await extra?.stop();
  world = undefined;
  extra = undefined;
});

const call = async (base: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: control API answers are checked field by field below
  return { status: res.status, body: (await res.json()) as any };
};

describe('Lark emulator control API', () => {
  it('creates users and chats, and lists chats with members and bot membership', async () => {
    world = await startWorld();
    const base = world.emulator.url;
    const user = await call(base, 'POST', '/_emulator/users', { name: '王五' });
    expect(user.body.open_id).toMatch(/^ou_/);
    const chat = await call(base, 'POST', '/_emulator/chats', {
      name: '市财政局',
      members: [user.body.open_id, world.alice],
      bot: true,
    });
    expect(chat.status).toBe(200);
    expect(chat.body).toMatchObject({ name: '市财政局', bot_member: true, chat_type: 'group' });
    const again = await call(base, 'POST', '/_emulator/chats', { name: '市财政局', members: [world.bob] });
    expect(again.body.chat_id).toBe(chat.body.chat_id);
    const list = await call(base, 'GET', '/_emulator/chats');
    const finance = list.body.find((c: { chat_id: string }) => c.chat_id === chat.body.chat_id);
    expect(finance.members.map((m: { name: string }) => m.name)).toEqual(['王五', '张三', '李四']);
    expect((await call(base, 'POST', '/_emulator/chats', { members: [] })).status).toBe(400);
    expect((await call(base, 'POST', '/_emulator/chats', { name: 'x', members: ['ou_ghost'] })).status).toBe(
      400,
    );
    const users = await call(base, 'GET', '/_emulator/users');
    expect(users.body.map((u: { name: string }) => u.name)).toEqual(['张三', '李四', '王五']);
  });

  it('posts as a user, turning @督办 and @Name into mentions, and lists messages oldest first', async () => {
    world = await startWorld();
    const base = world.emulator.url;
    await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'text', content: text('本周进展？') },
    });
    const first = world.emulator.messages(world.chatId)[0]?.message_id;
    const posted = await call(base, 'POST', `/_emulator/chats/${world.chatId}/messages`, {
      open_id: world.alice,
      text: '@督办 已完成 80% @李四',
      parent_id: first,
    });
    expect(posted.status).toBe(200);
    const messages = await call(base, 'GET', `/_emulator/chats/${world.chatId}/messages`);
    expect(messages.body).toHaveLength(2);
    expect(messages.body[1]).toMatchObject({
      sender: { type: 'user', open_id: world.alice, name: '张三' },
      msg_type: 'text',
      content: { text: '@_user_1 已完成 80% @_user_2' },
      mentions: [
        { key: '@_user_1', open_id: world.emulator.botOpenId, name: '督办' },
        { key: '@_user_2', open_id: world.bob, name: '李四' },
      ],
      parent_id: first,
      root_id: first,
      updated: false,
    });
    expect(typeof messages.body[1].create_time).toBe('number');
    expect(messages.body[0].sender).toEqual({ type: 'app', open_id: world.emulator.botOpenId, name: '督办' });
  });

  it('explains what is wrong with a post: unknown chat, unknown user, not a member, empty text, bad parent', async () => {
    world = await startWorld();
    const base = world.emulator.url;
    const outsider = world.emulator.addUser({ name: '外人' }).open_id;
    const post = (chat: string, body: unknown) =>
      call(base, 'POST', `/_emulator/chats/${chat}/messages`, body);
    const unknownChat = await post('oc_nope', { open_id: world.alice, text: 'x' });
    expect(unknownChat).toMatchObject({ status: 404, body: { error: expect.stringContaining('oc_nope') } });
    expect((await post(world.chatId, { open_id: 'ou_ghost', text: 'x' })).status).toBe(400);
    expect((await post(world.chatId, { open_id: outsider, text: 'x' })).status).toBe(403);
    expect((await post(world.chatId, { open_id: world.alice, text: '  ' })).status).toBe(400);
    expect((await post(world.chatId, { open_id: world.alice })).status).toBe(400);
    expect((await post(world.chatId, { open_id: world.alice, text: 'x', parent_id: 'om_nope' })).status).toBe(
      400,
    );
    expect((await call(base, 'GET', '/_emulator/nothing-here')).status).toBe(404);
  });

  it('adds and removes the bot and dissolves chats', async () => {
    world = await startWorld();
    const base = world.emulator.url;
    const removed = await call(base, 'POST', `/_emulator/chats/${world.chatId}/bot`, { member: false });
    expect(removed.body.bot_member).toBe(false);
    expect((await world.client.im.chat.list({ params: {} })).data?.items).toHaveLength(0);
    await call(base, 'POST', `/_emulator/chats/${world.chatId}/bot`, { member: true });
    expect((await world.client.im.chat.list({ params: {} })).data?.items).toHaveLength(1);
    const dissolved = await call(base, 'POST', `/_emulator/chats/${world.chatId}/dissolve`);
    expect(dissolved.body.status).toBe('dissolved');
  });

  it('streams new and updated messages as Server-Sent Events', async () => {
    world = await startWorld();
    const controller = new AbortController();
    const res = await fetch(`${world.emulator.url}/_emulator/stream`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body?.getReader();
    if (reader === undefined) throw new Error('no body');
    let buffer = '';
    const readUntil = async (needle: string) => {
      while (!buffer.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
      }
    };
    await readUntil('event: ready');
    world.emulator.postAsUser({ chat_id: world.chatId, open_id: world.alice, text: '实时' });
    await readUntil('实时');
    expect(buffer).toMatch(/event: message\ndata: \{.*"实时"/);
    controller.abort();
  });

  it('serves the web page files and a placeholder when the page is missing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'emu-web-'));
    writeFileSync(join(root, 'index.html'), '<h1>chat page</h1>');
    writeFileSync(join(root, 'app.js'), 'console.log(1)');
    extra = createLarkEmulator({ webRoot: root });
    await extra.start();
    const page = await fetch(`${extra.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toBe('<h1>chat page</h1>');
    expect((await fetch(`${extra.url}/app.js`)).headers.get('content-type')).toContain('javascript');
    expect((await fetch(`${extra.url}/..%2F..%2Fetc%2Fpasswd`)).status).toBeGreaterThanOrEqual(403);
    await extra.stop();
    extra = createLarkEmulator({ webRoot: join(root, 'missing') });
    await extra.start();
    expect(await (await fetch(`${extra.url}/`)).text()).toContain('Lark emulator');
  });

  it('keeps chat ids stable across a restart, from names or from a snapshot', async () => {
    world = await startWorld();
    await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'text', content: text('持久') },
    });
    const snapshot = world.emulator.snapshot();
    extra = createLarkEmulator({ initialState: snapshot });
    await extra.start();
    expect(extra.chats().map((c) => c.chat_id)).toEqual([world.chatId]);
    expect(extra.messages(world.chatId)[0]?.content).toEqual({ text: '持久' });
    const fresh = createLarkEmulator();
    expect(fresh.createChat({ name: '市科技局' }).chat_id).toBe(world.chatId);
  });
});

describe('Lark emulator control API extras', () => {
  it('expires tokens, switches rate limits, sets the webhook and pushes raw events', async () => {
    world = await startWorld({ rateLimits: { perAppPerSecond: 1 } });
    const base = world.emulator.url;
    expect((await world.client.im.chat.list({ params: {} })).code).toBe(0);
    expect((await call(base, 'POST', '/_emulator/rate-limits', { enabled: false })).status).toBe(200);
    expect((await world.client.im.chat.list({ params: {} })).code).toBe(0);
    expect((await call(base, 'POST', '/_emulator/tokens/expire')).body).toEqual({ expired: true });
    const stale = await fetch(`${base}/open-apis/im/v1/chats`, {
      headers: { authorization: 'Bearer t-old' },
    });
    expect(stale.status).toBe(400);
    expect(
      (await call(base, 'POST', '/_emulator/webhook', { url: 'http://127.0.0.1:9/none' })).body.url,
    ).toBe('http://127.0.0.1:9/none');
    expect((await call(base, 'GET', '/_emulator/config')).body).toMatchObject({
      bot_name: '督办',
      bot_open_id: world.emulator.botOpenId,
      webhook_url: 'http://127.0.0.1:9/none',
    });
    world.emulator.setWebhookUrl(undefined);
    const pushed = await call(base, 'POST', '/_emulator/events', {
      event_type: 'im.message.receive_v1',
      event: { message: {} },
      duplicates: 2,
    });
    expect(pushed.body.copies).toBe(2);
    const deliveries = await call(base, 'GET', '/_emulator/deliveries');
    expect(deliveries.body.map((d: { state: string }) => d.state)).toEqual(['no_webhook', 'no_webhook']);
    expect((await call(base, 'GET', '/_emulator/%E0%A4%A')).status).toBe(400);
  });
});
