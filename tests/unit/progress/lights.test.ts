import { describe, expect, it } from 'vitest';
import {
  computeTrafficLight,
  effectiveDueDate,
  type LightCycle,
  type LightReport,
  type LightTask,
  periodBounds,
  type TrafficLight,
} from '../../../src/core/progress/lights.js';
import { describeLight } from '../../../src/core/render/prompt-card-lights.js';
import { at } from '../cycles/helpers.js';

// Thursday 1 October 2026, 10:00 in Shanghai. From 1 July to 31 December is 183 days, 92 of them
// gone: the elapsed-time line expects 50%.
const now = at('2026-10-01 10:00');
// This week's cycle began on Monday 28 September at 09:30.
const cycle: LightCycle = { start: at('2026-09-28 09:30') };

const base: LightTask = {
  status: 'in_progress',
  percent: 50,
  dueDate: '2026-12-31',
  dueKind: 'date',
  startDate: '2026-07-01',
  blocked: false,
};

function report(local: string, over: Partial<LightReport> = {}): LightReport {
  return { at: at(local).toISOString(), status: 'in_progress', percent: 50, blocked: false, ...over };
}

interface Case {
  name: string;
  task: Partial<LightTask>;
  reports?: LightReport[];
  cycle?: LightCycle;
  repliedThisCycle?: boolean;
  expected: TrafficLight;
}

