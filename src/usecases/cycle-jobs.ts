/**
 * The scheduled work of a prompt cycle: the handlers `createDefaultJobs` runs (weekly prompt,
 * follow-up, escalation check, due reminders). Each handler reads the ledger, asks the pure planner
 * what to say, renders it, writes it to the outbox under the planner's key and lets the dispatcher
 * send it. The key makes a re-run, a catch-up or a crash between writing and sending harmless; the
 * planners apply the weekly budget and the pauses, and the coordinators hear about what they stop.
 */
import { type Clock, systemClock } from '../core/clock.js';
import type { WorkingCalendar } from '../core/cycles/calendar.js';
import { type ChinaWorkingCalendar, createWorkingCalendar } from '../core/cycles/china-calendar.js';
import { type CycleId, cycleOf } from '../core/cycles/cycle.js';
import { planDueReminders } from '../core/cycles/due-reminders.js';
import { type LadderState, type PlannedEscalation, planEscalations } from '../core/cycles/escalation.js';
import { planFollowUps } from '../core/cycles/follow-ups.js';
import {
  createDefaultJobs,
  type JobContext,
  type JobDefinition,
  type JobHandler,
} from '../core/cycles/jobs.js';
import { outboxKey } from '../core/cycles/keys.js';
import type { QuietHours } from '../core/cycles/schedule.js';
import { quietHoursOf, type ScheduleSettings } from '../core/cycles/schedule-settings.js';
import { planSilentParticipants } from '../core/cycles/silent-participants.js';
import { shanghaiDate, shanghaiParts } from '../core/cycles/time.js';
import type { AgencyId, CoordinatorNotice, PlanAgency, PlanTask } from '../core/cycles/types.js';
import type { Locale } from '../core/render/catalog.js';
import {
  type MessageTask,
  renderCalendarNotice,
  renderCoordinatorNotice,
  renderDueReminderCard,
  renderEscalationCard,
  renderFollowUpCard,
  renderSilentParticipantsCard,
} from '../core/render/cycle-messages.js';
import { BUDGET_KINDS, JOB_NAMES, type JobKey, OUTBOX_KIND } from '../core/vocabulary.js';
import type { OutboxDispatcher } from '../delivery/outbox-dispatcher.js';
import type { Logger } from '../logger.js';
import { type AgencyView, createAgencyRepository } from '../store/agency-repository.js';
import type { DubanDatabase } from '../store/database.js';
import { createOutboxRepository, type OutboxEntry, type OutboxItem } from '../store/outbox-repository.js';
import { createSchedulerRepository, type SchedulerRepository } from '../store/scheduler-repository.js';
import { createTaskRepository, type TaskView } from '../store/task-repository.js';
import { createLeadersDigestJob, type DigestDeps } from './digest.js';
import { globalPauseOn, runPromptCycle, toPlanAgency, toPlanTask } from './prompt-cycle.js';
import { createRepositories } from './repositories.js';

export type PromptJobHandlers = Record<Exclude<JobKey, 'leadersDigest'>, JobHandler>;

export interface PromptJobHandlersInput {
  db: DubanDatabase;
  dispatcher: OutboxDispatcher;
  calendar: WorkingCalendar;
  settings: ScheduleSettings;
  logger: Logger;
  locale?: Locale | undefined;
  /** For the weekly prompt's failure notices; defaults to the system clock. */
  clock?: Clock | undefined;
  /**
   * How long the weekly prompt waits for retries of its cards before the job counts as done; the
   * running dispatcher keeps retrying afterwards. Default 0: send what is due now, do not wait.
   */
  settleTimeoutMs?: number | undefined;
}

interface LedgerSnapshot {
  agencies: AgencyView[];
  planAgencies: PlanAgency[];
  tasks: Array<TaskView & { agencyId: number }>;
  planTasks: PlanTask[];
  taskById: Map<number, TaskView & { agencyId: number }>;
  agencyName(id: number): string;
}

