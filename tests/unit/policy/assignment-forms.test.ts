import { describe, expect, it } from 'vitest';
import { buildKeyIndex, parseClauseText } from '../../../src/core/policy/clause.js';
import type { ParsedDecision } from '../../../src/core/policy/types.js';
import { parse } from './helpers.js';

const noRule = { firstListedLeads: false, keys: buildKeyIndex([]) };
const firstListed = { firstListedLeads: true, keys: buildKeyIndex([]) };

const written = (decision: ParsedDecision) =>
  decision.articles.map((a) => [
    a.label,
    a.leads.map((r) => r.written),
    a.participants.map((r) => r.written),
  ]);

describe('the clause forms that close an item', () => {
  it.each([
    ['本部分工作由甲局牵头，乙局、丙局参与', ['甲局'], ['乙局', '丙局']],
    ['甲局牵头，乙局、丙局配合', ['甲局'], ['乙局', '丙局']],
    ['甲局牵头,乙局、丙局配合', ['甲局'], ['乙局', '丙局']],
    ['牵头单位：甲局，配合单位：乙局、丙局', ['甲局'], ['乙局', '丙局']],
    ['牵头单位:甲局;责任单位:乙局', ['甲局'], ['乙局']],
    ['牵头单位：甲局；责任单位：乙局、甲局', ['甲局'], ['乙局']],
    ['甲局负责', ['甲局'], []],
    ['甲局、乙局负责', ['甲局', '乙局'], []],
    ['甲局指导，各区政府负责落实', ['各区政府'], ['甲局']],
    ['甲局、乙局分别牵头', ['甲局', '乙局'], []],
    ['甲局牵头，乙局等有关部门和单位按职责分工负责', ['甲局'], ['乙局']],
    ['甲局牵头，各县(市、区)政府、各乡镇(街道)配合', ['甲局'], ['各县(市、区)政府', '各乡镇(街道)']],
    ['国务院各部门分别负责，年内持续推进', ['国务院各部门'], []],
  ])('reads "%s"', (clause, leads, participants) => {
    const roles = parseClauseText(clause, noRule);
    expect(roles?.leads).toEqual(leads);
    expect(roles?.participants).toEqual(participants);
  });

  it('keeps 分别牵头 and 按职责分工负责 as several leads even under a first-listed rule', () => {
    expect(parseClauseText('责任单位：甲局、乙局分别牵头', firstListed)).toEqual({
      leads: ['甲局', '乙局'],
      participants: [],
    });
    expect(parseClauseText('甲局、乙局、丙局按职责分工负责', firstListed)).toEqual({
      leads: ['甲局', '乙局', '丙局'],
      participants: [],
    });
    expect(parseClauseText('责任单位：甲局、乙局、丙局', firstListed)).toEqual({
      leads: ['甲局'],
      participants: ['乙局', '丙局'],
    });
  });

  it('gives the deadline segment of a clause as due, not as a unit', () => {
    expect(parseClauseText('甲局牵头，乙局配合，2023年6月底前完成', noRule)).toEqual({
      leads: ['甲局'],
      participants: ['乙局'],
      due: '2023年6月底前完成',
    });
  });

  it('lifts a carry-forward note out of the clause', () => {
    expect(parseClauseText('责任单位：甲局、乙局。以下均需各县(市、区)政府落实，不再列出', noRule)).toEqual({
      leads: ['甲局', '乙局'],
      participants: [],
      carry: ['各县(市、区)政府'],
    });
  });

  it('still refuses prose that merely mentions 牵头 or 负责', () => {
    expect(parseClauseText('支持行业协会牵头或参与制定行业标准', noRule)).toBeNull();
    expect(parseClauseText('除标注“分别牵头”外，列第一位为牵头单位，下同', firstListed)).toBeNull();
  });
});