const cases: Case[] = [
  // --- green ---------------------------------------------------------------------------------
  { name: 'keeps up with the elapsed-time line', task: {}, expected: green('on_track') },
  {
    name: 'trails the line within the tolerance (41% of 50%)',
    task: { percent: 41 },
    expected: green('on_track'),
  },
  {
    name: 'answered this cycle, read from its reports',
    task: {},
    reports: [report('2026-09-29 15:00')],
    cycle,
    expected: green('on_track'),
  },
  {
    name: 'is verified, even past its date',
    task: { status: 'verified', dueDate: '2026-01-01' },
    expected: green('done'),
  },
  {
    name: 'was reported done late, before this cycle began',
    task: { status: 'reported_done', dueDate: '2026-09-20' },
    reports: [report('2026-09-25 10:00', { status: 'reported_done', percent: 100 })],
    cycle,
    expected: green('done'),
  },
  {
    name: 'is ongoing work (长期坚持) without blockers',
    task: { dueKind: 'ongoing', dueDate: null },
    expected: green('ongoing'),
  },
  {
    name: 'is ongoing work however little is reported: no schedule applies',
    task: { dueKind: 'ongoing', dueDate: null, percent: 0 },
    expected: green('ongoing'),
  },
  {
    name: 'is a quarterly report with no schedule line, answered last quarter',
    task: { dueKind: 'recurring', dueEvery: 'quarter', dueDate: null, percent: 0, startDate: '2026-04-01' },
    reports: [report('2026-08-10 10:00')],
    expected: green('on_track'),
  },
  {
    name: 'is a quarterly report that began during last quarter: nothing was owed then',
    task: { dueKind: 'recurring', dueEvery: 'quarter', dueDate: null, startDate: '2026-08-01' },
    reports: [],
    expected: green('on_track'),
  },

  // --- red -----------------------------------------------------------------------------------
  {
    name: 'is past its due date',
    task: { dueDate: '2026-09-28', percent: 95 },
    expected: { color: 'red', reasons: [{ code: 'overdue', days: 3 }] },
  },
  {
    name: 'is blocked, keeping the reason without its blanks',
    task: { blocked: true, blockedReason: ' 等待市财政局拨款 ' },
    expected: { color: 'red', reasons: [{ code: 'blocked', reason: '等待市财政局拨款' }] },
  },
  {
    name: 'is ongoing work that is blocked',
    task: { dueKind: 'ongoing', dueDate: null, blocked: true },
    expected: { color: 'red', reasons: [{ code: 'blocked', reason: null }] },
  },
  {
    name: 'is a quarterly report with nothing reported all last quarter (due 30 September)',
    task: { dueKind: 'recurring', dueEvery: 'quarter', dueDate: null, startDate: '2026-04-01' },
    reports: [report('2026-06-15 10:00')],
    expected: { color: 'red', reasons: [{ code: 'overdue', days: 1 }] },
  },
  {
    name: 'is still overdue although it answered this cycle: answering is not finishing',
    task: { dueDate: '2026-09-25', percent: 90 },
    reports: [report('2026-09-29 10:00', { percent: 90 })],
    cycle,
    expected: { color: 'red', reasons: [{ code: 'overdue', days: 6 }] },
  },
  {
    name: 'lists every reason, the one that set the color first',
    task: { percent: 10, blocked: true, dueDate: '2026-09-30' },
    repliedThisCycle: false,
    expected: {
      color: 'red',
      reasons: [
        { code: 'overdue', days: 1 },
        { code: 'blocked', reason: null },
        { code: 'behind_schedule', percent: 10, expected: 100 },
        { code: 'no_reply' },
      ],
    },
  },

  // --- yellow --------------------------------------------------------------------------------
  {
    name: 'trails the elapsed-time line by more than the tolerance',
    task: { percent: 39 },
    expected: { color: 'yellow', reasons: [{ code: 'behind_schedule', percent: 39, expected: 50 }] },
  },
  {
    name: 'has no answer this cycle, as the caller says',
    task: {},
    repliedThisCycle: false,
    expected: { color: 'yellow', reasons: [{ code: 'no_reply' }] },
  },
  {
    name: 'has no answer this cycle, read from its reports (the last came before Monday)',
    task: {},
    reports: [report('2026-09-21 10:00')],
    cycle,
    expected: { color: 'yellow', reasons: [{ code: 'no_reply' }] },
  },
  {
    name: 'is ongoing work without an answer this cycle',
    task: { dueKind: 'ongoing', dueDate: null },
    reports: [],
    cycle,
    expected: { color: 'yellow', reasons: [{ code: 'no_reply' }] },
  },
  {
    name: 'has no due date: the decision named none (未设截止)',
    task: { dueKind: null, dueDate: null },
    expected: { color: 'yellow', reasons: [{ code: 'no_due_date' }] },
  },
  {
    name: 'has no due date and says nothing of its kind (a caller that predates dueKind)',
    task: { dueKind: undefined, dueDate: null, startDate: null },
    expected: { color: 'yellow', reasons: [{ code: 'no_due_date' }] },
  },
  {
    name: 'was overdue when the cycle began and was reported done since: made up, not green',
    task: { status: 'reported_done', percent: 100, dueDate: '2026-09-25' },
    reports: [
      report('2026-09-21 10:00', { percent: 80 }),
      report('2026-09-30 16:00', { status: 'reported_done', percent: 100 }),
    ],
    cycle,
    expected: { color: 'yellow', reasons: [{ code: 'recovered', was: ['overdue'] }] },
  },
  {
    name: 'was blocked when the cycle began and is unblocked since',
    task: {},
    reports: [report('2026-09-22 10:00', { blocked: true }), report('2026-09-29 10:00')],
    cycle,
    expected: { color: 'yellow', reasons: [{ code: 'recovered', was: ['blocked'] }] },
  },
  {
    name: 'made up a missed quarterly report this cycle',
    task: { dueKind: 'recurring', dueEvery: 'quarter', dueDate: null, startDate: '2026-04-01' },
    reports: [report('2026-06-15 10:00'), report('2026-10-01 09:30')],
    cycle: { start: at('2026-10-01 09:00') },
    expected: { color: 'yellow', reasons: [{ code: 'recovered', was: ['overdue'] }] },
  },
];

function green(code: 'on_track' | 'done' | 'ongoing'): TrafficLight {
  return { color: 'green', reasons: [{ code }] };
}

