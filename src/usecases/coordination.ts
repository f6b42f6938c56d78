/**
 * The coordinators' use cases bound to one database, for the bot: the composition root (and the bot's
 * tests) make this once; each chat command calls one of its functions.
 */
import type { WorkingCalendar } from '../core/cycles/calendar.js';
import type { ScheduleSettings } from '../core/cycles/schedule-settings.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import type { Locale } from '../core/render/catalog.js';
import type { OutboxDispatcher } from '../delivery/outbox-dispatcher.js';
import type { Logger } from '../logger.js';
import type { AuditChannel } from '../store/audit-repository.js';
import type { DubanDatabase } from '../store/database.js';
import type { ChatBinding } from './bind-chat.js';
import { assignAgency, setDueDate, unassignAgency, unbindChat } from './coordinate-tasks.js';
import { pauseAgencies, resumeAgencies } from './pause.js';
import { type PromptCycleResult, runPromptCycle } from './prompt-cycle.js';
import type { Repositories } from './repositories.js';
import { listTaskBoard } from './task-board.js';

export interface CoordinationDeps {
  db: DubanDatabase;
  repos: Repositories;
  registry?: AgencyRegistry | undefined;
  settings: Pick<ScheduleSettings, 'weeklyBudget'>;
  calendar: WorkingCalendar;
  /** The running app's dispatcher; when absent (or not started yet) /remind only writes the outbox. */
  dispatcher?: (() => OutboxDispatcher | undefined) | undefined;
  members?: { forgetBinding(input: { binding: ChatBinding; actor: string; channel: AuditChannel }): unknown };
  logger?: Logger | undefined;
  locale?: Locale | undefined;
}

export interface RemindInput {
  agency?: string | undefined;
  all?: boolean | undefined;
  force: boolean;
  actor: string;
  channel: AuditChannel;
  now: Date;
}

export function createCoordination(deps: CoordinationDeps) {
  const { repos } = deps;
  const reg = deps.registry === undefined ? {} : { registry: deps.registry };
  const coordinate = {
    tasks: repos.tasks,
    agencies: repos.agencies,
    ...reg,
    ...(deps.members === undefined ? {} : { members: deps.members }),
  };
  const pauseDeps = { repos: { agencies: repos.agencies, scheduler: repos.scheduler }, ...reg };
  return {
    taskBoard: (input: Parameters<typeof listTaskBoard>[1]) =>
      listTaskBoard(
        { tasks: repos.tasks, progress: repos.progress, agencies: repos.agencies, ...reg },
        input,
      ),
    setDueDate: (input: Parameters<typeof setDueDate>[1]) => setDueDate(coordinate, input),
    assign: (input: Parameters<typeof assignAgency>[1]) => assignAgency(coordinate, input),
    unassign: (input: Parameters<typeof unassignAgency>[1]) => unassignAgency(coordinate, input),
    unbind: (input: Parameters<typeof unbindChat>[1]) => unbindChat(coordinate, input),
    pause: (input: Parameters<typeof pauseAgencies>[1]) => pauseAgencies(pauseDeps, input),
    resume: (input: Parameters<typeof resumeAgencies>[1]) => resumeAgencies(pauseDeps, input),
    /** The one prompt cycle; with the app's dispatcher it returns once the rows are written and sending has begun. */
    async remind(input: RemindInput): Promise<PromptCycleResult> {
      const dispatcher = deps.dispatcher?.();
      return runPromptCycle(
        {
          db: deps.db,
          settings: deps.settings,
          calendar: deps.calendar,
          ...(dispatcher === undefined ? {} : { dispatcher }),
          ...reg,
          ...(deps.logger === undefined ? {} : { logger: deps.logger }),
          ...(deps.locale === undefined ? {} : { locale: deps.locale }),
        },
        {
          now: input.now,
          ...(input.all ? { all: true } : { agency: input.agency }),
          force: input.force,
          actor: input.actor,
          channel: input.channel,
          ...(dispatcher === undefined ? { deliver: false } : { settleTimeoutMs: 0 }),
        },
      );
    },
  };
}

export type Coordination = ReturnType<typeof createCoordination>;
