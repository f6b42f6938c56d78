/**
 * An article's audit trail as people read it: every event about the article and its tasks, in the order
 * they happened, each with who (open_id and name), which agency, which channel, before → after and the
 * Lark message or event it came from. `/history` and `duban history` both ask this one function.
 */
import { DubanError } from '../core/errors.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import type { HistoryEntry } from '../core/render/history.js';
import type { ArticleKind } from '../core/vocabulary.js';
import type { AgencyView } from '../store/agency-repository.js';
import type { AuditEvent } from '../store/audit-repository.js';
import type { TaskView } from '../store/task-repository.js';
import { findAgencyOrSuggest } from './agency-lookup.js';
import type { Repositories } from './repositories.js';

export interface ArticleHistory {
  article: { no: number; title: string; kind: ArticleKind };
  /** The agency the history is narrowed to; null for every agency. */
  agency: { id: number; name: string } | null;
  entries: HistoryEntry[];
}

export interface ArticleHistoryInput {
  /** The article's number in the decision (第N条), or with `kind: 'instruction'` the instruction's (批示N). */
  article: number;
  /** Which numbering `article` is in; a decision's article by default. */
  kind?: ArticleKind | undefined;
  /** An agency name or alias, or its id: only that agency's tasks (the article's own events stay). */
  agency?: string | number | undefined;
}

export function createHistory(deps: {
  repos: Pick<Repositories, 'agencies' | 'audit' | 'people' | 'tasks'>;
  registry?: AgencyRegistry | undefined;
}) {
  const { repos } = deps;
  const resolveAgency = (agency: string | number): AgencyView => {
    if (typeof agency === 'number') {
      const found = repos.agencies.listAgencies({ includeInactive: true }).find((a) => a.id === agency);
      if (found === undefined)
        throw new DubanError('ledger.unknown_agency', `No agency #${agency}`, {
          hint: 'Run `duban agencies` to see the agencies.',
        });
      return found;
    }
    return findAgencyOrSuggest(repos.agencies, agency, deps.registry);
  };

  return function articleHistory(input: ArticleHistoryInput): ArticleHistory {
    // A decision's article N and the year's instruction N are different things: never mixed here.
    const kind = input.kind ?? 'decision';
    const tasks: TaskView[] = repos.tasks
      .listTasks({ includeRemoved: true })
      .filter((task) => task.articleNo === input.article && task.articleKind === kind);
    const first = tasks[0];
    if (first === undefined) {
      throw new DubanError(
        'history.article_not_found',
        `There is no ${kind === 'instruction' ? 'instruction' : 'article'} ${input.article} in the ledger`,
        {
          hint: 'Run `duban tasks` to see the articles, or import the decision first.',
          details: { article: input.article, kind },
        },
      );
    }
    const agency = input.agency === undefined ? null : resolveAgency(input.agency);
    const mine = agency === null ? tasks : tasks.filter((task) => task.agencyId === agency.id);
    const names = new Map(repos.agencies.listAgencies({ includeInactive: true }).map((a) => [a.id, a.name]));
    const taskAgency = new Map(tasks.map((task) => [String(task.id), task.agencyId]));
    const articleIds = [...new Set(tasks.map((task) => task.articleId))];
    const events = [
      ...repos.audit.listFor('article', articleIds),
      ...repos.audit.listFor(
        'task',
        mine.map((task) => task.id),
      ),
    ].sort((a, b) => a.id - b.id);
    const entry = (event: AuditEvent): HistoryEntry => {
      const agencyId = event.agencyId ?? (event.entity === 'task' ? taskAgency.get(event.entityId) : null);
      return {
        at: event.at,
        actor: event.actor,
        actorName: event.actorName ?? repos.people.nameOf(event.actor),
        agency: agencyId === null || agencyId === undefined ? null : (names.get(agencyId) ?? `#${agencyId}`),
        channel: event.channel,
        entity: event.entity,
        entityId: event.entityId,
        action: event.action,
        before: event.before,
        after: event.after,
        messageId: event.messageId,
        eventId: event.eventId,
      };
    };
    return {
      article: { no: input.article, title: first.articleTitle, kind },
      agency: agency === null ? null : { id: agency.id, name: agency.name },
      entries: events.map(entry),
    };
  };
}

export type ArticleHistoryQuery = ReturnType<typeof createHistory>;
