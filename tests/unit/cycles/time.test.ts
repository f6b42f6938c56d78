import { describe, expect, it } from 'vitest';
import { cycleBounds, cycleOf } from '../../../src/core/cycles/cycle.js';
import { compactDate, MAX_KEY_LENGTH, outboxKey } from '../../../src/core/cycles/keys.js';
import { isoWeekOf, isoWeekStart, shanghaiParts } from '../../../src/core/cycles/time.js';
import { at } from './helpers.js';

describe('Shanghai time and cycles', () => {
  it('reads an instant in Shanghai whatever the host zone is', () => {
    expect(process.env.TZ).toBe('UTC');
    const parts = shanghaiParts(new Date('2026-11-22T16:30:00Z'));
    expect(parts).toMatchObject({ date: '2026-11-23', hour: 0, minute: 30, weekday: 1 });
    expect(at('2026-11-23 09:30').toISOString()).toBe('2026-11-23T01:30:00.000Z');
  });

  it('names the cycle by the ISO week of the Shanghai date', () => {
    expect(cycleOf(at('2026-11-23 09:30'))).toBe('2026-W48');
    // Sunday 23:59 in Shanghai is still the old week, though UTC is the same day.
    expect(cycleOf(at('2026-11-29 23:59'))).toBe('2026-W48');
    expect(cycleOf(at('2026-11-30 00:00'))).toBe('2026-W49');
    // Monday 07:00 in Shanghai is Sunday in UTC: the Shanghai week counts.
    expect(cycleOf(at('2026-11-30 07:00'))).toBe('2026-W49');
  });

  it('handles ISO weeks that straddle new year', () => {
    expect(isoWeekOf('2026-01-01')).toBe('2026-W01');
    expect(isoWeekOf('2026-12-31')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-03')).toBe('2026-W53');
    expect(isoWeekOf('2027-01-04')).toBe('2027-W01');
    expect(isoWeekStart('2026-W01')).toBe('2025-12-29');
    expect(isoWeekStart('2026-W48')).toBe('2026-11-23');
    expect(() => isoWeekStart('2027-W53')).toThrow(/does not exist/);
  });

  it('gives a cycle its Monday-to-Monday span in Shanghai', () => {
    const { start, end } = cycleBounds('2026-W48');
    expect(start.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(end.toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });

  it('builds outbox keys that fit Lark’s 50-character uuid, stable for the same parts', () => {
    expect(outboxKey('prompt', 12, '2026-W48')).toBe('prompt:12:2026-W48');
    expect(compactDate('2026-10-08')).toBe('20261008');
    const long = outboxKey('escalate', 'agency-with-a-very-long-identifier-000000000001', 's2', '20261008');
    expect(long.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
    expect(long).toBe(
      outboxKey('escalate', 'agency-with-a-very-long-identifier-000000000001', 's2', '20261008'),
    );
    expect(long).not.toBe(
      outboxKey('escalate', 'agency-with-a-very-long-identifier-000000000002', 's2', '20261008'),
    );
  });
});
