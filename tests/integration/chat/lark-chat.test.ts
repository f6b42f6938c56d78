import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LarkApiError, LarkNetworkError } from '../../../src/chat/errors.js';
import { createLarkChat, type LarkChat, type LarkChatOptions } from '../../../src/chat/index.js';
import {
  createLarkEmulator,
  type LarkEmulator,
  type LarkEmulatorOptions,
} from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/logger.js';

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40 };

interface Setup {
  emu: LarkEmulator;
  chat: LarkChat;
  chatId: string;
  aliceId: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(
  emuOptions: LarkEmulatorOptions = {},
  chatOptions: Partial<LarkChatOptions> = {},
): Promise<Setup> {
  const emu = createLarkEmulator(emuOptions);
  await emu.start();
  cleanups.push(() => emu.stop());
  const alice = emu.addUser({ name: '张三' });
  const group = emu.createChat({ name: '市发改委', members: [alice.open_id] });
  const chat = createLarkChat({
    appId: emu.appId,
    appSecret: emu.appSecret,
    domain: emu.url,
    logger: silentLogger,
    retry: FAST_RETRY,
    ...chatOptions,
  });
  cleanups.push(() => chat.close());
  return { emu, chat, chatId: group.chat_id, aliceId: alice.open_id };
}

const opens = (emu: LarkEmulator, pattern: RegExp) => emu.requestLog().filter((r) => pattern.test(r.path));
const tokenFetches = (emu: LarkEmulator) => opens(emu, /tenant_access_token/).length;

const card = (title: string) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: title }, template: 'blue' },
  body: { elements: [{ tag: 'markdown', content: `**${title}**` }] },
});

async function expectRejection<T extends Error>(
  promise: Promise<unknown>,
  type: new (...a: never[]) => T,
): Promise<T> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

