/**
 * Article 34's scores from what the ledger recorded: the facts (src/core/scoring/score.ts) are read
 * from the append-only audit trail and the outbox, never from counters kept on the side, so
 * recomputing gives the same numbers and every line names the event (or prompt) it comes from.
 *
 * - verified: a `verified` event; when the work was reported done is the last done report before it,
 *   and the due date is the one in force then.
 * - returned: a `returned` event.
 * - overdue: a due date that passed (its next Shanghai day began before now) while still in force, with
 *   the task neither verified nor reported done by then; named by the event that set that due date.
 * - missed answer: a prompt (outbox row of kind prompt, sent) whose cycle closed — the agency's next
 *   prompt was sent — with no report and no "no change" from the agency in between; one per task of
 *   the agency open when the prompt went out (or the row's own task).
 * - unapproved delay: a report of done after the due date in force (an approved extension moves the due
 *   date, so what is left is late without one).
 * - approved extension: an `extension_approved` event.
 */
import { addDays, shanghaiDate, shanghaiInstant } from '../core/cycles/time.js';
import type { CardJson } from '../core/render/card-json.js';
import type { Locale } from '../core/render/catalog.js';
import { renderScoreCard } from '../core/render/score-card.js';
import {
  parseScorePeriod,
  previousScorePeriod,
  type ScorePeriod,
  scorePeriodOf,
} from '../core/scoring/period.js';
import type { ScoringRules } from '../core/scoring/rules.js';
import { computeScores, type ScoreFact, type ScoreSheet } from '../core/scoring/score.js';
import { isOpenTask, OUTBOX_KIND, type TaskRole } from '../core/vocabulary.js';
import type { AuditEvent } from '../store/audit-repository.js';
import type { TaskView } from '../store/task-repository.js';
import type { Repositories } from './repositories.js';

export type ScoresRepos = Pick<Repositories, 'audit' | 'tasks' | 'outbox' | 'agencies'>;

const REPORT_ACTIONS = new Set(['reported', 'report_corrected']);
const ANSWER_ACTIONS = new Set(['reported', 'report_corrected', 'no_change_confirmed']);
const STATUS_ACTIONS = new Set(['reported', 'report_corrected', 'verified', 'returned']);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, key)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

const dateOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** An event that set a task's due date: `after.dueDate` written (import, /due, an approved extension). */
function isDueChange(event: AuditEvent): boolean {
  if (event.action === 'extension_rejected') return false;
  return field(event.after, 'dueDate') !== undefined;
}

interface TaskTrail {
  task: TaskView;
  events: AuditEvent[];
  dueChanges: AuditEvent[];
}

/** The due date in force at `at` and the event that set it (null when no event ever named one). */
function dueAt(trail: TaskTrail, at: string): { dueDate: string | null; eventId: number | null } {
  let found: AuditEvent | undefined;
  for (const change of trail.dueChanges) if (change.at <= at) found = change;
  if (found !== undefined) return { dueDate: dateOrNull(field(found.after, 'dueDate')), eventId: found.id };
  const first = trail.dueChanges[0];
  if (first !== undefined) return { dueDate: dateOrNull(field(first.before, 'dueDate')), eventId: null };
  return { dueDate: trail.task.dueDate, eventId: null };
}

/** The task's status just before `at`, from the trail (not_started before any report). */
function statusAt(trail: TaskTrail, at: string): string {
  let status = 'not_started';
  for (const event of trail.events) {
    if (event.at >= at) break;
    if (!STATUS_ACTIONS.has(event.action)) continue;
    const next = field(event.after, 'status');
    if (typeof next === 'string') status = next;
  }
  return status;
}

