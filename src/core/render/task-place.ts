/**
 * A task's place in words: "第4条" for a decision's article, "批示1" for a leader's instruction (批示).
 * The year's "领导批示" document numbers its instructions from 1, so "第1条" alone would read as the
 * decision's article 1: every card, export and CLI line that names a task's article asks this one function.
 */
import type { ArticleKind } from '../vocabulary.js';
import { type Locale, t } from './catalog.js';

export interface TaskPlace {
  articleNo: number;
  /** Absent for a decision's article (what every task was before instructions existed). */
  articleKind?: ArticleKind | undefined;
}

export function taskPlaceLabel(place: TaskPlace, locale?: Locale): string {
  return place.articleKind === 'instruction'
    ? t('place.instruction', { no: place.articleNo }, locale)
    : t('place.article', { no: place.articleNo }, locale);
}
