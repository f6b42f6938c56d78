/**
 * The leaders' weekly digest: read the ledger (tasks and their parts, reports, pending extensions, work
 * returned, indicators, agencies), build the digest (src/core/digest) and render its card. The job sends
 * it to the leaders' group through the outbox once per cycle; `/digest` previews it to the coordinators.
 */
import type { WorkingCalendar } from '../core/cycles/calendar.js';
import { cycleOf } from '../core/cycles/cycle.js';
import type { JobContext, JobHandler } from '../core/cycles/jobs.js';
import { outboxKey } from '../core/cycles/keys.js';
import { isoWeekOf, isoWeekStart, shanghaiDate, shanghaiInstant } from '../core/cycles/time.js';
import {
  buildDigest,
  type Digest,
  type DigestBlocker,
  type DigestIndicator,
  type DigestPart,
  type DigestReport,
  type DigestReturn,
  type DigestScoreInput,
  type DigestTask,
} from '../core/digest/digest.js';
import type { CardJson } from '../core/render/card-json.js';
import { type Locale, t } from '../core/render/catalog.js';
import { renderDigestCard } from '../core/render/digest-card.js';
import { OUTBOX_KIND, type TaskStatus } from '../core/vocabulary.js';
import type { OutboxDispatcher } from '../delivery/outbox-dispatcher.js';
import type { Logger } from '../logger.js';
import type { Repositories } from './repositories.js';

export interface DigestDeps {
  repos: Pick<Repositories, 'tasks' | 'progress' | 'review' | 'audit' | 'documents' | 'agencies'>;
  calendar: WorkingCalendar;
  locale?: Locale | undefined;
  /**
   * The agencies' scores for the current period and the one before (from the scoring use case), when
   * available; without it the digest has no scores section.
   */
  scores?: ((now: Date) => DigestScoreInput | undefined) | undefined;
}

/** The digest's inputs as the ledger holds them on `now`. */
export function readDigestInput(deps: DigestDeps, now: Date): Parameters<typeof buildDigest>[0] {
  const { repos } = deps;
  const parts: DigestPart[] = [];
  const partOfArticle = new Map<number, number>();
  const indicators: DigestIndicator[] = [];
  for (const document of repos.documents.listDocuments()) {
    const snapshot = repos.documents.loadDocumentSnapshot(document.id);
    if (snapshot === null) continue;
    for (const part of snapshot.parts) {
      if (!parts.some((p) => p.no === part.no))
        parts.push({ no: part.no, label: part.label, title: part.title });
    }
    for (const article of snapshot.articles) {
      partOfArticle.set(article.id, article.partNo);
      for (const indicator of article.indicators) indicators.push({ articleId: article.id, ...indicator });
    }
  }

  const tasks: DigestTask[] = repos.tasks.listTasks().map((task) => ({
    id: task.id,
    articleId: task.articleId,
    articleNo: task.articleNo,
    articleKind: task.articleKind,
    articleTitle: task.articleTitle,
    partNo: partOfArticle.get(task.articleId) ?? 0,
    agency: task.agency ?? task.writtenName,
    agencyId: task.agencyId,
    role: task.role,
    status: task.status,
    percent: task.percent,
    blocked: task.blocked,
    blockedReason: task.blockedReason,
    dueDate: task.dueDate,
    dueKind: task.dueKind,
    dueEvery: task.dueEvery,
    startDate: shanghaiDate(new Date(task.createdAt)),
    removedAt: task.removedAt,
  }));

  // This week's reports and the last one before it are all a light reads (how the task stood when the
  // cycle began, whether it answered since, whether a recurring period passed without a report).
  const since = shanghaiInstant(isoWeekStart(isoWeekOf(shanghaiDate(now)))).toISOString();
  const reports: DigestReport[] = [];
  const blockers: DigestBlocker[] = [];
  for (const update of repos.progress.updatesForLights(
    tasks.map((task) => task.id),
    since,
  )) {
    reports.push({
      taskId: update.taskId,
      at: update.at,
      // Written only through recordReport, which stores a TaskStatus.
      status: update.status as TaskStatus,
      percent: update.percent,
      blocked: update.blocked,
      noChange: update.noChange,
    });
    if (update.blocked) blockers.push({ taskId: update.taskId, at: update.at, reason: update.note || null });
  }

  const returns: DigestReturn[] = repos.audit.list({ entity: 'task', action: 'returned' }).map((event) => {
    const reason = (event.after as { reason?: unknown } | null)?.reason;
    return {
      taskId: Number(event.entityId),
      at: event.at,
      reason: typeof reason === 'string' ? reason : null,
    };
  });

  const scores = deps.scores?.(now);
  return {
    tasks,
    reports,
    blockers,
    returns,
    extensions: repos.review.listPendingExtensions(),
    indicators,
    parts: parts.sort((a, b) => a.no - b.no),
    agencies: repos.agencies
      .listAgencies({ includeInactive: true })
      .map((agency) => ({ id: agency.id, name: agency.name, aliases: agency.aliases })),
    ...(scores === undefined ? {} : { scores }),
    calendar: deps.calendar,
    now,
  };
}

