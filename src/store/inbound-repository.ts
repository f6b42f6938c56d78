import { type DubanDatabase, prepareCached } from './database.js';

/** One event to record in the inbox: its ids, and its payload when work is owed on it. */
export interface InboundRecord {
  eventId: string;
  messageId?: string | undefined;
  kind: string;
  /** The event as JSON; present means "not yet processed". Omitted: recorded for the dedupe only. */
  payload?: string | undefined;
}

export interface UnprocessedInbound {
  eventId: string;
  kind: string;
  payload: string;
}

/**
 * The inbox. Lark delivers an event again when it gets no answer in 3 s, and may push the same message
 * under two event ids; recording both ids under unique constraints, before the acknowledgement, makes
 * each processed once, and the payload kept until `markProcessed` lets start-up finish the work a
 * crash interrupted.
 */
export function createInboundRepository({ db }: { db: DubanDatabase }) {
  const insertEvent = prepareCached(
    db,
    `INSERT INTO inbound_events (event_id, kind, message_id, received_at, payload, processed)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`,
  );
  const deleteEvent = prepareCached(db, 'DELETE FROM inbound_events WHERE id = ?');
  const insertMessage = prepareCached(
    db,
    `INSERT INTO inbound_messages (message_id, event_id, received_at) VALUES (?, ?, ?)
     ON CONFLICT (message_id) DO NOTHING`,
  );
  const markOne = prepareCached(
    db,
    'UPDATE inbound_events SET processed = 1, payload = NULL WHERE event_id = ? AND processed = 0',
  );
  const selectAnswer = prepareCached(
    db,
    'SELECT answer_message_id FROM inbound_messages WHERE message_id = ?',
  );
  const updateAnswer = prepareCached(
    db,
    'UPDATE inbound_messages SET answer_message_id = ? WHERE message_id = ? AND answer_message_id IS NULL',
  );
  const answerOf = (messageId: string): string | null =>
    (selectAnswer.pluck().get(messageId) as string | null | undefined) ?? null;
  const recordAnswer = (messageId: string, answerMessageId: string): void => {
    updateAnswer.run(answerMessageId, messageId);
  };
  const selectUnprocessed = prepareCached(
    db,
    'SELECT event_id AS eventId, kind, payload FROM inbound_events WHERE processed = 0 ORDER BY id LIMIT ?',
  );

  const recordOne = (input: InboundRecord, at: string): boolean => {
    const payload = input.payload ?? null;
    const inserted = insertEvent.run(
      input.eventId,
      input.kind,
      input.messageId ?? null,
      at,
      payload,
      payload === null ? 1 : 0,
    );
    if (inserted.changes === 0) return false;
    if (
      input.messageId !== undefined &&
      insertMessage.run(input.messageId, input.eventId, at).changes === 0
    ) {
      // Same message under a new event id: undo the event row too, so nothing half-recorded remains.
      deleteEvent.run(inserted.lastInsertRowid);
      return false;
    }
    return true;
  };

  // One transaction for a whole batch: one commit (one WAL write) however many events arrived together.
  const recordBatch = db.$client.transaction(
    (inputs: readonly InboundRecord[], at: string, processed: readonly string[] = []) => {
      for (const id of processed) markOne.run(id);
      return inputs.map((input) => recordOne(input, at));
    },
  );
  const markBatch = db.$client.transaction((eventIds: readonly string[]) => {
    for (const id of eventIds) markOne.run(id);
  });

  const iso = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());
  const recordInboundEvents = (
    inputs: readonly InboundRecord[],
    at: Date | string,
    processed: readonly string[] = [],
  ): boolean[] => recordBatch(inputs, iso(at), processed);
  const markInboundProcessed = (eventIds: readonly string[]): void => {
    if (eventIds.length > 0) markBatch(eventIds);
  };
  const unprocessedInboundEvents = (limit: number): UnprocessedInbound[] =>
    selectUnprocessed.all(limit) as UnprocessedInbound[];

  return {
    /** True the first time this event (and message) is seen, false for any repeat. Dedupe only. */
    recordInboundEvent(input: {
      eventId: string;
      messageId?: string | undefined;
      kind: string;
      at: Date | string;
    }): boolean {
      return (
        recordBatch(
          [{ eventId: input.eventId, messageId: input.messageId, kind: input.kind }],
          iso(input.at),
        )[0] === true
      );
    },

    /**
     * Records events in one transaction; for each, true when first seen (a repeat within the batch is a
     * repeat too), and marks `processed` in the same transaction. Throws, recording nothing, when the
     * database refuses: the caller must not acknowledge.
     */
    recordInboundEvents,

    /** The work owed on these events is done: clears their payload. */
    markInboundProcessed,

    /** Recorded events still owing their work, oldest first. */
    unprocessedInboundEvents,

    /** The bot's answer to a recorded message, once sent (null before, or for a message not recorded). */
    answerOf,
    /** Notes the bot's answer to a recorded message; the first answer stays. */
    recordAnswer,

    /** The above under the names of the bot's intake port (src/bot/ports.ts InboundLog). */
    inbox: {
      record: recordInboundEvents,
      markProcessed: markInboundProcessed,
      unprocessed: unprocessedInboundEvents,
      answerOf,
      recordAnswer,
    },
  };
}

export type InboundRepository = ReturnType<typeof createInboundRepository>;
