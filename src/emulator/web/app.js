// Web chat for the Lark emulator: lists chats, renders messages and card JSON 2.0,
// posts as a chosen user and drives card callbacks through the emulator's control API.
// Plain browser JavaScript on purpose: the emulator serves this file as is (no build step).

const API = '/_emulator';
const POLL_MS = 1500;
const SAFETY_POLL_MS = 6000;

const state = {
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

const $ = (id) => document.getElementById(id);
const els = {
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

// ---------------------------------------------------------------- small helpers

function readStore(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStore(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // private mode or quota: unread marks just won't persist
  }
}

function h(tag, attrs, ...children) {
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
function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ESC[c]);
}

function asArray(body, ...keys) {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== 'object') return [];
  for (const k of keys) {
    if (Array.isArray(body[k])) return body[k];
    if (body.data && Array.isArray(body.data[k])) return body.data[k];
  }
  if (Array.isArray(body.items)) return body.items;
  if (Array.isArray(body.data)) return body.data;
  if (body.data && Array.isArray(body.data.items)) return body.data.items;
  return [];
}

function parseMaybeJson(v) {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    return { text: v };
  }
}

function hashColor(seed) {
  const palette = ['#3370ff', '#14a9c9', '#7f3bf5', '#ff8800', '#2ea121', '#f54a45', '#0fa0a0', '#c13fc1'];
  let x = 0;
  for (const ch of String(seed ?? '')) x = (x * 31 + ch.codePointAt(0)) >>> 0;
  return palette[x % palette.length];
}

function avatar(name, seed, extra) {
  const clean = String(name ?? '?').replace(/^市/, '');
  const initial = Array.from(clean.trim())[0] ?? '?';
  const node = h('div', { class: `avatar ${extra ?? ''}`, 'aria-hidden': 'true' }, initial);
  node.style.background = hashColor(seed ?? name);
  return node;
}

function toMillis(t) {
  const n = Number(t);
  if (!Number.isFinite(n) || n <= 0) return null;
  if (n > 1e14) return Math.floor(n / 1000); // microseconds
  if (n < 1e11) return n * 1000; // seconds
  return n;
}

function formatTime(t) {
  const ms = toMillis(t);
  if (ms === null) return '';
  const d = new Date(ms);
  const pad = (n) => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return hm;
  return `${d.getMonth() + 1}月${d.getDate()}日 ${hm}`;
}

function userName(openId) {
  if (!openId) return '';
  if (openId === 'all') return '所有人';
  return state.usersById.get(openId)?.name ?? openId;
}

async function api(path, options) {
  const init = options ? { ...options } : {};
  if (init.body !== undefined && typeof init.body !== 'string') {
    init.body = JSON.stringify(init.body);
    init.headers = { 'content-type': 'application/json', ...(init.headers ?? {}) };
  }
  const res = await fetch(path, init);
  const raw = await res.text();
  let body = null;
  if (raw) {
    try {
      body = JSON.parse(raw);
    } catch {
      body = raw;
    }
  }
  const larkError = body && typeof body === 'object' && typeof body.code === 'number' && body.code !== 0;
  if (!res.ok || larkError) {
    const reason =
      (body && typeof body === 'object' && (body.msg || body.message || body.error)) ||
      (typeof body === 'string' && body) ||
      `HTTP ${res.status}`;
    throw new Error(String(reason));
  }
  return body;
}

// ---------------------------------------------------------------- normalization

function normalizeChat(c) {
  const members = (c.members ?? c.member_ids ?? c.users ?? [])
    .map((m) => (typeof m === 'string' ? m : (m?.open_id ?? m?.id ?? m?.member_id)))
    .filter(Boolean);
  const botFlag = c.bot_in_chat ?? c.bot_member ?? c.has_bot ?? c.bot_is_member ?? c.bot;
  return {
    chat_id: c.chat_id ?? c.id,
    name: c.name || c.chat_id || '未命名群聊',
    description: c.description ?? '',
    chat_type: c.chat_type ?? 'group',
    members,
    dissolved: c.status === 'dissolved' || c.chat_status === 'dissolved',
    botIn: typeof botFlag === 'boolean' ? botFlag : typeof botFlag === 'object' && botFlag ? true : null,
  };
}

function normalizeMessage(m, chatId) {
  const sender = m.sender ?? {};
  const type = sender.type ?? sender.sender_type ?? 'user';
  const openId = sender.open_id ?? sender.id ?? '';
  const isBot = type === 'app' || type === 'bot';
  let content = parseMaybeJson(m.content ?? m.body?.content ?? {});
  if (content === null || typeof content !== 'object') content = { text: String(content ?? '') };
  return {
    message_id: m.message_id ?? m.id,
    chat_id: m.chat_id ?? chatId,
    msg_type: m.msg_type ?? m.message_type ?? 'text',
    content,
    sender: {
      type: isBot ? 'app' : 'user',
      open_id: openId,
      name: sender.name || (isBot ? state.botName : userName(openId)) || '未知用户',
    },
    parent_id: m.parent_id || null,
    root_id: m.root_id || null,
    create_time: m.create_time,
    update_time: m.update_time,
    updated: Boolean(m.updated),
    mentions: Array.isArray(m.mentions) ? m.mentions : [],
    file: m.file && typeof m.file === 'object' ? m.file : null,
  };
}

// ---------------------------------------------------------------- text, mentions, markdown

const FONT_COLORS = {
  red: '#f54a45',
  green: '#2ea121',
  grey: '#8f959e',
  gray: '#8f959e',
  blue: '#3370ff',
  orange: '#ff8800',
  yellow: '#dc9b04',
  purple: '#7f3bf5',
  violet: '#7f3bf5',
  indigo: '#4954e6',
  carmine: '#e03b8c',
  wathet: '#0fa0d8',
  turquoise: '#14a89e',
  lime: '#8fb100',
  neutral: '#646a73',
  default: 'inherit',
};

const TAG_COLORS = {
  neutral: ['#646a73', '#eff0f1'],
  grey: ['#646a73', '#eff0f1'],
  default: ['#646a73', '#eff0f1'],
  blue: ['#245bdb', '#e1eaff'],
  wathet: ['#0a6e8a', '#d9f3fd'],
  turquoise: ['#067063', '#d5f6f2'],
  lime: ['#5e7000', '#eef6c6'],
  green: ['#1f7a16', '#d9f5d6'],
  yellow: ['#8a6100', '#fdf2c4'],
  orange: ['#b64f00', '#fee7cd'],
  red: ['#c02c26', '#fde2e2'],
  carmine: ['#b3195c', '#fde2ef'],
  violet: ['#5b1fbf', '#ece2fe'],
  purple: ['#7b23ad', '#f3e3fc'],
  indigo: ['#3340b8', '#e0e3fc'],
};

const HEADER_THEMES = {
  blue: ['#e1eaff', '#1f4fc7'],
  wathet: ['#d9f3fd', '#0a6e8a'],
  turquoise: ['#d5f6f2', '#067063'],
  green: ['#d9f5d6', '#1f7a16'],
  yellow: ['#fdf2c4', '#7a5600'],
  orange: ['#fee7cd', '#a84800'],
  red: ['#fde2e2', '#b8271f'],
  carmine: ['#fde2ef', '#a8175a'],
  violet: ['#ece2fe', '#5b1fbf'],
  purple: ['#f3e3fc', '#7b23ad'],
  indigo: ['#e0e3fc', '#3340b8'],
  grey: ['#eff0f1', '#1f2329'],
  default: ['#ffffff', '#1f2329'],
};

function colorName(c) {
  return String(c ?? '')
    .toLowerCase()
    .replace(/-\d+$/, '');
}

