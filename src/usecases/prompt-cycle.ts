/**
 * One prompt cycle, whoever asks for it: the weekly job, `duban remind`, and (later) `/remind` in the
 * coordinators' group. It plans this cycle's prompts under the same rules for all of them (working
 * days, the global and agency pauses, the configured weekly budget, one card per agency per cycle),
 * renders one card per agency (paged when Lark's limits demand), writes them to the outbox and drains
 * it. A dry run shows what each agency would get and writes nothing. `force` sets aside the day, the
 * pauses and the budget (never the outbox key) and is recorded in the audit trail. The outbox keys are
 * the planner's (`prompt:12:2026-W48`), so a second run, or the scheduled one, sends nothing twice.
 */
import { type Clock, systemClock } from '../core/clock.js';
import type { WorkingCalendar } from '../core/cycles/calendar.js';
import { cycleOf } from '../core/cycles/cycle.js';
import { outboxKey } from '../core/cycles/keys.js';
import { pauseInEffect } from '../core/cycles/pause.js';
import { type PromptOverride, type PromptSkipReason, planPromptCycle } from '../core/cycles/prompt.js';
import type { ScheduleSettings } from '../core/cycles/schedule-settings.js';
import { type LocalDate, shanghaiDate } from '../core/cycles/time.js';
import type { CoordinatorNotice, PlanAgency, PlanTask } from '../core/cycles/types.js';
import { DubanError } from '../core/errors.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import { computeTrafficLight } from '../core/progress/lights.js';
import { type Locale, t } from '../core/render/catalog.js';
import {
  type PromptCardTask,
  type PromptParticipant,
  renderPromptCards,
} from '../core/render/prompt-card.js';
import { describeLight } from '../core/render/prompt-card-lights.js';
import { taskPlaceLabel } from '../core/render/task-place.js';
import { BUDGET_KINDS, OUTBOX_KIND } from '../core/vocabulary.js';
import {
  createOutboxDispatcher,
  type DrainResult,
  type OutboxDispatcher,
  type OutboxFailureReport,
} from '../delivery/outbox-dispatcher.js';
import { type Logger, silentLogger } from '../logger.js';
import type { CardJson, ChatPort } from '../ports/chat.js';
import { type AgencyView, createAgencyRepository } from '../store/agency-repository.js';
import { type AuditChannel, type AuditSource, createAuditRepository } from '../store/audit-repository.js';
import type { DubanDatabase } from '../store/database.js';
import { createOutboxRepository, type OutboxItem } from '../store/outbox-repository.js';
import { createSchedulerRepository, type SchedulerRepository } from '../store/scheduler-repository.js';
import { createTaskRepository, type TaskView } from '../store/task-repository.js';
import { auditSource } from './audit-source.js';
import { resolveAgencyName } from './ledger-queries.js';
import { promptCardTaskOf } from './prompt-card-task.js';
import { participantsByArticle } from './rollup.js';

/**
 * Agencies rendered and enqueued before each yield to the dispatcher: a small first chunk so sending
 * starts at once, then chunks of more than a second of the app limit (50/s) so the limiter never waits
 * for cards.
 */
const FIRST_CHUNK = 16;
const RENDER_CHUNK = 64;

/** What a prompt cycle works with; the composition root, the CLI and the bot each supply their own. */
export interface PromptCycleDeps {
  db: DubanDatabase;
  /** The schedule settings (config/schedule.json): the weekly budget per agency. */
  settings: Pick<ScheduleSettings, 'weeklyBudget'>;
  /** China's working days with the config's overrides: no cycle runs on a day off unless forced. */
  calendar: WorkingCalendar;
  /** The running app's dispatcher; otherwise one is made over `chat` for this call. */
  dispatcher?: OutboxDispatcher | undefined;
  /** Needed unless the run is a dry run, only writes the outbox, or a `dispatcher` is given. */
  chat?: ChatPort | undefined;
  /** The clock a dispatcher made here schedules retries by; defaults to the system clock. */
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  locale?: Locale | undefined;
  /** Resolves aliases and typos of `agency`. */
  registry?: AgencyRegistry | undefined;
}

