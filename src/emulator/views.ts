/** The control API's shapes (what the web page and outside scripts read). */
import { tryParseJson } from './http.js';
import type { EmuChat, EmulatorState, EmuMessage, EmuUser } from './state.js';

export interface ChatView {
  chat_id: string;
  name: string;
  chat_type: 'group' | 'p2p';
  status: 'normal' | 'dissolved';
  bot_member: boolean;
  members: Array<{ open_id: string; name: string }>;
  owner_id: string;
  create_time: number;
  message_count: number;
  last_message_time: number | null;
}

export interface MessageView {
  message_id: string;
  chat_id: string;
  sender: { type: 'user' | 'app'; open_id: string; name: string };
  msg_type: string;
  /** The content JSON, parsed (text: {text} with `@_user_N` placeholders; interactive: the card). */
  content: unknown;
  mentions: Array<{ key: string; open_id: string; name: string }>;
  parent_id: string | null;
  root_id: string | null;
  thread_id: string | null;
  create_time: number;
  update_time: number;
  updated: boolean;
  /** For file and image messages: what was uploaded. */
  file?: { key: string; name: string; size: number; url: string };
}

export function userView(user: EmuUser): EmuUser {
  return { ...user };
}

export function chatView(state: EmulatorState, chat: EmuChat): ChatView {
  const ids = state.chatMessages.get(chat.chat_id) ?? [];
  const last = ids.length === 0 ? undefined : state.messages.get(ids[ids.length - 1] ?? '');
  return {
    chat_id: chat.chat_id,
    name: chat.name,
    chat_type: chat.chat_type,
    status: chat.status,
    bot_member: chat.bot_member,
    members: chat.members.map((openId) => ({
      open_id: openId,
      name: state.users.get(openId)?.name ?? openId,
    })),
    owner_id: chat.owner_id,
    create_time: chat.create_time,
    message_count: ids.length,
    last_message_time: last?.create_time ?? null,
  };
}

export function messageView(state: EmulatorState, m: EmuMessage): MessageView {
  const content = tryParseJson(m.content) ?? m.content;
  const view: MessageView = {
    message_id: m.message_id,
    chat_id: m.chat_id,
    sender: { ...m.sender },
    msg_type: m.msg_type,
    content,
    mentions: m.mentions.map((x) => ({ ...x })),
    parent_id: m.parent_id ?? null,
    root_id: m.root_id ?? null,
    thread_id: m.thread_id ?? null,
    create_time: m.create_time,
    update_time: m.update_time,
    updated: m.updated,
  };
  if (m.msg_type === 'file' || m.msg_type === 'image') {
    const c = content as { file_key?: string; image_key?: string };
    const key = c.file_key ?? c.image_key ?? '';
    const file = state.files.get(key);
    if (file !== undefined) {
      view.file = {
        key,
        name: file.name,
        size: file.data.length,
        url: `/_emulator/files/${encodeURIComponent(key)}`,
      };
    }
  }
  return view;
}
