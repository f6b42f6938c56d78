// Plain text from messages and Lark text objects: mentions and links as nodes, tags stripped.

import { h } from './dom.js';
import { state, userName } from './state.js';

// Text messages: <at user_id="…">name</at>, @_user_N placeholders and bare links, as DOM nodes.
export function textNodes(text, msg) {
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

export function plainOf(t) {
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

export function stripTags(s) {
  return String(s ?? '')
    .replace(
      /<at\s+[^>]*?(?:id|ids|user_id|email)\s*=\s*["']?([^"'>\s]+)["']?[^>]*>([\s\S]*?)<\/at>/gi,
      (_m, id, inner) => (inner ? `@${inner}` : `@${userName(id)}`),
    )
    .replace(/<[^>]+>/g, '')
    .replace(/\*\*|~~|`/g, '');
}
