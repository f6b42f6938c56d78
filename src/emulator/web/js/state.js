// Shared page state (chats, users, messages, selection) and the localStorage it remembers.

import { els } from './dom.js';

export function readStore(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStore(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode or quota: unread marks just won't persist
  }
}

export const state = {
  chats: [],
  users: [],
  usersById: new Map(),
  messages: new Map(), // chat_id -> normalized messages, oldest first
  selected: null,
  replyTo: null,
  postAs: readStore('duban.postAs') ?? '',
  filter: '',
  botName: '督办',
  streamState: 'connecting',
};

export function userName(openId) {
  if (!openId) return '';
  if (openId === 'all') return '所有人';
  return state.usersById.get(openId)?.name ?? openId;
}

export function currentUser() {
  return els.userSelect.value || state.postAs || state.users[0]?.open_id || '';
}
