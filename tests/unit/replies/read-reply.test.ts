import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgencyRegistryFile } from '../../../src/config/agencies.js';
import { createAgencyRegistry } from '../../../src/core/policy/registry.js';
import { describeReading } from '../../../src/core/replies/describe.js';
import { readReply } from '../../../src/core/replies/read-reply.js';
import { projectRoot } from '../../../src/store/paths.js';
import { caseNow, loadReplyTable, mutate, randomString, seeded } from '../../helpers/replies.js';

const registry = createAgencyRegistry(loadAgencyRegistryFile(join(projectRoot, 'config', 'agencies.json')));
const table = loadReplyTable();
const read = (text: string, day = '2026-03-02', agency?: string) =>
  readReply({ text, now: caseNow(day), registry, agency });

describe('the reply table', () => {
  it('holds at least 150 realistic replies', () => {
    expect(table.length).toBeGreaterThanOrEqual(150);
  });

  it.each(table.map((c) => [c.text, c] as const))('reads %j as expected', (_text, c) => {
    const { status, percent, eta, blockers, agencies, article, confidence } = readReply({
      text: c.text,
      now: caseNow(c.now),
      registry,
      agency: c.agency,
    });
    expect({ status, percent, eta, blockers, agencies, article, confidence }).toEqual(c.expect);
  });
});

describe('readReply', () => {
  it('reads the example of the issue as in progress 70% by the end of June, needing the finance bureau', () => {
    const reading = read('已完成70%，预计6月底完成，需市财政局配合', '2026-12-20');
    expect(reading).toMatchObject({
      status: 'in_progress',
      percent: 70,
      eta: '2027-06-30',
      blockers: ['需市财政局配合'],
      agencies: ['市财政局'],
      confidence: 'high',
    });
  });

  it('never reads a negation of completion as done', () => {
    for (const text of [
      '尚未完成',
      '未完成',
      '还没完成',
      '没有完成',
      '没有进展',
      '无法完成',
      '未能按期完成',
      'not done',
    ]) {
      expect(read(text).status, text).not.toBe('done');
    }
  });

  it('reads a statement of completion with a percent below 100 as in progress', () => {
    for (const text of ['done 50%', '已完成80%', '完成百分之九十', '已完成七成']) {
      expect(read(text).status, text).toBe('in_progress');
    }
  });

  it('says why it is unsure, so the caller can ask', () => {
    expect(read('第3条已完成，第5条进行中').doubts).toContain('several_articles');
    expect(read('已完成方案编制').doubts).toEqual(['partial_step']);
    expect(read('收到').doubts).toEqual(['no_status']);
    expect(read('没有进展')).toMatchObject({ status: null, noChange: true, doubts: ['no_change'] });
  });

  it('reads a month already past as next year, around the turn of the year', () => {
    expect(read('预计1月底完成', '2026-12-20').eta).toBe('2027-01-31');
    expect(read('预计12月底完成', '2027-01-03').eta).toBe('2027-12-31');
    expect(read('年底前完成', '2026-12-31').eta).toBe('2026-12-31');
    expect(read('明天完成', '2026-12-31').eta).toBe('2027-01-01');
  });

  it('reads the day in Asia/Shanghai, not in the server zone', () => {
    // 2026-03-31 17:00 UTC is already 1 April in Shanghai.
    const reading = readReply({ text: '月底前完成', now: new Date('2026-03-31T17:00:00Z'), registry });
    expect(reading.eta).toBe('2026-04-30');
  });

  it('leaves the replying agency out of the agencies named, by any of its aliases', () => {
    expect(
      read('市科技局第3条已完成，需广州市财政局配合', '2026-03-02', '广州市科学技术局').agencies,
    ).toEqual(['市财政局']);
  });

  it('describes a reading in one catalog line in both languages', () => {
    const reading = read('第13条已完成70%，预计6月底完成，需市财政局配合');
    expect(describeReading(reading)).toBe(
      '第13条 · 进行中 70% · 预计 2026-06-30 · 涉及 市财政局 · 困难：需市财政局配合 · 把握：高',
    );
    expect(describeReading(read('收到'), 'en-US')).toBe(
      'no article named · status unclear · confidence: low (no status stated)',
    );
  });
});

describe('readReply and strict numbers', () => {
  it.each(['80.5%', '+50%', '1e2%', '0x32%', '0b110%', '0o7%', '.5e2%', '-0%', '百分之50.5'])(
    'asks instead of reading %j as a percent',
    (percent) => {
      const reading = read(`第3条已完成${percent}，进行中`);
      expect(reading.percent).toBeNull();
      expect(reading.confidence).toBe('low');
      expect(reading.doubts).toContain('percent_unclear');
    },
  );

  it('reads plain whole percents as before, and finds no smaller percent inside a larger number', () => {
    expect(read('第3条进行中，完成50%').percent).toBe(50);
    expect(read('第3条进行中，完成百分之70').percent).toBe(70);
    expect(read('第3条进行中，完成０％').percent).toBe(0);
    const above = read('第3条进行中，完成1000%');
    expect(above.percent).toBeNull();
    expect(above.doubts).toContain('percent_out_of_range');
  });
});

describe('readReply on random input', () => {
  const random = seeded(20260302);

  it('never throws on 5,000 random strings and never reads one as a sure status', () => {
    for (let i = 0; i < 5000; i++) {
      const text = randomString(random);
      const reading = read(text);
      if (reading.status !== null) expect(reading.confidence, JSON.stringify(text)).toBe('low');
      expect(reading.confidence === 'high').toBe(reading.doubts.length === 0);
    }
  });

  it('never throws on 5,000 mutations of the table, and keeps its shape', () => {
    for (let i = 0; i < 5000; i++) {
      const c = table[i % table.length]!;
      const reading = read(mutate(c.text, random), c.now);
      expect(reading.percent === null || (reading.percent >= 0 && reading.percent <= 100)).toBe(true);
      expect(reading.eta === null || /^\d{4}-\d{2}-\d{2}$/u.test(reading.eta)).toBe(true);
      expect(reading.status !== null || reading.confidence === 'low').toBe(true);
    }
  });

  it('reads a pasted document of 100,000 characters quickly and with low confidence', () => {
    const started = performance.now();
    const reading = read('已完成80%，'.repeat(12_500));
    expect(performance.now() - started).toBeLessThan(200);
    expect(reading.confidence).toBe('low');
    expect(reading.doubts).toContain('too_long');
  });
});
