import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { runCliCaptured } from '../../helpers/cli.js';

let dir: string;
let dbPath: string;

// 2026-03-02 09:30 in Shanghai.
const NOW = new Date('2026-03-02T01:30:00Z');

async function cli(argv: string[], extra: Partial<CliIo> = {}) {
  const { code, stdout, stderr } = await runCliCaptured([...argv, '--db', dbPath], {
    env: {},
    cwd: dir,
    now: () => NOW,
    ...extra,
  });
  return { code, stdout, stderr };
}

function auditActions(entity: string) {
  const db = openDatabase({ path: dbPath });
  try {
    return createAuditRepository({ db })
      .list({ entity })
      .filter((e) => e.action !== 'created')
      .map((e) => ({
        action: e.action,
        actor: e.actor,
        channel: e.channel,
        before: e.before,
        after: e.after,
      }));
  } finally {
    closeDatabase(db);
  }
}

async function agency(name: string) {
  const run = await cli(['agencies', '--json']);
  return (JSON.parse(run.stdout) as { name: string; paused: boolean; pausedUntil: string | null }[]).find(
    (a) => a.name === name,
  );
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'duban-pause-'));
  dbPath = join(dir, 'duban.sqlite');
  closeDatabase(openDatabase({ path: dbPath })); // an empty ledger: the CLI refuses a missing one
  expect((await cli(['agencies'])).code).toBe(0); // syncs the registry into it
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('duban pause', () => {
  it('pauses one agency through a day, says so in Chinese, and audits the change', async () => {
    const run = await cli(['pause', '--agency', '广州市科学技术局', '--until', '2026-10-08']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe('已暂停「市科技局」的督办提醒，至 2026-10-08（含当日）。\n');
    expect(await agency('市科技局')).toMatchObject({ paused: true, pausedUntil: '2026-10-08' });
    expect(auditActions('agency')).toEqual([
      {
        action: 'paused',
        actor: 'cli',
        channel: 'cli',
        before: { paused: false, pausedUntil: null },
        after: { paused: true, pausedUntil: '2026-10-08' },
      },
    ]);
  });

  it('accepts today as the last paused day, and pauses until resumed without --until', async () => {
    expect((await cli(['pause', '--agency', '市科技局', '--until', '2026-03-02'])).code).toBe(0);
    const run = await cli(['pause', '--agency', '市财政局', '--agency', '天河区', '--lang', 'en-US']);
    expect(run.stdout).toBe(
      'Paused prompts for 市财政局 until resumed.\nPaused prompts for 天河区 until resumed.\n',
    );
    expect(await agency('天河区')).toMatchObject({ paused: true, pausedUntil: null });
  });

  it('reports a pause that already stands as unchanged, writing nothing', async () => {
    await cli(['pause', '--agency', '市科技局']);
    const run = await cli(['pause', '--agency', '市科技局', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      action: 'pause',
      today: '2026-03-02',
      changes: [
        {
          agency: '市科技局',
          before: { paused: true, pausedUntil: null },
          after: { paused: true, pausedUntil: null },
          changed: false,
        },
      ],
      globalPauseInEffect: false,
      agenciesStillPaused: [],
    });
    expect(auditActions('agency')).toHaveLength(1);
  });

  it('exits 1 for an unknown agency, suggesting the closest, and pauses nothing', async () => {
    const run = await cli(['pause', '--agency', '市科技', '--agency', '市财政局']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unknown agency "市科技"');
    expect(run.stderr).toContain('Did you mean "市科技局"?');
    expect(await agency('市财政局')).toMatchObject({ paused: false });
  });

  it('exits 1 for a collective name', async () => {
    const run = await cli(['pause', '--agency', '各有关单位']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('collective');
  });

  it('exits 1 for an --until that is past or not a date, saying which', async () => {
    const past = await cli(['pause', '--all', '--until', '2026-03-01']);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('2026-03-01 has already passed (today is 2026-03-02 in Shanghai)');
    for (const bad of ['2026-02-30', '8 Oct', '2026-3-5']) {
      const run = await cli(['pause', '--agency', '市科技局', '--until', bad]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('is not a date: --until takes YYYY-MM-DD');
    }
    expect(auditActions('agency')).toEqual([]);
    expect(auditActions('settings')).toEqual([]);
  });

  it('exits 2 without exactly one of --agency and --all', async () => {
    expect((await cli(['pause'])).code).toBe(2);
    expect((await cli(['pause', '--all', '--agency', '市科技局'])).code).toBe(2);
    expect((await cli(['resume'])).code).toBe(2);
    expect((await cli(['resume', '--all', '--until', '2026-10-08'])).code).toBe(2);
  });
});

describe('duban resume', () => {
  it('resumes an agency and clears its end date', async () => {
    await cli(['pause', '--agency', '市科技局', '--until', '2026-10-08']);
    const run = await cli(['resume', '--agency', '市科技局', '--lang', 'en-US']);
    expect(run).toMatchObject({ code: 0, stdout: 'Resumed prompts for 市科技局.\n' });
    expect(await agency('市科技局')).toMatchObject({ paused: false, pausedUntil: null });
    expect((await cli(['resume', '--agency', '市科技局', '--lang', 'en-US'])).stdout).toBe(
      '市科技局 was not paused; nothing changed.\n',
    );
  });

  it('pauses and lifts the global pause, naming what still holds each time', async () => {
    await cli(['pause', '--agency', '市财政局']);
    const paused = await cli(['pause', '--all', '--until', '2026-03-06', '--lang', 'en-US']);
    expect(paused.stdout).toBe('Paused prompts for every agency through 2026-03-06.\n');

    const one = await cli(['resume', '--agency', '市财政局', '--lang', 'en-US']);
    expect(one.stdout).toContain('Resumed prompts for 市财政局.');
    expect(one.stdout).toContain('the global pause still holds');

    await cli(['pause', '--agency', '天河区']);
    const all = await cli(['resume', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toBe(
      '已解除全局暂停，督办提醒恢复发送。\n以下单位仍单独暂停：天河区。如需恢复，请运行 duban resume --agency 单位名称。\n',
    );
    expect(auditActions('settings')).toEqual([
      {
        action: 'paused_all',
        actor: 'cli',
        channel: 'cli',
        before: { paused: false, pausedUntil: null },
        after: { paused: true, pausedUntil: '2026-03-06' },
      },
      {
        action: 'resumed_all',
        actor: 'cli',
        channel: 'cli',
        before: { paused: true, pausedUntil: '2026-03-06' },
        after: { paused: false, pausedUntil: null },
      },
    ]);
  });
});

describe('pause, remind and resume together', () => {
  type Planned = { prompts: { agency: string }[]; skipped: { agency: string; reason: string }[] };
  const plan = async (...extra: string[]) => {
    const run = await cli(['remind', '--all', '--dry-run', '--json', ...extra]);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Planned;
  };

  beforeEach(async () => {
    const decision = join(process.cwd(), 'config', 'default-decision.txt');
    expect((await cli(['import', decision, '--yes'])).code).toBe(0);
    const db = openDatabase({ path: dbPath });
    try {
      // Every agency gets a group, as coordinators would bind them.
      db.$client.prepare(`UPDATE agencies SET chat_id = 'oc_' || id WHERE kind != 'collective'`).run();
    } finally {
      closeDatabase(db);
    }
  });

  it('plans nothing after pause --all, listing every agency as paused, and plans again after resume --all', async () => {
    const before = await plan();
    expect(before.prompts.length).toBeGreaterThan(20);

    expect((await cli(['pause', '--all'])).code).toBe(0);
    const paused = await plan();
    expect(paused.prompts).toEqual([]);
    expect(new Set(paused.skipped.map((s) => s.reason))).toEqual(new Set(['paused']));
    expect(paused.skipped.map((s) => s.agency).sort()).toEqual(before.prompts.map((p) => p.agency).sort());

    expect((await cli(['resume', '--all'])).code).toBe(0);
    expect((await plan()).prompts.map((p) => p.agency)).toEqual(before.prompts.map((p) => p.agency));
  });

  it('lets a pause with an end date lapse on its own the day after', async () => {
    expect((await cli(['pause', '--agency', '市科技局', '--until', '2026-03-02'])).code).toBe(0);
    expect((await plan()).skipped).toContainEqual(
      expect.objectContaining({ agency: '市科技局', reason: 'paused' }),
    );
    const nextDay = await cli(['remind', '--all', '--dry-run', '--json'], {
      now: () => new Date('2026-03-03T01:30:00Z'),
    });
    const planned = JSON.parse(nextDay.stdout) as Planned;
    expect(planned.prompts.map((p) => p.agency)).toContain('市科技局');
  });

  it('records a forced run in the audit trail, and a forced dry run nowhere', async () => {
    expect((await cli(['pause', '--agency', '市科技局'])).code).toBe(0);
    const dry = await plan('--force');
    expect(dry.prompts.map((p) => p.agency)).toContain('市科技局');
    expect(auditActions('prompt_cycle')).toEqual([]);
    // Without Lark settings the forced run only writes the outbox (a running sandbox sends it): audited.
    const forced = await cli(['remind', '--agency', '市科技局', '--force']);
    expect(forced.code).toBe(0);
    expect(auditActions('prompt_cycle')).toEqual([
      expect.objectContaining({ action: 'forced', actor: 'cli', channel: 'cli' }),
    ]);
    expect(JSON.stringify(auditActions('prompt_cycle')[0]?.after)).toContain('paused');
  });
});
