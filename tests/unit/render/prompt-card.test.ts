import { describe, expect, it } from 'vitest';
import {
  CARD_MAX_BYTES,
  CARD_MAX_ELEMENTS,
  cardByteSize,
  countCardElements,
  isValidElementId,
  measureCardJson,
  utf8Length,
} from '../../../src/core/render/card-limits.js';
import {
  type PromptCardTask,
  pageOfTask,
  promptFieldNames,
  renderPromptCards,
} from '../../../src/core/render/prompt-card.js';
import type { CardJson } from '../../../src/ports/chat.js';

const now = new Date('2026-11-23T01:30:00Z'); // Monday 09:30 in Shanghai
const agency = { id: 7, name: '市科技局' };
const cycle = { key: '2026-W48' };

function task(over: Partial<PromptCardTask> & { id: number }): PromptCardTask {
  return {
    articleNo: over.id,
    articleTitle: `第${over.id}项工作`,
    role: 'lead',
    status: 'in_progress',
    percent: 40,
    dueDate: '2026-12-31',
    blocked: false,
    ...over,
  };
}

type Node = Record<string, unknown>;
function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) for (const v of value) walk(v, visit);
  else if (typeof value === 'object' && value !== null) {
    visit(value as Node);
    for (const v of Object.values(value)) walk(v, visit);
  }
}
function nodes(card: CardJson, tag: string): Node[] {
  const found: Node[] = [];
  walk(card, (n) => {
    if (n.tag === tag) found.push(n);
  });
  return found;
}
function byName(card: CardJson, name: string): Node | undefined {
  let hit: Node | undefined;
  walk(card, (n) => {
    if (n.name === name) hit = n;
  });
  return hit;
}
function callbackValues(card: CardJson): Record<string, unknown>[] {
  return nodes(card, 'button').flatMap((b) =>
    ((b.behaviors as { type: string; value: Record<string, unknown> }[] | undefined) ?? []).map(
      (x) => x.value,
    ),
  );
}
function markdownText(card: CardJson): string {
  return nodes(card, 'markdown')
    .map((n) => n.content)
    .join('\n');
}

function rowIds(card: CardJson): unknown[] {
  return callbackValues(card)
    .filter((v) => v.action === 'open_report' && v.task_id !== undefined)
    .map((v) => v.task_id);
}
function elementIds(card: CardJson): string[] {
  const ids: string[] = [];
  walk(card, (n) => {
    if (typeof n.element_id === 'string') ids.push(n.element_id);
  });
  return ids;
}
function checkLimits(card: CardJson): void {
  expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
  expect(countCardElements(card)).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
  const ids = elementIds(card);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(isValidElementId(id), id).toBe(true);
}

