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

describe('renderPromptCards', () => {
  it('renders one JSON 2.0 card listing only the open tasks, in article order, lead before participant', () => {
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
    const reports = callbackValues(card).filter((v) => v.action === 'report');
    expect(reports.map((v) => v.task_id)).toEqual([31, 36, 35, 30]);
    expect(reports.every((v) => v.cycle === '2026-W48')).toBe(true);
    const text = markdownText(card);
    expect(text).toContain('**第5条** 设立创新资金');
    expect(text).toContain('角色：牵头');
    expect(text).toContain('角色：参与');
    expect(JSON.stringify(card.header)).toContain('督办提醒 · 市科技局');
    expect(JSON.stringify(card.header)).toContain('4 项任务待更新');
  });

  it('gives an agency without open tasks no card at all', () => {
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

  it('prefills each form from the last report, and from the task when nothing was reported yet', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [
        task({
          id: 1,
          percent: 10,
          lastReport: {
            at: '2026-11-16T03:00:00Z',
            status: 'in_progress',
            percent: 70,
            note: '已完成70%，需市财政局配合',
            evidenceUrl: 'https://example.gov.cn/report.pdf',
          },
        }),
        task({ id: 2, status: 'not_started', percent: 0 }),
        task({
          id: 3,
          blocked: true,
          blockedReason: '资金未到位',
          lastReport: { at: '2026-11-16T03:00:00Z', status: 'in_progress', percent: 20, blocked: true },
        }),
      ],
    });
    if (!card) throw new Error('no card');
    const f1 = promptFieldNames(1);
    expect(byName(card, f1.status)?.initial_option).toBe('in_progress');
    expect(byName(card, f1.percent)?.default_value).toBe('70');
    expect(byName(card, f1.note)?.default_value).toBe('已完成70%，需市财政局配合');
    expect(byName(card, f1.evidence)?.default_value).toBe('https://example.gov.cn/report.pdf');
    const f2 = promptFieldNames(2);
    expect(byName(card, f2.status)?.initial_option).toBe('not_started');
    expect(byName(card, f2.percent)?.default_value).toBe('0');
    expect(byName(card, f2.note)?.default_value).toBe('');
    expect(byName(card, promptFieldNames(3).status)?.initial_option).toBe('blocked');
    const text = markdownText(card);
    expect(text).toContain('上次报送：进行中 70%（2026-11-16）');
    expect(text).toContain('尚未报送（当前：未开始 0%）');
    // every select offers its initial option
    for (const select of nodes(card, 'select_static')) {
      const values = (select.options as { value: string }[]).map((o) => o.value);
      expect(values).toContain(select.initial_option);
    }
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
    expect(text).toContain('🔴 红灯：已逾期 3 天');
    expect(text).toContain('🔴 红灯：受阻：用地指标未落实');
    expect(text).toMatch(/🟡 黄灯：进度 20%，落后于序时进度 90%/);
    expect(text).toContain('🟢 绿灯：进度正常');
    expect(text).toContain('🟡 黄灯：本周期尚未报送进展');
    expect(text).toContain('🔴 红灯：已逾期 1 天；受阻');
    expect((card.header as { template: string }).template).toBe('red');
  });

  it('carries one no-change button for the agency and a submit per task, with valid unique names', () => {
    const [card] = renderPromptCards({
      agency,
      cycle,
      now,
      tasks: [task({ id: 1 }), task({ id: 123456789 })],
    });
    if (!card) throw new Error('no card');
    const noChange = callbackValues(card).filter((v) => v.action === 'no_change');
    expect(noChange).toEqual([{ action: 'no_change', agency_id: 7, cycle: '2026-W48' }]);
    expect(JSON.stringify(card)).toContain('本周无变化');
    const ids: string[] = [];
    walk(card, (n) => {
      for (const k of ['name', 'element_id'] as const) {
        if (typeof n[k] === 'string' && !(k === 'element_id' && n.name === n.element_id))
          ids.push(n[k] as string);
      }
    });
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(isValidElementId(id), id).toBe(true);
    for (const form of nodes(card, 'form')) {
      const submit = (form.elements as Node[]).filter(
        (e) => e.tag === 'button' && e.form_action_type === 'submit',
      );
      expect(submit).toHaveLength(1);
      for (const child of form.elements as Node[]) expect(typeof child.name).toBe('string');
    }
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
    expect(byName(after[0] as CardJson, promptFieldNames(2).form)).toBeUndefined();
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
    expect(json).toContain('Role: participant');
    expect(json).toContain('No change this cycle');
    expect(json).not.toContain('本周无变化');
  });
});

