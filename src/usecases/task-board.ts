/**
 * The task board behind `/tasks`, `/article` and `duban tasks`: the ledger's live tasks, filtered the way
 * coordinators ask (an agency, an article, overdue, red, yellow), each with its traffic light and the note
 * of its latest report. Officials see only their own agencies' tasks; the caller says which.
 */

import { shanghaiDate } from '../core/cycles/time.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import { computeTrafficLight, type TrafficLight } from '../core/progress/lights.js';
import type { TaskStatus } from '../core/vocabulary.js';
import type { AgencyRepository } from '../store/agency-repository.js';
import type { ProgressRepository } from '../store/progress-repository.js';
import type { TaskRepository, TaskView } from '../store/task-repository.js';
import { findAgencyOrSuggest } from './agency-lookup.js';

export type TaskBoardFilter =
  | { kind: 'all' }
  | { kind: 'agency'; name: string }
  | { kind: 'article'; articleNo: number }
  | { kind: 'overdue' }
  | { kind: 'red' }
  | { kind: 'yellow' };

export const LIGHT_FILTERS = ['overdue', 'red', 'yellow'] as const;

export interface TaskBoardRow extends TaskView {
  light: TrafficLight;
  /** The note of the latest report that has one; null when none. */
  note: string | null;
}

export interface TaskBoard {
  filter: TaskBoardFilter;
  /** The canonical agency name when the filter named one. */
  agency: string | null;
  rows: TaskBoardRow[];
}

export interface TaskBoardDeps {
  tasks: Pick<TaskRepository, 'listTasks' | 'findArticle'>;
  progress: Pick<ProgressRepository, 'updatesOf'>;
  agencies: AgencyRepository;
  registry?: AgencyRegistry | undefined;
}

export function listTaskBoard(
  deps: TaskBoardDeps,
  input: {
    filter: TaskBoardFilter;
    now: Date;
    /** Only these agencies' tasks (an official's own); undefined for everyone's. */
    onlyAgencyIds?: readonly number[] | undefined;
  },
): TaskBoard {
  const { filter, now } = input;
  const agency =
    filter.kind === 'agency' ? findAgencyOrSuggest(deps.agencies, filter.name, deps.registry).name : null;
  // `/tasks 13` means the decision's article 13, as `/due 13` does, not a leaders' instruction numbered 13.
  const article = filter.kind === 'article' ? deps.tasks.findArticle(filter.articleNo) : null;
  let tasks = deps.tasks.listTasks({
    ...(agency === null ? {} : { agency }),
    ...(filter.kind === 'article' ? { articleNo: filter.articleNo } : {}),
    ...(article === null ? {} : { documentId: article.documentId }),
  });
  if (input.onlyAgencyIds !== undefined) {
    const allowed = new Set(input.onlyAgencyIds);
    tasks = tasks.filter((task) => task.agencyId !== null && allowed.has(task.agencyId));
  }
  const updates = deps.progress.updatesOf(tasks.map((task) => task.id));
  const reportsOf = new Map<number, typeof updates>();
  for (const update of updates) {
    const list = reportsOf.get(update.taskId) ?? [];
    list.push(update);
    reportsOf.set(update.taskId, list);
  }
  const rows = tasks.map((task): TaskBoardRow => {
    const reports = reportsOf.get(task.id) ?? [];
    const light = computeTrafficLight({
      task: {
        status: task.status,
        percent: task.percent,
        dueDate: task.dueDate,
        dueKind: task.dueKind,
        dueEvery: task.dueEvery,
        startDate: shanghaiDate(new Date(task.createdAt)),
        blocked: task.blocked,
        blockedReason: task.blockedReason,
      },
      now,
      reports: reports.map((r) => ({
        at: r.at,
        // Written only through recordReport, which stores a TaskStatus.
        status: r.status as TaskStatus,
        percent: r.percent,
        blocked: r.blocked,
        noChange: r.noChange,
      })),
    });
    const noted = reports.filter((r) => r.note !== null && r.note.trim() !== '').at(-1);
    return { ...task, light, note: noted?.note?.trim() ?? null };
  });
  return { filter, agency, rows: rows.filter((row) => matches(row, filter)) };
}

function matches(row: TaskBoardRow, filter: TaskBoardFilter): boolean {
  switch (filter.kind) {
    case 'overdue':
      return row.light.reasons.some((reason) => reason.code === 'overdue');
    case 'red':
      return row.light.color === 'red';
    case 'yellow':
      return row.light.color === 'yellow';
    default:
      return true;
  }
}
