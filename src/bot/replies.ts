import { t } from '../core/render/catalog.js';
import type { Middleware } from './compose.js';
import type { MessageContext } from './context.js';
import { refusalText } from './reply-answers.js';

/**
 * Messages that are not commands: a reply in a prompt card's thread, or one that @-mentions the bot in an
 * agency's group, is read and echoed for confirmation; a file in the thread is kept as evidence. Anything
 * else (chatter, other groups) goes on down the chain untouched.
 */
export const threadReplies: Middleware<MessageContext> = async (ctx, next) => {
  const { event } = ctx;
  if (event.chatType !== 'group') return next();
  const replies = ctx.deps.usecases.replies;
  const thread = {
    chatId: event.chatId,
    messageId: event.messageId,
    senderOpenId: event.senderOpenId,
    threadIds: [event.rootId, event.parentId].filter((id): id is string => id !== undefined && id !== ''),
    mentionsBot: event.mentionsBot,
    now: ctx.now,
  };
  if (event.attachment !== undefined) {
    const outcome = replies.attachFile({ ...thread, attachment: event.attachment });
    switch (outcome.kind) {
      case 'ignored':
        return next();
      case 'attached':
      case 'already_attached':
        await ctx.reply(
          t('chatReplies.evidence.attached', { article: outcome.articleNo, name: outcome.name }),
        );
        return;
      default:
        await ctx.reply(refusalText(outcome, true));
        return;
    }
  }
  const outcome = replies.readText({ ...thread, text: event.text });
  switch (outcome.kind) {
    case 'ignored':
      return next();
    case 'unreadable':
      await ctx.reply(t('chatReplies.help'));
      return;
    case 'echo':
    case 'unsure':
      await ctx.reply({ kind: 'card', card: outcome.card });
      return;
    default:
      await ctx.reply(refusalText(outcome));
  }
};
