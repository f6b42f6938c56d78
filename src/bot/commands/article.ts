import { articleNumber, commandArgs, noMore } from './args.js';
import { replyBoard, takePage } from './board.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

const articleArgs = commandArgs((tokens, fail) => {
  const page = takePage(tokens, fail);
  const articleNo = articleNumber(tokens.shift(), fail);
  noMore(tokens, fail);
  return { filter: { kind: 'article' as const, articleNo }, page, command: `/article ${articleNo}` };
});

export const articleCommand = defineCommand({
  name: 'article',
  summary: 'bot.cmd.article.summary',
  usage: 'bot.cmd.article.usage',
  roles: ['coordinator', 'leader', 'official'],
  args: articleArgs,
  handle: (ctx, args) => answering(ctx, () => replyBoard(ctx, args)),
});
