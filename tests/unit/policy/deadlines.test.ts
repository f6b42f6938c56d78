import { describe, expect, it } from 'vitest';
import { findPastDeadlines } from '../../../src/core/policy/deadlines.js';
import { defaultDecisionText, parse } from './helpers.js';

describe('findPastDeadlines', () => {
  const decision = parse(defaultDecisionText());

  it('reports every 2010 target of the default decision as past in 2025', () => {
    const warnings = findPastDeadlines({ decision, now: new Date('2025-06-01T00:00:00Z') });
    expect(warnings.map((w) => [w.code, w.article])).toEqual([
      ['past_deadline', 3],
      ['past_deadline', 3],
      ['past_deadline', 3],
      ['past_deadline', 3],
      ['past_deadline', 13],
      ['past_deadline', 13],
    ]);
    expect(warnings[0]?.message).toContain('全市专利授权量');
  });

  it('counts the deadline year as open until it ends in Shanghai', () => {
    expect(findPastDeadlines({ decision, now: new Date('2010-12-31T15:59:59Z') })).toEqual([]);
    expect(findPastDeadlines({ decision, now: new Date('2010-12-31T16:00:00Z') })).toHaveLength(6);
  });
});
