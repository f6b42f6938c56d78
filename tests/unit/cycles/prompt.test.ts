import { describe, expect, it } from 'vitest';
import { createBudgetTracker } from '../../../src/core/cycles/budget.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { cycleOf } from '../../../src/core/cycles/cycle.js';
import { planFollowUps } from '../../../src/core/cycles/follow-ups.js';
import { planPromptCycle } from '../../../src/core/cycles/prompt.js';
import { agency, task } from './fixtures.js';
import { at } from './helpers.js';

const calendar = createWorkingCalendar();
const now = at('2026-11-23 09:30');
const cycle = cycleOf(now);

function base() {
  return {
    now,
    cycle,
    agencies: [agency(1), agency(2), agency(3)],
    tasks: [task(10, 1), task(11, 1, { articleNo: 2 }), task(20, 2)],
    repliesThisCycle: new Set<number>(),
    sentThisWeek: new Map<number, number>(),
    globalPause: false,
    calendar,
  };
}

describe('planning the weekly prompt', () => {
  it('sends one card per agency with open tasks and nothing to an agency without any', () => {
    const plan = planPromptCycle(base());
    expect(plan.prompts).toEqual([
      { agencyId: 1, chatId: 'oc_1', key: 'prompt:1:2026-W48', cycle: '2026-W48', taskIds: [11, 10] },
      { agencyId: 2, chatId: 'oc_2', key: 'prompt:2:2026-W48', cycle: '2026-W48', taskIds: [20] },
    ]);
    expect(plan.skipped).toEqual([{ agencyId: 3, reason: 'no_open_tasks' }]);
    expect(plan.notifyCoordinators).toEqual([]);
  });

  it('leaves out tasks reported done or verified', () => {
    const plan = planPromptCycle({
      ...base(),
      tasks: [
        task(10, 1, { status: 'reported_done' }),
        task(11, 1, { status: 'verified' }),
        task(20, 2, { status: 'returned' }),
      ],
    });
    expect(plan.prompts.map((p) => [p.agencyId, p.taskIds])).toEqual([[2, [20]]]);
    expect(plan.skipped).toContainEqual({ agencyId: 1, reason: 'no_open_tasks' });
  });

  it('skips a paused agency, and everyone under a global pause', () => {
    const one = planPromptCycle({ ...base(), agencies: [agency(1, { paused: true }), agency(2)] });
    expect(one.prompts.map((p) => p.agencyId)).toEqual([2]);
    expect(one.skipped).toContainEqual({ agencyId: 1, reason: 'paused' });
    const all = planPromptCycle({ ...base(), globalPause: true });
    expect(all.prompts).toEqual([]);
    expect(all.skipped.map((s) => s.reason)).toEqual(['paused', 'paused', 'paused']);
    expect(all.notifyCoordinators).toEqual([]);
  });

  it('holds the card when the weekly budget is spent, and tells the coordinators once', () => {
    const plan = planPromptCycle({ ...base(), sentThisWeek: new Map([[1, 3]]) });
    expect(plan.prompts.map((p) => p.agencyId)).toEqual([2]);
    expect(plan.skipped).toContainEqual({ agencyId: 1, reason: 'budget' });
    expect(plan.notifyCoordinators).toEqual([
      {
        kind: 'budget_reached',
        agencyId: 1,
        cycle: '2026-W48',
        key: 'budget:1:2026-W48',
        deferred: 'prompt',
      },
    ]);
    // A smaller configured budget counts too.
    expect(
      planPromptCycle({ ...base(), budget: 1, sentThisWeek: new Map([[2, 1]]) }).prompts.map(
        (p) => p.agencyId,
      ),
    ).toEqual([1]);
  });

  it('tells the coordinators about an agency with open tasks but no bound group', () => {
    const plan = planPromptCycle({ ...base(), agencies: [agency(1, { chatId: null }), agency(2)] });
    expect(plan.skipped).toContainEqual({ agencyId: 1, reason: 'no_chat' });
    expect(plan.notifyCoordinators).toEqual([
      { kind: 'no_chat', agencyId: 1, cycle: '2026-W48', key: 'nochat:1:2026-W48' },
    ]);
  });

  it('does not ask twice: a re-plan skips cards already written and agencies that already answered', () => {
    const plan = planPromptCycle({
      ...base(),
      alreadyPlanned: new Set(['prompt:1:2026-W48']),
      repliesThisCycle: new Set([2]),
      sentThisWeek: new Map([[1, 3]]),
    });
    expect(plan.prompts).toEqual([]);
    expect(plan.skipped).toEqual([
      { agencyId: 1, reason: 'already_planned' },
      { agencyId: 2, reason: 'already_replied' },
      { agencyId: 3, reason: 'no_open_tasks' },
    ]);
    expect(plan.notifyCoordinators).toEqual([]);
  });

  it('plans nothing on a Sunday or during the National Day holiday, and a card on a 调休 Saturday', () => {
    for (const day of ['2026-11-22 09:30', '2026-10-05 09:30']) {
      const plan = planPromptCycle({ ...base(), now: at(day), cycle: cycleOf(at(day)) });
      expect(plan.prompts).toEqual([]);
      expect(plan.skipped.map((s) => s.reason)).toEqual([
        'not_working_day',
        'not_working_day',
        'not_working_day',
      ]);
      expect(plan.notifyCoordinators).toEqual([]);
    }
    // Saturday 2026-10-10 is a make-up working day after the National Day holiday.
    const saturday = at('2026-10-10 09:30');
    expect(
      planPromptCycle({ ...base(), now: saturday, cycle: cycleOf(saturday) }).prompts.map((p) => p.agencyId),
    ).toEqual([1, 2]);
  });

  it('sets aside the day, the pauses and the budget when forced, naming each, but never sends twice', () => {
    const sunday = at('2026-11-22 09:30');
    const plan = planPromptCycle({
      ...base(),
      now: sunday,
      agencies: [agency(1, { paused: true }), agency(2), agency(3)],
      sentThisWeek: new Map([[2, 3]]),
      alreadyPlanned: new Set(['prompt:3:2026-W48']),
      tasks: [task(10, 1), task(20, 2), task(30, 3)],
      force: true,
    });
    expect(plan.prompts.map((p) => [p.agencyId, p.overridden])).toEqual([
      [1, ['not_working_day', 'paused']],
      [2, ['not_working_day', 'budget']],
    ]);
    expect(plan.skipped).toEqual([{ agencyId: 3, reason: 'already_planned' }]);
    // A forced card that broke no rule says nothing was set aside.
    expect(planPromptCycle({ ...base(), force: true }).prompts[0]).not.toHaveProperty('overridden');
    expect(planPromptCycle({ ...base(), globalPause: true, force: true }).prompts).toHaveLength(2);
  });

  it('plans one card even if the agency list repeats an agency', () => {
    const plan = planPromptCycle({ ...base(), agencies: [agency(1), agency(1)] });
    expect(plan.prompts.map((p) => p.key)).toEqual(['prompt:1:2026-W48']);
  });
});

