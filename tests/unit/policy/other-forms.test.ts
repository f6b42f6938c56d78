import { describe, expect, it } from 'vitest';
import { createAgencyRegistry } from '../../../src/core/policy/registry.js';
import { defaultDecisionText, fixtureText, names, parse } from './helpers.js';

describe('a decision numbered （一） with full-width punctuation and labelled clauses', () => {
  const decision = parse(fixtureText('incubator-cparen-fullwidth.txt'));

  it('reads 3 parts and 7 articles, keeping the "1." sub-items inside article （二）', () => {
    expect(decision.title).toBe('广州市人民政府办公厅关于加快科技企业孵化器建设的实施意见');
    expect(decision.parts.map((p) => p.title)).toEqual(['总体要求', '政策措施', '组织保障']);
    expect(decision.articles.map((a) => a.label)).toEqual([
      '（一）',
      '（二）',
      '（三）',
      '（四）',
      '（五）',
      '（六）',
      '（七）',
    ]);
    expect(decision.articles.map((a) => a.part)).toEqual([1, 1, 2, 2, 2, 3, 3]);
    expect(decision.articles[1]?.body).toContain('\n1.编制孵化器布局规划。\n2.建设一批专业孵化器。');
  });

  it('reads "（X牵头，Y、Z参与）" with the full names and variants resolved', () => {
    const a1 = decision.articles[0];
    expect(names(a1?.leads ?? [])).toEqual(['市科技局']);
    expect(a1?.participants.map((r) => [r.name, r.written])).toEqual([
      ['市发改委', '市发展改革委'],
      ['市国土房管局', '市国土房管局'],
    ]);
  });

  it('reads "（牵头单位：X；配合单位：Y）" and keeps 各区、县级市政府 whole', () => {
    const a2 = decision.articles[1];
    expect(names(a2?.leads ?? [])).toEqual(['市科技局']);
    expect(a2?.participants.map((r) => [r.name, r.written])).toEqual([
      ['市规划局', '市规划局'],
      ['有关区', '各区、县级市政府'],
    ]);
    expect(a2?.participants[1]?.members).toHaveLength(12);
  });

  it('makes every unit of "（A、B负责）" a lead when the document states no first-listed rule', () => {
    expect(names(decision.articles[2]?.leads ?? [])).toEqual(['市财政局', '市科技局']);
    expect(decision.articles[2]?.participants).toEqual([]);
  });

  it('reads a half-width comma between two labels and reports the unknown 市旅游局 with its article', () => {
    const a4 = decision.articles[3];
    expect(names(a4?.leads ?? [])).toEqual(['市金融办']);
    expect(a4?.participants).toEqual([
      { name: '市科技局', written: '市科技局', known: true },
      { name: '市旅游局', written: '市旅游局', known: false },
    ]);
    const unknown = decision.warnings.filter((w) => w.code === 'unknown_agency');
    expect(unknown).toEqual([
      {
        code: 'unknown_agency',
        article: 4,
        text: '市旅游局',
        message: expect.stringContaining('Article 4: "市旅游局" is not in the agency registry'),
      },
    ]);
  });

  it('finds the clause after prose that mentions 牵头 and 参与', () => {
    const a5 = decision.articles[4];
    expect(a5?.clause).toBe('（广州市人事局牵头，市劳动和社会保障局、有关区参与）');
    expect(a5?.leads.map((r) => [r.name, r.written])).toEqual([['市人事局', '广州市人事局']]);
    expect(names(a5?.participants ?? [])).toEqual(['市劳动保障局', '有关区']);
  });

  it('reads "由A会同B负责" as A leading with B taking part, even before the full stop', () => {
    const a6 = decision.articles[5];
    expect(names(a6?.leads ?? [])).toEqual(['市政府办公厅']);
    expect(names(a6?.participants ?? [])).toEqual(['市科技局']);
    expect(a6?.body).toBe('建立孵化器建设联席会议制度。');
  });

  it('reads the collective 各区、县级市 as a lead and leaves the signature out of the last article', () => {
    const a7 = decision.articles[6];
    expect(a7?.leads.map((r) => [r.name, r.written])).toEqual([['有关区', '各区、县级市']]);
    expect(a7?.body).toBe('各区、县级市要制定具体实施办法。');
  });

  it('reads the targets, including a yearly amount over three years', () => {
    expect(
      decision.articles[0]?.indicators.map((i) => [i.metric, i.comparator, i.value, i.unit, i.deadlineYear]),
    ).toEqual([
      ['全市科技企业孵化器', '>=', 50, '家', 2012],
      ['孵化面积', '>', 300, '万平方米', 2012],
      ['在孵企业', '>', 3000, '家', 2012],
    ]);
    expect(decision.articles[2]?.indicators).toEqual([
      expect.objectContaining({ value: 2, unit: '亿元', startYear: 2010, deadlineYear: 2012, perYear: true }),
    ]);
  });

  it('leaves the page chrome and the addressees out', () => {
    const all = JSON.stringify(decision.articles);
    expect(all).not.toContain('发布日期');
    expect(all).not.toContain('字体');
    expect(all).not.toContain('各直属机构');
  });
});

