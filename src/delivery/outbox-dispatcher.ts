/**
 * Drains the outbox: claims due rows, sends each through the chat port with the row's key as Lark's
 * `uuid`, and records the outcome. Chats are sent to in parallel (the adapter's limiter holds the
 * app to 50/s and each chat to 5/s); the rows of one chat go in order, so a card's pages arrive
 * 1, 2, 3. A row that keeps failing, or that Lark refuses for good (bot removed from the group:
 * 230002), ends `failed` and `onFailed` tells someone. Rows a killed process left `sending` are sent
 * again with the same uuid, which Lark (and the emulator) answer with the message already created.
 *
 * Exactly once holds only inside Lark's uuid window (one hour from the first create). So:
 * - every claim is leased to this dispatcher's owner id; only the owner records the outcome, and no
 *   other process (a `duban remind` next to the bot) takes the row until the lease ends, not even
 *   between its retries;
 * - the lease outlasts the worst-case retry schedule (every attempt cut off at `attemptTimeoutMs`,
 *   every wait as long as allowed), and the schedule ends well inside the window;
 * - a row whose first attempt is older than the window (the bot was down, the lease of a killed
 *   process ran out late) is not sent again blindly: Lark might have created it and would create a
 *   second. It ends `failed` as "delivery unknown" and the coordinators are asked to check the group.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import type { ChatPort } from '../ports/chat.js';
import type { OutboxEntry, OutboxRepository } from '../store/outbox-repository.js';

type OutboxStore = Pick<
  OutboxRepository,
  | 'claimDue'
  | 'markAttempt'
  | 'releaseLeases'
  | 'leaseOwners'
  | 'releaseUnsent'
  | 'markSent'
  | 'markRetry'
  | 'markFailed'
  | 'nextDueAt'
>;

/** Lark creates at most one message per `uuid` within an hour of the first (LARK.md §2.1). */
export const LARK_UUID_WINDOW_MS = 60 * 60_000;
/** Kept clear of the window's end: clock skew with Lark, and a request's own time in transit. */
export const UUID_WINDOW_MARGIN_MS = 5 * 60_000;

