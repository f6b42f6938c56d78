import { afterEach, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../../src/core/clock.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { scheduleSettingsSchema } from '../../../src/core/cycles/schedule-settings.js';
import {
  CARD_MAX_BYTES,
  CARD_MAX_ELEMENTS,
  cardByteSize,
  countCardElements,
} from '../../../src/core/render/card-limits.js';
import { OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import { createOutboxDispatcher } from '../../../src/delivery/outbox-dispatcher.js';
import { silentLogger } from '../../../src/logger.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createCycleJobs } from '../../../src/usecases/cycle-jobs.js';
import { previewDigest } from '../../../src/usecases/digest.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import { defaultDecision, loadRegistry, memoryDb, smallDecision } from '../store/ledger-fixtures.js';

// Friday 2026-10-02 17:00 in Shanghai, in the National Day week: the digest's slot moves to Sep 30.
const importedAt = new Date('2026-09-01T02:00:00Z');
const sentAt = new Date('2026-09-30T09:00:00Z');
const calendar = createWorkingCalendar();
const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function setup(decision = smallDecision) {
  const db = memoryDb();
  open.push(db);
  const registry = loadRegistry();
  applyImport({
    db,
    text: decision,
    sourceName: 'd.txt',
    registry,
    now: importedAt,
    actor: 'system',
    channel: 'system',
  });
  const repos = createRepositories(db);
  const ctx = (at: string) => ({ at, actor: 'ou_official', channel: 'card' as const });
  const taskOf = (agency: string, articleNo: number) => {
    const task = repos.tasks.listTasks({ agency, articleNo })[0];
    if (!task) throw new Error(`no task ${agency} ${articleNo}`);
    return task;
  };
  return { db, repos, registry, ctx, taskOf };
}

/** Overdue lead, a blocker naming another agency, a pending extension, work returned this week. */
function seed({ repos, ctx, taskOf }: ReturnType<typeof setup>) {
  const lead = taskOf('市科技局', 1);
  const participant = taskOf('市财政局', 1);
  const plan = taskOf('市发改委', 2);
  const coord = { at: '2026-09-02T02:00:00.000Z', actor: 'ou_coord', channel: 'command' as const };
  repos.tasks.setDueDate({ taskIds: [lead.id], dueDate: '2026-09-10', ...coord });
  repos.progress.recordReport({
    taskId: lead.id,
    report: { status: 'in_progress', percent: 40, blocked: false, note: '推进中', evidenceUrl: null },
    ...ctx('2026-09-29T02:00:00.000Z'),
  });
  repos.progress.recordReport({
    taskId: participant.id,
    report: {
      status: 'in_progress',
      percent: 20,
      blocked: true,
      note: '等待市发改委批复资金',
      evidenceUrl: null,
    },
    ...ctx('2026-09-29T03:00:00.000Z'),
  });
  repos.progress.recordReport({
    taskId: plan.id,
    report: { status: 'reported_done', percent: 100, blocked: false, note: '已完成', evidenceUrl: null },
    ...ctx('2026-09-28T03:00:00.000Z'),
  });
  repos.review.settleDone({
    taskId: plan.id,
    verdict: 'returned',
    reason: '缺少佐证材料',
    ...coord,
    at: '2026-09-29T05:00:00.000Z',
  });
  repos.review.requestExtension({
    taskId: lead.id,
    previousDue: '2026-09-10',
    requestedDue: '2026-12-31',
    reason: '资金未到位',
    ...ctx('2026-09-29T06:00:00.000Z'),
  });
  return { lead, participant, plan };
}

describe("the leaders' digest on a fixture database", () => {
  it('lists the exceptions first, each with its reason, then the parts, targets and a chart', () => {
    const world = setup();
    const { lead, participant, plan } = seed(world);
    const { digest, card } = previewDigest({ repos: world.repos, calendar }, { now: sentAt });
    expect(digest.cycle).toBe('2026-W40');
    // Red: the overdue lead first (20 days), then the blocked participant.
    expect(digest.red.map((r) => r.taskId)).toEqual([lead.id, participant.id]);
    expect(digest.red[0]?.light.reasons[0]).toEqual({ code: 'overdue', days: 20 });
    expect(digest.red[1]?.light.reasons[0]).toEqual({ code: 'blocked', reason: '等待市发改委批复资金' });
    expect(digest.blockers).toEqual([
      expect.objectContaining({
        taskId: participant.id,
        reason: '等待市发改委批复资金',
        named: ['市发改委'],
      }),
    ]);
    expect(digest.coordination).toEqual([
      expect.objectContaining({
        articleNo: 1,
        agencies: ['市财政局', '市发改委'],
        cause: 'blocker_names_agencies',
      }),
    ]);
    expect(digest.extensions).toEqual([
      expect.objectContaining({ taskId: lead.id, requestedDue: '2026-12-31' }),
    ]);
    expect(digest.returned).toEqual([expect.objectContaining({ taskId: plan.id, reason: '缺少佐证材料' })]);
    expect(digest.noDueDate.length).toBeGreaterThan(0);
    expect(digest.parts.map((p) => p.label)).toEqual(['一、', '二、']);
    expect(digest.targets).toEqual([expect.objectContaining({ articleNo: 2, value: 90, unit: '%' })]);

    const text = JSON.stringify(card);
    const order = [
      '🔴 红灯',
      '🟡 黄灯',
      '本周新增受阻',
      '需跨单位协调',
      '待审批延期申请',
      '本周退回',
      '未设截止，待督办组',
      '分部分进度',
      '量化指标',
    ];
    const positions = order.map((heading) => text.indexOf(heading));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('逾期 20 天');
    expect(text).toContain('"tag":"chart"');
    // Only the footer may speak of messages, log-ins or reply speed, to say they are never counted.
    expect(text.replace('只统计结果与时限，不统计消息数量、登录或回复速度。', '')).not.toMatch(
      /消息|登录|回复速度/u,
    );
  });

  it('fits Lark’s card limits on the full default decision, and long lists point to /tasks', () => {
    const world = setup(defaultDecision);
    for (const task of world.repos.tasks.listTasks()) {
      world.repos.progress.recordReport({
        taskId: task.id,
        report: {
          status: 'in_progress',
          percent: 5,
          blocked: true,
          note: '受阻：'.padEnd(200, '需协调'),
          evidenceUrl: null,
        },
        ...world.ctx('2026-09-29T02:00:00.000Z'),
      });
    }
    const { digest, card } = previewDigest({ repos: world.repos, calendar }, { now: sentAt });
    expect(digest.red.length).toBeGreaterThan(20);
    expect(cardByteSize(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(countCardElements(card)).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
    expect(JSON.stringify(card)).toContain('发送 /tasks red 查看');
  });
});

describe('the leadersDigest job', () => {
  it("sends the digest to the leaders' group once per cycle, spending no agency's budget", async () => {
    const world = setup();
    seed(world);
    const audit = { at: importedAt.toISOString(), actor: 'test', channel: 'system' as const };
    world.repos.agencies.bindSpecialChat({ role: 'leaders', chatId: 'oc_leaders', ...audit });
    const chat = createFakeChat();
    const clock = createFixedClock(sentAt.toISOString());
    const dispatcher = createOutboxDispatcher({
      outbox: world.repos.outbox,
      chat,
      clock,
      logger: silentLogger,
    });
    const jobs = createCycleJobs({
      db: world.db,
      dispatcher,
      settings: scheduleSettingsSchema.parse({}),
      logger: silentLogger,
      clock,
    });
    expect(jobs.jobs.find((job) => job.name === 'leaders_digest')?.holidayPolicy).toBe(
      'last_working_day_of_week',
    );
    await jobs.handlers.leadersDigest({ now: sentAt, scheduledFor: sentAt });
    await jobs.handlers.leadersDigest({ now: new Date(sentAt.getTime() + 60_000), scheduledFor: sentAt });
    expect(chat.sent).toHaveLength(1);
    expect(chat.sent[0]?.chatId).toBe('oc_leaders');
    expect(textOf(chat.sent[0]!.message)).toContain('督办周报 · 2026-W40');
    const rows = world.repos.outbox.list({ kind: OUTBOX_KIND.digest });
    expect(rows.map((row) => row.key)).toEqual(['digest:2026-W40']);
  });
});

describe('/digest', () => {
  async function ask(chatId: string, sender = 'ou_coord') {
    const world = setup();
    const audit = { at: importedAt.toISOString(), actor: 'test', channel: 'system' as const };
    world.repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
    world.repos.people.upsertPerson({ openId: 'ou_leader', role: 'leader', ...audit });
    world.repos.agencies.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...audit });
    world.repos.agencies.bindSpecialChat({ role: 'leaders', chatId: 'oc_leaders', ...audit });
    const chat = createFakeChat();
    const bot = createRealBot({
      db: world.db,
      repos: world.repos,
      registry: world.registry,
      chat,
      now: sentAt,
    });
    await bot.handle({
      type: 'message',
      eventId: 'ev_1',
      messageId: 'om_1',
      chatId,
      chatType: 'group',
      senderOpenId: sender,
      text: '/digest',
      mentions: [],
      mentionsBot: true,
      createdAt: sentAt,
    });
    await bot.idle();
    return {
      sent: chat.sent.map((s) => textOf(s.message)),
      outbox: world.repos.outbox.list({ kind: OUTBOX_KIND.digest }),
    };
  }

  it("previews the leaders' card in the coordinators' group without sending it to the leaders", async () => {
    const { sent, outbox } = await ask('oc_coord');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('预览');
    expect(sent[0]).toContain('督办周报');
    expect(outbox).toEqual([]);
  });

  it("is refused outside the coordinators' group, even to a coordinator", async () => {
    const { sent } = await ask('oc_leaders');
    expect(sent).toEqual([expect.stringContaining('/digest 只能在督办组群中使用')]);
  });

  it('is refused to a leader', async () => {
    const { sent } = await ask('oc_coord', 'ou_leader');
    expect(sent).toHaveLength(1);
    expect(sent[0]).not.toContain('督办周报');
  });
});
