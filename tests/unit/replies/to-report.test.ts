import { describe, expect, it } from 'vitest';
import { loadAgencyRegistryFile } from '../../../src/config/agencies.js';
import { createAgencyRegistry } from '../../../src/core/policy/registry.js';
import { echoLine, renderEchoCard } from '../../../src/core/render/reply-cards.js';
import { readReply } from '../../../src/core/replies/read-reply.js';
import { reportFromReading, reportFromStatus } from '../../../src/core/replies/to-report.js';
import { projectRoot } from '../../../src/store/paths.js';

const registry = createAgencyRegistry(loadAgencyRegistryFile(`${projectRoot}/config/agencies.json`));
const now = new Date('2026-11-26T02:00:00Z');
const fresh = { status: 'not_started', percent: 0 };

describe('what a reading records', () => {
  it('records a done statement as reported done at 100%, and done with a lower percent as in progress', () => {
    expect(reportFromStatus({ status: 'done', percent: null, note: '', current: fresh })).toMatchObject({
      status: 'reported_done',
      percent: 100,
    });
    expect(reportFromStatus({ status: 'done', percent: 50, note: '', current: fresh })).toMatchObject({
      status: 'in_progress',
      percent: 50,
    });
  });

  it('keeps the current percent when none is stated, and flags blocked beside the status', () => {
    const current = { status: 'in_progress', percent: 40 };
    expect(reportFromStatus({ status: 'in_progress', percent: null, note: '', current })).toMatchObject({
      status: 'in_progress',
      percent: 40,
    });
    expect(reportFromStatus({ status: 'blocked', percent: null, note: '资金未到位', current })).toMatchObject(
      {
        status: 'in_progress',
        percent: 40,
        blocked: true,
        note: '资金未到位',
      },
    );
  });

  it('records nothing for a reading without a status', () => {
    const reading = readReply({ text: '收到', now, registry });
    expect(reportFromReading({ reading, text: '收到', current: fresh })).toBeNull();
  });

  it('echoes the reading in one line on a card with 确认 and 修改', () => {
    const text = '已完成70%，预计6月底完成，需市财政局配合';
    const reading = readReply({ text, now, registry, agency: '市科技局' });
    const report = reportFromReading({ reading, text, current: fresh });
    const line = echoLine({
      report,
      eta: reading.eta,
      agencies: reading.agencies,
      blockers: reading.blockers,
    });
    expect(line).toBe('进行中 70% · 预计 2027-06-30 · 需 市财政局 配合');
    const card = JSON.stringify(
      renderEchoCard({
        task: { articleNo: 13, articleTitle: '加大财政科技投入' },
        line,
        confirmValue: { action: 'reply_confirm' },
        editValue: { action: 'open_report' },
      }),
    );
    expect(card).toContain('第13条 加大财政科技投入');
    expect(card).toContain('"content":"确认"');
    expect(card).toContain('"content":"修改"');
  });
});
