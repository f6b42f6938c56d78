/**
 * `duban remind [--agency NAME|--all] [--dry-run]`: plan this cycle's prompts now, render one card
 * per agency (paged when Lark's limits demand), write them to the outbox and drain it. A dry run
 * shows what each agency would get and writes nothing. The outbox keys are the planner's
 * (`prompt:12:2026-W48`), so running it twice, or after the scheduled prompt, sends nothing twice.
 */
import { type Clock, systemClock } from '../core/clock.js';
import { cycleOf } from '../core/cycles/cycle.js';
import { outboxKey } from '../core/cycles/keys.js';
import { type PromptSkipReason, planPromptCycle } from '../core/cycles/prompt.js';
import type { CoordinatorNotice, PlanAgency, PlanTask } from '../core/cycles/types.js';
import { DubanError } from '../core/errors.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import { computeTrafficLight } from '../core/progress/lights.js';
import { type Locale, t } from '../core/render/catalog.js';
import { type PromptCardTask, renderPromptCards } from '../core/render/prompt-card.js';
import { describeLight } from '../core/render/prompt-card-lights.js';
import { type Logger, silentLogger } from '../logger.js';
import type { CardJson, ChatPort } from '../ports/chat.js';
import {
  createOutboxDispatcher,
  type DrainResult,
  type OutboxDispatcher,
  type OutboxFailureReport,
} from '../scheduler/outbox-dispatcher.js';
import { type AgencyView, createAgencyRepository } from '../store/agency-repository.js';
import type { DubanDatabase } from '../store/database.js';
import { createOutboxRepository, type OutboxItem } from '../store/outbox-repository.js';
import { createTaskRepository, type TaskView } from '../store/task-repository.js';
import { resolveAgencyName } from './ledger-queries.js';

/** The kinds that spend an agency's weekly message budget (a prompt's extra pages do not). */
export const BUDGET_KINDS = ['prompt', 'follow_up', 'escalation', 'due_reminder'] as const;

/**
 * Agencies rendered and enqueued before each yield to the dispatcher: a small first chunk so sending
 * starts at once, then chunks of more than a second of the app limit (50/s) so the limiter never waits
 * for cards.
 */
const FIRST_CHUNK = 16;
const RENDER_CHUNK = 64;

export interface RemindInput {
  db: DubanDatabase;
  now: Date;
  /** One agency by name or alias; or `all`. */
  agency?: string;
  all?: boolean;
  dryRun?: boolean;
  /** Defaults to the ISO week (Shanghai) of `now`. */
  cycle?: string;
  /** Needed unless `dryRun` or `dispatcher` is given. */
  chat?: ChatPort;
  /** The running app's dispatcher; otherwise one is made for this call. */
  dispatcher?: OutboxDispatcher;
  clock?: Clock;
  logger?: Logger;
  locale?: Locale;
  registry?: AgencyRegistry;
  budget?: number;
  globalPause?: boolean;
  /**
   * False: only write the outbox; a running app's dispatcher sends it (the CLI next to the sandbox).
   * Default true: send now and wait for the result.
   */
  deliver?: boolean;
  /** How long to wait for retries before returning (rows left pending are sent later). Default 60 s. */
  settleTimeoutMs?: number;
}

export interface RemindPrompt {
  agencyId: number;
  agency: string;
  chatId: string;
  key: string;
  taskCount: number;
  pages: number;
  cards: CardJson[];
  /** One readable line per task, for previews. */
  taskLines: string[];
}

