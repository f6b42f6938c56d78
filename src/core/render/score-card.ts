/**
 * The `/score` card: per-agency totals (highest first, with the change since the period before), then
 * the lines behind the top agencies, each naming its event. Kept within Lark's card limits: the
 * totals table is one markdown element, details are cut to fit, and the rest is pointed to
 * `duban score` and `/export scores`.
 */
import type { AgencyScore, ScoreLine, ScoreSheet } from '../scoring/score.js';
import type { CardJson } from './card-json.js';
import { CARD_MAX_BYTES, cardByteSize } from './card-limits.js';
import { type Locale, t, translate } from './catalog.js';
import { taskPlaceLabel } from './task-place.js';

/** Agencies whose lines are shown; the totals list every agency. */
export const SCORE_CARD_DETAILED = 3;
/** Lines shown per detailed agency. */
export const SCORE_CARD_LINES = 12;
/** Head-room under Lark's 30 KB for the header and JSON overhead. */
const BUDGET = CARD_MAX_BYTES - 2 * 1024;

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

function lineText(line: ScoreLine, locale: Locale | undefined): string {
  return t(
    'score.card.line',
    {
      date: line.date,
      rule: translate(`scoring.rule.${line.rule}`, undefined, locale),
      place: taskPlaceLabel(line, locale),
      role: t(line.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
      points: signed(line.points),
      source:
        line.source === 'outbox' ? t('score.card.prompt', { id: line.factId }, locale) : `#${line.factId}`,
    },
    locale,
  );
}

export function renderScoreCard(input: {
  sheet: ScoreSheet;
  previous?: ScoreSheet | undefined;
  locale?: Locale | undefined;
}): CardJson {
  const { sheet, locale } = input;
  const before = new Map(input.previous?.agencies.map((a) => [a.agencyId, a.total]));
  const change = (a: AgencyScore) => {
    const was = before.get(a.agencyId);
    return was === undefined ? '' : ` (${signed(Math.round((a.total - was) * 100) / 100)})`;
  };
  const scored = sheet.agencies.filter((a) => a.lines.length > 0 || a.total !== 0);
  const quiet = sheet.agencies.length - scored.length;
  const totals =
    scored.length === 0
      ? t('score.card.empty', undefined, locale)
      : scored.map((a, i) => `${i + 1}. **${a.agency}** ${signed(a.total)}${change(a)}`).join('\n');
  const elements: Record<string, unknown>[] = [
    {
      tag: 'markdown',
      element_id: 'totals',
      content: quiet > 0 ? `${totals}\n${t('score.card.quiet', { count: quiet }, locale)}` : totals,
    },
  ];
  const build = () => ({
    schema: '2.0',
    config: {
      width_mode: 'fill',
      summary: { content: t('score.card.title', { period: sheet.period.key }, locale) },
    },
    header: {
      title: { tag: 'plain_text', content: t('score.card.title', { period: sheet.period.key }, locale) },
      subtitle: {
        tag: 'plain_text',
        content: t('score.card.subtitle', { start: sheet.period.start, end: sheet.period.end }, locale),
      },
      template: 'blue',
    },
    body: { direction: 'vertical', vertical_spacing: '8px', elements },
  });
  // The lines behind the top agencies by total, and those behind the lowest: both need defending.
  const detailed = [...scored.slice(0, SCORE_CARD_DETAILED)];
  for (const a of scored.slice(-SCORE_CARD_DETAILED)) if (!detailed.includes(a)) detailed.push(a);
  detailed.forEach((a, i) => {
    const shown = a.lines.slice(0, SCORE_CARD_LINES).map((line) => `- ${lineText(line, locale)}`);
    const more = a.lines.length - shown.length;
    const content = [
      `**${a.agency}** ${signed(a.total)}`,
      ...shown,
      ...(more > 0 ? [t('score.card.more', { count: more }, locale)] : []),
    ].join('\n');
    const element = { tag: 'markdown', element_id: `agency_${i}`, content };
    elements.push(element);
    if (cardByteSize(build()) > BUDGET) elements.pop();
  });
  elements.push({
    tag: 'markdown',
    element_id: 'footer',
    content: t('score.card.footer', { period: sheet.period.key }, locale),
    text_size: 'notation',
  });
  return build();
}
