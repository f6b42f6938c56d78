/**
 * The cards that answer a free-text reply: the echo of what was read, with [确认] [修改], or — when the
 * reading is unsure — what was unclear, with only [填写表单]. Built from data; the buttons carry what
 * the card says, and the router checks every value before anything is written.
 */
import type { TaskReport } from '../progress/report-form.js';
import type { CardJson } from './card-json.js';
import { type Locale, type MessageKey, t, translate } from './catalog.js';
import { statusLabel } from './prompt-card.js';

const md = (content: string) => ({ tag: 'markdown', content });

/** Card markdown treats these as markup; what people wrote is data. */
function escapeMarkdown(text: string): string {
  return text.replace(/[&<>*_~`[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface EchoTask {
  articleNo: number;
  articleTitle: string;
}

/** `进行中 70% · 预计 2027-06-30 · 需 市财政局 配合` (and `受阻：…` for a blocked report). */
export function echoLine(input: {
  report: TaskReport | null;
  eta: string | null;
  agencies: readonly string[];
  blockers: readonly string[];
  locale?: Locale | undefined;
}): string {
  const { locale } = input;
  const parts: string[] = [];
  if (input.report === null) parts.push(t('chatReplies.line.unknown', undefined, locale));
  else {
    const label = statusLabel(input.report.status, locale);
    parts.push(input.report.status === 'reported_done' ? label : `${label} ${input.report.percent}%`);
  }
  if (input.eta !== null) parts.push(t('chatReplies.line.eta', { eta: input.eta }, locale));
  if (input.agencies.length > 0) {
    parts.push(
      t(
        'chatReplies.line.agencies',
        { names: input.agencies.join(t('replies.listSeparator', undefined, locale)) },
        locale,
      ),
    );
  }
  if (input.report?.blocked) {
    const reason =
      input.blockers.length > 0
        ? input.blockers.join(t('replies.listSeparator', undefined, locale))
        : input.report.note;
    parts.push(t('chatReplies.line.blocked', { reason }, locale));
  }
  return parts.join(t('replies.fieldSeparator', undefined, locale));
}

function button(text: string, type: string, value: Record<string, unknown>) {
  return {
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
  };
}

function card(input: { title: string; template: string; elements: unknown[] }): CardJson {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: input.title } },
    header: { title: { tag: 'plain_text', content: input.title }, template: input.template },
    body: { direction: 'vertical', elements: input.elements },
  };
}

/** "第13条 加大财政科技投入 · 进行中 70% · 预计 … [确认] [修改]". */
export function renderEchoCard(input: {
  task: EchoTask;
  line: string;
  confirmValue: Record<string, unknown>;
  editValue: Record<string, unknown>;
  locale?: Locale | undefined;
}): CardJson {
  const tr = (key: MessageKey, params?: unknown) => translate(key, params, input.locale);
  const task = tr('chatReplies.task', { article: input.task.articleNo, title: input.task.articleTitle });
  return card({
    title: tr('chatReplies.echo.title'),
    template: 'blue',
    elements: [
      md(`${tr('chatReplies.echo.intro')}\n**${escapeMarkdown(task)}** · ${escapeMarkdown(input.line)}`),
      {
        tag: 'column_set',
        flex_mode: 'none',
        horizontal_spacing: '8px',
        columns: [
          button(tr('chatReplies.echo.confirm'), 'primary_filled', input.confirmValue),
          button(tr('chatReplies.echo.edit'), 'default', input.editValue),
        ],
      },
      md(`<font color='grey'>${tr('chatReplies.echo.footer')}</font>`),
    ],
  });
}

/** A reading that is not sure: what was read, what was unclear, and the form instead of a guess. */
export function renderUnsureCard(input: {
  task: EchoTask;
  line: string;
  reasons: string;
  editValue: Record<string, unknown>;
  locale?: Locale | undefined;
}): CardJson {
  const tr = (key: MessageKey, params?: unknown) => translate(key, params, input.locale);
  const task = tr('chatReplies.task', { article: input.task.articleNo, title: input.task.articleTitle });
  return card({
    title: tr('chatReplies.unsure.title'),
    template: 'orange',
    elements: [
      md(`**${escapeMarkdown(task)}** · ${escapeMarkdown(input.line)}`),
      md(escapeMarkdown(tr('chatReplies.unsure.body', { reasons: input.reasons }))),
      {
        tag: 'column_set',
        flex_mode: 'none',
        columns: [button(tr('chatReplies.unsure.edit'), 'default', input.editValue)],
      },
    ],
  });
}

/** What the echo card becomes once confirmed: the buttons are gone, what was recorded stays. */
export function renderRecordedCard(input: { text: string; locale?: Locale | undefined }): CardJson {
  return card({
    title: translate('chatReplies.recordedTitle', undefined, input.locale),
    template: 'green',
    elements: [md(escapeMarkdown(input.text))],
  });
}