describe('renderPromptCards: the compact card', () => {
  it('renders one JSON 2.0 card with a line and a 报送 button per open task, in article order, lead before participant', () => {
    const cards = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [
        task({ id: 30, articleNo: 12, role: 'participant', articleTitle: '加快创新平台建设' }),
        task({ id: 31, articleNo: 5, articleTitle: '设立创新资金' }),
        task({ id: 32, articleNo: 6, status: 'verified' }),
        task({ id: 33, articleNo: 7, status: 'reported_done' }),
        task({ id: 34, articleNo: 8, removedAt: '2026-10-01T00:00:00Z' }),
        task({ id: 35, articleNo: 12, role: 'lead', articleTitle: '加快创新平台建设' }),
        task({ id: 36, articleNo: 9, status: 'returned' }),
      ],
    });
    expect(cards).toHaveLength(1);
    const card = cards[0] as CardJson;
    expect(card.schema).toBe('2.0');
    expect(card.config).toMatchObject({ update_multi: true });
    expect(rowIds(card)).toEqual([31, 36, 35, 30]);
    // the card is compact: no form until a 报送 button is tapped
    expect(nodes(card, 'form')).toHaveLength(0);
    for (const v of callbackValues(card)) {
      expect(v.cycle).toBe('2026-W48');
      expect(v.issued).toBe(now.getTime());
    }
    const text = markdownText(card);
    expect(text).toContain('**第5条** 设立创新资金　牵头 · 截止 2026-12-31');
    expect(text).toContain('**第12条** 加快创新平台建设　参与');
    expect(text).toContain('尚未报送（当前：进行中 40%）');
    expect(nodes(card, 'button').map((b) => (b.text as { content: string }).content)).toEqual([
      '报送',
      '报送',
      '报送',
      '报送',
      '本周无变化',
    ]);
    expect(JSON.stringify(card.header)).toContain('督办提醒 · 市科技局');
    expect(JSON.stringify(card.header)).toContain('4 项任务待更新');
    checkLimits(card);
  });

  it('gives an agency with nothing to show no card at all', () => {
    expect(
      renderPromptCards({
        agency,
        cycle,
        now,
        tasks: [task({ id: 1, status: 'verified' }), task({ id: 2, status: 'reported_done' })],
      }),
    ).toEqual([]);
    expect(renderPromptCards({ agency, cycle, now, tasks: [] })).toEqual([]);
  });

  it('keeps a task reported done this cycle on the card, with a 更正 button instead of 报送', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [
        task({ id: 1 }),
        task({
          id: 2,
          status: 'reported_done',
          percent: 100,
          repliedThisCycle: true,
          lastReport: { at: '2026-11-23T02:00:00Z', status: 'reported_done', percent: 100, by: '张三' },
        }),
      ],
    });
    if (!card) throw new Error('no card');
    expect(rowIds(card)).toEqual([1, 2]);
    const button = nodes(card, 'button').find((b) => b.element_id === promptFieldNames(2).open);
    expect(JSON.stringify(button?.text)).toContain('"更正"');
    expect(markdownText(card)).toContain('上次报送：已完成（待销号） 100%（张三，2026-11-23 10:00）');
    expect(JSON.stringify(card.header)).toContain('1 项任务待更新');
  });

  it('shows the traffic light with its reason and colours the header by the worst one', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [
        task({ id: 1, dueDate: '2026-11-20' }),
        task({ id: 2, blocked: true, blockedReason: '用地指标未落实' }),
        task({ id: 3, startDate: '2026-01-01', dueDate: '2026-12-31', percent: 20 }),
        task({ id: 4, startDate: '2026-01-01', dueDate: '2026-12-31', percent: 85 }),
        task({ id: 5, light: { color: 'yellow', reasons: [{ code: 'no_reply' }] } }),
        task({ id: 6, dueDate: '2026-11-22', blocked: true }),
      ],
    });
    if (!card) throw new Error('no card');
    const text = markdownText(card);
    expect(text).toContain('红灯：已逾期 3 天');
    expect(text).toContain('🔴 **第2条**');
    expect(text).toContain('红灯：受阻：用地指标未落实');
    expect(text).toMatch(/🟡 \*\*第3条\*\*[^\n]*\n[^\n]*黄灯：进度 20%，落后于序时进度 90%/);
    expect(text).toContain('绿灯：进度正常');
    expect(text).toContain('黄灯：本周期尚未报送进展');
    expect(text).toContain('红灯：已逾期 1 天；受阻');
    expect((card.header as { template: string }).template).toBe('red');
  });

  it("opens one task's form, every field labelled and prefilled from the last report", () => {
    const tasks = [
      task({
        id: 1,
        percent: 10,
        lastReport: {
          at: '2026-11-16T03:00:00Z',
          status: 'in_progress',
          percent: 70,
          note: '已完成70%，需市财政局配合',
          evidenceUrl: 'https://example.gov.cn/report.pdf',
          by: '李四',
        },
      }),
      task({ id: 2, status: 'not_started', percent: 0 }),
      task({
        id: 3,
        blocked: true,
        blockedReason: '资金未到位',
        lastReport: { at: '2026-11-16T03:00:00Z', status: 'in_progress', percent: 20, blocked: true },
      }),
    ];
    const [card] = renderPromptCards({ agency, cycle, now, tasks, openTaskId: 1 });
    if (!card) throw new Error('no card');
    const forms = nodes(card, 'form');
    expect(forms).toHaveLength(1);
    const f1 = promptFieldNames(1);
    expect(forms[0]?.name).toBe(f1.form);
    expect(byName(card, f1.status)?.initial_option).toBe('in_progress');
    expect(byName(card, f1.percent)?.default_value).toBe('70');
    expect(byName(card, f1.note)?.default_value).toBe('已完成70%，需市财政局配合');
    expect(byName(card, f1.evidence)?.default_value).toBe('https://example.gov.cn/report.pdf');
    // labels: a select has none of its own in JSON 2.0, so a line above it names it
    const elements = forms[0]?.elements as Node[];
    const statusAt = elements.findIndex((e) => e.name === f1.status);
    expect(elements[statusAt - 1]).toMatchObject({ tag: 'markdown', content: '**状态**' });
    for (const input of nodes(card, 'input'))
      expect((input.label as { content: string }).content).not.toBe('');
    expect(nodes(card, 'input').map((i) => (i.label as { content: string }).content)).toEqual([
      '完成比例（0–100）',
      '进展说明',
      '佐证材料链接',
    ]);
    // the form's submit reports for its task and cycle; the row's button closes it
    const submit = elements.filter((e) => e.tag === 'button' && e.form_action_type === 'submit');
    expect(submit).toHaveLength(1);
    for (const child of elements) if (child.tag !== 'markdown') expect(typeof child.name).toBe('string');
    expect(callbackValues(card).find((v) => v.action === 'report')).toEqual({
      action: 'report',
      task_id: 1,
      cycle: '2026-W48',
      issued: now.getTime(),
    });
    const close = nodes(card, 'button').find((b) => b.element_id === f1.open);
    expect(JSON.stringify(close?.text)).toContain('"收起"');
    expect(callbackValues(card).find((v) => v.action === 'open_report' && v.task_id === undefined)).toEqual({
      action: 'open_report',
      agency_id: 7,
      cycle: '2026-W48',
      issued: now.getTime(),
    });
    expect(markdownText(card)).toContain('上次报送：进行中 70%（李四，2026-11-16 11:00）');
    checkLimits(card);

    const [second] = renderPromptCards({ agency, cycle, now, tasks, openTaskId: 2 });
    expect(byName(second as CardJson, promptFieldNames(2).status)?.initial_option).toBe('not_started');
    expect(byName(second as CardJson, promptFieldNames(2).percent)?.default_value).toBe('0');
    const [third] = renderPromptCards({ agency, cycle, now, tasks, openTaskId: 3 });
    expect(byName(third as CardJson, promptFieldNames(3).status)?.initial_option).toBe('blocked');
    for (const select of nodes(third as CardJson, 'select_static')) {
      const values = (select.options as { value: string }[]).map((o) => o.value);
      expect(values).toContain(select.initial_option);
    }
  });

  it('asks before a done report is corrected', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      openTaskId: 2,
      tasks: [task({ id: 2, status: 'reported_done', percent: 100, repliedThisCycle: true })],
    });
    const submit = byName(card as CardJson, promptFieldNames(2).submit);
    expect(JSON.stringify(submit?.text)).toContain('"更正完成报告"');
    expect(JSON.stringify(submit?.confirm)).toContain('记入审计');
  });

  it('says what was recorded, by whom and when, after a report', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      recordedTaskId: 1,
      tasks: [
        task({
          id: 1,
          articleNo: 5,
          percent: 70,
          repliedThisCycle: true,
          lastReport: { at: '2026-11-23T02:00:00Z', status: 'in_progress', percent: 70, by: '王五' },
        }),
      ],
    });
    const text = markdownText(card as CardJson);
    expect(text).toContain('✅ 已记录第5条：进行中 70%（王五，2026-11-23 10:00）');
    expect(text).not.toContain('尚未报送');
    expect(nodes(card as CardJson, 'form')).toHaveLength(0);
  });

  it('escapes markdown in titles taken from the decision text', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [task({ id: 1, articleTitle: '<at id=all></at> **加粗**' })],
    });
    const text = markdownText(card as CardJson);
    expect(text).not.toContain('<at id=all>');
    expect(text).not.toContain('**加粗**');
  });

  it('re-renders identically from the same state and follows the state when it changes', () => {
    const tasks = [task({ id: 1 }), task({ id: 2 })];
    const first = renderPromptCards({ agency, cycle, now, tasks });
    expect(renderPromptCards({ agency, cycle, now, tasks })).toEqual(first);
    const after = renderPromptCards({
      agency,
      cycle,
      now,
      openTaskId: 1,
      tasks: [
        task({
          id: 1,
          percent: 60,
          lastReport: { at: '2026-11-23T02:00:00Z', status: 'in_progress', percent: 60 },
        }),
        task({ id: 2, status: 'reported_done' }),
      ],
    });
    expect(after).toHaveLength(1);
    expect(byName(after[0] as CardJson, promptFieldNames(1).percent)?.default_value).toBe('60');
    expect(rowIds(after[0] as CardJson)).toEqual([]);
    expect(markdownText(after[0] as CardJson)).not.toContain('第2项工作');
  });

  it('speaks en-US when asked', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      locale: 'en-US',
      tasks: [task({ id: 1, role: 'participant' })],
    });
    const json = JSON.stringify(card);
    expect(json).toContain('participant · due 2026-12-31');
    expect(json).toContain('No change this cycle');
    expect(json).toContain('"Report"');
    expect(json).not.toContain('本周无变化');
  });
});

