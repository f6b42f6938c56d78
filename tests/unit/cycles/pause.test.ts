import { describe, expect, it } from 'vitest';
import { pauseInEffect } from '../../../src/core/cycles/pause.js';

describe('pauseInEffect', () => {
  it.each([
    { case: 'not paused', paused: false, pausedUntil: null, today: '2026-10-05', expected: false },
    {
      case: 'not paused, a stale end date',
      paused: false,
      pausedUntil: '2026-10-08',
      today: '2026-10-05',
      expected: false,
    },
    { case: 'paused until resumed', paused: true, pausedUntil: null, today: '2030-01-01', expected: true },
    {
      case: 'paused, before the end date',
      paused: true,
      pausedUntil: '2026-10-08',
      today: '2026-10-01',
      expected: true,
    },
    {
      case: 'paused, on the end date (inclusive)',
      paused: true,
      pausedUntil: '2026-10-08',
      today: '2026-10-08',
      expected: true,
    },
    {
      case: 'paused, the day after the end date',
      paused: true,
      pausedUntil: '2026-10-08',
      today: '2026-10-09',
      expected: false,
    },
    {
      case: 'paused, across a month end',
      paused: true,
      pausedUntil: '2026-09-30',
      today: '2026-10-01',
      expected: false,
    },
    {
      case: 'paused, across a year end',
      paused: true,
      pausedUntil: '2026-12-31',
      today: '2027-01-01',
      expected: false,
    },
  ])('is $expected when $case', ({ paused, pausedUntil, today, expected }) => {
    expect(pauseInEffect({ paused, pausedUntil }, today)).toBe(expected);
  });
});
