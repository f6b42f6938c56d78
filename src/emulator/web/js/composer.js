// The composer: who posts, the reply bar, the text box and sending a message.

import { API, api } from './api.js';
import { els, h } from './dom.js';
import { currentUser, state } from './state.js';
import { snippet } from './summary.js';
import { refreshChat } from './sync.js';
import { showToast } from './toast.js';

export function renderUserSelect() {
  const chat = state.chats.find((c) => c.chat_id === state.selected);
  const members = new Set(chat?.members ?? []);
  const current = currentUser();
  const inChat = state.users.filter((u) => !members.size || members.has(u.open_id));
  const outside = state.users.filter((u) => members.size && !members.has(u.open_id));
  const opts = (users) => users.map((u) => h('option', { value: u.open_id }, u.name));
  const children = [];
  if (!state.users.length) children.push(h('option', { value: '' }, '（没有用户）'));
  else if (outside.length) {
    children.push(h('optgroup', { label: '群成员' }, ...opts(inChat)));
    children.push(h('optgroup', { label: '不在本群' }, ...opts(outside)));
  } else children.push(...opts(inChat));
  els.userSelect.replaceChildren(...children);
  let pick = current;
  if (!state.users.some((u) => u.open_id === pick) || (members.size && !members.has(pick) && inChat.length)) {
    pick = (inChat[0] ?? state.users[0])?.open_id ?? '';
  }
  els.userSelect.value = pick;
  state.postAs = pick;
  updateSendState();
}

export function setReplyTo(msg) {
  state.replyTo = msg;
  els.replyTo.hidden = !msg;
  if (msg) {
    els.replyToText.textContent = `回复 ${msg.sender.name}：${snippet(msg)}`;
    els.input.focus();
  }
}

export function updateSendState() {
  els.send.disabled = !els.input.value.trim() || !currentUser() || !state.selected;
}

export function autosize() {
  els.input.style.height = 'auto';
  els.input.style.height = `${Math.min(els.input.scrollHeight + 2, 160)}px`;
}

export function insertText(text) {
  const el = els.input;
  const start = el.selectionStart ?? el.value.length;
  const end = el.selectionEnd ?? el.value.length;
  el.value = `${el.value.slice(0, start)}${text}${el.value.slice(end)}`;
  el.selectionStart = el.selectionEnd = start + text.length;
  el.focus();
  autosize();
  updateSendState();
}

let sending = false;

export async function sendMessage() {
  const text = els.input.value;
  const chatId = state.selected;
  const openId = currentUser();
  if (!text.trim() || !chatId || !openId || sending) return;
  sending = true;
  els.send.disabled = true;
  const body = { open_id: openId, text };
  if (state.replyTo) body.parent_id = state.replyTo.message_id;
  try {
    await api(`${API}/chats/${encodeURIComponent(chatId)}/messages`, { method: 'POST', body });
    els.input.value = '';
    autosize();
    setReplyTo(null);
    await refreshChat(chatId, { scroll: true });
  } catch (err) {
    showToast({ type: 'error', content: `发送失败：${err.message ?? err}` });
  } finally {
    sending = false;
    updateSendState();
  }
}