/** The settings that bound how long one row may keep being retried. */
export interface RetrySchedule {
  /** Sends (claims) per row before it is marked failed. */
  maxAttempts: number;
  /** The dispatcher stops waiting for one send after this (the adapter retries inside it). */
  attemptTimeoutMs: number;
  /** Backoff between the dispatcher's own retries; Lark's "retry after" is capped at `maxMs` too. */
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = {
  maxAttempts: 5,
  attemptTimeoutMs: 4 * 60_000,
  baseMs: 2000,
  maxMs: 5 * 60_000,
};

/**
 * The longest a row can go from its first claim to the end of its last attempt: every attempt runs
 * to its timeout and every wait is the longest allowed (Lark may ask for `maxMs` each time).
 */
export function worstCaseRetryScheduleMs(schedule: RetrySchedule): number {
  return schedule.maxAttempts * schedule.attemptTimeoutMs + (schedule.maxAttempts - 1) * schedule.maxMs;
}

/** The default lease: the whole worst-case schedule plus a minute, so a live sender never loses a row. */
export function defaultLeaseMs(schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE): number {
  return worstCaseRetryScheduleMs(schedule) + 60_000;
}

/** Signal 0 checks a process exists without touching it; EPERM means it exists as another user. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Thrown into the send path when Lark has not answered within `attemptTimeoutMs`. */
class AttemptTimedOut extends Error {
  constructor(ms: number) {
    super(`no answer from Lark within ${Math.round(ms / 1000)} s`);
  }
}

/** What went wrong with a send, read from the adapter's error without depending on its classes. */
export interface SendFailure {
  /** Lark's numeric code when Lark answered, else undefined (network, unknown). */
  larkCode: number | undefined;
  httpStatus: number | undefined;
  /** True when trying again later may work (rate limits, 5xx, network, unknown). */
  retryable: boolean;
  /** Seconds Lark asked us to wait, when it said. */
  retryAfterSeconds: number | undefined;
  /** One line for `last_error` and the logs, e.g. `Lark 230002 (HTTP 400): bot not in chat`. */
  summary: string;
  /**
   * True when the row was not resent because its first attempt is past Lark's uuid window: the
   * message may or may not have arrived, and a person should look.
   */
  deliveryUnknown?: boolean;
}

export interface OutboxFailureReport {
  entry: OutboxEntry;
  failure: SendFailure;
  /** Attempts made, including the last. */
  attempts: number;
}

export interface OutboxDispatcherOptions {
  outbox: OutboxStore;
  chat: ChatPort;
  clock: Clock;
  logger: Logger;
  /** Sends (claims) per row before it is marked failed; default 5. */
  maxAttempts?: number;
  /** How long one send may take before it counts as a retryable failure; default 4 min. */
  attemptTimeoutMs?: number;
  /**
   * What runs this dispatcher (`bot`, `remind`): the lease owner id is `ROLE@HOST#PID-RANDOM`, unique
   * per process. Default `process`.
   */
  role?: string;
  /** Whether a process of this host is still running; tests replace it. Default: signal 0. */
  isProcessAlive?: (pid: number) => boolean;
  /** The lease owner id; tests pin it. Default from `role`. */
  owner?: string;
  /**
   * The bot sets this: at its first drain it frees rows an earlier run of the same role left leased
   * (only one bot runs on a database). A CLI leaves this off, so it never frees the bot's rows.
   */
  recoverEarlierRuns?: boolean;
  /** Told once per row that ends failed; typically enqueues a notice to the coordinators. */
  onFailed?: (report: OutboxFailureReport) => void | Promise<void>;
  /** Sends in flight at once; must exceed 50/s × latency so the adapter's limiter stays the bottleneck. */
  concurrency?: number;
  /** Rows claimed per pass. */
  batchSize?: number;
  /** How long a claimed row is ours before another sender may take it; default `defaultLeaseMs()`. */
  leaseMs?: number;
  /** Lark's uuid window, less the margin; a test may shorten it. */
  uuidWindowMs?: number;
  /** The polling loop's period. */
  pollIntervalMs?: number;
  /** Backoff between the dispatcher's own retries (the adapter already retried within the call). */
  backoff?: { baseMs?: number; maxMs?: number };
  random?: () => number;
}

export interface DrainResult {
  sent: number;
  retried: number;
  failed: number;
}

export interface OutboxDispatcher {
  /**
   * Sends every row due now, until none is left. With `untilSettled`, also waits for rows scheduled
   * for a retry (up to `timeoutMs`), so every row ends sent or failed.
   */
  drain(options?: { untilSettled?: boolean; timeoutMs?: number }): Promise<DrainResult>;
  /** Polls every `pollIntervalMs`; a drain never overlaps another. */
  start(): void;
  /**
   * Stops polling and claiming, waits up to `graceMs` (default: as long as it takes) for sends in
   * flight, and gives back the rows claimed but not yet handed to Lark. Rows still in flight when
   * the grace ends stay leased to this owner; the next bot start frees them and sends them again with
   * the same uuid.
   */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** This dispatcher's lease owner id. */
  readonly owner: string;
}

const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232]);

/** How often leases of ended processes are looked for. */
const RECOVERY_INTERVAL_MS = 60_000;

/** How often a drain looks for rows enqueued while it runs. */
const REFILL_TICK_MS = 50;

