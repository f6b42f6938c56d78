import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LarkApiError, LarkNetworkError } from '../../../src/chat/errors.js';
import { createFixedClock } from '../../../src/core/clock.js';
import {
  createOutboxDispatcher,
  DEFAULT_RETRY_SCHEDULE,
  defaultLeaseMs,
  describeSendFailure,
  LARK_UUID_WINDOW_MS,
  type OutboxFailureReport,
  UUID_WINDOW_MARGIN_MS,
  worstCaseRetryScheduleMs,
} from '../../../src/delivery/outbox-dispatcher.js';
import { silentLogger } from '../../../src/logger.js';
import type { ChatPort, OutgoingMessage } from '../../../src/ports/chat.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository, type OutboxRepository } from '../../../src/store/outbox-repository.js';
import { createFailureNotifier } from '../../../src/usecases/prompt-cycle.js';
import { createFakeChat } from '../../helpers/fake-chat.js';

const t0 = '2026-11-23T01:30:00.000Z';
const text = (s: string): OutgoingMessage => ({ kind: 'text', text: s });

/** A chat port whose send can be scripted per call: delay, then fail or pass through. */
function scriptedChat(
  inner: ChatPort,
  script: (input: { chatId: string; idempotencyKey?: string }, call: number) => unknown,
) {
  let calls = 0;
  const log: string[] = [];
  const chat: ChatPort = {
    ...inner,
    async send(input) {
      calls += 1;
      log.push(input.idempotencyKey ?? '');
      const outcome = await script(input, calls);
      if (outcome instanceof Error) throw outcome;
      return inner.send(input);
    },
  };
  return { chat, log };
}

const botRemoved = () =>
  new LarkApiError({
    operation: 'im.message.create',
    code: 230002,
    msg: 'The bot can not be outside the group.',
    httpStatus: 400,
  });
const serverError = () =>
  new LarkApiError({ operation: 'im.message.create', code: -1, msg: 'Bad gateway', httpStatus: 502 });