function readLedger(db: DubanDatabase, now: Date): LedgerSnapshot {
  const agencyRepo = createAgencyRepository({ db });
  const agencies = agencyRepo.listAgencies();
  const active = new Set(agencies.map((a) => a.id));
  const tasks = createTaskRepository({ db })
    .listTasks()
    .filter(
      (task): task is TaskView & { agencyId: number } => task.agencyId !== null && active.has(task.agencyId),
    );
  // The ladder's third rung: a participant's overdue task goes to the agencies leading its article.
  const leadsByArticle = new Map<number, AgencyId[]>();
  for (const task of tasks) {
    if (task.role !== 'lead') continue;
    const leads = leadsByArticle.get(task.articleId) ?? [];
    if (!leads.includes(task.agencyId)) leads.push(task.agencyId);
    leadsByArticle.set(task.articleId, leads);
  }
  const names = new Map(agencyRepo.listAgencies({ includeInactive: true }).map((a) => [a.id, a.name]));
  return {
    agencies,
    planAgencies: agencies.map((agency) => toPlanAgency(agency, shanghaiDate(now))),
    tasks,
    planTasks: tasks.map((task) => ({
      ...toPlanTask(task),
      ...(task.role === 'participant' ? { leadAgencyIds: leadsByArticle.get(task.articleId) ?? [] } : {}),
    })),
    taskById: new Map(tasks.map((task) => [task.id, task])),
    agencyName: (id) => names.get(id) ?? `#${id}`,
  };
}

function messageTask(task: TaskView): MessageTask {
  return {
    id: task.id,
    articleNo: task.articleNo,
    articleTitle: task.articleTitle,
    role: task.role,
    dueDate: task.dueDate,
  };
}

/** "Answered this cycle": any task of the agency reported within the cycle (card, thread reply, /report). */
function agenciesAnswered(snapshot: LedgerSnapshot, cycle: string): Set<AgencyId> {
  const answered = new Set<AgencyId>();
  for (const task of snapshot.tasks) {
    if (task.lastReportAt !== null && cycleOf(new Date(task.lastReportAt)) === cycle)
      answered.add(task.agencyId);
  }
  return answered;
}

/** The agency's latest report of any kind: a reply stops the escalation climb. */
function lastReplies(snapshot: LedgerSnapshot): Map<AgencyId, Date> {
  const latest = new Map<AgencyId, Date>();
  for (const task of snapshot.tasks) {
    if (task.lastReportAt === null) continue;
    const at = new Date(task.lastReportAt);
    const previous = latest.get(task.agencyId);
    if (!previous || at > previous) latest.set(task.agencyId, at);
  }
  return latest;
}

/** The cycles in which each agency's prompt was delivered. */
function promptedCycles(rows: readonly OutboxEntry[]): Map<AgencyId, CycleId[]> {
  const result = new Map<AgencyId, CycleId[]>();
  for (const row of rows) {
    if (row.status !== 'sent' || row.agencyId === null || row.cycle === null) continue;
    const cycles = result.get(row.agencyId) ?? [];
    if (!cycles.includes(row.cycle)) cycles.push(row.cycle);
    result.set(row.agencyId, cycles);
  }
  return result;
}

