// Lark markdown (lark_md) to safe HTML: mentions, colours, links, lists, code.

import { fontColor, tagStyle } from './colors.js';
import { esc, h } from './dom.js';
import { state, userName } from './state.js';

export function safeUrl(href) {
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

export function markdownNode(src, cls) {
  const node = h('div', { class: `md ${cls ?? ''}` });
  node.innerHTML = markdownToHtml(src);
  return node;
}
