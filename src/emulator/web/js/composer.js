// The composer: who posts, the reply bar, the text box and sending a message.

import { postAsUser } from './api.js';
import { els, h } from './dom.js';
import { currentUser, state, writeStore } from './state.js';
import { snippet } from './summary.js';
import { showToast } from './toast.js';

const handlers = { sent: async (_chatId) => {}, identityChanged: () => {} };

/**
 * Wires the composer's controls. `sent(chatId)` runs after a message is posted, `identityChanged()`
 * after the user picks whom to post as, `openP2p()` when they ask for a private chat with the bot.
 */
export function wireComposer({ sent, identityChanged, openP2p }) {
  handlers.sent = sent;
  handlers.identityChanged = identityChanged;
  els.userSelect.addEventListener('change', () => {
    state.postAs = els.userSelect.value;
    writeStore('duban.postAs', state.postAs);
    updateSendState();
    handlers.identityChanged();
  });
  els.input.addEventListener('input', () => {
    autosize();
    updateSendState();
  });
  els.input.addEventListener('keydown', (e) => {
    // Enter sends; Shift+Enter is a newline; never send while an IME is composing Chinese text.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      sendMessage();
    } else if (e.key === 'Escape' && state.replyTo) {
      setReplyTo(null);
    }
  });
  els.composer.addEventListener('submit', (e) => {
    e.preventDefault();
    sendMessage();
  });
  els.replyCancel.addEventListener('click', () => setReplyTo(null));
  els.openP2p.addEventListener('click', openP2p);
  els.mentionBot.addEventListener('click', () => insertText(`@${state.botName} `));
  els.insertHelp.addEventListener('click', () => {
    els.input.value = '';
    insertText(`@${state.botName} /help`);
  });
}

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

function updateSendState() {
  els.send.disabled = !els.input.value.trim() || !currentUser() || !state.selected;
}

function autosize() {
  els.input.style.height = 'auto';
  els.input.style.height = `${Math.min(els.input.scrollHeight + 2, 160)}px`;
}

function insertText(text) {
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

async function sendMessage() {
  const text = els.input.value;
  const chatId = state.selected;
  const openId = currentUser();
  if (!text.trim() || !chatId || !openId || sending) return;
  sending = true;
  els.send.disabled = true;
  const body = { open_id: openId, text };
  if (state.replyTo) body.parent_id = state.replyTo.message_id;
  try {
    await postAsUser(chatId, body);
    els.input.value = '';
    autosize();
    setReplyTo(null);
    await handlers.sent(chatId);
  } catch (err) {
    showToast({ type: 'error', content: `发送失败：${err.message ?? err}` });
  } finally {
    sending = false;
    updateSendState();
  }
}