describe('renderPromptCards: Lark limits', () => {
  const manyTasks = (n: number, noteChars: number) =>
    Array.from({ length: n }, (_, i) =>
      task({
        id: 100_000_000 + i,
        articleNo: (i % 36) + 1,
        role: i % 3 === 0 ? 'participant' : 'lead',
        articleTitle: `建立健全以企业为主体、市场为导向、产学研相结合的技术创新体系（第${i}项）`,
        blocked: i % 7 === 0,
        blockedReason: i % 7 === 0 ? '资金未到位，需市财政局协调' : null,
        lastReport: {
          at: '2026-11-16T03:00:00Z',
          status: 'in_progress',
          percent: i % 100,
          note: '推进'.repeat(noteChars / 2),
          evidenceUrl: `https://example.gov.cn/evidence/${i}.pdf`,
          by: '市科技局办公室张某某',
        },
      }),
    );

  it('fits an agency with 30 tasks in one card, with any one of its forms open', () => {
    const tasks = manyTasks(30, 1000);
    const cards = renderPromptCards({ agency, cycle, now, tasks });
    expect(cards).toHaveLength(1);
    checkLimits(cards[0] as CardJson);
    expect(rowIds(cards[0] as CardJson)).toHaveLength(30);
    for (const x of tasks) {
      const open = renderPromptCards({ agency, cycle, now, tasks, openTaskId: x.id });
      expect(open).toHaveLength(1);
      checkLimits(open[0] as CardJson);
      // the note is never cut
      expect(byName(open[0] as CardJson, promptFieldNames(x.id).note)?.default_value).toBe(
        x.lastReport?.note,
      );
    }
  });

  it('pages only beyond one card, each page within limits with any form open, keeping every task in order', () => {
    const tasks = manyTasks(90, 200);
    const cards = renderPromptCards({ agency, cycle, now, tasks });
    expect(cards.length).toBeGreaterThan(1);
    const order = cards.flatMap(rowIds);
    const unsplit = renderPromptCards({
      agency,
      cycle,
      now,
      tasks,
      limits: { maxBytes: 10_000_000, maxElements: 100_000 },
    });
    expect(unsplit).toHaveLength(1);
    expect(rowIds(unsplit[0] as CardJson)).toEqual(order);
    expect([...order].sort()).toEqual(tasks.map((x) => x.id).sort());
    cards.forEach((card, i) => {
      checkLimits(card);
      expect(JSON.stringify(card.header)).toContain(`第 ${i + 1}/${cards.length} 页`);
      expect(callbackValues(card).filter((v) => v.action === 'no_change')).toHaveLength(1);
      for (const v of callbackValues(card).filter((x) => x.action === 'open_report'))
        expect(v.page).toBe(i + 1);
    });
    for (const x of tasks) {
      const open = renderPromptCards({ agency, cycle, now, tasks, openTaskId: x.id });
      const page = pageOfTask(open, x.id) as number;
      expect(page).toBe(pageOfTask(cards, x.id));
      checkLimits(open[page - 1] as CardJson);
      expect(nodes(open[page - 1] as CardJson, 'form')).toHaveLength(1);
    }
  });

  it('splits by bytes when long titles would pass 30 KB', () => {
    const tasks = manyTasks(40, 10).map((x) => ({ ...x, articleTitle: '创新'.repeat(150) }));
    const cards = renderPromptCards({ agency, cycle, now, tasks });
    expect(cards.length).toBeGreaterThan(1);
    expect(Math.max(...cards.map(countCardElements))).toBeLessThan(CARD_MAX_ELEMENTS);
    for (const card of cards) checkLimits(card);
  });

  it('measures serialised card JSON exactly as the object walk and a UTF-8 encoder do', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [task({ id: 1, articleTitle: '含 "tag": 字样与表情😀的标题' }), task({ id: 2 })],
    });
    const json = JSON.stringify(card);
    expect(measureCardJson(json)).toEqual({
      bytes: new TextEncoder().encode(json).length,
      elements: countCardElements(card),
    });
    expect(utf8Length('a督😀')).toBe(1 + 3 + 4);
  });

  it('counts every tagged object at any depth as an element', () => {
    expect(
      countCardElements({
        tag: 'form',
        elements: [{ tag: 'input', label: { tag: 'plain_text', content: 'x' } }, { foo: 1 }],
      }),
    ).toBe(3);
    expect(cardByteSize({ a: '督办' })).toBe(JSON.stringify({ a: '' }).length + 6);
  });
});