describe('createLarkChat against the emulator: every call', () => {
  it('sends text, post and card messages that Lark stores with the right type and content', async () => {
    const { emu, chat, chatId } = await setup();
    const post = { zh_cn: { title: '通知', content: [[{ tag: 'text', text: '请按期报送' }]] } };
    const a = await chat.send({ chatId, message: { kind: 'text', text: '你好\n第二行' } });
    const b = await chat.send({ chatId, message: { kind: 'post', post } });
    const c = await chat.send({ chatId, message: { kind: 'card', card: card('督办') } });
    const stored = emu.messages(chatId);
    expect(stored.map((m) => [m.message_id, m.msg_type])).toEqual([
      [a.messageId, 'text'],
      [b.messageId, 'post'],
      [c.messageId, 'interactive'],
    ]);
    expect(stored[0]?.content).toEqual({ text: '你好\n第二行' });
    expect(stored[2]?.content).toMatchObject({ schema: '2.0', header: { template: 'blue' } });
    expect(stored[0]?.sender.type).toBe('app');
  });

  it('replies to a message, in its thread when asked', async () => {
    const { emu, chat, chatId, aliceId } = await setup();
    const { message } = emu.postAsUser({ chat_id: chatId, open_id: aliceId, text: '进展如何？' });
    const plain = await chat.reply({
      messageId: message.message_id,
      message: { kind: 'text', text: '已收到' },
    });
    const threaded = await chat.reply({
      messageId: message.message_id,
      message: { kind: 'text', text: '线程内回复' },
      inThread: true,
      chatId,
    });
    expect(emu.message(plain.messageId)).toMatchObject({
      parent_id: message.message_id,
      root_id: message.message_id,
    });
    expect(emu.message(threaded.messageId)?.parent_id).toBe(message.message_id);
    expect(emu.message(threaded.messageId)?.thread_id).toBeTruthy();
  });

  it('updates a sent card with PATCH, not PUT', async () => {
    const { emu, chat, chatId } = await setup();
    const sent = await chat.send({ chatId, message: { kind: 'card', card: card('v1') } });
    await chat.updateCard({ messageId: sent.messageId, card: card('v2') });
    expect(emu.message(sent.messageId)?.content).toMatchObject({ header: { title: { content: 'v2' } } });
    expect(emu.message(sent.messageId)?.updated).toBe(true);
    const calls = emu.requestLog().filter((r) => r.path === `/open-apis/im/v1/messages/${sent.messageId}`);
    expect(calls.map((r) => r.method)).toEqual(['PATCH']);
  });

  it('uploads a file and sends it as a file message', async () => {
    const { emu, chat, chatId } = await setup();
    const data = Buffer.from('PK\u0003\u0004 fake xlsx bytes');
    const uploaded = await chat.uploadFile({ fileName: '台账.xlsx', fileType: 'xls', data });
    expect(emu.file(uploaded.fileKey)?.data.equals(data)).toBe(true);
    const sent = await chat.sendFile({
      chatId,
      fileName: '导出.xlsx',
      fileType: 'xls',
      data,
      idempotencyKey: 'export-1',
    });
    expect(emu.message(sent.messageId)).toMatchObject({
      msg_type: 'file',
      content: { file_key: sent.fileKey },
    });
    expect(emu.file(sent.fileKey)?.name).toBe('导出.xlsx');
  });

  it('reads the file a message carries and downloads its bytes, refusing a key the message does not carry', async () => {
    const { emu, chat, chatId } = await setup();
    const data = Buffer.from('关于加强测试工作的决定\n');
    const sent = await chat.sendFile({ chatId, fileName: '决定.txt', fileType: 'stream', data });
    expect(await chat.messageFile(sent.messageId)).toEqual({
      kind: 'file',
      key: sent.fileKey,
      name: '决定.txt',
    });
    const bytes = await chat.downloadFile({ messageId: sent.messageId, fileKey: sent.fileKey });
    expect(bytes.equals(data)).toBe(true);
    const calls = opens(emu, /\/resources\//u);
    expect(calls.map((r) => r.method)).toEqual(['GET']);

    const text = await chat.send({ chatId, message: { kind: 'text', text: '不是文件' } });
    expect(await chat.messageFile(text.messageId)).toBeNull();
    const refused = await expectRejection(
      chat.downloadFile({ messageId: text.messageId, fileKey: sent.fileKey }),
      LarkApiError,
    );
    expect(refused).toMatchObject({ larkCode: 234001, httpStatus: 400 });
  });

  it('lists every chat the bot is in across pages', async () => {
    const { emu, chat } = await setup();
    for (let i = 0; i < 130; i += 1) emu.createChat({ name: `group-${i}` });
    emu.createChat({ name: 'without-bot', bot: false });
    const dissolved = emu.createChat({ name: 'dissolved-group' });
    emu.dissolveChat(dissolved.chat_id);
    const chats = await chat.listChats();
    expect(chats).toHaveLength(132);
    expect(new Set(chats.map((c) => c.chatId)).size).toBe(132);
    expect(chats.find((c) => c.chatId === dissolved.chat_id)?.status).toBe('dissolved');
    expect(chats.some((c) => c.name === 'without-bot')).toBe(false);
    expect(opens(emu, /\/im\/v1\/chats$/).length).toBe(2);
  });

  it("looks up a user's name, and says null when Lark will not tell", async () => {
    const { chat, aliceId } = await setup();
    expect(await chat.userName(aliceId)).toBe('张三');
    expect(await chat.userName('ou_not_in_contact_range')).toBeNull();
  });

  it('learns its own identity, so it can recognise its own @-mention', async () => {
    const { chat, emu } = await setup();
    expect(await chat.botInfo()).toEqual({ openId: emu.botOpenId, name: emu.botName });
  });
});

describe('createLarkChat: idempotency', () => {
  it('sends one message for one idempotency key, even when asked twice', async () => {
    const { emu, chat, chatId } = await setup();
    const first = await chat.send({
      chatId,
      message: { kind: 'text', text: 'a' },
      idempotencyKey: 'prompt-7-A01',
    });
    const second = await chat.send({
      chatId,
      message: { kind: 'text', text: 'a' },
      idempotencyKey: 'prompt-7-A01',
    });
    expect(second.messageId).toBe(first.messageId);
    expect(emu.messages(chatId)).toHaveLength(1);
  });

  it('hashes keys longer than 50 characters the same way every time', async () => {
    const { emu, chat, chatId } = await setup();
    const key = `reminder:${'很长的键'.repeat(20)}`;
    const first = await chat.send({ chatId, message: { kind: 'text', text: 'a' }, idempotencyKey: key });
    const second = await chat.send({ chatId, message: { kind: 'text', text: 'a' }, idempotencyKey: key });
    expect(second.messageId).toBe(first.messageId);
    expect(emu.messages(chatId)).toHaveLength(1);
  });

  it('never duplicates a message when the answer is lost and the send is retried', async () => {
    const { emu, chat, chatId, aliceId } = await setup();
    emu.injectFault({ kind: 'drop_after_store', path: '^/open-apis/im/v1/messages$', count: 2 });
    const sent = await chat.send({ chatId, message: { kind: 'text', text: '只发一次' } });
    emu.injectFault({ kind: 'drop_after_store', path: '/reply$', count: 1 });
    const { message } = emu.postAsUser({ chat_id: chatId, open_id: aliceId, text: 'q' });
    const reply = await chat.reply({ messageId: message.message_id, message: { kind: 'text', text: 'r' } });
    const mine = emu.messages(chatId).filter((m) => m.sender.type === 'app');
    expect(mine.map((m) => m.message_id)).toEqual([sent.messageId, reply.messageId]);
    expect(opens(emu, /^\/open-apis\/im\/v1\/messages$/).length).toBe(3);
  });
});

describe('createLarkChat: failures it recovers from', () => {
  it('retries 5xx answers and succeeds', async () => {
    const { emu, chat, chatId } = await setup();
    emu.injectFault({ kind: 'server_error', status: 503, path: '^/open-apis/im/v1/messages$', count: 3 });
    await chat.send({ chatId, message: { kind: 'text', text: 'x' } });
    expect(opens(emu, /^\/open-apis\/im\/v1\/messages$/).map((r) => r.status)).toEqual([503, 503, 503, 200]);
  });

  it('retries a dropped connection and succeeds', async () => {
    const { emu, chat, chatId } = await setup();
    emu.injectFault({ kind: 'drop', path: '^/open-apis/im/v1/messages$', count: 2 });
    await chat.send({ chatId, message: { kind: 'text', text: 'x' } });
    expect(emu.messages(chatId)).toHaveLength(1);
  });

  it('gives up after a bounded number of 5xx retries with a LarkApiError', async () => {
    const { emu, chat, chatId } = await setup({}, { retry: { ...FAST_RETRY, maxRetries: 2 } });
    emu.injectFault({ kind: 'server_error', status: 500, path: '^/open-apis/im/v1/messages$', count: 10 });
    const error = await expectRejection(
      chat.send({ chatId, message: { kind: 'text', text: 'x' } }),
      LarkApiError,
    );
    expect(error.httpStatus).toBe(500);
    expect(opens(emu, /^\/open-apis\/im\/v1\/messages$/).length).toBe(3);
  });

  it('treats a request that times out as a network failure and retries it', async () => {
    const { emu, chat, chatId } = await setup({}, { requestTimeoutMs: 150 });
    emu.injectFault({ kind: 'latency', latencyMs: 400, path: '/im/v1/chats$', count: 1 });
    expect(await chat.listChats()).toHaveLength(1);
    expect(chatId).toBeTruthy();
  });

  it('reports an unreachable Lark as a LarkNetworkError after its retries', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const chat = createLarkChat({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 's',
      domain: `http://127.0.0.1:${port}`,
      logger: silentLogger,
      retry: { ...FAST_RETRY, maxRetries: 1 },
    });
    cleanups.push(() => chat.close());
    const error = await expectRejection(
      chat.send({ chatId: 'oc_x', message: { kind: 'text', text: 'x' } }),
      LarkNetworkError,
    );
    expect(error.code).toBe('lark.network_error');
    expect(error.reason).toBe('ECONNREFUSED');
    expect(error.duringTokenFetch).toBe(true);
  });

  it('drops a rejected token, fetches a new one once and succeeds', async () => {
    const { emu, chat, chatId } = await setup();
    await chat.send({ chatId, message: { kind: 'text', text: 'first' } });
    expect(tokenFetches(emu)).toBe(1);
    emu.expireTokens();
    await chat.send({ chatId, message: { kind: 'text', text: 'second' } });
    expect(tokenFetches(emu)).toBe(2);
    const sends = opens(emu, /^\/open-apis\/im\/v1\/messages$/).map((r) => r.status);
    expect(sends).toEqual([200, 400, 200]);
  });

  it('refetches the token once for many calls rejected together', async () => {
    const { emu, chat, chatId } = await setup();
    await chat.listChats();
    emu.expireTokens();
    const others = ['b', 'c', 'd'].map((name) => emu.createChat({ name }).chat_id);
    await Promise.all(
      [chatId, ...others].map((id) => chat.send({ chatId: id, message: { kind: 'text', text: 'x' } })),
    );
    // One fetch at the start and one shared refetch, not one per rejected call.
    expect(tokenFetches(emu)).toBe(2);
    expect(emu.messages(chatId)).toHaveLength(1);
  });

  it('refetches only once: a token rejected again is an error with a hint', async () => {
    const { emu, chat, chatId } = await setup();
    emu.injectFault({ kind: 'token_expiry', path: '^/open-apis/im/v1/messages$', count: 5 });
    const error = await expectRejection(
      chat.send({ chatId, message: { kind: 'text', text: 'x' } }),
      LarkApiError,
    );
    expect(error.larkCode).toBe(99991663);
    expect(error.hint).toMatch(/credentials/);
    expect(tokenFetches(emu)).toBe(2);
  });
});

