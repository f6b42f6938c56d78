import { shanghaiDate } from '../core/cycles/time.js';
import type { PromptCardTask } from '../core/render/prompt-card.js';
import type { TaskView } from '../store/task-repository.js';

type CardTaskFields =
  | 'id'
  | 'articleNo'
  | 'articleKind'
  | 'articleTitle'
  | 'role'
  | 'status'
  | 'percent'
  | 'dueDate'
  | 'dueKind'
  | 'dueEvery'
  | 'dueWritten'
  | 'blocked'
  | 'blockedReason'
  | 'removedAt'
  | 'createdAt';

/**
 * The prompt card's view of a ledger task, before what each caller adds (its last report, its
 * participants): the weekly prompt and the card re-rendered after a tap read a task the same way.
 */
export function promptCardTaskOf(task: Pick<TaskView, CardTaskFields>): PromptCardTask {
  return {
    id: task.id,
    articleNo: task.articleNo,
    articleKind: task.articleKind,
    articleTitle: task.articleTitle,
    role: task.role,
    status: task.status,
    percent: task.percent,
    dueDate: task.dueDate,
    dueKind: task.dueKind,
    dueEvery: task.dueEvery,
    dueWritten: task.dueWritten,
    // The elapsed-time schedule runs from when the task entered the ledger.
    startDate: shanghaiDate(new Date(task.createdAt)),
    blocked: task.blocked,
    blockedReason: task.blockedReason,
    removedAt: task.removedAt,
  };
}
