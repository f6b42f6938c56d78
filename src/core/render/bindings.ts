import type { SpecialChatRole } from '../vocabulary.js';
import { type Locale, type MessageKey, t, translate } from './catalog.js';

const ROLE_GROUP: Record<SpecialChatRole, MessageKey> = {
  coordinators: 'bot.role.coordinatorsGroup',
  leaders: 'bot.role.leadersGroup',
};

/** How a person names what a group serves: the agency, or 督查室群 / 领导群. */
export function bindingLabel(
  binding: { kind: 'agency'; agency: string } | { kind: 'special'; role: SpecialChatRole },
  locale?: Locale,
): string {
  return binding.kind === 'agency' ? binding.agency : translate(ROLE_GROUP[binding.role], undefined, locale);
}

/** Told to a group whose binding moved to another group. */
export function renderLostBinding(
  lost: { kind: 'agency'; agency: string } | { kind: 'special'; role: SpecialChatRole },
  locale?: Locale,
): string {
  return t('bot.bind.lost', { target: bindingLabel(lost, locale) }, locale);
}