function fontColor(c) {
  const raw = String(c ?? '').trim();
  if (/^#[0-9a-f]{3,8}$/i.test(raw)) return raw;
  if (/^rgba?\([\d\s.,%]+\)$/i.test(raw)) return raw;
  return FONT_COLORS[colorName(raw)] ?? 'inherit';
}

function tagColors(c) {
  return TAG_COLORS[colorName(c)] ?? TAG_COLORS.neutral;
}

function tagStyle(c) {
  const [fg, bg] = tagColors(c);
  return `--tag-fg:${fg};--tag-bg:${bg}`;
}

function safeUrl(href) {
  const u = String(href ?? '').trim();
  if (/^(https?:|mailto:|\/(?!\/))/i.test(u)) return u;
  return null;
}

function linkHtml(href, text) {
  const url = safeUrl(href);
  if (!url) return esc(text);
  return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(text)}</a>`;
}

function mentionHtml(ids, inner) {
  const names = String(ids)
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean)
    .map((id) => {
      const own = inner && String(inner).trim();
      return own || userName(id);
    });
  const first = String(ids).split(',')[0]?.trim();
  const me = first && first === state.postAs ? ' me' : '';
  return names.map((n) => `<span class="mention${me}">@${esc(n)}</span>`).join(' ');
}

// Private-use characters mark protected fragments while the rest of the line is escaped and formatted.
const SLOT_OPEN = '\uE000';
const SLOT_CLOSE = '\uE001';
const SLOT_RE = /\uE000(\d+)\uE001/g;

function inlineMarkdown(raw) {
  const slots = [];
  const put = (html) => `${SLOT_OPEN}${slots.push(html) - 1}${SLOT_CLOSE}`;
  let s = String(raw ?? '');
  s = s.replace(/`([^`]+)`/g, (_m, code) => put(`<code>${esc(code)}</code>`));
  s = s.replace(
    /<at\s+(?:id|ids|email|user_id|open_id)\s*=\s*["']?([^"'>\s]+)["']?\s*>([\s\S]*?)<\/at>/gi,
    (_m, ids, inner) => put(mentionHtml(ids, inner)),
  );
  s = s.replace(/<font\s+colou?r\s*=\s*["']?([\w#(),.\s%-]+?)["']?\s*>/gi, (_m, c) =>
    put(`<span style="color:${fontColor(c)}">`),
  );
  s = s.replace(/<\/font>/gi, () => put('</span>'));
  s = s.replace(/<text_tag\s+colou?r\s*=\s*["']?([\w-]+)["']?\s*>/gi, (_m, c) =>
    put(`<span class="text-tag" style="${tagStyle(c)}">`),
  );
  s = s.replace(/<\/text_tag>/gi, () => put('</span>'));
  s = s.replace(/<br\s*\/?>/gi, () => put('<br>'));
  s = s.replace(/<a\s+href\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/a>/gi, (_m, href, t) =>
    put(linkHtml(href, t)),
  );
  s = s.replace(/<link\s+url\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/link>/gi, (_m, href, t) =>
    put(linkHtml(href, t || href)),
  );
  s = s.replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, t, href) => put(linkHtml(href, t)));
  s = s.replace(/https?:\/\/[^\s<>"'\uE000\uE001）)，。]+/g, (u) => put(linkHtml(u, u)));
  s = esc(s);
  s = s.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/__(.+?)__/g, '<strong>$1</strong>');
  s = s.replace(/~~(.+?)~~/g, '<del>$1</del>');
  s = s.replace(/(^|[^*\w])\*(?![\s*])(.+?)\*(?!\*)/g, '$1<em>$2</em>');
  // Restore twice: a slot may only contain finished HTML, but nested replacements can leave markers.
  s = s.replace(SLOT_RE, (_m, i) => slots[Number(i)] ?? '');
  return s.replace(SLOT_RE, (_m, i) => slots[Number(i)] ?? '');
}

function markdownToHtml(src) {
  const lines = String(src ?? '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  const out = [];
  let para = [];
  let list = null;
  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(inlineMarkdown).join('<br>')}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list)
      out.push(
        `<${list.type}>${list.items.map((i) => `<li>${inlineMarkdown(i)}</li>`).join('')}</${list.type}>`,
      );
    list = null;
  };
  const flush = () => {
    flushPara();
    flushList();
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const quote = /^>\s?(.*)$/.exec(line);
    if (/^\s*```/.test(line)) {
      flush();
      const code = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i])) code.push(lines[i++]);
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
    } else if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      flush();
      out.push('<hr>');
    } else if (bullet || numbered) {
      const type = bullet ? 'ul' : 'ol';
      flushPara();
      if (list?.type !== type) flushList();
      list ??= { type, items: [] };
      list.items.push((bullet ?? numbered)[1]);
    } else if (heading) {
      flush();
      const level = Math.min(heading[1].length, 4);
      out.push(`<h${level}>${inlineMarkdown(heading[2])}</h${level}>`);
    } else if (quote) {
      flush();
      out.push(`<blockquote>${inlineMarkdown(quote[1])}</blockquote>`);
    } else if (line.trim() === '') {
      flush();
      if (out.length && i < lines.length - 1) out.push('<div class="md-gap"></div>');
    } else {
      flushList();
      para.push(line);
    }
  }
  flush();
  return out.join('');
}

function markdownNode(src, cls) {
  const node = h('div', { class: `md ${cls ?? ''}` });
  node.innerHTML = markdownToHtml(src);
  return node;
}

// Text messages: <at user_id="…">name</at>, @_user_N placeholders and bare links, as DOM nodes.
function textNodes(text, msg) {
  const frag = document.createDocumentFragment();
  const re =
    /<at\s+user_id\s*=\s*["']?([^"'>\s]+)["']?\s*>([\s\S]*?)<\/at>|@_user_\d+|@_all|https?:\/\/[^\s<>"'）)，。]+/g;
  const src = String(text ?? '');
  let last = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    if (m.index > last) frag.append(src.slice(last, m.index));
    const tok = m[0];
    if (m[1] !== undefined) {
      const name = m[2]?.trim() || userName(m[1]);
      frag.append(h('span', { class: `mention${m[1] === state.postAs ? ' me' : ''}` }, `@${name}`));
    } else if (tok === '@_all') {
      frag.append(h('span', { class: 'mention' }, '@所有人'));
    } else if (tok.startsWith('@_user_')) {
      const mention = msg?.mentions?.find((x) => x.key === tok);
      const id = mention?.open_id ?? mention?.id?.open_id ?? mention?.id;
      const name = mention?.name ?? (typeof id === 'string' ? userName(id) : tok);
      frag.append(h('span', { class: `mention${id === state.postAs ? ' me' : ''}` }, `@${name}`));
    } else {
      frag.append(h('a', { href: tok, target: '_blank', rel: 'noopener noreferrer' }, tok));
    }
    last = m.index + tok.length;
  }
  if (last < src.length) frag.append(src.slice(last));
  return frag;
}

function plainOf(t) {
  if (t === null || t === undefined) return '';
  if (typeof t === 'string') return t;
  if (typeof t !== 'object') return String(t);
  const i18n = t.i18n_content ?? t.i18n ?? null;
  if (i18n && typeof i18n === 'object') {
    const v = i18n.zh_cn ?? i18n.en_us ?? Object.values(i18n)[0];
    if (v) return String(v);
  }
  return String(t.content ?? t.text ?? '');
}

function stripTags(s) {
  return String(s ?? '')
    .replace(
      /<at\s+[^>]*?(?:id|ids|user_id|email)\s*=\s*["']?([^"'>\s]+)["']?[^>]*>([\s\S]*?)<\/at>/gi,
      (_m, id, inner) => (inner ? `@${inner}` : `@${userName(id)}`),
    )
    .replace(/<[^>]+>/g, '')
    .replace(/\*\*|~~|`/g, '');
}

// ---------------------------------------------------------------- post messages

function postBody(content) {
  if (Array.isArray(content?.content)) return content;
  for (const key of ['zh_cn', 'en_us', 'ja_jp']) if (content?.[key]?.content) return content[key];
  if (content && typeof content === 'object') {
    for (const v of Object.values(content))
      if (v && typeof v === 'object' && Array.isArray(v.content)) return v;
  }
  return { title: '', content: [] };
}

function renderPostNode(node, msg) {
  switch (node?.tag) {
    case 'text': {
      const span = h('span', null, node.text ?? '');
      const style = Array.isArray(node.style) ? node.style : [];
      if (style.includes('bold')) span.style.fontWeight = '600';
      if (style.includes('italic')) span.style.fontStyle = 'italic';
      const deco = [
        style.includes('underline') && 'underline',
        style.includes('lineThrough') && 'line-through',
      ];
      if (deco.some(Boolean)) span.style.textDecoration = deco.filter(Boolean).join(' ');
      return span;
    }
    case 'a':
      return safeUrl(node.href)
        ? h('a', { href: node.href, target: '_blank', rel: 'noopener noreferrer' }, node.text ?? node.href)
        : h('span', null, node.text ?? '');
    case 'at':
      return h(
        'span',
        { class: `mention${node.user_id === state.postAs ? ' me' : ''}` },
        `@${node.user_name ?? userName(node.user_id)}`,
      );
    case 'md':
      return markdownNode(node.text);
    case 'hr':
      return h('hr', { class: 'card-hr' });
    case 'code_block':
      return h('pre', null, h('code', null, node.text ?? ''));
    case 'emotion':
      return h('span', null, `[${node.emoji_type ?? '表情'}]`);
    case 'img':
    case 'media':
      return h('span', { class: 'img-ph' }, node.tag === 'img' ? '🖼 图片' : '🎞 视频');
    default:
      return textNodes(node?.text ?? '', msg);
  }
}

function renderPost(content, msg) {
  const post = postBody(content);
  const bubble = h('div', { class: 'bubble post', testid: 'message-text' });
  if (post.title) bubble.append(h('div', { class: 'post-title' }, post.title));
  for (const para of post.content ?? []) {
    const line = h('div');
    for (const node of Array.isArray(para) ? para : [para]) line.append(renderPostNode(node, msg));
    bubble.append(line);
  }
  return bubble;
}

// ---------------------------------------------------------------- cards

function unknownNode(tag, why) {
  return h(
    'span',
    { class: 'unknown', testid: 'card-unknown', title: why ?? '' },
    `[暂不支持的组件：${tag ?? '未知'}]`,
  );
}

function textSizeClass(size) {
  if (!size) return '';
  if (/notation|xs|small/.test(size)) return 'ts-notation';
  if (/xxx?x?-large|heading-0|heading-1/.test(size)) return 'ts-xlarge';
  if (/x-large|heading-2/.test(size)) return 'ts-large';
  if (/heading|large/.test(size)) return 'ts-heading';
  return '';
}

function alignClass(a) {
  return a === 'center' ? 'align-center' : a === 'right' ? 'align-right' : '';
}

function callbackValue(el) {
  const behaviors = Array.isArray(el?.behaviors) ? el.behaviors : [];
  const cb = behaviors.find((b) => b?.type === 'callback');
  if (cb) return cb.value ?? {};
  if (el && el.value !== undefined && !['input', 'select_static'].includes(el.tag)) return el.value;
  return undefined;
}

function openUrlOf(el) {
  const behaviors = Array.isArray(el?.behaviors) ? el.behaviors : [];
  const ou = behaviors.find((b) => b?.type === 'open_url');
  if (ou) return ou.default_url ?? ou.pc_url ?? ou.url ?? null;
  return el?.url ?? el?.multi_url?.url ?? el?.multi_url?.pc_url ?? null;
}

function renderCardText(t, extraClass) {
  if (!t) return null;
  const tag = t.tag ?? 'plain_text';
  const content = plainOf(t);
  const cls = `${textSizeClass(t.text_size)} ${alignClass(t.text_align)} ${extraClass ?? ''}`;
  if (tag === 'lark_md' || tag === 'markdown') return markdownNode(content, cls);
  const node = h('div', { class: cls }, content);
  node.style.whiteSpace = 'pre-wrap';
  if (t.text_color) node.style.color = fontColor(t.text_color);
  return node;
}

function renderElements(list, ctx, parent) {
  for (const el of Array.isArray(list) ? list : []) parent.append(renderElementSafe(el, ctx));
  return parent;
}

function renderElementSafe(el, ctx) {
  try {
    const node = renderElement(el, ctx);
    if (node instanceof Element) {
      if (el?.tag) node.dataset.tag = el.tag;
      if (el?.element_id) node.dataset.elementId = el.element_id;
    }
    return node ?? unknownNode(el?.tag);
  } catch (err) {
    console.warn('card element failed to render', el, err);
    return unknownNode(el?.tag, String(err?.message ?? err));
  }
}

function renderElement(el, ctx) {
  if (!el || typeof el !== 'object') return unknownNode(typeof el);
  switch (el.tag) {
    case 'markdown':
    case 'lark_md': {
      const content = el.i18n_content ? plainOf({ i18n_content: el.i18n_content }) : (el.content ?? '');
      return markdownNode(content, `card-el ${textSizeClass(el.text_size)} ${alignClass(el.text_align)}`);
    }
    case 'plain_text':
      return renderCardText(el, 'card-el');
    case 'div':
      return renderDiv(el, ctx);
    case 'hr':
      return h('hr', { class: 'card-hr' });
    case 'column_set':
      return renderColumnSet(el, ctx);
    case 'column':
      return renderColumn(el, ctx, 1);
    case 'button':
      return renderButton(el, ctx);
    case 'action': {
      const row = h('div', { class: 'btn-row card-el' });
      return renderElements(el.actions, ctx, row);
    }
    case 'form':
      return renderForm(el, ctx);
    case 'input':
      return renderInput(el, ctx);
    case 'select_static':
    case 'multi_select_static':
    case 'select_person':
    case 'multi_select_person':
      return renderSelect(el, ctx);
    case 'overflow':
      return renderOverflow(el, ctx);
    case 'checker':
      return renderChecker(el, ctx);
    case 'date_picker':
    case 'picker_date':
    case 'picker_time':
    case 'picker_datetime':
      return renderPicker(el, ctx);
    case 'person':
      return h('div', { class: 'card-el' }, personChip(el.user_id, el));
    case 'person_list': {
      const ids = (el.persons ?? []).map((p) => (typeof p === 'string' ? p : p?.id));
      return h('div', { class: 'card-el' }, ...ids.map((id) => personChip(id, el)));
    }
    case 'note':
      return renderNote(el, ctx);
    case 'chart':
      return renderChart(el);
    case 'table':
      return renderTable(el);
    case 'img':
    case 'image':
      return renderImage(el);
    case 'img_combination':
      return h('span', { class: 'img-ph' }, `🖼 图片组（${(el.img_list ?? []).length} 张）`);
    case 'collapsible_panel': {
      const details = h('details', { class: 'panel card-el' });
      if (el.expanded) details.open = true;
      details.append(h('summary', null, plainOf(el.header?.title) || '展开'));
      details.append(renderElements(el.elements, ctx, h('div', { class: 'panel-body' })));
      return details;
    }
    case 'interactive_container':
      return renderContainer(el, ctx);
    case 'text_tag':
      return h('span', { class: 'text-tag', style: tagStyle(el.color) }, plainOf(el.text));
    default:
      return unknownNode(el.tag);
  }
}

function renderDiv(el, ctx) {
  const wrap = h('div', { class: 'card-el' });
  if (el.text) wrap.append(renderCardText(el.text));
  if (Array.isArray(el.fields) && el.fields.length) {
    const grid = h('div', { class: 'fields' });
    for (const f of el.fields) {
      const cell = renderCardText(f.text) ?? h('div');
      if (!f.is_short) cell.classList.add('wide');
      grid.append(cell);
    }
    wrap.append(grid);
  }
  if (el.extra) wrap.append(renderElementSafe(el.extra, ctx));
  return wrap;
}

function columnBackground(style) {
  if (!style || style === 'default') return null;
  if (style === 'grey') return '#f5f6f7';
  return tagColors(style)[1];
}

function renderColumnSet(el, ctx) {
  const mode = el.flex_mode ?? 'none';
  const row = h('div', { class: `columns card-el${mode === 'flow' ? ' flow' : ''}` });
  if (el.horizontal_spacing) row.style.gap = cssLength(el.horizontal_spacing, '8px');
  const columns = Array.isArray(el.columns) ? el.columns : [];
  if (['bisect', 'trisect'].includes(mode)) row.classList.add('keep');
  const bg = columnBackground(el.background_style);
  if (bg) {
    row.style.background = bg;
    row.style.borderRadius = '6px';
    row.style.padding = '8px';
  }
  for (const col of columns) {
    let weight = 1;
    if (mode === 'flow') weight = 0;
    else if (mode === 'none' || mode === 'stretch')
      weight = col.width === 'weighted' ? Number(col.weight ?? 1) : 0;
    row.append(renderColumn(col, ctx, weight, mode));
  }
  if (el.action?.multi_url?.url) row.style.cursor = 'pointer';
  return row;
}

function cssLength(v, fallback) {
  if (typeof v === 'number') return `${v}px`;
  const s = String(v ?? '');
  if (/^\d+(\.\d+)?px$/.test(s)) return s;
  if (s === 'small') return '4px';
  if (s === 'medium') return '8px';
  if (s === 'large') return '12px';
  if (s === 'extra_large') return '16px';
  return fallback;
}

function renderColumn(col, ctx, weight, mode) {
  const node = h('div', { class: 'column' });
  if (col?.tag && col.tag !== 'column') return renderElementSafe(col, ctx);
  if (mode === 'bisect') node.style.flex = '1 1 0';
  else if (mode === 'trisect') node.style.flex = '1 1 0';
  else if (typeof col?.width === 'string' && /^\d+px$/.test(col.width)) node.style.flex = `0 0 ${col.width}`;
  else if (weight > 0) node.style.flex = `${weight} 1 0`;
  else node.style.flex = '0 1 auto';
  if (col?.vertical_align === 'center') node.classList.add('v-center');
  if (col?.vertical_align === 'bottom') node.classList.add('v-bottom');
  const bg = columnBackground(col?.background_style);
  if (bg) {
    node.classList.add('bg');
    node.style.background = bg;
  }
  if (col?.vertical_spacing) node.style.gap = cssLength(col.vertical_spacing, '6px');
  return renderElements(col?.elements, ctx, node);
}

function renderButton(el, ctx) {
  const isSubmit = el.form_action_type === 'submit' || el.action_type === 'form_submit';
  const isReset = el.form_action_type === 'reset' || el.action_type === 'form_reset';
  const type = String(el.type ?? 'default').replace(/[^a-z_]/g, '');
  const size = String(el.size ?? 'medium').replace(/[^a-z]/g, '');
  const label = plainOf(el.text) || '按钮';
  const btn = h('button', {
    type: 'button',
    class: `btn t-${type} s-${size}${el.width === 'fill' ? ' fill' : ''}`,
    testid: isSubmit ? 'card-submit' : isReset ? 'card-reset' : 'card-button',
    'aria-label': label,
    title: el.hover_tips ? plainOf(el.hover_tips) : null,
  });
  btn.textContent = label;
  if (el.name) btn.dataset.name = el.name;
  const value = callbackValue(el);
  if (value !== undefined) btn.dataset.value = JSON.stringify(value);
  if (el.disabled) {
    btn.disabled = true;
    if (el.disabled_tips) btn.title = plainOf(el.disabled_tips);
  }
  btn.addEventListener('click', async () => {
    if (el.confirm) {
      const ok = await confirmDialog(plainOf(el.confirm.title) || '确认', plainOf(el.confirm.text));
      if (!ok) return;
    }
    const form = btn.closest('form');
    if (isReset && form) {
      form.reset();
      return;
    }
    if (isSubmit && form) {
      const collected = collectForm(form);
      if (!collected) return;
      await sendAction(ctx.msg, { value: value ?? {}, form_value: collected, name: el.name }, btn);
      return;
    }
    const url = openUrlOf(el);
    if (value !== undefined) await sendAction(ctx.msg, { value, name: el.name }, btn);
    if (url && safeUrl(url)) window.open(url, '_blank', 'noopener');
    if (value === undefined && !url) showToast({ type: 'info', content: '这个按钮没有回调' });
  });
  return btn;
}

function renderForm(el, ctx) {
  const form = h('form', { class: 'card-form card-el', testid: 'card-form', novalidate: true });
  if (el.name) form.dataset.name = el.name;
  form.addEventListener('submit', (e) => e.preventDefault());
  return renderElements(el.elements, { ...ctx, inForm: true }, form);
}

function fieldWrap(el, control) {
  const labelText = plainOf(el.label);
  const wrap = h('div', { class: `field card-el${el.label_position === 'left' ? ' left' : ''}` });
  if (labelText) {
    const label = h('label', { class: 'field-label', for: control.id }, labelText);
    if (el.required) label.append(h('span', { class: 'req', 'aria-hidden': 'true' }, '*'));
    wrap.append(label);
  }
  wrap.append(control);
  if (el.width && /^\d+px$/.test(el.width)) control.style.maxWidth = el.width;
  return wrap;
}

let controlSeq = 0;
function controlId() {
  controlSeq += 1;
  return `cc-${controlSeq}`;
}

function markField(control, el) {
  control.dataset.field = el.name ?? '';
  if (el.required) {
    control.dataset.required = 'true';
    control.setAttribute('aria-required', 'true');
  }
  control.dataset.label = plainOf(el.label) || plainOf(el.placeholder) || el.name || '';
}

function renderInput(el, ctx) {
  const multiline = el.input_type === 'multiline_text';
  const placeholder = plainOf(el.placeholder);
  const label = plainOf(el.label) || placeholder || el.name || '输入';
  const attrs = {
    id: controlId(),
    name: el.name,
    placeholder,
    testid: 'card-input',
    'aria-label': label,
    maxlength: el.max_length ?? 1000,
    disabled: Boolean(el.disabled),
  };
  const control = multiline
    ? h('textarea', { ...attrs, rows: el.rows ?? 3 })
    : h('input', { ...attrs, type: el.input_type === 'password' ? 'password' : 'text' });
  control.value = el.default_value ?? '';
  markField(control, el);
  control.addEventListener('input', () => control.classList.remove('invalid'));
  if (!ctx.inForm && !multiline) {
    // A standalone input calls back when the user presses Enter, with input_value.
    control.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || e.isComposing) return;
      e.preventDefault();
      sendAction(
        ctx.msg,
        { value: callbackValue(el) ?? {}, input_value: control.value, name: el.name },
        control,
      );
    });
  }
  return fieldWrap(el, control);
}

