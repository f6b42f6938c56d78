/**
 * An agency answering its prompt: one task's report, or "no change this week" for its open tasks not yet
 * reported this cycle. Either is an answer for the cycle, so it also stops the escalation climb — in the
 * same transaction, so a crash never leaves a recorded report with a ladder that keeps climbing.
 *
 * The rules about cards live here, not in the bot: a tap on a card from another cycle answers nothing
 * (the card's cycle travels in its button values, the current one comes from `now`); a report from a
 * card issued before a task's done report does not undo it, while one from a later card corrects it,
 * audited as a correction. The prompt card is rendered here from the ledger, so what a re-rendered card
 * shows is what was recorded.
 */
import { cycleBounds, cycleOf } from '../core/cycles/cycle.js';
import type { TaskReport } from '../core/progress/report-form.js';
import type { CardJson } from '../core/render/card-json.js';
import type { Locale } from '../core/render/catalog.js';
import {
  type PromptCardTask,
  type PromptParticipant,
  pageOfTask,
  renderPromptCards,
} from '../core/render/prompt-card.js';
import type { ArticleKind, DueKind, DuePeriod, TaskRole, TaskStatus } from '../core/vocabulary.js';
import type { AuditChannel, AuditSource } from '../store/audit-repository.js';
import { auditSource } from './audit-source.js';
import { promptCardTaskOf } from './prompt-card-task.js';
import { participantsByArticle, type RollUpTask } from './rollup.js';

interface AuditInput {
  actor: string;
  channel: AuditChannel;
  at: string;
  messageId?: string | undefined;
  eventId?: string | undefined;
}

interface ProgressUpdate {
  taskId: number;
  at: string;
  actor: string;
  status: string;
  percent: number;
  blocked: boolean;
  note: string;
  evidenceUrl: string | null;
  noChange: boolean;
}

export interface ProgressStore {
  transaction<T>(fn: () => T): T;
  reportedFromMessage(taskId: number, messageId: string): boolean;
  findTask(taskId: number): {
    agencyId: number | null;
    articleNo: number;
    status: string;
    percent: number;
    removedAt: string | null;
    lastReportAt: string | null;
  } | null;
  recordReport(
    input: {
      taskId: number;
      report: TaskReport;
      corrected?: boolean;
      messageId?: string | undefined;
    } & AuditInput,
  ): void;
  /** Ids of the open tasks it confirmed, and of those it left alone because they were reported since `since`. */
  confirmNoChange(input: { agencyId: number; since: string } & AuditInput): {
    confirmed: number[];
    alreadyReported: number[];
  };
  updatesOf(taskIds: readonly number[]): ProgressUpdate[];
}

export interface LadderStore {
  clearLadder(input: { taskIds?: readonly number[]; agencyId?: number }): number;
}

/** What the prompt card is rendered from; the composition root passes the repositories. */
export interface PromptCardSources {
  tasks: {
    listTasks(filter: { agency: string }): ReadonlyArray<{
      id: number;
      articleId: number;
      agencyId: number | null;
      /** Canonical agency name; null when unassigned. */
      agency: string | null;
      articleNo: number;
      articleKind: ArticleKind;
      articleTitle: string;
      role: TaskRole;
      status: TaskStatus;
      percent: number;
      blocked: boolean;
      blockedReason: string | null;
      dueDate: string | null;
      dueKind: DueKind | null;
      dueEvery: DuePeriod | null;
      dueWritten: string | null;
      lastReportAt: string | null;
      removedAt: string | null;
      createdAt: string;
    }>;
    /** The live participants' tasks of these articles, for the lead's roll-up. */
    participantsOf(articleIds: readonly number[]): ReadonlyArray<RollUpTask & { agency: string | null }>;
  };
  agencies: { getAgency(id: number): { id: number; name: string } | null };
  people: { nameOf(openId: string): string | null };
}

/** A task as a report needs it. */
export interface ReportableTask {
  agencyId: number | null;
  articleNo: number;
  status: string;
  percent: number;
  /** Verified, or removed from the decision: it takes no more reports. */
  closed: boolean;
}

/** The card a tap came from, as its button value says: its cycle and when it was issued (epoch ms). */
export interface CardOrigin {
  cycle: string | null;
  issued: number | null;
}

/** Why a tap on a card answers nothing. */
export type CardRefusal =
  | { kind: 'stale_card'; cardCycle: string | null; currentCycle: string }
  | { kind: 'bad_card' };

export type ReportOutcome =
  | { kind: 'recorded'; articleNo: number; corrected: boolean; agencyId: number | null }
  | { kind: 'not_found' }
  | { kind: 'closed'; articleNo: number }
  | { kind: 'done_since'; articleNo: number; doneAt: string; doneBy: string }
  | CardRefusal;

export type NoChangeOutcome = { kind: 'confirmed'; confirmed: number; alreadyReported: number } | CardRefusal;

export type PromptCardOutcome = { kind: 'card'; card: CardJson } | { kind: 'not_found' } | CardRefusal;

