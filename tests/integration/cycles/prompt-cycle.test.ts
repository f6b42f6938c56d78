import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { cycleOf } from '../../../src/core/cycles/cycle.js';
import type { ScheduleSettings } from '../../../src/core/cycles/schedule-settings.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import {
  FORCED_PROMPT_CYCLE,
  formatPromptCycleResult,
  type PromptCycleInput,
  type PromptCycleResult,
  runPromptCycle,
} from '../../../src/usecases/prompt-cycle.js';
import { at, chatOf, createWorld, type World } from './world.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function open(options: Parameters<typeof createWorld>[0] = {}): World {
  const world = createWorld(options);
  cleanups.push(() => closeDatabase(world.db));
  return world;
}

/** `duban remind` (or `/remind`) at a Shanghai wall-clock time, through the world's chat. */
async function remind(
  w: World,
  local: string,
  input: Omit<PromptCycleInput, 'now'> = { all: true },
  settings: ScheduleSettings = defaultScheduleSettings(),
): Promise<PromptCycleResult> {
  const now = at(local);
  w.clock.set(now);
  return runPromptCycle(
    { db: w.db, dispatcher: w.dispatcher, clock: w.clock, settings, calendar: createWorkingCalendar() },
    { actor: 'ou_coordinator', channel: 'cli', ...input, now },
  );
}

const idOf = (w: World, name: string): number => {
  const agency = w.agencies.findAgency(name);
  if (!agency) throw new Error(`no agency ${name}`);
  return agency.id;
};

/** Every agency a cycle is asked about: the ledger's, less the collectives. */
const everyAgency = (w: World): number[] =>
  w.agencies
    .listAgencies()
    .filter((a) => a.kind !== 'collective')
    .map((a) => a.id)
    .sort((x, y) => x - y);

const sortedIds = (list: ReadonlyArray<{ agencyId: number }>): number[] =>
  list.map((x) => x.agencyId).sort((a, b) => a - b);

/** Spends `count` of the agency's weekly messages in the cycle of `local`. */
function spendBudget(w: World, agencyId: number, count: number, local: string): void {
  const cycle = cycleOf(at(local));
  w.outbox.enqueue({
    items: Array.from({ length: count }, (_, i) => ({
      key: `test-spent:${agencyId}:${cycle}:${i}`,
      kind: 'due_reminder',
      chatId: chatOf(agencyId),
      agencyId,
      cycle,
      message: { kind: 'text' as const, text: '已发送' },
    })),
    now: at(local),
  });
}

