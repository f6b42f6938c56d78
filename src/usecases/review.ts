/**
 * Verification and extensions. A done report asks the verifier — the lead agency for a participant's
 * task, the coordinators for a lead's task (or when the lead has no group) — with a card; the verifier
 * verifies (the task closes) or returns it with a reason (back in progress, the reason told to the
 * agency). An agency asks for a later due date; the coordinators approve (the due date moves, and
 * lights, due reminders and escalation follow, as they all read it) or reject, and the agency is told.
 *
 * Who may decide is a rule of this module, not of the chat a card was tapped in. Every message goes
 * through the outbox, written in the same transaction as the change it reports: a crash never leaves a
 * verified task whose agency is not told, and a retried tap never sends a second message.
 */
import { outboxKey } from '../core/cycles/keys.js';
import type { CardJson } from '../core/render/card-json.js';
import { type Locale, t } from '../core/render/catalog.js';
import { statusLabel } from '../core/render/prompt-card.js';
import {
  REASON_MAX,
  type ReviewTaskView,
  renderExtensionCard,
  renderSettledCard,
  renderVerifyCard,
} from '../core/render/review-cards.js';
import { readDueDate, shanghaiDay, shanghaiMinute } from '../core/review/dates.js';
import { OUTBOX_KIND, type PersonRole } from '../core/vocabulary.js';
import type { OutgoingMessage } from '../ports/chat.js';
import type { AuditChannel, AuditSource } from '../store/audit-repository.js';
import type { ReviewRepository } from '../store/review-repository.js';
import { auditSource } from './audit-source.js';

export type ReviewStore = Pick<
  ReviewRepository,
  | 'transaction'
  | 'findTask'
  | 'tasksOfAgencyInArticle'
  | 'leadAgencyOf'
  | 'doneReportOf'
  | 'settleDone'
  | 'pendingExtensionOf'
  | 'getExtension'
  | 'requestExtension'
  | 'decideExtension'
>;

export interface ReviewDeps {
  review: ReviewStore;
  outbox: {
    enqueue(input: {
      items: Array<{
        key: string;
        kind: typeof OUTBOX_KIND.review;
        chatId: string;
        message: OutgoingMessage;
        agencyId?: number | null;
        taskId?: number | null;
      }>;
      now: Date;
    }): unknown;
  };
  chats: {
    chatOfAgency(agencyId: number): string | null;
    chatOfSpecial(role: 'coordinators' | 'leaders'): string | null;
  };
  people: {
    rolesOf(openId: string): PersonRole[];
    agenciesOf(openId: string): number[];
    nameOf(openId: string): string | null;
  };
  locale?: Locale | undefined;
}

/** Who verifies a task: the lead agency for a participant's task, else the coordinators. */
export type Verifier = { kind: 'agency'; agencyId: number } | { kind: 'coordinators' };

interface Actor {
  actor: string;
  channel: AuditChannel;
  now: Date;
  /** The Lark message and event (card tap, command) the change came from, for the audit trail. */
  source?: AuditSource | undefined;
}

export type VerdictOutcome =
  | { kind: 'verified' | 'returned'; articleNo: number; card: CardJson }
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'needs_reason' }
  | { kind: 'already_verified'; articleNo: number }
  | { kind: 'not_awaiting'; articleNo: number; status: string };

export type ExtensionProblem =
  | 'bad_date'
  | 'not_later'
  | 'needs_reason'
  | 'reason_too_long'
  | 'forbidden'
  | 'closed'
  | 'pending'
  | 'not_found'
  | 'no_task';

export type ExtensionRequestOutcome =
  | { kind: 'requested'; requestId: number; articleNo: number; date: string }
  | { kind: 'refused'; problem: ExtensionProblem; articleNo?: number; date?: string; due?: string };

export type ExtensionDecisionOutcome =
  | { kind: 'decided'; approved: boolean; card: CardJson }
  | { kind: 'not_found' }
  | { kind: 'forbidden' }
  | { kind: 'already_decided'; card: CardJson | undefined };

/** Epoch ms in base 36: short enough for Lark's 50-character uuid, unique per task and moment. */
const stamp = (now: Date) => now.getTime().toString(36);

