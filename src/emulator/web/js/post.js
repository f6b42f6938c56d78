// Rich-text (post) messages: paragraphs of text, links, mentions and markdown.

import { h } from './dom.js';
import { markdownNode, safeUrl } from './markdown.js';
import { state, userName } from './state.js';
import { textNodes } from './text.js';

export function postBody(content) {
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

export function renderPost(content, msg) {
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
