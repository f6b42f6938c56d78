/** The emulator's in-memory world: users, chats, messages, uploaded files, tokens. */
import { createHash, randomBytes } from 'node:crypto';
import type { MsgType, StoredMention } from './content.js';

export interface EmuUser {
  open_id: string;
  union_id: string;
  user_id: string;
  name: string;
}

export interface EmuChat {
  chat_id: string;
  name: string;
  description: string;
  chat_type: 'group' | 'p2p';
  /** open_ids of the people in the chat (the bot is tracked by `bot_member`). */
  members: string[];
  bot_member: boolean;
  status: 'normal' | 'dissolved';
  owner_id: string;
  create_time: number;
}

export interface EmuMessage {
  message_id: string;
  chat_id: string;
  msg_type: MsgType;
  /** The content JSON string as stored (text mentions as `@_user_N`). */
  content: string;
  sender: { type: 'user' | 'app'; open_id: string; name: string };
  mentions: StoredMention[];
  parent_id?: string;
  root_id?: string;
  thread_id?: string;
  create_time: number;
  update_time: number;
  updated: boolean;
  uuid?: string;
}

export interface EmuFile {
  key: string;
  kind: 'file' | 'image';
  name: string;
  file_type: string;
  content_type: string;
  data: Buffer;
  create_time: number;
}

export interface EmulatorSnapshot {
  version: 1;
  users: EmuUser[];
  chats: EmuChat[];
  messages: EmuMessage[];
  files: Array<Omit<EmuFile, 'data'> & { data_base64: string }>;
}

const hash = (input: string, length: number): string =>
  createHash('sha256').update(input).digest('hex').slice(0, length);

export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Chat ids derive from the chat name so a restarted sandbox finds the same chats. */
export const chatIdForName = (name: string): string => `oc_${hash(`chat:${name}`, 32)}`;
export const openIdForName = (name: string): string => `ou_${hash(`user:${name}`, 32)}`;
export const p2pChatId = (openId: string): string => `oc_${hash(`p2p:${openId}`, 32)}`;

export interface EmulatorState {
  users: Map<string, EmuUser>;
  chats: Map<string, EmuChat>;
  messages: Map<string, EmuMessage>;
  /** Messages per chat, oldest first. */
  chatMessages: Map<string, string[]>;
  files: Map<string, EmuFile>;
}

export function createState(): EmulatorState {
  return {
    users: new Map(),
    chats: new Map(),
    messages: new Map(),
    chatMessages: new Map(),
    files: new Map(),
  };
}

export function makeUser(input: { name: string; open_id?: string }): EmuUser {
  const openId = input.open_id ?? openIdForName(input.name);
  return {
    open_id: openId,
    union_id: `on_${hash(`union:${openId}`, 32)}`,
    user_id: hash(`uid:${openId}`, 8),
    name: input.name,
  };
}

export function addMessage(state: EmulatorState, message: EmuMessage): void {
  state.messages.set(message.message_id, message);
  const list = state.chatMessages.get(message.chat_id) ?? [];
  list.push(message.message_id);
  state.chatMessages.set(message.chat_id, list);
}

export function snapshotState(state: EmulatorState): EmulatorSnapshot {
  return structuredClone({
    version: 1 as const,
    users: [...state.users.values()],
    chats: [...state.chats.values()],
    messages: [...state.messages.values()],
    files: [...state.files.values()].map(({ data, ...rest }) => ({
      ...rest,
      data_base64: data.toString('base64'),
    })),
  });
}

export function restoreState(state: EmulatorState, snapshot: EmulatorSnapshot): void {
  state.users.clear();
  state.chats.clear();
  state.messages.clear();
  state.chatMessages.clear();
  state.files.clear();
  const copy = structuredClone(snapshot);
  for (const user of copy.users) state.users.set(user.open_id, user);
  for (const chat of copy.chats) state.chats.set(chat.chat_id, chat);
  for (const message of [...copy.messages].sort((a, b) => a.create_time - b.create_time)) {
    addMessage(state, message);
  }
  for (const { data_base64, ...file } of copy.files) {
    state.files.set(file.key, { ...file, data: Buffer.from(data_base64, 'base64') });
  }
}

/**
 * What the tenant granted the app, as the emulator models it (LARK.md §10). `groupMessages` is the
 * sensitive scope im:message.group_msg; `contactNames` the field scope contact:user.base:readonly;
 * `contactRange` the app's contact range: 'all' or the open_ids inside it.
 */
export interface AppSettings {
  groupMessages: boolean;
  contactNames: boolean;
  contactRange: 'all' | string[];
}
