import { describe, expect, it } from 'vitest';
import { normalizeEvent, toLarkCardResponse } from '../../../src/chat/intake/normalize.js';
import { silentLogger } from '../../../src/logger.js';
import {
  BOT_OPEN_ID,
  botAddedEnvelope,
  cardActionEnvelope,
  messageEnvelope,
} from '../../integration/chat/lark-events.js';

const opts = { botOpenId: BOT_OPEN_ID, logger: silentLogger };
const fromEnvelope = (env: { header: { event_type: string; event_id: string }; event: unknown }) =>
  normalizeEvent({ eventType: env.header.event_type, eventId: env.header.event_id, event: env.event }, opts);

describe('normalizeEvent: messages', () => {
  it('removes the bot mention, resolves the others to @Name and keeps ids unchanged', () => {
    const env = messageEnvelope({
      text: '@_user_1 /progress 3.2 @_user_2 已完成',
      mentions: [
        { key: '@_user_1', openId: BOT_OPEN_ID, name: '督办助手' },
        { key: '@_user_2', openId: 'ou_bob', name: '王科长' },
      ],
      eventId: 'ev_fixed_1',
      messageId: 'om_fixed_1',
      parentId: 'om_parent',
      rootId: 'om_root',
    });
    const event = fromEnvelope(env);
    expect(event).toEqual({
      type: 'message',
      eventId: 'ev_fixed_1',
      messageId: 'om_fixed_1',
      chatId: 'oc_agency_1',
      chatType: 'group',
      senderOpenId: 'ou_alice',
      text: '/progress 3.2 @王科长 已完成',
      mentions: [{ key: '@_user_2', openId: 'ou_bob', name: '王科长' }],
      mentionsBot: true,
      parentId: 'om_parent',
      rootId: 'om_root',
      createdAt: new Date(1717200000123),
      messageType: 'text',
    });
  });

  it('reads a create_time that is not epoch digits, or beyond what a date holds, as unknown (found by the fuzzer)', () => {
    for (const createTime of ['99999999999999999999', '1e400', '-1', '0x10', '']) {
      const env = messageEnvelope({ text: 'hi' });
      const event = fromEnvelope({
        ...env,
        event: { ...env.event, message: { ...env.event.message, create_time: createTime } },
      });
      expect(event?.type === 'message' ? event.createdAt.getTime() : null, createTime).toBe(0);
    }
  });

  it('does not confuse @_user_1 with @_user_10', () => {
    const mentions = Array.from({ length: 10 }, (_, i) => ({
      key: `@_user_${i + 1}`,
      openId: `ou_${i + 1}`,
      name: `U${i + 1}`,
    }));
    const event = fromEnvelope(messageEnvelope({ text: '@_user_10 and @_user_1', mentions }));
    expect(event?.type === 'message' && event.text).toBe('@U10 and @U1');
  });

  it('says a message does not mention the bot when it does not', () => {
    const event = fromEnvelope(messageEnvelope({ text: 'hi all' }));
    expect(event?.type === 'message' && event.mentionsBot).toBe(false);
  });

  it('recognises the bot by mentioned_type when its open_id is not configured', () => {
    const env = messageEnvelope({
      text: '@_user_1 /help',
      mentions: [{ key: '@_user_1', openId: 'ou_some_bot', name: 'Duban', mentionedType: 'bot' }],
    });
    const event = normalizeEvent(
      { eventType: env.header.event_type, eventId: env.header.event_id, event: env.event },
      { logger: silentLogger },
    );
    expect(event).toMatchObject({ text: '/help', mentionsBot: true, mentions: [] });
  });

  it('flattens a post into its title and paragraphs, with mentions resolved', () => {
    const content = JSON.stringify({
      title: '周报',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: '督办助手' },
          { tag: 'text', text: ' 第一条 ' },
          { tag: 'a', text: '链接', href: 'https://example.com' },
        ],
        [{ tag: 'text', text: '第二段' }],
      ],
    });
    const event = fromEnvelope(
      messageEnvelope({
        messageType: 'post',
        content,
        mentions: [{ key: '@_user_1', openId: BOT_OPEN_ID, name: '督办助手' }],
      }),
    );
    expect(event).toMatchObject({
      text: '周报\n第一条 链接\n第二段',
      mentionsBot: true,
      messageType: 'post',
    });
  });

  it('keeps non-text messages with an empty text', () => {
    const event = fromEnvelope(
      messageEnvelope({
        messageType: 'image',
        content: JSON.stringify({ image_key: 'img_v2_x' }),
        chatType: 'p2p',
      }),
    );
    expect(event).toMatchObject({ type: 'message', text: '', chatType: 'p2p', messageType: 'image' });
  });

  it("ignores the bot's own messages", () => {
    expect(fromEnvelope(messageEnvelope({ text: 'I said this', senderType: 'app' }))).toBeNull();
  });

  it('drops hostile shapes instead of throwing: bad content JSON, missing ids, wrong types', () => {
    expect(fromEnvelope(messageEnvelope({ content: '{not json' }))).toBeNull();
    const env = messageEnvelope({ text: 'x' });
    expect(
      fromEnvelope({ ...env, event: { ...env.event, message: { ...env.event.message, chat_id: 42 } } }),
    ).toBeNull();
    expect(fromEnvelope({ ...env, event: null })).toBeNull();
    expect(
      normalizeEvent({ eventType: 'im.message.receive_v1', eventId: undefined, event: env.event }, opts),
    ).toBeNull();
    expect(
      normalizeEvent({ eventType: 'contact.user.created_v3', eventId: 'ev', event: {} }, opts),
    ).toBeNull();
  });
});

