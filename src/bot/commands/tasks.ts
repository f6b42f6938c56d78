import { LIGHT_FILTERS, type TaskBoardFilter } from '../../usecases/task-board.js';
import { articleNumber, commandArgs } from './args.js';
import { replyBoard, takePage } from './board.js';
import { answering } from './problems.js';
import { defineCommand } from './types.js';

const tasksArgs = commandArgs((tokens, fail) => {
  const page = takePage(tokens, fail);
  const text = tokens.join(' ');
  let filter: TaskBoardFilter;
  if (text === '') filter = { kind: 'all' };
  else if ((LIGHT_FILTERS as readonly string[]).includes(text.toLowerCase()))
    filter = { kind: text.toLowerCase() as (typeof LIGHT_FILTERS)[number] };
  else if (/^(?:第)?[\d０-９]+(?:条)?$/u.test(text))
    filter = { kind: 'article', articleNo: articleNumber(text, fail) };
  else filter = { kind: 'agency', name: text };
  return { filter, page, command: `/tasks${text === '' ? '' : ` ${text}`}` };
});

export const tasksCommand = defineCommand({
  name: 'tasks',
  summary: 'bot.cmd.tasks.summary',
  usage: 'bot.cmd.tasks.usage',
  roles: ['coordinator', 'leader', 'official'],
  args: tasksArgs,
  handle: (ctx, args) => answering(ctx, () => replyBoard(ctx, args)),
});