/** Lark clocks and ours may differ a little; a card "issued" further ahead than this was not ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

export function createProgressUseCases(deps: {
  progress: ProgressStore;
  ladder: LadderStore;
  card: PromptCardSources;
  locale?: Locale | undefined;
  /**
   * A report just put the task in reported_done: ask its verifier (src/usecases/review.ts). Runs inside
   * the report's transaction, so the request is recorded with the report or not at all. Every way of
   * reporting (the card, and later text and /report) goes through recordReport, so none misses it.
   */
  onReportedDone?: ((input: { taskId: number; now: Date }) => void) | undefined;
}) {
  const { progress, ladder, card: sources, locale, onReportedDone } = deps;

  const findTask = (taskId: number): ReportableTask | undefined => {
    const task = progress.findTask(taskId);
    if (task === null) return undefined;
    return {
      agencyId: task.agencyId,
      articleNo: task.articleNo,
      status: task.status,
      percent: task.percent,
      closed: task.status === 'verified' || task.removedAt !== null,
    };
  };

  /** The tap answers this cycle only if its card is of this cycle and was issued no later than now. */
  const checkCard = (card: CardOrigin | undefined, now: Date): CardRefusal | undefined => {
    if (card === undefined) return undefined;
    const currentCycle = cycleOf(now);
    if (card.cycle !== currentCycle) return { kind: 'stale_card', cardCycle: card.cycle, currentCycle };
    if (card.issued !== null && card.issued > now.getTime() + CLOCK_SKEW_MS) return { kind: 'bad_card' };
    return undefined;
  };

  /** When a card was issued; a card from before issue times travelled counts from its cycle's start. */
  const issuedAt = (card: CardOrigin & { cycle: string }): number =>
    card.issued ?? cycleBounds(card.cycle).start.getTime();

  /** Names of the people who reported, looked up as the card needs them (not the whole directory). */
  const nameOf = (): ((openId: string) => string) => {
    const names = new Map<string, string>();
    return (openId) => {
      let name = names.get(openId);
      if (name === undefined) {
        const known = sources.people.nameOf(openId);
        name = known === null || known === '' ? openId : known;
        names.set(openId, name);
      }
      return name;
    };
  };

  /** The agency's prompt card for the cycle of `now`, rendered from the ledger. */
  const renderCard = (input: {
    agencyId: number;
    now: Date;
    openTaskId?: number | undefined;
    openForm?: 'report' | 'extend' | undefined;
    recordedTaskId?: number | undefined;
    notice?: string | undefined;
    page?: number | undefined;
  }): CardJson | undefined => {
    const agency = sources.agencies.getAgency(input.agencyId);
    if (agency === null) return undefined;
    const cycle = cycleOf(input.now);
    const since = cycleBounds(cycle).start.toISOString();
    // The agency's own tasks, and the tasks of the articles it leads, named from the task rows: the whole
    // ledger and a query per participant made a tap on a lead's card cost ~100 ms at 60 agencies (found
    // by the simulation), against Lark's 3 s for an answer.
    const tasks = sources.tasks.listTasks({ agency: agency.name });
    const led = [...new Set(tasks.filter((task) => task.role === 'lead').map((task) => task.articleId))];
    const ledTasks = sources.tasks.participantsOf(led);
    const names = new Map(ledTasks.map((task) => [task.agencyId, task.agency]));
    const participants =
      led.length > 0
        ? participantsByArticle(ledTasks, (id) => names.get(id) ?? `#${id}`)
        : new Map<number, PromptParticipant[]>();
    const latest = new Map<number, ProgressUpdate>();
    const latestReport = new Map<number, ProgressUpdate>();
    for (const update of progress.updatesOf(tasks.map((task) => task.id))) {
      latest.set(update.taskId, update);
      if (!update.noChange) latestReport.set(update.taskId, update);
    }
    const name = nameOf();
    const cardTasks = tasks.map((task): PromptCardTask => {
      const last = latest.get(task.id);
      const report = latestReport.get(task.id);
      const rolledUp = task.role === 'lead' ? participants.get(task.articleId) : undefined;
      return {
        ...(rolledUp === undefined ? {} : { participants: rolledUp }),
        ...promptCardTaskOf(task),
        repliedThisCycle: task.lastReportAt !== null && task.lastReportAt >= since,
        lastReport:
          last === undefined
            ? null
            : {
                at: last.at,
                status: last.status,
                percent: last.percent,
                blocked: last.blocked,
                noChange: last.noChange,
                by: name(last.actor),
                note: report?.note ?? null,
                evidenceUrl: report?.evidenceUrl ?? null,
              },
      };
    });
    const cards = renderPromptCards({
      agency: { id: agency.id, name: agency.name },
      cycle: { key: cycle },
      tasks: cardTasks,
      now: input.now,
      openTaskId: input.openTaskId,
      openForm: input.openForm,
      recordedTaskId: input.recordedTaskId,
      notice: input.notice,
      ...(locale === undefined ? {} : { locale }),
    });
    const focus = input.openTaskId ?? input.recordedTaskId;
    const page = (focus === undefined ? undefined : pageOfTask(cards, focus)) ?? input.page ?? 1;
    return cards[Math.min(Math.max(page, 1), cards.length) - 1];
  };

  return {
    findTask,

    /**
     * The prompt card as it stands now, with one task's form open (the 报送 button) or none (收起). A tap
     * on a card of another cycle is refused like any other.
     */
    promptCard(input: {
      agencyId: number;
      taskId?: number | undefined;
      /** The open task's extension request (申请延期) instead of its report form. */
      form?: 'report' | 'extend' | undefined;
      page?: number | undefined;
      card?: CardOrigin | undefined;
      now: Date;
    }): PromptCardOutcome {
      const refusal = checkCard(input.card, input.now);
      if (refusal) return refusal;
      if (input.taskId !== undefined && progress.findTask(input.taskId)?.agencyId !== input.agencyId) {
        return { kind: 'not_found' };
      }
      const card = renderCard({
        agencyId: input.agencyId,
        now: input.now,
        openTaskId: input.taskId,
        openForm: input.form,
        page: input.page,
      });
      return card === undefined ? { kind: 'not_found' } : { kind: 'card', card };
    },

    /** The card after a report or a no-change tap: the ledger as it now stands, saying what was recorded. */
    cardAfter(input: {
      agencyId: number;
      recordedTaskId?: number | undefined;
      /** Keeps a task's form open (a refused extension request keeps what was typed). */
      openTaskId?: number | undefined;
      openForm?: 'report' | 'extend' | undefined;
      notice?: string | undefined;
      page?: number | undefined;
      now: Date;
    }): CardJson | undefined {
      return renderCard(input);
    },

    recordReport(input: {
      taskId: number;
      report: TaskReport;
      actor: string;
      channel: AuditChannel;
      now: Date;
      /** The card the report came from; absent for reports that come from no card. */
      card?: CardOrigin | undefined;
      /** The Lark message it came from (a thread reply, a command): kept in the audit trail. */
      messageId?: string | undefined;
      /** The Lark message and event the report came from, for the audit trail. */
      source?: AuditSource | undefined;
    }): ReportOutcome {
      const refusal = checkCard(input.card, input.now);
      if (refusal) return refusal;
      return progress.transaction((): ReportOutcome => {
        const row = progress.findTask(input.taskId);
        const task = findTask(input.taskId);
        if (row === null || task === undefined) return { kind: 'not_found' };
        if (task.closed) return { kind: 'closed', articleNo: task.articleNo };
        // A reading confirmed twice (a double tap, a replayed callback) is one report, not two.
        if (input.messageId !== undefined && progress.reportedFromMessage(input.taskId, input.messageId)) {
          return { kind: 'recorded', articleNo: task.articleNo, corrected: false, agencyId: task.agencyId };
        }
        const done = row.status === 'reported_done';
        if (done && input.card !== undefined && input.card.cycle !== null && row.lastReportAt !== null) {
          // A card issued before the done report did not show it: its tap must not undo it.
          if (issuedAt({ ...input.card, cycle: input.card.cycle }) < Date.parse(row.lastReportAt)) {
            const doneReport = progress
              .updatesOf([input.taskId])
              .filter((u) => u.status === 'reported_done')
              .at(-1);
            return {
              kind: 'done_since',
              articleNo: task.articleNo,
              doneAt: row.lastReportAt,
              doneBy: doneReport === undefined ? '' : nameOf()(doneReport.actor),
            };
          }
        }
        progress.recordReport({
          taskId: input.taskId,
          report: input.report,
          corrected: done,
          actor: input.actor,
          channel: input.channel,
          at: input.now.toISOString(),
          messageId: input.messageId,
          // A thread reply or command names its message: it goes to the audit row's own column too.
          ...auditSource(
            input.source ?? (input.messageId === undefined ? undefined : { messageId: input.messageId }),
          ),
        });
        ladder.clearLadder({ taskIds: [input.taskId] });
        if (!done && input.report.status === 'reported_done') {
          onReportedDone?.({ taskId: input.taskId, now: input.now });
        }
        return { kind: 'recorded', articleNo: task.articleNo, corrected: done, agencyId: task.agencyId };
      });
    },

    confirmNoChange(input: {
      agencyId: number;
      actor: string;
      channel: AuditChannel;
      now: Date;
      card?: CardOrigin | undefined;
      source?: AuditSource | undefined;
    }): NoChangeOutcome {
      const refusal = checkCard(input.card, input.now);
      if (refusal) return refusal;
      return progress.transaction((): NoChangeOutcome => {
        const { confirmed, alreadyReported } = progress.confirmNoChange({
          agencyId: input.agencyId,
          since: cycleBounds(cycleOf(input.now)).start.toISOString(),
          actor: input.actor,
          channel: input.channel,
          at: input.now.toISOString(),
          ...auditSource(input.source),
        });
        if (confirmed.length > 0) ladder.clearLadder({ taskIds: confirmed });
        return { kind: 'confirmed', confirmed: confirmed.length, alreadyReported: alreadyReported.length };
      });
    },
  };
}

export type ProgressUseCases = ReturnType<typeof createProgressUseCases>;