describe('traffic lights on a table of cases', () => {
  it.each(cases.map((c) => [c.name, c] as const))('a task that %s', (_name, c) => {
    const light = computeTrafficLight({
      task: { ...base, ...c.task },
      now,
      ...(c.reports === undefined ? {} : { reports: c.reports }),
      ...(c.cycle === undefined ? {} : { cycle: c.cycle }),
      ...(c.repliedThisCycle === undefined ? {} : { repliedThisCycle: c.repliedThisCycle }),
    });
    expect(light).toEqual(c.expected);
  });

  it('turns a made-up red green once the next cycle begins', () => {
    const task: LightTask = { ...base, status: 'reported_done', percent: 100, dueDate: '2026-09-25' };
    const reports = [report('2026-09-30 16:00', { status: 'reported_done', percent: 100 })];
    const nextCycle = { start: at('2026-10-05 09:30') };
    expect(computeTrafficLight({ task, now: at('2026-10-06 10:00'), reports, cycle: nextCycle })).toEqual(
      green('done'),
    );
  });
});

describe('the due date in force', () => {
  it('is the end of the current month, quarter, half-year or year for a recurring report', () => {
    const recurring = (dueEvery: LightTask['dueEvery']) => ({
      dueKind: 'recurring' as const,
      dueEvery,
      dueDate: null,
    });
    expect(effectiveDueDate(recurring('month'), '2028-02-10')).toBe('2028-02-29');
    expect(effectiveDueDate(recurring('quarter'), '2026-10-01')).toBe('2026-12-31');
    expect(effectiveDueDate(recurring('quarter'), '2026-05-31')).toBe('2026-06-30');
    expect(effectiveDueDate(recurring('half-year'), '2026-03-15')).toBe('2026-06-30');
    expect(effectiveDueDate(recurring('half-year'), '2026-07-01')).toBe('2026-12-31');
    expect(effectiveDueDate(recurring('year'), '2026-07-01')).toBe('2026-12-31');
  });

  it('follows Shanghai across the new year: 17:00 UTC on 31 December is already the next quarter', () => {
    const task = { ...base, dueKind: 'recurring' as const, dueEvery: 'quarter' as const, dueDate: null };
    const light = computeTrafficLight({ task, now: new Date('2026-12-31T17:00:00Z') });
    expect(light.color).toBe('green');
    expect(effectiveDueDate(task, '2027-01-01')).toBe('2027-03-31');
  });

  it('is the written date, and none for ongoing work or a task the decision gave no deadline', () => {
    expect(effectiveDueDate({ dueKind: 'date', dueDate: '2026-06-30' }, '2026-01-01')).toBe('2026-06-30');
    expect(effectiveDueDate({ dueKind: 'ongoing', dueDate: null }, '2026-01-01')).toBeNull();
    expect(effectiveDueDate({ dueKind: null, dueDate: null }, '2026-01-01')).toBeNull();
  });

  it('bounds periods on calendar months', () => {
    expect(periodBounds('2026-11-15', 'quarter')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    expect(periodBounds('2026-01-01', 'month')).toEqual({ start: '2026-01-01', end: '2026-01-31' });
  });
});

describe('the words of a light', () => {
  it('names every new reason in Chinese and in English', () => {
    const made: TrafficLight = {
      color: 'yellow',
      reasons: [{ code: 'recovered', was: ['overdue', 'blocked'] }],
    };
    expect(describeLight(made)).toEqual({ name: '黄灯', reason: '本周期内已补正（此前逾期、受阻）' });
    expect(describeLight(made, 'en-US')).toEqual({
      name: 'yellow',
      reason: 'made up this cycle (was overdue and blocked)',
    });
    const unset: TrafficLight = { color: 'yellow', reasons: [{ code: 'no_due_date' }, { code: 'no_reply' }] };
    expect(describeLight(unset).reason).toBe('未设截止；本周期尚未报送进展');
    expect(describeLight({ color: 'green', reasons: [{ code: 'ongoing' }] }, 'en-US').reason).toBe(
      'ongoing work, on track',
    );
  });
});
