/**
 * Client-side rate limiting, so Lark never has to refuse us.
 *
 * Each limit is a rolling window ("at most N calls in any W ms"): a ring of the last N release
 * times. A plain token bucket of capacity N lets up to 2N through in some window of length W,
 * which a server counting per sliding second would refuse; the ring cannot overshoot, and
 * checking or recording is O(1).
 */

export interface RateLimits {
  /** Calls per second for the whole app (Lark: 50/s per API per app). */
  appPerSecond: number;
  /** Calls per minute for the whole app (Lark: 1000/min). */
  appPerMinute: number;
  /** Sends and replies per second into one chat (Lark: 5/s per group, shared by all bots). */
  chatPerSecond: number;
  /** Updates per second of one card message (Lark: 5/s per message). */
  cardUpdatePerSecond: number;
  /** Added to every window, so latency jitter on the wire cannot push two windows' calls into one. */
  marginMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  appPerSecond: 50,
  appPerMinute: 1000,
  chatPerSecond: 5,
  cardUpdatePerSecond: 5,
  marginMs: 20,
};

export class RollingWindow {
  private readonly stamps: Float64Array;
  private next = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`rate limit must be a positive integer, got ${limit}`);
    this.stamps = new Float64Array(limit).fill(Number.NEGATIVE_INFINITY);
  }

  /** How long until one more call fits; 0 when it fits now. */
  delayMs(now: number): number {
    const oldest = this.stamps[this.next] ?? Number.NEGATIVE_INFINITY;
    return Math.max(0, oldest + this.windowMs - now);
  }

  record(now: number): void {
    this.stamps[this.next] = now;
    this.next = (this.next + 1) % this.limit;
  }

  /** True when nothing recorded still counts, so the window can be forgotten. */
  idle(now: number): boolean {
    const last = this.stamps[(this.next + this.limit - 1) % this.limit] ?? Number.NEGATIVE_INFINITY;
    return last + this.windowMs <= now;
  }
}

export class RateLimiterClosedError extends Error {
  constructor() {
    super('rate limiter closed');
    this.name = 'RateLimiterClosedError';
  }
}

/** A FIFO gate over several windows that must all have room (e.g. 50/s and 1000/min). */
export class Gate {
  private readonly queue: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private closed = false;

  constructor(
    private readonly windows: RollingWindow[],
    private readonly now: () => number,
  ) {}

  acquire(): Promise<void> {
    if (this.closed) return Promise.reject(new RateLimiterClosedError());
    const now = this.now();
    if (this.queue.length === 0 && this.delayMs(now) === 0) {
      this.record(now);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject });
      if (this.timer === undefined) this.pump();
    });
  }

  /** Lark said "wait": hold every caller until then (an app-wide 429 concerns all calls). */
  pauseUntil(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }

  close(): void {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.queue.splice(0)) waiter.reject(new RateLimiterClosedError());
  }

  private delayMs(now: number): number {
    let delay = Math.max(0, this.pausedUntil - now);
    for (const w of this.windows) delay = Math.max(delay, w.delayMs(now));
    return delay;
  }

  private record(now: number): void {
    for (const w of this.windows) w.record(now);
  }

  private readonly pump = (): void => {
    this.timer = undefined;
    while (this.queue.length > 0) {
      const now = this.now();
      const delay = this.delayMs(now);
      if (delay > 0) {
        this.timer = setTimeout(this.pump, Math.ceil(delay));
        return;
      }
      this.record(now);
      this.queue.shift()?.resolve();
    }
  };
}

interface KeyState {
  window: RollingWindow;
  tail: Promise<void>;
  pending: number;
}

export type LimitScope = { kind: 'chat' | 'card'; key: string };

export interface RateLimiter {
  /** Resolves when one call in `scope` (and in the app) may go out now. */
  acquire(scope?: LimitScope): Promise<void>;
  /** Hold every app call for `ms` (Lark answered an app-wide 429 with a reset time). */
  pauseApp(ms: number): void;
  close(): void;
  /** For tests and diagnostics: how many per-key windows are held. */
  keyCount(): number;
}

/**
 * Per-key limits are waited for first, one call per key at a time, and recorded only when the
 * app gate also lets the call go; so each key's window holds real release times while callers
 * for other chats are never stuck behind a busy one.
 */
export function createRateLimiter(input: { limits?: Partial<RateLimits>; now?: () => number }): RateLimiter {
  const limits = { ...DEFAULT_RATE_LIMITS, ...input.limits };
  const now = input.now ?? (() => performance.now());
  const app = new Gate(
    [
      new RollingWindow(limits.appPerSecond, 1000 + limits.marginMs),
      new RollingWindow(limits.appPerMinute, 60_000 + limits.marginMs),
    ],
    now,
  );
  const keys = new Map<string, KeyState>();
  let closed = false;
  let lastSweep = 0;
  const sleeps = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          sleeps.delete(entry);
          resolve();
        }, Math.ceil(ms)),
        reject,
      };
      sleeps.add(entry);
    });

  const sweep = () => {
    const t = now();
    if (keys.size < 256 || t - lastSweep < 1000) return;
    lastSweep = t;
    for (const [k, state] of keys) if (state.pending === 0 && state.window.idle(t)) keys.delete(k);
  };

  const windowFor = (scope: LimitScope) =>
    new RollingWindow(
      scope.kind === 'chat' ? limits.chatPerSecond : limits.cardUpdatePerSecond,
      1000 + limits.marginMs,
    );

  return {
    async acquire(scope) {
      if (closed) throw new RateLimiterClosedError();
      if (scope === undefined) return app.acquire();
      const id = `${scope.kind}:${scope.key}`;
      let state = keys.get(id);
      if (state === undefined) {
        state = { window: windowFor(scope), tail: Promise.resolve(), pending: 0 };
        keys.set(id, state);
      }
      const s = state;
      s.pending += 1;
      const turn = s.tail.then(async () => {
        for (;;) {
          if (closed) throw new RateLimiterClosedError();
          const delay = s.window.delayMs(now());
          if (delay === 0) break;
          await sleep(delay);
        }
        await app.acquire();
        s.window.record(now());
      });
      s.tail = turn.catch(() => undefined);
      try {
        await turn;
      } finally {
        s.pending -= 1;
        sweep();
      }
    },
    pauseApp(ms) {
      app.pauseUntil(now() + ms);
    },
    close() {
      closed = true;
      app.close();
      for (const entry of sleeps) {
        clearTimeout(entry.timer);
        entry.reject(new RateLimiterClosedError());
      }
      sleeps.clear();
    },
    keyCount: () => keys.size,
  };
}
