/**
 * Pure checks on message content, mirroring what Lark rejects, and mention handling.
 * Sizes: text ≤ 150 KB of content; post and card ≤ 30 KB measured on the whole request body, as
 * Lark does (LARK.md §2 "text request body ≤ 150 KB; card and post ≤ 30 KB" from DOC
 * …/im-v1/message/create and its 230025 row; §10 "the 30 KB limit is on the request body").
 */
import {
  CARD_ELEMENT_LIMIT,
  CARD_ERR,
  type CardCheckContext,
  checkCardV2,
  countTagged,
} from './card-rules.js';
import { type ApiError, apiError } from './errors.js';
import { isRecord, tryParseJson } from './http.js';

const TEXT_LIMIT_BYTES = 150 * 1024;
export const RICH_LIMIT_BYTES = 30 * 1024;

export type { ApiError } from './errors.js';
export { apiError };

export const ERR = {
  invalidParam: (detail: string) =>
    apiError(230001, `Your request contains an invalid request parameter, ext=${detail}`),
  fieldValidation: (detail: string) => apiError(99992402, `field validation failed: ${detail}`),
  botNotInChat: () => apiError(230002, 'The bot can not be outside the group.'),
  tooLong: () => apiError(230025, 'The length of the message content reaches its limit.'),
  invalidReceiveId: (detail: string) => apiError(230034, `The receive_id is invalid. ext=${detail}`),
  dissolved: () => apiError(232009, 'Your request specifies a chat which has already been dissolved.'),
  cardJson: (detail: string) =>
    apiError(
      230099,
      `Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err, please check whether the card json is correct; ErrorValue: ${detail}`,
    ),
  cardNotShared: () =>
    apiError(
      230099,
      'Failed to create card content, ext=ErrMsg: only shared cards (config.update_multi=true) can be updated',
    ),
  frequency: () => apiError(230020, 'This operation triggers the frequency limit.'),
  unsupportedType: () => apiError(230054, 'This operation is not supported for this message type.'),
  noPermission: (detail: string) => apiError(230027, `Lack of necessary permissions. ext=${detail}`),
} as const;

export type MsgType = 'text' | 'post' | 'interactive' | 'file' | 'image';
const MSG_TYPES: readonly string[] = ['text', 'post', 'interactive', 'file', 'image'];

export function isSupportedMsgType(value: unknown): value is MsgType {
  return typeof value === 'string' && MSG_TYPES.includes(value);
}

/** Counts what Lark's 200-element limit counts: every object with a `tag`, plain_text included. */
export const countCardElements = countTagged;

/** True when a card may be PATCHed: JSON 2.0 is always shared; 1.0 needs config.update_multi. */
export function isSharedCard(card: unknown): boolean {
  if (!isRecord(card)) return false;
  if (card.type === 'template') return true;
  if (card.schema === '2.0') return true;
  return isRecord(card.config) && card.config.update_multi === true;
}

export interface CardValidation extends CardCheckContext {
  /** Bytes of the whole request (or callback answer) that carried the card; default the content's. */
  bodyBytes?: number;
}

/** Validates a card JSON string; returns the parsed card or the error Lark would give. */
export function validateCard(
  content: string,
  options: CardValidation = {},
): { card: Record<string, unknown> } | { error: ApiError } {
  if ((options.bodyBytes ?? Buffer.byteLength(content)) > RICH_LIMIT_BYTES) return { error: ERR.tooLong() };
  const card = tryParseJson(content);
  if (!isRecord(card)) return { error: ERR.cardJson(content.slice(0, 80)) };
  if (card.type === 'template' || card.type === 'card') {
    if (!isRecord(card.data)) return { error: ERR.cardJson('template data missing') };
    return { card };
  }
  if (card.schema === '2.0') {
    if (card.body !== undefined && !isRecord(card.body))
      return { error: ERR.cardJson('body must be an object') };
    const refused = checkCardV2(card, options);
    return refused === null ? { card } : { error: refused };
  }
  if (card.elements !== undefined && !Array.isArray(card.elements)) {
    return { error: ERR.cardJson('elements must be an array') };
  }
  const count = countTagged(card);
  if (count > CARD_ELEMENT_LIMIT) return { error: CARD_ERR.tooManyElements(count) };
  return { card };
}

export interface StoredMention {
  key: string;
  open_id: string;
  name: string;
}