describe('createLarkChat: rate limits', () => {
  it('waits the x-ogw-ratelimit-reset seconds after a 429 and then succeeds', async () => {
    const { emu, chat, chatId } = await setup();
    emu.injectFault({ kind: 'rate_limit', resetSeconds: 1, path: '^/open-apis/im/v1/messages$', count: 1 });
    const started = performance.now();
    await chat.send({ chatId, message: { kind: 'text', text: 'x' } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(opens(emu, /^\/open-apis\/im\/v1\/messages$/).map((r) => r.status)).toEqual([429, 200]);
  });

  it('stays under the per-chat limit, so Lark never refuses a burst into one chat', async () => {
    const { emu, chat, chatId } = await setup();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => chat.send({ chatId, message: { kind: 'text', text: `#${i}` } })),
    );
    const statuses = opens(emu, /^\/open-apis\/im\/v1\/messages$/).map((r) => r.status);
    expect(statuses).toHaveLength(12);
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('stays under the per-card update limit', async () => {
    const { emu, chat, chatId } = await setup();
    const sent = await chat.send({ chatId, message: { kind: 'card', card: card('v0') } });
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        chat.updateCard({ messageId: sent.messageId, card: card(`v${i + 1}`) }),
      ),
    );
    const patches = emu.requestLog().filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(8);
    expect(patches.every((r) => r.status === 200)).toBe(true);
  });

  it('fans out to many chats near the app limit without being refused', async () => {
    const limits = {
      perAppPerSecond: 20,
      perAppPerMinute: 1000,
      perChatPerSecond: 5,
      perMessageUpdatePerSecond: 5,
    };
    const { emu, chat } = await setup(
      { rateLimits: limits },
      { limits: { appPerSecond: 20, appPerMinute: 1000 } },
    );
    const chatIds = Array.from({ length: 50 }, (_, i) => emu.createChat({ name: `fan-${i}` }).chat_id);
    const started = performance.now();
    await Promise.all(
      chatIds.map((id) => chat.send({ chatId: id, message: { kind: 'card', card: card(id) } })),
    );
    const elapsed = performance.now() - started;
    const statuses = opens(emu, /^\/open-apis\/im\/v1\/messages$/).map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // 50 at 20/s needs at least two more windows after the first 20: the limiter held them back.
    // (How close to the limit it runs is measured by the fanout benchmark, not asserted here.)
    expect(elapsed).toBeGreaterThanOrEqual(2000);
  });

  it('recovers when another client eats the chat quota and Lark answers 230020', async () => {
    const { emu, chat, chatId } = await setup({}, { limits: { chatPerSecond: 50 } });
    await Promise.all(
      Array.from({ length: 7 }, (_, i) => chat.send({ chatId, message: { kind: 'text', text: `#${i}` } })),
    );
    expect(emu.messages(chatId)).toHaveLength(7);
    const statuses = opens(emu, /^\/open-apis\/im\/v1\/messages$/).map((r) => r.status);
    expect(statuses.filter((s) => s === 400).length).toBeGreaterThan(0);
  });
});

