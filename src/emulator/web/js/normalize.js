// Turns the control API's chat and message shapes into the ones the views read.

import { state, userName } from './state.js';

function parseMaybeJson(v) {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return { text: v };
  }
}

export function normalizeChat(c) {
  const members = (c.members ?? c.member_ids ?? c.users ?? [])
    .map((m) => (typeof m === 'string' ? m : (m?.open_id ?? m?.id ?? m?.member_id)))
    .filter(Boolean);
  const botFlag = c.bot_in_chat ?? c.bot_member ?? c.has_bot ?? c.bot_is_member ?? c.bot;
  return {
    chat_id: c.chat_id ?? c.id,
    name: c.name || c.chat_id || '未命名群聊',
    description: c.description ?? '',
    chat_type: c.chat_type ?? 'group',
    members,
    dissolved: c.status === 'dissolved' || c.chat_status === 'dissolved',
    botIn: typeof botFlag === 'boolean' ? botFlag : typeof botFlag === 'object' && botFlag ? true : null,
  };
}

export function normalizeMessage(m, chatId) {
  const sender = m.sender ?? {};
  const type = sender.type ?? sender.sender_type ?? 'user';
  const openId = sender.open_id ?? sender.id ?? '';
  const isBot = type === 'app' || type === 'bot';
  let content = parseMaybeJson(m.content ?? m.body?.content ?? {});
  if (content === null || typeof content !== 'object') content = { text: String(content ?? '') };
  return {
    message_id: m.message_id ?? m.id,
    chat_id: m.chat_id ?? chatId,
    msg_type: m.msg_type ?? m.message_type ?? 'text',
    content,
    sender: {
      type: isBot ? 'app' : 'user',
      open_id: openId,
      name: sender.name || (isBot ? state.botName : userName(openId)) || '未知用户',
    },
    parent_id: m.parent_id || null,
    root_id: m.root_id || null,
    create_time: m.create_time,
    update_time: m.update_time,
    updated: Boolean(m.updated),
    mentions: Array.isArray(m.mentions) ? m.mentions : [],
    file: m.file && typeof m.file === 'object' ? m.file : null,
  };
}
