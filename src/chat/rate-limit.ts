/**
 * Client-side rate limiting, so Lark never has to refuse us.
 *
 * Each limit is a rolling window ("at most N calls in any W ms"): the completion times of the
 * calls that count, plus the calls in flight. A plain token bucket of capacity N lets up to 2N
 * through in some window of length W, which a server counting per sliding second refuses; the
 * window cannot overshoot. A call is stamped with the time it COMPLETED (it holds its place while
 * in flight): the server saw it at some moment before that, so a call let through W later can
 * never land in the same server window, whatever the latency or a token fetch in between. A call
 * the server refused for rate does not count, so its retry can take its place at once.
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
  /** Added to every window, for clock granularity between us and Lark. */
  marginMs: number;
}

const DEFAULT_RATE_LIMITS: RateLimits = {
  appPerSecond: 50,
  appPerMinute: 1000,
  chatPerSecond: 5,
  cardUpdatePerSecond: 5,
  marginMs: 5,
};

export class RollingWindow {
  /** Completion times of the calls that count, oldest first (time only moves forward). */
  private readonly stamps: number[] = [];
  private inFlight = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`rate limit must be a positive integer, got ${limit}`);
  }

  private prune(now: number): void {
    while (this.stamps.length > 0 && (this.stamps[0] as number) + this.windowMs <= now) this.stamps.shift();
  }

  /** How long until one more call fits: 0 now, Infinity while every slot's call is in flight. */
  delayMs(now: number): number {
    this.prune(now);
    if (this.stamps.length + this.inFlight < this.limit) return 0;
    const oldest = this.stamps[0];
    return oldest === undefined ? Number.POSITIVE_INFINITY : oldest + this.windowMs - now;
  }

  /** Takes a slot for a call now going out; it stays taken until `complete` or `release`. */
  reserve(): number {
    this.inFlight += 1;
    return this.inFlight;
  }

  complete(_slot: number, now: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.stamps.push(now);
  }

  /** Frees a slot whose call the server refused for rate: a refused call does not count. */
  release(_slot: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }

  /** Reserve and complete at once (a call whose duration does not matter). */
  record(now: number): void {
    this.complete(this.reserve(), now);
  }

  /** True when nothing recorded still counts and nothing is in flight, so it can be forgotten. */
  idle(now: number): boolean {
    this.prune(now);
    return this.stamps.length === 0 && this.inFlight === 0;
  }
}

/**
 * Handed to a caller let through; `done()` when its call has its answer (or failed). A call Lark
 * refused for rate (429 / 99991400 / 230020) passes `{ refused: true }`: it was not admitted, so it
 * does not use up the window, and the retry is not charged twice.
 */
export interface Permit {
  done(outcome?: { refused?: boolean }): void;
}

export class RateLimiterClosedError extends Error {
  constructor() {
    super('rate limiter closed');
    this.name = 'RateLimiterClosedError';
  }
}

/** Too many callers waiting (or chats tracked): refused at once rather than held in memory. */
export class RateLimiterFullError extends Error {
  constructor(
    readonly limit: 'waiting' | 'keys',
    readonly size: number,
  ) {
    super(
      `rate limiter full: ${size} ${limit === 'waiting' ? 'callers waiting' : 'chats and cards tracked'}`,
    );
    this.name = 'RateLimiterFullError';
  }
}

