import { describe, expect, it } from 'vitest';
import { computeTrafficLight, expectedPercent, type LightTask } from '../../../src/core/progress/lights.js';
import { at } from './helpers.js';

const base: LightTask = {
  status: 'in_progress',
  percent: 50,
  dueDate: '2026-12-31',
  startDate: '2026-07-01',
  blocked: false,
};
const now = at('2026-10-01 10:00'); // 92 of 183 days: the line expects 50%

describe('traffic lights', () => {
  it('is green with its reason when the work keeps up with the elapsed-time line', () => {
    expect(expectedPercent(base, '2026-10-01')).toBe(50);
    expect(computeTrafficLight({ task: base, now })).toEqual({
      color: 'green',
      reasons: [{ code: 'on_track' }],
    });
  });

  it('turns red when overdue, counting days in Shanghai', () => {
    // 2026-12-31 23:30 UTC is already January 1 in Shanghai.
    const light = computeTrafficLight({ task: base, now: new Date('2026-12-31T17:00:00Z') });
    expect(light.color).toBe('red');
    expect(light.reasons[0]).toEqual({ code: 'overdue', days: 1 });
  });

  it('turns red when blocked, keeping the reason', () => {
    const light = computeTrafficLight({
      task: { ...base, blocked: true, blockedReason: ' 等待市财政局拨款 ' },
      now,
    });
    expect(light).toEqual({ color: 'red', reasons: [{ code: 'blocked', reason: '等待市财政局拨款' }] });
  });

  it('turns yellow when behind the elapsed-time schedule beyond the tolerance', () => {
    expect(computeTrafficLight({ task: { ...base, percent: 41 }, now }).color).toBe('green');
    expect(computeTrafficLight({ task: { ...base, percent: 39 }, now })).toEqual({
      color: 'yellow',
      reasons: [{ code: 'behind_schedule', percent: 39, expected: 50 }],
    });
    expect(computeTrafficLight({ task: { ...base, percent: 45 }, now, tolerance: 0 }).color).toBe('yellow');
  });

  it('turns yellow for no reply this cycle only when the caller says so', () => {
    expect(computeTrafficLight({ task: base, now, repliedThisCycle: false })).toEqual({
      color: 'yellow',
      reasons: [{ code: 'no_reply' }],
    });
    expect(computeTrafficLight({ task: base, now, repliedThisCycle: true }).color).toBe('green');
  });

  it('lists every reason, the one that set the color first', () => {
    const light = computeTrafficLight({
      task: { ...base, percent: 10, blocked: true, dueDate: '2026-09-30' },
      now,
      repliedThisCycle: false,
    });
    expect(light.color).toBe('red');
    expect(light.reasons.map((r) => r.code)).toEqual(['overdue', 'blocked', 'behind_schedule', 'no_reply']);
  });

  it('is green for work reported done or verified, even past its date', () => {
    for (const status of ['reported_done', 'verified'] as const) {
      expect(computeTrafficLight({ task: { ...base, status, dueDate: '2026-01-01' }, now })).toEqual({
        color: 'green',
        reasons: [{ code: 'done' }],
      });
    }
  });

  it('skips the elapsed-time rule without a start date or with a due date before the start', () => {
    expect(expectedPercent({ startDate: null, dueDate: '2026-12-31' }, '2026-10-01')).toBeNull();
    expect(expectedPercent({ startDate: '2026-12-31', dueDate: '2026-07-01' }, '2026-10-01')).toBeNull();
    expect(computeTrafficLight({ task: { ...base, percent: 0, startDate: null }, now }).color).toBe('green');
  });
});
