import { describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { planDueReminders } from '../../../src/core/cycles/due-reminders.js';
import { type LadderState, planEscalations } from '../../../src/core/cycles/escalation.js';
import { agency, task } from './fixtures.js';
import { at } from './helpers.js';

const calendar = createWorkingCalendar();

// Agency 1 (contact ou_c1) was prompted on Monday 2026-11-23 and followed up on Wednesday; it is silent.
function silentWeek(overrides: Partial<Parameters<typeof planEscalations>[0]> = {}) {
  return {
    now: at('2026-11-26 10:00'),
    calendar,
    agencies: [agency(1, { contactOpenId: 'ou_c1' }), agency(2), agency(9)],
    tasks: [task(10, 1), task(11, 1, { role: 'participant', leadAgencyIds: [9] }), task(20, 2)],
    ladder: new Map<number, LadderState>(),
    lastReplyAt: new Map([[1, at('2026-11-20 15:00')]]),
    followUpAt: new Map([[1, at('2026-11-25 10:00')]]),
    sentThisWeek: new Map([[1, 2]]),
    globalPause: false,
    ...overrides,
  };
}

describe('the escalation ladder', () => {
  it('after an unanswered follow-up, @-mentions the contact on the next working day, one message for all tasks', () => {
    const plan = planEscalations(silentWeek());
    expect(plan.escalations).toEqual([
      {
        key: 'escalate:1:s2:20261126',
        step: 'contact',
        agencyId: 1,
        target: { kind: 'agency_chat', agencyId: 1, chatId: 'oc_1', mentionOpenId: 'ou_c1' },
        tasks: [
          { taskId: 10, triggers: ['silent'] },
          { taskId: 11, triggers: ['silent'] },
        ],
      },
    ]);
    expect(plan.advance).toEqual([
      { taskId: 10, step: 'contact', at: at('2026-11-26 10:00') },
      { taskId: 11, step: 'contact', at: at('2026-11-26 10:00') },
    ]);
    expect(plan.stopped).toEqual([]);
  });

  it('climbs to the coordinators the day after, skipping the lead agency for a task that is not overdue', () => {
    const ladder = new Map<number, LadderState>([
      [10, { step: 'contact', at: at('2026-11-26 10:00') }],
      [11, { step: 'contact', at: at('2026-11-26 10:00') }],
    ]);
    const plan = planEscalations(silentWeek({ now: at('2026-11-27 10:00'), ladder }));
    expect(plan.escalations.map((e) => [e.key, e.step, e.target.kind, e.tasks.length])).toEqual([
      ['escalate:1:s4:20261127', 'coordinators', 'coordinators', 2],
    ]);
  });

  it('stops the moment a reply lands, and clears the ladder', () => {
    const ladder = new Map<number, LadderState>([
      [10, { step: 'contact', at: at('2026-11-26 10:00') }],
      [11, { step: 'contact', at: at('2026-11-26 10:00') }],
    ]);
    const plan = planEscalations(
      silentWeek({
        now: at('2026-11-27 10:00'),
        ladder,
        lastReplyAt: new Map([[1, at('2026-11-26 15:20')]]),
      }),
    );
    expect(plan.escalations).toEqual([]);
    expect(plan.digestItems).toEqual([]);
    expect(plan.stopped).toEqual([
      { taskId: 10, reason: 'replied' },
      { taskId: 11, reason: 'replied' },
    ]);
    // A reply between the follow-up and the first rung means the ladder never starts.
    const early = planEscalations(silentWeek({ lastReplyAt: new Map([[1, at('2026-11-25 16:00')]]) }));
    expect(early.escalations).toEqual([]);
  });

  it('does nothing on a weekend or a holiday', () => {
    expect(planEscalations(silentWeek({ now: at('2026-11-28 10:00') })).escalations).toEqual([]);
    expect(planEscalations(silentWeek({ now: at('2026-10-05 10:00') })).escalations).toEqual([]);
  });

  it('waits while the budget is spent, tells the coordinators, and does not advance', () => {
    const plan = planEscalations(silentWeek({ sentThisWeek: new Map([[1, 3]]) }));
    expect(plan.escalations).toEqual([]);
    expect(plan.advance).toEqual([]);
    expect(plan.skipped.map((s) => [s.taskId, s.reason])).toEqual([
      [10, 'budget'],
      [11, 'budget'],
    ]);
    expect(plan.notifyCoordinators).toEqual([
      {
        kind: 'budget_reached',
        agencyId: 1,
        cycle: '2026-W48',
        key: 'budget:1:2026-W48',
        deferred: 'escalation',
      },
    ]);
  });

  it('freezes while the agency or everyone is paused', () => {
    const one = planEscalations(
      silentWeek({ agencies: [agency(1, { paused: true, contactOpenId: 'ou_c1' })] }),
    );
    expect(one.escalations).toEqual([]);
    expect(one.skipped.map((s) => s.reason)).toEqual(['paused', 'paused']);
    expect(planEscalations(silentWeek({ globalPause: true })).escalations).toEqual([]);
  });

  it('takes a participant’s overdue task to the lead agency’s group, charging the lead agency', () => {
    const overdue = task(11, 1, { role: 'participant', leadAgencyIds: [9], dueDate: '2026-10-16' });
    const input = {
      calendar,
      agencies: [agency(1), agency(9)],
      tasks: [overdue],
      lastReplyAt: new Map<number, Date>(),
      followUpAt: new Map<number, Date>(),
      sentThisWeek: new Map<number, number>(),
      globalPause: false,
    };
    // Monday after the Friday due date: the group first.
    const monday = planEscalations({ ...input, now: at('2026-10-19 10:00'), ladder: new Map() });
    expect(monday.escalations.map((e) => [e.key, e.step, e.tasks])).toEqual([
      ['escalate:1:s1:20261019', 'group', [{ taskId: 11, triggers: ['overdue'] }]],
    ]);
    // No contact configured: the next rung is the lead agency, in its own group.
    const tuesday = planEscalations({
      ...input,
      now: at('2026-10-20 10:00'),
      ladder: new Map([[11, { step: 'group', at: at('2026-10-19 10:00') }]]),
      sentThisWeek: new Map([[1, 3]]),
    });
    expect(tuesday.escalations).toEqual([
      {
        key: 'escalate:1:s3:9:20261020',
        step: 'lead_agency',
        agencyId: 1,
        target: { kind: 'agency_chat', agencyId: 9, chatId: 'oc_9' },
        tasks: [{ taskId: 11, triggers: ['overdue'] }],
      },
    ]);
  });

  it('ends in the leaders’ digest and then stays quiet', () => {
    const t = task(10, 1, { dueDate: '2026-11-02' });
    const input = {
      calendar,
      agencies: [agency(1)],
      tasks: [t],
      lastReplyAt: new Map<number, Date>(),
      followUpAt: new Map<number, Date>(),
      sentThisWeek: new Map<number, number>(),
      globalPause: false,
    };
    const toDigest = planEscalations({
      ...input,
      now: at('2026-11-24 10:00'),
      ladder: new Map([[10, { step: 'coordinators', at: at('2026-11-23 10:00') }]]),
    });
    expect(toDigest.escalations).toEqual([]);
    expect(toDigest.digestItems).toEqual([{ agencyId: 1, taskId: 10, triggers: ['overdue'] }]);
    expect(toDigest.advance.map((a) => a.step)).toEqual(['digest']);
    const after = planEscalations({
      ...input,
      now: at('2026-11-30 10:00'),
      ladder: new Map([[10, { step: 'digest', at: at('2026-11-24 10:00') }]]),
    });
    expect(after.escalations).toEqual([]);
    expect(after.digestItems).toEqual([]);
  });

  it('waits the configured grace in working days, across the National Day holiday', () => {
    const t = task(10, 1, { dueDate: '2026-09-30' });
    const input = {
      calendar,
      agencies: [agency(1, { contactOpenId: 'ou_c1' })],
      tasks: [t],
      lastReplyAt: new Map<number, Date>(),
      followUpAt: new Map<number, Date>(),
      sentThisWeek: new Map<number, number>(),
      globalPause: false,
      grace: { group: 1, contact: 2 },
    };
    expect(
      planEscalations({ ...input, now: at('2026-10-08 10:00'), ladder: new Map() }).escalations.map(
        (e) => e.step,
      ),
    ).toEqual(['group']);
    const ladder = new Map([[10, { step: 'group' as const, at: at('2026-10-08 10:00') }]]);
    expect(planEscalations({ ...input, now: at('2026-10-09 10:00'), ladder }).escalations).toEqual([]);
    // Saturday October 10 is a make-up working day: two working days have passed.
    expect(
      planEscalations({ ...input, now: at('2026-10-10 10:00'), ladder }).escalations.map((e) => e.key),
    ).toEqual(['escalate:1:s2:20261010']);
  });

  it('clears the ladder of a task that no longer needs it', () => {
    const plan = planEscalations(
      silentWeek({
        tasks: [task(10, 1, { status: 'verified' })],
        ladder: new Map([[10, { step: 'contact', at: at('2026-11-26 10:00') }]]),
        now: at('2026-11-27 10:00'),
      }),
    );
    expect(plan.stopped).toEqual([{ taskId: 10, reason: 'resolved' }]);
    expect(plan.escalations).toEqual([]);
  });
});

describe('due-date reminders', () => {
  const input = {
    calendar,
    agencies: [agency(1), agency(2)],
    tasks: [
      task(10, 1, { dueDate: '2026-10-16' }),
      task(11, 1, { dueDate: '2026-10-08' }),
      task(12, 1, { dueDate: '2026-10-16', status: 'reported_done' }),
      task(20, 2, { dueDate: '2026-10-16' }),
    ],
    sentThisWeek: new Map<number, number>(),
    globalPause: false,
  };
  const remindersOn = (date: string) =>
    planDueReminders({ ...input, now: at(`${date} 09:00`) }).reminders.map((r) => [
      r.key,
      r.items.map((i) => [i.taskId, i.workingDaysLeft]),
    ]);

  it('reminds 5 and 1 working days before the due date, counting the make-up Saturday and skipping the holiday', () => {
    // Due Friday 2026-10-16: 5 working days before is Saturday October 10 (a make-up day), 1 is October 15.
    expect(remindersOn('2026-10-10')).toEqual([
      ['due:1:20261010', [[10, 5]]],
      ['due:2:20261010', [[20, 5]]],
    ]);
    expect(remindersOn('2026-10-15')).toEqual([
      ['due:1:20261015', [[10, 1]]],
      ['due:2:20261015', [[20, 1]]],
    ]);
    // Due Thursday October 8: 1 working day before is September 30, 5 is September 23 (Mid-Autumn in between).
    expect(remindersOn('2026-09-30')).toEqual([['due:1:20260930', [[11, 1]]]]);
    expect(remindersOn('2026-09-23')).toEqual([['due:1:20260923', [[11, 5]]]]);
  });

  it('sends nothing on other days, on holidays, or for work reported done', () => {
    for (const date of ['2026-10-09', '2026-10-12', '2026-10-01', '2026-10-11', '2026-09-24']) {
      expect(remindersOn(date), date).toEqual([]);
    }
  });

  it('respects pause and budget', () => {
    const paused = planDueReminders({
      ...input,
      now: at('2026-10-15 09:00'),
      agencies: [agency(1, { paused: true }), agency(2)],
    });
    expect(paused.reminders.map((r) => r.agencyId)).toEqual([2]);
    expect(paused.skipped).toEqual([{ agencyId: 1, reason: 'paused' }]);
    const spent = planDueReminders({
      ...input,
      now: at('2026-10-15 09:00'),
      sentThisWeek: new Map([[2, 3]]),
    });
    expect(spent.reminders.map((r) => r.agencyId)).toEqual([1]);
    expect(spent.notifyCoordinators.map((n) => n.key)).toEqual(['budget:2:2026-W42']);
  });
});
