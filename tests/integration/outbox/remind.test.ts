import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/program.js';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { isDubanError } from '../../../src/core/errors.js';
import type { ChatPort } from '../../../src/ports/chat.js';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository } from '../../../src/store/outbox-repository.js';
import {
  formatPromptCycleResult,
  type PromptCycleInput,
  runPromptCycle,
} from '../../../src/usecases/prompt-cycle.js';
import { createFakeChat } from '../../helpers/fake-chat.js';
import { type SeededAgency, seedFanoutLedger } from './seed.js';

const now = new Date('2026-11-23T01:30:00Z'); // Monday 09:30 Shanghai, cycle 2026-W48
const chatIdFor = (name: string) => `oc_${Buffer.from(name).toString('hex')}`;
const settings = defaultScheduleSettings();
const calendar = createWorkingCalendar();

/** `duban remind` as the use case: the default schedule settings and calendar. */
function remind(input: PromptCycleInput & { db: DubanDatabase; chat?: ChatPort }) {
  const { db, chat, ...rest } = input;
  return runPromptCycle({ db, settings, calendar, ...(chat === undefined ? {} : { chat }) }, rest);
}

describe('duban remind', () => {
  let db: DubanDatabase;
  let agencies: SeededAgency[];
  beforeEach(() => {
    db = openDatabase({ path: ':memory:' });
    agencies = seedFanoutLedger({
      db,
      count: 4,
      tasksPerAgency: 3,
      chatIdFor,
      coordinatorsChatId: 'oc_coordinators',
    });
    // agency 4 has no group yet, agency 3 is paused
    db.$client.prepare('UPDATE agencies SET chat_id = NULL WHERE id = ?').run(agencies[3]?.id);
    db.$client.prepare('UPDATE agencies SET paused = 1 WHERE id = ?').run(agencies[2]?.id);
  });
  afterEach(() => closeDatabase(db));

  it('shows in a dry run what each agency would get, and writes nothing', async () => {
    const result = await remind({ db, now, all: true, dryRun: true });
    expect(result.cycle).toBe('2026-W48');
    expect(result.prompts.map((p) => [p.agency, p.taskCount, p.pages])).toEqual([
      ['测试单位001', 3, 1],
      ['测试单位002', 3, 1],
    ]);
    expect(result.skipped.map((s) => [s.agency, s.reason])).toEqual([
      ['测试单位003', 'paused'],
      ['测试单位004', 'no_chat'],
    ]);
    expect(createOutboxRepository({ db }).list()).toEqual([]);
    const text = formatPromptCycleResult(result);
    expect(text).toContain('督办提醒预览（2026-W48，试运行，未发送）');
    expect(text).toContain('测试单位001：3 项任务，1 张卡片');
    expect(text).toContain('· 第1条 第1项重点工作：加快建设创新平台（牵头）');
    expect(text).toContain('测试单位004：不发送（尚未绑定群聊）');
    expect(text).toContain('另有 1 条通知发给督查室群');
  });

  it('sends one agency its card, tells the coordinators about an unbound one, and sends nothing on a repeat', async () => {
    const chat = createFakeChat();
    const first = await remind({ db, now, agency: '测试单位002', chat });
    expect(first.queued).toEqual([`prompt:${agencies[1]?.id}:2026-W48`]);
    expect(chat.sent.map((s) => [s.chatId, s.idempotencyKey, s.message.kind])).toEqual([
      [agencies[1]?.chatId, `prompt:${agencies[1]?.id}:2026-W48`, 'card'],
    ]);
    expect(first.delivery).toMatchObject({ sent: 1, failures: [], pending: 0 });

    const all = await remind({ db, now, all: true, chat });
    expect(all.skipped.find((s) => s.agency === '测试单位002')?.reason).toBe('already_planned');
    const notice = chat.sent.find((s) => s.chatId === 'oc_coordinators');
    expect(notice?.message).toEqual({
      kind: 'text',
      text: expect.stringContaining('「测试单位004」尚未绑定群聊'),
    });
    expect(chat.sent.filter((s) => s.chatId === agencies[1]?.chatId)).toHaveLength(1);
    expect(chat.sent.filter((s) => s.chatId === agencies[0]?.chatId)).toHaveLength(1);

    await remind({ db, now, all: true, chat });
    expect(chat.sent).toHaveLength(3);
  });

  it('sends a card too large for one message as pages, in order, under keys derived from the prompt key', async () => {
    const big = seedFanoutLedger({
      db,
      count: 1,
      tasksPerAgency: 90, // thirty tasks now fit one compact card; paging starts beyond
      chatIdFor: () => 'oc_big',
      namePrefix: '大单位',
    })[0] as SeededAgency;
    const chat = createFakeChat();
    const result = await remind({ db, now, agency: big.name, chat });
    const pages = result.prompts[0]?.pages ?? 0;
    expect(pages).toBeGreaterThan(1);
    const keys = chat.sent.filter((s) => s.chatId === 'oc_big').map((s) => s.idempotencyKey);
    expect(keys).toEqual(
      Array.from({ length: pages }, (_, i) =>
        i === 0 ? `prompt:${big.id}:2026-W48` : `prompt:${big.id}:2026-W48:p${i + 1}`,
      ),
    );
    const titles = chat.sent.map((s) => JSON.stringify(s.message));
    expect(titles[0]).toContain(`第 1/${pages} 页`);
    expect(titles[pages - 1]).toContain(`第 ${pages}/${pages} 页`);
  });

  it('skips an agency whose card cannot be drawn within Lark limits and still sends to all the others', async () => {
    const huge = seedFanoutLedger({
      db,
      count: 1,
      tasksPerAgency: 1,
      chatIdFor: () => 'oc_huge',
      namePrefix: '巨型单位',
    })[0] as SeededAgency;
    const article = db.$client
      .prepare('SELECT article_id AS id FROM tasks WHERE agency_id = ?')
      .get(huge.id) as {
      id: number;
    };
    const others = db.$client
      .prepare('SELECT COUNT(*) AS n FROM tasks WHERE article_id = ? AND agency_id != ?')
      .get(article.id, huge.id) as { n: number };
    expect(others.n).toBe(0);
    db.$client.prepare('UPDATE articles SET title = ? WHERE id = ?').run('超长'.repeat(20_000), article.id);

    const chat = createFakeChat();
    const result = await remind({ db, now, all: true, chat });
    expect(result.skipped.find((s) => s.agency === huge.name)?.reason).toBe('card_too_large');
    expect(chat.sent.filter((s) => s.chatId === 'oc_huge')).toEqual([]);
    expect(chat.sent.filter((s) => s.message.kind === 'card').map((s) => s.chatId)).toEqual([
      agencies[0]?.chatId,
      agencies[1]?.chatId,
    ]);
    expect(formatPromptCycleResult(result)).toContain(
      `${huge.name}：不发送（卡片超出飞书大小限制，未能生成）`,
    );
  });

  it('only writes the outbox when asked not to deliver (a running bot sends it)', async () => {
    const result = await remind({ db, now, all: true, deliver: false });
    expect(result.delivery).toBeUndefined();
    expect(createOutboxRepository({ db }).counts()).toEqual({ pending: 3, sending: 0, sent: 0, failed: 0 });
    expect(formatPromptCycleResult(result)).toContain('已写入发送队列');
  });

  it('refuses to guess the target when neither an agency nor --all is given', async () => {
    const error = await remind({ db, now, dryRun: true }).catch((e: unknown) => e);
    expect(isDubanError(error, 'remind.target_required')).toBe(true);
    const unknown = await remind({ db, now, agency: '不存在的局', dryRun: true }).catch((e: unknown) => e);
    expect(isDubanError(unknown, 'ledger.unknown_agency')).toBe(true);
  });
});

describe('duban remind on the command line', () => {
  it('prints the dry run and refuses a call without a target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-remind-cli-'));
    try {
      const path = join(dir, 'duban.sqlite');
      const db = openDatabase({ path });
      seedFanoutLedger({ db, count: 2, tasksPerAgency: 2, chatIdFor });
      closeDatabase(db);
      let out = '';
      let err = '';
      const io = {
        stdout: { write: (s: string) => (out += s) },
        stderr: { write: (s: string) => (err += s) },
        env: {},
        now: () => now,
      };
      expect(await runCli(['remind', '--all', '--dry-run', '--db', path], io)).toBe(0);
      expect(out).toContain('测试单位002：2 项任务，1 张卡片');
      expect(await runCli(['remind', '--dry-run', '--db', path], io)).toBe(2);
      expect(err).toContain('--agency NAME or --all');
      out = '';
      expect(
        await runCli(['remind', '--agency', '测试单位001', '--dry-run', '--json', '--db', path], io),
      ).toBe(0);
      expect(JSON.parse(out)).toMatchObject({
        cycle: '2026-W48',
        prompts: [{ agency: '测试单位001', taskCount: 2, pages: 1 }],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
