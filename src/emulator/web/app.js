// Entry of the emulator's web chat: wires the views to each other and to the page, then loads and goes live.
// Plain browser modules on purpose: the emulator serves these files as they are (no build step).

import { sendAction } from './js/card-actions.js';
import { renderChatList, wireChatList } from './js/chat-list.js';
import { setReplyTo, wireComposer } from './js/composer.js';
import { renderMessages, wireConversation } from './js/conversation.js';
import { closeChat, openP2p, selectChat } from './js/navigation.js';
import { state } from './js/state.js';
import { connectStream, loadConfig, loadUsers, refreshAll, refreshChat, setConn } from './js/sync.js';
import { showToast } from './js/toast.js';
import { markSeen } from './js/unread.js';

const SAFETY_POLL_MS = 6000;

function wire() {
  wireChatList({ select: selectChat });
  wireConversation({ back: closeChat, reply: setReplyTo, cardAction: sendAction });
  wireComposer({
    sent: (chatId) => refreshChat(chatId, { scroll: true }),
    identityChanged: () => {
      renderMessages();
      renderChatList();
    },
    openP2p,
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