function renderSelect(el, ctx) {
  const multi = el.tag.startsWith('multi_');
  const persons = el.tag.endsWith('_person');
  const placeholder = plainOf(el.placeholder) || (persons ? '选择人员' : '请选择');
  const control = h('select', {
    id: controlId(),
    name: el.name,
    testid: 'card-select',
    'aria-label': plainOf(el.label) || placeholder,
    multiple: multi,
    disabled: Boolean(el.disabled),
  });
  if (!multi) control.append(h('option', { value: '' }, placeholder));
  const options = persons
    ? (el.options?.length ? el.options : state.users.map((u) => ({ value: u.open_id }))).map((o) => ({
        value: o.value ?? o,
        text: userName(o.value ?? o),
      }))
    : (el.options ?? []).map((o) => ({
        value: String(o.value ?? ''),
        text: plainOf(o.text) || String(o.value ?? ''),
      }));
  const initial = multi
    ? new Set(el.selected_values ?? [])
    : new Set([el.initial_option ?? el.initial_index]);
  options.forEach((o, i) => {
    const opt = h('option', { value: o.value }, o.text);
    if (initial.has(o.value) || (!multi && el.initial_index !== undefined && el.initial_index - 1 === i))
      opt.selected = true;
    control.append(opt);
  });
  markField(control, el);
  control.addEventListener('change', () => {
    control.classList.remove('invalid');
    if (ctx.inForm) return;
    const option = multi ? Array.from(control.selectedOptions, (o) => o.value) : control.value;
    sendAction(
      ctx.msg,
      { value: callbackValue(el) ?? {}, [multi ? 'options' : 'option']: option, name: el.name },
      control,
    );
  });
  return fieldWrap(el, control);
}