/** Who asks for which cycle, and how. */
export interface PromptCycleInput {
  now: Date;
  /** One agency by name or alias; or `all`. */
  agency?: string | undefined;
  all?: boolean | undefined;
  dryRun?: boolean | undefined;
  /** Defaults to the ISO week (Shanghai) of `now`. */
  cycle?: string | undefined;
  /** Send despite the working-day rule, the pauses and the budget; a real run is audited. */
  force?: boolean | undefined;
  /** Who asked (an open_id, a login name, `scheduler`); for the audit trail. Default `system`. */
  actor?: string | undefined;
  /** Default `system`. */
  channel?: AuditChannel | undefined;
  /** The Lark message and event a forced run came from (a chat command), for the audit trail. */
  source?: AuditSource | undefined;
  /**
   * False: only write the outbox; a running app's dispatcher sends it (the CLI next to the sandbox).
   * Default true: send now and wait for the result.
   */
  deliver?: boolean | undefined;
  /** How long to wait for retries before returning (rows left pending are sent later). Default 60 s. */
  settleTimeoutMs?: number | undefined;
}

interface PromptCyclePrompt {
  agencyId: number;
  agency: string;
  chatId: string;
  key: string;
  taskCount: number;
  pages: number;
  cards: CardJson[];
  /** One readable line per task, for previews. */
  taskLines: string[];
  /** Only on a forced run: the rules that would have held this card back. */
  overridden?: PromptOverride[];
}

export interface PromptCycleResult {
  cycle: string;
  dryRun: boolean;
  force: boolean;
  prompts: PromptCyclePrompt[];
  /** Every agency asked about that gets no card, with the reason. */
  skipped: Array<{ agencyId: number; agency: string; reason: PromptSkipReason }>;
  /** Messages for the coordinators' group (budget reached, no bound group). */
  notices: OutboxItem[];
  /** Outbox keys written by this call (empty for a dry run or a repeat). */
  queued: string[];
  delivery?: DrainResult & {
    pending: number;
    failures: Array<{ agency: string | null; key: string; error: string | null }>;
  };
}

/** The audit entity and action of a forced run. */
export const FORCED_PROMPT_CYCLE = { entity: 'prompt_cycle', action: 'forced' } as const;

/**
 * Which pauses hold on `today`. The one place pause state is read, so that a pause with an end date
 * (`pauseInEffect({ paused, pausedUntil }, today)`) changes only this function.
 */
/**
 * The pauses in force on `today`: the global one and each agency's, with their end dates applied. Every
 * planner (prompt, follow-up, escalation, due reminders) reads them through here.
 */
export function globalPauseOn(
  scheduler: Pick<SchedulerRepository, 'globalPause'>,
  today: LocalDate,
): boolean {
  return pauseInEffect(scheduler.globalPause(), today);
}

/** The planner's view of a ledger agency on `today`: paused only while its pause is in effect. */
export function toPlanAgency(agency: AgencyView, today: LocalDate): PlanAgency {
  return {
    id: agency.id,
    name: agency.name,
    chatId: agency.chatId,
    contactOpenId: agency.contactOpenId,
    paused: pauseInEffect(agency, today),
  };
}

/** The planner's view of an assigned ledger task. */
export function toPlanTask(task: TaskView & { agencyId: number }): PlanTask {
  return {
    id: task.id,
    agencyId: task.agencyId,
    articleNo: task.articleNo,
    articleTitle: task.articleTitle,
    role: task.role,
    status: task.status,
    percent: task.percent,
    dueDate: task.dueDate,
    lastReportAt: task.lastReportAt === null ? null : new Date(task.lastReportAt),
    blocked: task.blocked,
    blockedReason: task.blockedReason,
  };
}

/** The card's view of a ledger task; the last report's note and evidence arrive with progress updates. */
function toPromptCardTask(task: TaskView, participants?: readonly PromptParticipant[]): PromptCardTask {
  return {
    ...(task.role === 'lead' && participants !== undefined ? { participants } : {}),
    ...promptCardTaskOf(task),
    lastReport:
      task.lastReportAt === null
        ? null
        : { at: task.lastReportAt, status: task.status, percent: task.percent, blocked: task.blocked },
  };
}