describe('outbox dispatcher', () => {
  let db: DubanDatabase;
  let outbox: OutboxRepository;
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    outbox = createOutboxRepository({ db });
  });
  afterEach(() => closeDatabase(db));

  const enqueue = (n: number, chat = (i: number) => `oc_${i}`) =>
    outbox.enqueue({
      items: Array.from({ length: n }, (_, i) => ({
        key: `prompt:${i}:2026-W48`,
        kind: 'prompt',
        chatId: chat(i),
        message: text(`card ${i}`),
        agencyId: i,
        cycle: '2026-W48',
      })),
      now: new Date(t0),
    });

  it('sends every due row once, with its key as the idempotency key, and records the message id', async () => {
    const fake = createFakeChat();
    const clock = createFixedClock(t0);
    enqueue(5);
    const dispatcher = createOutboxDispatcher({ outbox, chat: fake, clock, logger: silentLogger });
    expect(await dispatcher.drain()).toEqual({ sent: 5, retried: 0, failed: 0 });
    expect(fake.sent.map((s) => s.idempotencyKey)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `prompt:${i}:2026-W48`),
    );
    const rows = outbox.list();
    expect(
      rows.every((r) => r.status === 'sent' && r.messageId?.startsWith('om_fake_') && r.attempts === 1),
    ).toBe(true);
    expect(await dispatcher.drain()).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(fake.sent).toHaveLength(5);
  });

  it('sends to many chats in parallel instead of one after another', async () => {
    const fake = createFakeChat();
    let inFlight = 0;
    let peak = 0;
    const { chat } = scriptedChat(fake, async () => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 40));
      inFlight -= 1;
    });
    enqueue(200);
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat,
      clock: createFixedClock(t0),
      logger: silentLogger,
      concurrency: 100,
    });
    expect((await dispatcher.drain()).sent).toBe(200);
    // serially the peak would be 1 (and the drain 8 s long)
    expect(peak).toBe(100);
  });

  it('keeps the rows of one chat in order, so a card’s pages arrive 1, 2, 3', async () => {
    const fake = createFakeChat();
    const { chat } = scriptedChat(fake, async (_input, call) => {
      await new Promise((r) => setTimeout(r, call === 1 ? 30 : 1));
    });
    outbox.enqueue({
      items: [1, 2, 3].map((p) => ({
        key: `prompt:9:2026-W48${p === 1 ? '' : `#${p}`}`,
        kind: 'prompt',
        chatId: 'oc_same',
        message: text(`page ${p}`),
      })),
      now: new Date(t0),
    });
    enqueue(3);
    await createOutboxDispatcher({ outbox, chat, clock: createFixedClock(t0), logger: silentLogger }).drain();
    expect(
      fake.sent.filter((s) => s.chatId === 'oc_same').map((s) => (s.message as { text: string }).text),
    ).toEqual(['page 1', 'page 2', 'page 3']);
  });

  it('picks up rows enqueued while it drains, in the same drain', async () => {
    const fake = createFakeChat();
    const { chat } = scriptedChat(fake, async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    enqueue(2, () => 'oc_slow');
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat,
      clock: createFixedClock(t0),
      logger: silentLogger,
    });
    const draining = dispatcher.drain();
    await new Promise((r) => setTimeout(r, 5));
    outbox.enqueue({
      items: [{ key: 'late:1', kind: 'notice', chatId: 'oc_other', message: text('late') }],
      now: new Date(t0),
    });
    expect(await draining).toEqual({ sent: 3, retried: 0, failed: 0 });
    expect(fake.sent.map((s) => s.idempotencyKey)).toContain('late:1');
  });

  it('retries a transient failure after a backoff and then delivers it once', async () => {
    const fake = createFakeChat();
    const clock = createFixedClock(t0);
    const { chat, log } = scriptedChat(fake, (_input, call) => (call === 1 ? serverError() : undefined));
    enqueue(1);
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat,
      clock,
      logger: silentLogger,
      backoff: { baseMs: 10_000 },
      random: () => 1,
    });
    expect(await dispatcher.drain()).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(outbox.findByKey('prompt:0:2026-W48')).toMatchObject({
      status: 'pending',
      lastError: 'Lark -1 (HTTP 502): Bad gateway',
      nextAttemptAt: '2026-11-23T01:30:10.000Z',
    });
    clock.advance(5_000);
    expect(await dispatcher.drain()).toEqual({ sent: 0, retried: 0, failed: 0 }); // not due yet
    clock.advance(5_000);
    expect(await dispatcher.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(log).toEqual(['prompt:0:2026-W48', 'prompt:0:2026-W48']);
    expect(outbox.findByKey('prompt:0:2026-W48')).toMatchObject({
      status: 'sent',
      attempts: 2,
      lastError: null,
    });
    expect(fake.sent).toHaveLength(1);
  });

  it('honours the wait Lark asked for when it is longer than the backoff', async () => {
    const clock = createFixedClock(t0);
    const limited = new LarkApiError({
      operation: 'im.message.create',
      code: 99991400,
      msg: 'request trigger frequency limit',
      httpStatus: 429,
      retryAfterSeconds: 30,
    });
    const { chat } = scriptedChat(createFakeChat(), () => limited);
    enqueue(1);
    await createOutboxDispatcher({
      outbox,
      chat,
      clock,
      logger: silentLogger,
      backoff: { baseMs: 1000 },
    }).drain();
    expect(outbox.findByKey('prompt:0:2026-W48')?.nextAttemptAt).toBe('2026-11-23T01:30:30.000Z');
  });

  it('fails a row at once when the bot was removed from the group, and reports which agency and why', async () => {
    const reports: OutboxFailureReport[] = [];
    const { chat } = scriptedChat(createFakeChat(), (input) =>
      input.chatId === 'oc_1' ? botRemoved() : undefined,
    );
    enqueue(3);
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat,
      clock: createFixedClock(t0),
      logger: silentLogger,
      onFailed: (r) => void reports.push(r),
    });
    expect(await dispatcher.drain()).toEqual({ sent: 2, retried: 0, failed: 1 });
    expect(reports).toHaveLength(1);
    expect(reports[0]?.entry).toMatchObject({ agencyId: 1, chatId: 'oc_1', key: 'prompt:1:2026-W48' });
    expect(reports[0]?.failure).toMatchObject({ larkCode: 230002, retryable: false });
    expect(outbox.findByKey('prompt:1:2026-W48')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(outbox.findByKey('prompt:1:2026-W48')?.lastError).toContain('230002');
  });

  it('gives up after the maximum attempts of a transient failure and reports it once', async () => {
    const clock = createFixedClock(t0);
    const reports: OutboxFailureReport[] = [];
    const { chat, log } = scriptedChat(
      createFakeChat(),
      () =>
        new LarkNetworkError({
          operation: 'im.message.create',
          reason: 'ECONNRESET',
          message: 'socket hang up',
        }),
    );
    enqueue(1);
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat,
      clock,
      logger: silentLogger,
      maxAttempts: 3,
      backoff: { baseMs: 1000, maxMs: 1000 },
      onFailed: (r) => void reports.push(r),
    });
    for (let i = 0; i < 5; i += 1) {
      await dispatcher.drain();
      clock.advance(1000);
    }
    expect(log).toHaveLength(3);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.attempts).toBe(3);
    expect(outbox.findByKey('prompt:0:2026-W48')).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('after a restart re-sends rows left sending with the same key, which yields no second message', async () => {
    const fake = createFakeChat();
    enqueue(2);
    // The "previous bot" sent row 0 (Lark stored it) but died before recording it.
    const claimed = outbox.claimDue({
      now: new Date(t0),
      limit: 10,
      leaseMs: 600_000,
      owner: 'bot@h#1-dead',
    });
    expect(claimed).toHaveLength(2);
    await fake.send({ chatId: 'oc_0', message: text('card 0'), idempotencyKey: 'prompt:0:2026-W48' });
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat: fake,
      clock: createFixedClock(t0),
      logger: silentLogger,
      role: 'bot',
      recoverEarlierRuns: true,
    });
    expect(await dispatcher.drain()).toEqual({ sent: 2, retried: 0, failed: 0 });
    expect(fake.sent.map((s) => s.chatId).sort()).toEqual(['oc_0', 'oc_1']);
    expect(outbox.list().map((r) => r.status)).toEqual(['sent', 'sent']);
  });

  it('never takes or frees the rows a CLI running next to it is sending', async () => {
    const fake = createFakeChat();
    enqueue(2);
    // `duban remind` in another process of this host holds row 0 and is still running.
    const cliOwner = `remind@${hostname()}#${process.pid + 1}-abc123`;
    outbox.claimDue({ now: new Date(t0), limit: 1, leaseMs: 600_000, owner: cliOwner });
    const bot = createOutboxDispatcher({
      outbox,
      chat: fake,
      clock: createFixedClock(t0),
      logger: silentLogger,
      role: 'bot',
      recoverEarlierRuns: true,
      isProcessAlive: () => true,
    });
    expect(await bot.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(fake.sent.map((s) => s.chatId)).toEqual(['oc_1']);
    expect(outbox.findByKey('prompt:0:2026-W48')).toMatchObject({ status: 'sending', leaseOwner: cliOwner });
    // The CLI's answer is still its own to record.
    const row = outbox.findByKey('prompt:0:2026-W48');
    expect(
      outbox.markSent({ id: row?.id ?? 0, owner: cliOwner, messageId: 'om_cli', now: new Date(t0) }),
    ).toBe(true);
  });

  it('resends the rows of a CLI that was killed, once its process is gone', async () => {
    const fake = createFakeChat();
    enqueue(1);
    const deadPid = 999_999;
    const cliOwner = `remind@${hostname()}#${deadPid}-abc123`;
    outbox.claimDue({ now: new Date(t0), limit: 1, leaseMs: 600_000, owner: cliOwner });
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat: fake,
      clock: createFixedClock(t0),
      logger: silentLogger,
      role: 'remind',
      isProcessAlive: (pid) => pid !== deadPid,
    });
    expect(await dispatcher.drain()).toEqual({ sent: 1, retried: 0, failed: 0 });
  });

  it('does not resend blindly a row first tried longer ago than Lark’s uuid window, and says delivery is unknown', async () => {
    const fake = createFakeChat();
    const clock = createFixedClock(t0);
    enqueue(1);
    const [row] = outbox.claimDue({ now: clock.now(), limit: 1, leaseMs: 60_000, owner: 'bot@h#1-dead' });
    outbox.markAttempt({ id: row?.id ?? 0, owner: 'bot@h#1-dead', now: clock.now() });
    // The bot died mid-send and stayed down past the hour.
    clock.advance(LARK_UUID_WINDOW_MS);
    const reports: OutboxFailureReport[] = [];
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat: fake,
      clock,
      logger: silentLogger,
      role: 'bot',
      recoverEarlierRuns: true,
      onFailed: (r) => {
        reports.push(r);
      },
    });
    expect(await dispatcher.drain()).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(fake.sent).toEqual([]);
    expect(reports[0]?.failure).toMatchObject({ deliveryUnknown: true, retryable: false });
    expect(outbox.findByKey('prompt:0:2026-W48')).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/uuid window/),
    });
  });

  it('asks the coordinators to check the group when delivery is unknown', async () => {
    const clock = createFixedClock(t0);
    createAgencyRepository({ db }).bindSpecialChat({
      role: 'coordinators',
      chatId: 'oc_coord',
      at: t0,
      actor: 'test',
      channel: 'cli',
    });
    enqueue(1);
    const [row] = outbox.claimDue({ now: clock.now(), limit: 1, leaseMs: 60_000, owner: 'bot@h#1-dead' });
    outbox.markAttempt({ id: row?.id ?? 0, owner: 'bot@h#1-dead', now: clock.now() });
    clock.advance(LARK_UUID_WINDOW_MS);
    await createOutboxDispatcher({
      outbox,
      chat: createFakeChat(),
      clock,
      logger: silentLogger,
      role: 'bot',
      recoverEarlierRuns: true,
      onFailed: createFailureNotifier({ db, clock, locale: 'en-US' }),
    }).drain();
    const notice = outbox.list({ kind: 'notice' })[0];
    expect(notice?.chatId).toBe('oc_coord');
    expect(JSON.stringify(notice?.payload)).toMatch(/never confirmed, so it was not resent/);
  });

  it('leases a row for longer than its worst-case retry schedule, which ends inside Lark’s uuid window', () => {
    const worst = worstCaseRetryScheduleMs(DEFAULT_RETRY_SCHEDULE);
    expect(defaultLeaseMs()).toBeGreaterThan(worst);
    expect(defaultLeaseMs()).toBeLessThan(LARK_UUID_WINDOW_MS - UUID_WINDOW_MARGIN_MS);
    // Every attempt cut off at its timeout, every wait as long as Lark may ask.
    const { maxAttempts, attemptTimeoutMs, maxMs } = DEFAULT_RETRY_SCHEDULE;
    expect(worst).toBe(maxAttempts * attemptTimeoutMs + (maxAttempts - 1) * maxMs);
  });

  it('caps the wait Lark asks for, so the schedule stays bounded', async () => {
    const clock = createFixedClock(t0);
    enqueue(1);
    const { chat } = scriptedChat(createFakeChat(), () =>
      Object.assign(
        new LarkApiError({ operation: 'im.message.create', code: 99991400, msg: 'limit', httpStatus: 429 }),
        { retryAfterSeconds: 86_400 },
      ),
    );
    const dispatcher = createOutboxDispatcher({ outbox, chat, clock, logger: silentLogger, random: () => 0 });
    await dispatcher.drain();
    const row = outbox.findByKey('prompt:0:2026-W48');
    const waited = new Date(row?.nextAttemptAt ?? 0).getTime() - clock.now().getTime();
    expect(waited).toBe(DEFAULT_RETRY_SCHEDULE.maxMs);
  });

  it('gives back on stop the rows it claimed but had not sent yet', async () => {
    enqueue(3, () => 'oc_same');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { chat } = scriptedChat(createFakeChat(), async () => {
      await gate;
    });
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat,
      clock: createFixedClock(t0),
      logger: silentLogger,
    });
    const draining = dispatcher.drain();
    while (outbox.findByKey('prompt:0:2026-W48')?.firstAttemptAt === null) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const stopping = dispatcher.stop();
    release();
    await stopping;
    await draining;
    expect(outbox.list().map((r) => [r.status, r.attempts, r.leaseOwner])).toEqual([
      ['sent', 1, dispatcher.owner],
      ['pending', 0, null],
      ['pending', 0, null],
    ]);
  });

  it('polls in the background once started and stops cleanly', async () => {
    const fake = createFakeChat();
    const dispatcher = createOutboxDispatcher({
      outbox,
      chat: fake,
      clock: createFixedClock(t0),
      logger: silentLogger,
      pollIntervalMs: 10,
    });
    dispatcher.start();
    enqueue(3);
    const until = Date.now() + 2000;
    while (fake.sent.length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    await dispatcher.stop();
    expect(fake.sent).toHaveLength(3);
    enqueue(4);
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.sent).toHaveLength(3);
  });

  it('reads the adapter errors into retryable and final failures', () => {
    expect(describeSendFailure(botRemoved())).toMatchObject({ larkCode: 230002, retryable: false });
    expect(describeSendFailure(serverError())).toMatchObject({ retryable: true, httpStatus: 502 });
    expect(
      describeSendFailure(new LarkApiError({ operation: 'x', code: 230020, msg: 'limit', httpStatus: 400 })),
    ).toMatchObject({ retryable: true });
    expect(
      describeSendFailure(
        new LarkApiError({ operation: 'x', code: 232009, msg: 'dissolved', httpStatus: 400 }),
      ),
    ).toMatchObject({ retryable: false });
    expect(describeSendFailure(new Error('boom'))).toMatchObject({
      retryable: true,
      larkCode: undefined,
      summary: 'boom',
    });
  });
});
