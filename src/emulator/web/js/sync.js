// Loading chats, users and messages, and keeping them live over Server-Sent Events or polling.

import { fetchChats, fetchConfig, fetchMessages, fetchUsers, openStream } from './api.js';
import { renderChatList } from './chat-list.js';
import { renderUserSelect } from './composer.js';
import { renderChatHeader, renderMessages } from './conversation.js';
import { els } from './dom.js';
import { toMillis } from './format.js';
import { normalizeChat, normalizeMessage } from './normalize.js';
import { state } from './state.js';
import { markSeen } from './unread.js';

const POLL_MS = 1500;

const inflight = new Map(); // chat_id -> { again: boolean }
// chat_id -> how many times the page changed a message itself (a card replaced by a callback's answer).
const localEdits = new Map();

/**
 * The page changed a message of this chat without the server (a card answer applied in place): a list
 * fetched before that change is stale, and would draw the old card again for a moment.
 */
export function noteLocalEdit(chatId) {
  localEdits.set(chatId, (localEdits.get(chatId) ?? 0) + 1);
}

export async function refreshChat(chatId, opts) {
  if (!chatId) return;
  const running = inflight.get(chatId);
  if (running) {
    running.again = true;
    if (opts?.scroll) running.scroll = true;
    return;
  }
  const job = { again: false, scroll: Boolean(opts?.scroll) };
  inflight.set(chatId, job);
  try {
    do {
      job.again = false;
      const edits = localEdits.get(chatId) ?? 0;
      const list = (await fetchMessages(chatId)).map((m) => normalizeMessage(m, chatId));
      if ((localEdits.get(chatId) ?? 0) !== edits) {
        job.again = true;
        continue;
      }
      for (const m of list) if (m.sender.type === 'app' && m.sender.name) state.botName = m.sender.name;
      state.messages.set(chatId, list);
      if (chatId === state.selected) {
        renderMessages({ scroll: job.scroll });
        job.scroll = false;
        if (document.visibilityState !== 'hidden') markSeen(chatId);
      }
      renderChatList();
    } while (job.again);
  } catch (err) {
    console.warn('could not load messages', chatId, err);
  } finally {
    inflight.delete(chatId);
  }
}

const refreshTimers = new Map();

export function scheduleRefresh(chatId) {
  if (!chatId) return;
  clearTimeout(refreshTimers.get(chatId));
  refreshTimers.set(
    chatId,
    setTimeout(() => {
      refreshTimers.delete(chatId);
      refreshChat(chatId);
    }, 60),
  );
}

async function loadChats() {
  const chats = (await fetchChats()).map(normalizeChat).filter((c) => c.chat_id);
  const known = new Set(state.chats.map((c) => c.chat_id));
  state.chats = chats;
  renderChatList();
  if (state.selected) {
    renderChatHeader();
    renderUserSelect();
  }
  return chats.filter((c) => !known.has(c.chat_id));
}

export async function loadConfig() {
  try {
    const cfg = await fetchConfig();
    if (typeof cfg?.bot_name === 'string' && cfg.bot_name) state.botName = cfg.bot_name;
  } catch {
    // Older emulators have no /config: keep the default bot name.
  }
  els.mentionBot.textContent = `@${state.botName}`;
}

export async function loadUsers() {
  state.users = (await fetchUsers())
    .map((u) => ({ open_id: u.open_id ?? u.id, name: u.name ?? u.open_id ?? u.id }))
    .filter((u) => u.open_id);
  state.usersById = new Map(state.users.map((u) => [u.open_id, u]));
  renderUserSelect();
}

export async function refreshAll() {
  try {
    await loadChats();
  } catch (err) {
    console.warn('could not load chats', err);
    return;
  }
  await Promise.all(state.chats.map((c) => refreshChat(c.chat_id)));
}

