// Unread marks: the last message seen in each chat, kept in localStorage.

import { toMillis } from './format.js';
import { currentUser, readStore, state, writeStore } from './state.js';

function seenKey(chatId) {
  return `duban.seen.${chatId}`;
}

export function unreadCount(chatId) {
  const list = state.messages.get(chatId) ?? [];
  const seen = readStore(seenKey(chatId));
  const idx = seen ? list.findIndex((m) => m.message_id === seen) : -1;
  const me = currentUser();
  return list.slice(idx + 1).filter((m) => !(m.sender.type === 'user' && m.sender.open_id === me)).length;
}

export function markSeen(chatId) {
  const list = state.messages.get(chatId) ?? [];
  const last = list.at(-1);
  if (last) writeStore(seenKey(chatId), last.message_id);
}

export function lastActivity(chatId) {
  const last = (state.messages.get(chatId) ?? []).at(-1);
  return last ? (toMillis(last.create_time) ?? 0) : 0;
}
