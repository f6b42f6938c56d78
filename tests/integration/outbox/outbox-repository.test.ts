import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository, type OutboxRepository } from '../../../src/store/outbox-repository.js';

const OWNER = 'bot#1-test';

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
    const claimed = outbox.claimDue({ now: t0, limit: 2, leaseMs: 60_000, owner: OWNER });
    expect(claimed.map((r) => r.key)).toEqual(['k1', 'k2']);
    expect(claimed.every((r) => r.status === 'sending' && r.attempts === 1)).toBe(true);
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER }).map((r) => r.key)).toEqual([
      'k3',
    ]);
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER })).toEqual([]);
    // an expired lease means the sender died: the row is due again, as the same attempt count + 1
    const later = new Date(t0.getTime() + 61_000);
    const reclaimed = outbox.claimDue({ now: later, limit: 10, leaseMs: 60_000, owner: OWNER });
    expect(reclaimed.map((r) => [r.key, r.attempts])).toEqual([
      ['k1', 2],
      ['k2', 2],
      ['k3', 2],
    ]);
  });

  it('releases the rows an earlier run of the bot left leased, and nobody else’s', () => {
    outbox.enqueue({
      items: [1, 2, 3].map((n) => ({ key: `k${n}`, kind: 'prompt', chatId: `oc_${n}`, message: card(n) })),
      now: t0,
    });
    outbox.claimDue({ now: t0, limit: 1, leaseMs: 60_000, owner: 'bot#100-dead' });
    outbox.claimDue({ now: t0, limit: 1, leaseMs: 60_000, owner: 'remind#200-live' });
    outbox.claimDue({ now: t0, limit: 1, leaseMs: 60_000, owner: OWNER });
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER })).toEqual([]);
    expect(outbox.releaseLeases({ now: t0, ownerPrefix: 'bot#', except: OWNER })).toBe(1);
    expect(outbox.findByKey('k1')).toMatchObject({ status: 'pending', leaseOwner: null });
    expect(outbox.findByKey('k2')).toMatchObject({ status: 'sending', leaseOwner: 'remind#200-live' });
    expect(outbox.findByKey('k3')).toMatchObject({ status: 'sending', leaseOwner: OWNER });
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER }).map((r) => r.key)).toEqual([
      'k1',
    ]);
  });

  it('lets only the lease owner record an outcome', () => {
    outbox.enqueue({ items: [{ key: 'k1', kind: 'prompt', chatId: 'oc_1', message: card(1) }], now: t0 });
    const [row] = outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER });
    if (!row) throw new Error('no row');
    const other = 'remind#7-cli';
    expect(outbox.markAttempt({ id: row.id, owner: other, now: t0 })).toBeUndefined();
    expect(outbox.markSent({ id: row.id, owner: other, messageId: 'om_x', now: t0 })).toBe(false);
    expect(outbox.markRetry({ id: row.id, owner: other, error: 'x', nextAttemptAt: t0 })).toBe(false);
    expect(outbox.markFailed({ id: row.id, owner: other, error: 'x' })).toBe(false);
    expect(outbox.releaseUnsent({ ids: [row.id], owner: other, now: t0 })).toBe(0);
    expect(outbox.findByKey('k1')).toMatchObject({ status: 'sending', leaseOwner: OWNER });
    expect(outbox.markSent({ id: row.id, owner: OWNER, messageId: 'om_1', now: t0 })).toBe(true);
  });

  it('keeps a row waiting between retries leased to its owner until the lease ends', () => {
    outbox.enqueue({ items: [{ key: 'k1', kind: 'prompt', chatId: 'oc_1', message: card(1) }], now: t0 });
    const [row] = outbox.claimDue({ now: t0, limit: 10, leaseMs: 600_000, owner: OWNER });
    if (!row) throw new Error('no row');
    const retryAt = new Date(t0.getTime() + 2_000);
    outbox.markRetry({ id: row.id, owner: OWNER, error: 'HTTP 502', nextAttemptAt: retryAt });
    expect(outbox.claimDue({ now: retryAt, limit: 10, leaseMs: 600_000, owner: 'remind#9' })).toEqual([]);
    const afterLease = new Date(t0.getTime() + 600_000);
    expect(
      outbox.claimDue({ now: afterLease, limit: 10, leaseMs: 600_000, owner: 'remind#9' }).map((r) => r.key),
    ).toEqual(['k1']);
  });

  it('records the first attempt once, and gives back an unsent claim without counting it', () => {
    outbox.enqueue({
      items: [1, 2].map((n) => ({ key: `k${n}`, kind: 'prompt', chatId: `oc_${n}`, message: card(n) })),
      now: t0,
    });
    const [a, b] = outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER });
    if (!a || !b) throw new Error('no rows');
    expect(outbox.markAttempt({ id: a.id, owner: OWNER, now: t0 })).toEqual({ firstAttemptAt: t0 });
    const later = new Date(t0.getTime() + 5_000);
    expect(outbox.markAttempt({ id: a.id, owner: OWNER, now: later })).toEqual({ firstAttemptAt: t0 });
    expect(outbox.releaseUnsent({ ids: [b.id], owner: OWNER, now: later })).toBe(1);
    expect(outbox.findByKey('k2')).toMatchObject({
      status: 'pending',
      attempts: 0,
      leaseOwner: null,
      firstAttemptAt: null,
      nextAttemptAt: later.toISOString(),
    });
  });

  it('records the message id when sent and ignores a late retry for a row already sent', () => {
    outbox.enqueue({ items: [{ key: 'k1', kind: 'prompt', chatId: 'oc_1', message: card(1) }], now: t0 });
    const [row] = outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER });
    if (!row) throw new Error('no row');
    expect(outbox.markSent({ id: row.id, owner: OWNER, messageId: 'om_1', now: t0 })).toBe(true);
    expect(outbox.markRetry({ id: row.id, owner: OWNER, error: 'late', nextAttemptAt: t0 })).toBe(false);
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
    const [row] = outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER });
    if (!row) throw new Error('no row');
    const retryAt = new Date(t0.getTime() + 2_000);
    expect(outbox.markRetry({ id: row.id, owner: OWNER, error: 'HTTP 500', nextAttemptAt: retryAt })).toBe(
      true,
    );
    expect(outbox.nextDueAt()).toEqual(retryAt);
    expect(outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER })).toEqual([]);
    const [again] = outbox.claimDue({ now: retryAt, limit: 10, leaseMs: 60_000, owner: OWNER });
    expect(again?.attempts).toBe(2);
    if (!again) throw new Error('no row');
    expect(outbox.markFailed({ id: again.id, owner: OWNER, error: 'Lark 230002' })).toBe(true);
    expect(outbox.findByKey('k1')).toMatchObject({ status: 'failed', lastError: 'Lark 230002' });
    expect(outbox.list({ status: 'failed' })).toHaveLength(1);
  });
  it('reads when each agency was last sent a message of a kind, counting only sent rows of that kind and cycle', () => {
    const row = (key: string, kind: 'prompt' | 'follow_up', agencyId: number, cycle: string) => ({
      key,
      kind,
      chatId: `oc_${agencyId}`,
      message: card(agencyId),
      agencyId,
      cycle,
    });
    outbox.enqueue({
      items: [
        row('f:1:w47', 'follow_up', 1, '2026-W47'),
        row('f:1:w48', 'follow_up', 1, '2026-W48'),
        row('f:2:w48', 'follow_up', 2, '2026-W48'),
        row('p:3:w48', 'prompt', 3, '2026-W48'),
      ],
      now: t0,
    });
    const later = new Date(t0.getTime() + 86_400_000);
    const sentAt: Record<string, Date> = { 'f:1:w47': t0, 'f:1:w48': later, 'p:3:w48': t0 };
    for (const claimed of outbox.claimDue({ now: t0, limit: 10, leaseMs: 60_000, owner: OWNER })) {
      const at = sentAt[claimed.key];
      if (at) outbox.markSent({ id: claimed.id, owner: OWNER, messageId: `om_${claimed.key}`, now: at });
      else outbox.markFailed({ id: claimed.id, owner: OWNER, error: 'gave up' });
    }
    // Agency 1's latest follow-up wins; agency 2's failed one does not count; a prompt is not a follow-up.
    expect(outbox.lastSentByAgency({ kind: 'follow_up' })).toEqual(new Map([[1, later]]));
    expect(outbox.lastSentByAgency({ kind: 'follow_up', cycle: '2026-W47' })).toEqual(new Map([[1, t0]]));
    expect(outbox.lastSentByAgency({ kind: 'prompt', cycle: '2026-W48' })).toEqual(new Map([[3, t0]]));
    expect(outbox.lastSentByAgency({ kind: 'prompt', cycle: '2026-W47' })).toEqual(new Map());
  });
});