describe('planning follow-ups', () => {
  const wednesday = at('2026-11-25 10:00');
  function followUpInput() {
    return {
      ...base(),
      now: wednesday,
      calendar,
      agencies: [agency(1, { contactOpenId: 'ou_contact1' }), agency(2), agency(3)],
      tasks: [task(10, 1), task(20, 2), task(30, 3)],
      promptedThisCycle: new Map([
        [1, now],
        [2, now],
      ]),
    };
  }

  it('follows up only agencies that were prompted and have not answered, mentioning the contact', () => {
    const plan = planFollowUps({ ...followUpInput(), repliesThisCycle: new Set([2]) });
    expect(plan.followUps).toEqual([
      {
        agencyId: 1,
        chatId: 'oc_1',
        key: 'followup:1:2026-W48',
        cycle: '2026-W48',
        mentionOpenId: 'ou_contact1',
        taskIds: [10],
      },
    ]);
    expect(plan.skipped).toEqual([
      { agencyId: 2, reason: 'replied' },
      { agencyId: 3, reason: 'not_prompted' },
    ]);
  });

  it('has no mention when the agency has no contact', () => {
    const plan = planFollowUps({ ...followUpInput(), repliesThisCycle: new Set([1]) });
    expect(plan.followUps).toHaveLength(1);
    expect(plan.followUps[0]).not.toHaveProperty('mentionOpenId');
  });

  it('respects the budget and pauses', () => {
    const plan = planFollowUps({
      ...followUpInput(),
      sentThisWeek: new Map([[1, 3]]),
      agencies: [agency(1), agency(2, { paused: true })],
    });
    expect(plan.followUps).toEqual([]);
    expect(plan.skipped).toEqual([
      { agencyId: 1, reason: 'budget' },
      { agencyId: 2, reason: 'paused' },
    ]);
    expect(plan.notifyCoordinators.map((n) => [n.kind, n.key])).toEqual([
      ['budget_reached', 'budget:1:2026-W48'],
    ]);
    expect(planFollowUps({ ...followUpInput(), globalPause: true }).followUps).toEqual([]);
  });

  it('waits a working day after a prompt that the holiday moved close to it', () => {
    // National Day week: the Monday prompt and the Wednesday follow-up both land on Thursday October 8.
    const prompted = at('2026-10-08 09:30');
    const plan = planFollowUps({
      ...followUpInput(),
      now: at('2026-10-08 10:00'),
      cycle: '2026-W41',
      promptedThisCycle: new Map([[1, prompted]]),
      agencies: [agency(1)],
    });
    expect(plan.followUps).toEqual([]);
    expect(plan.skipped).toEqual([{ agencyId: 1, reason: 'too_soon' }]);
    const friday = planFollowUps({
      ...followUpInput(),
      now: at('2026-10-09 10:00'),
      cycle: '2026-W41',
      promptedThisCycle: new Map([[1, prompted]]),
      agencies: [agency(1)],
    });
    expect(friday.followUps.map((f) => f.key)).toEqual(['followup:1:2026-W41']);
  });
});

describe('the weekly budget', () => {
  it('counts what was sent this week plus what this plan charges', () => {
    const budget = createBudgetTracker({ sentThisWeek: new Map([[1, 1]]) });
    expect(budget.remaining(1)).toBe(2);
    expect(budget.tryCharge(1)).toBe(true);
    expect(budget.tryCharge(1)).toBe(true);
    expect(budget.tryCharge(1)).toBe(false);
    expect(budget.remaining(1)).toBe(0);
    expect(budget.charged()).toEqual(new Map([[1, 2]]));
  });
});