describe('a manual prompt cycle obeys the scheduled rules', () => {
  it('sends nothing under a global pause and lists every agency as paused; after resume it sends', async () => {
    const w = open();
    w.scheduler.setGlobalPause({ paused: true, ...w.ctx('2026-11-20 12:00') });

    const paused = await remind(w, '2026-11-23 10:00');
    expect(paused.prompts).toEqual([]);
    expect(paused.queued).toEqual([]);
    expect(sortedIds(paused.skipped)).toEqual(everyAgency(w));
    expect(new Set(paused.skipped.map((s) => s.reason))).toEqual(new Set(['paused']));
    expect(w.chat.sent).toEqual([]);
    expect(formatPromptCycleResult(paused)).toContain('不发送（提醒已暂停）');

    w.scheduler.setGlobalPause({ paused: false, ...w.ctx('2026-11-23 11:00') });
    const resumed = await remind(w, '2026-11-23 11:05');
    expect(sortedIds(resumed.prompts)).toEqual(w.promptedAgencyIds());
    expect(w.outbox.list({ kind: 'prompt' }).every((r) => r.status === 'sent')).toBe(true);
    // One prompt (with its pages) per agency: every prompted group got cards, under this cycle's keys.
    const promptedChats = new Set(w.chat.sent.map((m) => m.chatId));
    expect(promptedChats).toEqual(new Set(w.promptedAgencyIds().map(chatOf)));
  });

  it('skips exactly the one paused agency', async () => {
    const w = open();
    const paused = idOf(w, '市科技局');
    w.agencies.setAgencyPause({
      agencyId: w.agencies.requireAgency('市科技局').id,
      paused: true,
      ...w.ctx('2026-11-20 12:00'),
    });

    const result = await remind(w, '2026-11-23 10:00');
    expect(result.skipped.filter((s) => s.reason === 'paused')).toEqual([
      { agencyId: paused, agency: '市科技局', reason: 'paused' },
    ]);
    expect(sortedIds(result.prompts)).toEqual(w.promptedAgencyIds().filter((id) => id !== paused));
    expect(w.sentTo(chatOf(paused))).toEqual([]);
  });

  it('skips an agency whose configured weekly budget is spent, and tells the coordinators', async () => {
    const w = open();
    const spent = idOf(w, '市发改委');
    spendBudget(w, spent, 2, '2026-11-23 09:00');

    // The default budget (3) leaves room for the prompt; the configured one (2) does not.
    const roomy = await remind(w, '2026-11-23 10:00', { all: true, dryRun: true });
    expect(roomy.prompts.map((p) => p.agencyId)).toContain(spent);

    const result = await remind(
      w,
      '2026-11-23 10:00',
      { all: true },
      { ...defaultScheduleSettings(), weeklyBudget: 2 },
    );
    expect(result.skipped.filter((s) => s.reason === 'budget')).toEqual([
      { agencyId: spent, agency: '市发改委', reason: 'budget' },
    ]);
    expect(w.outbox.list({ kind: 'prompt' }).some((r) => r.agencyId === spent)).toBe(false);
    expect(w.outbox.findByKey(`budget:${spent}:2026-W48`)?.status).toBe('sent');
    expect(formatPromptCycleResult(result)).toContain('市发改委：不发送（本周消息额度已用完）');
  });

  it('plans nothing on a Sunday or on National Day, and sends on a 调休 Saturday', async () => {
    const w = open();
    for (const day of ['2026-11-29 10:00', '2026-10-01 10:00']) {
      const result = await remind(w, day);
      expect(result.prompts).toEqual([]);
      expect(result.notices).toEqual([]);
      expect(sortedIds(result.skipped)).toEqual(everyAgency(w));
      expect(new Set(result.skipped.map((s) => s.reason))).toEqual(new Set(['not_working_day']));
      expect(formatPromptCycleResult(result)).toContain('不发送（今天不是工作日）');
      expect(formatPromptCycleResult(result, 'en-US')).toContain('nothing to send (not a working day)');
    }
    expect(w.outbox.list()).toEqual([]);

    // Saturday 2026-10-10 is a make-up working day after the National Day holiday.
    const saturday = await remind(w, '2026-10-10 10:00');
    expect(saturday.cycle).toBe('2026-W41');
    expect(sortedIds(saturday.prompts)).toEqual(w.promptedAgencyIds());
    expect(w.outbox.list({ kind: 'prompt' }).every((r) => r.status === 'sent')).toBe(true);
  });
});

