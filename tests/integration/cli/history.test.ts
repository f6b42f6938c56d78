import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { runCliCaptured } from '../../helpers/cli.js';
import { loadRegistry, smallDecision } from '../store/ledger-fixtures.js';

let dir: string;
let dbPath: string;
const NOW = new Date('2026-11-26T01:40:00Z'); // 09:40 in Shanghai

async function cli(argv: string[], extra: Partial<CliIo> = {}) {
  const { code, stdout, stderr } = await runCliCaptured([...argv, '--db', dbPath], {
    env: {},
    cwd: dir,
    now: () => NOW,
    ...extra,
  });
  return { code, stdout, stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-history-'));
  dbPath = join(dir, 'duban.sqlite');
  const db = openDatabase({ path: dbPath });
  try {
    applyImport({
      db,
      text: smallDecision,
      sourceName: 'small.txt',
      registry: loadRegistry(),
      now: new Date('2026-11-20T02:00:00Z'),
      actor: 'cli',
      channel: 'cli',
    });
    const repos = createRepositories(db);
    const at = { at: NOW.toISOString(), channel: 'system' as const, actor: 'test' };
    repos.people.upsertPerson({
      openId: 'ou_wang',
      role: 'official',
      name: '王芳',
      agency: '市科技局',
      ...at,
    });
    const lead = repos.tasks.listTasks({ agency: '市科技局' }).find((t) => t.articleNo === 1);
    const participant = repos.tasks.listTasks({ agency: '市财政局' }).find((t) => t.articleNo === 1);
    repos.progress.recordReport({
      taskId: lead?.id as number,
      report: { status: 'in_progress', percent: 70, blocked: false, note: '已完成调研', evidenceUrl: null },
      actor: 'ou_wang',
      channel: 'card',
      at: NOW.toISOString(),
      messageId: 'om_card_1',
      eventId: 'ev_1',
    });
    repos.progress.recordReport({
      taskId: participant?.id as number,
      report: { status: 'in_progress', percent: 40, blocked: false, note: '', evidenceUrl: null },
      actor: 'ou_li',
      channel: 'thread',
      at: new Date('2026-11-26T02:00:00Z').toISOString(),
    });
  } finally {
    closeDatabase(db);
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('duban history', () => {
  it("prints an article's events in order, in words", async () => {
    const run = await cli(['history', '第1条']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('第1条 加强测试工作');
    const report = lines.findIndex((l) => l.includes('王芳（市科技局）通过卡片报送：未开始 0% → 进行中 70%'));
    const participant = lines.findIndex((l) => l.includes('ou_li（市财政局）通过群内回复报送'));
    expect(report).toBeGreaterThan(0);
    expect(participant).toBeGreaterThan(report);
    expect(run.stdout).toContain('11-26 09:40 王芳');
    expect(run.stdout).toContain('（说明：已完成调研）');
  });

  it('counts the events in Chinese by default, and speaks English with --lang en-US', async () => {
    const zh = await cli(['history', '1']);
    expect(zh.stdout.trimEnd().split('\n').at(-1)).toMatch(/^共 \d+ 条记录$/u);
    const en = await cli(['history', '1', '--lang', 'en-US']);
    expect(en.code).toBe(0);
    const lines = en.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Art. 1 加强测试工作');
    expect(lines.at(-1)).toMatch(/^\d+ event\(s\)$/u);
    const json = await cli(['history', '1', '--json']);
    expect((await cli(['history', '1', '--json', '--lang', 'en-US'])).stdout).toBe(json.stdout);
  });

  it('narrows to one agency and prints JSON with stable English keys', async () => {
    const run = await cli(['history', '1', '--agency', '市科技局', '--json']);
    expect(run.code).toBe(0);
    const events = JSON.parse(run.stdout) as Record<string, unknown>[];
    const reported = events.filter((e) => e.action === 'reported');
    expect(reported).toHaveLength(1);
    expect(Object.keys(reported[0] as object).sort()).toEqual(
      [
        'at',
        'actor',
        'actorName',
        'agency',
        'channel',
        'entity',
        'entityId',
        'action',
        'before',
        'after',
        'messageId',
        'eventId',
      ].sort(),
    );
    expect(reported[0]).toMatchObject({
      actor: 'ou_wang',
      actorName: '王芳',
      agency: '市科技局',
      channel: 'card',
      entity: 'task',
      messageId: 'om_card_1',
      eventId: 'ev_1',
      at: NOW.toISOString(),
    });
    expect(events.every((e) => e.agency === '市科技局' || e.entity === 'article')).toBe(true);
  });

  it('refuses an article that is not there and a word that is not a number', async () => {
    const missing = await cli(['history', '99']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no article 99');
    const bad = await cli(['history', 'abc']);
    expect(bad.code).toBe(2);
  });
});
