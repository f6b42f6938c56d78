/**
 * The audit trail in words: one line per event ("11-26 09:40 王芳（市科技局）通过卡片报送：进行中 0% → 70%")
 * and the /history card that lists them, paged within Lark's limits. Pure: events in, text and cards out.
 */

import { readNumber } from '../replies/numbers.js';
import type { ArticleKind } from '../vocabulary.js';
import type { CardJson } from './card-json.js';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, measureCardJson } from './card-limits.js';
import { type Locale, type MessageKey, t, translate } from './catalog.js';
import { statusLabel } from './prompt-card.js';
import { type TaskPlace, taskPlaceLabel } from './task-place.js';

/** One audit event as /history and `duban history --json` show it: stable English keys. */
export interface HistoryEntry {
  at: string;
  actor: string;
  actorName: string | null;
  agency: string | null;
  channel: string;
  entity: string;
  entityId: string;
  action: string;
  before: unknown;
  after: unknown;
  messageId: string | null;
  eventId: string | null;
}

/**
 * `13`, `１３`, `第13条`, `第十三条`, `十三` → the decision's article 13; `批示1`, `instruction 1` → the
 * leader's instruction 1 (see task-place.ts); anything else → null.
 */
export function readPlaceRef(written: string): Required<TaskPlace> | null {
  const ascii = written.trim().replace(/[０-９]/gu, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const instruction = /^(?:批示|instruction\s*)/iu.exec(ascii);
  const bare = (instruction === null ? ascii : ascii.slice(instruction[0].length))
    .trim()
    .replace(/^第/u, '')
    .replace(/[条項项]$/u, '');
  const n = readNumber(bare);
  return n !== null && n >= 1 && n <= 9999
    ? { articleNo: n, articleKind: instruction === null ? 'decision' : 'instruction' }
    : null;
}

/** `11-26 09:40` in Shanghai. */
function when(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return at;
  return new Date(ms + 8 * 3600_000).toISOString().slice(5, 16).replace('T', ' ');
}

const VIA = new Map<string, MessageKey>([
  ['card', 'history.via.card'],
  ['thread', 'history.via.thread'],
  ['chat', 'history.via.chat'],
  ['command', 'history.via.command'],
  ['cli', 'history.via.cli'],
  ['system', 'history.via.system'],
  ['scheduler', 'history.via.scheduler'],
]);

const MACHINE_ACTORS = new Map<string, MessageKey>([
  ['system', 'history.who.system'],
  ['scheduler', 'history.who.scheduler'],
  ['cli', 'history.who.cli'],
]);

interface Standing {
  status?: unknown;
  percent?: unknown;
  blocked?: unknown;
  note?: unknown;
}

function standing(value: unknown, locale: Locale | undefined): string {
  if (typeof value !== 'object' || value === null) return '—';
  const s = value as Standing;
  const status = statusLabel(s.blocked === true ? 'blocked' : String(s.status ?? ''), locale);
  return typeof s.percent === 'number' ? `${status} ${s.percent}%` : status;
}

function compact(value: unknown): string {
  if (value === null || value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function what(entry: HistoryEntry, locale: Locale | undefined): string {
  switch (entry.action) {
    case 'reported':
    case 'report_corrected': {
      const note = (entry.after as Standing | null)?.note;
      const line = t(
        entry.action === 'reported' ? 'history.what.reported' : 'history.what.report_corrected',
        { before: standing(entry.before, locale), after: standing(entry.after, locale) },
        locale,
      );
      return typeof note === 'string' && note.trim() !== ''
        ? line + t('history.note', { note: note.trim().slice(0, 200) }, locale)
        : line;
    }
    case 'no_change_confirmed':
      return t('history.what.no_change_confirmed', undefined, locale);
    case 'created':
    case 'updated':
    case 'removed':
      if (entry.entity === 'task' || entry.entity === 'article')
        return t(`history.what.${entry.action}`, undefined, locale);
      break;
  }
  // Actions this renderer does not word yet (verification, extensions …) still read as before → after.
  const change =
    entry.before === null && entry.after === null ? '' : `${compact(entry.before)} → ${compact(entry.after)}`;
  return t('history.what.other', { action: entry.action, change }, locale);
}

/** One event in words. */
export function describeHistoryEntry(entry: HistoryEntry, locale?: Locale): string {
  const machine = MACHINE_ACTORS.get(entry.actor);
  const name =
    entry.actorName ?? (machine === undefined ? entry.actor : translate(machine, undefined, locale));
  const via = VIA.get(entry.channel);
  return t(
    'history.line',
    {
      when: when(entry.at),
      who: t('history.actor', { name, agency: entry.agency }, locale),
      via:
        via === undefined
          ? t('history.via.other', { channel: entry.channel }, locale)
          : translate(via, undefined, locale),
      what: what(entry, locale),
    },
    locale,
  );
}

function escapeMarkdown(text: string): string {
  return text.replace(/[&<>*_~`[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The /history card(s): the events in order, as many lines per card as Lark's limits allow (one markdown
 * element per line group), the pages numbered. No events: one card that says so.
 */
export function renderHistoryCards(input: {
  article: { no: number; title: string; kind?: ArticleKind | undefined };
  agency: string | null;
  entries: readonly HistoryEntry[];
  locale?: Locale;
  limits?: { maxBytes?: number; maxElements?: number };
}): CardJson[] {
  const { locale } = input;
  const maxBytes = (input.limits?.maxBytes ?? CARD_MAX_BYTES) - 1024;
  const maxElements = input.limits?.maxElements ?? CARD_MAX_ELEMENTS;
  const lines = input.entries.map((e) => `- ${escapeMarkdown(describeHistoryEntry(e, locale))}`);
  const card = (body: string[], page: number, pages: number): CardJson => {
    const subtitle = [t('history.subtitle', { count: input.entries.length, agency: input.agency }, locale)];
    if (pages > 1) subtitle.push(t('history.page', { page, pages }, locale));
    return {
      schema: '2.0',
      config: { width_mode: 'fill' },
      header: {
        title: {
          tag: 'plain_text',
          content: t(
            'history.title',
            {
              place: taskPlaceLabel({ articleNo: input.article.no, articleKind: input.article.kind }, locale),
              title: input.article.title,
            },
            locale,
          ),
        },
        subtitle: { tag: 'plain_text', content: subtitle.join(' · ') },
        template: 'blue',
      },
      body: {
        elements: (body.length === 0 ? [t('history.empty', undefined, locale)] : body).map((content, i) => ({
          tag: 'markdown',
          element_id: `h${i}`,
          content,
        })),
      },
    };
  };
  // Lines are grouped into markdown blocks of up to 20; a page takes blocks while it stays in limits.
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i += 20) blocks.push(lines.slice(i, i + 20).join('\n'));
  const pages: string[][] = [];
  let current: string[] = [];
  for (const block of blocks) {
    const trial = measureCardJson(JSON.stringify(card([...current, block], 999, 999)));
    if (current.length > 0 && (trial.bytes > maxBytes || trial.elements > maxElements)) {
      pages.push(current);
      current = [];
    }
    current.push(block);
  }
  pages.push(current);
  return pages.map((body, i) => card(body, i + 1, pages.length));
}
