import { describe, expect, it } from 'vitest';
import {
  buildKeyIndex,
  parseClauseText,
  splitUnits,
  statesFirstListedLeads,
} from '../../../src/core/policy/clause.js';
import { shippedRegistry } from './helpers.js';

const keys = buildKeyIndex(shippedRegistry().knownKeys());
const read = (text: string, firstListedLeads = false) => parseClauseText(text, { firstListedLeads, keys });

describe('responsibility clause grammar', () => {
  it.each([
    ['本部分工作由市发改委牵头,市科技局、市经贸委等部门参与', ['市发改委'], ['市科技局', '市经贸委']],
    ['本部分工作由市发改委、市经贸委牵头,市科技局等部门参与', ['市发改委', '市经贸委'], ['市科技局']],
    ['本部分工作由市科技局负责', ['市科技局'], []],
    ['本部分工作由各有关单位负责', ['各有关单位'], []],
    ['市科技局牵头，市财政局、市教育局参与', ['市科技局'], ['市财政局', '市教育局']],
    ['牵头单位:市科技局,配合单位:市财政局', ['市科技局'], ['市财政局']],
    ['牵头单位：市科技局；配合单位：市财政局、市教育局', ['市科技局'], ['市财政局', '市教育局']],
    ['责任单位：市科技局、市财政局', ['市科技局', '市财政局'], []],
    ['由市科技局会同市财政局负责', ['市科技局'], ['市财政局']],
    ['由市科技局负责组织实施', ['市科技局'], []],
    ['市科技局牵头负责，市财政局配合', ['市科技局'], ['市财政局']],
    ['本部分工作由市发改委牵头,市信息办等部门和有关区参与', ['市发改委'], ['市信息办', '有关区']],
    [
      '本部分工作由市委办公厅、市府办公厅牵头,市各有关部门参与',
      ['市委办公厅', '市府办公厅'],
      ['市各有关部门'],
    ],
    ['市科技局牵头，市新闻出版和广电局参与', ['市科技局'], ['市新闻出版和广电局']],
    ['市科技局牵头，市财政局，市教育局参与', ['市科技局'], ['市财政局', '市教育局']],
  ])('reads "%s"', (text, leads, participants) => {
    expect(read(text)).toEqual({ leads, participants });
  });

  it('applies the first-listed rule only when the document states it', () => {
    expect(read('市科技局、市财政局、市教育局负责', true)).toEqual({
      leads: ['市科技局'],
      participants: ['市财政局', '市教育局'],
    });
    expect(read('市科技局、市财政局、市教育局负责', false)).toEqual({
      leads: ['市科技局', '市财政局', '市教育局'],
      participants: [],
    });
    expect(read('责任单位：市科技局，市财政局', true)).toEqual({
      leads: ['市科技局'],
      participants: ['市财政局'],
    });
  });

  it.each([
    '行业协会牵头或参与制定行业标准',
    '鼓励企业参与',
    '支持鼓励企业、高校、科研机构、检验检测机构和行业协会牵头或参与制定行业标准、国家标准、国际标准',
    '下简称“留交会”',
    '产业联盟、行业联盟',
    '县级市',
    '由科技部门会同综合经济部门做好本市企业自主创新产品认定和上报的有关工作',
    '市科技局、市财政局',
    '',
  ])('does not take the prose "%s" for a clause', (text) => {
    expect(read(text)).toBeNull();
  });

  it('reports labelled participants alone (lead missing) rather than dropping them', () => {
    expect(read('配合单位：市财政局')).toEqual({ leads: [], participants: ['市财政局'] });
  });
});

describe('unit lists', () => {
  it('keeps collective names with 、 or brackets whole', () => {
    expect(splitUnits('市科技局、各区、县级市', keys)).toEqual(['市科技局', '各区、县级市']);
    expect(splitUnits('市科技局、各区（县级市）', keys)).toEqual(['市科技局', '各区（县级市）']);
    const bare = buildKeyIndex([]);
    expect(splitUnits('市甲局、各区、县级市、各镇、街', bare)).toEqual([
      '市甲局',
      '各区、县级市',
      '各镇、街',
    ]);
    expect(splitUnits('各区、县级市人民政府，市甲局', bare)).toEqual(['各区、县级市人民政府', '市甲局']);
  });

  it('splits at 和 only where the registry knows a side', () => {
    expect(splitUnits('市信息办和有关区', keys)).toEqual(['市信息办', '有关区']);
    expect(splitUnits('市甲局和有关区', keys)).toEqual(['市甲局', '有关区']);
    expect(splitUnits('市新闻出版和广电局', keys)).toEqual(['市新闻出版和广电局']);
    expect(splitUnits('市甲和乙局', keys)).toEqual(['市甲和乙局']);
  });

  it('drops 等部门 and 等单位 at the end of a list', () => {
    expect(splitUnits('市财政局、市质监局等部门', keys)).toEqual(['市财政局', '市质监局']);
    expect(splitUnits('市财政局等单位', keys)).toEqual(['市财政局']);
  });
});

describe('the first-listed-leads rule', () => {
  it.each([
    '责任单位中排在第一位的为牵头单位',
    '列第一位的单位为牵头单位',
    '排在首位的是牵头部门',
    '第一个单位为牵头单位，其余为配合单位',
  ])('is found in "%s"', (text) => {
    expect(statesFirstListedLeads(text)).toBe(true);
  });

  it('is not found in an ordinary decision', () => {
    expect(statesFirstListedLeads('本部分工作由市发改委牵头,市科技局参与。第一批项目由市科技局牵头。')).toBe(
      false,
    );
  });
});
