/**
 * Drains the outbox: claims due rows, sends each through the chat port with the row's key as Lark's
 * `uuid`, and records the outcome. Chats are sent to in parallel (the adapter's limiter holds the
 * app to 50/s and each chat to 5/s); the rows of one chat go in order, so a card's pages arrive
 * 1, 2, 3. A row that keeps failing, or that Lark refuses for good (bot removed from the group:
 * 230002), ends `failed` and `onFailed` tells someone. Rows a killed process left `sending` are sent
 * again with the same uuid, which Lark (and the emulator) answer with the message already created.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import type { ChatPort } from '../ports/chat.js';
import type { OutboxEntry, OutboxRepository } from '../store/outbox-repository.js';

type OutboxStore = Pick<
  OutboxRepository,
  'claimDue' | 'releaseSending' | 'markSent' | 'markRetry' | 'markFailed' | 'nextDueAt'
>;

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
  /** Told once per row that ends failed; typically enqueues a notice to the coordinators. */
  onFailed?: (report: OutboxFailureReport) => void | Promise<void>;
  /** Sends in flight at once; must exceed 50/s × latency so the adapter's limiter stays the bottleneck. */
  concurrency?: number;
  /** Rows claimed per pass. */
  batchSize?: number;
  /** How long a claimed row is ours before another sender may take it. */
  leaseMs?: number;
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
  /** Stops polling and waits for the drain in progress. */
  stop(): Promise<void>;
}

const RATE_LIMIT_CODES = new Set([99991400, 230020, 11232]);

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
  const log = options.logger.child({ component: 'outbox' });
  const maxAttempts = options.maxAttempts ?? 5;
  const concurrency = Math.max(1, options.concurrency ?? 128);
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const baseMs = options.backoff?.baseMs ?? 2000;
  const maxMs = options.backoff?.maxMs ?? 5 * 60_000;
  const random = options.random ?? Math.random;

  let recovered = false;
  let running: Promise<DrainResult> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = false;

  const retryDelayMs = (attempts: number, failure: SendFailure): number => {
    const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
    const jittered = exp / 2 + random() * (exp / 2);
    const asked = (failure.retryAfterSeconds ?? 0) * 1000;
    return Math.max(jittered, asked);
  };

  async function sendOne(entry: OutboxEntry, result: DrainResult): Promise<void> {
    try {
      const sent = await chat.send({
        chatId: entry.chatId,
        message: entry.payload,
        idempotencyKey: entry.key,
      });
      if (!outbox.markSent({ id: entry.id, messageId: sent.messageId, now: clock.now() })) {
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
      if (!outbox.markFailed({ id: entry.id, error: failure.summary })) return;
      result.failed += 1;
      log.error(
        { key: entry.key, chatId: entry.chatId, attempts: entry.attempts, error: failure.summary },
        'outbox send failed for good',
      );
      try {
        await options.onFailed?.({ entry, failure, attempts: entry.attempts });
      } catch (notifyError) {
        log.error({ key: entry.key, err: notifyError }, 'could not report a failed outbox row');
      }
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
    if (!recovered) {
      // A fresh dispatcher means the previous process is gone: what it left `sending` is due now.
      const released = outbox.releaseSending({ now: clock.now() });
      if (released > 0) log.info({ released }, 'resending outbox rows left in flight by a previous run');
      recovered = true;
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
      if (batchSize - buffered <= 0) return;
      const rows = outbox.claimDue({ now: clock.now(), limit: batchSize - buffered, leaseMs });
      for (const row of rows) {
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
        for (let chatId = ready.shift(); chatId !== undefined; chatId = ready.shift()) {
          const lane = lanes.get(chatId) ?? [];
          for (let entry = lane[0]; entry !== undefined; entry = lane[0]) {
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
      if (workers > 0 || buffered > 0) {
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
      if (!untilSettled) return result;
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
    drain,
    start() {
      if (started) return;
      started = true;
      timer = setTimeout(tick, 0);
    },
    async stop() {
      started = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