export interface RemindResult {
  cycle: string;
  dryRun: boolean;
  prompts: RemindPrompt[];
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

/** The planner's view of a ledger agency. */
export function toPlanAgency(agency: AgencyView): PlanAgency {
  return {
    id: agency.id,
    name: agency.name,
    chatId: agency.chatId,
    contactOpenId: agency.contactOpenId,
    paused: agency.paused,
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
export function toPromptCardTask(task: TaskView): PromptCardTask {
  return {
    id: task.id,
    articleNo: task.articleNo,
    articleTitle: task.articleTitle,
    role: task.role,
    status: task.status,
    percent: task.percent,
    dueDate: task.dueDate,
    blocked: task.blocked,
    blockedReason: task.blockedReason,
    removedAt: task.removedAt,
    lastReport:
      task.lastReportAt === null
        ? null
        : { at: task.lastReportAt, status: task.status, percent: task.percent, blocked: task.blocked },
  };
}

/** Page 1 keeps the planner's key (the one the exactly-once guarantee rests on); later pages derive from it. */
export function promptPageKey(key: string, page: number): string {
  return page === 1 ? key : outboxKey(key, `p${page}`);
}

/** The outbox rows of one agency's prompt: a row per page, page 1 under the planner's key. */
function promptItems(prompt: RemindPrompt, cycle: string): OutboxItem[] {
  return prompt.cards.map((card, page) => ({
    key: promptPageKey(prompt.key, page + 1),
    kind: page === 0 ? 'prompt' : 'prompt_page',
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

export async function planAndEnqueueReminders(input: RemindInput): Promise<RemindResult> {
  const { db, now, locale } = input;
  const log = (input.logger ?? silentLogger).child({ usecase: 'remind' });
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
          ...(input.registry === undefined ? {} : { registry: input.registry }),
        });
  // Collectives (各有关单位 …) stand for other agencies: they have no group of their own to prompt.
  const agencies =
    target === undefined ? agencyRepo.listAgencies().filter((a) => a.kind !== 'collective') : [target];
  const byId = new Map(agencies.map((a) => [a.id, a]));
  const ledgerTasks = createTaskRepository({ db })
    .listTasks()
    .filter(
      (task): task is TaskView & { agencyId: number } => task.agencyId !== null && byId.has(task.agencyId),
    );

  const plan = planPromptCycle({
    now,
    cycle,
    agencies: agencies.map(toPlanAgency),
    tasks: ledgerTasks.map(toPlanTask),
    // Replies are the progress issue's; until then "answered" means a report landed in this cycle.
    repliesThisCycle: new Set(
      ledgerTasks
        .filter((task) => task.lastReportAt !== null && cycleOf(new Date(task.lastReportAt)) === cycle)
        .map((task) => task.agencyId),
    ),
    sentThisWeek: outbox.countByAgency({ cycle, kinds: BUDGET_KINDS }),
    ...(input.budget === undefined ? {} : { budget: input.budget }),
    globalPause: input.globalPause ?? false,
    alreadyPlanned: outbox.keysForCycle(cycle),
  });

  const name = (id: number) => byId.get(id)?.name ?? `#${id}`;
  const dryRun = input.dryRun ?? false;
  const tasksById = new Map(ledgerTasks.map((task) => [task.id, task]));
  const renderPrompt = (planned: (typeof plan.prompts)[number]): RemindPrompt => {
    const tasks = planned.taskIds.flatMap((id) => {
      const task = tasksById.get(id);
      return task === undefined ? [] : [toPromptCardTask(task)];
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
        computeTrafficLight({ task: { ...task, status: task.status as PlanTask['status'] }, now }),
        locale,
      );
      return t(
        'prompts.preview.task',
        {
          article: task.articleNo,
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
    };
  };

  const coordinatorsChat = agencyRepo.chatOfSpecial('coordinators');
  const notices: OutboxItem[] =
    coordinatorsChat === null
      ? []
      : plan.notifyCoordinators.map((notice) => ({
          key: notice.key,
          kind: 'notice',
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

  const result: RemindResult = {
    cycle,
    dryRun,
    prompts: [],
    skipped: plan.skipped.map((s) => ({ agencyId: s.agencyId, agency: name(s.agencyId), reason: s.reason })),
    notices,
    queued: [],
  };
  if (dryRun) {
    result.prompts = plan.prompts.map(renderPrompt);
    return result;
  }

  if (input.deliver === false) {
    const items = plan.prompts.map(renderPrompt).flatMap((prompt) => {
      result.prompts.push(prompt);
      return promptItems(prompt, cycle);
    });
    result.queued = outbox.enqueue({ items: [...items, ...notices], now }).inserted;
    return result;
  }

  const clock = input.clock ?? systemClock;
  let dispatcher = input.dispatcher;
  if (dispatcher === undefined) {
    if (input.chat === undefined) {
      throw new DubanError('remind.no_chat_port', 'Cannot send: no chat connection was given', {
        hint: 'Run with --dry-run, or configure Lark (or the sandbox emulator) first.',
      });
    }
    dispatcher = createOutboxDispatcher({
      outbox,
      chat: input.chat,
      clock,
      logger: log,
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
    const chunk = plan.prompts.slice(i, i + size).map(renderPrompt);
    result.prompts.push(...chunk);
    const items = chunk.flatMap((prompt) => promptItems(prompt, cycle));
    for (const item of items) promptKeys.add(item.key);
    const batch = i === 0 ? [...items, ...notices] : items;
    result.queued.push(...outbox.enqueue({ items: batch, now }).inserted);
    firstDrain ??= dispatcher.drain(settle);
    await new Promise((resolve) => setImmediate(resolve));
  }
  log.info({ cycle, queued: result.queued.length }, 'prompts written to the outbox');
  // The first drain may have gone idle between two chunks; a second pass sends whatever it left.
  const first = await (firstDrain as Promise<DrainResult>);
  const second = await dispatcher.drain(settle);
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
export function describeFailureReason(report: OutboxFailureReport, locale?: Locale): string {
  const code = report.failure.larkCode;
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
    if (entry.kind === 'notice') return;
    const coordinators = agencyRepo.chatOfSpecial('coordinators');
    const agency =
      entry.agencyId === null
        ? entry.chatId
        : (agencyRepo.listAgencies({ includeInactive: true }).find((a) => a.id === entry.agencyId)?.name ??
          `#${entry.agencyId}`);
    const kind =
      entry.kind === 'prompt' || entry.kind === 'prompt_page'
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
          kind: 'notice',
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
export function formatRemindResult(result: RemindResult, locale?: Locale): string {
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
