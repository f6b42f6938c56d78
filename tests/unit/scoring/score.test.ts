import { describe, expect, it } from 'vitest';
import { parseScorePeriod, previousScorePeriod, scorePeriodOf } from '../../../src/core/scoring/period.js';
import { defaultScoringRules, scoringRulesSchema } from '../../../src/core/scoring/rules.js';
import { computeScores, type ScoreFact } from '../../../src/core/scoring/score.js';

const KEJI = { agencyId: 1, agency: '市科技局' };
const CAIZHENG = { agencyId: 2, agency: '市财政局' };

/**
 * A small quarter, 2026-Q4 (1 October – 31 December, Shanghai dates), under the default rules.
 *
 * 市科技局
 *   #109 verified, participant, reported done 28 Sep with no due date: on time      +5
 *        (the event is 30 Sep 17:00 UTC = 1 Oct 01:00 in Shanghai: inside Q4)
 *   #101 verified, lead, reported done 10 Oct, due 31 Oct: on time                  +10
 *   #103 returned, lead                                                              −3
 *   #105 missed answer, lead, cycle 2026-W48                                         −2
 *   #107 unapproved delay, participant (expects 15 Jan, due 31 Dec)                  −1
 *                                                                           total    9
 * 市财政局
 *   #104 overdue, participant, due 31 Oct (event 2 Nov 00:30 in Shanghai)             −2
 *   #102 verified, participant, reported done 1 Nov, due 31 Oct: late                +2
 *   #106 missed answer, participant                                                  −1
 *   #108 extension approved, lead: weighted 0, counted but no line                    0
 *                                                                           total   −1
 * 市教育局: nothing happened                                                          0
 *
 * Left out: #110, a return at 31 Dec 16:30 UTC, which is 1 Jan 2027 in Shanghai (Q1 2027), and a
 * second copy of #101 (the same audit event counts once).
 */
const facts: ScoreFact[] = [
  {
    id: 101,
    at: '2026-10-15T02:00:00.000Z',
    kind: 'verified',
    reportedDoneAt: '2026-10-10T03:00:00.000Z',
    dueDate: '2026-10-31',
    taskId: 11,
    articleNo: 3,
    role: 'lead',
    ...KEJI,
  },
  {
    id: 102,
    at: '2026-11-02T03:00:00.000Z',
    kind: 'verified',
    reportedDoneAt: '2026-11-01T01:00:00.000Z',
    dueDate: '2026-10-31',
    taskId: 12,
    articleNo: 5,
    role: 'participant',
    ...CAIZHENG,
  },
  {
    id: 103,
    at: '2026-11-20T06:00:00.000Z',
    kind: 'returned',
    taskId: 13,
    articleNo: 7,
    role: 'lead',
    ...KEJI,
  },
  {
    id: 104,
    at: '2026-11-01T16:30:00.000Z',
    kind: 'overdue',
    dueDate: '2026-10-31',
    taskId: 12,
    articleNo: 5,
    role: 'participant',
    ...CAIZHENG,
  },
  {
    id: 105,
    at: '2026-11-27T10:00:00.000Z',
    kind: 'missed_answer',
    cycle: '2026-W48',
    taskId: 13,
    articleNo: 7,
    role: 'lead',
    ...KEJI,
  },
  {
    id: 106,
    at: '2026-11-27T10:00:00.000Z',
    kind: 'missed_answer',
    cycle: '2026-W48',
    taskId: 12,
    articleNo: 5,
    role: 'participant',
    ...CAIZHENG,
  },
  {
    id: 107,
    at: '2026-12-10T02:00:00.000Z',
    kind: 'unapproved_delay',
    dueDate: '2026-12-31',
    eta: '2027-01-15',
    taskId: 14,
    articleNo: 9,
    role: 'participant',
    ...KEJI,
  },
  {
    id: 108,
    at: '2026-12-01T02:00:00.000Z',
    kind: 'extension_approved',
    dueDate: '2026-12-31',
    newDueDate: '2027-03-31',
    taskId: 15,
    articleNo: 2,
    role: 'lead',
    ...CAIZHENG,
  },
  {
    id: 109,
    at: '2026-09-30T17:00:00.000Z',
    kind: 'verified',
    reportedDoneAt: '2026-09-28T02:00:00.000Z',
    dueDate: null,
    taskId: 16,
    articleNo: 4,
    role: 'participant',
    ...KEJI,
  },
  {
    id: 110,
    at: '2026-12-31T16:30:00.000Z',
    kind: 'returned',
    taskId: 13,
    articleNo: 7,
    role: 'lead',
    ...KEJI,
  },
];
const duplicate = facts[0] as ScoreFact;

const agencies = [
  { id: 1, name: '市科技局' },
  { id: 2, name: '市财政局' },
  { id: 3, name: '市教育局' },
];

