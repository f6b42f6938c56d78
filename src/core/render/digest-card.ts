/**
 * The leaders' weekly digest card (built by src/core/digest/digest.ts): exceptions first — red, yellow,
 * new blockers, coordination between agencies, pending extensions, work returned this week, tasks
 * without a due date — then progress by part with a chart, the quantitative targets and the scores.
 *
 * One markdown element per section keeps the element count small; a section lists at most a few lines
 * and ends with "… 另有 N 项，发送 /tasks red 查看". When the card would still pass Lark's limits
 * (card-limits.ts: 30 KB, 200 elements) the lists are cut shorter until it fits.
 */
import type { Digest, DigestTaskRef } from '../digest/digest.js';
import type { CardJson } from './card-json.js';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, cardByteSize, countCardElements } from './card-limits.js';
import { type Locale, t } from './catalog.js';
import { describeLight, describeLightReason } from './prompt-card-lights.js';
import { taskPlaceLabel } from './task-place.js';

/** Lines per list before "… 另有 N 项"; halved while the card does not fit. */
export const DIGEST_LIST_MAX = 10;
const TEXT_MAX = 60;

function escapeMarkdown(text: string): string {
  return text.replace(/[&<>*_~`[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(text: string, max = TEXT_MAX): string {
  const chars = [...text.replace(/\s+/gu, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function taskText(task: DigestTaskRef, locale: Locale | undefined): string {
  return t(
    'digest.task',
    {
      place: taskPlaceLabel(task, locale),
      title: escapeMarkdown(clip(task.articleTitle, 24)),
      agency: escapeMarkdown(task.agency),
      role: t(task.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
    },
    locale,
  );
}

function section<T>(
  heading: string,
  items: readonly T[],
  line: (item: T) => string,
  more: string,
  max: number,
  locale: Locale | undefined,
): CardJson[] {
  if (items.length === 0) return [];
  const lines = [heading, ...items.slice(0, max).map(line)];
  if (items.length > max) lines.push(t('digest.more', { count: items.length - max, command: more }, locale));
  return [{ tag: 'markdown', content: lines.join('\n') }];
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** A VChart bar spec of the mean percent per part (Lark card `chart` element, chart_spec). */
function partsChart(digest: Digest, locale: Locale | undefined): CardJson {
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'bar',
      title: { text: t('digest.chartTitle', undefined, locale) },
      data: {
        values: digest.parts.map((part) => ({ part: part.label, percent: part.percent })),
      },
      xField: 'part',
      yField: 'percent',
      axes: [{ orient: 'left', min: 0, max: 100 }],
      label: { visible: true },
    },
  };
}

function build(digest: Digest, max: number, locale: Locale | undefined, preview: boolean): CardJson {
  const title = t('digest.title', { cycle: digest.cycle }, locale);
  const elements: CardJson[] = [
    ...(preview ? [{ tag: 'markdown', content: `*${t('digest.sent', undefined, locale)}*` }] : []),
    {
      tag: 'markdown',
      content: t(
        'digest.summary',
        { date: digest.today, total: digest.counts.tasks, ...digest.counts },
        locale,
      ),
    },
  ];
  const lightLine = (item: Digest['red'][number]) =>
    t(
      'digest.lightItem',
      {
        task: taskText(item, locale),
        reason: escapeMarkdown(clip(describeLight(item.light, locale).reason, 80)),
      },
      locale,
    );
  const exceptions: CardJson[] = [
    ...section(
      t('digest.section.red', { count: digest.red.length }, locale),
      digest.red,
      lightLine,
      '/tasks red',
      max,
      locale,
    ),
    ...section(
      t('digest.section.yellow', { count: digest.yellow.length }, locale),
      digest.yellow,
      // The due-date reason is said once, in its own section below.
      (item) =>
        t(
          'digest.lightItem',
          {
            task: taskText(item, locale),
            reason: escapeMarkdown(
              clip(
                item.light.reasons
                  .filter((r) => r.code !== 'no_due_date')
                  .map((r) => describeLightReason(r, locale))
                  .join(t('prompts.reason.separator', undefined, locale)),
                80,
              ),
            ),
          },
          locale,
        ),
      '/tasks yellow',
      max,
      locale,
    ),
    ...section(
      t('digest.section.blockers', { count: digest.blockers.length }, locale),
      digest.blockers,
      (item) =>
        t(
          'digest.blockerItem',
          {
            task: taskText(item, locale),
            reason: escapeMarkdown(clip(item.reason ?? t('digest.blockerNoReason', undefined, locale))),
            named: escapeMarkdown(item.named.join('、')),
          },
          locale,
        ),
      '/tasks red',
      max,
      locale,
    ),
    ...section(
      t('digest.section.coordination', { count: digest.coordination.length }, locale),
      digest.coordination,
      (item) =>
        t(
          'digest.coordinationItem',
          {
            place: taskPlaceLabel(item, locale),
            title: escapeMarkdown(clip(item.articleTitle, 24)),
            agencies: escapeMarkdown(item.agencies.join('、')),
            cause: t(
              item.cause === 'blocker_names_agencies' ? 'digest.cause.blocker' : 'digest.cause.lead',
              undefined,
              locale,
            ),
          },
          locale,
        ),
      '/tasks red',
      max,
      locale,
    ),
    ...section(
      t('digest.section.extensions', { count: digest.extensions.length }, locale),
      digest.extensions,
      (item) =>
        t(
          'digest.extensionItem',
          {
            task: taskText(item, locale),
            from: item.previousDue ?? t('coord.board.noDue', undefined, locale),
            to: item.requestedDue,
            reason: escapeMarkdown(clip(item.reason)),
          },
          locale,
        ),
      '/tasks',
      max,
      locale,
    ),
    ...section(
      t('digest.section.returned', { count: digest.returned.length }, locale),
      digest.returned,
      (item) =>
        t(
          'digest.returnedItem',
          {
            task: taskText(item, locale),
            date: item.at.slice(0, 10),
            reason: item.reason === null ? null : escapeMarkdown(clip(item.reason)),
          },
          locale,
        ),
      '/tasks',
      max,
      locale,
    ),
  ];
  if (digest.noDueDate.length > 0) {
    const [block] = section(
      t('digest.section.noDue', { count: digest.noDueDate.length }, locale),
      digest.noDueDate,
      (item) => t('digest.noDueItem', { task: taskText(item, locale) }, locale),
      '/tasks',
      max,
      locale,
    );
    if (block) {
      exceptions.push({
        tag: 'markdown',
        content: `${String(block.content)}\n${t('digest.noDueHint', undefined, locale)}`,
      });
    }
  }
  elements.push({ tag: 'hr' });
  if (exceptions.length === 0)
    elements.push({ tag: 'markdown', content: t('digest.nothingUrgent', undefined, locale) });
  else elements.push(...exceptions);

  if (digest.parts.length > 0) {
    elements.push(
      { tag: 'hr' },
      {
        tag: 'markdown',
        content: [
          t('digest.section.parts', undefined, locale),
          ...digest.parts.map((part) =>
            t('digest.partItem', { ...part, title: escapeMarkdown(clip(part.title, 24)) }, locale),
          ),
        ].join('\n'),
      },
      partsChart(digest, locale),
    );
  }
  elements.push(
    ...section(
      t('digest.section.targets', { count: digest.targets.length }, locale),
      digest.targets,
      (item) =>
        t(
          'digest.targetItem',
          {
            article: item.articleNo,
            target: `${escapeMarkdown(clip(item.metric, 30))} ${item.comparator} ${item.value}${escapeMarkdown(item.unit)}${
              item.deadlineYear === null ? '' : t('digest.targetBy', { year: item.deadlineYear }, locale)
            }`,
            percent: item.percent,
            done: item.done,
            tasks: item.tasks,
          },
          locale,
        ),
      '/tasks',
      max,
      locale,
    ),
  );
  if (digest.scores && digest.scores.agencies.length > 0) {
    elements.push(
      ...section(
        t('digest.section.scores', { period: digest.scores.period }, locale),
        digest.scores.agencies.map((score, i) => ({ ...score, rank: i + 1 })),
        (score) =>
          t(
            'digest.scoreItem',
            {
              rank: score.rank,
              agency: escapeMarkdown(score.agency),
              total: score.total,
              change:
                score.change === null
                  ? ''
                  : t('digest.scoreChange', { change: signed(score.change) }, locale),
            },
            locale,
          ),
        '/score',
        max,
        locale,
      ),
    );
  }
  elements.push({ tag: 'hr' }, { tag: 'markdown', content: t('digest.footer', undefined, locale) });

  const worst = digest.counts.red > 0 ? 'red' : digest.counts.yellow > 0 ? 'orange' : 'green';
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: title } },
    header: { title: { tag: 'plain_text', content: title }, template: worst },
    body: { direction: 'vertical', elements },
  };
}

/** The digest as one card within Lark's limits; lists are shortened until it fits. */
export function renderDigestCard(input: {
  digest: Digest;
  locale?: Locale | undefined;
  /** A coordinators' preview (/digest): says so at the top. */
  preview?: boolean | undefined;
}): CardJson {
  const preview = input.preview ?? false;
  let max = DIGEST_LIST_MAX;
  let card = build(input.digest, max, input.locale, preview);
  while (max > 1 && (cardByteSize(card) > CARD_MAX_BYTES || countCardElements(card) > CARD_MAX_ELEMENTS)) {
    max = Math.floor(max / 2);
    card = build(input.digest, max, input.locale, preview);
  }
  return card;
}