describe('createLarkChat: Lark refusals become typed errors with hints', () => {
  it('says to add the bot when it is not in the chat (230002)', async () => {
    const { emu, chat } = await setup();
    const outside = emu.createChat({ name: '未加机器人', bot: false });
    const error = await expectRejection(
      chat.send({ chatId: outside.chat_id, message: { kind: 'text', text: 'x' } }),
      LarkApiError,
    );
    expect(error).toMatchObject({ code: 'lark.api_error', larkCode: 230002, httpStatus: 400 });
    expect(error.hint).toMatch(/add the bot to the group/);
    expect(error.logId).toBeTruthy();
    // A business refusal is not retried.
    expect(opens(emu, /^\/open-apis\/im\/v1\/messages$/).length).toBe(1);
  });

  it('says the group was dissolved (232009)', async () => {
    const { emu, chat, chatId } = await setup();
    emu.dissolveChat(chatId);
    const error = await expectRejection(
      chat.send({ chatId, message: { kind: 'text', text: 'x' } }),
      LarkApiError,
    );
    expect(error.larkCode).toBe(232009);
    expect(error.hint).toMatch(/dissolved/);
  });

  it('says the content is too long (230025)', async () => {
    const { chat, chatId } = await setup();
    const error = await expectRejection(
      chat.send({ chatId, message: { kind: 'text', text: '长'.repeat(60_000) } }),
      LarkApiError,
    );
    expect(error.larkCode).toBe(230025);
    expect(error.hint).toMatch(/150 KB/);
  });

  it('says the card could not be built (230099)', async () => {
    const { chat, chatId } = await setup();
    const bad = { schema: '2.0', body: { elements: [{ tag: 'action', actions: [] }] } };
    const error = await expectRejection(
      chat.send({ chatId, message: { kind: 'card', card: bad } }),
      LarkApiError,
    );
    expect(error.larkCode).toBe(230099);
    expect(error.hint).toMatch(/card/);
  });

  it('says the app credentials are wrong when the token fetch is refused', async () => {
    const emu = createLarkEmulator({});
    await emu.start();
    cleanups.push(() => emu.stop());
    const chat = createLarkChat({
      appId: emu.appId,
      appSecret: 'wrong-secret',
      domain: emu.url,
      logger: silentLogger,
      retry: FAST_RETRY,
    });
    cleanups.push(() => chat.close());
    const error = await expectRejection(chat.listChats(), LarkApiError);
    expect(error.larkCode).toBe(10014);
    expect(error.duringTokenFetch).toBe(true);
    expect(error.hint).toMatch(/LARK_APP_ID and LARK_APP_SECRET/);
    expect(tokenFetches(emu)).toBe(1);
  });
});