export function createPromptJobHandlers(input: PromptJobHandlersInput): PromptJobHandlers {
  const { db, dispatcher, calendar, settings, locale } = input;
  const log = input.logger.child({ component: 'cycle-jobs' });
  const outbox = createOutboxRepository({ db });
  const scheduler: SchedulerRepository = createSchedulerRepository({ db });
  const agencyRepo = createAgencyRepository({ db });
  const loc = locale === undefined ? {} : { locale };

  const coordinatorsChat = (): string | null => agencyRepo.chatOfSpecial('coordinators');

  const noticeItems = (notices: readonly CoordinatorNotice[], snapshot: LedgerSnapshot): OutboxItem[] => {
    if (notices.length === 0) return [];
    const chatId = coordinatorsChat();
    if (chatId === null) {
      log.warn({ notices }, 'no coordinators group is bound; notices are only logged');
      return [];
    }
    return notices.map((notice) => ({
      key: notice.key,
      kind: OUTBOX_KIND.notice,
      chatId,
      agencyId: notice.agencyId,
      cycle: notice.cycle,
      message: {
        kind: 'text',
        text: renderCoordinatorNotice({ notice, agency: snapshot.agencyName(notice.agencyId), ...loc }),
      },
    }));
  };

  /**
   * One warning per year the holiday data does not cover (its outbox key, `calendar:2027`, makes it
   * once): this year, and from December on next year, whose schedule is due about then.
   */
  const warnUncoveredYears = (now: Date): OutboxItem[] => {
    const { year, month } = shanghaiParts(now);
    const years = month === 12 ? [year, year + 1] : [year];
    const missing = years.filter((y) => !calendar.covers(y));
    if (missing.length === 0) return [];
    log.warn(
      { years: missing },
      'the working-day calendar does not cover these years: Monday–Friday assumed',
    );
    const chatId = coordinatorsChat();
    if (chatId === null) return [];
    return missing.map((y) => ({
      key: outboxKey('calendar', y),
      kind: OUTBOX_KIND.notice,
      chatId,
      cycle: cycleOf(now),
      message: { kind: 'text', text: renderCalendarNotice({ year: y, ...loc }) },
    }));
  };

  const enqueueAndSend = async (job: string, items: OutboxItem[], now: Date): Promise<string[]> => {
    const { inserted } = outbox.enqueue({ items, now });
    await dispatcher.drain();
    log.info({ job, queued: inserted.length }, 'messages written to the outbox');
    return inserted;
  };

  const weeklyPrompt = async ({ now, scheduledFor }: JobContext): Promise<void> => {
    outbox.enqueue({ items: warnUncoveredYears(now), now });
    // The same use case as `duban remind --all`: the same rules, the same plan for the same state.
    const result = await runPromptCycle(
      { db, dispatcher, settings, calendar, logger: log, clock: input.clock ?? systemClock, ...loc },
      {
        now,
        all: true,
        cycle: cycleOf(scheduledFor),
        actor: 'scheduler',
        channel: 'scheduler',
        settleTimeoutMs: input.settleTimeoutMs ?? 0,
      },
    );
    log.info(
      {
        job: JOB_NAMES.weeklyPrompt,
        cycle: result.cycle,
        queued: result.queued.length,
        skipped: result.skipped.length,
      },
      'weekly prompt planned',
    );
  };

  const followUp = async ({ now, scheduledFor }: JobContext): Promise<void> => {
    const cycle = cycleOf(scheduledFor);
    const snapshot = readLedger(db, now);
    const plan = planFollowUps({
      now,
      cycle,
      calendar,
      agencies: snapshot.planAgencies,
      tasks: snapshot.planTasks,
      promptedThisCycle: outbox.lastSentByAgency({ cycle, kind: OUTBOX_KIND.prompt }),
      repliesThisCycle: agenciesAnswered(snapshot, cycle),
      sentThisWeek: outbox.countByAgency({ cycle, kinds: BUDGET_KINDS }),
      budget: settings.weeklyBudget,
      globalPause: globalPauseOn(scheduler, shanghaiDate(now)),
      alreadyPlanned: outbox.keysForCycle(cycle),
      minWorkingDaysAfterPrompt: settings.followUpMinWorkingDaysAfterPrompt,
    });
    const items: OutboxItem[] = plan.followUps.map((planned) => ({
      key: planned.key,
      kind: OUTBOX_KIND.followUp,
      chatId: planned.chatId,
      agencyId: planned.agencyId,
      cycle,
      message: {
        kind: 'card',
        card: renderFollowUpCard({
          agency: snapshot.agencyName(planned.agencyId),
          cycle,
          tasks: planned.taskIds.flatMap((id) => {
            const task = snapshot.taskById.get(id);
            return task ? [messageTask(task)] : [];
          }),
          mentionOpenId: planned.mentionOpenId,
          ...loc,
        }),
      },
    }));
    // The follow-ups are written first, so they come before the silent-participant flags in the budget.
    outbox.enqueue({
      items: [...warnUncoveredYears(now), ...items, ...noticeItems(plan.notifyCoordinators, snapshot)],
      now,
    });
    await enqueueAndSend(JOB_NAMES.followUp, silentParticipantItems(now, cycle), now);
  };

  /**
   * A step of the follow-up job: each lead agency hears once per cycle which of its participants have
   * been silent for two of their prompt cycles (the follow-up is the moment silence is looked at).
   */
  const silentParticipantItems = (now: Date, cycle: string): OutboxItem[] => {
    const snapshot = readLedger(db, now);
    const plan = planSilentParticipants({
      cycle,
      agencies: snapshot.planAgencies,
      tasks: snapshot.planTasks,
      promptedCycles: promptedCycles(outbox.list({ kind: OUTBOX_KIND.prompt })),
      sentThisWeek: outbox.countByAgency({ cycle, kinds: BUDGET_KINDS }),
      budget: settings.weeklyBudget,
      globalPause: globalPauseOn(scheduler, shanghaiDate(now)),
      alreadyPlanned: outbox.keysForCycle(cycle),
    });
    if (plan.flags.length > 0) log.info({ cycle, flags: plan.flags.length }, 'silent participants flagged');
    const flags: OutboxItem[] = plan.flags.map((flag) => ({
      key: flag.key,
      kind: OUTBOX_KIND.silentParticipants,
      chatId: flag.chatId,
      agencyId: flag.leadAgencyId,
      cycle,
      message: {
        kind: 'card',
        card: renderSilentParticipantsCard({
          lead: snapshot.agencyName(flag.leadAgencyId),
          articles: flag.articles.map((article) => ({
            articleNo: article.articleNo,
            articleTitle: article.articleTitle,
            agencies: article.agencyIds.map(snapshot.agencyName),
          })),
          ...loc,
        }),
      },
    }));
    return [...flags, ...noticeItems(plan.notifyCoordinators, snapshot)];
  };

  const escalationItem = (
    escalation: PlannedEscalation,
    snapshot: LedgerSnapshot,
    today: string,
    cycle: string,
  ): OutboxItem | null => {
    const tasks = escalation.tasks.flatMap(({ taskId, triggers }) => {
      const task = snapshot.taskById.get(taskId);
      return task ? [{ ...messageTask(task), triggers }] : [];
    });
    const agency = snapshot.agencyName(escalation.agencyId);
    if (escalation.step === 'digest') return null;
    const card = renderEscalationCard({
      step: escalation.step,
      agency,
      tasks,
      today,
      ...(escalation.target.kind === 'agency_chat'
        ? {
            lead: snapshot.agencyName(escalation.target.agencyId),
            mentionOpenId: escalation.target.mentionOpenId,
          }
        : {}),
      ...loc,
    });
    const single = escalation.tasks.length === 1 ? (escalation.tasks[0]?.taskId ?? null) : null;
    if (escalation.target.kind === 'coordinators') {
      const chatId = coordinatorsChat();
      if (chatId === null) {
        log.warn({ key: escalation.key, agency }, 'no coordinators group is bound; escalation only logged');
        return null;
      }
      return {
        key: escalation.key,
        kind: OUTBOX_KIND.escalationNotice,
        chatId,
        agencyId: escalation.agencyId,
        taskId: single,
        cycle,
        message: { kind: 'card', card },
      };
    }
    // The row belongs to the agency whose group gets it: that is whose budget it spends.
    return {
      key: escalation.key,
      kind: OUTBOX_KIND.escalation,
      chatId: escalation.target.chatId,
      agencyId: escalation.target.agencyId,
      taskId: single,
      cycle,
      message: { kind: 'card', card },
    };
  };

  const escalation = async ({ now }: JobContext): Promise<void> => {
    const cycle = cycleOf(now);
    const today = shanghaiDate(now);
    const snapshot = readLedger(db, now);
    const ladder: Map<number, LadderState> = scheduler.ladder();
    const plan = planEscalations({
      now,
      calendar,
      agencies: snapshot.planAgencies,
      tasks: snapshot.planTasks,
      ladder,
      lastReplyAt: lastReplies(snapshot),
      followUpAt: outbox.lastSentByAgency({ kind: OUTBOX_KIND.followUp }),
      grace: settings.escalationGrace,
      sentThisWeek: outbox.countByAgency({ cycle, kinds: BUDGET_KINDS }),
      budget: settings.weeklyBudget,
      globalPause: globalPauseOn(scheduler, shanghaiDate(now)),
    });
    const items = plan.escalations.flatMap((e) => {
      const item = escalationItem(e, snapshot, today, cycle);
      return item ? [item] : [];
    });
    const all = [...warnUncoveredYears(now), ...items, ...noticeItems(plan.notifyCoordinators, snapshot)];
    // The messages and the rungs they stand for are written together: a crash leaves neither, so the
    // re-run plans the same rung again under the same keys.
    scheduler.transaction(() => {
      outbox.enqueue({ items: all, now });
      scheduler.clearLadder({ taskIds: plan.stopped.map((s) => s.taskId) });
      scheduler.advanceLadder({
        advance: plan.advance.flatMap((a) => {
          const task = snapshot.taskById.get(a.taskId);
          return task ? [{ ...a, agencyId: task.agencyId }] : [];
        }),
      });
      scheduler.addDigestItems({ cycle, at: now, items: plan.digestItems });
    });
    await dispatcher.drain();
    log.info(
      {
        job: JOB_NAMES.escalation,
        messages: items.length,
        digest: plan.digestItems.length,
        stopped: plan.stopped.length,
        skipped: plan.skipped.length,
      },
      'escalation checked',
    );
  };

  const dueReminders = async ({ now }: JobContext): Promise<void> => {
    const cycle = cycleOf(now);
    const snapshot = readLedger(db, now);
    const plan = planDueReminders({
      now,
      calendar,
      agencies: snapshot.planAgencies,
      tasks: snapshot.planTasks,
      offsets: settings.dueReminderOffsets,
      sentThisWeek: outbox.countByAgency({ cycle, kinds: BUDGET_KINDS }),
      budget: settings.weeklyBudget,
      globalPause: globalPauseOn(scheduler, shanghaiDate(now)),
      alreadyPlanned: outbox.keysForCycle(cycle),
    });
    const items: OutboxItem[] = plan.reminders.map((reminder) => ({
      key: reminder.key,
      kind: OUTBOX_KIND.dueReminder,
      chatId: reminder.chatId,
      agencyId: reminder.agencyId,
      cycle,
      message: {
        kind: 'card',
        card: renderDueReminderCard({
          agency: snapshot.agencyName(reminder.agencyId),
          tasks: reminder.items.flatMap((item) => {
            const task = snapshot.taskById.get(item.taskId);
            return task
              ? [{ ...messageTask(task), dueDate: item.dueDate, workingDaysLeft: item.workingDaysLeft }]
              : [];
          }),
          ...loc,
        }),
      },
    }));
    await enqueueAndSend(
      JOB_NAMES.dueReminders,
      [...warnUncoveredYears(now), ...items, ...noticeItems(plan.notifyCoordinators, snapshot)],
      now,
    );
  };

  return { weeklyPrompt, followUp, dueReminders, escalation };
}

