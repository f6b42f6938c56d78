/** tenant_access_token issuing, as Lark does: the same token while ≥ 30 min remain, else a new one. */
import { randomHex } from './state.js';

const REISSUE_BELOW_MS = 30 * 60 * 1000;

export interface TokenStore {
  issue(nowMs: number): { token: string; expiresInSeconds: number };
  isValid(token: string, nowMs: number): boolean;
  /** Every issued token stops working at once (fault injection, tests). */
  invalidateAll(): void;
}

export function createTokenStore(options: { ttlSeconds: number }): TokenStore {
  const tokens = new Map<string, number>(); // token → expiry (ms)
  let current: string | undefined;
  return {
    issue(nowMs) {
      for (const [token, expiry] of tokens) if (expiry <= nowMs) tokens.delete(token);
      const currentExpiry = current === undefined ? undefined : tokens.get(current);
      if (current !== undefined && currentExpiry !== undefined && currentExpiry - nowMs >= REISSUE_BELOW_MS) {
        return { token: current, expiresInSeconds: Math.floor((currentExpiry - nowMs) / 1000) };
      }
      const token = `t-${randomHex(20)}`;
      tokens.set(token, nowMs + options.ttlSeconds * 1000);
      current = token;
      return { token, expiresInSeconds: options.ttlSeconds };
    },
    isValid(token, nowMs) {
      const expiry = tokens.get(token);
      return expiry !== undefined && expiry > nowMs;
    },
    invalidateAll() {
      tokens.clear();
      current = undefined;
    },
  };
}
