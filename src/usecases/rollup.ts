/**
 * The roll-up to the lead: for each article, its participants' standing as the lead agency's prompt
 * card shows it. Read from the task rows, which hold each agency's latest report.
 */
import type { PromptParticipant } from '../core/render/prompt-card.js';

/** A participant's task as the roll-up reads it. */
export interface RollUpTask {
  articleId: number;
  agencyId: number | null;
  role: string;
  status: string;
  percent: number;
  blocked: boolean;
  lastReportAt: string | null;
  removedAt: string | null;
}

/** Participants of each article (by article id), in agency order; tasks removed from the decision left out. */
export function participantsByArticle(
  tasks: readonly RollUpTask[],
  agencyName: (agencyId: number) => string,
): Map<number, PromptParticipant[]> {
  const byArticle = new Map<number, Array<PromptParticipant & { agencyId: number }>>();
  for (const task of tasks) {
    if (task.role !== 'participant' || task.agencyId === null || task.removedAt !== null) continue;
    const list = byArticle.get(task.articleId) ?? [];
    list.push({
      agencyId: task.agencyId,
      agency: agencyName(task.agencyId),
      status: task.status,
      percent: task.percent,
      blocked: task.blocked,
      lastReportAt: task.lastReportAt,
    });
    byArticle.set(task.articleId, list);
  }
  return new Map(
    [...byArticle].map(([articleId, list]) => [
      articleId,
      list.sort((a, b) => a.agencyId - b.agencyId).map(({ agencyId: _, ...p }) => p),
    ]),
  );
}