describe('normalizeEvent: card actions and bot added', () => {
  it('normalizes a button click with its value, form values and card token', () => {
    const env = cardActionEnvelope({
      formValue: { note: '按期推进' },
      eventId: 'ev_card_1',
      messageId: 'om_card_9',
    });
    expect(fromEnvelope(env)).toEqual({
      type: 'card_action',
      eventId: 'ev_card_1',
      operatorOpenId: 'ou_alice',
      messageId: 'om_card_9',
      chatId: 'oc_agency_1',
      value: { action: 'bind', agency: 'A01' },
      formValue: { note: '按期推进' },
      cardToken: 'c-295ee57216a5dc9de90fefd0aadb4b1d7d5bb73b',
    });
  });

  it('accepts a callback value sent as a JSON string', () => {
    const event = fromEnvelope(cardActionEnvelope({ value: '{"action":"snooze"}' }));
    expect(event).toMatchObject({ value: { action: 'snooze' } });
  });

  it('drops a card action without its message context', () => {
    const env = cardActionEnvelope({});
    expect(fromEnvelope({ ...env, event: { ...env.event, context: {} } })).toBeNull();
  });

  it('normalizes the bot being added to a group', () => {
    expect(fromEnvelope(botAddedEnvelope({ eventId: 'ev_add', chatId: 'oc_g' }))).toEqual({
      type: 'bot_added',
      eventId: 'ev_add',
      chatId: 'oc_g',
      chatName: '市发改委督办群',
      operatorOpenId: 'ou_alice',
    });
  });
});

describe('toLarkCardResponse', () => {
  it("maps an answer to Lark's toast and raw-card shape", () => {
    const card = { schema: '2.0', body: { elements: [] } };
    expect(toLarkCardResponse({ toast: { type: 'success', content: '已绑定' }, card })).toEqual({
      toast: { type: 'success', content: '已绑定' },
      card: { type: 'raw', data: card },
    });
    expect(toLarkCardResponse(undefined)).toEqual({});
    expect(toLarkCardResponse({ toast: { type: 'info', content: 'x' } })).toEqual({
      toast: { type: 'info', content: 'x' },
    });
  });
});

describe('normalizeEvent: group members', () => {
  // Shape of the SDK's event types for im.chat.member.user.added_v1 / deleted_v1.
  const memberEvent = {
    chat_id: 'oc_group',
    operator_id: { open_id: 'ou_owner', union_id: 'on_owner', user_id: 'u1' },
    external: false,
    operator_tenant_key: 'tk',
    users: [
      { name: '王五', tenant_key: 'tk', user_id: { open_id: 'ou_carol', union_id: 'on_c', user_id: 'u2' } },
      { tenant_key: 'tk', user_id: { open_id: 'ou_dan' } },
    ],
    name: '市科技局工作群',
  };

  it('turns a user.added_v1 into the people who joined, with the operator', () => {
    const event = normalizeEvent(
      { eventType: 'im.chat.member.user.added_v1', eventId: 'ev_add', event: memberEvent },
      opts,
    );
    expect(event).toEqual({
      type: 'members_changed',
      change: 'added',
      eventId: 'ev_add',
      chatId: 'oc_group',
      users: [{ openId: 'ou_carol', name: '王五' }, { openId: 'ou_dan' }],
      operatorOpenId: 'ou_owner',
    });
  });

  it('turns a user.deleted_v1 into the people who left, and drops one without users', () => {
    const left = normalizeEvent(
      { eventType: 'im.chat.member.user.deleted_v1', eventId: 'ev_del', event: memberEvent },
      opts,
    );
    expect(left).toMatchObject({ type: 'members_changed', change: 'removed', chatId: 'oc_group' });
    const empty = normalizeEvent(
      {
        eventType: 'im.chat.member.user.deleted_v1',
        eventId: 'ev_bad',
        event: { chat_id: 'oc_group', users: [] },
      },
      opts,
    );
    expect(empty).toBeNull();
  });
});