describe('a plan with half-width punctuation, 责任单位 lines and a first-listed-leads rule', () => {
  const decision = parse(fixtureText('software-first-listed-halfwidth.txt'));

  it('reads 7 articles with no parts', () => {
    expect(decision.parts).toEqual([]);
    expect(decision.articles.map((a) => [a.label, a.part])).toEqual(
      Array.from({ length: 7 }, (_, i) => [`${i + 1}.`, 0]),
    );
  });

  it('makes the first unit of a "责任单位:" line the lead and the others participants', () => {
    const [a1, a2] = decision.articles;
    expect(names(a1?.leads ?? [])).toEqual(['市信息办']);
    expect(names(a1?.participants ?? [])).toEqual(['市发改委', '市科技局']);
    expect(a1?.clause).toBe('责任单位:市信息办、市发改委、市科技局');
    expect(a1?.body).toBe('制定软件和信息服务业发展规划,到2012年,全市软件业务收入超过1500亿元。');
    // Comma-separated lists continue the label.
    expect(names(a2?.leads ?? [])).toEqual(['市经贸委']);
    expect(names(a2?.participants ?? [])).toEqual(['市财政局', '市国资委']);
  });

  it('applies the rule to "(A、B、C负责)" and keeps 各区(县级市) whole', () => {
    const a3 = decision.articles[2];
    expect(names(a3?.leads ?? [])).toEqual(['市科技局']);
    expect(a3?.participants.map((r) => [r.name, r.written])).toEqual([
      ['高新区管委会', '高新区管委会'],
      ['有关区', '各区(县级市)'],
    ]);
    expect(names(decision.articles[3]?.leads ?? [])).toEqual(['市知识产权局']);
    expect(names(decision.articles[3]?.participants ?? [])).toEqual(['市版权局', '市公安局', '市工商局']);
  });

  it('reads separate 牵头单位: and 配合单位: lines', () => {
    const a5 = decision.articles[4];
    expect(names(a5?.leads ?? [])).toEqual(['市人事局']);
    expect(names(a5?.participants ?? [])).toEqual(['市劳动保障局', '市公安局']);
    expect(a5?.body).toBe('加强人才引进工作。');
  });

  it('reads "(X牵头,Y参与)" with external bodies', () => {
    expect(names(decision.articles[5]?.leads ?? [])).toEqual(['黄埔海关']);
    expect(names(decision.articles[5]?.participants ?? [])).toEqual(['广州海关']);
  });

  it('warns about the article without a clause, reports the first-listed rule and keeps the footer out', () => {
    expect(decision.warnings.map((w) => [w.code, w.article])).toEqual([
      ['no_clause', 7],
      ['rule_applied', undefined],
    ]);
    expect(decision.warnings[1]?.message).toMatch(/first unit listed leads\) was applied to \d+ items/u);
    expect(decision.articles[6]?.body).toBe('加大宣传力度,营造良好氛围。');
  });

  it('takes the subject after a qualifying number ("年收入超过10亿元的软件企业达到20家")', () => {
    expect(decision.articles[1]?.indicators).toEqual([
      expect.objectContaining({
        metric: '年收入超过10亿元的软件企业',
        comparator: '>=',
        value: 20,
        unit: '家',
      }),
    ]);
  });
});

describe('a measure numbered 第X条 with clauses written as closing sentences', () => {
  const decision = parse(fixtureText('measures-articles-tail-sentence.txt'));

  it('reads the articles and their unbracketed clauses', () => {
    expect(decision.articles.map((a) => a.label)).toEqual(['第一条', '第二条', '第三条']);
    expect(names(decision.articles[0]?.leads ?? [])).toEqual(['市科技局']);
    expect(names(decision.articles[0]?.participants ?? [])).toEqual(['市财政局']);
    expect(decision.articles[1]?.clause).toBe('本部分工作由市财政局牵头,市审计局参与。');
    expect(decision.articles[1]?.participants).toEqual([
      { name: '市审计局', written: '市审计局', known: false },
    ]);
    expect(decision.articles[2]?.leads[0]?.name).toBe('各有关单位');
  });

  it('reads an upper limit', () => {
    expect(decision.articles[1]?.indicators).toEqual([
      expect.objectContaining({
        metric: '每个项目的资助额度',
        comparator: '<=',
        value: 500,
        unit: '万元',
        deadlineYear: null,
      }),
    ]);
  });
});

