import { afterEach, describe, expect, it } from 'vitest';
import { createLarkChat } from '../../../src/chat/index.js';
import { silentLogger } from '../../../src/logger.js';
import { larkError, startWorld, type World } from './helpers.js';

let world: World;
afterEach(async () => {
  await world?.emulator.stop();
});

describe('the emulator’s group members, as Lark lists them and tells of changes', () => {
  it('lists a group’s people page by page with Lark’s fields, never the bot, and refuses a page_size over 100', async () => {
    world = await startWorld();
    const extra = Array.from({ length: 3 }, (_, i) => world.emulator.addUser({ name: `成员${i}` }).open_id);
    world.emulator.addMembers(world.chatId, extra);
    const first = await world.client.im.chatMembers.get({
      path: { chat_id: world.chatId },
      params: { member_id_type: 'open_id', page_size: 2 },
    });
    expect(first.data).toMatchObject({ has_more: true, member_total: 5 });
    expect(first.data?.items?.[0]).toEqual({
      member_id_type: 'open_id',
      member_id: world.alice,
      name: '张三',
      tenant_key: expect.any(String),
    });
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await world.client.im.chatMembers.get({
        path: { chat_id: world.chatId },
        params: { page_size: 2, ...(token ? { page_token: token } : {}) },
      });
      ids.push(...(page.data?.items ?? []).map((m) => m.member_id!));
      token = page.data?.has_more ? page.data.page_token : undefined;
    } while (token);
    expect(ids).toEqual([world.alice, world.bob, ...extra]);
    expect(ids).not.toContain(world.emulator.botOpenId);

    const tooBig = await larkError(
      world.client.im.chatMembers.get({ path: { chat_id: world.chatId }, params: { page_size: 101 } }),
    );
    expect(tooBig.code).toBe(99992402);
  });

  it('answers 232011 for a group the bot is not in and 232001 for an unknown chat', async () => {
    world = await startWorld();
    world.emulator.setBotMember(world.chatId, false);
    const outside = await larkError(world.client.im.chatMembers.get({ path: { chat_id: world.chatId } }));
    expect(outside.code).toBe(232011);
    const unknown = await larkError(world.client.im.chatMembers.get({ path: { chat_id: 'oc_nowhere' } }));
    expect(unknown.code).toBe(232001);
  });

  it('pushes user.added_v1 and user.deleted_v1 with chat_id and users[].user_id.open_id when people join or leave', async () => {
    world = await startWorld();
    const carol = world.emulator.addUser({ name: '王五' }).open_id;
    world.emulator.addMembers(world.chatId, [carol, world.alice], world.bob);
    world.emulator.removeMembers(world.chatId, [world.alice]);
    const events = world.emulator
      .deliveries()
      .filter((d) => d.event_type.startsWith('im.chat.member.user.'))
      .map((d) => ({ type: d.event_type, event: (d.envelope as { event: Record<string, unknown> }).event }));
    expect(events).toMatchObject([
      {
        type: 'im.chat.member.user.added_v1',
        event: {
          chat_id: world.chatId,
          operator_id: { open_id: world.bob },
          users: [{ name: '王五', user_id: { open_id: carol } }],
        },
      },
      {
        type: 'im.chat.member.user.deleted_v1',
        event: { chat_id: world.chatId, users: [{ user_id: { open_id: world.alice } }] },
      },
    ]);
  });

  it('is read whole by the adapter’s listChatMembers, across pages', async () => {
    world = await startWorld();
    const many = Array.from({ length: 120 }, (_, i) => world.emulator.addUser({ name: `人${i}` }).open_id);
    world.emulator.addMembers(world.chatId, many);
    const chat = createLarkChat({
      appId: world.emulator.appId,
      appSecret: world.emulator.appSecret,
      domain: world.emulator.url,
      logger: silentLogger,
    });
    try {
      const members = await chat.listChatMembers(world.chatId);
      expect(members).toHaveLength(122);
      expect(members[0]).toEqual({ openId: world.alice, name: '张三' });
    } finally {
      await chat.close();
    }
  });
});
