/**
 * The coordinators' card for a leader's instruction (批示): what the leader said, the agencies and
 * article read from it, the due date if one was read, and [确认立项] or a [驳回] form with its reason.
 */
import type { CardJson } from './card-json.js';
import { type Locale, t } from './catalog.js';

export const INSTRUCTION_ACTIONS = { decide: 'decide_instruction' } as const;

/** The reject form and its field: the handler reads `form_value.reason` (element ids ≤ 20 characters). */
export const INSTRUCTION_REJECT_FORM = {
  form: 'reject_form',
  reason: 'reason',
  submit: 'reject_submit',
} as const;

export const INSTRUCTION_REASON_MAX = 500;

const plain = (content: string) => ({ tag: 'plain_text', content });
/** Card markdown treats these as markup; what people typed is data, not markup. */
const escapeMd = (text: string) => text.replace(/[&<>*_~`[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
const callback = (value: Record<string, unknown>) => [{ type: 'callback', value }];

export function renderInstructionCard(input: {
  instructionId: number;
  leader: string;
  text: string;
  agencies: readonly string[];
  article: { no: number; title: string } | null;
  /** Where a confirmation puts the tasks when no article is named (the year's 领导批示 document). */
  document: string;
  dueDate: string | null;
  locale?: Locale | undefined;
}): CardJson {
  const { locale } = input;
  const [lead = '', ...others] = input.agencies;
  const lines = [
    t('instruction.card.text', { text: escapeMd(input.text) }, locale),
    t('instruction.card.agencies', { lead: escapeMd(lead), others: escapeMd(others.join('、')) }, locale),
    input.article === null
      ? t('instruction.card.noArticle', { document: input.document }, locale)
      : t(
          'instruction.card.article',
          { article: input.article.no, title: escapeMd(input.article.title) },
          locale,
        ),
    input.dueDate === null
      ? t('instruction.card.noDue', undefined, locale)
      : t('instruction.card.due', { date: input.dueDate }, locale),
  ];
  const value = (confirm: boolean) => ({
    action: INSTRUCTION_ACTIONS.decide,
    instruction_id: input.instructionId,
    confirm,
  });
  const title = t('instruction.card.title', { leader: input.leader }, locale);
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: title } },
    header: { title: plain(title), template: 'red' },
    body: {
      direction: 'vertical',
      vertical_spacing: '8px',
      elements: [
        { tag: 'markdown', element_id: 'summary', content: lines.join('\n') },
        {
          tag: 'button',
          element_id: 'confirm',
          text: plain(t('instruction.card.confirm', undefined, locale)),
          type: 'primary',
          behaviors: callback(value(true)),
        },
        {
          tag: 'form',
          name: INSTRUCTION_REJECT_FORM.form,
          element_id: INSTRUCTION_REJECT_FORM.form,
          elements: [
            {
              tag: 'input',
              name: INSTRUCTION_REJECT_FORM.reason,
              element_id: INSTRUCTION_REJECT_FORM.reason,
              required: true,
              input_type: 'multiline_text',
              label: plain(t('instruction.card.reason', undefined, locale)),
              placeholder: plain(t('instruction.card.reasonPlaceholder', undefined, locale)),
              max_length: INSTRUCTION_REASON_MAX,
            },
            {
              tag: 'button',
              name: INSTRUCTION_REJECT_FORM.submit,
              element_id: INSTRUCTION_REJECT_FORM.submit,
              text: plain(t('instruction.card.reject', undefined, locale)),
              type: 'danger',
              form_action_type: 'submit',
              behaviors: callback(value(false)),
            },
          ],
        },
      ],
    },
  };
}
