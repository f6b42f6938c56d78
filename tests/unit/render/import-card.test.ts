import { describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, measureCardJson } from '../../../src/core/render/card-limits.js';
import { type ImportCardInput, renderImportPreviewCard } from '../../../src/core/render/import-card.js';

const base: ImportCardInput = {
  title: '关于加强测试工作的决定',
  fileName: '决定.txt',
  status: 'new',
  documentId: null,
  counts: { parts: 2, articles: 3, agencies: 2, tasks: 2 },
  articlesAdded: [],
  articlesChanged: [],
  articlesRemoved: [],
  tasksAdded: [],
  tasksDropped: [],
  kept: null,
  unknownNames: [],
  notes: [],
  pastDeadlines: [],
  contentHash: 'f'.repeat(64),
  confirmValue: { action: 'import_confirm', message_id: 'om_1', hash: 'f'.repeat(64) },
  cancelValue: { action: 'import_cancel' },
};

describe('renderImportPreviewCard', () => {
  it('stays within Lark card limits for a hostile file: a huge title, thousands of tasks and names', () => {
    const many = Array.from({ length: 5000 }, (_, i) => i + 1);
    const card = renderImportPreviewCard({
      ...base,
      title: '决'.repeat(20_000),
      fileName: `${'名'.repeat(5000)}.txt`,
      status: 'revision',
      documentId: 1,
      articlesAdded: many.map((no) => ({ no, title: '条'.repeat(500) })),
      articlesChanged: many.map((no) => ({ no, title: '改'.repeat(500) })),
      articlesRemoved: many.map((no) => ({ no, title: '删'.repeat(500) })),
      tasksAdded: many.map((article) => ({ article, assignee: '单位'.repeat(200), role: 'lead' as const })),
      tasksDropped: many.map((article) => ({ article, assignee: '单位', role: 'participant' as const })),
      kept: { kept: 1, closed: 5000 },
      unknownNames: many.map((article) => ({ article, text: '未知'.repeat(300) })),
      notes: many.map((article) => ({ code: 'rule_applied', article, text: '注'.repeat(300) })),
      pastDeadlines: many.map((article) => ({ article, metric: '指标'.repeat(200), deadlineYear: 2020 })),
    });
    const size = measureCardJson(JSON.stringify(card));
    expect(size.bytes).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(size.elements).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
    expect(JSON.stringify(card)).toContain('……另有');
  });

  it('offers no buttons for a text already imported', () => {
    const card = renderImportPreviewCard({ ...base, status: 'unchanged', documentId: 4, confirmValue: null });
    const text = JSON.stringify(card);
    expect(text).toContain('该文本已导入（#4）');
    expect(text).not.toContain('import_confirm');
  });
});
