/**
 * Lark's hard limits on a card message (LARK.md §2.1, §6): 30 KB of content and 200 elements in a
 * JSON 2.0 card. Measured the way Lark does: the UTF-8 bytes of the JSON text, and every object that
 * carries a `tag` (components and their plain_text parts alike), at any depth.
 */
import type { CardJson } from './card-json.js';

export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_ELEMENTS = 200;

/** UTF-8 length of a string without encoding it (lone surrogates count as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

export function cardByteSize(card: CardJson): number {
  return utf8Length(JSON.stringify(card));
}

/**
 * Both limits of already-serialised card JSON in one pass over the text: every tagged object has
 * exactly one `"tag":` key, and the same characters inside a string value would be escaped (\").
 */
export function measureCardJson(json: string): { bytes: number; elements: number } {
  let elements = 0;
  for (let at = json.indexOf('"tag":'); at !== -1; at = json.indexOf('"tag":', at + 6)) elements += 1;
  return { bytes: utf8Length(json), elements };
}

export function countCardElements(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((n, item) => n + countCardElements(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let n = typeof (value as { tag?: unknown }).tag === 'string' ? 1 : 0;
  for (const child of Object.values(value)) n += countCardElements(child);
  return n;
}

/** element_id and component names: a letter, then letters, digits or `_`, at most 20 in all. */
export function isValidElementId(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]{0,19}$/.test(id);
}
