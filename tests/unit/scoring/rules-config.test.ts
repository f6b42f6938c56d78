import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScoringRules, parseScoringRules } from '../../../src/config/scoring.js';
import { defaultScoringRules } from '../../../src/core/scoring/rules.js';

function problems(data: unknown): string[] {
  try {
    parseScoringRules(data);
  } catch (error) {
    expect(error).toMatchObject({ code: 'config.scoring_invalid' });
    return (error as { details: { problems: string[] } }).details.problems;
  }
  throw new Error('expected the rules to be refused');
}

describe('config/scoring.json', () => {
  it('ships the defaults, written out', () => {
    expect(parseScoringRules(JSON.parse(readFileSync('config/scoring.json', 'utf8')))).toEqual(
      defaultScoringRules(),
    );
  });

  it('gives the defaults for a missing file or an empty object', () => {
    expect(loadScoringRules('config/no-such-scoring.json')).toEqual(defaultScoringRules());
    expect(parseScoringRules({ _comment: 'defaults' })).toEqual(defaultScoringRules());
  });

  it('names the field and the fix for each problem, all at once', () => {
    expect(
      problems({
        defaultPeriod: 'week',
        awards: { verifiedOnTime: { lead: -1 } },
        deductions: { overdue: { participant: '2' }, missedAnswr: { lead: 1 } },
      }),
    ).toEqual([
      expect.stringMatching(/^defaultPeriod: .*To fix: use "month", "quarter" or "year"/),
      expect.stringMatching(
        /^awards\.verifiedOnTime\.lead: expected 0 or more points\. To fix: write the points for the lead agency/,
      ),
      expect.stringMatching(
        /^deductions\.overdue\.participant: .*To fix: write the points for a participating agency/,
      ),
      'deductions.missedAnswr: unknown setting. To fix: check the spelling or remove it',
    ]);
  });

  it('refuses an unknown field at any depth and a wrong type, naming each', () => {
    expect(
      problems({ period: 'month', awards: { verifiedOnTime: { lead: 10, leader: 3 } }, deductions: [] }),
    ).toEqual(
      expect.arrayContaining([
        'period: unknown setting. To fix: check the spelling or remove it',
        'awards.verifiedOnTime.leader: unknown setting. To fix: check the spelling or remove it',
        expect.stringMatching(/^deductions: .*To fix: write \{ "overdue"/),
      ]),
    );
  });

  it('refuses a file that is not an object', () => {
    expect(problems([])).toEqual([expect.stringMatching(/^\(the whole file\): expected an object/)]);
  });
});
