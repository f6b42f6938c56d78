import { describe, expect, it } from 'vitest';
import { findBodyDue, findPastDeadlines, readDue } from '../../../src/core/policy/deadlines.js';
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

describe('readDue', () => {
  it.each([
    ['2023年6月底前', 2020, { kind: 'date', date: '2023-06-30' }],
    ['2024年2月底前完成', null, { kind: 'date', date: '2024-02-29' }],
    ['2023年12月31日前', null, { kind: 'date', date: '2023-12-31' }],
    ['２０２３年９月底前', null, { kind: 'date', date: '2023-09-30' }],
    ['2027年', null, { kind: 'date', date: '2027-12-31' }],
    ['2025年上半年', null, { kind: 'date', date: '2025-06-30' }],
    ['年底前', 2023, { kind: 'date', date: '2023-12-31' }],
    ['6月底前', 2023, { kind: 'date', date: '2023-06-30' }],
    ['每季度', null, { kind: 'recurring', every: 'quarter' }],
    ['每月报送进展', null, { kind: 'recurring', every: 'month' }],
    ['长期坚持', null, { kind: 'ongoing' }],
    ['年内持续推进', 2020, { kind: 'ongoing' }],
  ])('reads "%s" (document year %s)', (written, year, expected) => {
    expect(readDue(written, year)).toEqual({ ...expected, written });
  });

  it('gives no date for a month or a year-end when the document states no year, nor for prose', () => {
    expect(readDue('6月底前', null)).toBeNull();
    expect(readDue('年底前', null)).toBeNull();
    expect(readDue('加强组织领导', 2023)).toBeNull();
  });

  it('takes the latest "…底前" deadline written in an article', () => {
    expect(findBodyDue('2022年10月底前编制清单，2022年12月底前公布。', null)).toEqual({
      kind: 'date',
      date: '2022-12-31',
      written: '2022年12月底前',
    });
    expect(findBodyDue('到2025年，建成100个社区。', null)).toBeNull();
  });
});
