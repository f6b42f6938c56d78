// The conversation view: the open chat's header and its messages, rebuilt only where they changed.

import { fileUrl } from './api.js';
import { cardOf, renderCard } from './card.js';
import { avatar, els, h } from './dom.js';
import { fileSize, formatTime } from './format.js';
import { renderPost } from './post.js';
import { currentUser, state } from './state.js';
import { snippet } from './summary.js';
import { textNodes } from './text.js';

const handlers = { reply: (_msg) => {}, cardAction: (_msg, _payload, _control) => {} };

/**
 * Wires the back button. `reply(msg)` starts a reply to a message; `cardAction(msg, payload, control)`
 * sends a card callback.
 */
export function wireConversation({ back, reply, cardAction }) {
  handlers.reply = reply;
  handlers.cardAction = cardAction;
  els.backBtn.addEventListener('click', back);
}

export function renderChatHeader() {
  const chat = state.chats.find((c) => c.chat_id === state.selected);
  els.chatHeader.hidden = !chat;
  els.composer.hidden = !chat;
  els.app.classList.toggle('has-chat', Boolean(chat));
  if (!chat) return;
  const chatAvatar = avatar(chat.name, chat.chat_id, 'group');
  chatAvatar.id = 'chat-avatar';
  els.chatAvatar.replaceWith(chatAvatar);
  els.chatAvatar = chatAvatar;
  els.chatTitle.textContent = chat.name;
  const parts = [];
  if (chat.members.length) parts.push(`${chat.members.length} 位成员`);
  parts.push(chat.chat_id);
  els.chatSub.replaceChildren(parts.join(' · '));
  if (chat.chat_type === 'p2p') els.chatSub.prepend(h('span', { class: 'bot-badge' }, '与机器人私聊'), ' ');
  if (chat.botIn === false) els.chatSub.append(h('span', { class: 'warn-tag' }, '机器人不在群内'));
  if (chat.dissolved) els.chatSub.append(h('span', { class: 'warn-tag' }, '群已解散'));
}

function isMine(msg) {
  return msg.sender.type === 'user' && msg.sender.open_id && msg.sender.open_id === currentUser();
}

function renderContent(msg) {
  const c = msg.content ?? {};
  switch (msg.msg_type) {
    case 'text': {
      const bubble = h('div', { class: 'bubble', testid: 'message-text' });
      bubble.append(textNodes(c.text ?? '', msg));
      return bubble;
    }
    case 'post':
      return renderPost(c, msg);
    case 'interactive':
      return renderCard(c, msg, handlers.cardAction);
    case 'file': {
      const name = msg.file?.name ?? c.file_name ?? c.file_key ?? '文件';
      const size = typeof msg.file?.size === 'number' ? fileSize(msg.file.size) : '';
      const ext = (/\.([a-z0-9]{1,5})$/i.exec(name)?.[1] ?? 'FILE').toUpperCase();
      return h(
        'a',
        {
          class: 'file',
          testid: 'file-link',
          href: msg.file?.url ?? fileUrl(c.file_key ?? ''),
          download: name,
          'aria-label': `下载文件 ${name}`,
        },
        h('span', { class: 'file-icon', 'aria-hidden': 'true' }, ext.slice(0, 4)),
        h(
          'span',
          null,
          h('div', { class: 'file-name' }, name),
          h('div', { class: 'file-hint' }, size ? `${size} · 点击下载` : '点击下载'),
        ),
      );
    }
    case 'image': {
      const img = h('img', {
        class: 'card-img',
        alt: '图片',
        src: fileUrl(c.image_key ?? ''),
      });
      img.style.maxWidth = '320px';
      img.addEventListener('error', () => img.replaceWith(h('span', { class: 'img-ph' }, '🖼 图片')));
      return img;
    }
    default:
      return h('div', { class: 'bubble' }, `[${msg.msg_type} 消息]`);
  }
}

