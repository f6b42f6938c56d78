import { type Locale, type MessageKey, t, translate } from './catalog.js';

/** Card JSON 2.0 built from data; no I/O. */
type Card = Record<string, unknown>;

const md = (content: string) => ({ tag: 'markdown', content });

/** Lines shown per list: the card stays far inside Lark's 30 KB and 200 elements whatever the file. */
const MAX_LINES = 15;
const MAX_LINE_CHARS = 60;

export interface ImportCardInput {
  title: string;
  fileName: string;
  status: 'new' | 'unchanged' | 'revision';
  documentId: number | null;
  counts: { parts: number; articles: number; agencies: number; tasks: number };
  articlesAdded: { no: number; title: string }[];
  articlesChanged: { no: number; title: string }[];
  articlesRemoved: { no: number; title: string }[];
  tasksAdded: { article: number; assignee: string; role: 'lead' | 'participant' }[];
  tasksDropped: { article: number; assignee: string; role: 'lead' | 'participant' }[];
  kept: { kept: number; closed: number } | null;
  unknownNames: { article: number; text: string }[];
  notes: { code: string; article: number | null; text: string }[];
  pastDeadlines: { article: number; metric: string; deadlineYear: number }[];
  contentHash: string;
  /** The buttons' callback values; none for a text already imported. */
  confirmValue: Record<string, unknown> | null;
  cancelValue: Record<string, unknown>;
  locale?: Locale;
}

const clip = (line: string) =>
  line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;

/** The preview of an import: what would be added, changed and removed, and what to check first. */
export function renderImportPreviewCard(input: ImportCardInput): Card {
  const { locale } = input;
  const tr = (key: MessageKey) => translate(key, undefined, locale);
  const role = (r: 'lead' | 'participant') => tr(r === 'lead' ? 'common.lead' : 'common.participant');
  const list = (heading: string, lines: string[]): string | null => {
    if (lines.length === 0) return null;
    const shown = lines.slice(0, MAX_LINES).map((line) => `- ${clip(line)}`);
    if (lines.length > MAX_LINES)
      shown.push(t('import.card.more', { count: lines.length - MAX_LINES }, locale));
    return [heading, ...shown].join('\n');
  };
  const article = (a: { no: number; title: string }) => t('import.card.article', a, locale);
  const task = (x: { article: number; assignee: string; role: 'lead' | 'participant' }) =>
    t('import.card.task', { article: x.article, assignee: x.assignee, role: role(x.role) }, locale);

  const status =
    input.status === 'new'
      ? tr('import.card.statusNew')
      : input.status === 'revision'
        ? t('import.card.statusRevision', { id: input.documentId ?? 0 }, locale)
        : t('import.card.statusUnchanged', { id: input.documentId ?? 0 }, locale);
  const sections = [
    `${t('import.card.doc', { title: clip(input.title), file: clip(input.fileName) }, locale)}\n${status}\n${t('import.card.counts', input.counts, locale)}`,
    list(tr('import.card.added'), [
      ...(input.status === 'revision' ? input.articlesAdded.map(article) : []),
      ...input.tasksAdded.map(task),
    ]),
    list(tr('import.card.changed'), input.articlesChanged.map(article)),
    list(tr('import.card.removed'), [...input.articlesRemoved.map(article), ...input.tasksDropped.map(task)]),
    input.kept === null ? null : t('import.card.kept', input.kept, locale),
    list(
      tr('import.card.unknown'),
      input.unknownNames.map((u) => t('import.card.article', { no: u.article, title: u.text }, locale)),
    ),
    list(
      tr('import.card.notes'),
      input.notes.map((n) => t('import.card.note', n, locale)),
    ),
    list(
      tr('import.card.pastDeadlines'),
      input.pastDeadlines.map((d) =>
        t('import.card.article', { no: d.article, title: `${d.metric} (${d.deadlineYear})` }, locale),
      ),
    ),
    t('import.card.hash', { hash: input.contentHash.slice(0, 12) }, locale),
  ].filter((s): s is string => s !== null);

  const button = (text: string, type: string, value: Record<string, unknown>) => ({
    tag: 'column',
    width: 'auto',
    elements: [
      {
        tag: 'button',
        text: { tag: 'plain_text', content: text },
        type,
        behaviors: [{ type: 'callback', value }],
      },
    ],
  });
  const title = tr('import.card.title');
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      width_mode: 'fill',
      summary: { content: `${title} · ${clip(input.title)}` },
    },
    header: {
      title: { tag: 'plain_text', content: title },
      template: input.status === 'unchanged' ? 'grey' : 'blue',
    },
    body: {
      direction: 'vertical',
      elements: [
        ...sections.map(md),
        ...(input.confirmValue === null
          ? []
          : [
              {
                tag: 'column_set',
                flex_mode: 'none',
                horizontal_spacing: '8px',
                columns: [
                  button(tr('import.card.confirm'), 'primary_filled', input.confirmValue),
                  button(tr('import.card.cancel'), 'default', input.cancelValue),
                ],
              },
            ]),
      ],
    },
  };
}

/** The card after a tap: what happened, without buttons. */
export function renderImportOutcomeCard(input: { text: string; ok: boolean; locale?: Locale }): Card {
  const title = translate('import.card.title', undefined, input.locale);
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: input.text } },
    header: { title: { tag: 'plain_text', content: title }, template: input.ok ? 'green' : 'grey' },
    body: { direction: 'vertical', elements: [md(input.text)] },
  };
}
