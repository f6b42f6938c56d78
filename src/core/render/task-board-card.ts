/**
 * The task board card (`/tasks`, `/article`): one markdown block per task with its light and reason and
 * its latest note, paged so every page stays within Lark's card limits (card-limits.ts). Pure: the caller
 * gives the rows, the page asked for and how the next page is asked for.
 */
import type { TrafficLight } from '../progress/lights.js';
import type { ArticleKind } from '../vocabulary.js';
import type { CardJson } from './card-json.js';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, cardByteSize, countCardElements } from './card-limits.js';
import { type Locale, t } from './catalog.js';
import { statusLabel } from './prompt-card.js';
import { describeLight } from './prompt-card-lights.js';
import { taskPlaceLabel } from './task-place.js';

export interface BoardCardRow {
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  articleTitle: string;
  agency: string | null;
  writtenName: string;
  role: 'lead' | 'participant';
  status: string;
  percent: number;
  dueDate: string | null;
  blocked: boolean;
  light: TrafficLight;
  note: string | null;
}

/** Tasks on one page at most, for reading on a phone; the byte and element limits may cut sooner. */
export const BOARD_PAGE_TASKS = 25;
/** Room kept on every page for the header, summary and footer. */
const BYTE_BUDGET = CARD_MAX_BYTES - 2 * 1024;
const ELEMENT_BUDGET = CARD_MAX_ELEMENTS - 20;
const NOTE_MAX = 120;

const EMOJI = { red: '🔴', yellow: '🟡', green: '🟢' } as const;
const TEMPLATE = { red: 'red', yellow: 'orange', green: 'green' } as const;

function escapeMarkdown(text: string): string {
  return text.replace(/[&<>*_~`[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(text: string, max: number): string {
  const chars = [...text.replace(/\s+/gu, ' ')];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function taskElement(row: BoardCardRow, locale: Locale | undefined): CardJson {
  const light = describeLight(row.light, locale);
  const lines = [
    `${EMOJI[row.light.color]} ${t(
      'coord.board.task',
      {
        place: taskPlaceLabel(row, locale),
        title: escapeMarkdown(row.articleTitle),
        agency: escapeMarkdown(row.agency ?? t('coord.board.unassigned', { name: row.writtenName }, locale)),
        role: t(row.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
        status: row.blocked
          ? t('prompts.status.blocked', undefined, locale)
          : statusLabel(row.status, locale),
        percent: row.percent,
        due:
          row.dueDate === null
            ? t('coord.board.noDue', undefined, locale)
            : t('coord.board.due', { date: row.dueDate }, locale),
      },
      locale,
    )}`,
    t('coord.board.light', { name: light.name, reason: escapeMarkdown(light.reason) }, locale),
  ];
  if (row.note !== null)
    lines.push(t('coord.board.note', { note: escapeMarkdown(clip(row.note, NOTE_MAX)) }, locale));
  return { tag: 'markdown', content: lines.join('\n') };
}

/** Splits the task elements into pages that each fit the limits with room for the frame. */
function paginate(elements: CardJson[]): CardJson[][] {
  const pages: CardJson[][] = [];
  let current: CardJson[] = [];
  let bytes = 0;
  let count = 0;
  for (const element of elements) {
    const size = cardByteSize(element) + 1;
    const n = countCardElements(element);
    if (
      current.length > 0 &&
      (current.length >= BOARD_PAGE_TASKS || bytes + size > BYTE_BUDGET || count + n > ELEMENT_BUDGET)
    ) {
      pages.push(current);
      current = [];
      bytes = 0;
      count = 0;
    }
    current.push(element);
    bytes += size;
    count += n;
  }
  if (current.length > 0) pages.push(current);
  return pages;
}

export interface TaskBoardCardInput {
  rows: readonly BoardCardRow[];
  /** What the board shows (本单位, 第3条, 红灯 …), already worded. */
  scope: string;
  /** 1-based; out of range gives `{ pages, card: null }`. */
  page: number;
  /** The command that shows a given page, for the footer. */
  pageCommand(page: number): string;
  locale?: Locale | undefined;
}

export function renderTaskBoardCard(input: TaskBoardCardInput): { pages: number; card: CardJson | null } {
  const { rows, locale } = input;
  const pages = paginate(rows.map((row) => taskElement(row, locale)));
  const total = Math.max(1, pages.length);
  if (input.page < 1 || input.page > total) return { pages: total, card: null };
  const counts = { red: 0, yellow: 0, green: 0 };
  for (const row of rows) counts[row.light.color] += 1;
  const worst = counts.red > 0 ? 'red' : counts.yellow > 0 ? 'yellow' : 'green';
  const title = t('coord.board.title', { scope: input.scope }, locale);
  const elements: CardJson[] = [
    {
      tag: 'markdown',
      content:
        rows.length === 0
          ? t('coord.board.empty', undefined, locale)
          : t('coord.board.summary', { total: rows.length, ...counts }, locale),
    },
  ];
  const body = pages[input.page - 1] ?? [];
  if (body.length > 0) elements.push({ tag: 'hr' }, ...body);
  if (total > 1) {
    elements.push(
      { tag: 'hr' },
      {
        tag: 'markdown',
        content: t(
          'coord.board.page',
          {
            page: input.page,
            pages: total,
            next: input.page < total ? input.pageCommand(input.page + 1) : null,
          },
          locale,
        ),
      },
    );
  }
  return {
    pages: total,
    card: {
      schema: '2.0',
      config: { update_multi: true, width_mode: 'fill', summary: { content: title } },
      header: { title: { tag: 'plain_text', content: title }, template: TEMPLATE[worst] },
      body: { direction: 'vertical', elements },
    },
  };
}
