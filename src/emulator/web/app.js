// Entry point of the emulator's web chat: wires the views to each other and to the page, then starts.

import { renderChatList } from './js/chat-list.js';
import { autosize, insertText, sendMessage, setReplyTo, updateSendState } from './js/composer.js';
import { renderChatHeader, renderMessages } from './js/conversation.js';
import { els } from './js/dom.js';
import { openP2p, selectChat } from './js/navigation.js';
import { state, writeStore } from './js/state.js';
import {
  connectStream,
  loadConfig,
  loadUsers,
  refreshAll,
  refreshChat,
  SAFETY_POLL_MS,
  setConn,
} from './js/sync.js';
import { showToast } from './js/toast.js';
import { markSeen } from './js/unread.js';

function wire() {
  els.chatSearch.addEventListener('input', () => {
    state.filter = els.chatSearch.value;
    renderChatList();
  });
  els.backBtn.addEventListener('click', () => {
    state.selected = null;
    history.replaceState(null, '', location.pathname);
    renderChatHeader();
    renderMessages();
    renderChatList();
  });
  els.userSelect.addEventListener('change', () => {
    state.postAs = els.userSelect.value;
    writeStore('duban.postAs', state.postAs);
    updateSendState();
    renderMessages();
    renderChatList();
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
  window.addEventListener('hashchange', () => {
    const id = decodeURIComponent(location.hash.slice(1));
    if (id && id !== state.selected) selectChat(id);
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.selected) {
      markSeen(state.selected);
      renderChatList();
    }
  });
  // Even with a live stream, re-read the open chat now and then: a missed event never leaves it stale.
  setInterval(() => {
    if (state.selected && state.streamState === 'live') refreshChat(state.selected);
  }, SAFETY_POLL_MS);
}

async function start() {
  setConn('connecting');
  wire();
  await loadConfig();
  try {
    await loadUsers();
  } catch (err) {
    showToast({ type: 'error', content: `无法读取用户列表：${err.message ?? err}` });
  }
  await refreshAll();
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted) selectChat(wanted);
  connectStream();
  document.body.dataset.ready = 'true';
}

start();