describe('numbering and punctuation variants', () => {
  it('reads half-width (一) article numbers under 一、 parts', () => {
    const text = [
      '某某决定',
      '一、总体要求',
      '(一)第一项任务。内容。(市科技局牵头,市财政局参与)',
      '(二)第二项任务。内容。(市财政局负责)',
      '二、保障措施',
      '(三)第三项任务。内容。(由各有关单位负责)',
    ].join('\n');
    const decision = parse(text);
    expect(decision.parts).toHaveLength(2);
    expect(decision.articles.map((a) => [a.label, a.part, a.title])).toEqual([
      ['(一)', 1, '第一项任务'],
      ['(二)', 1, '第二项任务'],
      ['(三)', 2, '第三项任务'],
    ]);
  });

  it('keeps many restarting "1." sub-items inside a few （一） articles', () => {
    const subItems = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}.子项${i + 1}。`);
    const text = [
      '实施意见',
      '（一）任务甲。',
      ...subItems(5),
      '（市科技局负责）',
      '（二）任务乙。',
      ...subItems(6),
      '（市财政局负责）',
      '（三）任务丙。',
      ...subItems(4),
      '（市教育局负责）',
    ].join('\n');
    const decision = parse(text);
    expect(decision.articles.map((a) => [a.label, a.leads[0]?.name])).toEqual([
      ['（一）', '市科技局'],
      ['（二）', '市财政局'],
      ['（三）', '市教育局'],
    ]);
    expect(decision.articles[1]?.body.split('\n')).toHaveLength(6);
  });

  it('keeps a （一）（二） list inside one article of a "1."-numbered decision', () => {
    const text = [
      '决定',
      '1.任务甲。(市科技局负责)',
      '2.任务乙。',
      '（一）发展目标。到2010年达到100件。',
      '（二）重点领域。',
      '(市财政局负责)',
      '3.任务丙。(市教育局负责)',
    ].join('\n');
    const decision = parse(text);
    expect(decision.articles.map((a) => [a.label, a.leads[0]?.name])).toEqual([
      ['1.', '市科技局'],
      ['2.', '市财政局'],
      ['3.', '市教育局'],
    ]);
    expect(decision.articles[1]?.body).toBe('（一）发展目标。到2010年达到100件。\n（二）重点领域。');
  });

  it('reads 1、 article numbers and numbering that restarts in each part', () => {
    const text = [
      '一、第一部分',
      '1、任务甲。(市科技局负责)',
      '2、任务乙。(市财政局负责)',
      '二、第二部分',
      '1、任务丙。(市教育局负责)',
    ].join('\n');
    const decision = parse(text);
    expect(decision.articles.map((a) => [a.no, a.label, a.part, a.leads[0]?.name])).toEqual([
      [1, '1、', 1, '市科技局'],
      [2, '2、', 1, '市财政局'],
      [3, '1、', 2, '市教育局'],
    ]);
  });

  it('reads 一、 headings as the articles when nothing else is numbered', () => {
    const decision = parse('工作方案\n一、任务甲。(市科技局负责)\n二、任务乙。(市财政局牵头,市教育局参与)');
    expect(decision.parts).toEqual([]);
    expect(decision.articles.map((a) => [a.label, a.title, a.leads[0]?.name])).toEqual([
      ['一、', '任务甲', '市科技局'],
      ['二、', '任务乙', '市财政局'],
    ]);
  });

  it('reads full-width digits and a full-width dot as 1．', () => {
    const decision = parse('决定\n1．任务甲。（市科技局负责）\n2．任务乙。（市财政局负责）');
    expect(decision.articles.map((a) => a.label)).toEqual(['1．', '2．']);
    expect(decision.articles[1]?.leads[0]?.name).toBe('市财政局');
  });

  it('warns about an article number written twice and keeps both articles', () => {
    const decision = parse(
      '决定\n1.任务甲。(市科技局负责)\n2.任务乙。(市财政局负责)\n2.任务丙。(市教育局负责)',
    );
    expect(decision.articles).toHaveLength(3);
    expect(decision.warnings).toContainEqual(
      expect.objectContaining({ code: 'duplicate_article_number', article: 3 }),
    );
  });

  it('keeps a collective with 、 whole even when the registry does not know it', () => {
    const registry = createAgencyRegistry([{ name: '市科技局', aliases: [], kind: 'department' }]);
    const decision = parse('决定\n1.任务。(市科技局牵头,各区、县级市参与)', registry);
    expect(decision.articles[0]?.participants).toEqual([
      { name: '各区、县级市', written: '各区、县级市', known: false },
    ]);
    expect(decision.warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown_agency', article: 1, text: '各区、县级市' }),
    );
  });

  it('never turns an unknown unit into a registry agency', () => {
    const decision = parse('决定\n1.任务。(市不存在局牵头,市科技局参与)');
    expect(decision.articles[0]?.leads).toEqual([
      { name: '市不存在局', written: '市不存在局', known: false },
    ]);
    expect(decision.articles[0]?.participants[0]).toMatchObject({ name: '市科技局', known: true });
  });
});

describe('line endings, byte order marks and odd clauses', () => {
  it('parses the default decision the same with CRLF line ends and a byte order mark', () => {
    const text = defaultDecisionText();
    const windows = `\uFEFF${text.replace(/\n/g, '\r\n')}`;
    expect(parse(windows)).toEqual(parse(text));
  });

  it('warns when a clause names participants but no lead', () => {
    const decision = parse('决定\n1.任务。\n配合单位：市财政局、市教育局');
    expect(decision.articles[0]?.leads).toEqual([]);
    expect(names(decision.articles[0]?.participants ?? [])).toEqual(['市财政局', '市教育局']);
    expect(decision.warnings).toEqual([
      expect.objectContaining({ code: 'ambiguous_clause', article: 1, text: '配合单位：市财政局、市教育局' }),
    ]);
  });
});