function renderOverflow(el, ctx) {
  const row = h('div', { class: 'btn-row card-el' });
  for (const opt of el.options ?? []) {
    const label = plainOf(opt.text) || String(opt.value ?? '');
    row.append(
      h(
        'button',
        {
          type: 'button',
          class: 'btn t-text s-small',
          testid: 'card-button',
          onclick: (e) =>
            sendAction(
              ctx.msg,
              { value: opt.value ?? {}, option: opt.value, name: el.name },
              e.currentTarget,
            ),
        },
        label,
      ),
    );
  }
  return row;
}

function renderChecker(el, ctx) {
  const box = h('input', {
    type: 'checkbox',
    id: controlId(),
    name: el.name,
    disabled: Boolean(el.disabled),
  });
  box.checked = Boolean(el.checked);
  markField(box, el);
  box.dataset.kind = 'checkbox';
  if (!ctx.inForm) {
    box.addEventListener('change', () =>
      sendAction(ctx.msg, { value: callbackValue(el) ?? {}, checked: box.checked, name: el.name }, box),
    );
  }
  return h('label', { class: 'check card-el', for: box.id }, box, plainOf(el.text));
}

function renderPicker(el, ctx) {
  const type = el.tag === 'picker_time' ? 'time' : el.tag === 'picker_datetime' ? 'datetime-local' : 'date';
  const control = h('input', {
    type,
    id: controlId(),
    name: el.name,
    'aria-label': plainOf(el.placeholder) || plainOf(el.label) || '选择日期',
    disabled: Boolean(el.disabled),
  });
  const initial = el.initial_date ?? el.initial_time ?? el.initial_datetime;
  if (initial) control.value = String(initial).replace(' ', 'T');
  markField(control, el);
  if (!ctx.inForm) {
    control.addEventListener('change', () =>
      sendAction(ctx.msg, { value: callbackValue(el) ?? {}, option: control.value, name: el.name }, control),
    );
  }
  return fieldWrap(el, control);
}

