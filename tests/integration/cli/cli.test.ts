import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository } from '../../../src/store/outbox-repository.js';
import { projectRoot } from '../../../src/store/paths.js';
import { createSchedulerRepository } from '../../../src/store/scheduler-repository.js';
import { runCliCaptured } from '../../helpers/cli.js';

const defaultDecisionPath = join(projectRoot, 'config', 'default-decision.txt');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(argv: string[], extra: Partial<CliIo> = {}): Promise<Run> {
  const { code, stdout, stderr } = await runCliCaptured(argv, {
    env: {},
    cwd: dir,
    now: () => new Date('2026-03-02T01:30:00Z'),
    ...extra,
  });
  return { code, stdout, stderr };
}

function terminalAnswering(answer: string): NonNullable<CliIo['stdin']> {
  const stream = Readable.from([`${answer}\n`]) as Readable & { isTTY?: boolean };
  stream.isTTY = true;
  return stream;
}

function documentCount(path: string): number {
  const db = openDatabase({ path });
  try {
    return db.$client.prepare('SELECT count(*) FROM documents').pluck().get() as number;
  } finally {
    closeDatabase(db);
  }
}

describe('duban parse', () => {
  it('prints the documented JSON shape for the default decision', async () => {
    const run = await cli(['parse', defaultDecisionPath, '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(typeof json.title).toBe('string');
    expect(json.parts).toHaveLength(8);
    expect(json.parts[0]).toMatchObject({ no: 1, title: expect.any(String) });
    expect(json.articles).toHaveLength(36);
    expect(Array.isArray(json.warnings)).toBe(true);
    const article4 = json.articles[3];
    expect(article4).toMatchObject({
      no: 4,
      label: '4.',
      part: 1,
      title: expect.any(String),
      indicators: [],
    });
    expect(article4.leads).toEqual([expect.objectContaining({ name: '市发改委', written: '市发改委' })]);
    expect(article4.participants.map((p: { name: string }) => p.name)).toEqual([
      '市科技局',
      '市经贸委',
      '市信息办',
      '市知识产权局',
      '市质监局',
    ]);
    expect(json.articles.every((a: { no: unknown }) => Number.isInteger(a.no))).toBe(true);
  });

  it('prints a readable table without --json, in English with --lang en-US', async () => {
    const run = await cli(['parse', defaultDecisionPath, '--lang', 'en-US']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/8 parts, 36 articles/u);
    expect(run.stdout).toMatch(/^No\s+Label\s+Part\s+Title\s+Leads/mu);
    expect(run.stdout).toMatch(/^4\s+4\.\s+一、.*市发改委/mu);
    expect(run.stdout).toContain('(no clause)');
  });

  it('speaks Chinese by default, and DUBAN_LOCALE=en-US gives way to --lang', async () => {
    const run = await cli(['parse', defaultDecisionPath]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/共 8 部分、36 条/u);
    expect(run.stdout).toMatch(/^条\s+编号\s+部分\s+标题\s+牵头单位\s+参与单位/mu);
    expect(run.stdout).toContain('（无责任条款）');
    expect(run.stdout).not.toMatch(/parts|no clause/u);
    const env = { DUBAN_LOCALE: 'en-US' };
    expect((await cli(['parse', defaultDecisionPath], { env })).stdout).toMatch(/8 parts/u);
    expect((await cli(['parse', defaultDecisionPath, '--lang', 'zh-CN'], { env })).stdout).toMatch(
      /共 8 部分/u,
    );
  });

  it('prints the same JSON whatever --lang says', async () => {
    const plain = await cli(['parse', defaultDecisionPath, '--json']);
    const english = await cli(['parse', defaultDecisionPath, '--json', '--lang', 'en-US']);
    const chinese = await cli(['parse', defaultDecisionPath, '--json', '--lang', 'zh-CN']);
    expect(english.stdout).toBe(plain.stdout);
    expect(chinese.stdout).toBe(plain.stdout);
  });

  it('exits 1 with a clear message for an empty, a binary, a missing file and a directory', async () => {
    writeFileSync(join(dir, 'empty.txt'), '  \n\n');
    writeFileSync(join(dir, 'binary.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    const empty = await cli(['parse', 'empty.txt']);
    expect(empty).toMatchObject({ code: 1, stdout: '' });
    expect(empty.stderr).toMatch(/empty/u);
    const binary = await cli(['parse', 'binary.bin']);
    expect(binary.code).toBe(1);
    expect(binary.stderr).toMatch(/binary/u);
    const missing = await cli(['parse', 'nope.txt']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Cannot read nope\.txt/u);
    expect((await cli(['parse', dir])).code).toBe(1);
  });

  it('exits 1 for a file over 10 MB without reading it into the parser', async () => {
    writeFileSync(join(dir, 'huge.txt'), '一'.repeat(3_500_000));
    const run = await cli(['parse', 'huge.txt']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/MB/u);
  });

  it('exits 1 for a text with no articles in it', async () => {
    writeFileSync(join(dir, 'prose.txt'), '这是一段普通的文字,没有任何条款。\n');
    const run = await cli(['parse', 'prose.txt']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Error: /u);
  });
});

describe('usage errors', () => {
  it('exits 2 for an unknown command, an unknown option, a missing argument and no command', async () => {
    expect((await cli(['bogus'])).code).toBe(2);
    expect((await cli(['parse', defaultDecisionPath, '--bogus'])).code).toBe(2);
    const missing = await cli(['parse']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument/u);
    expect((await cli([])).code).toBe(2);
  });

  it('exits 2 for an article number that is not a positive whole number', async () => {
    const run = await cli(['tasks', '--article', '0', '--db', join(dir, 'usage.sqlite')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/positive whole number/u);
  });

  it('exits 2 for a --lang it does not speak, naming the languages it does', async () => {
    for (const argv of [
      ['parse', defaultDecisionPath, '--lang', 'xx'],
      ['tasks', '--lang', 'en', '--db', join(dir, 'usage.sqlite')],
      ['score', '--lang', 'fr-FR', '--db', join(dir, 'usage.sqlite')],
    ]) {
      const run = await cli(argv);
      expect(run.code, argv.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/--lang/u);
      expect(run.stderr).toMatch(/allowed values are zh-CN, en-US/u);
      expect(run.stdout).toBe('');
    }
  });

  it('offers --lang on every command with human output', async () => {
    const human = ['parse', 'import', 'tasks', 'agencies', 'remind', 'pause', 'resume', 'reply-parse'];
    human.push('history', 'due', 'assign', 'unassign', 'unbind', 'score', 'export');
    for (const command of human) {
      const run = await cli([command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(/--lang <locale>/u);
    }
  });

  it('exits 0 for --help', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/import/u);
  });
});

describe('duban import', () => {
  it('refuses to import without --yes when stdin is not a terminal, after showing the preview', async () => {
    const db = join(dir, 'refuse.sqlite');
    const run = await cli(['import', defaultDecisionPath, '--db', db, '--lang', 'en-US']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/Tasks to create: 208/u);
    expect(run.stderr).toMatch(/--yes/u);
    expect(documentCount(db)).toBe(0);
  });

  it('imports after a "y" on the terminal and not after an "n"', async () => {
    const db = join(dir, 'confirm.sqlite');
    const no = await cli(['import', defaultDecisionPath, '--db', db, '--lang', 'en-US'], {
      stdin: terminalAnswering('n'),
    });
    expect(no.code).toBe(0);
    expect(no.stdout).toMatch(/Apply this import \(208 tasks to create\)\? \[y\/N\]/u);
    expect(no.stdout).toMatch(/Not imported/u);
    expect(documentCount(db)).toBe(0);
    const yes = await cli(['import', defaultDecisionPath, '--db', db], { stdin: terminalAnswering('y') });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toMatch(/确认导入（将新建 208 项任务）？/u);
    expect(yes.stdout).toMatch(/新建任务 208 项/u);
    expect(documentCount(db)).toBe(1);
  });

  it('imports with --yes into the DUBAN_DB_PATH database, then finds nothing to do the second time', async () => {
    const env = { DUBAN_DB_PATH: join(dir, 'env.sqlite') };
    const first = await cli(['import', defaultDecisionPath, '--yes', '--lang', 'en-US'], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Articles without a responsibility clause \(guidance, no tasks\): 1, 2, 3/u);
    expect(first.stdout).toMatch(/Deadlines already past/u);
    const second = await cli(['import', defaultDecisionPath, '--yes', '--lang', 'en-US'], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Nothing to do/u);
    const again = await cli(['import', defaultDecisionPath, '--yes'], { env });
    expect(again.stdout).toMatch(/状态：\s+已导入为文件 #1（文本相同）/u);
    expect(again.stdout).toMatch(/无需导入：台账中已有完全相同的文本。/u);
    // --json keeps its English keys and values in any language.
    const json = await cli(['import', defaultDecisionPath, '--json', '--lang', 'zh-CN'], { env });
    expect(JSON.parse(json.stdout)).toMatchObject({ applied: false, preview: { status: 'unchanged' } });
    expect(documentCount(env.DUBAN_DB_PATH)).toBe(1);

    const tasks = await cli(['tasks', '--json'], { env });
    expect(JSON.parse(tasks.stdout)).toHaveLength(208);
  });

  it('shows unknown names and a revision diff in the preview', async () => {
    const db = join(dir, 'revise.sqlite');
    const v1 =
      '关于测试的决定\n\n一、要求\n\n1.加强测试。内容。(本部分工作由市科技局牵头,市财政局等部门参与)\n';
    const v2 = `${v1}\n2.完善体系。内容。(本部分工作由市发改委牵头,市未知局参与)\n`;
    writeFileSync(join(dir, 'v1.txt'), v1);
    writeFileSync(join(dir, 'v2.txt'), v2);
    expect((await cli(['import', 'v1.txt', '--db', db, '--yes'])).code).toBe(0);
    const preview = await cli(['import', 'v2.txt', '--db', db, '--json']);
    const run = await cli(['import', 'v2.txt', '--db', db, '--yes', '--lang', 'en-US']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/revised text of document #1/u);
    expect(run.stdout).toMatch(/\+ article 2 完善体系/u);
    expect(run.stdout).toMatch(/article 2 \(participant\): 市未知局/u);
    const zh = JSON.parse(preview.stdout) as { preview: { status: string; unknownNames: unknown[] } };
    expect(zh.preview.status).toBe('revision');
    expect(zh.preview.unknownNames).toContainEqual(
      expect.objectContaining({ article: 2, text: '市未知局', role: 'participant' }),
    );
    const unassigned = JSON.parse((await cli(['tasks', '--article', '2', '--json', '--db', db])).stdout);
    expect(
      unassigned.map((t: { agency: string | null; assignee: string }) => [t.agency, t.assignee]),
    ).toEqual([
      ['市发改委', '市发改委'],
      [null, '市未知局'],
    ]);
  });
});

describe('duban tasks and agencies', () => {
  const db = () => join(dir, 'ledger.sqlite');
  beforeAll(async () => {
    expect((await cli(['import', defaultDecisionPath, '--db', db(), '--yes'])).code).toBe(0);
  });

  it("lists one article's tasks as a table, in English with --lang en-US", async () => {
    const run = await cli(['tasks', '--article', '4', '--lang', 'en-US', '--db', db()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/lead\s+市发改委/u);
    expect(run.stdout).toMatch(/6 task\(s\)/u);
  });

  it('speaks Chinese by default, with each task’s light and reason', async () => {
    const run = await cli(['tasks', '--article', '4', '--db', db()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/牵头\s+市发改委/u);
    expect(run.stdout).toMatch(/序时进度/u);
    expect(run.stdout).toMatch(/共 6 项任务/u);
  });

  it('keeps stable English keys in --json and adds the light by its codes', async () => {
    const run = await cli(['tasks', '--article', '4', '--json', '--db', db()]);
    const rows = JSON.parse(run.stdout) as {
      role: string;
      light: { color: string; reasons: string[] };
      note: null;
    }[];
    expect(rows[0]).toMatchObject({ role: 'lead', note: null });
    expect(['red', 'yellow', 'green']).toContain(rows[0]!.light.color);
    expect(rows[0]).toMatchObject({ articleNo: 4, articleKind: 'decision' });
    for (const lang of ['en-US', 'zh-CN']) {
      const again = await cli(['tasks', '--article', '4', '--json', '--lang', lang, '--db', db()]);
      expect(again.stdout).toBe(run.stdout);
    }
  });

  it('sets a due date, assigns, unassigns and unbinds like the chat commands, audited as cli', async () => {
    const file = join(dir, 'coord.sqlite');
    expect((await cli(['import', defaultDecisionPath, '--db', file, '--yes'])).code).toBe(0);
    const due = await cli(['due', '4', '2099-12-31', '--agency', '市发改委', '--db', file]);
    expect(due.code).toBe(0);
    expect(due.stdout).toMatch(/截止日期设为 2099-12-31/u);
    const assign = await cli([
      'assign',
      '4',
      '市科技局',
      '--role',
      'participant',
      '--lang',
      'en-US',
      '--db',
      file,
    ]);
    expect(assign.stdout).toMatch(/given to "市科技局" \(participant\)|now participant|already participant/u);
    const unassign = await cli(['unassign', '4', '市科技局', '--json', '--db', file]);
    expect(JSON.parse(unassign.stdout)).toMatchObject({ article: 4, agency: '市科技局' });
    expect((await cli(['unbind', 'oc_none', '--db', file])).stdout).toMatch(/本群没有绑定/u);
    const bad = await cli(['due', '4', 'soon', '--db', file]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"soon" is not a date/u);
    const red = JSON.parse(
      (await cli(['tasks', '--only', 'red', '--json', '--db', file])).stdout,
    ) as unknown[];
    expect(Array.isArray(red)).toBe(true);
  });

  it('filters by an agency given by alias', async () => {
    const run = await cli(['tasks', '--agency', '广州市科学技术局', '--json', '--db', db()]);
    expect(run.code).toBe(0);
    const tasks = JSON.parse(run.stdout) as { agency: string }[];
    expect(tasks.length).toBeGreaterThan(0);
    expect(new Set(tasks.map((t) => t.agency))).toEqual(new Set(['市科技局']));
  });

  it('exits 1 for an unknown agency and suggests the closest one', async () => {
    const run = await cli(['tasks', '--agency', '市科技', '--db', db()]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Unknown agency "市科技"/u);
    expect(run.stderr).toMatch(/Did you mean "市科技局"/u);
  });

  it('lists the agencies with their task counts', async () => {
    const run = await cli(['agencies', '--json', '--db', db()]);
    expect(run.code).toBe(0);
    const agencies = JSON.parse(run.stdout) as {
      name: string;
      leadTasks: number;
      participantTasks: number;
    }[];
    expect(agencies.find((a) => a.name === '市发改委')).toMatchObject({ leadTasks: expect.any(Number) });
    const table = await cli(['agencies', '--db', db(), '--lang', 'en-US']);
    expect(table.stdout).toMatch(/^Agency\s+Kind\s+Aliases/mu);
    expect(table.stdout).toMatch(/^市科技局\s+department/mu);
    expect(table.stdout).toMatch(/\d+ agencies$/mu);
    const chinese = await cli(['agencies', '--db', db()]);
    expect(chinese.stdout).toMatch(/^单位\s+类别\s+别名/mu);
    expect(chinese.stdout).toMatch(/^市科技局\s+部门/mu);
    expect(chinese.stdout).toMatch(/^共 \d+ 个单位$/mu);
    expect((await cli(['agencies', '--json', '--lang', 'zh-CN', '--db', db()])).stdout).toBe(run.stdout);
  });
});

describe('duban remind', () => {
  const db = () => join(dir, 'remind.sqlite');
  const schedule = () => join(dir, 'schedule.json');
  const ctx = { at: '2026-03-01T00:00:00.000Z', actor: 'test', channel: 'cli' };
  /** Runs a step on the database file between two CLI runs. */
  const withLedger = (step: (d: ReturnType<typeof openDatabase>) => void) => {
    const handle = openDatabase({ path: db() });
    try {
      step(handle);
    } finally {
      closeDatabase(handle);
    }
  };
  type Planned = {
    prompts: { agency: string; overridden?: string[] }[];
    skipped: { agency: string; reason: string }[];
  };
  const plan = async (...extra: string[]): Promise<Planned> => {
    const run = await cli(['remind', '--all', '--dry-run', '--json', '--db', db(), ...extra]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as Planned;
  };

  beforeAll(async () => {
    expect((await cli(['import', defaultDecisionPath, '--db', db(), '--yes'])).code).toBe(0);
    writeFileSync(schedule(), JSON.stringify({ weeklyBudget: 2 }));
    withLedger((handle) => {
      const ledger = createAgencyRepository({ db: handle });
      for (const agency of ledger.listAgencies({ bindableOnly: true }))
        ledger.bindAgencyChat({ agencyId: agency.id, chatId: `oc_${agency.id}`, ...ctx });
      ledger.setAgencyPause({ agencyId: ledger.requireAgency('市科技局').id, paused: true, ...ctx });
      // Two of 市发改委's messages this week (2026-W10): the configured budget of 2 is spent.
      const spent = ledger.findAgency('市发改委')!;
      createOutboxRepository({ db: handle }).enqueue({
        items: [0, 1].map((i) => ({
          key: `spent:${i}`,
          kind: 'due_reminder',
          chatId: `oc_${spent.id}`,
          agencyId: spent.id,
          cycle: '2026-W10',
          message: { kind: 'text' as const, text: '已发送' },
        })),
        now: new Date('2026-03-02T01:00:00Z'),
      });
    });
  });

  it('lists the paused agency and the one whose configured budget is spent under skipped, with their reasons', async () => {
    const result = await plan('--schedule', schedule());
    const reasons = new Map(result.skipped.map((s) => [s.agency, s.reason]));
    expect(reasons.get('市科技局')).toBe('paused');
    expect(reasons.get('市发改委')).toBe('budget');
    expect(result.prompts.map((p) => p.agency)).not.toContain('市发改委');
    expect(result.prompts.length).toBeGreaterThan(10);
    // Every agency shows up once, either with its cards or with its reason.
    const agencies = (await cli(['agencies', '--json', '--db', db()])).stdout;
    const names = (JSON.parse(agencies) as { name: string; kind: string }[])
      .filter((a) => a.kind !== 'collective')
      .map((a) => a.name);
    expect([...result.prompts.map((p) => p.agency), ...reasons.keys()].sort()).toEqual(names.sort());

    // The schedule comes from DUBAN_SCHEDULE_FILE too; the default (config/schedule.json) allows 3.
    const viaEnv = await cli(['remind', '--all', '--dry-run', '--json', '--db', db()], {
      env: { DUBAN_SCHEDULE_FILE: schedule() },
    });
    expect(JSON.parse(viaEnv.stdout).skipped).toContainEqual(
      expect.objectContaining({ agency: '市发改委', reason: 'budget' }),
    );
    expect((await plan()).prompts.map((p) => p.agency)).toContain('市发改委');
  });

  it('words the reasons for people', async () => {
    const run = await cli(['remind', '--all', '--dry-run', '--db', db(), '--schedule', schedule()]);
    expect(run.stdout).toContain('市科技局：不发送（提醒已暂停）');
    expect(run.stdout).toContain('市发改委：不发送（本周消息额度已用完）');
    const sunday = await cli(['remind', '--agency', '市财政局', '--dry-run', '--db', db()], {
      now: () => new Date('2026-03-01T01:30:00Z'),
    });
    expect(sunday.stdout).toContain('市财政局：不发送（今天不是工作日）');
    const english = await cli([
      'remind',
      '--all',
      '--dry-run',
      '--lang',
      'en-US',
      '--db',
      db(),
      '--schedule',
      schedule(),
    ]);
    expect(english.stdout).toContain('市科技局: nothing to send (paused)');
    expect(english.stdout).toMatch(/^ {2}· Art\. \d+ /mu);
    expect(english.stdout).not.toMatch(/不发送/u);
    const json = await plan('--schedule', schedule());
    expect(await plan('--schedule', schedule(), '--lang', 'en-US')).toEqual(json);
  });

  it('shows every agency as paused under a global pause, and what --force would send', async () => {
    withLedger((handle) =>
      createSchedulerRepository({ db: handle }).setGlobalPause({ paused: true, ...ctx }),
    );
    try {
      const paused = await plan('--schedule', schedule());
      expect(paused.prompts).toEqual([]);
      expect(new Set(paused.skipped.map((s) => s.reason))).toEqual(new Set(['paused']));

      const forced = await plan('--schedule', schedule(), '--force');
      expect(forced.prompts.find((p) => p.agency === '市科技局')?.overridden).toEqual(['paused']);
      expect(forced.prompts.find((p) => p.agency === '市发改委')?.overridden).toEqual(['paused', 'budget']);
      withLedger((handle) => {
        expect(
          createOutboxRepository({ db: handle })
            .list()
            .map((r) => r.key),
        ).toEqual(['spent:0', 'spent:1']);
      });
    } finally {
      withLedger((handle) =>
        createSchedulerRepository({ db: handle }).setGlobalPause({ paused: false, ...ctx }),
      );
    }
  });

  it('refuses a schedule file it cannot use', async () => {
    const bad = join(dir, 'bad-schedule.json');
    writeFileSync(bad, JSON.stringify({ weeklyBudget: 0 }));
    const run = await cli(['remind', '--all', '--dry-run', '--db', db(), '--schedule', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('weeklyBudget');
  });
});

describe('a database that does not exist', () => {
  // Every command but import works on an existing ledger; each refuses a missing one and creates nothing.
  const commands: [string, string[]][] = [
    ['tasks', ['tasks']],
    ['agencies', ['agencies']],
    ['history', ['history', '5']],
    ['score', ['score']],
    ['export', ['export', 'ledger', 'out.xlsx']],
    ['remind', ['remind', '--all', '--dry-run']],
    ['pause', ['pause', '--all']],
    ['resume', ['resume', '--all']],
    ['due', ['due', '5', '2026-12-31']],
    ['assign', ['assign', '5', '市科技局', '--role', 'lead']],
    ['unassign', ['unassign', '5', '市科技局']],
    ['unbind', ['unbind', 'oc_x']],
  ];

  it.each(commands)('is refused by duban %s with exit 1, and nothing is created', async (_name, argv) => {
    const missing = join(dir, 'missing-dir', 'x.sqlite');
    const run = await cli([...argv, '--db', 'missing-dir/x.sqlite']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No database at ${missing}`);
    expect(run.stderr).toContain('duban import');
    expect(run.stdout).toBe('');
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false);
    expect(existsSync(join(dir, 'out.xlsx'))).toBe(false);
  });

  it('is created by duban import', async () => {
    const run = await cli(['import', defaultDecisionPath, '--db', 'new-dir/x.sqlite', '--yes']);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'new-dir', 'x.sqlite'))).toBe(true);
  });
});

describe('the CLI as a process', () => {
  it("runs through bin/duban.js with tsx and exits with the CLI's codes", () => {
    const ok = spawnSync(
      process.execPath,
      [join(projectRoot, 'bin', 'duban.js'), 'parse', defaultDecisionPath, '--json'],
      {
        encoding: 'utf8',
        env: { ...process.env, DUBAN_LOG_LEVEL: 'silent' },
      },
    );
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).articles).toHaveLength(36);
    const usage = spawnSync(process.execPath, [join(projectRoot, 'bin', 'duban.js'), 'parse'], {
      encoding: 'utf8',
    });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/missing required argument/u);
  });
});
