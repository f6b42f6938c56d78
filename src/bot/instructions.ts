import { t } from '../core/render/catalog.js';
import type { Middleware } from './compose.js';
import type { MessageContext } from './context.js';

/**
 * A leader's reply in the weekly digest's thread (or one that @-mentions the bot in the leaders' group)
 * is recorded as an instruction (批示) and put to the coordinators; the leader is told so in the thread.
 * Anything else goes on down the chain untouched (the agencies' replies are `threadReplies`).
 */
export const leaderInstructions: Middleware<MessageContext> = async (ctx, next) => {
  const { event } = ctx;
  const instructions = ctx.deps.usecases.instructions;
  if (instructions === undefined || event.chatType !== 'group' || event.attachment !== undefined)
    return next();
  const outcome = instructions.readLeaderReply({
    chatId: event.chatId,
    messageId: event.messageId,
    senderOpenId: event.senderOpenId,
    threadIds: [event.rootId, event.parentId].filter((id): id is string => id !== undefined && id !== ''),
    mentionsBot: event.mentionsBot,
    text: event.text,
    now: ctx.now,
    source: ctx.source,
  });
  switch (outcome.kind) {
    case 'ignored':
      return next();
    case 'forbidden':
      await ctx.reply(t('instruction.forbidden'));
      return;
    case 'which_agency':
      await ctx.reply(t('instruction.whichAgency'));
      return;
    case 'already_recorded':
      await ctx.reply(t('instruction.alreadyRecorded'));
      return;
    case 'recorded':
      await ctx.reply(t('instruction.recorded', { agencies: outcome.agencies.join('、') }));
      return;
  }
};