function personChip(id, el) {
  const name = userName(id);
  const chip = h('span', { class: 'person', title: id ?? '' });
  if (el?.show_avatar !== false) chip.append(avatar(name, id, 'small'));
  if (el?.show_name !== false) chip.append(name);
  return chip;
}

function renderNote(el, ctx) {
  const note = h('div', { class: 'note card-el' });
  for (const child of el.elements ?? []) {
    if (child?.tag === 'plain_text') note.append(h('span', null, plainOf(child)));
    else if (child?.tag === 'lark_md' || child?.tag === 'markdown') note.append(markdownNode(plainOf(child)));
    else if (child?.tag === 'standard_icon') note.append(h('span', { 'aria-hidden': 'true' }, 'ⓘ'));
    else note.append(renderElementSafe(child, ctx));
  }
  return note;
}

function renderImage(el) {
  const alt = plainOf(el.alt) || plainOf(el.title) || '图片';
  const key = el.img_key ?? el.image_key;
  if (!key) return h('span', { class: 'img-ph' }, `🖼 ${alt}`);
  const img = h('img', { class: 'card-img card-el', alt, src: `${API}/files/${encodeURIComponent(key)}` });
  img.addEventListener('error', () => img.replaceWith(h('span', { class: 'img-ph' }, `🖼 ${alt}`)));
  return img;
}

function renderContainer(el, ctx) {
  const node = h('div', { class: 'container card-el' });
  const bg = columnBackground(el.background_style);
  if (bg) node.style.background = bg;
  if (el.has_border === false) node.style.border = '0';
  const value = callbackValue(el);
  const url = openUrlOf(el);
  if (value !== undefined || url) {
    node.classList.add('clickable');
    node.setAttribute('role', 'button');
    node.setAttribute('tabindex', '0');
    node.dataset.testid = 'card-button';
    const go = (e) => {
      if (e.target instanceof Element && e.target.closest('button, a, input, select, textarea')) return;
      if (value !== undefined) sendAction(ctx.msg, { value }, null);
      else if (safeUrl(url)) window.open(url, '_blank', 'noopener');
    };
    node.addEventListener('click', go);
    node.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        go(e);
      }
    });
  }
  return renderElements(el.elements, ctx, node);
}

function renderTable(el) {
  const columns = Array.isArray(el.columns) ? el.columns : [];
  const rows = Array.isArray(el.rows) ? el.rows : [];
  const table = h('table', { class: 'card-table' });
  const head = h('tr');
  for (const c of columns) head.append(h('th', { scope: 'col' }, c.display_name ?? c.name ?? ''));
  table.append(h('thead', null, head));
  const body = h('tbody');
  for (const r of rows) {
    const tr = h('tr');
    for (const c of columns) tr.append(h('td', null, tableCell(r?.[c.name], c)));
    body.append(tr);
  }
  table.append(body);
  return h('div', { class: 'table-wrap card-el' }, table);
}

function tableCell(v, col) {
  if (v === null || v === undefined) return '';
  switch (col?.data_type) {
    case 'options':
      return (Array.isArray(v) ? v : [v]).map((o) =>
        h('span', { class: 'text-tag', style: tagStyle(o?.color) }, o?.text ?? String(o)),
      );
    case 'persons':
      return (Array.isArray(v) ? v : [v]).map((id) => personChip(typeof id === 'string' ? id : id?.id));
    case 'markdown':
    case 'lark_md':
      return markdownNode(v);
    case 'date': {
      const ms = toMillis(v);
      return ms ? new Date(ms).toLocaleDateString('zh-CN') : String(v);
    }
    case 'number': {
      const n = Number(v);
      const p = col.format?.precision;
      return Number.isFinite(n) ? (typeof p === 'number' ? n.toFixed(p) : String(n)) : String(v);
    }
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
}

// ---------------------------------------------------------------- charts (inline SVG)

const CHART_COLORS = ['#3370ff', '#34c724', '#ff8800', '#f54a45', '#7f3bf5', '#14c9c9', '#ffc60a', '#a6a6a6'];
const SVG_NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs ?? {}))
    if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

function chartValues(spec) {
  const d = spec?.data;
  if (Array.isArray(d)) return d.flatMap((x) => (Array.isArray(x?.values) ? x.values : []));
  if (d && Array.isArray(d.values)) return d.values;
  return [];
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 2.5, 5, 10]) if (v <= step * exp) return step * exp;
  return 10 * exp;
}