export interface CycleJobs {
  /** For `createCronScheduler`: */
  jobs: JobDefinition[];
  calendar: ChinaWorkingCalendar;
  runLog: SchedulerRepository;
  quietHours: QuietHours;
  handlers: PromptJobHandlers & { leadersDigest: JobHandler };
}

/**
 * Everything the composition root needs for the scheduler, from the settings: the working-day
 * calendar (package data plus config overrides), the jobs wired to their handlers, the SQLite run log
 * and the quiet hours. Pass the result (with a clock and a logger) to `createCronScheduler`.
 */
export function createCycleJobs(input: {
  db: DubanDatabase;
  dispatcher: OutboxDispatcher;
  settings: ScheduleSettings;
  logger: Logger;
  locale?: Locale | undefined;
  clock?: Clock | undefined;
  /** Replaces the leaders' digest job (src/usecases/digest.ts), which runs by default. */
  leadersDigest?: JobHandler | undefined;
  /** The agencies' scores for the digest, when the scoring use case provides them. */
  digestScores?: DigestDeps['scores'];
  settleTimeoutMs?: number | undefined;
}): CycleJobs {
  const calendar = createWorkingCalendar({
    extraHolidays: input.settings.calendar.extraHolidays,
    extraWorkdays: input.settings.calendar.extraWorkdays,
  });
  const handlers = createPromptJobHandlers({ ...input, calendar });
  const leadersDigest =
    input.leadersDigest ??
    createLeadersDigestJob({
      repos: createRepositories(input.db),
      calendar,
      dispatcher: input.dispatcher,
      logger: input.logger,
      locale: input.locale,
      scores: input.digestScores,
    });
  return {
    jobs: createDefaultJobs({ settings: input.settings, handlers: { ...handlers, leadersDigest } }),
    calendar,
    runLog: createSchedulerRepository({ db: input.db }),
    quietHours: quietHoursOf(input.settings),
    handlers: { ...handlers, leadersDigest },
  };
}
