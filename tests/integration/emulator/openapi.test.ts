import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { card2, larkError, sdkClient, startWorld, text, type World } from './helpers.js';

let world: World;
afterEach(async () => {
  await world?.emulator.stop();
});

describe('Lark emulator Open API driven by the real SDK', () => {
  it('issues a tenant token with expire at the top level and reuses it while 30 minutes remain', async () => {
    world = await startWorld();
    const res = await fetch(`${world.emulator.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: world.emulator.appId, app_secret: world.emulator.appSecret }),
    });
    const body = (await res.json()) as { code: number; tenant_access_token: string; expire: number };
    expect(res.status).toBe(200);
    expect(body.code).toBe(0);
    expect(body.tenant_access_token).toMatch(/^t-/);
    expect(body.expire).toBeGreaterThanOrEqual(180);
    const again = (await (
      await fetch(`${world.emulator.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        body: JSON.stringify({ app_id: world.emulator.appId, app_secret: world.emulator.appSecret }),
      })
    ).json()) as { tenant_access_token: string };
    expect(again.tenant_access_token).toBe(body.tenant_access_token);
  });

  it('refuses a wrong app secret with 10014 and an unknown app id with 10003', async () => {
    world = await startWorld();
    const bad = sdkClient(world.emulator, { appSecret: 'wrong' });
    const error = await larkError(bad.im.chat.list({ params: { page_size: 10 } }));
    expect(error).toMatchObject({ status: 400, code: 10014 });
    const res = await fetch(`${world.emulator.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      body: JSON.stringify({ app_id: 'cli_nobody', app_secret: 'x' }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { code: number }).code).toBe(10003);
  });

  it('sends a text message to a chat and shows it with the app as sender', async () => {
    world = await startWorld();
    const res = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: world.chatId,
        msg_type: 'text',
        content: text(`你好 <at user_id="${world.alice}"></at>`),
      },
    });
    expect(res.code).toBe(0);
    expect(res.data?.message_id).toMatch(/^om_/);
    expect(res.data?.chat_id).toBe(world.chatId);
    expect(res.data?.sender?.sender_type).toBe('app');
    const [message] = world.emulator.messages(world.chatId);
    expect(message).toMatchObject({
      message_id: res.data?.message_id,
      msg_type: 'text',
      sender: { type: 'app', open_id: world.emulator.botOpenId, name: '督办' },
      content: { text: '你好 @_user_1' },
      mentions: [{ key: '@_user_1', open_id: world.alice, name: '张三' }],
    });
  });

  it('sends post and card messages and refuses unknown message types', async () => {
    world = await startWorld();
    const post = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: world.chatId,
        msg_type: 'post',
        content: JSON.stringify({ zh_cn: { title: '周报', content: [[{ tag: 'text', text: '内容' }]] } }),
      },
    });
    expect(post.code).toBe(0);
    const card = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'interactive', content: JSON.stringify(card2('任务')) },
    });
    expect(card.code).toBe(0);
    expect(world.emulator.messages(world.chatId).map((m) => m.msg_type)).toEqual(['post', 'interactive']);
    const error = await larkError(
      world.client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: world.chatId, msg_type: 'audio', content: '{}' },
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 230001 });
  });

  it('returns the same message for the same uuid and posts it only once', async () => {
    world = await startWorld();
    const send = () =>
      world.client.im.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: world.chatId, msg_type: 'text', content: text('提醒'), uuid: 'reminder-42-2024' },
      });
    const first = await send();
    const second = await send();
    expect(second.data?.message_id).toBe(first.data?.message_id);
    expect(world.emulator.messages(world.chatId)).toHaveLength(1);
  });

  it('replies in a thread, keeping root and parent ids', async () => {
    world = await startWorld();
    const root = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'text', content: text('root') },
    });
    const rootId = root.data?.message_id ?? '';
    const reply = await world.client.im.message.reply({
      path: { message_id: rootId },
      data: { msg_type: 'text', content: text('reply'), reply_in_thread: true },
    });
    expect(reply.data).toMatchObject({ parent_id: rootId, root_id: rootId, chat_id: world.chatId });
    expect(reply.data?.thread_id).toMatch(/^omt_/);
    const replyId = reply.data?.message_id ?? '';
    const nested = await world.client.im.message.reply({
      path: { message_id: replyId },
      data: { msg_type: 'text', content: text('nested') },
    });
    expect(nested.data).toMatchObject({
      parent_id: replyId,
      root_id: rootId,
      thread_id: reply.data?.thread_id,
    });
    const error = await larkError(
      world.client.im.message.reply({
        path: { message_id: 'om_missing' },
        data: { msg_type: 'text', content: text('x') },
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 230001 });
  });

  it('patches a shared card sent by the bot and refuses text messages and user messages', async () => {
    world = await startWorld();
    const sent = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'interactive', content: JSON.stringify(card2('v1')) },
    });
    const id = sent.data?.message_id ?? '';
    const patched = await world.client.im.message.patch({
      path: { message_id: id },
      data: { content: JSON.stringify(card2('v2')) },
    });
    expect(patched.code).toBe(0);
    expect(world.emulator.message(id)).toMatchObject({
      updated: true,
      content: { header: { title: { content: 'v2' } } },
    });

    const plain = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'text', content: text('t') },
    });
    expect(
      await larkError(
        world.client.im.message.patch({
          path: { message_id: plain.data?.message_id ?? '' },
          data: { content: JSON.stringify(card2('x')) },
        }),
      ),
    ).toMatchObject({ status: 400, code: 230054 });

    const legacy = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: world.chatId,
        msg_type: 'interactive',
        content: JSON.stringify({ elements: [{ tag: 'div', text: { tag: 'plain_text', content: 'x' } }] }),
      },
    });
    expect(
      await larkError(
        world.client.im.message.patch({
          path: { message_id: legacy.data?.message_id ?? '' },
          data: { content: JSON.stringify(card2('x')) },
        }),
      ),
    ).toMatchObject({ status: 400, code: 230099 });

    const { message } = world.emulator.postAsUser({
      chat_id: world.chatId,
      open_id: world.alice,
      text: 'hi',
    });
    expect(
      await larkError(
        world.client.im.message.patch({
          path: { message_id: message.message_id },
          data: { content: JSON.stringify(card2('x')) },
        }),
      ),
    ).toMatchObject({ status: 400 });
  });

  it('uploads a file and an image, keeps the bytes, and sends the file as a message', async () => {
    world = await startWorld();
    const bytes = Buffer.from('PK\u0003\u0004 fake xlsx bytes 台账');
    const uploaded = await world.client.im.file.create({
      data: { file_type: 'xls', file_name: '台账.xlsx', file: bytes },
    });
    expect(uploaded?.file_key).toMatch(/^file_v3_/);
    const image = await world.client.im.image.create({
      data: { image_type: 'message', image: Buffer.from('png') },
    });
    expect(image?.image_key).toMatch(/^img_v3_/);
    const sent = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: {
        receive_id: world.chatId,
        msg_type: 'file',
        content: JSON.stringify({ file_key: uploaded?.file_key }),
      },
    });
    expect(sent.code).toBe(0);
    const [message] = world.emulator.messages(world.chatId);
    expect(message?.file).toMatchObject({ name: '台账.xlsx', size: bytes.length });
    const res = await fetch(`${world.emulator.url}${message?.file?.url}`);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(
      await larkError(
        world.client.im.message.create({
          params: { receive_id_type: 'chat_id' },
          data: {
            receive_id: world.chatId,
            msg_type: 'file',
            content: JSON.stringify({ file_key: 'file_v3_nope' }),
          },
        }),
      ),
    ).toMatchObject({ status: 400, code: 230001 });
  });

  it('lists the chats the bot is in, page by page', async () => {
    world = await startWorld();
    for (let i = 0; i < 4; i += 1) world.emulator.createChat({ name: `局 ${i}`, members: [world.alice] });
    world.emulator.createChat({ name: '无机器人', members: [world.alice], bot: false });
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await world.client.im.chat.list({
        params: { page_size: 2, ...(pageToken === undefined ? {} : { page_token: pageToken }) },
      });
      pages += 1;
      for (const item of res.data?.items ?? []) seen.push(item.name ?? '');
      pageToken = res.data?.has_more ? res.data.page_token : undefined;
    } while (pageToken !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(['市科技局', '局 0', '局 1', '局 2', '局 3']);
  });

  it('looks up a user by open_id and refuses an unknown one', async () => {
    world = await startWorld();
    const res = await world.client.contact.user.get({
      path: { user_id: world.alice },
      params: { user_id_type: 'open_id' },
    });
    expect(res.data?.user?.name).toBe('张三');
    const error = await larkError(
      world.client.contact.user.get({ path: { user_id: 'ou_nobody' }, params: { user_id_type: 'open_id' } }),
    );
    expect(error.status).toBe(400);
  });

  it('sends a direct message by open_id into the p2p chat', async () => {
    world = await startWorld();
    const res = await world.client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: world.alice, msg_type: 'text', content: text('私聊') },
    });
    const chat = world.emulator.chat(res.data?.chat_id ?? '');
    expect(chat).toMatchObject({ chat_type: 'p2p', members: [{ open_id: world.alice }] });
  });
});

describe('Lark emulator rejections', () => {
  const send = (w: World, chatId: string, msgType: string, content: string) =>
    w.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: chatId, msg_type: msgType, content },
    });

  it('answers 230002 when the bot is not in the chat', async () => {
    world = await startWorld();
    world.emulator.setBotMember(world.chatId, false);
    expect(await larkError(send(world, world.chatId, 'text', text('x')))).toMatchObject({
      status: 400,
      code: 230002,
    });
  });

  it('answers 232009 for a dissolved chat', async () => {
    world = await startWorld();
    world.emulator.dissolveChat(world.chatId);
    expect(await larkError(send(world, world.chatId, 'text', text('x')))).toMatchObject({
      status: 400,
      code: 232009,
    });
  });

  it('answers 230034 for a receive_id that does not exist', async () => {
    world = await startWorld();
    expect(await larkError(send(world, 'oc_doesnotexist', 'text', text('x')))).toMatchObject({
      status: 400,
      code: 230034,
    });
  });

  it('answers 230099 with sub-code 200621 for malformed card JSON', async () => {
    world = await startWorld();
    const error = await larkError(send(world, world.chatId, 'interactive', '{"schema":"2.0", body: nope'));
    expect(error).toMatchObject({ status: 400, code: 230099 });
    expect(error.msg).toContain('200621');
  });

  it('answers 230025 for a card over 30 KB and a text over 150 KB, but accepts a 100 KB text', async () => {
    world = await startWorld();
    const big = card2('big', [{ tag: 'markdown', content: 'x'.repeat(31 * 1024) }]);
    expect(await larkError(send(world, world.chatId, 'interactive', JSON.stringify(big)))).toMatchObject({
      code: 230025,
    });
    expect(await larkError(send(world, world.chatId, 'text', text('字'.repeat(52 * 1024))))).toMatchObject({
      code: 230025,
    });
    expect((await send(world, world.chatId, 'text', text('x'.repeat(100 * 1024)))).code).toBe(0);
  });

  it('answers 230099 for a card with more than 200 elements', async () => {
    world = await startWorld();
    const many = card2(
      'many',
      Array.from({ length: 200 }, (_, i) => ({ tag: 'markdown', content: String(i) })),
    );
    const error = await larkError(send(world, world.chatId, 'interactive', JSON.stringify(many)));
    expect(error).toMatchObject({ status: 400, code: 230099 });
  });

  it('answers 99991661 without a token and 99991663 with a bad one', async () => {
    world = await startWorld();
    const url = `${world.emulator.url}/open-apis/im/v1/chats`;
    const missing = await fetch(url);
    expect(((await missing.json()) as { code: number }).code).toBe(99991661);
    const invalid = await fetch(url, { headers: { authorization: 'Bearer t-forged' } });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { code: number }).code).toBe(99991663);
  });

  it('makes every issued token invalid after expireTokens, until the client fetches a new one', async () => {
    world = await startWorld();
    const cache = new lark.DefaultCache();
    const client = new lark.Client({
      appId: world.emulator.appId,
      appSecret: world.emulator.appSecret,
      domain: world.emulator.url,
      cache,
      loggerLevel: lark.LoggerLevel.error,
      logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} },
    });
    expect((await client.im.chat.list({ params: {} })).code).toBe(0);
    world.emulator.expireTokens();
    expect(await larkError(client.im.chat.list({ params: {} }))).toMatchObject({ code: 99991663 });
    const fresh = sdkClient(world.emulator);
    expect((await fresh.im.chat.list({ params: {} })).code).toBe(0);
  });
});
