// Opening and closing a chat: the one place that updates every view when the selection changes.

import { openP2pChat } from './api.js';
import { renderChatList } from './chat-list.js';
import { renderUserSelect, setReplyTo } from './composer.js';
import { renderChatHeader, renderMessages } from './conversation.js';
import { els } from './dom.js';
import { currentUser, state } from './state.js';
import { refreshChat, upsertChat } from './sync.js';
import { showToast } from './toast.js';
import { markSeen } from './unread.js';

export function selectChat(chatId) {
  if (!state.chats.some((c) => c.chat_id === chatId)) return;
  state.selected = chatId;
  setReplyTo(null);
  if (location.hash.slice(1) !== chatId) history.replaceState(null, '', `#${chatId}`);
  renderChatHeader();
  renderUserSelect();
  renderMessages({ scroll: true });
  markSeen(chatId);
  renderChatList();
  refreshChat(chatId, { scroll: true });
  els.input.focus();
}

export function closeChat() {
  state.selected = null;
  history.replaceState(null, '', location.pathname);
  renderChatHeader();
  renderMessages();
  renderChatList();
}

export async function openP2p() {
  const openId = currentUser();
  if (!openId) return;
  try {
    const chat = await openP2pChat(openId);
    upsertChat(chat);
    selectChat(chat.chat_id);
  } catch (err) {
    showToast({ type: 'error', content: `无法打开私聊：${err.message ?? err}` });
  }
}
