/**
 * A leader's instruction (批示) is numbered on its own in the year's "领导批示" document: its first one is
 * 批示1, never "第1条", which is the decision's article 1. Every place that names a task's article says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { readPlaceRef, renderHistoryCards } from '../../../src/core/render/history.js';
import { renderPromptCards } from '../../../src/core/render/prompt-card.js';
import { defaultScoringRules } from '../../../src/core/scoring/rules.js';
import { silentLogger } from '../../../src/logger.js';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createDigestPreview } from '../../../src/usecases/digest.js';
import { createExports } from '../../../src/usecases/export.js';
import { createHistory } from '../../../src/usecases/history.js';
import { createInstructions } from '../../../src/usecases/instructions.js';
import { promptCardTaskOf } from '../../../src/usecases/prompt-card-task.js';
import type { Repositories } from '../../../src/usecases/repositories.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import { loadRegistry, memoryDb } from '../store/ledger-fixtures.js';
import { instructionWorld, NOW } from './instruction-world.js';

const open: DubanDatabase[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The small decision (its article 1 led by 市科技局) and a confirmed instruction 1 for 市科技局 too. */
async function withInstruction(db: DubanDatabase): Promise<Repositories> {
  const repos = instructionWorld(db);
  const instructions = createInstructions({
    repos,
    registry: loadRegistry(),
    chat: createFakeChat(),
    logger: silentLogger,
  });
  const recorded = instructions.readLeaderReply({
    chatId: 'oc_leaders',
    messageId: 'om_reply_1',
    senderOpenId: 'ou_leader',
    threadIds: ['om_digest'],
    mentionsBot: false,
    text: '请市科技局、市财政局月底前拿出高新区扶持方案',
    now: NOW,
  });
  if (!('instructionId' in recorded)) throw new Error(`not recorded: ${recorded.kind}`);
  const decided = await instructions.decide({
    instructionId: recorded.instructionId,
    confirm: true,
    actor: 'ou_coord',
    channel: 'card',
    now: NOW,
  });
  expect(decided.kind).toBe('confirmed');
  return repos;
}

async function setup() {
  const db = memoryDb();
  open.push(db);
  return { db, repos: await withInstruction(db) };
}

const instructionTasks = (repos: Repositories) =>
  repos.tasks.listTasks().filter((task) => task.articleKind === 'instruction');

