import { beforeAll, describe, expect, it } from 'vitest';
import type { ParsedDecision } from '../../../src/core/policy/types.js';
import { defaultDecisionText, names, parse, shippedRegistry } from './helpers.js';

/**
 * Read off the text of config/default-decision.txt by hand, article by article:
 * `no: leads | participants` with canonical registry names ("—" = no clause).
 */
const EXPECTED = `
1: — | —
2: — | —
3: — | —
4: 市发改委 | 市科技局、市经贸委、市信息办、市知识产权局、市质监局
5: 市发改委 | 市科技局、市经贸委、市外经贸局、市规划局、市国土房管局、市新闻出版和广电局、市信息办、高新区管委会
6: 市科技局 | 市经贸委、市财政局
7: 市发改委、市经贸委 | 市科技局、市财政局、市知识产权局
8: 市国资委 | 市经贸委、市科技局、市信息办
9: 市科技局 | 市经贸委、市国资委、市工商局、市财政局、市金融办
10: 市科技局 | 市财政局
11: 市经贸委 | 市外经贸局、广州海关、黄埔海关
12: 市财政局 | 市科技局、市经贸委、市信息办
13: 市财政局 | 市发改委、市科技局
14: 市科技局 | 市地税局、市国税局、市财政局、市经贸委、市新闻出版和广电局
15: 市金融办 | 市经贸委、市科技局
16: 市科技局 | 市发改委、市财政局、市国资委、市金融办、高新区管委会
17: 市经贸委 | 市财政局、市科技局、市金融办
18: 市金融办 | 市科技局、高新区管委会
19: 市人事局 | 市教育局、市科技局、市劳动保障局、市财政局
20: 市人事局 | 市教育局、市科技局、市财政局、市劳动保障局、市国土房管局、市公安局、市外办、市地税局、广州海关、黄埔海关
21: 市人事局 | 市科技局、市财政局
22: 市科技局 | 市知识产权局、市工商局
23: 市发改委 | 高新区管委会、市经贸委、市科技局、市财政局、市新闻出版和广电局、市规划局、市国土房管局、市信息办、有关区
24: 市科技局 | 市新闻出版和广电局、市信息办
25: 市科技局 | 市财政局
26: 市科技局 | —
27: 市科技局 | 市教育局、市经贸委
28: 市科技局 | 市经贸委、市信息办
29: 市科技局 | 市外经贸局
30: 市科技局 | 市人事局、市外办
31: 市知识产权局 | 市科技局、市经贸委、市地税局
32: 市经贸委 | 市知识产权局、市质监局、市版权局、广州海关、黄埔海关
33: 市知识产权局 | 市工商局、市版权局、市公安局、广州海关、黄埔海关
34: 市科技局 | —
35: 市委办公厅、市政府办公厅 | 市各有关部门
36: 各有关单位 | —
`
  .trim()
  .split('\n')
  .map((line) => {
    const [no, rest] = line.split(': ');
    const [leads, participants] = (rest ?? '').split(' | ');
    const list = (s: string | undefined) => (s === undefined || s === '—' ? [] : s.split('、'));
    return { no: Number(no), leads: list(leads), participants: list(participants) };
  });

/** Articles per part, from the text: 一 holds 1–5, 二 6–12, … 八 34–36. */
const PART_OF = (no: number): number => [5, 12, 18, 22, 26, 30, 33, 36].findIndex((last) => no <= last) + 1;

