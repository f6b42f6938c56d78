import { describe, expect, it } from 'vitest';
import { readPromptReport } from '../../../src/core/progress/report-form.js';

const current = { status: 'not_started', percent: 0 };
const form = (fields: Record<string, string>) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [`${k}7`, v]));

describe('reading a task report from the prompt card form', () => {
  it('reads status, percent, note and evidence', () => {
    expect(
      readPromptReport({
        taskId: 7,
        formValue: form({
          st: 'in_progress',
          pc: '60%',
          nt: ' 已完成初稿 ',
          ev: 'https://example.gov.cn/a.pdf',
        }),
        current,
      }),
    ).toEqual({
      ok: true,
      report: {
        status: 'in_progress',
        percent: 60,
        blocked: false,
        note: '已完成初稿',
        evidenceUrl: 'https://example.gov.cn/a.pdf',
      },
    });
  });

  it('treats reported done as all of it, and a started percent as in progress', () => {
    const done = readPromptReport({ taskId: 7, formValue: form({ st: 'reported_done', pc: '80' }), current });
    expect(done.ok && done.report).toMatchObject({ status: 'reported_done', percent: 100 });
    const started = readPromptReport({
      taskId: 7,
      formValue: form({ st: 'not_started', pc: '10' }),
      current,
    });
    expect(started.ok && started.report.status).toBe('in_progress');
  });

  it('keeps the current percent when the field is left empty', () => {
    const read = readPromptReport({
      taskId: 7,
      formValue: form({ st: 'in_progress' }),
      current: { status: 'in_progress', percent: 40 },
    });
    expect(read.ok && read.report.percent).toBe(40);
  });

  it('marks a blocked task with its reason and keeps it in progress', () => {
    const read = readPromptReport({
      taskId: 7,
      formValue: form({ st: 'blocked', pc: '30', nt: '需市财政局配合' }),
      current: { status: 'in_progress', percent: 30 },
    });
    expect(read.ok && read.report).toMatchObject({
      status: 'in_progress',
      blocked: true,
      note: '需市财政局配合',
    });
  });

  it('refuses what it cannot record, naming the problem', () => {
    const problem = (fields: Record<string, string>) => {
      const read = readPromptReport({ taskId: 7, formValue: form(fields), current });
      return read.ok ? null : read.problem;
    };
    expect(problem({ st: 'verified' })).toBe('bot.report.pickStatus');
    // Nothing filled in and a current status no one may choose (verified): a status must be picked.
    const verified = readPromptReport({
      taskId: 7,
      formValue: {},
      current: { status: 'verified', percent: 100 },
    });
    expect(verified.ok ? null : verified.problem).toBe('bot.report.pickStatus');
    expect(problem({ st: 'in_progress', pc: '120' })).toBe('percent.above100');
    expect(problem({ st: 'in_progress', pc: '3.5' })).toBe('percent.fraction');
    expect(problem({ st: 'in_progress', ev: 'file://c:/a.doc' })).toBe('bot.report.badEvidence');
    expect(problem({ st: 'blocked' })).toBe('bot.report.blockedNeedsReason');
    expect(problem({ st: 'in_progress', nt: '长'.repeat(1001) })).toBe('bot.report.noteTooLong');
  });

  it('refuses every percent Number() would accept but a person does not write, with the typed text', () => {
    for (const pc of ['1e2', '0x32', '0b110', '0o7', '+50', '.5e2', '-0', '100.5']) {
      const read = readPromptReport({ taskId: 7, formValue: form({ st: 'in_progress', pc }), current });
      expect(read, pc).toMatchObject({ ok: false, params: { text: pc } });
      if (!read.ok) expect(read.problem, pc).toMatch(/^percent\./u);
    }
    for (const [pc, percent] of [
      ['0', 0],
      ['5', 5],
      ['50%', 50],
      ['50％', 50],
      ['100', 100],
    ] as const) {
      const read = readPromptReport({ taskId: 7, formValue: form({ st: 'in_progress', pc }), current });
      expect(read.ok ? read.report.percent : null, pc).toBe(percent);
    }
  });

  it('refuses a percent field that is not text (Lark sends input fields as strings)', () => {
    const read = readPromptReport({
      taskId: 7,
      formValue: { ...form({ st: 'in_progress' }), pc7: 100 },
      current,
    });
    expect(read).toMatchObject({ ok: false, problem: 'bot.report.badPercent' });
  });

  it('reads a field Lark did not send (left as prefilled) as unchanged', () => {
    const untouched = readPromptReport({
      taskId: 7,
      formValue: form({ nt: '本周推进顺利' }),
      current: { status: 'in_progress', percent: 40 },
    });
    expect(untouched).toEqual({
      ok: true,
      report: { status: 'in_progress', percent: 40, blocked: false, note: '本周推进顺利', evidenceUrl: null },
    });
    const nothing = readPromptReport({ taskId: 7, formValue: undefined, current });
    expect(nothing.ok && nothing.report).toMatchObject({ status: 'not_started', percent: 0 });
  });
});