/** A FIFO gate over several windows that must all have room (e.g. 50/s and 1000/min). */
class Gate {
  private readonly queue: Array<{ resolve: (p: Permit) => void; reject: (e: Error) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private closed = false;

  constructor(
    private readonly windows: RollingWindow[],
    private readonly now: () => number,
  ) {}

  acquire(): Promise<Permit> {
    if (this.closed) return Promise.reject(new RateLimiterClosedError());
    if (this.queue.length === 0 && this.delayMs(this.now()) === 0) return Promise.resolve(this.take());
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
    this.clearTimer();
    for (const waiter of this.queue.splice(0)) waiter.reject(new RateLimiterClosedError());
  }

  private delayMs(now: number): number {
    let delay = Math.max(0, this.pausedUntil - now);
    for (const w of this.windows) delay = Math.max(delay, w.delayMs(now));
    return delay;
  }

  private take(): Permit {
    const slots = this.windows.map((w) => w.reserve());
    let finished = false;
    return {
      done: (outcome) => {
        if (finished) return;
        finished = true;
        const t = this.now();
        this.windows.forEach((w, i) => {
          if (outcome?.refused) w.release(slots[i] ?? 0);
          else w.complete(slots[i] ?? 0, t);
        });
        // A completion may be what the head of the queue was waiting for.
        if (this.queue.length > 0) {
          this.clearTimer();
          this.pump();
        }
      },
    };
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly pump = (): void => {
    this.timer = undefined;
    while (this.queue.length > 0 && !this.closed) {
      const delay = this.delayMs(this.now());
      if (delay === Number.POSITIVE_INFINITY) return; // woken by done()
      if (delay > 0) {
        this.timer = setTimeout(this.pump, Math.ceil(delay));
        return;
      }
      this.queue.shift()?.resolve(this.take());
    }
  };
}

interface KeyState {
  window: RollingWindow;
  tail: Promise<void>;
  pending: number;
  /** Wakes the key's next caller when an in-flight call completes. */
  wake: (() => void) | undefined;
}

export type LimitScope = { kind: 'chat' | 'card'; key: string };

export interface RateLimiter {
  /** Resolves when one call in `scope` (and in the app) may go out now; call `done()` after it. */
  acquire(scope?: LimitScope): Promise<Permit>;
  /** Hold every app call for `ms` (Lark answered an app-wide 429 with a reset time). */
  pauseApp(ms: number): void;
  close(): void;
  /** For tests and diagnostics: how many per-key windows are held. */
  keyCount(): number;
}

/**
 * Per-key limits are waited for first, one caller per key at a time, and the key's slot is taken
 * only when the app gate also lets the call go; so callers for other chats are never stuck
 * behind a busy one.
 */
export function createRateLimiter(input: {
  limits?: Partial<RateLimits>;
  now?: () => number;
  /** Callers waiting for a slot; more are refused with RateLimiterFullError. Default 10,000. */
  maxWaiting?: number;
  /** Per-chat and per-card windows held; past it idle ones are dropped, and if none is idle the call is refused. */
  maxKeys?: number;
  /** Told each time a cap refuses a call (the adapter logs it). */
  onFull?: (error: RateLimiterFullError) => void;
}): RateLimiter {
  const limits = { ...DEFAULT_RATE_LIMITS, ...input.limits };
  const maxWaiting = input.maxWaiting ?? 10_000;
  const maxKeys = input.maxKeys ?? 10_000;
  let waiting = 0;
  const refuse = (error: RateLimiterFullError): never => {
    input.onFull?.(error);
    throw error;
  };
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
  const sleeps = new Set<{ timer: NodeJS.Timeout | undefined; resolve: () => void }>();

  /** Sleeps `ms` (or until woken, for an infinite wait); close() wakes every sleeper. */
  const sleep = (ms: number, state: KeyState) =>
    new Promise<void>((resolve) => {
      const entry: { timer: NodeJS.Timeout | undefined; resolve: () => void } = { timer: undefined, resolve };
      const finish = () => {
        sleeps.delete(entry);
        if (entry.timer !== undefined) clearTimeout(entry.timer);
        if (state.wake === finish) state.wake = undefined;
        resolve();
      };
      entry.resolve = finish;
      if (ms !== Number.POSITIVE_INFINITY) entry.timer = setTimeout(finish, Math.ceil(ms));
      state.wake = finish;
      sleeps.add(entry);
    });

  const sweep = (force = false) => {
    const t = now();
    if (!force && (keys.size < 256 || t - lastSweep < 1000)) return;
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
      if (waiting >= maxWaiting) refuse(new RateLimiterFullError('waiting', waiting));
      waiting += 1;
      try {
        return await acquireSlot(scope);
      } finally {
        waiting -= 1;
      }
    },
    pauseApp(ms) {
      app.pauseUntil(now() + ms);
    },
    close() {
      closed = true;
      app.close();
      for (const entry of [...sleeps]) entry.resolve();
      sleeps.clear();
    },
    keyCount: () => keys.size,
  };

  async function acquireSlot(scope: LimitScope | undefined): Promise<Permit> {
    if (scope === undefined) return app.acquire();
    const id = `${scope.kind}:${scope.key}`;
    let state = keys.get(id);
    if (state === undefined && keys.size >= maxKeys) {
      sweep(true);
      if (keys.size >= maxKeys) refuse(new RateLimiterFullError('keys', keys.size));
    }
    if (state === undefined) {
      state = { window: windowFor(scope), tail: Promise.resolve(), pending: 0, wake: undefined };
      keys.set(id, state);
    }
    const s = state;
    s.pending += 1;
    const turn = s.tail.then(async (): Promise<Permit> => {
      for (;;) {
        if (closed) throw new RateLimiterClosedError();
        const delay = s.window.delayMs(now());
        if (delay === 0) break;
        await sleep(delay, s);
      }
      const appPermit = await app.acquire();
      const slot = s.window.reserve();
      let finished = false;
      return {
        done: (outcome) => {
          if (finished) return;
          finished = true;
          if (outcome?.refused) s.window.release(slot);
          else s.window.complete(slot, now());
          appPermit.done(outcome);
          s.wake?.();
        },
      };
    });
    s.tail = turn.then(
      () => undefined,
      () => undefined,
    );
    try {
      return await turn;
    } finally {
      s.pending -= 1;
      sweep();
    }
  }
}
