import { t } from '../core/render/catalog.js';
import type { Refusal, TaskChoice } from '../usecases/read-replies.js';

const list = (tasks: readonly TaskChoice[]) =>
  tasks
    .map((task) => t('chatReplies.listItem', { article: task.articleNo, title: task.articleTitle }))
    .join(t('replies.listSeparator'));

/** One line for a reply, a /report or a file the bot did not take, saying why and what to do. */
export function refusalText(refusal: Refusal, forFile = false): string {
  switch (refusal.kind) {
    case 'not_agency_chat':
      return t('chatReplies.notAgencyChat');
    case 'forbidden':
      return t('chatReplies.forbidden');
    case 'nothing_open':
      return t('chatReplies.nothingOpen');
    case 'which_task':
      return forFile
        ? t('chatReplies.evidence.which', { list: list(refusal.tasks) })
        : t('chatReplies.whichTask', { list: list(refusal.tasks) });
    case 'no_such_article':
      return t('chatReplies.noSuchArticle', { article: refusal.article, list: list(refusal.tasks) });
  }
}