/** Every score fact the trail holds up to `now`, oldest first. */
export function deriveScoreFacts(repos: ScoresRepos, now: Date): ScoreFact[] {
  const nowIso = now.toISOString();
  const names = new Map(repos.agencies.listAgencies({ includeInactive: true }).map((a) => [a.id, a.name]));
  const trails = new Map<number, TaskTrail>();
  for (const task of repos.tasks.listTasks({ includeRemoved: true })) {
    trails.set(task.id, { task, events: [], dueChanges: [] });
  }
  for (const event of repos.audit.list({ entity: 'task' })) {
    if (event.at > nowIso) continue;
    const trail = trails.get(Number(event.entityId));
    if (trail === undefined) continue;
    trail.events.push(event);
    if (isDueChange(event)) trail.dueChanges.push(event);
  }

  const facts: ScoreFact[] = [];
  const base = (trail: TaskTrail, id: number, at: string, agencyId: number) => ({
    id,
    at,
    taskId: trail.task.id,
    articleNo: trail.task.articleNo,
    articleKind: trail.task.articleKind,
    agencyId,
    agency: names.get(agencyId) ?? trail.task.agency ?? String(agencyId),
    role: trail.task.role as TaskRole,
  });

  for (const trail of trails.values()) {
    const taskAgency = trail.task.agencyId;
    for (const event of trail.events) {
      const agencyId = event.agencyId ?? taskAgency;
      if (agencyId === null) continue;
      const reportedDone =
        REPORT_ACTIONS.has(event.action) && field(event.after, 'status') === 'reported_done';
      if (event.action === 'verified') {
        const done = trail.events
          .filter((e) => e.id < event.id && REPORT_ACTIONS.has(e.action))
          .filter((e) => field(e.after, 'status') === 'reported_done')
          .at(-1);
        const reportedDoneAt = done?.at ?? event.at;
        facts.push({
          ...base(trail, event.id, event.at, agencyId),
          kind: 'verified',
          reportedDoneAt,
          dueDate: dueAt(trail, reportedDoneAt).dueDate,
        });
      } else if (event.action === 'returned') {
        facts.push({ ...base(trail, event.id, event.at, agencyId), kind: 'returned' });
      } else if (event.action === 'extension_approved') {
        const newDueDate = dateOrNull(field(event.after, 'dueDate'));
        if (newDueDate === null) continue;
        facts.push({
          ...base(trail, event.id, event.at, agencyId),
          kind: 'extension_approved',
          dueDate: dateOrNull(field(event.before, 'dueDate')),
          newDueDate,
        });
      } else if (reportedDone) {
        const due = dueAt(trail, event.at).dueDate;
        const day = shanghaiDate(new Date(event.at));
        if (due !== null && day > due) {
          facts.push({
            ...base(trail, event.id, event.at, agencyId),
            kind: 'unapproved_delay',
            dueDate: due,
            eta: day,
          });
        }
      }
    }

    // Overdue: each due date that passed while in force, with the work unfinished at that moment.
    if (taskAgency === null) continue;
    const dueDates = trail.dueChanges.map((change) => ({
      id: change.id,
      at: change.at,
      dueDate: dateOrNull(field(change.after, 'dueDate')),
    }));
    dueDates.forEach((due, i) => {
      if (due.dueDate === null) return;
      const passedAt = shanghaiInstant(addDays(due.dueDate, 1)).toISOString();
      if (passedAt > nowIso) return;
      const replaced = dueDates[i + 1];
      if (replaced !== undefined && replaced.at < passedAt) return;
      if (trail.task.removedAt !== null && trail.task.removedAt < passedAt) return;
      const status = statusAt(trail, passedAt);
      if (status === 'verified' || status === 'reported_done') return;
      facts.push({
        ...base(trail, due.id, passedAt, taskAgency),
        kind: 'overdue',
        dueDate: due.dueDate,
      });
    });
  }

  facts.push(...missedAnswers(repos, trails, names, nowIso));
  return facts.sort((a, b) => (a.at === b.at ? a.id - b.id : a.at < b.at ? -1 : 1));
}

