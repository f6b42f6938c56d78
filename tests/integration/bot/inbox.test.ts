import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCardAction } from '../../../src/bot/actions/types.js';
import { createBot } from '../../../src/bot/bot.js';
import type { Middleware } from '../../../src/bot/compose.js';
import type { MessageContext } from '../../../src/bot/context.js';
import { createInbox, InboxBusyError } from '../../../src/bot/inbox.js';
import type { InboundLog } from '../../../src/bot/ports.js';
import { createFixedClock } from '../../../src/core/clock.js';
import type { Logger } from '../../../src/logger.js';
import type { ChatPort, InboundCardAction, InboundEvent, InboundMessage } from '../../../src/ports/chat.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createInboundRepository } from '../../../src/store/inbound-repository.js';
import { createFakeChat } from '../../helpers/fake-chat.js';
import { intakeOnly } from '../../helpers/intake-only.js';
import { memoryDb } from '../store/ledger-fixtures.js';

let db: DubanDatabase;
beforeEach(() => {
  db = memoryDb();
});
afterEach(() => closeDatabase(db));

const clock = createFixedClock('2026-03-02T01:30:00Z');

/** Lets the bot's promise chain run until `check` holds (the card action reached its handler). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

function capturingLogger() {
  const logs: Array<{ level: number; msg: string }> = [];
  const logger = pino(
    { level: 'debug' },
    { write: (line: string) => logs.push(JSON.parse(line) as { level: number; msg: string }) },
  ) as unknown as Logger;
  return { logger, logs };
}

const message = (n: number, extra: Partial<InboundMessage> = {}): InboundMessage => ({
  type: 'message',
  eventId: `ev_${n}`,
  messageId: `om_${n}`,
  chatId: 'oc_1',
  chatType: 'group',
  senderOpenId: 'ou_alice',
  text: `进展 ${n}`,
  mentions: [],
  mentionsBot: false,
  createdAt: new Date('2026-03-02T01:29:00Z'),
  ...extra,
});

const cardAction = (n: number, action = 'wait'): InboundCardAction => ({
  type: 'card_action',
  eventId: `ev_card_${n}`,
  operatorOpenId: 'ou_alice',
  messageId: 'om_card',
  chatId: 'oc_1',
  value: { action },
});

const rows = () =>
  db.$client
    .prepare('SELECT event_id AS eventId, processed, payload FROM inbound_events ORDER BY id')
    .all() as Array<{ eventId: string; processed: number; payload: string | null }>;

function inboxOver(log: InboundLog, extra: Partial<Parameters<typeof createInbox>[0]> = {}) {
  const worked: InboundEvent[] = [];
  const { logger, logs } = capturingLogger();
  const inbox = createInbox({
    log,
    clock,
    logger,
    work: async (event) => {
      worked.push(event);
    },
    ...extra,
  });
  return { inbox, worked, logs };
}

describe('the inbox: record, acknowledge, then work', () => {
  it('records the event with its payload before resolving, then works it once and marks it processed', async () => {
    const { inbox, worked } = inboxOver(createInboundRepository({ db }).inbox);
    const event = message(1, { mentions: [{ key: '@_user_1', openId: 'ou_bob', name: '王五' }] });
    expect(await inbox.record(event)).toBe(true);
    // Recorded (the transport may now acknowledge) and owing its work.
    expect(rows()).toEqual([{ eventId: 'ev_1', processed: 0, payload: expect.stringContaining('进展 1') }]);
    inbox.enqueue(event);
    await inbox.idle();
    expect(worked).toEqual([event]);
    expect(worked[0]?.type === 'message' && worked[0].createdAt instanceof Date).toBe(true);
    expect(rows()).toEqual([{ eventId: 'ev_1', processed: 1, payload: null }]);
  });

  it('answers duplicate pushes of an event as repeats, in the same turn or later, and works it once', async () => {
    const { inbox, worked } = inboxOver(createInboundRepository({ db }).inbox);
    const firsts = await Promise.all([inbox.record(message(1)), inbox.record(message(1))]);
    expect(firsts).toEqual([true, false]);
    expect(await inbox.record(message(1))).toBe(false);
    // The same message under a new event id is a repeat too.
    expect(await inbox.record(message(2, { messageId: 'om_1' }))).toBe(false);
    inbox.enqueue(message(1));
    inbox.enqueue(message(1));
    await inbox.idle();
    expect(worked.map((e) => e.eventId)).toEqual(['ev_1']);
    expect(rows().map((r) => r.eventId)).toEqual(['ev_1']);
  });

  it('rejects when the database refuses, so the transport does not acknowledge and Lark retries', async () => {
    const repo = createInboundRepository({ db });
    const { inbox, logs } = inboxOver({
      ...repo.inbox,
      record: () => {
        throw new Error('SQLITE_FULL: database or disk is full');
      },
    });
    await expect(inbox.record(message(1))).rejects.toThrow(/SQLITE_FULL/);
    expect(logs.some((l) => l.level === 50 && /could not record Lark events/.test(l.msg))).toBe(true);
    expect(rows()).toEqual([]);
  });

  it('loses nothing to a crash between the acknowledgement and the work: start-up works the recorded events', async () => {
    const repo = createInboundRepository({ db });
    // Before the crash: recorded and acknowledged, never worked.
    const before = inboxOver(repo.inbox);
    expect(await before.inbox.record(message(1))).toBe(true);
    expect(await before.inbox.record(message(2))).toBe(true);
    expect(await before.inbox.record(cardAction(1))).toBe(true);
    expect(before.worked).toEqual([]);

    const after = inboxOver(createInboundRepository({ db }).inbox);
    after.inbox.resume();
    await after.inbox.idle();
    expect(after.worked.map((e) => e.eventId)).toEqual(['ev_1', 'ev_2']);
    // A card action is not replayed: Lark never re-sends a callback, the person taps again.
    expect(after.logs.some((l) => /card action interrupted by a restart is not replayed/.test(l.msg))).toBe(
      true,
    );
    expect(rows().every((r) => r.processed === 1 && r.payload === null)).toBe(true);
    // Lark's retry of an event worked after the restart is still a repeat.
    expect(await after.inbox.record(message(1))).toBe(false);
  });
});

describe('the inbox answers before it works', () => {
  it('works a backlog a few events a turn, so an event arriving meanwhile is recorded before the backlog is done', async () => {
    const { inbox, worked } = inboxOver(createInboundRepository({ db }).inbox, { concurrency: 2 });
    const backlog = Array.from({ length: 40 }, (_, i) => message(i + 1));
    await Promise.all(backlog.map((e) => inbox.record(e)));
    for (const e of backlog) inbox.enqueue(e);
    // A request read in the next turn of the event loop, as the HTTP server would read it.
    const workedWhenRecorded = await new Promise<number>((resolve) => {
      setImmediate(() => {
        void inbox.record(message(100)).then(() => resolve(worked.length));
      });
    });
    expect(workedWhenRecorded).toBeLessThan(backlog.length);
    await inbox.idle();
    expect(worked).toHaveLength(backlog.length);
  });

  it('commits processed flags with the next recorded events instead of in a transaction of their own', async () => {
    const repo = createInboundRepository({ db });
    const transactions: Array<{ recorded: string[]; marked: string[] }> = [];
    const { inbox, worked } = inboxOver(
      {
        ...repo.inbox,
        record: (items, at, processed = []) => {
          transactions.push({ recorded: items.map((i) => i.eventId), marked: [...processed] });
          return repo.inbox.record(items, at, processed);
        },
        markProcessed: (ids) => {
          transactions.push({ recorded: [], marked: [...ids] });
          repo.inbox.markProcessed(ids);
        },
      },
      { markDelayMs: 60_000 },
    );
    await inbox.record(message(1));
    inbox.enqueue(message(1));
    await until(() => worked.length === 1);
    await inbox.record(message(2));
    expect(transactions).toEqual([
      { recorded: ['ev_1'], marked: [] },
      { recorded: ['ev_2'], marked: ['ev_1'] },
    ]);
    // Waiting for the inbox to settle does not wait for the delay.
    inbox.enqueue(message(2));
    const started = Date.now();
    await inbox.idle();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(rows().map((r) => r.processed)).toEqual([1, 1]);
  });
});

describe('the inbox keeps its memory bounded', () => {
  it('refuses events past the cap waiting to be recorded, and says so once', async () => {
    const { inbox, logs } = inboxOver(createInboundRepository({ db }).inbox, { maxRecording: 2 });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => inbox.record(message(n))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(InboxBusyError);
    expect(logs.filter((l) => /event intake full/.test(l.msg))).toHaveLength(1);
    // Refused before recording: Lark's retry is recorded as new.
    expect(await inbox.record(message(3))).toBe(true);
  });

  it('keeps recorded events past the queue cap in the database only, and works each exactly once', async () => {
    const { inbox, worked, logs } = inboxOver(createInboundRepository({ db }).inbox, {
      maxQueued: 2,
      concurrency: 1,
    });
    const events = Array.from({ length: 9 }, (_, i) => message(i + 1));
    await Promise.all(events.map((e) => inbox.record(e)));
    for (const e of events) inbox.enqueue(e);
    expect(inbox.stats().queued).toBeLessThanOrEqual(2);
    await inbox.idle();
    expect(worked.map((e) => e.eventId).sort()).toEqual(events.map((e) => e.eventId).sort());
    expect(logs.some((l) => /event work queue full/.test(l.msg))).toBe(true);
    expect(rows().every((r) => r.processed === 1)).toBe(true);
  });

  it('forgets the oldest remembered event ids past the cap, and the database still refuses their repeats', async () => {
    const { inbox, logs } = inboxOver(createInboundRepository({ db }).inbox, { maxRemembered: 2 });
    for (const n of [1, 2, 3]) expect(await inbox.record(message(n))).toBe(true);
    expect(logs.some((l) => /remembered event ids at their cap/.test(l.msg))).toBe(true);
    expect(await inbox.record(message(1))).toBe(false);
    expect(await inbox.record(message(3))).toBe(false);
  });
});

describe('the bot over the inbox', () => {
  const { directory, usecases } = intakeOnly('the inbox tests run no use case');

  function botWith(input: { maxCardActions?: number; onText?: Middleware<MessageContext>; chat?: ChatPort }) {
    const releases: Array<() => void> = [];
    const { logger, logs } = capturingLogger();
    const bot = createBot({
      deps: {
        chat: input.chat ?? createFakeChat(),
        clock,
        logger,
        directory,
        usecases,
      },
      inboundLog: createInboundRepository({ db }).inbox,
      commands: [],
      cardActions: [
        defineCardAction({
          name: 'wait',
          value: z.object({ action: z.literal('wait') }),
          roles: 'anyone',
          handle: () =>
            new Promise((resolve) =>
              releases.push(() => resolve({ toast: { type: 'success', content: 'ok' } })),
            ),
        }),
      ],
      ...(input.onText === undefined ? {} : { onText: input.onText }),
      cardActionTimeoutMs: 60_000,
      intake: { ...(input.maxCardActions === undefined ? {} : { maxCardActions: input.maxCardActions }) },
    });
    return { bot, releases, logs };
  }

  it('resolves a message once recorded, before its work runs, and works it after', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    const { bot } = botWith({
      onText: async (ctx) => {
        await gate;
        seen.push(ctx.event.messageId);
      },
    });
    expect(await bot.handle(message(1))).toBeUndefined();
    expect(rows()).toEqual([{ eventId: 'ev_1', processed: 0, payload: expect.any(String) }]);
    expect(seen).toEqual([]);
    release();
    await bot.idle();
    expect(seen).toEqual(['om_1']);
    expect(rows()[0]?.processed).toBe(1);
  });

  it('answers a message once, even when a restart long after works it again and Lark has forgotten the reply uuid', async () => {
    const chat = createFakeChat();
    const larkCalls: string[] = [];
    // Lark dedupes a reply's uuid for an hour only; this chat forgets it at once, as Lark does later.
    const forgetful: ChatPort = {
      ...chat,
      reply: async (input) => {
        larkCalls.push(input.messageId);
        return { messageId: `om_answer_${larkCalls.length}` };
      },
    };
    const answers: string[] = [];
    const onText: Middleware<MessageContext> = async (ctx) => {
      answers.push((await ctx.reply('已收到')).messageId);
    };
    const first = botWith({ onText, chat: forgetful });
    await first.bot.handle(message(1));
    const payload = rows()[0]?.payload as string;
    await first.bot.idle();
    expect(larkCalls).toEqual(['om_1']);

    // The crash came before the processed flag was committed: the event is owed again.
    db.$client
      .prepare("UPDATE inbound_events SET processed = 0, payload = ? WHERE event_id = 'ev_1'")
      .run(payload);
    const second = botWith({ onText, chat: forgetful });
    second.bot.resume();
    await second.bot.idle();
    expect(answers).toEqual(['om_answer_1', 'om_answer_1']);
    expect(larkCalls).toEqual(['om_1']);
    expect(second.logs.some((l) => /answered before/.test(l.msg))).toBe(true);
    expect(rows()[0]?.processed).toBe(1);
  });

  it('answers card actions past the cap "busy" without recording them, and logs it', async () => {
    const { bot, releases, logs } = botWith({ maxCardActions: 1 });
    const first = bot.handle(cardAction(1));
    await until(() => releases.length === 1);
    expect(releases).toHaveLength(1);
    const busy = await bot.handle(cardAction(2));
    expect(busy).toMatchObject({ toast: { type: 'warning', content: expect.stringContaining('稍后') } });
    expect(logs.some((l) => /too many card actions at once/.test(l.msg))).toBe(true);
    for (const release of releases.splice(0)) release();
    expect(await first).toMatchObject({ toast: { type: 'success' } });
    await bot.idle();
    expect(rows().map((r) => [r.eventId, r.processed])).toEqual([['ev_card_1', 1]]);
    // Once the first settled, the person's second tap goes through.
    const again = bot.handle(cardAction(2));
    await until(() => releases.length === 1);
    for (const release of releases.splice(0)) release();
    expect(await again).toMatchObject({ toast: { type: 'success' } });
  });
});
