import { describe, expect, it } from 'vitest';
import { createAgencyRegistry } from '../../../src/core/policy/registry.js';
import type { ParsedDecision } from '../../../src/core/policy/types.js';
import { fixtureText, parse } from './helpers.js';

/**
 * Real published decisions (tests/fixtures/decisions/real/), each checked item by item against
 * the extraction written by reading the document: leads and participants exactly as written.
 * The fixtures' "# " header lines (source URL, date) are not part of the document.
 */
const realText = (name: string): string =>
  fixtureText(`real/${name}`)
    .split('\n')
    .filter((line) => !line.startsWith('# '))
    .join('\n');

type Expected = [label: string, leads: string[], participants: string[]];

const itemsOf = (decision: ParsedDecision): Expected[] =>
  decision.articles.map((a) => [
    a.label,
    a.leads.map((r) => r.written),
    a.participants.map((r) => r.written),
  ]);

const CASES: { file: string; what: string; parts: string[]; items: Expected[] }[] = [
  {
    file: 'lishui-2023-city-report-split.txt',
    what: 'a city work-report split with 责任单位 lines, a 列第一位 rule and 分别牵头',
    parts: ['全市经济社会发展主要预期目标', '重点抓好六方面工作'],
    items: [
      ['1.', ['市发改委'], []],
      ['2.', ['市经信局'], []],
      ['3.', ['市科技局'], []],
      [
        '4.',
        ['市发改委'],
        [
          '市经信局',
          '市科技局',
          '市财政局',
          '市自然资源局',
          '市生态环境局',
          '市建设局',
          '市交通运输局',
          '市水利局',
          '市农业农村局',
          '市文广旅体局',
          '市卫生健康委',
        ],
      ],
      ['5.', ['市商务局'], []],
      ['6.', ['市人力社保局', '市农业农村局'], []],
      ['7.', ['市财政局'], []],
      ['8.', ['市发改委'], []],
      ['9.', ['市人力社保局', '市发改委'], []],
      ['10.', ['市双招双引办'], ['市发改委', '市经信局', '各县(市、区)政府', '丽水开发区管委会']],
    ],
  },
  {
    file: 'liandu-2023-district-table-flattened.txt',
    what: 'a district task table copied from a web page, one cell per line',
    parts: ['发展目标'],
    items: [
      [
        '1',
        ['区发改局'],
        [
          '区农业农村局',
          '区经商局',
          '区市场监管局',
          '区建设局',
          '区交通局',
          '莲都邮政管理局',
          '区商金中心',
          '区人力社保局',
        ],
      ],
      ['2', ['区发改局'], []],
      ['3', ['区经商局'], ['莲都经开区管委会']],
      ['4', ['区农业农村局'], []],
      ['5', ['区发改局'], []],
      ['6', ['区商金中心'], []],
      ['7', ['区商金中心'], []],
      ['8', ['区财政局'], []],
      ['9', ['区科技局'], ['区经商局', '区建设局', '区农业农村局', '莲都经开区管委会']],
      ['10', ['区人力社保局'], []],
      ['11', ['区人力社保局'], []],
      ['12', ['区发改局'], ['区经商局', '莲都经开区管委会', '区供电公司', '各乡镇(街道)']],
      ['13', ['区生态环境分局'], []],
    ],
  },
  {
    file: 'lishan-2023-district-lead-lines.txt',
    what: 'a district split with separate 牵头单位 and 责任单位 lines',
    parts: ['经济社会发展的主要预期目标'],
    items: [
      ['1.', ['区发改局'], ['立山经济开发区', '全区经济运行各专班']],
      ['2.', ['区工信局'], ['立山经济开发区']],
      ['3.', ['区发改局'], ['立山经济开发区', '各街道', '区直各部门']],
      ['4.', ['区商务局'], ['各街道', '区市场局']],
      ['5.', ['区财政局'], ['立山经济开发区', '各街道', '税务局']],
      ['6.', ['区发改局'], ['各街道', '各相关单位']],
    ],
  },
  {
    file: 'xialu-2020-district-bracket-labels.txt',
    what: 'a district split numbered 1、 with [牵头单位:…;责任单位:…] at the end of each item',
    parts: ['全力统筹疫情防控和经济社会秩序恢复'],
    items: [
      ['1、', ['区卫健局'], ['区疫情防控指挥部成员单位', '各街办(新区)']],
      [
        '2、',
        ['区卫健局', '区创文办'],
        ['区疫情防控指挥部成员单位', '区创文工作领导小组成员单位', '各街办(新区)'],
      ],
    ],
  },
  {
    file: 'caidian-2023-district-cparen-titles.txt',
    what: 'a district split whose notice has numbered paragraphs before the (一) items',
    parts: ['2023年全区经济社会发展的主要预期目标'],
    items: [
      ['(一)', ['区发展和改革局'], []],
      ['(二)', ['区科技和经信局'], []],
      ['(三)', ['区发展和改革局'], []],
    ],
  },
  {
    file: 'sichuan-2022-province-plan-carry.txt',
    what: 'a provincial plan with 〔责任单位：…按职责分工负责。…不再做分工，下同。〕',
    parts: ['深化现代流通市场化改革'],
    items: [
      ['(一)', ['省发展改革委', '省市场监管局', '商务厅', '省大数据中心'], ['相关市(州)人民政府']],
      ['(二)', ['省市场监管局'], ['相关市(州)人民政府']],
    ],
  },
  {
    file: 'state-council-2020-division.txt',
    what: 'a State Council division of work with a deadline inside the clause',
    parts: ['落实2020年发展主要目标和下一阶段工作总体部署'],
    items: [['1.', ['国务院各部门'], []]],
  },
  {
    file: 'xining-2017-city-opinions-double-space.txt',
    what: 'city implementation opinions with two labels separated only by spaces',
    parts: ['主要工作目标', '加快流通业发展的重点工作任务'],
    items: [['1.', ['市商务局'], ['市编办', '市发改委', '市法制办', '各区县政府']]],
  },
  {
    file: 'fujian-innovation-task-split-multiline.txt',
    what: 'a provincial task split whose clause covers several paragraphs and spans two lines',
    parts: ['重点工作和任务'],
    items: [['1.', ['省经信委', '发改委', '科技厅'], []]],
  },
  {
    file: 'huaian-2022-city-rules-carry.txt',
    what: 'city rules with "以下政策措施均需…落实，不再单独列出"',
    parts: ['落实财税支持政策'],
    items: [
      ['1.', ['市工信局', '市财政局', '各县区人民政府', '园区管委会'], []],
      ['2.', ['市工信局', '市财政局'], ['各县区人民政府', '园区管委会']],
    ],
  },
];

