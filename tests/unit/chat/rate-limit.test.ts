import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, RateLimiterFullError, RollingWindow } from '../../../src/chat/rate-limit.js';

/** The largest number of stamps inside any window of `windowMs` (half-open). */
function maxInAnyWindow(stamps: number[], windowMs: number): number {
  const sorted = [...stamps].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi += 1) {
    while ((sorted[hi] ?? 0) - (sorted[lo] ?? 0) >= windowMs) lo += 1;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('RollingWindow', () => {
  it('lets N calls through at once and then asks to wait until the oldest leaves the window', () => {
    const w = new RollingWindow(3, 1000);
    for (const t of [0, 10, 20]) {
      expect(w.delayMs(t)).toBe(0);
      w.record(t);
    }
    expect(w.delayMs(30)).toBe(970);
    expect(w.delayMs(1000)).toBe(0);
    expect(w.idle(1019)).toBe(false);
    expect(w.idle(1020)).toBe(true);
  });

  it('keeps a slot taken while its call is in flight and counts the window from its completion', () => {
    const w = new RollingWindow(1, 1000);
    const slot = w.reserve();
    expect(w.delayMs(5000)).toBe(Number.POSITIVE_INFINITY);
    expect(w.idle(99_999)).toBe(false);
    w.complete(slot, 300);
    expect(w.delayMs(400)).toBe(900);
  });

  it('does not count a call the server refused for rate, so its retry is not charged twice', () => {
    const w = new RollingWindow(2, 1000);
    w.release(w.reserve()); // refused by Lark with 429
    w.record(0); // the retry, admitted
    expect(w.delayMs(5)).toBe(0); // one more call still fits in this second

    const counted = new RollingWindow(2, 1000);
    counted.complete(counted.reserve(), 0);
    counted.record(0);
    expect(counted.delayMs(5)).toBe(995);
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new RollingWindow(0, 1000)).toThrow(RangeError);
  });
});

