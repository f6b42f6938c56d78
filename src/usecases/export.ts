/**
 * The xlsx exports: the ledger (台账) and the scores, gathered from the store and written by the
 * workbook builders (src/export). `duban export` writes the bytes to a file; `/export` sends them as a
 * file message in the chat that asked. One gathering for both, so the file is the same either way.
 */

import { shanghaiDate } from '../core/cycles/time.js';
import type { Locale } from '../core/render/catalog.js';
import type { ScorePeriod } from '../core/scoring/period.js';
import type { ScoringRules } from '../core/scoring/rules.js';
import type { TaskStatus } from '../core/vocabulary.js';
import {
  buildLedgerWorkbook,
  type LedgerHistoryRow,
  type LedgerTargetRow,
  type LedgerTaskRow,
} from '../export/ledger-workbook.js';
import { buildScoresWorkbook } from '../export/scores-workbook.js';
import type { ChatPort } from '../ports/chat.js';
import type { Repositories } from './repositories.js';
import { createScores, resolveScorePeriod } from './scores.js';
import { listTaskBoard } from './task-board.js';

export const EXPORT_KINDS = ['ledger', 'scores'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportFile {
  kind: ExportKind;
  fileName: string;
  data: Buffer;
  /** The period the file covers: the scores' period, or the ledger history's when one was asked. */
  period: ScorePeriod | null;
}

export interface ExportInput {
  now: Date;
  /** `2026-11`, `2026-Q4`, `2026`. The ledger keeps every task and narrows its history to the period. */
  period?: string | undefined;
}

export type ExportRepos = Pick<
  Repositories,
  'agencies' | 'audit' | 'documents' | 'outbox' | 'people' | 'progress' | 'tasks'
>;

export function createExports(deps: {
  repos: ExportRepos;
  rules: ScoringRules;
  locale?: Locale | undefined;
  /** Where `/export` sends files; the CLI, which writes files, has none. */
  chat?: Pick<ChatPort, 'sendFile'> | undefined;
}) {
  const { repos, rules, locale, chat } = deps;
  const scores = createScores({ repos, rules });
  const withLocale = locale === undefined ? {} : { locale };

  async function ledger(input: ExportInput): Promise<ExportFile> {
    const period =
      input.period === undefined || input.period.trim() === ''
        ? null
        : resolveScorePeriod(rules, input.period, input.now);
    const board = listTaskBoard(
      { tasks: repos.tasks, progress: repos.progress, agencies: repos.agencies },
      { filter: { kind: 'all' }, now: input.now },
    );
    const snapshots = new Map(
      [...new Set(board.rows.map((row) => row.documentId))].map((id) => [
        id,
        repos.documents.loadDocumentSnapshot(id),
      ]),
    );
    const partOf = (documentId: number, articleId: number): string | null => {
      const snapshot = snapshots.get(documentId);
      const article = snapshot?.articles.find((a) => a.id === articleId);
      const part = snapshot?.parts.find((p) => p.no === article?.partNo);
      return part === undefined ? null : `${part.label}${part.title}`;
    };
    const verifiedAt = new Map<number, string>();
    for (const event of repos.audit.list({ entity: 'task', action: 'verified' })) {
      verifiedAt.set(Number(event.entityId), event.at);
    }
    const tasks: LedgerTaskRow[] = board.rows.map((row) => ({
      part: partOf(row.documentId, row.articleId),
      articleNo: row.articleNo,
      articleKind: row.articleKind,
      articleTitle: row.articleTitle,
      agency: row.agency,
      role: row.role,
      dueDate: row.dueDate,
      dueWritten: row.dueWritten,
      status: row.status,
      blocked: row.blocked,
      percent: row.percent,
      light: row.light,
      lastReportAt: row.lastReportAt,
      verifiedAt: row.status === 'verified' ? (verifiedAt.get(row.id) ?? null) : null,
    }));

    const byId = new Map(board.rows.map((row) => [row.id, row]));
    const names = new Map<string, string>();
    const nameOf = (openId: string) => {
      if (!names.has(openId)) names.set(openId, repos.people.nameOf(openId) ?? openId);
      return names.get(openId) as string;
    };
    const history: LedgerHistoryRow[] = repos.progress
      .updatesOf(board.rows.map((row) => row.id))
      .filter((u) => {
        if (period === null) return true;
        const day = shanghaiDate(new Date(u.at));
        return day >= period.start && day <= period.end;
      })
      .map((u) => ({
        at: u.at,
        articleNo: byId.get(u.taskId)?.articleNo ?? 0,
        articleKind: byId.get(u.taskId)?.articleKind,
        agency: byId.get(u.taskId)?.agency ?? null,
        actor: nameOf(u.actor),
        status: u.status as TaskStatus,
        percent: u.percent,
        blocked: u.blocked,
        note: u.note ?? '',
      }));

    const targets: LedgerTargetRow[] = [];
    for (const snapshot of snapshots.values()) {
      for (const article of snapshot?.articles ?? []) {
        for (const indicator of article.indicators) {
          targets.push({
            articleNo: article.ordinal,
            articleTitle: article.title,
            metric: indicator.metric,
            comparator: indicator.comparator,
            value: indicator.value,
            unit: indicator.unit,
            deadlineYear: indicator.deadlineYear,
            reported: null,
          });
        }
      }
    }
    const data = await buildLedgerWorkbook({ tasks, history, targets, now: input.now, ...withLocale });
    const stamp = period?.key ?? shanghaiDate(input.now);
    return { kind: 'ledger', fileName: `台账-${stamp}.xlsx`, data, period };
  }

  async function scoresFile(input: ExportInput): Promise<ExportFile> {
    const { sheet, previous } = scores({ period: input.period, now: input.now });
    const data = await buildScoresWorkbook({ sheet, previous, now: input.now, ...withLocale });
    return { kind: 'scores', fileName: `考评-${sheet.period.key}.xlsx`, data, period: sheet.period };
  }

  const build = (kind: ExportKind, input: ExportInput) =>
    kind === 'ledger' ? ledger(input) : scoresFile(input);

  return {
    build,
    /** `/export`: the file as a message in `chatId`; the key keeps a retried command from sending twice. */
    async sendTo(
      input: ExportInput & { kind: ExportKind; chatId: string; idempotencyKey?: string | undefined },
    ): Promise<ExportFile & { messageId: string }> {
      if (chat === undefined) throw new Error('createExports: no chat port to send the file with');
      const file = await build(input.kind, input);
      const sent = await chat.sendFile({
        chatId: input.chatId,
        fileName: file.fileName,
        fileType: 'xls',
        data: file.data,
        ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
      });
      return { ...file, messageId: sent.messageId };
    },
  };
}

export type Exports = ReturnType<typeof createExports>;
