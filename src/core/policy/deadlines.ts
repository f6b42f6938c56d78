import type { ParsedDecision, ParseWarning } from './types.js';

/** China has kept UTC+8 all year since 1991, so the local year is a fixed offset away. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * Indicators whose deadline year has already ended at `now` (Asia/Shanghai). The import
 * preview shows them; nothing is made overdue because of them.
 */
export function findPastDeadlines({
  decision,
  now,
}: {
  decision: ParsedDecision;
  now: Date;
}): ParseWarning[] {
  const year = new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
  const warnings: ParseWarning[] = [];
  for (const article of decision.articles) {
    for (const indicator of article.indicators) {
      if (indicator.deadlineYear === null || indicator.deadlineYear >= year) continue;
      warnings.push({
        code: 'past_deadline',
        article: article.no,
        text: indicator.source,
        message: `Article ${article.no}: the target "${indicator.metric}" was due by the end of ${indicator.deadlineYear}, which has passed.`,
      });
    }
  }
  return warnings;
}
