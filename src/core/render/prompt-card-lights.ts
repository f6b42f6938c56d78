/**
 * Words a traffic light (computed by src/core/progress/lights.ts) for a card: the colour's name and
 * every reason that applies, the one that set the colour first.
 */
import type { LightReason, TrafficLight } from '../progress/lights.js';
import { type Locale, t } from './catalog.js';

export function describeLightReason(reason: LightReason, locale?: Locale): string {
  switch (reason.code) {
    case 'overdue':
      return t('prompts.reason.overdue', { days: reason.days }, locale);
    case 'blocked':
      return reason.reason
        ? t('prompts.reason.blocked', { reason: reason.reason }, locale)
        : t('prompts.reason.blockedNoReason', undefined, locale);
    case 'behind_schedule':
      return t('prompts.reason.behind', { percent: reason.percent, expected: reason.expected }, locale);
    case 'recovered':
      return t(
        'lights.reason.recovered',
        {
          was: reason.was
            .map((cause) =>
              t(cause === 'overdue' ? 'lights.cause.overdue' : 'lights.cause.blocked', undefined, locale),
            )
            .join(t('lights.cause.separator', undefined, locale)),
        },
        locale,
      );
    case 'no_reply':
      return t('prompts.reason.noReply', undefined, locale);
    case 'no_due_date':
      return t('lights.reason.noDueDate', undefined, locale);
    case 'ongoing':
      return t('lights.reason.ongoing', undefined, locale);
    case 'done':
      return t('prompts.reason.done', undefined, locale);
    case 'on_track':
      return t('prompts.reason.onTrack', undefined, locale);
  }
}

export function describeLight(light: TrafficLight, locale?: Locale): { name: string; reason: string } {
  const name =
    light.color === 'red'
      ? t('prompts.light.red', undefined, locale)
      : light.color === 'yellow'
        ? t('prompts.light.yellow', undefined, locale)
        : t('prompts.light.green', undefined, locale);
  const reason = light.reasons
    .map((r) => describeLightReason(r, locale))
    .join(t('prompts.reason.separator', undefined, locale));
  return { name, reason };
}
