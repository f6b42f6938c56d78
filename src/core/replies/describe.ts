import { type Locale, t } from '../render/catalog.js';
import type { ReplyReading } from './read-reply.js';

/**
 * A reading in one line, through the catalog: `第13条 · 进行中 70% · 预计 2027-06-30 · 涉及 市财政局 ·
 * 困难：需市财政局配合 · 把握：高`. The CLI prints it; the bot's echo card can say the same.
 */
export function describeReading(reading: ReplyReading, locale: Locale = 'zh-CN'): string {
  const list = t('replies.listSeparator', undefined, locale);
  const parts = [
    reading.article === null
      ? t('replies.noArticle', undefined, locale)
      : t('replies.article', { article: reading.article }, locale),
  ];
  const status =
    reading.status === null
      ? t(reading.noChange ? 'replies.noChange' : 'replies.status.unknown', undefined, locale)
      : t(`replies.status.${reading.status}`, undefined, locale);
  parts.push(reading.percent === null ? status : `${status} ${reading.percent}%`);
  if (reading.eta !== null) parts.push(t('replies.eta', { eta: reading.eta }, locale));
  if (reading.agencies.length > 0)
    parts.push(t('replies.agencies', { names: reading.agencies.join(list) }, locale));
  if (reading.blockers.length > 0)
    parts.push(t('replies.blockers', { text: reading.blockers.join(list) }, locale));
  parts.push(
    reading.confidence === 'high'
      ? t('replies.confidence.high', undefined, locale)
      : t(
          'replies.confidence.low',
          { reasons: reading.doubts.map((d) => t(`replies.doubt.${d}`, undefined, locale)).join(list) },
          locale,
        ),
  );
  return parts.join(t('replies.fieldSeparator', undefined, locale));
}