export function setConn(s) {
  state.streamState = s;
  els.conn.dataset.state = s;
  const label = { live: '实时连接中', polling: '轮询更新中（无实时推送）', connecting: '正在连接…' }[s] ?? s;
  els.conn.title = label;
  els.conn.setAttribute('aria-label', label);
}

function chatIdOf(data) {
  if (!data || typeof data !== 'object') return null;
  return (
    data.chat_id ??
    data.message?.chat_id ??
    data.data?.chat_id ??
    data.data?.message?.chat_id ??
    data.payload?.chat_id ??
    null
  );
}

function upsertMessage(raw) {
  const chatId = raw.chat_id;
  const list = state.messages.get(chatId);
  if (!list) return false;
  const msg = normalizeMessage(raw, chatId);
  const i = list.findIndex((m) => m.message_id === msg.message_id);
  if (i >= 0) list[i] = msg;
  else list.push(msg);
  list.sort((x, y) => (toMillis(x.create_time) ?? 0) - (toMillis(y.create_time) ?? 0));
  if (msg.sender.type === 'app' && msg.sender.name) state.botName = msg.sender.name;
  if (chatId === state.selected) {
    renderMessages();
    if (document.visibilityState !== 'hidden') markSeen(chatId);
  }
  renderChatList();
  return true;
}

export function upsertChat(raw) {
  const chat = normalizeChat(raw);
  if (!chat.chat_id) return;
  const i = state.chats.findIndex((c) => c.chat_id === chat.chat_id);
  if (i >= 0) state.chats[i] = chat;
  else {
    state.chats.push(chat);
    refreshChat(chat.chat_id);
  }
  renderChatList();
  if (chat.chat_id === state.selected) {
    renderChatHeader();
    renderUserSelect();
  }
}

function onStreamEvent(ev) {
  let data = null;
  try {
    data = ev.data ? JSON.parse(ev.data) : null;
  } catch {
    data = null;
  }
  const kind = String(ev.type === 'message' && data?.type ? data.type : ev.type);
  if (kind === 'ready') {
    if (typeof data?.bot_name === 'string') state.botName = data.bot_name;
    return;
  }
  if (kind === 'chat' && data?.chat_id && Array.isArray(data.members)) {
    upsertChat(data);
    return;
  }
  // A full message view is applied directly; anything else triggers a re-read.
  if (data?.message_id && data.chat_id && data.sender && 'content' in data && upsertMessage(data)) return;
  const chatId = chatIdOf(data);
  if (chatId && state.chats.some((c) => c.chat_id === chatId)) scheduleRefresh(chatId);
  else if (chatId) loadChats().then(() => scheduleRefresh(chatId));
  else refreshAll();
  if (/user/.test(kind)) loadUsers().catch(() => {});
}

const STREAM_EVENTS = [
  'ready',
  'message',
  'message_updated',
  'message.created',
  'message.updated',
  'chat',
  'chat.updated',
  'user',
];

let stream = null;

let pollTimer = null;

let pollTick = 0;

export function connectStream() {
  if (!('EventSource' in window)) {
    startPolling();
    return;
  }
  stream?.close();
  const es = openStream();
  stream = es;
  es.onopen = () => {
    setConn('live');
    stopPolling();
    // Anything that happened while disconnected is picked up once.
    refreshAll();
  };
  for (const name of STREAM_EVENTS) es.addEventListener(name, onStreamEvent);
  es.onerror = () => {
    if (es.readyState === EventSource.CLOSED) {
      // The server refused the stream (404, wrong type): poll, and try the stream again later.
      startPolling();
      setTimeout(() => {
        if (stream === es) connectStream();
      }, 15000);
    } else {
      setConn('connecting');
    }
  };
}

function startPolling() {
  setConn('polling');
  if (pollTimer) return;
  pollTimer = setInterval(() => {
    pollTick += 1;
    if (pollTick % 4 === 0) refreshAll();
    else if (state.selected) refreshChat(state.selected);
  }, POLL_MS);
}

function stopPolling() {
  clearInterval(pollTimer);
  pollTimer = null;
}
