import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createInboundRepository } from '../../../src/store/inbound-repository.js';
import { memoryDb } from './ledger-fixtures.js';

let db: DubanDatabase;
beforeEach(() => {
  db = memoryDb();
});
afterEach(() => closeDatabase(db));

const count = (table: string) => db.$client.prepare(`SELECT count(*) FROM ${table}`).pluck().get();

describe('recordInboundEvent', () => {
  it('accepts an event the first time and refuses every redelivery of it', () => {
    const inbound = createInboundRepository({ db });
    const event = {
      eventId: 'ev_1',
      messageId: 'om_1',
      kind: 'im.message.receive_v1',
      at: new Date('2026-03-02T01:30:00Z'),
    };
    expect(inbound.recordInboundEvent(event)).toBe(true);
    expect(inbound.recordInboundEvent(event)).toBe(false);
    expect(inbound.recordInboundEvent({ ...event, at: new Date('2026-03-02T01:35:00Z') })).toBe(false);
    expect(count('inbound_events')).toBe(1);
    expect(count('inbound_messages')).toBe(1);
  });

  it('refuses the same message pushed again under a new event id, leaving no half-recorded event', () => {
    const inbound = createInboundRepository({ db });
    expect(
      inbound.recordInboundEvent({
        eventId: 'ev_1',
        messageId: 'om_1',
        kind: 'im.message.receive_v1',
        at: '2026-03-02T01:30:00Z',
      }),
    ).toBe(true);
    expect(
      inbound.recordInboundEvent({
        eventId: 'ev_2',
        messageId: 'om_1',
        kind: 'im.message.receive_v1',
        at: '2026-03-02T01:30:01Z',
      }),
    ).toBe(false);
    expect(db.$client.prepare('SELECT event_id FROM inbound_events').pluck().all()).toEqual(['ev_1']);
  });

  it('records events without a message, such as card actions, by event id alone', () => {
    const inbound = createInboundRepository({ db });
    expect(
      inbound.recordInboundEvent({
        eventId: 'ev_card',
        kind: 'card.action.trigger',
        at: '2026-03-02T01:30:00Z',
      }),
    ).toBe(true);
    expect(
      inbound.recordInboundEvent({
        eventId: 'ev_card',
        kind: 'card.action.trigger',
        at: '2026-03-02T01:30:00Z',
      }),
    ).toBe(false);
    expect(
      inbound.recordInboundEvent({
        eventId: 'ev_card2',
        kind: 'card.action.trigger',
        at: '2026-03-02T01:30:00Z',
      }),
    ).toBe(true);
    expect(count('inbound_messages')).toBe(0);
  });
});

describe('answers to recorded messages', () => {
  it('keeps the first answer to a message, and knows none for a message not recorded', () => {
    const inbound = createInboundRepository({ db });
    inbound.recordInboundEvent({
      eventId: 'ev_1',
      messageId: 'om_1',
      kind: 'im.message.receive_v1',
      at: new Date('2026-03-02T01:30:00Z'),
    });
    expect(inbound.answerOf('om_1')).toBeNull();
    inbound.recordAnswer('om_1', 'om_answer_1');
    inbound.recordAnswer('om_1', 'om_answer_2');
    expect(inbound.answerOf('om_1')).toBe('om_answer_1');
    inbound.recordAnswer('om_unknown', 'om_answer_3');
    expect(inbound.answerOf('om_unknown')).toBeNull();
  });
});
