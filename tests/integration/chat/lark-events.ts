/** Realistic Lark schema 2.0 event envelopes, shaped after the captured payloads in Lark's docs. */

export const BOT_OPEN_ID = 'ou_bot0000000000000000000000000001';
export const VERIFICATION_TOKEN = 'v-token-abc';

let counter = 0;
const nextId = () => {
  counter += 1;
  return counter.toString(16).padStart(8, '0');
};

export function header(eventType: string, eventId = `ev_${nextId()}`) {
  return {
    event_id: eventId,
    event_type: eventType,
    create_time: '1717200000000',
    token: VERIFICATION_TOKEN,
    app_id: 'cli_a1b2c3d4e5f60718',
    tenant_key: '2ca1d211f64f6438',
  };
}

export function messageEnvelope(input: {
  text?: string;
  content?: string;
  messageType?: string;
  mentions?: Array<{ key: string; openId: string; name: string; mentionedType?: string }>;
  senderType?: string;
  chatType?: string;
  eventId?: string;
  messageId?: string;
  parentId?: string;
  rootId?: string;
}) {
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', input.eventId),
    event: {
      sender: {
        sender_id: { union_id: 'on_u1', user_id: 'e33ggbyz', open_id: 'ou_alice' },
        sender_type: input.senderType ?? 'user',
        tenant_key: '2ca1d211f64f6438',
      },
      message: {
        message_id: input.messageId ?? `om_${nextId()}`,
        ...(input.rootId === undefined ? {} : { root_id: input.rootId }),
        ...(input.parentId === undefined ? {} : { parent_id: input.parentId }),
        create_time: '1717200000123',
        update_time: '1717200000123',
        chat_id: 'oc_agency_1',
        chat_type: input.chatType ?? 'group',
        message_type: input.messageType ?? 'text',
        content: input.content ?? JSON.stringify({ text: input.text ?? 'hello' }),
        mentions: (input.mentions ?? []).map((m) => ({
          key: m.key,
          id: { union_id: `on_${m.openId}`, user_id: '', open_id: m.openId },
          name: m.name,
          tenant_key: '2ca1d211f64f6438',
          ...(m.mentionedType === undefined ? {} : { mentioned_type: m.mentionedType }),
        })),
        user_agent: 'Mozilla/5.0',
      },
    },
  };
}

export function cardActionEnvelope(input: {
  value?: unknown;
  formValue?: Record<string, unknown>;
  eventId?: string;
  messageId?: string;
}) {
  return {
    schema: '2.0',
    header: { ...header('card.action.trigger', input.eventId), create_time: '1717200000000000' },
    event: {
      operator: {
        tenant_key: '2ca1d211f64f6438',
        user_id: 'e33ggbyz',
        open_id: 'ou_alice',
        union_id: 'on_u1',
      },
      token: 'c-295ee57216a5dc9de90fefd0aadb4b1d7d5bb73b',
      action: {
        value: input.value ?? { action: 'bind', agency: 'A01' },
        tag: 'button',
        timezone: 'Asia/Shanghai',
        name: 'Button_bind',
        ...(input.formValue === undefined ? {} : { form_value: input.formValue }),
      },
      host: 'im_message',
      context: { open_message_id: input.messageId ?? 'om_card_1', open_chat_id: 'oc_agency_1' },
    },
  };
}

export function botAddedEnvelope(input: { eventId?: string; chatId?: string } = {}) {
  return {
    schema: '2.0',
    header: header('im.chat.member.bot.added_v1', input.eventId),
    event: {
      chat_id: input.chatId ?? 'oc_new_group',
      operator_id: { union_id: 'on_u1', user_id: 'e33ggbyz', open_id: 'ou_alice' },
      external: false,
      operator_tenant_key: '2ca1d211f64f6438',
      name: '市发改委督办群',
      i18n_names: { zh_cn: '市发改委督办群', en_us: '' },
    },
  };
}
