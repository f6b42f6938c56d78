/**
 * Outbox keys: one per intended message, unique by kind + agency/task + cycle. They double as Lark's
 * `uuid`, which allows at most 50 characters, so an over-long key is shortened to a stable hash.
 */
export const MAX_KEY_LENGTH = 50;

/** FNV-1a, 64-bit, as 16 hex digits: deterministic and dependency-free (not a security measure). */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * prime) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

export function outboxKey(kind: string, ...parts: Array<string | number>): string {
  const key = [kind, ...parts.map(String)].join(':');
  if (key.length <= MAX_KEY_LENGTH) return key;
  return `${kind.slice(0, 24)}:h${fnv1a64(key)}`;
}

/** `2026-10-08` → `20261008`, to keep keys short. */
export function compactDate(date: string): string {
  return date.replaceAll('-', '');
}