describe('renderPromptCards pagination', () => {
  const manyTasks = (n: number, noteChars: number) =>
    Array.from({ length: n }, (_, i) =>
      task({
        id: 1000 + i,
        articleNo: (i % 36) + 1,
        role: i % 3 === 0 ? 'participant' : 'lead',
        articleTitle: `建立健全以企业为主体、市场为导向、产学研相结合的技术创新体系（第${i}项）`,
        lastReport: {
          at: '2026-11-16T03:00:00Z',
          status: 'in_progress',
          percent: i % 100,
          note: '推进'.repeat(noteChars / 2),
          evidenceUrl: `https://example.gov.cn/evidence/${i}.pdf`,
        },
      }),
    );

  function checkPages(cards: CardJson[], expectedIds: number[]): void {
    const seen = cards.flatMap((c) =>
      callbackValues(c)
        .filter((v) => v.action === 'report')
        .map((v) => v.task_id),
    );
    expect([...seen].sort()).toEqual([...expectedIds].sort());
    cards.forEach((card, i) => {
      expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
      expect(countCardElements(card)).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
      expect(JSON.stringify(card.header)).toContain(`第 ${i + 1}/${cards.length} 页`);
      expect(callbackValues(card).filter((v) => v.action === 'no_change')).toHaveLength(1);
    });
  }

  it('splits an agency with many tasks into pages under 200 elements, keeping every task', () => {
    const tasks = manyTasks(60, 10);
    const cards = renderPromptCards({ agency, cycle, now, tasks });
    expect(cards.length).toBeGreaterThan(1);
    // the element limit is what split them: each page is far below 30 KB
    expect(Math.max(...cards.map(cardByteSize))).toBeLessThan(CARD_MAX_BYTES);
    expect(Math.max(...cards.map(countCardElements))).toBeGreaterThan(CARD_MAX_ELEMENTS * 0.8);
    checkPages(
      cards,
      tasks.map((x) => x.id),
    );
    // every page keeps the same ordering as one long card would have
    const order = cards.flatMap((c) =>
      callbackValues(c)
        .filter((v) => v.action === 'report')
        .map((v) => v.task_id),
    );
    const unsplit = renderPromptCards({
      agency,
      cycle,
      now,
      tasks,
      limits: { maxBytes: 10_000_000, maxElements: 100_000 },
    });
    expect(unsplit).toHaveLength(1);
    expect(
      callbackValues(unsplit[0] as CardJson)
        .filter((v) => v.action === 'report')
        .map((v) => v.task_id),
    ).toEqual(order);
  });

  it('splits by bytes when long notes would pass 30 KB, never cutting a note', () => {
    const tasks = manyTasks(24, 1000); // 1000 CJK characters = 3000 bytes per note
    const unsplit = renderPromptCards({ agency, cycle, now, tasks, limits: { maxBytes: 10_000_000 } });
    expect(unsplit.length).toBeGreaterThan(1); // the elements alone already need pages…
    const cards = renderPromptCards({ agency, cycle, now, tasks });
    expect(cards.length).toBeGreaterThan(unsplit.length); // …and the bytes need more of them
    checkPages(
      cards,
      tasks.map((x) => x.id),
    );
    for (const x of tasks) {
      const card = cards.find((c) => byName(c, promptFieldNames(x.id).note));
      expect(byName(card as CardJson, promptFieldNames(x.id).note)?.default_value).toBe(x.lastReport?.note);
    }
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