/** Reads the adapter's LarkApiError / LarkNetworkError (or anything else) into a SendFailure. */
export function describeSendFailure(error: unknown): SendFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    larkCode?: unknown;
    httpStatus?: unknown;
    retryAfterSeconds?: unknown;
    msg?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const larkCode = typeof e.larkCode === 'number' ? e.larkCode : undefined;
  const httpStatus = typeof e.httpStatus === 'number' ? e.httpStatus : undefined;
  const retryAfterSeconds = typeof e.retryAfterSeconds === 'number' ? e.retryAfterSeconds : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (larkCode === undefined || e.code === 'lark.network_error') {
    return {
      larkCode: undefined,
      httpStatus,
      retryable: true,
      retryAfterSeconds,
      summary: message.slice(0, 300),
    };
  }
  const rateLimited = httpStatus === 429 || RATE_LIMIT_CODES.has(larkCode);
  const serverSide = httpStatus !== undefined && httpStatus >= 500;
  // An answer without Lark's envelope (code -1) is a gateway hiccup; a real code below 500 is Lark
  // saying no for a reason that will not go away by itself (bot removed, chat dissolved, bad card).
  const retryable = rateLimited || serverSide || larkCode === -1;
  const msg = typeof e.msg === 'string' && e.msg !== '' ? e.msg : message;
  const status = httpStatus === undefined ? '' : ` (HTTP ${httpStatus})`;
  return {
    larkCode,
    httpStatus,
    retryable,
    retryAfterSeconds,
    summary: `Lark ${larkCode}${status}: ${msg}`.slice(0, 300),
  };
}

