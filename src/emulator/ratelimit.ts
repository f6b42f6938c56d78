/** Sliding-window rate limiting, as Lark's gateway applies it (per app × API, per chat, per message). */

export interface RateRule {
  key: string;
  limit: number;
  windowMs: number;
}

interface RateDenial {
  rule: RateRule;
  /** Whole seconds until a slot frees, as in `x-ogw-ratelimit-reset`. */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Records one request against every rule, or none when any rule is exhausted. */
  take(rules: readonly RateRule[], nowMs: number): RateDenial | null;
  reset(): void;
}

export function createRateLimiter(): RateLimiter {
  const logs = new Map<string, number[]>();
  const window = (rule: RateRule, nowMs: number): number[] => {
    const id = `${rule.key}|${rule.windowMs}`;
    let log = logs.get(id);
    if (log === undefined) {
      log = [];
      logs.set(id, log);
    }
    while (log.length > 0 && (log[0] ?? 0) <= nowMs - rule.windowMs) log.shift();
    return log;
  };
  return {
    take(rules, nowMs) {
      for (const rule of rules) {
        const log = window(rule, nowMs);
        if (log.length >= rule.limit) {
          const oldest = log[log.length - rule.limit] ?? nowMs;
          return { rule, resetSeconds: Math.max(1, Math.ceil((oldest + rule.windowMs - nowMs) / 1000)) };
        }
      }
      for (const rule of rules) window(rule, nowMs).push(nowMs);
      return null;
    },
    reset() {
      logs.clear();
    },
  };
}