/** The digest and its card, as the leaders would get it now (`/digest` shows this to coordinators). */
export function previewDigest(
  deps: DigestDeps,
  input: { now: Date; preview?: boolean | undefined },
): { digest: Digest; card: CardJson } {
  const digest = buildDigest(readDigestInput(deps, input.now));
  return { digest, card: renderDigestCard({ digest, locale: deps.locale, preview: input.preview }) };
}

export type DigestPreview = (input: { now: Date; preview?: boolean | undefined }) => {
  digest: Digest;
  card: CardJson;
};

export function createDigestPreview(deps: DigestDeps): DigestPreview {
  return (input) => previewDigest(deps, input);
}

/**
 * The `leadersDigest` job: the card to the leaders' group under the key `digest:CYCLE`, so a re-run, a
 * catch-up or `/digest` never sends a second one that week. Without a bound leaders' group the
 * coordinators hear why once per cycle.
 */
export function createLeadersDigestJob(
  deps: DigestDeps & {
    repos: DigestDeps['repos'] & Pick<Repositories, 'outbox'>;
    dispatcher: OutboxDispatcher;
    logger: Logger;
  },
): JobHandler {
  const log = deps.logger.child({ component: 'leaders-digest' });
  return async ({ now, scheduledFor }: JobContext) => {
    const cycle = cycleOf(scheduledFor);
    const leaders = deps.repos.agencies.chatOfSpecial('leaders');
    if (leaders === null) {
      const coordinators = deps.repos.agencies.chatOfSpecial('coordinators');
      log.warn({ cycle }, "no leaders' group is bound; the digest was not sent");
      if (coordinators !== null) {
        deps.repos.outbox.enqueue({
          items: [
            {
              key: outboxKey('digest-unbound', cycle),
              kind: OUTBOX_KIND.notice,
              chatId: coordinators,
              cycle,
              message: { kind: 'text', text: t('digest.noLeadersChat', undefined, deps.locale) },
            },
          ],
          now,
        });
        await deps.dispatcher.drain();
      }
      return;
    }
    const { digest, card } = previewDigest(deps, { now });
    const { inserted } = deps.repos.outbox.enqueue({
      items: [
        {
          key: outboxKey(OUTBOX_KIND.digest, cycle),
          kind: OUTBOX_KIND.digest,
          chatId: leaders,
          cycle,
          message: { kind: 'card', card },
        },
      ],
      now,
    });
    await deps.dispatcher.drain();
    log.info(
      { cycle, queued: inserted.length, red: digest.counts.red, yellow: digest.counts.yellow },
      'leaders digest written to the outbox',
    );
  };
}