/** Page 1 keeps the planner's key (the one the exactly-once guarantee rests on); later pages derive from it. */
function promptPageKey(key: string, page: number): string {
  return page === 1 ? key : outboxKey(key, `p${page}`);
}

/** The outbox rows of one agency's prompt: a row per page, page 1 under the planner's key. */
function promptItems(prompt: PromptCyclePrompt, cycle: string): OutboxItem[] {
  return prompt.cards.map((card, page) => ({
    key: promptPageKey(prompt.key, page + 1),
    kind: page === 0 ? OUTBOX_KIND.prompt : OUTBOX_KIND.promptPage,
    chatId: prompt.chatId,
    agencyId: prompt.agencyId,
    cycle,
    message: { kind: 'card' as const, card },
  }));
}

function noticeText(notice: CoordinatorNotice, agency: string, locale: Locale | undefined): string {
  if (notice.kind === 'no_chat') return t('prompts.outbox.noChat', { agency }, locale);
  const deferred = t(`prompts.kind.${notice.deferred}`, undefined, locale);
  return t('prompts.notice.budget', { agency, cycle: notice.cycle, deferred }, locale);
}

export async function runPromptCycle(
  deps: PromptCycleDeps,
  input: PromptCycleInput,
): Promise<PromptCycleResult> {
  const { db, locale } = deps;
  const { now } = input;
  const log = (deps.logger ?? silentLogger).child({ usecase: 'prompt_cycle' });
  if ((input.agency === undefined) === !input.all) {
    throw new DubanError('remind.target_required', 'Name one agency or ask for all of them', {
      hint: 'Use --agency NAME for one agency, or --all for every agency.',
    });
  }
  const agencyRepo = createAgencyRepository({ db });
  const outbox = createOutboxRepository({ db });
  const cycle = input.cycle ?? cycleOf(now);

  const target =
    input.agency === undefined
      ? undefined
      : resolveAgencyName({
          db,
          name: input.agency,
          ...(deps.registry === undefined ? {} : { registry: deps.registry }),
        });
  // Collectives (各有关单位 …) stand for other agencies: they have no group of their own to prompt.
  const agencies =
    target === undefined ? agencyRepo.listAgencies().filter((a) => a.kind !== 'collective') : [target];
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const allTasks = createTaskRepository({ db }).listTasks();
  const ledgerTasks = allTasks.filter(
    (task): task is TaskView & { agencyId: number } => task.agencyId !== null && byId.has(task.agencyId),
  );

  const today = shanghaiDate(now);
  const force = input.force ?? false;
  const plan = planPromptCycle({
    now,
    cycle,
    calendar: deps.calendar,
    force,
    agencies: agencies.map((agency) => toPlanAgency(agency, today)),
    tasks: ledgerTasks.map(toPlanTask),
    // Replies are the progress issue's; until then "answered" means a report landed in this cycle.
    repliesThisCycle: new Set(
      ledgerTasks
        .filter((task) => task.lastReportAt !== null && cycleOf(new Date(task.lastReportAt)) === cycle)
        .map((task) => task.agencyId),
    ),
    sentThisWeek: outbox.countByAgency({ cycle, kinds: BUDGET_KINDS }),
    budget: deps.settings.weeklyBudget,
    globalPause: globalPauseOn(createSchedulerRepository({ db }), today),
    alreadyPlanned: outbox.keysForCycle(cycle),
  });

  const name = (id: number) => byId.get(id)?.name ?? `#${id}`;
  const dryRun = input.dryRun ?? false;
  const tasksById = new Map(ledgerTasks.map((task) => [task.id, task]));
  // The roll-up: a lead's card shows the article's participants, whichever agencies this run prompts.
  const allNames = new Map(agencyRepo.listAgencies({ includeInactive: true }).map((a) => [a.id, a.name]));
  const participants = participantsByArticle(allTasks, (id) => allNames.get(id) ?? `#${id}`);
  const renderPrompt = (planned: (typeof plan.prompts)[number]): PromptCyclePrompt => {
    const tasks = planned.taskIds.flatMap((id) => {
      const task = tasksById.get(id);
      return task === undefined ? [] : [toPromptCardTask(task, participants.get(task.articleId))];
    });
    const cards = renderPromptCards({
      agency: { id: planned.agencyId, name: name(planned.agencyId) },
      cycle: { key: cycle },
      tasks,
      now,
      ...(locale === undefined ? {} : { locale }),
    });
    // Lines for the preview only: a real send does not spend time wording them.
    const taskLines = (dryRun ? tasks : []).map((task) => {
      const light = describeLight(
        computeTrafficLight({
          task: {
            ...task,
            status: task.status as PlanTask['status'],
            dueKind: task.dueKind ?? null,
            dueEvery: task.dueEvery ?? null,
            startDate: task.startDate ?? null,
          },
          now,
        }),
        locale,
      );
      return t(
        'prompts.preview.task',
        {
          place: taskPlaceLabel(task, locale),
          title: task.articleTitle,
          role: t(task.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
          light: `${light.name}（${light.reason}）`,
        },
        locale,
      );
    });
    return {
      agencyId: planned.agencyId,
      agency: name(planned.agencyId),
      chatId: planned.chatId,
      key: planned.key,
      taskCount: tasks.length,
      pages: cards.length,
      cards,
      taskLines,
      ...(planned.overridden === undefined ? {} : { overridden: planned.overridden }),
    };
  };

  const coordinatorsChat = agencyRepo.chatOfSpecial('coordinators');
  const notices: OutboxItem[] =
    coordinatorsChat === null
      ? []
      : plan.notifyCoordinators.map((notice) => ({
          key: notice.key,
          kind: OUTBOX_KIND.notice,
          chatId: coordinatorsChat,
          agencyId: notice.agencyId,
          cycle: notice.cycle,
          message: { kind: 'text', text: noticeText(notice, name(notice.agencyId), locale) },
        }));
  if (coordinatorsChat === null && plan.notifyCoordinators.length > 0) {
    log.warn(
      { notices: plan.notifyCoordinators.length },
      'no coordinators group is bound; notices are only logged',
    );
  }

  const result: PromptCycleResult = {
    cycle,
    dryRun,
    force,
    prompts: [],
    skipped: plan.skipped.map((s) => ({ agencyId: s.agencyId, agency: name(s.agencyId), reason: s.reason })),
    notices,
    queued: [],
  };
  /**
   * The cards of several plans; one agency's card that cannot be drawn is skipped and logged, so it
   * does not stop the fan-out to all the others (a render error used to end the whole cycle).
   */
  const renderAll = (planned: typeof plan.prompts): PromptCyclePrompt[] =>
    planned.flatMap((p) => {
      try {
        return [renderPrompt(p)];
      } catch (error) {
        if (!(error instanceof DubanError) || error.code !== 'render.card_too_large') throw error;
        log.error({ agencyId: p.agencyId, cycle, err: error }, 'a prompt card could not be rendered');
        result.skipped.push({ agencyId: p.agencyId, agency: name(p.agencyId), reason: 'card_too_large' });
        return [];
      }
    });
  if (dryRun) {
    result.prompts = renderAll(plan.prompts);
    return result;
  }

  // A forced run is written down with the first cards, in one transaction: no card goes out on a
  // coordinator's insistence without the record of who insisted and what was set aside.
  const audit = createAuditRepository({ db });
  const recordForce = (): void => {
    if (!force || plan.prompts.length === 0) return;
    log.warn(
      { cycle, actor: input.actor, overridden: plan.prompts.filter((p) => p.overridden).length },
      'prompt cycle forced',
    );
    audit.append({
      at: now.toISOString(),
      actor: input.actor ?? 'system',
      channel: input.channel ?? 'system',
      ...auditSource(input.source),
      entity: FORCED_PROMPT_CYCLE.entity,
      entityId: cycle,
      action: FORCED_PROMPT_CYCLE.action,
      after: {
        target: target?.name ?? 'all',
        agencies: plan.prompts.map((p) => ({
          id: p.agencyId,
          name: name(p.agencyId),
          overridden: p.overridden ?? [],
        })),
      },
    });
  };
  const enqueue = (items: OutboxItem[], first: boolean): string[] =>
    db.$client.transaction(() => {
      if (first) recordForce();
      return outbox.enqueue({ items, now }).inserted;
    })();

  if (input.deliver === false) {
    const items = renderAll(plan.prompts).flatMap((prompt) => {
      result.prompts.push(prompt);
      return promptItems(prompt, cycle);
    });
    result.queued = enqueue([...items, ...notices], true);
    return result;
  }

  const clock = deps.clock ?? systemClock;
  let dispatcher = deps.dispatcher;
  const ownDispatcher = dispatcher === undefined;
  if (dispatcher === undefined) {
    if (deps.chat === undefined) {
      throw new DubanError('remind.no_chat_port', 'Cannot send: no chat connection was given', {
        hint: 'Run with --dry-run, or configure Lark (or the sandbox emulator) first.',
      });
    }
    dispatcher = createOutboxDispatcher({
      outbox,
      chat: deps.chat,
      clock,
      logger: log,
      role: 'remind',
      onFailed: createFailureNotifier({
        db,
        clock,
        logger: log,
        ...(locale === undefined ? {} : { locale }),
      }),
    });
  }
  const settle = { untilSettled: true, timeoutMs: input.settleTimeoutMs ?? 60_000 };

  // Render and enqueue in chunks and start sending after the first: the cards of a large fan-out
  // are rendered while the first ones wait for their rate-limit slots.
  const promptKeys = new Set<string>();
  let firstDrain: Promise<DrainResult> | undefined;
  for (let i = 0, size = FIRST_CHUNK; i < plan.prompts.length || i === 0; i += size, size = RENDER_CHUNK) {
    const chunk = renderAll(plan.prompts.slice(i, i + size));
    result.prompts.push(...chunk);
    const items = chunk.flatMap((prompt) => promptItems(prompt, cycle));
    for (const item of items) promptKeys.add(item.key);
    const batch = i === 0 ? [...items, ...notices] : items;
    result.queued.push(...enqueue(batch, i === 0));
    firstDrain ??= dispatcher.drain(settle);
    await new Promise((resolve) => setImmediate(resolve));
  }
  log.info({ cycle, queued: result.queued.length }, 'prompts written to the outbox');
  // The first drain may have gone idle between two chunks; a second pass sends whatever it left.
  const first = await (firstDrain as Promise<DrainResult>);
  const second = await dispatcher.drain(settle);
  // A dispatcher made here ends with this run: it gives back what it still holds (rows waiting for a
  // retry), so the bot sends them next instead of waiting for the lease to end.
  if (ownDispatcher) await dispatcher.stop();
  const drained: DrainResult = {
    sent: first.sent + second.sent,
    retried: first.retried + second.retried,
    failed: first.failed + second.failed,
  };
  const mine = outbox.statusesForCycle(cycle).filter((row) => promptKeys.has(row.key));
  result.delivery = {
    ...drained,
    pending: mine.filter((row) => row.status === 'pending' || row.status === 'sending').length,
    failures: mine
      .filter((row) => row.status === 'failed')
      .map((row) => ({
        agency: row.agencyId === null ? null : name(row.agencyId),
        key: row.key,
        error: row.lastError,
      })),
  };
  return result;
}

/** Why a message did not go out, in the coordinators' words. */
function describeFailureReason(report: OutboxFailureReport, locale?: Locale): string {
  const code = report.failure.larkCode;
  if (report.failure.deliveryUnknown === true) {
    return t('prompts.outbox.reason.deliveryUnknown', undefined, locale);
  }
  if (code === 230002 || code === 10002) return t('prompts.outbox.reason.botRemoved', { code }, locale);
  if (code === 232009) return t('prompts.outbox.reason.chatDissolved', { code }, locale);
  if (code !== undefined && !report.failure.retryable) {
    return t('prompts.outbox.reason.lark', { code, msg: report.failure.summary }, locale);
  }
  return t(
    'prompts.outbox.reason.other',
    { attempts: report.attempts, error: report.failure.summary },
    locale,
  );
}

/**
 * The dispatcher's `onFailed` for the app and the CLI: tells the coordinators' group which agency
 * missed which message and why, through the outbox itself (its own key, so it is said once).
 */
export function createFailureNotifier(input: {
  db: DubanDatabase;
  clock: Clock;
  logger?: Logger;
  locale?: Locale;
}): (report: OutboxFailureReport) => void {
  const agencyRepo = createAgencyRepository({ db: input.db });
  const outbox = createOutboxRepository({ db: input.db });
  const log = input.logger ?? silentLogger;
  return (report) => {
    const { entry } = report;
    // A notice to the coordinators that fails cannot be reported to the coordinators.
    if (entry.kind === OUTBOX_KIND.notice) return;
    const coordinators = agencyRepo.chatOfSpecial('coordinators');
    const agency =
      entry.agencyId === null
        ? entry.chatId
        : (agencyRepo.listAgencies({ includeInactive: true }).find((a) => a.id === entry.agencyId)?.name ??
          `#${entry.agencyId}`);
    const kind =
      entry.kind === OUTBOX_KIND.prompt || entry.kind === OUTBOX_KIND.promptPage
        ? t('prompts.outbox.kind.prompt', undefined, input.locale)
        : t('prompts.outbox.kind.other', undefined, input.locale);
    const text = t(
      'prompts.outbox.failed',
      { agency, kind, cycle: entry.cycle ?? '', reason: describeFailureReason(report, input.locale) },
      input.locale,
    );
    if (coordinators === null) {
      log.error(
        { key: entry.key, agency, text },
        'a message failed and no coordinators group is bound to tell',
      );
      return;
    }
    outbox.enqueue({
      items: [
        {
          key: outboxKey('failed', entry.key),
          kind: OUTBOX_KIND.notice,
          chatId: coordinators,
          agencyId: entry.agencyId,
          cycle: entry.cycle,
          message: { kind: 'text', text },
        },
      ],
      now: input.clock.now(),
    });
  };
}

/** The text `duban remind` prints: per agency what it would get (dry run) or what was sent. */
export function formatPromptCycleResult(result: PromptCycleResult, locale?: Locale): string {
  const lines: string[] = [];
  lines.push(
    result.dryRun
      ? t('prompts.preview.header', { cycle: result.cycle }, locale)
      : t('prompts.result.header', { cycle: result.cycle, queued: result.queued.length }, locale),
  );
  for (const prompt of result.prompts) {
    lines.push(
      t(
        'prompts.preview.line',
        { agency: prompt.agency, tasks: prompt.taskCount, pages: prompt.pages },
        locale,
      ),
    );
    if (prompt.overridden !== undefined) {
      const reasons = prompt.overridden.map((reason) => t(`prompts.skip.${reason}`, undefined, locale));
      lines.push(
        t(
          'prompts.preview.forced',
          { reasons: reasons.join(t('prompts.reason.separator', undefined, locale)) },
          locale,
        ),
      );
    }
    if (result.dryRun) lines.push(...prompt.taskLines);
  }
  for (const skipped of result.skipped) {
    lines.push(
      t(
        'prompts.preview.skipped',
        { agency: skipped.agency, reason: t(`prompts.skip.${skipped.reason}`, undefined, locale) },
        locale,
      ),
    );
  }
  if (result.notices.length > 0)
    lines.push(t('prompts.preview.notices', { count: result.notices.length }, locale));
  if (!result.dryRun && result.delivery === undefined && result.queued.length > 0) {
    lines.push(t('prompts.result.queuedOnly', undefined, locale));
  }
  if (result.delivery) {
    lines.push(
      t(
        'prompts.result.delivery',
        {
          sent: result.delivery.sent,
          failed: result.delivery.failures.length,
          pending: result.delivery.pending,
        },
        locale,
      ),
    );
    for (const failure of result.delivery.failures)
      lines.push(`  ✗ ${failure.agency ?? failure.key}: ${failure.error ?? ''}`);
  }
  return lines.join('\n');
}