describe('createRateLimiter', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  async function run(
    limiter: ReturnType<typeof createRateLimiter>,
    scopes: Array<{ kind: 'chat' | 'card'; key: string } | undefined>,
    advanceMs: number,
  ): Promise<number[]> {
    const released: number[] = new Array(scopes.length).fill(Number.NaN);
    const all = scopes.map((scope, i) =>
      limiter.acquire(scope).then((permit) => {
        released[i] = performance.now();
        permit.done();
      }),
    );
    await vi.advanceTimersByTimeAsync(advanceMs);
    await Promise.all(all);
    return released;
  }

  it('keeps a fan-out to 500 chats under 50 per second while running close to 50 per second', async () => {
    const limiter = createRateLimiter({});
    const start = performance.now();
    const scopes = Array.from({ length: 500 }, (_, i) => ({ kind: 'chat' as const, key: `oc_${i}` }));
    const released = await run(limiter, scopes, 12_000);
    expect(maxInAnyWindow(released, 1000)).toBeLessThanOrEqual(50);
    const last = Math.max(...released) - start;
    // 500 calls at 50/s: the first 50 go at once, then nine more full windows.
    expect(last).toBeGreaterThanOrEqual(9000);
    expect(last).toBeLessThan(9 * 1005 + 100);
    limiter.close();
  });

  it('holds one chat to 5 sends per second without slowing the other chats', async () => {
    const limiter = createRateLimiter({});
    const start = performance.now();
    const scopes = [
      ...Array.from({ length: 12 }, () => ({ kind: 'chat' as const, key: 'oc_busy' })),
      { kind: 'chat' as const, key: 'oc_quiet' },
    ];
    const released = await run(limiter, scopes, 3000);
    const busy = released.slice(0, 12);
    expect(maxInAnyWindow(busy, 1000)).toBeLessThanOrEqual(5);
    // FIFO within the chat.
    expect(busy).toEqual([...busy].sort((a, b) => a - b));
    expect((released[12] ?? Number.NaN) - start).toBeLessThan(5);
    limiter.close();
  });

  it('limits updates of one card to 5 per second separately from its chat', async () => {
    const limiter = createRateLimiter({});
    const scopes = [
      ...Array.from({ length: 10 }, () => ({ kind: 'card' as const, key: 'om_1' })),
      ...Array.from({ length: 5 }, () => ({ kind: 'chat' as const, key: 'om_1' })),
    ];
    const start = performance.now();
    const released = await run(limiter, scopes, 3000);
    expect(maxInAnyWindow(released.slice(0, 10), 1000)).toBeLessThanOrEqual(5);
    expect(Math.max(...released.slice(10)) - start).toBeLessThan(5);
    limiter.close();
  });

  it('honours the per-minute limit as well as the per-second one', async () => {
    const limiter = createRateLimiter({ limits: { appPerSecond: 50, appPerMinute: 60 } });
    const start = performance.now();
    const released = await run(limiter, new Array(70).fill(undefined), 65_000);
    expect(maxInAnyWindow(released, 60_000)).toBeLessThanOrEqual(60);
    expect(Math.max(...released) - start).toBeGreaterThanOrEqual(60_000);
    limiter.close();
  });

  it('holds every caller while the app is paused after a 429', async () => {
    const limiter = createRateLimiter({});
    const start = performance.now();
    limiter.pauseApp(2000);
    const released = await run(limiter, [undefined, { kind: 'chat', key: 'oc_a' }], 2500);
    for (const t of released) expect(t - start).toBeGreaterThanOrEqual(2000);
    limiter.close();
  });

  it('counts a call in flight as inside every window until it completes, then for a window after', async () => {
    const limiter = createRateLimiter({ limits: { appPerSecond: 2, marginMs: 0 } });
    const start = performance.now();
    const slow = await limiter.acquire();
    (await limiter.acquire()).done();
    const times: number[] = [];
    const next = () =>
      limiter.acquire().then((p) => {
        times.push(performance.now() - start);
        p.done();
      });
    const third = next();
    const fourth = next();
    await vi.advanceTimersByTimeAsync(2500);
    // While the slow call holds its place, one other call per second: at 1000 and 2000.
    expect(times).toEqual([1000, 2000]);
    slow.done(); // completes at 2500 and counts until 3500
    const fifth = next();
    const sixth = next();
    await vi.advanceTimersByTimeAsync(1000);
    await Promise.all([third, fourth, fifth, sixth]);
    expect(times).toEqual([1000, 2000, 3000, 3500]);
    limiter.close();
  });

  it('fails callers still waiting when it is closed', async () => {
    const limiter = createRateLimiter({ limits: { appPerSecond: 1 } });
    (await limiter.acquire()).done();
    const waiting = limiter.acquire();
    const waitingKeyed = limiter.acquire({ kind: 'chat', key: 'oc_a' });
    limiter.close();
    await expect(waiting).rejects.toThrow('rate limiter closed');
    await expect(waitingKeyed).rejects.toThrow('rate limiter closed');
    await expect(limiter.acquire()).rejects.toThrow('rate limiter closed');
  });

  it('forgets the windows of chats that have gone quiet', async () => {
    const limiter = createRateLimiter({ limits: { appPerSecond: 1000, appPerMinute: 10_000 } });
    const scopes = Array.from({ length: 300 }, (_, i) => ({ kind: 'chat' as const, key: `oc_${i}` }));
    await run(limiter, scopes, 10);
    expect(limiter.keyCount()).toBe(300);
    await vi.advanceTimersByTimeAsync(2000);
    (await limiter.acquire({ kind: 'chat', key: 'oc_new' })).done();
    expect(limiter.keyCount()).toBe(1);
    limiter.close();
  });
});

describe('createRateLimiter keeps its memory bounded', () => {
  it('refuses a caller past the cap on waiting callers at once, tells the adapter, and takes callers again later', async () => {
    const refusals: RateLimiterFullError[] = [];
    const limiter = createRateLimiter({
      limits: { appPerSecond: 1 },
      maxWaiting: 3,
      onFull: (error) => refusals.push(error),
    });
    const first = await limiter.acquire();
    const waiting = [limiter.acquire(), limiter.acquire(), limiter.acquire()];
    await expect(limiter.acquire()).rejects.toBeInstanceOf(RateLimiterFullError);
    expect(refusals.map((e) => e.limit)).toEqual(['waiting']);
    first.done();
    limiter.close();
    await Promise.allSettled(waiting);
  });

  it('drops idle chat windows when the cap on tracked chats is reached, and refuses when none is idle', async () => {
    let t = 0;
    const refusals: RateLimiterFullError[] = [];
    const limiter = createRateLimiter({ now: () => t, maxKeys: 2, onFull: (error) => refusals.push(error) });
    for (const key of ['oc_1', 'oc_2']) (await limiter.acquire({ kind: 'chat', key })).done();
    // A second later both windows are idle: a third chat takes the place of the forgotten ones.
    t = 2000;
    (await limiter.acquire({ kind: 'chat', key: 'oc_3' })).done();
    expect(limiter.keyCount()).toBeLessThanOrEqual(2);
    // Two chats with calls still counting: a new chat is refused rather than tracked.
    const held = await limiter.acquire({ kind: 'chat', key: 'oc_4' });
    await expect(limiter.acquire({ kind: 'chat', key: 'oc_5' })).rejects.toBeInstanceOf(RateLimiterFullError);
    expect(refusals.map((e) => e.limit)).toEqual(['keys']);
    held.done();
    limiter.close();
  });
});
