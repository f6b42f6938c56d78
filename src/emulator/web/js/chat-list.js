// The chat list in the sidebar: search, order by last activity, previews and unread counts.

import { avatar, els, h } from './dom.js';
import { formatTime } from './format.js';
import { state } from './state.js';
import { snippet } from './summary.js';
import { lastActivity, unreadCount } from './unread.js';

let onSelect = () => {};

/** Wires the search box; `select(chatId)` is called when a chat is clicked. */
export function wireChatList({ select }) {
  onSelect = select;
  els.chatSearch.addEventListener('input', () => {
    state.filter = els.chatSearch.value;
    renderChatList();
  });
}

export function renderChatList() {
  const filter = state.filter.trim().toLowerCase();
  const chats = state.chats
    .map((c, i) => ({ c, i, t: lastActivity(c.chat_id) }))
    .filter(
      ({ c }) => !filter || c.name.toLowerCase().includes(filter) || c.chat_id.toLowerCase().includes(filter),
    )
    .sort((a, b) => b.t - a.t || a.i - b.i);
  const items = chats.map(({ c }) => {
    const last = (state.messages.get(c.chat_id) ?? []).at(-1);
    const unread = c.chat_id === state.selected ? 0 : unreadCount(c.chat_id);
    const preview = last
      ? `${last.sender.type === 'app' ? '' : `${last.sender.name}：`}${snippet(last)}`
      : '暂无消息';
    const btn = h(
      'button',
      {
        type: 'button',
        class: 'chat-item',
        testid: 'chat-list-item',
        'data-chat-id': c.chat_id,
        'aria-current': c.chat_id === state.selected ? 'true' : 'false',
        'aria-label': `${c.name}${unread ? `，${unread} 条未读` : ''}`,
        onclick: () => onSelect(c.chat_id),
      },
      avatar(c.name, c.chat_id, c.chat_type === 'p2p' ? '' : 'group'),
      h(
        'span',
        { class: 'chat-meta' },
        h(
          'span',
          { class: 'chat-row' },
          h('span', { class: 'chat-name', testid: 'chat-name' }, c.name),
          h('span', { class: 'chat-time' }, last ? formatTime(last.create_time) : ''),
        ),
        h(
          'span',
          { class: 'chat-row' },
          h('span', { class: 'chat-preview' }, preview),
          unread
            ? h('span', { class: 'unread', testid: 'chat-unread' }, unread > 99 ? '99+' : String(unread))
            : null,
        ),
      ),
    );
    return h('li', null, btn);
  });
  if (!items.length) {
    items.push(
      h('li', { class: 'empty-list' }, state.chats.length ? '没有匹配的群聊' : '模拟器里还没有群聊'),
    );
  }
  els.chatList.replaceChildren(...items);
  const total = state.chats.reduce(
    (n, c) => n + (c.chat_id === state.selected ? 0 : unreadCount(c.chat_id)),
    0,
  );
  document.title = `${total ? `(${total}) ` : ''}督办 · 飞书模拟器`;
}