function renderMessage(msg, byId, replyCounts) {
  const mine = isMine(msg);
  const isCard = msg.msg_type === 'interactive';
  const wide = isCard && cardOf(msg.content)?.config?.width_mode === 'fill';
  const node = h('article', {
    class: `msg${mine ? ' mine' : ''}${isCard ? ' has-card' : ''}${wide ? ' wide' : ''}`,
    testid: 'message',
    'data-message-id': msg.message_id,
    'data-sender-type': msg.sender.type,
    'data-msg-type': msg.msg_type,
    'aria-label': `${msg.sender.name} ${formatTime(msg.create_time)}`,
  });
  const isBot = msg.sender.type === 'app';
  const av = avatar(msg.sender.name, msg.sender.open_id || msg.sender.name);
  if (isBot) av.style.background = 'linear-gradient(135deg, #3370ff, #14c9c9)';
  node.append(av);
  const body = h('div', { class: 'msg-body' });
  const head = h(
    'div',
    { class: 'msg-head' },
    h('span', { class: 'msg-name', testid: 'message-sender' }, msg.sender.name),
    isBot ? h('span', { class: 'bot-badge' }, '机器人') : null,
    h('time', null, formatTime(msg.create_time)),
    h(
      'span',
      { class: 'msg-actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'link-btn',
          testid: 'message-reply',
          'aria-label': `回复 ${msg.sender.name} 的消息`,
          onclick: () => handlers.reply(msg),
        },
        '回复',
      ),
    ),
  );
  body.append(head);
  if (msg.parent_id) {
    const parent = byId.get(msg.parent_id);
    body.append(
      h(
        'button',
        {
          type: 'button',
          class: 'quote',
          testid: 'message-quote',
          title: '跳到原消息',
          onclick: () => flashMessage(msg.parent_id),
        },
        parent ? `回复 ${parent.sender.name}：${snippet(parent)}` : '回复一条更早的消息',
      ),
    );
  }
  body.append(renderContent(msg));
  if (msg.updated && msg.msg_type !== 'interactive') body.append(h('div', { class: 'edited' }, '（已编辑）'));
  const replies = replyCounts.get(msg.message_id);
  if (replies) body.append(h('div', { class: 'reply-count', testid: 'reply-count' }, `${replies} 条回复`));
  node.append(body);
  return node;
}

function flashMessage(id) {
  const target = els.messages.querySelector(`[data-message-id="${CSS.escape(id)}"].msg`);
  if (!target) return;
  target.scrollIntoView({ block: 'center', behavior: 'smooth' });
  target.classList.remove('flash');
  void target.offsetWidth;
  target.classList.add('flash');
}

const renderedMessages = new Map(); // message_id -> { sig, node }

let renderedChat = null;

export function renderMessages(opts) {
  const chatId = state.selected;
  const list = chatId ? (state.messages.get(chatId) ?? []) : [];
  const box = els.messages;
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  if (renderedChat !== chatId) {
    box.replaceChildren();
    renderedMessages.clear();
    renderedChat = chatId;
  }
  if (!list.length) {
    renderedMessages.clear();
    box.replaceChildren(
      h(
        'div',
        { class: 'placeholder', testid: 'empty-chat' },
        h(
          'div',
          null,
          h('div', { class: 'placeholder-icon', 'aria-hidden': 'true' }, '💬'),
          '还没有消息。试试发送「@督办 /help」',
        ),
      ),
    );
    return;
  }
  box.querySelector('.placeholder')?.remove();
  const byId = new Map(list.map((m) => [m.message_id, m]));
  const replyCounts = new Map();
  for (const m of list)
    if (m.parent_id) replyCounts.set(m.parent_id, (replyCounts.get(m.parent_id) ?? 0) + 1);
  const me = currentUser();
  const keep = new Set();
  const desired = [];
  let added = false;
  for (const msg of list) {
    const parent = msg.parent_id ? byId.get(msg.parent_id) : null;
    const sig = JSON.stringify([
      msg.content,
      msg.update_time,
      msg.updated,
      msg.sender.open_id === me,
      replyCounts.get(msg.message_id) ?? 0,
      parent ? snippet(parent) : null,
      state.users.length,
    ]);
    let entry = renderedMessages.get(msg.message_id);
    if (!entry || entry.sig !== sig) {
      // Only changed messages are rebuilt, so a half-filled form in another card keeps its input.
      if (entry) entry.node.remove();
      else added = true;
      entry = { sig, node: renderMessage(msg, byId, replyCounts) };
      renderedMessages.set(msg.message_id, entry);
    }
    keep.add(msg.message_id);
    desired.push(entry.node);
  }
  for (const [id, entry] of renderedMessages) {
    if (!keep.has(id)) {
      entry.node.remove();
      renderedMessages.delete(id);
    }
  }
  desired.forEach((node, i) => {
    const at = box.children[i] ?? null;
    if (at !== node) box.insertBefore(node, at);
  });
  while (box.children.length > desired.length) box.lastElementChild?.remove();
  if (opts?.scroll || (added && nearBottom)) box.scrollTop = box.scrollHeight;
}