describe('the default decision (config/default-decision.txt)', () => {
  let decision: ParsedDecision;
  beforeAll(() => {
    decision = parse(defaultDecisionText());
  });

  it('reads the title, 8 parts and 36 articles in order', () => {
    expect(decision.title).toBe('中共广州市委广州市人民政府关于大力推进自主创新加快高新技术产业发展的决定');
    expect(decision.parts.map((p) => p.label)).toEqual([
      '一、',
      '二、',
      '三、',
      '四、',
      '五、',
      '六、',
      '七、',
      '八、',
    ]);
    expect(decision.parts[2]?.title).toBe('加大科技投入力度,健全多元化的创新投融资体系');
    expect(decision.articles).toHaveLength(36);
    expect(decision.articles.map((a) => a.no)).toEqual(Array.from({ length: 36 }, (_, i) => i + 1));
    expect(decision.articles.map((a) => a.label)).toEqual(Array.from({ length: 36 }, (_, i) => `${i + 1}.`));
    expect(decision.articles.map((a) => a.part)).toEqual(decision.articles.map((a) => PART_OF(a.no)));
  });

  it.each(EXPECTED)(
    'article $no has the leads and participants its clause names',
    ({ no, leads, participants }) => {
      const article = decision.articles[no - 1];
      expect(article?.no).toBe(no);
      expect(names(article?.leads ?? [])).toEqual(leads);
      expect(names(article?.participants ?? [])).toEqual(participants);
      expect([...(article?.leads ?? []), ...(article?.participants ?? [])].every((r) => r.known)).toBe(true);
    },
  );

  it('flags articles 1–3 as having no clause, and nothing else', () => {
    expect(decision.warnings.map((w) => [w.code, w.article])).toEqual([
      ['no_clause', 1],
      ['no_clause', 2],
      ['no_clause', 3],
    ]);
    expect(decision.articles.slice(0, 3).every((a) => a.clause === null)).toBe(true);
  });

  it('reads titles up to the first full stop and keeps the clause out of the body', () => {
    const a4 = decision.articles[3];
    expect(a4?.title).toBe('进一步制定和完善高新技术重点产业发展规划');
    expect(a4?.clause).toBe(
      '(本部分工作由市发改委牵头,市科技局、市经贸委、市信息办、市知识产权局、市质监局等部门参与)',
    );
    expect(a4?.body.startsWith('在《广州市科学技术和高新技术产业发展第十一个五年规划》基础上')).toBe(true);
    expect(a4?.body).not.toContain('本部分工作');
    expect(decision.articles[29]?.title).toBe('充分发挥中国留学人员广州科技交流会(下简称“留交会”)的作用');
  });

  it('keeps the (1) and (2) sub-items of article 3 in its body instead of making them articles', () => {
    const a3 = decision.articles[2];
    expect(a3?.title).toBe('进一步明确发展目标和重点领域');
    expect(a3?.body).toMatch(/^\(1\)发展目标。/);
    expect(a3?.body).toContain('\n(2)高新技术产业发展重点领域。');
  });

  it('resolves the typo 市经贸会 in article 23 to 市经贸委 and expands 有关区 to the districts', () => {
    const a23 = decision.articles[22];
    const typo = a23?.participants.find((r) => r.written === '市经贸会');
    expect(typo).toMatchObject({ name: '市经贸委', known: true });
    const districts = a23?.participants.at(-1);
    expect(districts).toMatchObject({ name: '有关区', written: '有关区', known: true });
    expect(districts?.members).toEqual([
      '越秀区',
      '海珠区',
      '荔湾区',
      '天河区',
      '白云区',
      '黄埔区',
      '番禺区',
      '花都区',
      '南沙区',
      '萝岗区',
      '从化市',
      '增城市',
    ]);
  });

  it('resolves 市府办公厅 in article 35 and expands 市各有关部门 to the city departments only', () => {
    const a35 = decision.articles[34];
    expect(a35?.leads.map((r) => [r.name, r.written])).toEqual([
      ['市委办公厅', '市委办公厅'],
      ['市政府办公厅', '市府办公厅'],
    ]);
    const departments = a35?.participants[0]?.members ?? [];
    const registry = shippedRegistry();
    expect(departments.length).toBeGreaterThan(20);
    expect(departments.every((name) => registry.byName(name)?.kind === 'department')).toBe(true);
    expect(departments).not.toContain('广州海关');
    expect(departments).not.toContain('越秀区');
  });

  it('expands 各有关单位 in article 36 to every agency, departments, external bodies and districts alike', () => {
    const lead = decision.articles[35]?.leads[0];
    const everyAgency = shippedRegistry()
      .all()
      .filter((d) => d.kind !== 'collective')
      .map((d) => d.name);
    expect(lead).toMatchObject({ name: '各有关单位', known: true });
    expect(lead?.members).toEqual(everyAgency);
    expect(lead?.members).toContain('黄埔海关');
    expect(lead?.members).toContain('增城市');
  });

  it('does not read the prose "行业协会牵头或参与制定行业标准" of article 32 as its clause', () => {
    const a32 = decision.articles[31];
    expect(a32?.clause?.startsWith('(本部分工作由市经贸委牵头')).toBe(true);
    expect(a32?.body).toContain('行业协会牵头或参与制定行业标准');
    expect(a32?.leads.map((r) => r.written)).toEqual(['市经贸委']);
  });

  it('leaves the page chrome (click count, address, phone, ICP number) out of every article', () => {
    const all = decision.articles.map((a) => `${a.title}${a.body}${a.clause ?? ''}`).join('\n');
    for (const chrome of ['点击数', '揽月路', '32290810', 'E-Mail', 'ICP备', '公网安备', '主办单位']) {
      expect(all).not.toContain(chrome);
    }
    expect(decision.articles[35]?.body.endsWith('各区、县级市应结合本地实际,制定相应配套措施。')).toBe(true);
  });

  it('extracts the four 2010 targets of article 3', () => {
    const found = decision.articles[2]?.indicators.map((i) => ({
      metric: i.metric,
      comparator: i.comparator,
      value: i.value,
      unit: i.unit,
      deadlineYear: i.deadlineYear,
    }));
    expect(found).toEqual([
      { metric: '全市专利授权量', comparator: '>=', value: 10000, unit: '件', deadlineYear: 2010 },
      { metric: '科技进步对工业经济增长的贡献率', comparator: '>', value: 55, unit: '%', deadlineYear: 2010 },
      { metric: '高新技术产品产值', comparator: '>', value: 4000, unit: '亿元', deadlineYear: 2010 },
      {
        metric: '高新技术产品产值占工业总产值的比重',
        comparator: '>',
        value: 33,
        unit: '%',
        deadlineYear: 2010,
      },
    ]);
    expect(decision.articles[2]?.indicators[0]?.source).toContain('至2010年,全市专利授权量达到10000件');
  });

  it('extracts the yearly funding and the R&D share targets of article 13', () => {
    const [funding, share, ...rest] = decision.articles[12]?.indicators ?? [];
    expect(rest).toEqual([]);
    expect(funding).toMatchObject({
      metric: '市本级财政投入',
      comparator: '>=',
      value: 10,
      unit: '亿元',
      startYear: 2008,
      deadlineYear: 2010,
      perYear: true,
    });
    expect(funding?.source).toContain('自2008年起连续3年,市本级财政每年投入10亿元以上');
    expect(share).toMatchObject({ comparator: '>', value: 2, unit: '%', deadlineYear: 2010 });
    expect(share?.metric).toContain('研究发展投入占地区生产总值的比例');
    expect(share?.perYear).toBeUndefined();
  });

  it('finds no indicator in articles without a number and a unit', () => {
    const withIndicators = decision.articles.filter((a) => a.indicators.length > 0).map((a) => a.no);
    expect(withIndicators).toEqual([3, 13]);
  });

  it('parses the same text to the same structure every time', () => {
    expect(parse(defaultDecisionText())).toEqual(decision);
  });
});