export function createOutboxDispatcher(options: OutboxDispatcherOptions): OutboxDispatcher {
  const { outbox, chat, clock } = options;
  const role = options.role ?? 'process';
  const host = hostname();
  const owner = options.owner ?? `${role}@${host}#${process.pid}-${randomBytes(3).toString('hex')}`;
  const isProcessAlive = options.isProcessAlive ?? processAlive;
  const log = options.logger.child({ component: 'outbox', owner });
  const schedule: RetrySchedule = {
    maxAttempts: options.maxAttempts ?? DEFAULT_RETRY_SCHEDULE.maxAttempts,
    attemptTimeoutMs: options.attemptTimeoutMs ?? DEFAULT_RETRY_SCHEDULE.attemptTimeoutMs,
    baseMs: options.backoff?.baseMs ?? DEFAULT_RETRY_SCHEDULE.baseMs,
    maxMs: options.backoff?.maxMs ?? DEFAULT_RETRY_SCHEDULE.maxMs,
  };
  const { maxAttempts, attemptTimeoutMs, baseMs, maxMs } = schedule;
  const concurrency = Math.max(1, options.concurrency ?? 128);
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const leaseMs = options.leaseMs ?? defaultLeaseMs(schedule);
  const uuidWindowMs = options.uuidWindowMs ?? LARK_UUID_WINDOW_MS - UUID_WINDOW_MARGIN_MS;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const random = options.random ?? Math.random;
  if (worstCaseRetryScheduleMs(schedule) >= uuidWindowMs) {
    log.warn(
      { worstCaseMs: worstCaseRetryScheduleMs(schedule), uuidWindowMs },
      'the outbox retry schedule can outlast Lark’s uuid window; late rows will end "delivery unknown"',
    );
  }

  let lastRecovery: number | undefined;
  let running: Promise<DrainResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopping = false;
  /** Rows claimed by this owner and not yet handed to Lark: what a stop gives back. */
  const held = new Set<number>();

  const retryDelayMs = (attempts: number, failure: SendFailure): number => {
    const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
    const jittered = exp / 2 + random() * (exp / 2);
    // Capped, or one long "retry after" would push the schedule past the uuid window.
    const asked = Math.min(maxMs, (failure.retryAfterSeconds ?? 0) * 1000);
    return Math.max(jittered, asked);
  };

  /**
   * Frees leases whose holder is known to be gone: an earlier run of the bot (only one bot runs on a
   * database), and any sender of this host whose process has ended (a killed `duban remind`). Every
   * other lease (a CLI still running, a process on another machine) is left until it ends.
   */
  const recoverLeases = (): number => {
    const now = clock.now();
    let released = 0;
    if (options.recoverEarlierRuns === true) {
      released += outbox.releaseLeases({ now, ownerPrefix: `${role}@`, except: owner });
    }
    for (const holder of outbox.leaseOwners()) {
      const match = /^[^@#]+@(.+)#(\d+)-[0-9a-f]+$/.exec(holder);
      if (holder === owner || match?.[1] !== host) continue;
      const pid = Number(match[2]);
      if (pid !== process.pid && !isProcessAlive(pid)) {
        released += outbox.releaseLeases({ now, ownerPrefix: holder, except: owner });
      }
    }
    return released;
  };

  const withTimeout = <T>(promise: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timeout = setTimeout(() => reject(new AttemptTimedOut(attemptTimeoutMs)), attemptTimeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timeout);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timeout);
          reject(error);
        },
      );
    });

  async function reportFailed(entry: OutboxEntry, failure: SendFailure, result: DrainResult) {
    result.failed += 1;
    try {
      await options.onFailed?.({ entry, failure, attempts: entry.attempts });
    } catch (notifyError) {
      log.error({ key: entry.key, err: notifyError }, 'could not report a failed outbox row');
    }
  }

  async function sendOne(entry: OutboxEntry, result: DrainResult): Promise<void> {
    const now = clock.now();
    const attempt = outbox.markAttempt({ id: entry.id, owner, now });
    held.delete(entry.id);
    if (attempt === undefined) {
      log.warn({ key: entry.key }, 'outbox row is no longer leased to this sender; not sending it');
      return;
    }
    const sinceFirst = now.getTime() - attempt.firstAttemptAt.getTime();
    if (sinceFirst > uuidWindowMs) {
      const failure: SendFailure = {
        larkCode: undefined,
        httpStatus: undefined,
        retryable: false,
        retryAfterSeconds: undefined,
        deliveryUnknown: true,
        summary: `not resent: first attempt ${attempt.firstAttemptAt.toISOString()} is past Lark's one-hour uuid window; delivery unknown`,
      };
      if (!outbox.markFailed({ id: entry.id, owner, error: failure.summary })) return;
      log.error({ key: entry.key, chatId: entry.chatId, sinceFirstMs: sinceFirst }, failure.summary);
      await reportFailed(entry, failure, result);
      return;
    }
    try {
      const sent = await withTimeout(
        chat.send({
          chatId: entry.chatId,
          message: entry.payload,
          idempotencyKey: entry.key,
        }),
      );
      if (!outbox.markSent({ id: entry.id, owner, messageId: sent.messageId, now: clock.now() })) {
        log.warn(
          { key: entry.key },
          'outbox row changed hands while sending; the uuid kept it to one message',
        );
      }
      result.sent += 1;
      return;
    } catch (error) {
      const failure = describeSendFailure(error);
      if (failure.retryable && entry.attempts < maxAttempts) {
        const delay = retryDelayMs(entry.attempts, failure);
        outbox.markRetry({
          id: entry.id,
          owner,
          error: failure.summary,
          nextAttemptAt: new Date(clock.now().getTime() + delay),
        });
        result.retried += 1;
        log.warn(
          {
            key: entry.key,
            chatId: entry.chatId,
            attempts: entry.attempts,
            retryInMs: Math.round(delay),
            error: failure.summary,
          },
          'outbox send failed; will retry',
        );
        return;
      }
      if (!outbox.markFailed({ id: entry.id, owner, error: failure.summary })) return;
      log.error(
        { key: entry.key, chatId: entry.chatId, attempts: entry.attempts, error: failure.summary },
        'outbox send failed for good',
      );
      await reportFailed(entry, failure, result);
    }
  }

  /**
   * A stream, not batches: rows are claimed while others are in flight, so the adapter's limiter
   * always has work queued and no rate slot idles at a batch boundary (an idle slot of a rolling
   * window is lost for good). Each chat is a lane worked in claim (id) order by one worker at a time.
   */
  async function runDrain(untilSettled: boolean, timeoutMs: number): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, retried: 0, failed: 0 };
    const deadline = Date.now() + timeoutMs;
    // At the first drain, then now and again: a CLI killed while the bot runs leaves leases behind.
    if (lastRecovery === undefined || Date.now() - lastRecovery >= RECOVERY_INTERVAL_MS) {
      lastRecovery = Date.now();
      const released = recoverLeases();
      if (released > 0) log.info({ released }, 'resending outbox rows left in flight by a previous run');
    }
    const lanes = new Map<string, OutboxEntry[]>();
    const ready: string[] = [];
    let buffered = 0;
    let workers = 0;
    let fatal: unknown;
    let wake: (() => void) | undefined;
    const signal = () => {
      const resume = wake;
      wake = undefined;
      resume?.();
    };

    const claim = () => {
      if (stopping || batchSize - buffered <= 0) return;
      const rows = outbox.claimDue({ now: clock.now(), limit: batchSize - buffered, leaseMs, owner });
      for (const row of rows) {
        held.add(row.id);
        const lane = lanes.get(row.chatId);
        if (lane) lane.push(row);
        else {
          lanes.set(row.chatId, [row]);
          ready.push(row.chatId);
        }
      }
      buffered += rows.length;
    };

    const work = async () => {
      workers += 1;
      try {
        for (let chatId = ready.shift(); chatId !== undefined && !stopping; chatId = ready.shift()) {
          const lane = lanes.get(chatId) ?? [];
          for (let entry = lane[0]; entry !== undefined && !stopping; entry = lane[0]) {
            await sendOne(entry, result);
            lane.shift();
            buffered -= 1;
          }
          lanes.delete(chatId);
        }
      } catch (error) {
        fatal ??= error;
      } finally {
        workers -= 1;
        signal();
      }
    };

    for (;;) {
      if (fatal !== undefined) throw fatal;
      claim();
      while (workers < concurrency && ready.length > 0) void work();
      if (workers > 0 || (buffered > 0 && !stopping)) {
        // Woken when a worker runs out of lanes, or by the tick, which tops the buffer up (rows that
        // became due or were enqueued meanwhile) without a query per message sent.
        await new Promise<void>((resolve) => {
          const tick = setTimeout(signal, REFILL_TICK_MS);
          wake = () => {
            clearTimeout(tick);
            resolve();
          };
        });
        continue;
      }
      if (!untilSettled || stopping) return result;
      const nextDue = outbox.nextDueAt();
      if (nextDue === null) return result;
      const wait = nextDue.getTime() - clock.now().getTime();
      if (Date.now() + Math.max(0, wait) > deadline) return result;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000)));
    }
  }

  const drain: OutboxDispatcher['drain'] = async (drainOptions = {}) => {
    // Concurrent callers share the drain in progress, then run their own pass if they need one.
    while (running) await running.catch(() => undefined);
    running = runDrain(drainOptions.untilSettled ?? false, drainOptions.timeoutMs ?? 10 * 60_000);
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  const tick = async () => {
    timer = undefined;
    try {
      await drain();
    } catch (error) {
      log.error({ err: error }, 'outbox drain failed');
    }
    if (started) timer = setTimeout(tick, pollIntervalMs);
  };

  return {
    owner,
    drain,
    start() {
      if (started) return;
      started = true;
      stopping = false;
      timer = setTimeout(tick, 0);
    },
    async stop(stopOptions = {}) {
      started = false;
      stopping = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      const inFlight = running?.catch(() => undefined);
      if (inFlight !== undefined) {
        const grace = stopOptions.graceMs;
        if (grace === undefined) await inFlight;
        else {
          let graceTimer: NodeJS.Timeout | undefined;
          const settled = await Promise.race([
            inFlight.then(() => true),
            new Promise<false>((resolve) => {
              graceTimer = setTimeout(() => resolve(false), grace);
            }),
          ]);
          clearTimeout(graceTimer);
          if (!settled) log.warn('stopped with outbox sends in flight; the next start resends them');
        }
      }
      const now = clock.now();
      let released = outbox.releaseUnsent({ ids: [...held], owner, now });
      held.clear();
      // Nothing in flight: rows waiting for a retry are given back too, so the next sender need not
      // wait for the lease to end. A row still in flight stays leased (see above).
      if (!running) released += outbox.releaseLeases({ now, ownerPrefix: owner, except: '' });
      if (released > 0) log.info({ released }, 'gave back outbox rows claimed but not sent');
    },
  };
}
