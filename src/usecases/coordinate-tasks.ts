/**
 * What coordinators change by hand, from chat (`/due`, `/assign`, `/unassign`, `/unbind`) or the CLI: a
 * task's due date, which agency holds an article's task and in what role, and a group's binding. Each
 * change is one transaction with its audit events; refusals are coded `DubanError`s whose details let a
 * front end word them (src/core/render/catalog.ts `coord.*`).
 */
import { isLocalDate, shanghaiDate } from '../core/cycles/time.js';
import { DubanError } from '../core/errors.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import type { TaskRole } from '../core/vocabulary.js';
import type { AgencyRepository, AgencyView } from '../store/agency-repository.js';
import type { AuditChannel, AuditSource } from '../store/audit-repository.js';
import type { ArticleRef, TaskRepository } from '../store/task-repository.js';
import { findAgencyOrSuggest } from './agency-lookup.js';
import { auditSource } from './audit-source.js';
import type { ChatBinding } from './bind-chat.js';

export interface CoordinateDeps {
  tasks: TaskRepository;
  agencies: AgencyRepository;
  registry?: AgencyRegistry | undefined;
  /** Ends the role a group's members held through a binding that ended (src/usecases/membership.ts). */
  members?: { forgetBinding(input: { binding: ChatBinding; actor: string; channel: AuditChannel }): unknown };
}

interface Who {
  actor: string;
  channel: AuditChannel;
  now: Date;
  /** The Lark message and event the change came from (a chat command), for the audit trail. */
  source?: AuditSource | undefined;
}

const auditOf = (who: Who) => ({
  actor: who.actor,
  channel: who.channel,
  at: who.now.toISOString(),
  ...auditSource(who.source),
});

function requireArticle(deps: CoordinateDeps, articleNo: number): ArticleRef {
  const article = deps.tasks.findArticle(articleNo);
  if (article === null) {
    throw new DubanError('coord.unknown_article', `There is no article ${articleNo}.`, {
      hint: 'Run `duban tasks` (or /tasks) to see the articles.',
      details: { article: articleNo },
    });
  }
  return article;
}

function requireAgency(deps: CoordinateDeps, name: string): AgencyView {
  const agency = findAgencyOrSuggest(deps.agencies, name, deps.registry);
  if (agency.kind === 'collective') {
    throw new DubanError('coord.collective', `"${agency.name}" is a collective name, not one agency.`, {
      hint: 'Name a specific agency.',
      details: { name: agency.name },
    });
  }
  return agency;
}

export interface SetDueResult {
  article: number;
  agency: string | null;
  dueDate: string;
  /** Every task the call was about, and those whose date changed. */
  taskIds: number[];
  changed: number[];
}

/** Sets the due date of an article's live tasks, or of one agency's there. Refuses a past or malformed date. */
export function setDueDate(
  deps: CoordinateDeps,
  input: Who & { article: number; agency?: string | undefined; dueDate: string },
): SetDueResult {
  if (!isLocalDate(input.dueDate)) {
    throw new DubanError('coord.bad_date', `"${input.dueDate}" is not a date: write YYYY-MM-DD.`, {
      hint: 'For example 2026-12-31.',
      details: { value: input.dueDate },
    });
  }
  const today = shanghaiDate(input.now);
  if (input.dueDate < today) {
    throw new DubanError('coord.due_past', `${input.dueDate} is before today (${today} in Shanghai).`, {
      hint: 'Give today or a later day.',
      details: { date: input.dueDate, today },
    });
  }
  const article = requireArticle(deps, input.article);
  const agency = input.agency === undefined ? null : requireAgency(deps, input.agency);
  const tasks = deps.tasks
    .listTasks({ documentId: article.documentId, articleNo: article.ordinal })
    .filter((task) => agency === null || task.agencyId === agency.id);
  if (tasks.length === 0) throw noTasks(article.ordinal, agency?.name ?? '');
  const taskIds = tasks.map((task) => task.id);
  const changed = deps.tasks.setDueDate({ taskIds, dueDate: input.dueDate, ...auditOf(input) });
  return { article: article.ordinal, agency: agency?.name ?? null, dueDate: input.dueDate, taskIds, changed };
}

function noTasks(article: number, agency: string): DubanError {
  return new DubanError('coord.no_tasks', `"${agency}" has no task on article ${article}.`, {
    hint: 'Run /article N (or `duban tasks --article N`) to see who holds it.',
    details: { article, agency },
  });
}

export interface AssignResult {
  article: number;
  agency: string;
  role: TaskRole;
  taskId: number;
  outcome: 'created' | 'restored' | 'role_changed' | 'unchanged';
}

/** Gives an agency the article's task as lead or participant (or changes its role there). */
export function assignAgency(
  deps: CoordinateDeps,
  input: Who & { article: number; agency: string; role: TaskRole },
): AssignResult {
  const article = requireArticle(deps, input.article);
  const agency = requireAgency(deps, input.agency);
  const done = deps.tasks.assignTask({
    articleId: article.id,
    agencyId: agency.id,
    agencyName: agency.name,
    role: input.role,
    ...auditOf(input),
  });
  return { article: article.ordinal, agency: agency.name, role: input.role, ...done };
}

export interface UnassignResult {
  article: number;
  agency: string;
  taskIds: number[];
}

/** Takes an article's task away from an agency; refuses when the agency holds none there. */
export function unassignAgency(
  deps: CoordinateDeps,
  input: Who & { article: number; agency: string },
): UnassignResult {
  const article = requireArticle(deps, input.article);
  const agency = requireAgency(deps, input.agency);
  const taskIds = deps.tasks.unassignTasks({ articleId: article.id, agencyId: agency.id, ...auditOf(input) });
  if (taskIds.length === 0) throw noTasks(article.ordinal, agency.name);
  return { article: article.ordinal, agency: agency.name, taskIds };
}

/**
 * Ends a group's binding (agency or special role), audited; the role its members held through it ends
 * too. Returns what it was bound to, or null when it was not bound.
 */
export function unbindChat(deps: CoordinateDeps, input: Who & { chatId: string }): ChatBinding | null {
  const stored = deps.agencies.unbindChat({ chatId: input.chatId, ...auditOf(input) });
  if (stored === null) return null;
  const binding: ChatBinding =
    stored.kind === 'agency'
      ? { kind: 'agency', agencyId: stored.agency.id, agency: stored.agency.name }
      : { kind: 'special', role: stored.role };
  deps.members?.forgetBinding({ binding, actor: input.actor, channel: input.channel });
  return binding;
}
