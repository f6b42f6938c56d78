import { type DubanDatabase, prepareCached } from './database.js';

/**
 * Lark delivers an event again when it gets no answer in 3 s, and may push the same message under two
 * event ids. Recording both ids under unique constraints, before any work, makes each processed once.
 */
export function createInboundRepository({ db }: { db: DubanDatabase }) {
  const insertEvent = prepareCached(
    db,
    `INSERT INTO inbound_events (event_id, kind, message_id, received_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (event_id) DO NOTHING`,
  );
  const insertMessage = prepareCached(
    db,
    `INSERT INTO inbound_messages (message_id, event_id, received_at) VALUES (?, ?, ?)
     ON CONFLICT (message_id) DO NOTHING`,
  );
  const duplicate = Symbol('duplicate');

  const record = db.$client.transaction(
    (input: { eventId: string; messageId?: string | undefined; kind: string; at: string }) => {
      if (insertEvent.run(input.eventId, input.kind, input.messageId ?? null, input.at).changes === 0) {
        return false;
      }
      if (
        input.messageId !== undefined &&
        insertMessage.run(input.messageId, input.eventId, input.at).changes === 0
      ) {
        // Same message under a new event id: undo the event row too, so nothing half-recorded remains.
        throw duplicate;
      }
      return true;
    },
  );

  return {
    /** True the first time this event (and message) is seen, false for any repeat. */
    recordInboundEvent(input: {
      eventId: string;
      messageId?: string | undefined;
      kind: string;
      at: Date | string;
    }): boolean {
      const at = typeof input.at === 'string' ? input.at : input.at.toISOString();
      try {
        return record({ ...input, at });
      } catch (error) {
        if (error === duplicate) return false;
        throw error;
      }
    },
  };
}

export type InboundRepository = ReturnType<typeof createInboundRepository>;
