import { describe, expect, it } from 'vitest';
import { planSilentParticipants } from '../../../src/core/cycles/silent-participants.js';
import type { PlanTask } from '../../../src/core/cycles/types.js';
import { agency, task } from './fixtures.js';

// Cycle 2026-W48 starts Monday 2026-11-23 00:00 Shanghai (2026-11-22T16:00Z); W47 a week before.
const W46 = '2026-W46';
const W47 = '2026-W47';
const W48 = '2026-W48';
const LEAD = 1;
const PART = 2;

const participant = (over: Partial<PlanTask> = {}) =>
  task(20, PART, {
    articleNo: 5,
    articleTitle: '加大财政科技投入',
    role: 'participant',
    leadAgencyIds: [LEAD],
    ...over,
  });

interface Row {
  name: string;
  prompted: string[];
  lastReportAt: string | null;
  over?: Partial<PlanTask>;
  lead?: Parameters<typeof agency>[1];
  sentThisWeek?: number;
  globalPause?: boolean;
  alreadyPlanned?: boolean;
  expected: 'flag' | 'none' | 'paused' | 'no_chat' | 'budget' | 'already_planned';
}

const table: Row[] = [
  {
    name: 'silent through its last two prompt cycles',
    prompted: [W47, W48],
    lastReportAt: null,
    expected: 'flag',
  },
  {
    name: 'last heard before the older of its last two prompted cycles',
    prompted: [W46, W47, W48],
    lastReportAt: '2026-11-10T02:00:00Z',
    expected: 'flag',
  },
  { name: 'prompted only once so far', prompted: [W48], lastReportAt: null, expected: 'none' },
  {
    name: 'answered (a report or no change) in the older of the two cycles',
    prompted: [W47, W48],
    lastReportAt: '2026-11-17T02:00:00Z',
    expected: 'none',
  },
  {
    name: 'answered this cycle',
    prompted: [W47, W48],
    lastReportAt: '2026-11-23T02:00:00Z',
    expected: 'none',
  },
  {
    name: 'not prompted last week (paused, holiday): the two cycles are its own',
    prompted: [W46, W48],
    lastReportAt: '2026-11-17T02:00:00Z',
    expected: 'none',
  },
  {
    name: 'reported done: nothing is owed',
    prompted: [W47, W48],
    lastReportAt: null,
    over: { status: 'reported_done' },
    expected: 'none',
  },
  {
    name: 'a prompt of a later cycle does not count yet',
    prompted: [W48, '2026-W49'],
    lastReportAt: null,
    expected: 'none',
  },
  {
    name: 'the lead is paused',
    prompted: [W47, W48],
    lastReportAt: null,
    lead: { paused: true },
    expected: 'paused',
  },
  {
    name: 'everything is paused',
    prompted: [W47, W48],
    lastReportAt: null,
    globalPause: true,
    expected: 'paused',
  },
  {
    name: 'the lead has no group',
    prompted: [W47, W48],
    lastReportAt: null,
    lead: { chatId: null },
    expected: 'no_chat',
  },
  {
    name: "the lead's weekly budget is spent",
    prompted: [W47, W48],
    lastReportAt: null,
    sentThisWeek: 3,
    expected: 'budget',
  },
  {
    name: 'already flagged this cycle',
    prompted: [W47, W48],
    lastReportAt: null,
    alreadyPlanned: true,
    expected: 'already_planned',
  },
];

describe('planSilentParticipants', () => {
  it.each(table)('$name → $expected', (row) => {
    const plan = planSilentParticipants({
      cycle: W48,
      agencies: [agency(LEAD, row.lead ?? {}), agency(PART)],
      tasks: [
        task(10, LEAD, { articleNo: 5, articleTitle: '加大财政科技投入' }),
        participant({
          lastReportAt: row.lastReportAt === null ? null : new Date(row.lastReportAt),
          ...row.over,
        }),
      ],
      promptedCycles: new Map([[PART, row.prompted]]),
      sentThisWeek: new Map([[LEAD, row.sentThisWeek ?? 0]]),
      globalPause: row.globalPause ?? false,
      alreadyPlanned: new Set(row.alreadyPlanned ? ['silent:1:2026-W48'] : []),
    });
    if (row.expected === 'flag') {
      expect(plan.flags).toEqual([
        {
          leadAgencyId: LEAD,
          chatId: 'oc_1',
          key: 'silent:1:2026-W48',
          cycle: W48,
          articles: [{ articleNo: 5, articleTitle: '加大财政科技投入', agencyIds: [PART], taskIds: [20] }],
        },
      ]);
      expect(plan.skipped).toEqual([]);
    } else if (row.expected === 'none') {
      expect(plan).toEqual({ flags: [], skipped: [], notifyCoordinators: [] });
    } else {
      expect(plan.flags).toEqual([]);
      expect(plan.skipped).toEqual([{ agencyId: LEAD, reason: row.expected }]);
    }
    if (row.expected === 'budget')
      expect(plan.notifyCoordinators).toMatchObject([
        { kind: 'budget_reached', deferred: 'silent_participants' },
      ]);
  });

  it('sends one message per lead agency listing every silent participant of every article it leads', () => {
    const plan = planSilentParticipants({
      cycle: W48,
      agencies: [agency(1), agency(2), agency(3), agency(4)],
      tasks: [
        task(21, 3, { articleNo: 7, role: 'participant', leadAgencyIds: [1] }),
        task(22, 2, { articleNo: 7, role: 'participant', leadAgencyIds: [1] }),
        task(23, 2, { articleNo: 3, role: 'participant', leadAgencyIds: [1, 4] }),
      ],
      promptedCycles: new Map([
        [2, [W47, W48]],
        [3, [W47, W48]],
      ]),
      sentThisWeek: new Map(),
      globalPause: false,
    });
    expect(
      plan.flags.map((f) => [f.leadAgencyId, f.articles.map((a) => [a.articleNo, a.agencyIds])]),
    ).toEqual([
      [
        1,
        [
          [3, [2]],
          [7, [2, 3]],
        ],
      ],
      [4, [[3, [2]]]],
    ]);
  });
});