function shortLabel(s, max) {
  const chars = Array.from(String(s ?? ''));
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

function fmtNum(n) {
  if (!Number.isFinite(n)) return '';
  if (Math.abs(n) >= 10000) return `${(n / 10000).toFixed(n % 10000 === 0 ? 0 : 1)}万`;
  return String(Math.round(n * 100) / 100);
}

function renderChart(el) {
  let spec = el.chart_spec ?? {};
  if (spec.type === 'common' && Array.isArray(spec.series) && spec.series[0]) {
    spec = { ...spec, ...spec.series[0], data: spec.series[0].data ?? spec.data };
  }
  const type = String(spec.type ?? '');
  const values = chartValues(spec);
  const wrap = h('figure', { class: 'chart card-el', testid: 'card-chart', 'data-chart-type': type });
  wrap.style.margin = '0';
  const title = plainOf(spec.title?.text ?? spec.title);
  if (title && typeof title === 'string') wrap.append(h('figcaption', { class: 'chart-title' }, title));
  const [rw, rh] = String(el.aspect_ratio ?? '16:9')
    .split(':')
    .map(Number);
  const W = 560;
  const H = /^\d+px$/.test(String(el.height ?? ''))
    ? Number.parseInt(el.height, 10)
    : Math.round((W * (rh || 9)) / (rw || 16));
  if (!values.length) {
    wrap.append(h('span', { class: 'img-ph' }, `📊 图表（${type || '未知类型'}，无数据）`));
    return wrap;
  }
  let drawn = null;
  if (type === 'pie' || type === 'rose') drawn = drawPie(spec, values, W, H);
  else if (['bar', 'line', 'area', 'histogram', 'scatter'].includes(type) || (spec.xField && spec.yField))
    drawn = drawCartesian(spec, values, W, H, type);
  if (!drawn) {
    wrap.append(h('span', { class: 'img-ph' }, `📊 图表（${type || '未知类型'}）`));
    return wrap;
  }
  wrap.append(drawn.svg);
  if (drawn.legend.length > 1 || type === 'pie') {
    const legend = h('div', { class: 'legend' });
    for (const item of drawn.legend) {
      const dot = h('i');
      dot.style.background = item.color;
      legend.append(h('span', null, dot, item.label));
    }
    wrap.append(legend);
  }
  const summary = drawn.legend.map((l) => l.label).join('、');
  drawn.svg.setAttribute('role', 'img');
  drawn.svg.setAttribute('aria-label', `${title || '图表'}${summary ? `：${summary}` : ''}`);
  return wrap;
}

function drawPie(spec, values, W, H) {
  const cat = spec.categoryField ?? spec.seriesField ?? 'type';
  const val = spec.valueField ?? spec.angleField ?? 'value';
  const items = values
    .map((v) => ({ label: String(v?.[cat] ?? ''), value: Number(v?.[val]) }))
    .filter((x) => Number.isFinite(x.value) && x.value > 0);
  const total = items.reduce((a, b) => a + b.value, 0);
  if (!total) return null;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}` });
  const cx = W / 2;
  const cy = H / 2;
  const r = Math.min(W, H) / 2 - 12;
  const inner = Math.max(0, Math.min(0.9, Number(spec.innerRadius ?? 0))) * r;
  let a0 = -Math.PI / 2;
  const legend = [];
  items.forEach((it, i) => {
    const color = CHART_COLORS[i % CHART_COLORS.length];
    const frac = it.value / total;
    const a1 = a0 + frac * Math.PI * 2;
    const pct = `${Math.round(frac * 1000) / 10}%`;
    legend.push({ label: `${it.label} ${pct}`, color });
    let shape;
    if (frac >= 0.9999) {
      shape = svg('circle', { cx, cy, r, fill: color });
    } else {
      const large = a1 - a0 > Math.PI ? 1 : 0;
      const p = (a, rad) => `${cx + rad * Math.cos(a)} ${cy + rad * Math.sin(a)}`;
      const d = inner
        ? `M ${p(a0, r)} A ${r} ${r} 0 ${large} 1 ${p(a1, r)} L ${p(a1, inner)} A ${inner} ${inner} 0 ${large} 0 ${p(a0, inner)} Z`
        : `M ${cx} ${cy} L ${p(a0, r)} A ${r} ${r} 0 ${large} 1 ${p(a1, r)} Z`;
      shape = svg('path', { d, fill: color, stroke: '#fff', 'stroke-width': 1.5 });
    }
    shape.append(svg('title', null, `${it.label}: ${fmtNum(it.value)} (${pct})`));
    root.append(shape);
    a0 = a1;
  });
  if (inner) root.append(svg('circle', { cx, cy, r: inner - 1, fill: '#fff' }));
  return { svg: root, legend };
}

function drawCartesian(spec, values, W, H, type) {
  const horizontal = spec.direction === 'horizontal';
  const xf = Array.isArray(spec.xField) ? spec.xField : [spec.xField];
  const yf = Array.isArray(spec.yField) ? spec.yField : [spec.yField];
  const catField = horizontal ? yf[0] : xf[0];
  const valField = horizontal ? xf[0] : yf[0];
  const seriesField = spec.seriesField ?? (horizontal ? yf[1] : xf[1]);
  if (!catField || !valField) return null;
  const cats = [];
  const series = [];
  const table = new Map();
  for (const v of values) {
    const c = String(v?.[catField] ?? '');
    const s = seriesField ? String(v?.[seriesField] ?? '') : '';
    const n = Number(v?.[valField]);
    if (!Number.isFinite(n)) continue;
    if (!cats.includes(c)) cats.push(c);
    if (!series.includes(s)) series.push(s);
    table.set(`${c}\u0001${s}`, n);
  }
  if (!cats.length) return null;
  const stacked = Boolean(spec.stack) && type === 'bar';
  let max = 0;
  let min = 0;
  for (const c of cats) {
    let sum = 0;
    for (const s of series) {
      const n = table.get(`${c}\u0001${s}`) ?? 0;
      sum += n;
      if (!stacked) max = Math.max(max, n);
      min = Math.min(min, n);
    }
    if (stacked) max = Math.max(max, sum);
  }
  max = niceMax(max);
  const longest = Math.max(...cats.map((c) => Array.from(c).length));
  const padL = horizontal ? Math.min(130, 14 + Math.min(longest, 8) * 12) : 44;
  const padB = horizontal ? 24 : 30;
  const padT = 12;
  const padR = 16;
  const plotW = W - padL - padR;
  const plotH = H - padT - padB;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}` });
  const scale = (n) => ((n - Math.min(0, min)) / (max - Math.min(0, min))) * (horizontal ? plotW : plotH);
  const ticks = 4;
  for (let i = 0; i <= ticks; i++) {
    const v = Math.min(0, min) + ((max - Math.min(0, min)) * i) / ticks;
    if (horizontal) {
      const x = padL + scale(v);
      root.append(svg('line', { x1: x, x2: x, y1: padT, y2: padT + plotH, stroke: '#eff0f1' }));
      root.append(
        svg('text', { x, y: H - 6, 'font-size': 11, fill: '#8f959e', 'text-anchor': 'middle' }, fmtNum(v)),
      );
    } else {
      const y = padT + plotH - scale(v);
      root.append(svg('line', { x1: padL, x2: W - padR, y1: y, y2: y, stroke: '#eff0f1' }));
      root.append(
        svg(
          'text',
          { x: padL - 6, y: y + 4, 'font-size': 11, fill: '#8f959e', 'text-anchor': 'end' },
          fmtNum(v),
        ),
      );
    }
  }
  const band = (horizontal ? plotH : plotW) / cats.length;
  const labelEvery = horizontal ? 1 : Math.max(1, Math.ceil((cats.length * 44) / plotW));
  cats.forEach((c, i) => {
    if (i % labelEvery !== 0) return;
    const mid = i * band + band / 2;
    const label = svg('text', { 'font-size': 11, fill: '#646a73' }, shortLabel(c, horizontal ? 8 : 6));
    label.append(svg('title', null, c));
    if (horizontal) {
      label.setAttribute('x', padL - 6);
      label.setAttribute('y', padT + mid + 4);
      label.setAttribute('text-anchor', 'end');
    } else {
      label.setAttribute('x', padL + mid);
      label.setAttribute('y', H - 10);
      label.setAttribute('text-anchor', 'middle');
    }
    root.append(label);
  });
  const legend = series.map((s, i) => ({
    label: s || String(valField),
    color: CHART_COLORS[i % CHART_COLORS.length],
  }));
  if (
    type === 'bar' ||
    type === 'histogram' ||
    (!['line', 'area', 'scatter'].includes(type) && type !== '')
  ) {
    const groups = stacked ? 1 : series.length;
    const inner = band * 0.7;
    const bw = inner / groups;
    cats.forEach((c, i) => {
      let acc = 0;
      series.forEach((s, j) => {
        const n = table.get(`${c}\u0001${s}`);
        if (n === undefined) return;
        const len = Math.abs(scale(n) - scale(0));
        const offset = stacked ? scale(acc) - scale(0) : 0;
        const slot = i * band + (band - inner) / 2 + (stacked ? 0 : j * bw);
        const rect = horizontal
          ? svg('rect', {
              x: padL + scale(0) + offset,
              y: padT + slot,
              width: Math.max(len, 0.5),
              height: bw - 2,
              rx: 2,
            })
          : svg('rect', {
              x: padL + slot,
              y: padT + plotH - scale(Math.max(n, 0)) - offset,
              width: Math.max(bw - 2, 1),
              height: Math.max(len, 0.5),
              rx: 2,
            });
        rect.setAttribute('fill', legend[j].color);
        rect.append(svg('title', null, `${c}${s ? ` · ${s}` : ''}: ${fmtNum(n)}`));
        root.append(rect);
        if (stacked) acc += n;
      });
    });
  } else {
    series.forEach((s, j) => {
      const pts = [];
      cats.forEach((c, i) => {
        const n = table.get(`${c}\u0001${s}`);
        if (n === undefined) return;
        pts.push({ x: padL + i * band + band / 2, y: padT + plotH - scale(n), c, n });
      });
      if (!pts.length) return;
      const color = legend[j].color;
      const line = pts.map((p, k) => `${k ? 'L' : 'M'} ${p.x} ${p.y}`).join(' ');
      if (type === 'area') {
        const base = padT + plotH - scale(0);
        root.append(
          svg('path', {
            d: `${line} L ${pts.at(-1).x} ${base} L ${pts[0].x} ${base} Z`,
            fill: color,
            'fill-opacity': 0.15,
          }),
        );
      }
      if (type !== 'scatter')
        root.append(svg('path', { d: line, fill: 'none', stroke: color, 'stroke-width': 2 }));
      for (const p of pts) {
        const dot = svg('circle', {
          cx: p.x,
          cy: p.y,
          r: 3.5,
          fill: '#fff',
          stroke: color,
          'stroke-width': 2,
        });
        dot.append(svg('title', null, `${p.c}${s ? ` · ${s}` : ''}: ${fmtNum(p.n)}`));
        root.append(dot);
      }
    });
  }
  const axis = horizontal
    ? svg('line', { x1: padL, x2: padL, y1: padT, y2: padT + plotH, stroke: '#bbbfc4' })
    : svg('line', { x1: padL, x2: W - padR, y1: padT + plotH, y2: padT + plotH, stroke: '#bbbfc4' });
  root.append(axis);
  return { svg: root, legend };
}