export function createReview(deps: ReviewDeps) {
  const { review, outbox, chats, people, locale } = deps;
  const nameOf = (openId: string) => people.nameOf(openId) ?? openId;
  const view = (task: NonNullable<ReturnType<ReviewStore['findTask']>>): ReviewTaskView => ({
    id: task.id,
    articleNo: task.articleNo,
    articleTitle: task.articleTitle,
    agency: task.agency,
    role: task.role,
  });

  const verifierOf = (task: NonNullable<ReturnType<ReviewStore['findTask']>>): Verifier => {
    if (task.role !== 'participant') return { kind: 'coordinators' };
    const lead = review.leadAgencyOf(task.articleId);
    return lead === null || lead === task.agencyId
      ? { kind: 'coordinators' }
      : { kind: 'agency', agencyId: lead };
  };

  const mayVerify = (openId: string, verifier: Verifier): boolean =>
    people.rolesOf(openId).includes('coordinator') ||
    (verifier.kind === 'agency' && people.agenciesOf(openId).includes(verifier.agencyId));

  const send = (input: {
    key: string;
    chatId: string | null;
    message: OutgoingMessage;
    agencyId: number | null;
    taskId: number;
    now: Date;
  }) => {
    if (input.chatId === null) return;
    outbox.enqueue({
      items: [
        {
          key: input.key,
          kind: OUTBOX_KIND.review,
          chatId: input.chatId,
          message: input.message,
          agencyId: input.agencyId,
          taskId: input.taskId,
        },
      ],
      now: input.now,
    });
  };
  const tellAgency = (task: { id: number; agencyId: number | null }, key: string, text: string, now: Date) =>
    send({
      key,
      chatId: task.agencyId === null ? null : chats.chatOfAgency(task.agencyId),
      message: { kind: 'text', text },
      agencyId: task.agencyId,
      taskId: task.id,
      now,
    });

  const settle = (
    input: { taskId: number; verdict: 'verified' | 'returned'; reason?: string } & Actor,
  ): VerdictOutcome => {
    const reason = input.reason?.trim();
    if (input.verdict === 'returned' && !reason) return { kind: 'needs_reason' };
    return review.transaction((): VerdictOutcome => {
      const task = review.findTask(input.taskId);
      if (task === null) return { kind: 'not_found' };
      if (!mayVerify(input.actor, verifierOf(task))) return { kind: 'forbidden' };
      const at = input.now.toISOString();
      const settled = review.settleDone({
        taskId: task.id,
        verdict: input.verdict,
        ...(reason ? { reason: reason.slice(0, REASON_MAX) } : {}),
        actor: input.actor,
        channel: input.channel,
        at,
        ...auditSource(input.source),
      });
      if (!settled.ok) {
        return settled.status === 'verified'
          ? { kind: 'already_verified', articleNo: task.articleNo }
          : { kind: 'not_awaiting', articleNo: task.articleNo, status: statusLabel(settled.status, locale) };
      }
      const params = {
        article: task.articleNo,
        agency: task.agency,
        by: nameOf(input.actor),
        date: shanghaiMinute(input.now),
      };
      if (input.verdict === 'verified') {
        tellAgency(
          task,
          outboxKey('verified', task.id, stamp(input.now)),
          t('review.notice.verified', { article: task.articleNo, title: task.articleTitle }, locale),
          input.now,
        );
      } else {
        tellAgency(
          task,
          outboxKey('returned', task.id, stamp(input.now)),
          t(
            'review.notice.returned',
            { article: task.articleNo, title: task.articleTitle, reason: reason ?? '' },
            locale,
          ),
          input.now,
        );
      }
      const text =
        input.verdict === 'verified'
          ? t('review.verified', params, locale)
          : t('review.returned', { ...params, reason: reason ?? '' }, locale);
      return {
        kind: input.verdict,
        articleNo: task.articleNo,
        card: renderSettledCard({
          title: t('review.verify.title', { article: task.articleNo, agency: task.agency }, locale),
          text,
          ok: input.verdict === 'verified',
        }),
      };
    });
  };

  const extensionTitle = (task: { articleNo: number; agency: string }) =>
    t('extend.card.title', { article: task.articleNo, agency: task.agency }, locale);

  const request = (
    task: NonNullable<ReturnType<ReviewStore['findTask']>>,
    input: { date: string; reason: string } & Actor,
  ): ExtensionRequestOutcome => {
    const refused = (problem: ExtensionProblem, extra: { date?: string; due?: string } = {}) =>
      ({ kind: 'refused', problem, articleNo: task.articleNo, ...extra }) as const;
    if (task.agencyId === null) return refused('forbidden');
    if (
      !people.rolesOf(input.actor).includes('coordinator') &&
      !people.agenciesOf(input.actor).includes(task.agencyId)
    ) {
      return refused('forbidden');
    }
    if (task.removedAt !== null || task.status === 'verified' || task.status === 'reported_done') {
      return refused('closed');
    }
    const date = readDueDate(input.date);
    if (date === undefined) return refused('bad_date');
    const floor = [shanghaiDay(input.now), task.dueDate ?? ''].sort().at(-1) ?? '';
    if (date <= floor)
      return refused('not_later', { due: task.dueDate ?? t('extend.noDue', undefined, locale) });
    const reason = input.reason.trim();
    if (!reason) return refused('needs_reason');
    if (reason.length > REASON_MAX) return refused('reason_too_long');
    const pending = review.pendingExtensionOf(task.id);
    if (pending !== null) return refused('pending', { date: pending.requestedDue });
    const requestId = review.requestExtension({
      taskId: task.id,
      previousDue: task.dueDate,
      requestedDue: date,
      reason,
      actor: input.actor,
      channel: input.channel,
      at: input.now.toISOString(),
      ...auditSource(input.source),
    });
    send({
      key: outboxKey('extension', requestId),
      chatId: chats.chatOfSpecial('coordinators'),
      message: {
        kind: 'card',
        card: renderExtensionCard({
          requestId,
          task: view(task),
          requestedBy: nameOf(input.actor),
          from: task.dueDate,
          to: date,
          reason,
          locale,
        }),
      },
      agencyId: task.agencyId,
      taskId: task.id,
      now: input.now,
    });
    return { kind: 'requested', requestId, articleNo: task.articleNo, date };
  };

  return {
    verifierOf(taskId: number): Verifier | undefined {
      const task = review.findTask(taskId);
      return task === null ? undefined : verifierOf(task);
    },

    /**
     * Called by the report use case, inside its transaction, when a report puts a task in reported_done:
     * the verifier's card goes out with it. A verifier without a group falls back to the coordinators'.
     */
    reportedDone(input: { taskId: number; now: Date }): void {
      const task = review.findTask(input.taskId);
      const report = review.doneReportOf(input.taskId);
      if (task === null || report === null) return;
      const verifier = verifierOf(task);
      const chatId =
        (verifier.kind === 'agency' ? chats.chatOfAgency(verifier.agencyId) : null) ??
        chats.chatOfSpecial('coordinators');
      send({
        // One card per done report: a retried report sends nothing twice, a report after a return asks again.
        key: outboxKey('verify', task.id, report.id),
        chatId,
        message: {
          kind: 'card',
          card: renderVerifyCard({
            task: view(task),
            reportedBy: nameOf(report.actor),
            reportedAt: shanghaiMinute(report.at),
            note: report.note,
            evidenceUrl: report.evidenceUrl,
            locale,
          }),
        },
        agencyId: verifier.kind === 'agency' ? verifier.agencyId : null,
        taskId: task.id,
        now: input.now,
      });
    },

    verify: (input: { taskId: number } & Actor) => settle({ ...input, verdict: 'verified' }),

    returnTask: (input: { taskId: number; reason: string } & Actor) =>
      settle({ ...input, verdict: 'returned' }),

    /** From the prompt card: the task is known by id. */
    requestExtension(
      input: { taskId: number; date: string; reason: string } & Actor,
    ): ExtensionRequestOutcome {
      return review.transaction((): ExtensionRequestOutcome => {
        const task = review.findTask(input.taskId);
        if (task === null) return { kind: 'refused', problem: 'not_found' };
        return request(task, input);
      });
    },

    /** From `/extend` in the agency's group: the task is the agency's under that article. */
    requestExtensionByArticle(
      input: { agencyId: number; articleNo: number; date: string; reason: string } & Actor,
    ): ExtensionRequestOutcome {
      return review.transaction((): ExtensionRequestOutcome => {
        const [task] = review.tasksOfAgencyInArticle({
          agencyId: input.agencyId,
          articleNo: input.articleNo,
        });
        if (task === undefined) return { kind: 'refused', problem: 'no_task', articleNo: input.articleNo };
        return request(task, input);
      });
    },

    /** The coordinators' 批准 / 驳回: once; the agency is told either way. */
    decideExtension(input: { requestId: number; approve: boolean } & Actor): ExtensionDecisionOutcome {
      if (!people.rolesOf(input.actor).includes('coordinator')) return { kind: 'forbidden' };
      return review.transaction((): ExtensionDecisionOutcome => {
        const ext = review.getExtension(input.requestId);
        const task = ext === null ? null : review.findTask(ext.taskId);
        if (ext === null || task === null) return { kind: 'not_found' };
        const decidedText = (approved: boolean, by: string) =>
          t(
            approved ? 'extend.approved' : 'extend.rejected',
            { article: task.articleNo, agency: task.agency, to: ext.requestedDue, by },
            locale,
          );
        if (ext.status !== 'pending') {
          return {
            kind: 'already_decided',
            card: renderSettledCard({
              title: extensionTitle(task),
              text: decidedText(ext.status === 'approved', nameOf(ext.decidedBy ?? '')),
              ok: ext.status === 'approved',
            }),
          };
        }
        const decided = review.decideExtension({
          id: ext.id,
          approve: input.approve,
          actor: input.actor,
          channel: input.channel,
          at: input.now.toISOString(),
          ...auditSource(input.source),
        });
        if (!decided) return { kind: 'already_decided', card: undefined };
        tellAgency(
          task,
          outboxKey('extension_decided', ext.id),
          input.approve
            ? t(
                'extend.notice.approved',
                { article: task.articleNo, title: task.articleTitle, to: ext.requestedDue },
                locale,
              )
            : t(
                'extend.notice.rejected',
                {
                  article: task.articleNo,
                  title: task.articleTitle,
                  to: ext.requestedDue,
                  due: task.dueDate ?? t('extend.noDue', undefined, locale),
                },
                locale,
              ),
          input.now,
        );
        return {
          kind: 'decided',
          approved: input.approve,
          card: renderSettledCard({
            title: extensionTitle(task),
            text: decidedText(input.approve, nameOf(input.actor)),
            ok: input.approve,
          }),
        };
      });
    },
  };
}

export type Review = ReturnType<typeof createReview>;