describe("an instruction's place", () => {
  it('is an instruction in the ledger, numbered apart from the decision’s articles', async () => {
    const { repos } = await setup();
    const mine = repos.tasks.listTasks({ agency: '市科技局' });
    expect(mine.map((task) => [task.articleNo, task.articleKind])).toEqual([
      [1, 'decision'],
      [3, 'decision'],
      [1, 'instruction'],
    ]);
  });

  it('reads 批示1 on the /tasks card, beside the decision’s 第1条', async () => {
    const { db, repos } = await setup();
    const chat = createFakeChat();
    const bot = createRealBot({ db, repos, registry: loadRegistry(), chat, now: NOW });
    await bot.handle({
      type: 'message',
      eventId: 'ev_tasks',
      messageId: 'om_tasks',
      chatId: 'oc_coord',
      chatType: 'group',
      senderOpenId: 'ou_coord',
      text: '/tasks 市科技局',
      mentions: [],
      mentionsBot: true,
      createdAt: NOW,
    });
    await bot.idle();
    const card = textOf(chat.sent.at(-1)!.message);
    expect(card).toContain('**批示1** 请市科技局、市财政局');
    expect(card).toContain('**第1条** 加强测试工作');
    expect(card).not.toMatch(/\*\*第1条\*\* 请市科技局/u);
  });

  it('reads 批示1 on the prompt card, and Instruction 1 in English', async () => {
    const { repos } = await setup();
    const tasks = repos.tasks.listTasks({ agency: '市科技局' }).map(promptCardTaskOf);
    const render = (locale: 'zh-CN' | 'en-US') =>
      JSON.stringify(
        renderPromptCards({
          agency: { id: 1, name: '市科技局' },
          cycle: { key: '2026-W49' },
          tasks,
          now: NOW,
          locale,
        }),
      );
    expect(render('zh-CN')).toContain('**批示1** 请市科技局');
    expect(render('zh-CN')).toContain('**第1条** 加强测试工作');
    expect(render('en-US')).toContain('**Instruction 1** 请市科技局');
    expect(render('en-US')).toContain('**Art. 1** 加强测试工作');
  });

  it('reads 批示1 in the leaders’ digest when it is overdue', async () => {
    const { repos } = await setup();
    repos.tasks.setDueDate({
      taskIds: instructionTasks(repos).map((task) => task.id),
      dueDate: '2026-11-30',
      at: NOW.toISOString(),
      actor: 'ou_coord',
      channel: 'command',
    });
    const { card } = createDigestPreview({ repos, calendar: createWorkingCalendar() })({ now: NOW });
    const text = JSON.stringify(card);
    expect(text).toContain('批示1 请市科技局、市财政局');
    expect(text).not.toMatch(/第1条 请市科技局/u);
  });

  it('has a history of its own: /history 批示1, not mixed into the decision’s article 1', async () => {
    const { repos } = await setup();
    expect(readPlaceRef('批示1')).toEqual({ articleNo: 1, articleKind: 'instruction' });
    expect(readPlaceRef('第1条')).toEqual({ articleNo: 1, articleKind: 'decision' });
    expect(readPlaceRef('instruction 2')).toEqual({ articleNo: 2, articleKind: 'instruction' });
    const history = createHistory({ repos });
    const instruction = history({ article: 1, kind: 'instruction' });
    expect(instruction.article).toMatchObject({ no: 1, kind: 'instruction' });
    const ids = new Set(instructionTasks(repos).map((task) => String(task.id)));
    expect(instruction.entries.filter((e) => e.entity === 'task').every((e) => ids.has(e.entityId))).toBe(
      true,
    );
    expect(instruction.entries.some((e) => e.entity === 'task')).toBe(true);
    const decision = history({ article: 1 });
    expect(decision.article.title).toBe('加强测试工作');
    expect(decision.entries.some((e) => ids.has(e.entityId) && e.entity === 'task')).toBe(false);
    const [card] = renderHistoryCards({ ...instruction, agency: null });
    expect(JSON.stringify(card)).toContain('批示1 请市科技局');
  });

  it('reads 批示1 in the ledger workbook’s article column, where articles stay numbers', async () => {
    const { repos } = await setup();
    const file = await createExports({ repos, rules: defaultScoringRules() }).build('ledger', { now: NOW });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.data as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    const articles = (sheet.getSheetValues().filter(Boolean) as unknown[][]).slice(1).map((row) => row[2]);
    expect(articles).toContain('批示1');
    expect(articles).toContain(1);
    expect(articles.every((cell) => typeof cell === 'number' || cell === '批示1')).toBe(true);
  });

  it('reads 批示1 in `duban tasks`, Instruction 1 with --lang en-US, and articleKind in --json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-place-'));
    dirs.push(dir);
    const path = join(dir, 'ledger.sqlite');
    const db = openDatabase({ path });
    try {
      await withInstruction(db);
    } finally {
      closeDatabase(db);
    }
    const cli = async (...argv: string[]) => {
      let stdout = '';
      const code = await runCli([...argv, '--db', path], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => undefined },
        env: {},
        cwd: dir,
        now: () => NOW,
      });
      expect(code).toBe(0);
      return stdout;
    };
    const zh = await cli('tasks', '--agency', '市科技局');
    expect(zh).toMatch(/^批示1\s+请市科技局/mu);
    expect(zh).toMatch(/^第1条\s+加强测试工作/mu);
    expect(await cli('tasks', '--agency', '市科技局', '--lang', 'en-US')).toMatch(
      /^Instruction 1\s+请市科技局/mu,
    );
    const rows = JSON.parse(await cli('tasks', '--agency', '市科技局', '--json')) as {
      articleNo: number;
      articleKind: string;
    }[];
    expect(rows.map((row) => `${row.articleKind}:${row.articleNo}`)).toEqual([
      'decision:1',
      'decision:3',
      'instruction:1',
    ]);
  });
});