describe('renderPromptCards: the roll-up to the lead', () => {
  const participants = [
    {
      agency: '市财政局',
      status: 'in_progress',
      percent: 40,
      lastReportAt: '2026-11-26T01:40:00Z',
    },
    { agency: '市金融办', status: 'not_started', percent: 0, lastReportAt: null },
  ];
  const markdownOf = (card: CardJson, taskId: number): string =>
    String(nodes(card, 'markdown').find((n) => n.element_id === promptFieldNames(taskId).text)?.content);

  it("shows each participant's last status and date in one line under the task the agency leads", () => {
    const [card] = renderPromptCards({ agency, cycle, now, tasks: [task({ id: 13, participants })] });
    expect(markdownOf(card as CardJson, 13)).toContain(
      '参与单位：市财政局 进行中 40%（11-26） · 市金融办 未报送',
    );
  });

  it('says it in English too, and shows nothing for a task the agency only takes part in', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      locale: 'en-US',
      tasks: [task({ id: 13, participants }), task({ id: 14, role: 'participant', participants })],
    });
    expect(markdownOf(card as CardJson, 13)).toContain(
      'Participants: 市财政局 in progress 40% (11-26) · 市金融办 not reported',
    );
    expect(markdownOf(card as CardJson, 14)).not.toContain('Participants');
  });

  it('names participants up to a bound and counts the rest, so an article of a thousand agencies still fits one card', () => {
    const thousand = Array.from({ length: 1000 }, (_, i) => ({
      agency: `第${i + 1}区人民政府办公室`,
      status: 'in_progress',
      percent: 40,
      lastReportAt: i % 2 === 0 ? null : '2026-11-26T01:40:00Z',
    }));
    const cards = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [task({ id: 13, participants: thousand })],
    });
    expect(cards).toHaveLength(1);
    checkLimits(cards[0] as CardJson);
    const line = markdownOf(cards[0] as CardJson, 13);
    expect(line).toContain('参与单位：第1区人民政府办公室 未报送');
    const named = (line.match(/区人民政府办公室/g) ?? []).length;
    expect(named).toBeGreaterThan(10);
    expect(line).toContain(`等另 ${1000 - named} 家`);
  });

  it('keeps 30 led tasks with four participants each in one card within limits, with any form open', () => {
    const many = Array.from({ length: 4 }, (_, i) => ({
      agency: ['市财政局', '市发展改革委', '市人力资源社会保障局', '市金融办'][i] as string,
      status: 'in_progress',
      percent: 10 * i,
      blocked: i === 2,
      lastReportAt: i === 4 ? null : '2026-11-26T01:40:00Z',
    }));
    const tasks = Array.from({ length: 30 }, (_, i) =>
      task({
        id: 200_000_000 + i,
        articleNo: i + 1,
        articleTitle: `建立健全以企业为主体、市场为导向、产学研相结合的技术创新体系（第${i}项）`,
        participants: many,
        lastReport: {
          at: '2026-11-16T03:00:00Z',
          status: 'in_progress',
          percent: 50,
          note: '推进'.repeat(500),
          by: '市科技局办公室张某某',
        },
      }),
    );
    const cards = renderPromptCards({ agency, cycle, now, tasks });
    expect(cards).toHaveLength(1);
    checkLimits(cards[0] as CardJson);
    for (const x of tasks) {
      const open = renderPromptCards({ agency, cycle, now, tasks, openTaskId: x.id });
      expect(open).toHaveLength(1);
      checkLimits(open[0] as CardJson);
    }
  });
});
