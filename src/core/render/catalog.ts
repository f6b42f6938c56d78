/**
 * The message catalog: every string the bot shows to a person, in zh-CN (what users see)
 * with en-US beside it. Handlers and renderers call `t(key, params)`; they hold no wording.
 *
 * Entries are grouped by feature in clearly marked sections; add to your section only.
 */

export type Locale = 'zh-CN' | 'en-US';

// biome-ignore lint/suspicious/noExplicitAny: params are typed per entry via the function signature
type Text = string | ((params: any) => string);
interface Entry {
  'zh-CN': Text;
  'en-US': Text;
}

const entries = {
  // --- common --------------------------------------------------------------------------------
  'common.lead': { 'zh-CN': '牵头', 'en-US': 'lead' },
  'common.participant': { 'zh-CN': '参与', 'en-US': 'participant' },
  'common.none': { 'zh-CN': '无', 'en-US': 'none' },

  // --- bot: help, commands, errors -------------------------------------------------------------

  // --- ledger: import, tasks, agencies ---------------------------------------------------------

  // --- prompts: cycles, follow-ups, escalation, outbox -----------------------------------------
} satisfies Record<string, Entry>;

export type MessageKey = keyof typeof entries;

type ParamsOf<T> = T extends (params: infer P) => string ? P : undefined;
export type MessageParams<K extends MessageKey> = ParamsOf<(typeof entries)[K]['zh-CN']>;

let defaultLocale: Locale = 'zh-CN';

/** The product speaks zh-CN; en-US exists for operators and tests. */
export function setDefaultLocale(locale: Locale): void {
  defaultLocale = locale;
}

export function t<K extends MessageKey>(
  key: K,
  ...args: MessageParams<K> extends undefined
    ? [params?: undefined, locale?: Locale]
    : [params: MessageParams<K>, locale?: Locale]
): string {
  const [params, locale] = args;
  const text: Text = (entries[key] as Entry)[locale ?? defaultLocale];
  return typeof text === 'function' ? text(params) : text;
}

/** For a completeness test: every key has both locales. */
export function catalogKeys(): MessageKey[] {
  return Object.keys(entries) as MessageKey[];
}
