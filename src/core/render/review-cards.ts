/**
 * The cards of verification (销号/退回) and extensions (延期): what the verifier and the coordinators
 * are asked, and what the card becomes once answered. Card JSON 2.0 from data; the return reason is a
 * form (Lark submits only a form's fields), with a required input and its own submit button.
 */
import type { CardJson } from './card-json.js';
import { type Locale, t } from './catalog.js';

export const REVIEW_ACTIONS = {
  verify: 'verify_task',
  return: 'return_task',
  decideExtension: 'decide_extension',
} as const;

/** The return form and its field: the handler reads `form_value.reason`. */
export const RETURN_FORM = { form: 'return_form', reason: 'reason', submit: 'return_submit' } as const;

export const REASON_MAX = 500;

const plain = (content: string) => ({ tag: 'plain_text', content });
/** Card markdown treats these as markup; what people typed is data, not markup. */
const escapeMd = (text: string) => text.replace(/[&<>*_~`[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
const callback = (value: Record<string, unknown>) => [{ type: 'callback', value }];

function card(input: { title: string; template: string; elements: Record<string, unknown>[] }): CardJson {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: input.title } },
    header: { title: plain(input.title), template: input.template },
    body: { direction: 'vertical', vertical_spacing: '8px', elements: input.elements },
  };
}

export interface ReviewTaskView {
  id: number;
  articleNo: number;
  articleTitle: string;
  agency: string;
  role: 'lead' | 'participant';
}

/** The verifier's card: what was reported done, by whom and when, with 销号 and a 退回 form. */
export function renderVerifyCard(input: {
  task: ReviewTaskView;
  reportedBy: string;
  reportedAt: string;
  note: string | null;
  evidenceUrl: string | null;
  locale?: Locale | undefined;
}): CardJson {
  const { task, locale } = input;
  const role = t(task.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale);
  const lines = [
    t(
      'review.verify.body',
      {
        article: task.articleNo,
        title: escapeMd(task.articleTitle),
        agency: escapeMd(task.agency),
        role,
        by: escapeMd(input.reportedBy),
        date: input.reportedAt,
      },
      locale,
    ),
  ];
  if (input.note) lines.push(t('review.verify.note', { note: escapeMd(input.note) }, locale));
  lines.push(
    input.evidenceUrl && /^https?:\/\/[^\s()]+$/.test(input.evidenceUrl)
      ? t('review.verify.evidence', { url: input.evidenceUrl }, locale)
      : t('review.verify.noEvidence', undefined, locale),
  );
  return card({
    title: t('review.verify.title', { article: task.articleNo, agency: task.agency }, locale),
    template: 'blue',
    elements: [
      { tag: 'markdown', element_id: 'summary', content: lines.join('\n') },
      {
        tag: 'button',
        element_id: 'verify',
        text: plain(t('review.verify.button', undefined, locale)),
        type: 'primary',
        confirm: {
          title: plain(t('review.verify.confirmTitle', undefined, locale)),
          text: plain(t('review.verify.confirmText', undefined, locale)),
        },
        behaviors: callback({ action: REVIEW_ACTIONS.verify, task_id: task.id }),
      },
      {
        tag: 'form',
        name: RETURN_FORM.form,
        element_id: RETURN_FORM.form,
        elements: [
          {
            tag: 'input',
            name: RETURN_FORM.reason,
            element_id: RETURN_FORM.reason,
            required: true,
            input_type: 'multiline_text',
            label: plain(t('review.return.reason', undefined, locale)),
            placeholder: plain(t('review.return.placeholder', undefined, locale)),
            max_length: REASON_MAX,
          },
          {
            tag: 'button',
            name: RETURN_FORM.submit,
            element_id: RETURN_FORM.submit,
            text: plain(t('review.return.button', undefined, locale)),
            type: 'danger',
            form_action_type: 'submit',
            behaviors: callback({ action: REVIEW_ACTIONS.return, task_id: task.id }),
          },
        ],
      },
    ],
  });
}

/** A request card once answered: what was decided, no buttons left to tap. */
export function renderSettledCard(input: { title: string; text: string; ok: boolean }): CardJson {
  return card({
    title: input.title,
    template: input.ok ? 'green' : 'grey',
    elements: [{ tag: 'markdown', element_id: 'settled', content: input.text }],
  });
}

/** The coordinators' card for an extension request: 批准 or 驳回, each once. */
export function renderExtensionCard(input: {
  requestId: number;
  task: ReviewTaskView;
  requestedBy: string;
  from: string | null;
  to: string;
  reason: string;
  locale?: Locale | undefined;
}): CardJson {
  const { task, locale } = input;
  const button = (approve: boolean) => ({
    tag: 'button',
    element_id: approve ? 'approve' : 'reject',
    text: plain(t(approve ? 'extend.card.approve' : 'extend.card.reject', undefined, locale)),
    type: approve ? 'primary' : 'danger',
    behaviors: callback({ action: REVIEW_ACTIONS.decideExtension, request_id: input.requestId, approve }),
  });
  return card({
    title: t('extend.card.title', { article: task.articleNo, agency: task.agency }, locale),
    template: 'orange',
    elements: [
      {
        tag: 'markdown',
        element_id: 'summary',
        content: t(
          'extend.card.body',
          {
            article: task.articleNo,
            title: escapeMd(task.articleTitle),
            agency: escapeMd(task.agency),
            by: escapeMd(input.requestedBy),
            from: input.from ?? t('extend.noDue', undefined, locale),
            to: input.to,
            reason: escapeMd(input.reason),
          },
          locale,
        ),
      },
      {
        tag: 'column_set',
        element_id: 'decide',
        columns: [
          { tag: 'column', width: 'auto', elements: [button(true)] },
          { tag: 'column', width: 'auto', elements: [button(false)] },
        ],
      },
    ],
  });
}