export interface ContentCheckContext {
  hasFile(key: string): boolean;
  hasImage(key: string): boolean;
  userName(openId: string): string | undefined;
  /** Bytes of the whole request body: Lark's 30 KB limit for cards and posts is measured on it. */
  bodyBytes?: number;
}

/**
 * Checks `content` for `msgType` and returns the content as stored. Text `<at user_id="…">` tags
 * become `@_user_N` placeholders with a mentions list, as Lark shows them when read back.
 */
export function checkContent(
  msgType: MsgType,
  content: unknown,
  ctx: ContentCheckContext,
): { content: string; mentions: StoredMention[] } | { error: ApiError } {
  if (typeof content !== 'string' || content === '')
    return { error: ERR.fieldValidation('content is required') };
  if (msgType === 'interactive') {
    const checked = validateCard(content, {
      ...(ctx.bodyBytes === undefined ? {} : { bodyBytes: ctx.bodyBytes }),
      knowsOpenId: (openId) => ctx.userName(openId) !== undefined,
    });
    return 'error' in checked ? checked : { content, mentions: [] };
  }
  const measured =
    msgType === 'text' ? Buffer.byteLength(content) : (ctx.bodyBytes ?? Buffer.byteLength(content));
  if (measured > (msgType === 'text' ? TEXT_LIMIT_BYTES : RICH_LIMIT_BYTES)) return { error: ERR.tooLong() };
  const parsed = tryParseJson(content);
  if (!isRecord(parsed)) return { error: ERR.invalidParam('invalid message content') };
  switch (msgType) {
    case 'text': {
      if (typeof parsed.text !== 'string') return { error: ERR.invalidParam('invalid message content') };
      const { text, mentions } = atTagsToPlaceholders(parsed.text, ctx.userName);
      return { content: JSON.stringify({ ...parsed, text }), mentions };
    }
    case 'post': {
      const locales = Object.values(parsed);
      const valid =
        locales.length > 0 &&
        locales.every((locale) => isRecord(locale) && Array.isArray(locale.content)) &&
        locales.every((locale) => (locale as { content: unknown[] }).content.every(Array.isArray));
      if (!valid) return { error: ERR.invalidParam('invalid message content') };
      return { content, mentions: [] };
    }
    case 'file':
      if (typeof parsed.file_key !== 'string' || !ctx.hasFile(parsed.file_key)) {
        return { error: ERR.invalidParam('invalid file_key') };
      }
      return { content, mentions: [] };
    case 'image':
      if (typeof parsed.image_key !== 'string' || !ctx.hasImage(parsed.image_key)) {
        return { error: ERR.invalidParam('invalid image_key') };
      }
      return { content, mentions: [] };
  }
}

/** `<at user_id="ou_x">Name</at>` → `@_user_N`; `<at user_id="all"></at>` → `@_all`. */
export function atTagsToPlaceholders(
  text: string,
  userName: (openId: string) => string | undefined,
): { text: string; mentions: StoredMention[] } {
  const mentions: StoredMention[] = [];
  const out = text.replace(
    /<at\s+user_id=["']?([^"'\s>]+)["']?\s*>([^<]*)<\/at>/g,
    (_all, id: string, name: string) => {
      if (id === 'all') return '@_all';
      const key = `@_user_${mentions.length + 1}`;
      mentions.push({ key, open_id: id, name: name.trim() || userName(id) || id });
      return key;
    },
  );
  return { text: out, mentions };
}

/**
 * A person typing `@督办 hello @张三`: each `@Name` that names a known participant becomes a
 * placeholder. Longest names win, so `@张三丰` is not read as `@张三`.
 */
export function nameMentionsToPlaceholders(
  text: string,
  people: ReadonlyArray<{ open_id: string; name: string }>,
): { text: string; mentions: StoredMention[] } {
  const candidates = [...people].filter((p) => p.name !== '').sort((a, b) => b.name.length - a.name.length);
  const mentions: StoredMention[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '@') {
      const rest = text.slice(i + 1);
      const person = candidates.find((p) => rest.startsWith(p.name));
      if (person !== undefined) {
        const key = `@_user_${mentions.length + 1}`;
        mentions.push({ key, open_id: person.open_id, name: person.name });
        out += key;
        i += 1 + person.name.length;
        continue;
      }
      if (/^(all|所有人)(?![\p{L}\p{N}])/u.test(rest)) {
        out += '@_all';
        i += 4; // '@all' and '@所有人' are both 4 characters
        continue;
      }
    }
    out += text[i];
    i += 1;
  }
  return { text: out, mentions };
}