/** For answers the emulator does not produce: a tiny stand-in Lark answering from a script. */
async function scriptedLark(
  answer: (path: string) => { status: number; body: unknown; headers?: Record<string, string> },
): Promise<{ url: string; server: Server; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      paths.push(path);
      const a = path.includes('tenant_access_token')
        ? { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: 't-scripted', expire: 7200 } }
        : answer(path);
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...(a.headers ?? {}) });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, paths };
}

describe('createLarkChat: refusals only a real tenant produces', () => {
  const chatFor = (url: string) => {
    const chat = createLarkChat({
      appId: 'cli_a1b2c3d4e5f60718',
      appSecret: 's',
      domain: url,
      logger: silentLogger,
      retry: FAST_RETRY,
    });
    cleanups.push(() => chat.close());
    return chat;
  };

  it.each([
    [
      99991672,
      'Access denied. One of the following scopes is required: [im:message]',
      /Permissions & Scopes/,
    ],
    [230027, 'Lack of necessary permissions', /Permissions & Scopes/],
  ])('maps a missing scope (%i) to a hint', async (code, msg, hint) => {
    const lark = await scriptedLark(() => ({ status: 400, body: { code, msg, error: { log_id: 'L1' } } }));
    const error = await expectRejection(
      chatFor(lark.url).send({ chatId: 'oc_x', message: { kind: 'text', text: 'x' } }),
      LarkApiError,
    );
    expect(error).toMatchObject({ larkCode: code, msg, logId: 'L1' });
    expect(error.hint).toMatch(hint);
  });

  it('treats an HTTP 200 answer with a non-zero code as a refusal', async () => {
    const lark = await scriptedLark(() => ({ status: 200, body: { code: 230002, msg: 'Bot not in chat' } }));
    const error = await expectRejection(
      chatFor(lark.url).send({ chatId: 'oc_x', message: { kind: 'text', text: 'x' } }),
      LarkApiError,
    );
    expect(error).toMatchObject({ larkCode: 230002, httpStatus: 200 });
  });

  it('backs off and retries the system-wide message limit (11232), which sends no reset header', async () => {
    let calls = 0;
    const lark = await scriptedLark(() => {
      calls += 1;
      return calls <= 2
        ? { status: 400, body: { code: 11232, msg: 'create message service trigger rate limit' } }
        : { status: 200, body: { code: 0, msg: 'ok', data: { message_id: 'om_ok' } } };
    });
    const sent = await chatFor(lark.url).send({ chatId: 'oc_x', message: { kind: 'text', text: 'x' } });
    expect(sent.messageId).toBe('om_ok');
    expect(calls).toBe(3);
  });

  it('reads the file key out of an upload answer and reports a refusal with its code', async () => {
    const lark = await scriptedLark(() => ({
      status: 200,
      body: { code: 234010, msg: 'file size exceed the max value' },
    }));
    const error = await expectRejection(
      chatFor(lark.url).uploadFile({ fileName: 'a.xlsx', fileType: 'xls', data: Buffer.from('x') }),
      LarkApiError,
    );
    expect(error.larkCode).toBe(234010);
  });
});
