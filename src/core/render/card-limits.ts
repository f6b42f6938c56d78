/**
 * Lark's hard limits on a card message (LARK.md §2.1, §6): 30 KB of content and 200 elements in a
 * JSON 2.0 card. Measured the way Lark does: the UTF-8 bytes of the JSON text, and every object that
 * carries a `tag` (components and their plain_text parts alike), at any depth.
 */
import type { CardJson } from '../../ports/chat.js';

export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_ELEMENTS = 200;

const encoder = new TextEncoder();

export function cardByteSize(card: CardJson): number {
  return encoder.encode(JSON.stringify(card)).length;
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
