import { t } from '../../core/render/catalog.js';
import { renderTaskBoardCard } from '../../core/render/task-board-card.js';
import type { TaskBoardFilter } from '../../usecases/task-board.js';
import type { MessageContext } from '../context.js';

/** Officials see their own agencies' tasks; coordinators and leaders see everyone's. */
function onlyAgencyIds(ctx: MessageContext): number[] | undefined {
  if (ctx.roles.includes('coordinator') || ctx.roles.includes('leader')) return undefined;
  return ctx.deps.directory.agenciesOf(ctx.event.senderOpenId);
}

function scopeOf(filter: TaskBoardFilter, agency: string | null, mine: boolean): string {
  switch (filter.kind) {
    case 'agency':
      return agency ?? filter.name;
    case 'article':
      return t('coord.board.scope.article', { article: filter.articleNo });
    case 'overdue':
      return t('coord.board.scope.overdue');
    case 'red':
      return t('coord.board.scope.red');
    case 'yellow':
      return t('coord.board.scope.yellow');
    case 'all':
      return mine ? t('coord.board.scope.mine') : t('coord.board.scope.all');
  }
}

/** The one board card for /tasks and /article: the page asked for, and how to ask for the next. */
export async function replyBoard(
  ctx: MessageContext,
  input: { filter: TaskBoardFilter; page: number; command: string },
): Promise<void> {
  const only = onlyAgencyIds(ctx);
  const board = ctx.deps.usecases.coordination.taskBoard({
    filter: input.filter,
    now: ctx.now,
    ...(only === undefined ? {} : { onlyAgencyIds: only }),
  });
  const rendered = renderTaskBoardCard({
    rows: board.rows,
    scope: scopeOf(input.filter, board.agency, only !== undefined),
    page: input.page,
    pageCommand: (page) => `${input.command} p${page}`,
  });
  if (rendered.card === null) {
    await ctx.reply(t('coord.board.pageOutOfRange', { page: input.page, pages: rendered.pages }));
    return;
  }
  await ctx.reply({ kind: 'card', card: rendered.card });
}

/** A trailing `p2` (or 第2页) asks for a page; returns the page and the tokens before it. */
export function takePage(tokens: string[], fail: (message: string) => never): number {
  const last = tokens.at(-1);
  if (last === undefined) return 1;
  const match = /^(?:p|第)(\d+)页?$/iu.exec(last);
  if (match === null) return 1;
  tokens.pop();
  const page = Number(match[1]);
  return page >= 1 ? page : fail(t('coord.arg.page', { value: last }));
}
