import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository, type OutboxRepository } from '../../../src/store/outbox-repository.js';

const t0 = new Date('2026-11-23T01:30:00.000Z');
const card = (n: number) => ({
  kind: 'card' as const,
  card: { schema: '2.0', body: { elements: [{ tag: 'markdown', content: `#${n}` }] } },
});

describe('outbox repository', () => {
  let db: DubanDatabase;
  let outbox: OutboxRepository;
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    outbox = createOutboxRepository({ db });
  });
  afterEach(() => closeDatabase(db));

  it('enqueues the same key twice and keeps one row with the first payload', () => {
    const first = outbox.enqueue({
      items: [
        {
          key: 'prompt:1:2026-W48',
          kind: 'prompt',
          chatId: 'oc_1',
          message: card(1),
          agencyId: 1,
          cycle: '2026-W48',
        },
      ],
      now: t0,
    });
    const second = outbox.enqueue({
      items: [
        {
          key: 'prompt:1:2026-W48',
          kind: 'prompt',
          chatId: 'oc_1',
          message: card(2),
          agencyId: 1,
          cycle: '2026-W48',
        },
      ],
      now: t0,
    });
    expect(first.inserted).toEqual(['prompt:1:2026-W48']);
    expect(second.inserted).toEqual([]);
    const rows = outbox.list();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toEqual(card(1));
    expect(rows[0]?.status).toBe('pending');
  });

  it('refuses a key longer than Lark accepts as uuid', () => {
    expect(() =>
      outbox.enqueue({
        items: [{ key: 'x'.repeat(51), kind: 'prompt', chatId: 'oc_1', message: card(1) }],
        now: t0,
      }),
    ).toThrow(/1–50/);
    expect(outbox.list()).toHaveLength(0);
  });

  it('claims due rows once, in order, and leases them against a second claim', () => {
    outbox.enqueue({
      items: [1, 2, 3].map((n) => ({ key: `k${n}`, kind: 'prompt', chatId: `oc_${n}`, message: card(n) })),
      now: t0,
    });
    const claimed = outbox.claimDue({ now: t0, limit: 2, leaseMs: 60_000 });
    expect(claimed.map((r) => r.key)).toEqual(['k1', 'k2']);
    expect(claimed.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 }).map((r) => r.key)).toEqual(['k3']);
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 })).toEqual([]);
    // an expired lease means the sender died: the row is due again, as the same attempt count + 1
    const later = new Date(t0.getTime() + 61_000);
    const reclaimed = outbox.claimDue({ now: later, limit: 10, leaseMs: 60_000 });
    expect(reclaimed.map((r) => [r.key, r.attempts])).toEqual([
      ['k1', 2],
      ['k2', 2],
      ['k3', 2],
    ]);
  });

  it('releases rows a killed process left sending so they are due at once', () => {
    outbox.enqueue({ items: [{ key: 'k1', kind: 'prompt', chatId: 'oc_1', message: card(1) }], now: t0 });
    outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 });
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 })).toEqual([]);
    expect(outbox.releaseSending({ now: t0 })).toBe(1);
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 }).map((r) => r.key)).toEqual(['k1']);
  });

  it('records the message id when sent and ignores a late retry for a row already sent', () => {
    outbox.enqueue({ items: [{ key: 'k1', kind: 'prompt', chatId: 'oc_1', message: card(1) }], now: t0 });
    const [row] = outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 });
    if (!row) throw new Error('no row');
    expect(outbox.markSent({ id: row.id, messageId: 'om_1', now: t0 })).toBe(true);
    expect(outbox.markRetry({ id: row.id, error: 'late', nextAttemptAt: t0 })).toBe(false);
    const stored = outbox.findByKey('k1');
    expect(stored).toMatchObject({
      status: 'sent',
      messageId: 'om_1',
      sentAt: t0.toISOString(),
      lastError: null,
    });
    expect(outbox.counts()).toEqual({ pending: 0, sending: 0, sent: 1, failed: 0 });
    expect(outbox.nextDueAt()).toBeNull();
  });

  it('reschedules a retry and reports when it is next due, then marks failure', () => {
    outbox.enqueue({ items: [{ key: 'k1', kind: 'prompt', chatId: 'oc_1', message: card(1) }], now: t0 });
    const [row] = outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 });
    if (!row) throw new Error('no row');
    const retryAt = new Date(t0.getTime() + 2_000);
    expect(outbox.markRetry({ id: row.id, error: 'HTTP 500', nextAttemptAt: retryAt })).toBe(true);
    expect(outbox.nextDueAt()).toEqual(retryAt);
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000 })).toEqual([]);
    const [again] = outbox.claimDue({ now: retryAt, limit: 10, leaseMs: 60_000 });
    expect(again?.attempts).toBe(2);
    if (!again) throw new Error('no row');
    expect(outbox.markFailed({ id: again.id, error: 'Lark 230002' })).toBe(true);
    expect(outbox.findByKey('k1')).toMatchObject({ status: 'failed', lastError: 'Lark 230002' });
    expect(outbox.list({ status: 'failed' })).toHaveLength(1);
  });
});