describe('documents that assign work in other ways', () => {
  it('splits an unnumbered paragraph with several clauses, each covering the sentences before it', () => {
    const decision = parse(
      [
        '关于做好防汛工作的通知',
        '加强雨情监测，及时发布预警。（市气象局负责）完善应急预案，组织演练。（市应急局牵头，市水务局、各区政府配合）做好宣传。',
      ].join('\n'),
    );
    expect(written(decision)).toEqual([
      ['¶1-1', ['市气象局'], []],
      ['¶1-2', ['市应急局'], ['市水务局', '各区政府']],
      ['¶1-3', [], []],
    ]);
    expect(decision.articles.map((a) => a.title)).toEqual([
      '加强雨情监测，及时发布预警',
      '完善应急预案，组织演练',
      '做好宣传',
    ]);
    expect(decision.warnings).toContainEqual(expect.objectContaining({ code: 'no_clause', article: 3 }));
  });

  it('splits a numbered item with two clauses into two tasks rather than merging their units', () => {
    const decision = parse(
      [
        '实施方案',
        '（一）推进改革。推进A。（甲局负责）推进B。（乙局牵头，丙局配合）',
        '（二）保障。（丁局负责）',
      ].join('\n'),
    );
    expect(written(decision)).toEqual([
      ['（一）-1', ['甲局'], []],
      ['（一）-2', ['乙局'], ['丙局']],
      ['（二）', ['丁局'], []],
    ]);
  });

  it('reads a tab-separated task table whose 分类 cell stands on its group’s first row only', () => {
    const decision = parse(
      [
        '2024年重点工作任务分工方案',
        '分类\t序号\t工作任务\t责任单位\t牵头单位\t完成时限',
        '稳增长\t1\t地区生产总值增长6%以上。\t县发改局、县统计局\t县发改局\t2024年12月底前',
        '\t2\t新增城镇就业不少于2000人。\t县人社局\t县人社局\t每季度',
        '惠民生\t3\t建成保障性住房1000套。\t县住建局、县财政局、县自然资源局\t县住建局\t长期坚持',
      ].join('\n'),
    );
    expect(decision.parts.map((p) => p.title)).toEqual(['稳增长', '惠民生']);
    expect(decision.articles.map((a) => a.part)).toEqual([1, 1, 2]);
    expect(written(decision)).toEqual([
      ['1', ['县发改局'], ['县统计局']],
      ['2', ['县人社局'], []],
      ['3', ['县住建局'], ['县财政局', '县自然资源局']],
    ]);
    expect(decision.articles.map((a) => a.due)).toEqual([
      { kind: 'date', date: '2024-12-31', written: '2024年12月底前' },
      { kind: 'recurring', every: 'quarter', written: '每季度' },
      { kind: 'ongoing', written: '长期坚持' },
    ]);
    expect(decision.articles[1]?.indicators.map((i) => [i.metric, i.comparator, i.value, i.unit])).toEqual([
      ['新增城镇就业', '>=', 2000, '人'],
    ]);
  });

  it('finds the lead anywhere in a flattened table’s 责任单位 list', () => {
    const decision = parse(
      [
        '任务分解表',
        '序号',
        '工作任务',
        '责任单位',
        '牵头单位',
        '1',
        '建设A。',
        '乙局、丙局、甲局',
        '甲局',
      ].join('\n'),
    );
    expect(written(decision)).toEqual([['1', ['甲局'], ['乙局', '丙局']]]);
  });

  it.each([
    ['第一条', '第一条 做好甲。（甲局负责）\n第二条 做好乙。（乙局负责）'],
    ['一、', '一、做好甲。（甲局负责）\n二、做好乙。（乙局负责）'],
    ['（一）', '（一）做好甲。（甲局负责）\n（二）做好乙。（乙局负责）'],
    ['1.', '1.做好甲。（甲局负责）\n2.做好乙。（乙局负责）'],
    ['1、', '1、做好甲。（甲局负责）\n2、做好乙。（乙局负责）'],
    ['（1）', '（1）做好甲。（甲局负责）\n（2）做好乙。（乙局负责）'],
  ])('reads items numbered %s', (_, body) => {
    const decision = parse(`工作方案\n${body}`);
    expect(decision.articles.map((a) => [a.title, a.leads.map((r) => r.written)])).toEqual([
      ['做好甲', ['甲局']],
      ['做好乙', ['乙局']],
    ]);
  });

  it('reads due dates from the clause, a 完成时限 line or the text, with the document’s year', () => {
    const decision = parse(
      [
        '2023年重点工作责任分解',
        '1.完成甲。（甲局负责，6月底前完成）',
        '2.完成乙。',
        '牵头单位：乙局',
        '完成时限：年底前',
        '3.力争2023年9月底前建成丙。（丙局负责）',
        '4.推进丁。（丁局负责）',
      ].join('\n'),
    );
    expect(decision.articles.map((a) => a.due)).toEqual([
      { kind: 'date', date: '2023-06-30', written: '6月底前完成' },
      { kind: 'date', date: '2023-12-31', written: '年底前' },
      { kind: 'date', date: '2023-09-30', written: '2023年9月底前' },
      undefined,
    ]);
  });

  it('warns when a deadline names a month but the document states no year', () => {
    const decision = parse('工作方案\n1.完成甲。（甲局负责，6月底前完成）');
    expect(decision.articles[0]?.due).toBeUndefined();
    expect(decision.warnings).toContainEqual(
      expect.objectContaining({ code: 'unresolved_deadline', article: 1, text: '6月底前完成' }),
    );
  });
});

describe('targets in real wording', () => {
  it('reads 不少于200名 and 1000套 with their units', () => {
    const decision = parse(
      '工作方案\n1.培训基层干部不少于200名。（甲局负责）\n2.建设保障性住房达到1000套。（乙局负责）',
    );
    expect(decision.articles.map((a) => a.indicators.map((i) => [i.comparator, i.value, i.unit]))).toEqual([
      [['>=', 200, '名']],
      [['>=', 1000, '套']],
    ]);
  });
});

describe('a carry-forward note stated before the items', () => {
  it('adds its units to every item and says so once', () => {
    const decision = parse(
      [
        '工作方案',
        '说明：以下各项任务均需各县(市、区)政府落实，不再列出。',
        '1.做好甲。（甲局负责）',
        '2.做好乙。（乙局牵头，丙局配合）',
      ].join('\n'),
    );
    expect(written(decision)).toEqual([
      ['1.', ['甲局'], ['各县(市、区)政府']],
      ['2.', ['乙局'], ['丙局', '各县(市、区)政府']],
    ]);
    expect(decision.warnings.filter((w) => w.code === 'rule_applied').map((w) => w.message)).toEqual([
      expect.stringContaining('to 2 items'),
    ]);
  });
});