// ---------------------------------------------------------------- whole card

function cardOf(content) {
  let card = content;
  if (card?.type === 'raw' && card.data) card = card.data;
  return card;
}

function renderCard(content, msg) {
  const card = cardOf(content);
  const node = h('div', { class: 'card', testid: 'card', 'data-message-id': msg.message_id });
  try {
    if (card?.type === 'template' || card?.type === 'card') {
      const id = card.data?.template_id ?? card.data?.card_id ?? '';
      node.append(h('div', { class: 'card-body' }, unknownNode(`模板卡片 ${id}`)));
      return node;
    }
    const header = card?.header ?? card?.i18n_header?.zh_cn ?? card?.i18n_header?.en_us;
    if (header) node.append(renderHeader(header));
    const body = h('div', { class: 'card-body' });
    const elements =
      card?.body?.elements ??
      card?.elements ??
      card?.i18n_elements?.zh_cn ??
      card?.i18n_elements?.en_us ??
      [];
    if (card?.body?.vertical_spacing) body.style.gap = cssLength(card.body.vertical_spacing, '8px');
    renderElements(elements, { msg, inForm: false }, body);
    if (body.childNodes.length) node.append(body);
    if (card?.config?.width_mode === 'fill') node.dataset.wide = 'true';
  } catch (err) {
    console.warn('card failed to render', card, err);
    node.append(h('div', { class: 'card-body' }, unknownNode('卡片', String(err?.message ?? err))));
  }
  return node;
}

function renderHeader(header) {
  const theme = HEADER_THEMES[header.template] ?? HEADER_THEMES.default;
  const node = h('div', {
    class: 'card-header',
    testid: 'card-header',
    'data-template': header.template ?? 'default',
  });
  node.style.setProperty('--h-bg', theme[0]);
  node.style.setProperty('--h-fg', theme[1]);
  if (!HEADER_THEMES[header.template] || header.template === 'default')
    node.style.setProperty('--h-line', '#eff0f1');
  const title = h('div', { class: 'card-title', testid: 'card-title' });
  title.append(h('span', null, stripTags(plainOf(header.title))));
  for (const tag of header.text_tag_list ?? []) {
    title.append(h('span', { class: 'text-tag', style: tagStyle(tag?.color) }, plainOf(tag?.text)));
  }
  node.append(title);
  const sub = plainOf(header.subtitle);
  if (sub) node.append(h('div', { class: 'card-subtitle' }, stripTags(sub)));
  return node;
}

// ---------------------------------------------------------------- card actions and toasts

function currentUser() {
  return els.userSelect.value || state.postAs || state.users[0]?.open_id || '';
}

function collectForm(form) {
  const out = {};
  const missing = [];
  for (const c of form.querySelectorAll('[data-field]')) {
    const name = c.dataset.field;
    if (!name) continue;
    let value;
    if (c.dataset.kind === 'checkbox') value = c.checked;
    else if (c instanceof HTMLSelectElement && c.multiple)
      value = Array.from(c.selectedOptions, (o) => o.value);
    else value = c.value;
    const empty = value === '' || (Array.isArray(value) && value.length === 0);
    if (c.dataset.required === 'true' && empty) {
      c.classList.add('invalid');
      missing.push(c.dataset.label || name);
      continue;
    }
    // Lark leaves out optional fields the user did not fill in.
    if (empty) continue;
    out[name] = value;
  }
  if (missing.length) {
    showToast({ type: 'warning', content: `请填写必填项：${missing.join('、')}` });
    return null;
  }
  return out;
}

