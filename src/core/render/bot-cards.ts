import type { Locale, MessageKey } from './catalog.js';
import { t, translate } from './catalog.js';

/** Card JSON 2.0 built from data; no I/O. */
type Card = Record<string, unknown>;

const md = (content: string) => ({ tag: 'markdown', content });

export interface HelpEntry {
  usage: MessageKey;
  summary: MessageKey;
  coordinatorsOnly: boolean;
}

export function renderHelpCard(input: {
  commands: readonly HelpEntry[];
  chatStatus:
    | { kind: 'agency'; agency: string }
    | { kind: 'special'; role: 'coordinators' | 'leaders' }
    | { kind: 'unbound' }
    /** A private chat with the bot: what this person may do and where, already worded. */
    | { kind: 'private'; lines: readonly string[] };
  locale?: Locale;
}): Card {
  const locale = input.locale;
  const tr = (key: MessageKey) => translate(key, undefined, locale);
  const status =
    input.chatStatus.kind === 'agency'
      ? t('bot.help.chatBound', { agency: input.chatStatus.agency }, locale)
      : input.chatStatus.kind === 'special'
        ? t(
            'bot.help.chatSpecial',
            {
              role: tr(
                input.chatStatus.role === 'coordinators'
                  ? 'bot.role.coordinatorsGroup'
                  : 'bot.role.leadersGroup',
              ),
            },
            locale,
          )
        : input.chatStatus.kind === 'private'
          ? input.chatStatus.lines.join('\n')
          : tr('bot.help.chatUnbound');
  const lines = input.commands.map(
    (c) =>
      `- \`${tr(c.usage).split(/[，,;；]/)[0]}\` ${tr(c.summary)}${c.coordinatorsOnly ? ` ${tr('bot.help.roleOnly')}` : ''}`,
  );
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: tr('bot.help.title') } },
    header: { title: { tag: 'plain_text', content: tr('bot.help.title') }, template: 'blue' },
    body: {
      direction: 'vertical',
      elements: [
        md(tr('bot.help.intro')),
        md(status),
        md(`${tr('bot.help.commands')}\n${lines.join('\n')}`),
        md(tr('bot.help.footer')),
      ],
    },
  };
}

export function renderOnboardingCard(input: {
  agencies: readonly { id: number; name: string }[];
  locale?: Locale;
}): Card {
  const locale = input.locale;
  const tr = (key: MessageKey) => translate(key, undefined, locale);
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: tr('bot.onboard.title') } },
    header: { title: { tag: 'plain_text', content: tr('bot.onboard.title') }, template: 'turquoise' },
    body: {
      direction: 'vertical',
      elements: [
        md(tr('bot.onboard.body')),
        {
          tag: 'form',
          name: 'bind_form',
          elements: [
            {
              tag: 'select_static',
              name: 'agency_id',
              placeholder: { tag: 'plain_text', content: tr('bot.onboard.select') },
              options: input.agencies.map((a) => ({
                text: { tag: 'plain_text', content: a.name },
                value: String(a.id),
              })),
            },
            {
              tag: 'button',
              name: 'bind_submit',
              text: { tag: 'plain_text', content: tr('bot.onboard.submit') },
              type: 'primary_filled',
              form_action_type: 'submit',
              behaviors: [{ type: 'callback', value: { action: 'bind_agency' } }],
            },
          ],
        },
        {
          tag: 'column_set',
          flex_mode: 'none',
          horizontal_spacing: '8px',
          columns: [
            {
              tag: 'column',
              width: 'auto',
              elements: [
                {
                  tag: 'button',
                  text: { tag: 'plain_text', content: tr('bot.onboard.asCoordinators') },
                  type: 'default',
                  behaviors: [{ type: 'callback', value: { action: 'bind_special', role: 'coordinators' } }],
                },
              ],
            },
            {
              tag: 'column',
              width: 'auto',
              elements: [
                {
                  tag: 'button',
                  text: { tag: 'plain_text', content: tr('bot.onboard.asLeaders') },
                  type: 'default',
                  behaviors: [{ type: 'callback', value: { action: 'bind_special', role: 'leaders' } }],
                },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** What the onboarding card becomes once the group is bound: the form is gone, the outcome stays. */
export function renderBoundCard(input: { text: string; locale?: Locale }): Card {
  const title = translate('bot.onboard.boundTitle', undefined, input.locale);
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: title } },
    header: { title: { tag: 'plain_text', content: title }, template: 'green' },
    body: { direction: 'vertical', elements: [md(input.text)] },
  };
}

/** Asks a coordinator to confirm a binding that ends another one; the buttons carry what was shown. */
export function renderBindConfirmCard(input: {
  intro: string;
  changes: readonly string[];
  confirmValue: Record<string, unknown>;
  cancelValue: Record<string, unknown>;
  locale?: Locale;
}): Card {
  const tr = (key: MessageKey) => translate(key, undefined, input.locale);
  const title = tr('bot.bind.confirmTitle');
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
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: title } },
    header: { title: { tag: 'plain_text', content: title }, template: 'orange' },
    body: {
      direction: 'vertical',
      elements: [
        md([input.intro, ...input.changes.map((line) => `- ${line}`)].join('\n')),
        {
          tag: 'column_set',
          flex_mode: 'none',
          horizontal_spacing: '8px',
          columns: [
            button(tr('bot.bind.confirm'), 'danger_filled', input.confirmValue),
            button(tr('bot.bind.cancel'), 'default', input.cancelValue),
          ],
        },
      ],
    },
  };
}
