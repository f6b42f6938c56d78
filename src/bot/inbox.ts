/**
 * The bot-side intake, the same for the webhook and the long connection: record, acknowledge, then
 * work. An event is written to the inbox (one transaction per tick for everything that arrived
 * together) before the transport acknowledges it, so a failure to record lets Lark retry; the work is
 * then done from the recorded event with bounded concurrency and marked processed, and start-up
 * finishes what a crash left recorded but not processed.
 *
 * Acknowledgements come first. The work starts in its own turn of the event loop, at most `concurrency`
 * events a turn, so requests that arrived meanwhile are read and recorded in between; and marking an
 * event processed waits for the next record transaction (or `markDelayMs`) instead of committing alone.
 *
 * Memory is bounded at each stage. Events waiting for their transaction: past `maxRecording`, new ones
 * are refused (the transport answers non-2xx and Lark retries). Recorded events waiting for work: past
 * `maxQueued` they stay only in the database and are read back when the queue has room.
 */
import type { Clock } from '../core/clock.js';
import type { Logger } from '../logger.js';
import type { InboundEvent } from '../ports/chat.js';
import type { InboundLog } from './ports.js';

/** The intake is full: the transport must answer so that Lark delivers again later. */
export class InboxBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InboxBusyError';
  }
}

export interface InboxOptions {
  log: InboundLog;
  clock: Clock;
  logger: Logger;
  /** The work of one recorded event. A throw is logged and the event still counts as processed. */
  work: (event: InboundEvent) => Promise<void>;
  /** Events worked at once (each mostly waits on Lark's API). */
  concurrency?: number;
  /** Events waiting for their record transaction; more are refused. */
  maxRecording?: number;
  /** Recorded events held in memory for work; more wait in the database. */
  maxQueued?: number;
  /** Event ids remembered as recorded, so Lark's duplicate pushes skip the database; oldest forgotten. */
  maxRemembered?: number;
  /**
   * How long a finished event's processed flag may wait to share a record transaction before it is
   * committed alone. A crash in that window only means the work is done again at start-up.
   */
  markDelayMs?: number;
}

export interface Inbox {
  /**
   * Records the event; resolves true the first time it is seen, false for a repeat, once committed.
   * Rejects when it could not be recorded (the database refused, or the intake is full): the caller
   * must then not acknowledge. `owesWork: false` records it for the dedupe only.
   */
  record(event: InboundEvent, options?: { owesWork?: boolean }): Promise<boolean>;
  /** Works a recorded event (after the acknowledgement); marks it processed when done. */
  enqueue(event: InboundEvent): void;
  /** Marks an event processed whose work was done elsewhere (a card action, answered in the request). */
  markProcessed(eventId: string): void;
  /** Works through the events recorded but not processed (start-up after a crash). */
  resume(): void;
  /** Resolves when nothing is waiting to be recorded, worked or marked. */
  idle(): Promise<void>;
  /** For tests and diagnostics. */
  stats(): { recording: number; queued: number; running: number; spilled: boolean };
}

/** The event as stored in the inbox's payload column. */
export function serializeEvent(event: InboundEvent): string {
  // A card action is never replayed after a restart (see resume), so only its kind is kept: its
  // values are whatever a client sent, and a hostile one (nested 100,000 deep) would not serialize.
  if (event.type === 'card_action') return JSON.stringify({ type: event.type, eventId: event.eventId });
  return JSON.stringify(event);
}

export function deserializeEvent(payload: string): InboundEvent {
  const event = JSON.parse(payload) as InboundEvent;
  if (event.type === 'message') event.createdAt = new Date(event.createdAt as unknown as string);
  return event;
}

interface Waiting {
  event: InboundEvent;
  owesWork: boolean;
  payload: string | undefined;
  resolve: (first: boolean) => void;
  reject: (error: unknown) => void;
}