describe('real published decisions, item by item', () => {
  it('covers at least eight documents', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(8);
  });

  for (const c of CASES) {
    it(`reads every item of ${c.what} (${c.file})`, () => {
      const decision = parse(realText(c.file));
      expect(decision.parts.map((p) => p.title)).toEqual(c.parts);
      expect(itemsOf(decision)).toEqual(c.items);
    });
  }
});

describe('what the real documents also say', () => {
  it('reports the first-listed rule of the Lishui split with the number of items it decided', () => {
    const decision = parse(realText('lishui-2023-city-report-split.txt'));
    expect(decision.title).toBe('市政府工作报告重点工作责任分解(2023年)');
    const rules = decision.warnings.filter((w) => w.code === 'rule_applied');
    expect(rules).toEqual([
      {
        code: 'rule_applied',
        text: '列第一位为牵头或汇总单位,下同',
        message: expect.stringContaining('was applied to 2 items'),
      },
    ]);
  });

  it('reports each carry-forward note with the items it reached', () => {
    const sichuan = parse(realText('sichuan-2022-province-plan-carry.txt'));
    expect(sichuan.warnings.filter((w) => w.code === 'rule_applied').map((w) => w.message)).toEqual([
      expect.stringContaining('added its units as participants to 2 items'),
    ]);
    const huaian = parse(realText('huaian-2022-city-rules-carry.txt'));
    expect(huaian.warnings.filter((w) => w.code === 'rule_applied').map((w) => w.message)).toEqual([
      expect.stringContaining('to 1 item'),
    ]);
  });

  it('keeps the page chrome, the notice and the signature out of the items and finds the title', () => {
    const caidian = parse(realText('caidian-2023-district-cparen-titles.txt'));
    expect(caidian.title).toBe(
      '区人民政府办公室关于印发2023年区《政府工作报告》确定的主要目标任务责任分解方案的通知',
    );
    expect(caidian.articles.map((a) => a.title)).toEqual([
      '地区生产总值增长7%以上',
      '规上工业增加值增长12%以上',
      '固定资产投资增长10%以上',
    ]);
    const lishui = parse(realText('lishui-2023-city-report-split.txt'));
    // "(一)全力以赴拼经济稳增长促发展。" heads a section: it is not item 9's text.
    expect(lishui.articles[8]?.body).toBe('');
    expect(lishui.articles[8]?.clause).toBe('责任单位:市人力社保局、市发改委分别牵头');
  });

  it('takes the table’s 事项 cell as the title and reads its targets', () => {
    const liandu = parse(realText('liandu-2023-district-table-flattened.txt'));
    expect(liandu.title).toBe('2023年莲都区政府工作报告重点工作责任分解');
    expect(liandu.articles[0]?.title).toBe('地区生产总值增长6.5%以上');
    expect(liandu.articles[0]?.indicators.map((i) => [i.comparator, i.value, i.unit])).toEqual([
      ['>=', 6.5, '%'],
    ]);
  });

  it('reads "年内持续推进" in the State Council clause as open-ended work', () => {
    const decision = parse(realText('state-council-2020-division.txt'));
    expect(decision.articles[0]?.due).toEqual({ kind: 'ongoing', written: '年内持续推进' });
    expect(decision.articles[0]?.clause).toBe('(国务院各部门分别负责,年内持续推进)');
  });

  it('resolves the names a registry knows and warns about the others, keeping them as written', () => {
    const registry = createAgencyRegistry([
      { name: '区发改局', aliases: ['莲都区发展和改革局'], kind: 'department' },
      { name: '区经商局', aliases: [], kind: 'department' },
    ]);
    const decision = parse(realText('liandu-2023-district-table-flattened.txt'), registry);
    const third = decision.articles[2];
    expect(third?.leads).toEqual([{ name: '区经商局', written: '区经商局', known: true }]);
    expect(third?.participants).toEqual([
      { name: '莲都经开区管委会', written: '莲都经开区管委会', known: false },
    ]);
    expect(decision.warnings).toContainEqual(
      expect.objectContaining({ code: 'unknown_agency', article: 3, text: '莲都经开区管委会' }),
    );
  });
});
