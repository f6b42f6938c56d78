import { afterEach, describe, expect, it } from 'vitest';
import { defaultScoringRules } from '../../../src/core/scoring/rules.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createScores, deriveScoreFacts } from '../../../src/usecases/scores.js';
import { memoryDb } from '../store/ledger-fixtures.js';
import { buildScoreScenario, SCENARIO_NOW } from './score-scenario.js';

const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function setup() {
  const db = memoryDb();
  open.push(db);
  const scenario = buildScoreScenario(db);
  const scores = createScores({ repos: scenario.repos, rules: defaultScoringRules() });
  return { db, ...scenario, scores };
}

describe('scores from the audit trail', () => {
  it('gives the totals and lines worked out by hand for a small quarter', () => {
    const { scores } = setup();
    const { sheet } = scores({ period: '2026-Q4', now: SCENARIO_NOW });
    const totals = Object.fromEntries(sheet.agencies.map((a) => [a.agency, a.total]));
    expect(totals).toMatchObject({ 市科技局: 6, 市财政局: -3, 市发改委: -5 });
    const linesOf = (name: string) =>
      sheet.agencies
        .find((a) => a.agency === name)
        ?.lines.map((l) => [l.date, l.rule, l.articleNo, l.role, l.points, l.source]);
    expect(linesOf('市科技局')).toEqual([
      ['2026-11-02', 'missedAnswer', 1, 'lead', -2, 'outbox'],
      ['2026-11-02', 'missedAnswer', 3, 'lead', -2, 'outbox'],
      ['2026-11-27', 'verifiedOnTime', 1, 'lead', 10, 'audit'],
    ]);
    expect(linesOf('市财政局')).toEqual([
      ['2026-11-16', 'overdue', 1, 'participant', -2, 'audit'],
      ['2026-11-20', 'unapprovedDelay', 1, 'participant', -1, 'audit'],
      ['2026-11-21', 'returned', 1, 'participant', -1, 'audit'],
      ['2026-11-22', 'unapprovedDelay', 1, 'participant', -1, 'audit'],
      ['2026-11-23', 'verifiedLate', 1, 'participant', 2, 'audit'],
    ]);
    expect(linesOf('市发改委')).toEqual([['2026-12-11', 'overdue', 2, 'lead', -5, 'audit']]);
    const fagai = sheet.agencies.find((a) => a.agency === '市发改委');
    expect(fagai?.byRule.extensionApproved).toEqual({ count: 1, points: 0 });
  });

  it('names for every line the audit event or prompt it comes from', () => {
    const { scores, repos } = setup();
    const { sheet } = scores({ period: '2026-Q4', now: SCENARIO_NOW });
    const events = new Map(repos.audit.list().map((e) => [e.id, e]));
    const prompts = new Map(repos.outbox.list({ kind: 'prompt' }).map((row) => [row.id, row]));
    const expected: Record<string, string[]> = {
      verifiedOnTime: ['verified'],
      verifiedLate: ['verified'],
      returned: ['returned'],
      unapprovedDelay: ['reported'],
      // The event that set the due date that was missed: /due, or the approved extension.
      overdue: ['due_set', 'extension_approved'],
    };
    for (const line of sheet.agencies.flatMap((a) => a.lines)) {
      if (line.source === 'outbox') {
        expect(prompts.get(line.factId)?.status).toBe('sent');
        continue;
      }
      const event = events.get(line.factId);
      expect(event?.entityId).toBe(String(line.taskId));
      expect(expected[line.rule]).toContain(event?.action);
    }
  });

  it('recomputes the same numbers from the trail twice', () => {
    const { scores, repos } = setup();
    const first = scores({ period: '2026-Q4', now: SCENARIO_NOW });
    const second = scores({ period: '2026-Q4', now: SCENARIO_NOW });
    expect(second).toEqual(first);
    expect(deriveScoreFacts(repos, SCENARIO_NOW)).toEqual(deriveScoreFacts(repos, SCENARIO_NOW));
  });

  it('counts only what had happened by now: before 12-11 the extended due date has not passed', () => {
    const { scores } = setup();
    const { sheet } = scores({ period: '2026-Q4', now: new Date('2026-12-10T10:00:00Z') });
    expect(sheet.agencies.find((a) => a.agency === '市发改委')?.total).toBe(0);
  });

  it("uses the rules' default period holding today, and the one before for the change", () => {
    const { scores } = setup();
    const { sheet, previous } = scores({ now: SCENARIO_NOW });
    expect(sheet.period.key).toBe('2026-Q4');
    expect(previous.period.key).toBe('2026-Q3');
    expect(previous.agencies.every((a) => a.total === 0)).toBe(true);
    const november = scores({ period: '2026-11', now: SCENARIO_NOW }).sheet;
    expect(november.agencies.find((a) => a.agency === '市发改委')?.total).toBe(0);
  });
});