async function sendAction(msg, payload, control) {
  const openId = currentUser();
  if (!openId) {
    showToast({ type: 'warning', content: '请先选择发送身份' });
    return;
  }
  if (control) control.disabled = true;
  try {
    const body = { open_id: openId, value: payload.value ?? {} };
    for (const k of ['form_value', 'input_value', 'option', 'options', 'checked', 'name']) {
      if (payload[k] !== undefined) body[k] = payload[k];
    }
    const res = await api(`${API}/messages/${encodeURIComponent(msg.message_id)}/actions`, {
      method: 'POST',
      body,
    });
    const answer = res?.data && !res.toast && !res.card ? res.data : res;
    if (answer?.toast) showToast(answer.toast);
    const card = answer?.card ? cardOf(answer.card) : null;
    if (card && typeof card === 'object' && card.type !== 'template') {
      msg.content = card;
      renderMessages();
    }
    scheduleRefresh(msg.chat_id);
  } catch (err) {
    showToast({ type: 'error', content: `操作失败：${err.message ?? err}` });
  } finally {
    if (control?.isConnected) control.disabled = false;
  }
}

function toastText(t) {
  if (typeof t === 'string') return t;
  return t?.i18n?.zh_cn ?? t?.content ?? t?.i18n?.en_us ?? '';
}

function showToast(t) {
  const type = ['success', 'error', 'warning', 'info'].includes(t?.type) ? t.type : 'info';
  const icons = { success: '✓', error: '!', warning: '!', info: 'i' };
  const node = h(
    'div',
    { class: `toast ${type}`, testid: 'toast', 'data-type': type },
    h('span', { class: 'toast-icon', 'aria-hidden': 'true' }, icons[type]),
    h('span', null, toastText(t)),
  );
  els.toasts.append(node);
  setTimeout(() => node.remove(), type === 'error' ? 5000 : 3000);
}

function confirmDialog(title, text) {
  return new Promise((resolve) => {
    const done = (ok) => {
      backdrop.remove();
      document.removeEventListener('keydown', onKey);
      resolve(ok);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') done(false);
    };
    const ok = h(
      'button',
      { type: 'button', class: 'btn t-primary_filled', testid: 'confirm-ok', onclick: () => done(true) },
      '确定',
    );
    const backdrop = h(
      'div',
      { class: 'modal-backdrop' },
      h(
        'div',
        { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': title },
        h('h2', null, title),
        text ? h('p', null, text) : null,
        h(
          'div',
          { class: 'modal-actions' },
          h(
            'button',
            { type: 'button', class: 'btn', testid: 'confirm-cancel', onclick: () => done(false) },
            '取消',
          ),
          ok,
        ),
      ),
    );
    backdrop.addEventListener('click', (e) => {
      if (e.target === backdrop) done(false);
    });
    document.addEventListener('keydown', onKey);
    document.body.append(backdrop);
    ok.focus();
  });
}

// ---------------------------------------------------------------- messages

function snippet(msg) {
  if (!msg) return '';
  const c = msg.content ?? {};
  switch (msg.msg_type) {
    case 'text':
      return stripTags(c.text ?? '').replace(/@_user_\d+/g, (k) => {
        const m = msg.mentions.find((x) => x.key === k);
        return `@${m?.name ?? ''}`;
      });
    case 'post': {
      const p = postBody(c);
      if (p.title) return p.title;
      return (p.content ?? [])
        .flat()
        .map((n) => n?.text ?? (n?.tag === 'at' ? `@${userName(n.user_id)}` : ''))
        .join('');
    }
    case 'interactive': {
      const card = cardOf(c);
      const title = plainOf(card?.header?.title) || plainOf(card?.config?.summary);
      return `[卡片] ${stripTags(title)}`.trim();
    }
    case 'file':
      return `[文件] ${msg.file?.name ?? c.file_name ?? ''}`;
    case 'image':
      return '[图片]';
    default:
      return `[${msg.msg_type}]`;
  }
}

function fileSize(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
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
      return renderCard(c, msg);
    case 'file': {
      const name = msg.file?.name ?? c.file_name ?? c.file_key ?? '文件';
      const size = typeof msg.file?.size === 'number' ? fileSize(msg.file.size) : '';
      const ext = (/\.([a-z0-9]{1,5})$/i.exec(name)?.[1] ?? 'FILE').toUpperCase();
      return h(
        'a',
        {
          class: 'file',
          testid: 'file-link',
          href: msg.file?.url ?? `${API}/files/${encodeURIComponent(c.file_key ?? '')}`,
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
        src: `${API}/files/${encodeURIComponent(c.image_key ?? '')}`,
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
          onclick: () => setReplyTo(msg),
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

function renderMessages(opts) {
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

// ---------------------------------------------------------------- chat list and unread marks

function seenKey(chatId) {
  return `duban.seen.${chatId}`;
}

function unreadCount(chatId) {
  const list = state.messages.get(chatId) ?? [];
  const seen = readStore(seenKey(chatId));
  const idx = seen ? list.findIndex((m) => m.message_id === seen) : -1;
  const me = currentUser();
  return list.slice(idx + 1).filter((m) => !(m.sender.type === 'user' && m.sender.open_id === me)).length;
}

function markSeen(chatId) {
  const list = state.messages.get(chatId) ?? [];
  const last = list.at(-1);
  if (last) writeStore(seenKey(chatId), last.message_id);
}

function lastActivity(chatId) {
  const last = (state.messages.get(chatId) ?? []).at(-1);
  return last ? (toMillis(last.create_time) ?? 0) : 0;
}

function renderChatList() {
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
        onclick: () => selectChat(c.chat_id),
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

function renderChatHeader() {
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

function renderUserSelect() {
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

function selectChat(chatId) {
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

// ---------------------------------------------------------------- composer

function setReplyTo(msg) {
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

// ---------------------------------------------------------------- data loading and live updates

const inflight = new Map(); // chat_id -> { again: boolean }

async function refreshChat(chatId, opts) {
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
      const body = await api(`${API}/chats/${encodeURIComponent(chatId)}/messages`);
      const list = asArray(body, 'messages').map((m) => normalizeMessage(m, chatId));
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
function scheduleRefresh(chatId) {
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
  const body = await api(`${API}/chats`);
  const chats = asArray(body, 'chats')
    .map(normalizeChat)
    .filter((c) => c.chat_id);
  const known = new Set(state.chats.map((c) => c.chat_id));
  state.chats = chats;
  renderChatList();
  if (state.selected) {
    renderChatHeader();
    renderUserSelect();
  }
  return chats.filter((c) => !known.has(c.chat_id));
}

async function loadConfig() {
  try {
    const cfg = await api(`${API}/config`);
    if (typeof cfg?.bot_name === 'string' && cfg.bot_name) state.botName = cfg.bot_name;
  } catch {
    // Older emulators have no /config: keep the default bot name.
  }
  els.mentionBot.textContent = `@${state.botName}`;
}

async function openP2p() {
  const openId = currentUser();
  if (!openId) return;
  try {
    const chat = await api(`${API}/p2p`, { method: 'POST', body: { open_id: openId } });
    upsertChat(chat);
    selectChat(chat.chat_id);
  } catch (err) {
    showToast({ type: 'error', content: `无法打开私聊：${err.message ?? err}` });
  }
}

async function loadUsers() {
  const body = await api(`${API}/users`);
  state.users = asArray(body, 'users')
    .map((u) => ({ open_id: u.open_id ?? u.id, name: u.name ?? u.open_id ?? u.id }))
    .filter((u) => u.open_id);
  state.usersById = new Map(state.users.map((u) => [u.open_id, u]));
  renderUserSelect();
}

async function refreshAll() {
  try {
    await loadChats();
  } catch (err) {
    console.warn('could not load chats', err);
    return;
  }
  await Promise.all(state.chats.map((c) => refreshChat(c.chat_id)));
}

function setConn(s) {
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

function upsertChat(raw) {
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

function connectStream() {
  if (!('EventSource' in window)) {
    startPolling();
    return;
  }
  stream?.close();
  const es = new EventSource(`${API}/stream`);
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

// ---------------------------------------------------------------- wiring

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
