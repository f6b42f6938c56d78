import { t } from '../core/render/catalog.js';
import type { ExtensionRequestOutcome, VerdictOutcome } from '../usecases/review.js';

/** What a person is told about an extension request, whether it came from the card or /extend. */
export function extensionText(outcome: ExtensionRequestOutcome): string {
  if (outcome.kind === 'requested') {
    return t('extend.requested', { article: outcome.articleNo, date: outcome.date });
  }
  const article = outcome.articleNo ?? 0;
  switch (outcome.problem) {
    case 'bad_date':
      return t('extend.badDate');
    case 'not_later':
      return t('extend.notLater', { due: outcome.due ?? '' });
    case 'needs_reason':
      return t('extend.needsReason');
    case 'reason_too_long':
      return t('extend.reasonTooLong');
    case 'forbidden':
      return t('extend.forbidden');
    case 'closed':
      return t('extend.closed', { article });
    case 'pending':
      return t('extend.pending', { article, date: outcome.date ?? '' });
    case 'no_task':
      return t('extend.noTask', { article });
    case 'not_found':
      return t('bot.action.gone');
  }
}

/** A verdict the use case refused, as the toast says it. */
export function verdictRefusal(outcome: Exclude<VerdictOutcome, { kind: 'verified' | 'returned' }>): string {
  switch (outcome.kind) {
    case 'not_found':
      return t('bot.action.gone');
    case 'forbidden':
      return t('review.notVerifier');
    case 'needs_reason':
      return t('review.return.needsReason');
    case 'already_verified':
      return t('review.alreadyVerified', { article: outcome.articleNo });
    case 'not_awaiting':
      return t('review.notAwaiting', { article: outcome.articleNo, status: outcome.status });
  }
}
