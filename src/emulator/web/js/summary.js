// One-line summaries of messages for the chat list, quotes and the reply bar.

import { cardOf } from './card.js';
import { postBody } from './post.js';
import { userName } from './state.js';
import { plainOf, stripTags } from './text.js';

export function snippet(msg) {
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