describe('a forced prompt cycle', () => {
  it('sends to a paused agency on a Sunday and records who forced it and what it set aside', async () => {
    const w = open();
    const paused = idOf(w, '市科技局');
    w.agencies.setAgencyPause({
      agencyId: w.agencies.requireAgency('市科技局').id,
      paused: true,
      ...w.ctx('2026-11-20 12:00'),
    });
    const audit = createAuditRepository({ db: w.db });

    const result = await remind(w, '2026-11-29 10:00', { agency: '市科技局', force: true });
    expect(result.force).toBe(true);
    expect(result.prompts.map((p) => [p.agencyId, p.overridden])).toEqual([
      [paused, ['not_working_day', 'paused']],
    ]);
    expect(w.outbox.findByKey(`prompt:${paused}:2026-W48`)?.status).toBe('sent');
    const sentToPaused = w.chat.sent.filter((m) => m.chatId === chatOf(paused)).map((m) => m.idempotencyKey);
    expect(sentToPaused[0]).toBe(`prompt:${paused}:2026-W48`);
    expect(sentToPaused).toHaveLength(result.prompts[0]?.pages ?? 0);
    expect(formatPromptCycleResult(result)).toContain('强制发送，已忽略：今天不是工作日；提醒已暂停');

    expect(audit.list(FORCED_PROMPT_CYCLE)).toEqual([
      expect.objectContaining({
        actor: 'ou_coordinator',
        channel: 'cli',
        entity: 'prompt_cycle',
        entityId: '2026-W48',
        action: 'forced',
        after: {
          target: '市科技局',
          agencies: [{ id: paused, name: '市科技局', overridden: ['not_working_day', 'paused'] }],
        },
      }),
    ]);

    // Forcing again does not send twice: the cycle's key still holds.
    const again = await remind(w, '2026-11-29 10:05', { agency: '市科技局', force: true });
    expect(again.skipped).toEqual([{ agencyId: paused, agency: '市科技局', reason: 'already_planned' }]);
    expect(w.sentTo(chatOf(paused))).toHaveLength(sentToPaused.length);
    expect(audit.list(FORCED_PROMPT_CYCLE)).toHaveLength(1);
  });

  it('shows in a dry run what it would force, and writes nothing', async () => {
    const w = open();
    w.scheduler.setGlobalPause({ paused: true, ...w.ctx('2026-11-20 12:00') });
    const auditBefore = createAuditRepository({ db: w.db }).count();

    const result = await remind(w, '2026-11-23 10:00', { all: true, force: true, dryRun: true });
    expect(sortedIds(result.prompts)).toEqual(w.promptedAgencyIds());
    expect(result.prompts.every((p) => p.overridden?.join() === 'paused')).toBe(true);
    expect(w.outbox.list()).toEqual([]);
    expect(w.chat.sent).toEqual([]);
    expect(createAuditRepository({ db: w.db }).count()).toBe(auditBefore);
  });
});

describe('the scheduled and the manual cycle', () => {
  it('plan the same messages for the same database and time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'duban-prompt-cycle-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const settings = { ...defaultScheduleSettings(), weeklyBudget: 2 };
    const scheduled = open({ settings });
    const named = ['市科技局', '市发改委', '市财政局'].map((name) => idOf(scheduled, name));
    const replied = scheduled.promptedAgencyIds().find((id) => !named.includes(id)) as number;
    scheduled.agencies.setAgencyPause({
      agencyId: scheduled.agencies.requireAgency('市科技局').id,
      paused: true,
      ...scheduled.ctx('2026-11-20 12:00'),
    });
    spendBudget(scheduled, idOf(scheduled, '市发改委'), 2, '2026-11-23 08:00');
    scheduled.reply(replied, '2026-11-23 08:30');
    scheduled.db.$client.prepare('UPDATE agencies SET chat_id = NULL WHERE name = ?').run('市财政局');

    const copyPath = join(dir, 'copy.sqlite');
    scheduled.db.$client.exec(`VACUUM INTO '${copyPath}'`);
    const copy: DubanDatabase = openDatabase({ path: copyPath });
    const manual = open({ db: copy, seed: false, settings });

    await scheduled.run('weeklyPrompt', '2026-11-23 09:30');
    const result = await remind(manual, '2026-11-23 09:30', { all: true }, settings);

    const rows = (w: World) =>
      w.outbox.list().map((r) => ({
        key: r.key,
        kind: r.kind,
        chatId: r.chatId,
        agencyId: r.agencyId,
        cycle: r.cycle,
        payload: r.payload,
        status: r.status,
      }));
    expect(rows(manual)).toEqual(rows(scheduled));
    expect(manual.chat.sent.map((s) => [s.chatId, s.idempotencyKey])).toEqual(
      scheduled.chat.sent.map((s) => [s.chatId, s.idempotencyKey]),
    );
    // The state holds a case of each rule, and the plan shows them.
    const reasons = new Map(result.skipped.map((s) => [s.agency, s.reason]));
    expect(reasons.get('市科技局')).toBe('paused');
    expect(reasons.get('市发改委')).toBe('budget');
    expect(reasons.get('市财政局')).toBe('no_chat');
    expect(result.skipped).toContainEqual(
      expect.objectContaining({ agencyId: replied, reason: 'already_replied' }),
    );
    expect(result.prompts.length).toBeGreaterThan(10);
  });
});
