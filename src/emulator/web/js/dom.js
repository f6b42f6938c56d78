// The page's elements by id and the helpers that build DOM nodes (h, avatar).

const $ = (id) => document.getElementById(id);

export const els = {
  app: $('app'),
  conn: $('conn'),
  chatSearch: $('chat-search'),
  chatList: $('chat-list'),
  chatHeader: $('chat-header'),
  chatAvatar: $('chat-avatar'),
  chatTitle: $('chat-title'),
  chatSub: $('chat-sub'),
  backBtn: $('back-btn'),
  messages: $('messages'),
  composer: $('composer'),
  userSelect: $('user-select'),
  mentionBot: $('mention-bot'),
  insertHelp: $('insert-help'),
  openP2p: $('open-p2p'),
  replyTo: $('reply-to'),
  replyToText: $('reply-to-text'),
  replyCancel: $('reply-cancel'),
  input: $('composer-input'),
  send: $('composer-send'),
  toasts: $('toasts'),
};

export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k === 'testid') node.dataset.testid = v;
      else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

function hashColor(seed) {
  const palette = ['#3370ff', '#14a9c9', '#7f3bf5', '#ff8800', '#2ea121', '#f54a45', '#0fa0a0', '#c13fc1'];
  let x = 0;
  for (const ch of String(seed ?? '')) x = (x * 31 + ch.codePointAt(0)) >>> 0;
  return palette[x % palette.length];
}

export function avatar(name, seed, extra) {
  const clean = String(name ?? '?').replace(/^市/, '');
  const initial = Array.from(clean.trim())[0] ?? '?';
  const node = h('div', { class: `avatar ${extra ?? ''}`, 'aria-hidden': 'true' }, initial);
  node.style.background = hashColor(seed ?? name);
  return node;
}