function missedAnswers(
  repos: ScoresRepos,
  trails: Map<number, TaskTrail>,
  names: Map<number, string>,
  nowIso: string,
): ScoreFact[] {
  const prompts = repos.outbox
    .list({ kind: OUTBOX_KIND.prompt, status: 'sent' })
    .filter((row) => row.agencyId !== null && row.sentAt !== null && row.sentAt <= nowIso)
    .sort((a, b) => ((a.sentAt ?? '') < (b.sentAt ?? '') ? -1 : 1));
  const answersOf = new Map<number, string[]>();
  for (const trail of trails.values()) {
    for (const event of trail.events) {
      const agencyId = event.agencyId ?? trail.task.agencyId;
      if (agencyId === null || !ANSWER_ACTIONS.has(event.action)) continue;
      const list = answersOf.get(agencyId) ?? [];
      list.push(event.at);
      answersOf.set(agencyId, list);
    }
  }
  const facts: ScoreFact[] = [];
  prompts.forEach((row, i) => {
    const agencyId = row.agencyId as number;
    const sentAt = row.sentAt as string;
    // The cycle closes when the agency's next prompt goes out; the current one is still open.
    const next = prompts.slice(i + 1).find((later) => later.agencyId === agencyId);
    if (next === undefined) return;
    const closedAt = next.sentAt as string;
    const answered = (answersOf.get(agencyId) ?? []).some((at) => at >= sentAt && at < closedAt);
    if (answered) return;
    for (const trail of trails.values()) {
      const { task } = trail;
      if (task.agencyId !== agencyId) continue;
      if (row.taskId !== null && row.taskId !== undefined && row.taskId !== task.id) continue;
      const created = trail.events.find((e) => e.action === 'created')?.at ?? '';
      if (created > sentAt) continue;
      const removedAt = task.removedAt !== null && task.removedAt <= sentAt ? task.removedAt : null;
      if (!isOpenTask({ status: statusAt(trail, sentAt), removedAt })) continue;
      facts.push({
        id: row.id,
        at: sentAt,
        taskId: task.id,
        articleNo: task.articleNo,
        articleKind: task.articleKind,
        agencyId,
        agency: names.get(agencyId) ?? task.agency ?? String(agencyId),
        role: task.role,
        kind: 'missed_answer',
        cycle: row.cycle ?? '',
      });
    }
  });
  return facts;
}

export interface ScoresInput {
  /** `2026-11`, `2026-Q4`, `2026`; omitted: the rules' default period holding today. */
  period?: string | undefined;
  now: Date;
}

export interface ScoresResult {
  sheet: ScoreSheet;
  /** The same agencies in the period before, for the change. */
  previous: ScoreSheet;
}

/** Reads the period as written, or the rules' default period holding `now` (Shanghai date). */
export function resolveScorePeriod(rules: ScoringRules, period: string | undefined, now: Date): ScorePeriod {
  return period === undefined || period.trim() === ''
    ? scorePeriodOf(shanghaiDate(now), rules.defaultPeriod)
    : parseScorePeriod(period);
}

/** `/score`, `duban score` and the scores export: the sheet for a period, from the trail. */
export function createScores(deps: { repos: ScoresRepos; rules: ScoringRules }) {
  return function scores(input: ScoresInput): ScoresResult {
    const period = resolveScorePeriod(deps.rules, input.period, input.now);
    const facts = deriveScoreFacts(deps.repos, input.now);
    // Every agency with a live task is listed, even with no line: a zero is an answer too.
    const ids = new Set(
      deps.repos.tasks
        .listTasks()
        .map((task) => task.agencyId)
        .filter((id): id is number => id !== null),
    );
    const agencies = deps.repos.agencies
      .listAgencies({ includeInactive: true })
      .filter((a) => ids.has(a.id))
      .map((a) => ({ id: a.id, name: a.name }));
    const sheet = computeScores({ facts, rules: deps.rules, period, agencies });
    const before = previousScorePeriod(period);
    const previous = computeScores({ facts, rules: deps.rules, period: before, agencies });
    return { sheet, previous };
  };
}

export type Scores = ReturnType<typeof createScores>;

/** `/score`: the period's card in the configured language (DUBAN_LOCALE), as the other cards are given it. */
export function createScoreCard(deps: { scores: Scores; locale?: Locale | undefined }) {
  return function scoreCard(input: ScoresInput): CardJson {
    const { sheet, previous } = deps.scores(input);
    return renderScoreCard({ sheet, previous, locale: deps.locale });
  };
}

export type ScoreCard = ReturnType<typeof createScoreCard>;

/** The digest's view of the scores: this period's totals and the period before's, for the change. */
export function digestScoresFrom(scores: ReturnType<typeof createScores>) {
  return (now: Date) => {
    const { sheet, previous } = scores({ now });
    return {
      period: sheet.period.key,
      current: sheet.agencies.map((a) => ({ agencyId: a.agencyId, agency: a.agency, total: a.total })),
      previous: previous.agencies.map((a) => ({ agencyId: a.agencyId, total: a.total })),
    };
  };
}
