import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDecisionInput } from '../../../src/cli/decision-file.js';
import { isDubanError } from '../../../src/core/errors.js';
import { projectRoot } from '../../../src/store/paths.js';
import { runCliCaptured } from '../../helpers/cli.js';
import { taskTableDocx } from '../../helpers/docx.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-decision-file-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(run: () => Promise<unknown>): Promise<{ code: string; message: string; hint: string }> {
  try {
    await run();
  } catch (error) {
    if (isDubanError(error)) return { code: error.code, message: error.message, hint: error.hint ?? '' };
    throw error;
  }
  throw new Error('expected a refusal');
}

async function parseJson(file: string): Promise<{ code: number; json: unknown; stderr: string }> {
  const { code, stdout, stderr } = await runCliCaptured(['parse', file, '--json'], {
    env: {},
    cwd: dir,
  });
  return { code, json: code === 0 ? JSON.parse(stdout) : null, stderr };
}

describe('reading a decision file', () => {
  it('reads a GB18030 text file as Chinese Windows saves it', async () => {
    const path = join(projectRoot, 'tests/fixtures/decisions/gb18030-county-split.txt');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(path))).toThrow();
    const file = await readDecisionInput(path, dir);
    expect(file.format).toBe('gb18030');
    expect(file.text).toContain('（县发改局牵头，县统计局配合，2024年12月底前完成）');
  });

  it('parses the GB18030 file end to end, with its due date and its 各乡镇（街道）', async () => {
    const run = await parseJson(join(projectRoot, 'tests/fixtures/decisions/gb18030-county-split.txt'));
    expect(run.code).toBe(0);
    expect(run.json).toMatchObject({
      title: '某县2024年重点工作任务分解',
      articles: [
        {
          no: 1,
          leads: [{ written: '县发改局' }],
          participants: [{ written: '县统计局' }],
          due: { kind: 'date', date: '2024-12-31' },
        },
        {
          no: 2,
          leads: [{ written: '县住建局' }, { written: '县财政局' }, { written: '各乡镇（街道）' }],
          participants: [],
        },
      ],
    });
  });

  it('reads a .docx, its table cell by cell, into the same tasks', async () => {
    writeFileSync(join(dir, 'plan.docx'), taskTableDocx());
    const file = await readDecisionInput('plan.docx', dir);
    expect(file.format).toBe('docx');
    const run = await parseJson('plan.docx');
    expect(run.stderr).toBe('');
    expect(run.json).toMatchObject({
      title: '2024年重点工作任务分工方案',
      articles: [
        {
          title: '地区生产总值增长6%以上',
          leads: [{ written: '县发改局' }],
          participants: [{ written: '县统计局' }],
          due: { kind: 'date', date: '2024-12-31', written: '2024年12月底前' },
          indicators: [{ comparator: '>=', value: 6, unit: '%' }],
        },
        { leads: [{ written: '县住建局' }], participants: [], due: { kind: 'ongoing' } },
      ],
    });
  });

  it('refuses a .docx that is not a Word document, and other kinds, naming the kinds it reads', async () => {
    writeFileSync(join(dir, 'fake.docx'), '这不是Word文档');
    expect(await codeOf(() => readDecisionInput('fake.docx', dir))).toMatchObject({
      code: 'input.bad_docx',
      hint: expect.stringContaining('.txt (UTF-8 or GB18030) or .docx'),
    });
    writeFileSync(join(dir, 'plan.pdf'), '%PDF-1.4 not really');
    expect(await codeOf(() => readDecisionInput('plan.pdf', dir))).toEqual({
      code: 'input.unsupported_kind',
      message: 'plan.pdf: .pdf files are not read.',
      hint: expect.stringContaining('.txt (UTF-8 or GB18030) or .docx'),
    });
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0xff, 0xfe, 0xfd, 0x80, 0x81]));
    expect((await codeOf(() => readDecisionInput('latin1.txt', dir))).code).toBe('input.not_text');
  });
});