export function createInbox(options: InboxOptions): Inbox {
  const { log, logger } = options;
  const concurrency = options.concurrency ?? 16;
  const maxRecording = options.maxRecording ?? 5_000;
  const maxQueued = options.maxQueued ?? 1_000;
  const maxRemembered = options.maxRemembered ?? 10_000;
  const markDelayMs = options.markDelayMs ?? 10;

  let recording: Waiting[] = [];
  /** The first push of each event waiting in `recording`: a duplicate push waits on the same commit. */
  const recordingById = new Map<string, Promise<boolean>>();
  /** Ids committed lately (insertion order = age): a duplicate push is answered without a query. */
  const remembered = new Set<string>();
  let forgetting = false;
  let flushScheduled = false;
  let markTimer: NodeJS.Timeout | undefined;
  let workScheduled = false;
  const queue: InboundEvent[] = [];
  let running = 0;
  /** Events queued, running, or worked but not yet marked: a read-back from the database skips them. */
  const active = new Set<string>();
  let toMark: string[] = [];
  /** Recorded events exist that are in the database only (queue was full, or start-up). */
  let spilled = false;
  let refilling = false;
  let waiters: Array<() => void> = [];
  let refusedSinceLog = 0;

  const settled = () =>
    recording.length === 0 && queue.length === 0 && running === 0 && toMark.length === 0 && !spilled;

  const wake = () => {
    if (!settled()) return;
    const current = waiters;
    waiters = [];
    for (const resolve of current) resolve();
  };

  const remember = (eventId: string) => {
    remembered.add(eventId);
    if (remembered.size <= maxRemembered) return;
    // A forgotten id is still deduplicated by the database, only no longer without a query.
    remembered.delete(remembered.values().next().value as string);
    if (!forgetting) {
      forgetting = true;
      logger.info({ limit: maxRemembered }, 'remembered event ids at their cap; forgetting the oldest');
    }
  };

  const schedule = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    // Everything handed over in this turn of the event loop shares one transaction.
    setImmediate(flush);
  };

  /** Processed flags alone: committed after `markDelayMs`, unless a record transaction takes them first. */
  const scheduleMarks = () => {
    if (waiters.length > 0) {
      schedule();
      return;
    }
    if (flushScheduled || markTimer !== undefined) return;
    markTimer = setTimeout(flush, markDelayMs);
  };

  /** One transaction per turn: the events that arrived, and the events whose work finished. */
  const flush = () => {
    flushScheduled = false;
    clearTimeout(markTimer);
    markTimer = undefined;
    if (recording.length === 0 && toMark.length === 0) return;
    const batch = recording;
    recording = [];
    recordingById.clear();
    const marks = toMark;
    toMark = [];
    let firsts: boolean[] = [];
    let marked = false;
    try {
      firsts = log.record(
        batch.map((w) => ({
          eventId: w.event.eventId,
          ...(w.event.type === 'message' ? { messageId: w.event.messageId } : {}),
          kind: w.event.type,
          ...(w.payload === undefined ? {} : { payload: w.payload }),
        })),
        options.clock.now(),
        marks,
      );
      marked = true;
    } catch (error) {
      logger.error(
        { err: error, events: batch.length },
        'could not record Lark events; they are not acknowledged, so Lark delivers them again',
      );
      for (const w of batch) w.reject(error);
    }
    if (!marked && marks.length > 0) {
      try {
        log.markProcessed(marks);
      } catch (error) {
        // The work is done; the rows stay unprocessed and are worked again after a restart.
        logger.error({ err: error, events: marks.length }, 'could not mark Lark events processed');
      }
    }
    if (marked) {
      batch.forEach((w, i) => {
        remember(w.event.eventId);
        w.resolve(firsts[i] === true);
      });
    }
    for (const id of marks) active.delete(id);
    pump();
    wake();
  };

  const markProcessed = (eventId: string) => {
    toMark.push(eventId);
    scheduleMarks();
  };

  const run = (event: InboundEvent) => {
    running += 1;
    Promise.resolve()
      .then(() => options.work(event))
      .catch((error: unknown) =>
        logger.error({ err: error, eventId: event.eventId, eventType: event.type }, 'event work failed'),
      )
      .finally(() => {
        running -= 1;
        markProcessed(event.eventId);
        pump();
      });
  };

  /** Reads back events that are only in the database, as many as the queue has room for. */
  const refill = () => {
    if (refilling) return;
    refilling = true;
    try {
      const room = maxQueued - queue.length;
      const limit = room + active.size;
      const rows = log.unprocessed(limit);
      let added = 0;
      let readAll = true;
      for (const row of rows) {
        if (added >= room) {
          readAll = false;
          break;
        }
        if (active.has(row.eventId)) continue;
        let event: InboundEvent;
        try {
          event = deserializeEvent(row.payload);
        } catch (error) {
          logger.error({ err: error, eventId: row.eventId }, 'an inbox payload does not parse; skipped');
          active.add(row.eventId);
          markProcessed(row.eventId);
          continue;
        }
        if (event.type === 'card_action') {
          // Lark never re-sends a callback and the person was already shown that it failed: tapping
          // again is theirs to decide, so a card action is not replayed after a restart.
          logger.warn({ eventId: row.eventId }, 'a card action interrupted by a restart is not replayed');
          active.add(row.eventId);
          markProcessed(row.eventId);
          continue;
        }
        active.add(row.eventId);
        queue.push(event);
        added += 1;
      }
      // Fewer rows than asked for, all taken: the database holds nothing more that is not in memory.
      if (readAll && rows.length < limit) spilled = false;
    } catch (error) {
      logger.error({ err: error }, 'could not read the inbox; retrying shortly');
      setTimeout(pump, 1000).unref();
    } finally {
      refilling = false;
    }
  };

  /**
   * Starts work in a later turn, not in the promise chain of the event that was just recorded or just
   * finished: a backlog worked back to back in one turn would hold every request waiting for its answer.
   */
  function pump(): void {
    if (queue.length === 0 && !spilled) {
      wake();
      return;
    }
    if (workScheduled) return;
    workScheduled = true;
    setImmediate(startWork);
  }

  function startWork(): void {
    workScheduled = false;
    if (spilled && queue.length < maxQueued / 2) refill();
    while (running < concurrency && queue.length > 0) run(queue.shift() as InboundEvent);
    wake();
  }

  return {
    record(event, recordOptions = {}) {
      if (remembered.has(event.eventId)) return Promise.resolve(false);
      const pending = recordingById.get(event.eventId);
      if (pending !== undefined) return pending.then(() => false);
      if (recording.length >= maxRecording) {
        if (refusedSinceLog++ === 0) {
          logger.warn(
            { limit: maxRecording },
            'event intake full: refusing Lark events until the database catches up (Lark delivers them again)',
          );
        }
        return Promise.reject(new InboxBusyError(`more than ${maxRecording} events waiting to be recorded`));
      }
      if (refusedSinceLog > 0) {
        logger.info({ refused: refusedSinceLog }, 'event intake accepting again');
        refusedSinceLog = 0;
      }
      const owesWork = recordOptions.owesWork ?? true;
      let payload: string | undefined;
      try {
        // Serialized here, not in the batch, so an event that cannot be stored is refused alone.
        payload = owesWork ? serializeEvent(event) : undefined;
      } catch (error) {
        logger.error({ err: error, eventId: event.eventId }, 'an event cannot be stored; refused');
        return Promise.reject(error);
      }
      const promise = new Promise<boolean>((resolve, reject) => {
        recording.push({ event, owesWork, payload, resolve, reject });
      });
      recordingById.set(event.eventId, promise);
      schedule();
      return promise;
    },

    enqueue(event) {
      if (active.has(event.eventId)) return;
      if (spilled || queue.length >= maxQueued) {
        if (!spilled) {
          logger.warn(
            { limit: maxQueued },
            'event work queue full: recorded events wait in the database and are read back in order',
          );
        }
        spilled = true;
        pump();
        return;
      }
      active.add(event.eventId);
      queue.push(event);
      pump();
    },

    markProcessed(eventId) {
      markProcessed(eventId);
    },

    resume() {
      spilled = true;
      pump();
    },

    idle() {
      // Someone is waiting: the processed flags need not wait for company.
      if (toMark.length > 0) schedule();
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        wake();
      });
    },

    stats: () => ({ recording: recording.length, queued: queue.length, running, spilled }),
  };
}