describe('scores for a period', () => {
  const sheet = computeScores({
    facts: [...facts, duplicate],
    rules: defaultScoringRules(),
    period: parseScorePeriod('2026-Q4'),
    agencies,
  });

  it('totals each agency as computed by hand, highest first', () => {
    expect(sheet.agencies.map((a) => [a.agency, a.total])).toEqual([
      ['市科技局', 9],
      ['市教育局', 0],
      ['市财政局', -1],
    ]);
  });

  it('shows every line behind a total, oldest first, each naming its audit event', () => {
    const keji = sheet.agencies[0];
    expect(keji?.lines.map((l) => [l.factId, l.rule, l.role, l.points, l.date])).toEqual([
      [109, 'verifiedOnTime', 'participant', 5, '2026-10-01'],
      [101, 'verifiedOnTime', 'lead', 10, '2026-10-15'],
      [103, 'returned', 'lead', -3, '2026-11-20'],
      [105, 'missedAnswer', 'lead', -2, '2026-11-27'],
      [107, 'unapprovedDelay', 'participant', -1, '2026-12-10'],
    ]);
    const caizheng = sheet.agencies[2];
    expect(caizheng?.lines.map((l) => [l.factId, l.rule, l.points])).toEqual([
      [104, 'overdue', -2],
      [102, 'verifiedLate', 2],
      [106, 'missedAnswer', -1],
    ]);
  });

  it('sums the lines to the total, and tallies every rule, zero-weighted ones included', () => {
    for (const agency of sheet.agencies) {
      expect(agency.lines.reduce((sum, l) => sum + l.points, 0)).toBe(agency.total);
    }
    expect(sheet.agencies[2]?.byRule.extensionApproved).toEqual({ count: 1, points: 0 });
    expect(sheet.agencies[2]?.byRule.verifiedLate).toEqual({ count: 1, points: 2 });
    expect(sheet.agencies[1]?.lines).toEqual([]);
  });

  it('gives the same numbers recomputed from the trail in another order', () => {
    const again = computeScores({
      facts: [...facts].reverse(),
      rules: defaultScoringRules(),
      period: parseScorePeriod('2026-Q4'),
      agencies,
    });
    expect(again).toEqual(sheet);
  });

  it('counts a fact in the period of its Shanghai date', () => {
    const q1 = computeScores({ facts, rules: defaultScoringRules(), period: parseScorePeriod('2027-Q1') });
    expect(q1.agencies.map((a) => [a.agency, a.total, a.lines.map((l) => l.factId)])).toEqual([
      ['市科技局', -3, [110]],
    ]);
    const november = computeScores({
      facts,
      rules: defaultScoringRules(),
      period: parseScorePeriod('2026-11'),
    });
    expect(november.agencies.map((a) => [a.agency, a.total])).toEqual([
      ['市财政局', -1],
      ['市科技局', -5],
    ]);
  });

  it('weighs lead and participant as the rules say', () => {
    const rules = scoringRulesSchema.parse({ deductions: { returned: { lead: 8 } } });
    expect(rules.deductions.returned).toEqual({ lead: 8, participant: 1 });
    const sheet2 = computeScores({ facts, rules, period: parseScorePeriod('2026') });
    // 2026: everything but #110. 市科技局 as in Q4 with the return at −8: 5 + 10 − 8 − 2 − 1 = 4.
    expect(sheet2.agencies.find((a) => a.agencyId === 1)?.total).toBe(4);
  });
});

describe('scoring periods', () => {
  it('reads a month, a quarter and a year as people write them', () => {
    expect(parseScorePeriod('2026-11')).toEqual({
      key: '2026-11',
      kind: 'month',
      start: '2026-11-01',
      end: '2026-11-30',
    });
    expect(parseScorePeriod('2026q4')).toEqual({
      key: '2026-Q4',
      kind: 'quarter',
      start: '2026-10-01',
      end: '2026-12-31',
    });
    expect(parseScorePeriod('2028-02').end).toBe('2028-02-29');
    expect(parseScorePeriod('2026')).toEqual({
      key: '2026',
      kind: 'year',
      start: '2026-01-01',
      end: '2026-12-31',
    });
  });

  it('refuses anything else, saying how to write a period', () => {
    for (const bad of ['2026-13', '2026-Q5', '26-Q4', 'Q4', '']) {
      expect(() => parseScorePeriod(bad)).toThrow(expect.objectContaining({ code: 'scoring.bad_period' }));
    }
  });

  it('finds the period holding a date and the one before it', () => {
    expect(scorePeriodOf('2026-11-23', 'quarter').key).toBe('2026-Q4');
    expect(previousScorePeriod(parseScorePeriod('2026-Q1')).key).toBe('2025-Q4');
    expect(previousScorePeriod(parseScorePeriod('2026-01')).key).toBe('2025-12');
    expect(previousScorePeriod(parseScorePeriod('2026')).key).toBe('2025');
  });
});
