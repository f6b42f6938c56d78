import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLarkChat } from '../../../src/chat/index.js';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { createLarkEmulator, type LarkEmulator } from '../../../src/emulator/index.js';
import { silentLogger } from '../../../src/logger.js';
import { closeDatabase, type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { createOutboxRepository } from '../../../src/store/outbox-repository.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';
import { type SeededAgency, seedFanoutLedger } from './seed.js';

const CYCLE = '2026-W48';
/** A working day of the cycle, before the real clock: what the dispatcher sends is due at once. */
const NOW = new Date('2026-11-23T01:30:00Z');
const rules = { settings: defaultScheduleSettings(), calendar: createWorkingCalendar() };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function startEmulator(rate: number): Promise<LarkEmulator> {
  const emu = createLarkEmulator({ rateLimits: { perAppPerSecond: rate } });
  await emu.start();
  cleanups.push(() => emu.stop());
  return emu;
}

function setupLedger(
  emu: LarkEmulator,
  db: DubanDatabase,
  count: number,
): { agencies: SeededAgency[]; coordinators: string } {
  const coordinators = emu.createChat({ name: '督查室' }).chat_id;
  const agencies = seedFanoutLedger({
    db,
    count,
    tasksPerAgency: 3,
    chatIdFor: (name) => emu.createChat({ name }).chat_id,
    coordinatorsChatId: coordinators,
  });
  return { agencies, coordinators };
}

/** Cards per chat as the control API reports them (what people in the group would see). */
async function cardsPerChat(emu: LarkEmulator, chatIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const chatId of chatIds) {
    const res = await fetch(`${emu.url}/_emulator/chats/${chatId}/messages`);
    const messages = (await res.json()) as Array<{ msg_type: string; sender: { type: string } }>;
    counts.set(
      chatId,
      messages.filter((m) => m.msg_type === 'interactive' && m.sender.type === 'app').length,
    );
  }
  return counts;
}

function runWorker(
  args: string[],
  onSpawn?: (kill: () => void) => void,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'fanout-worker.ts'), ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, DUBAN_LOG_LEVEL: 'silent' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(() => child.kill('SIGKILL'));
  });
}

describe('exactly one prompt per agency per cycle', () => {
  it('survives a SIGKILL in the middle of a fan-out: after a restart every agency has exactly one card', async () => {
    const rate = 20;
    const emu = await startEmulator(rate);
    const dir = mkdtempSync(join(tmpdir(), 'duban-fanout-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbPath = join(dir, 'duban.sqlite');
    const db = openDatabase({ path: dbPath });
    const { agencies } = setupLedger(emu, db, 40);
    closeDatabase(db);
    // Some answers are lost after Lark stored the message: the resend must find the same message.
    emu.injectFault({
      kind: 'drop_after_store',
      probability: 0.1,
      method: 'POST',
      path: '^/open-apis/im/v1/messages$',
    });

    const chatIds = agencies.map((a) => a.chatId);
    const args = [dbPath, emu.url, emu.appId, emu.appSecret, CYCLE, String(rate)];
    let delivered = 0;
    let killedAt = -1;
    const first = await runWorker(args, (kill) => {
      const unsubscribe = emu.subscribe((change) => {
        if (change.type !== 'message' || change.message.msg_type !== 'interactive') return;
        delivered += 1;
        if (delivered === 12) {
          killedAt = delivered;
          unsubscribe();
          kill();
        }
      });
      cleanups.push(unsubscribe);
    });
    expect(first.signal, first.stderr).toBe('SIGKILL');
    expect(killedAt).toBe(12);
    const mid = await cardsPerChat(emu, chatIds);
    const sentBeforeRestart = [...mid.values()].filter((n) => n > 0).length;
    expect(sentBeforeRestart).toBeGreaterThanOrEqual(12);
    expect(sentBeforeRestart).toBeLessThan(40);

    const second = await runWorker(args);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout.trim())).toMatchObject({ queued: 0, failed: 0 });

    const after = await cardsPerChat(emu, chatIds);
    expect([...after.values()]).toEqual(chatIds.map(() => 1));
    const check = openDatabase({ path: dbPath });
    cleanups.push(() => closeDatabase(check));
    const rows = createOutboxRepository({ db: check }).list({ cycle: CYCLE, kind: 'prompt' });
    expect(rows).toHaveLength(40);
    expect(rows.every((r) => r.status === 'sent' && r.messageId !== null)).toBe(true);
    // every recorded message id is the one the chat shows
    for (const row of rows)
      expect(emu.messages(row.chatId).map((m) => m.message_id)).toEqual([row.messageId]);

    // a repeated `duban remind --all` (in this process, to spare a third start-up) sends nothing more
    const chat = createLarkChat({
      appId: emu.appId,
      appSecret: emu.appSecret,
      domain: emu.url,
      logger: silentLogger,
    });
    cleanups.push(() => chat.close());
    const again = await runPromptCycle(
      { db: check, chat, ...rules },
      {
        now: NOW,
        cycle: CYCLE,
        all: true,
      },
    );
    expect(again.queued).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(chatIds.map(() => 'already_planned'));
    expect([...(await cardsPerChat(emu, chatIds)).values()]).toEqual(chatIds.map(() => 1));
  }, 120_000);

  it('neither loses nor doubles a card under injected 429s, 5xx and lost answers', async () => {
    const emu = await startEmulator(50);
    const db = openDatabase({ path: ':memory:' });
    cleanups.push(() => closeDatabase(db));
    const { agencies } = setupLedger(emu, db, 60);
    const path = '^/open-apis/im/v1/messages$';
    emu.injectFault({ kind: 'rate_limit', probability: 0.1, method: 'POST', path, resetSeconds: 0 });
    emu.injectFault({ kind: 'server_error', probability: 0.1, method: 'POST', path, status: 503 });
    emu.injectFault({ kind: 'drop_after_store', probability: 0.1, method: 'POST', path });
    const chat = createLarkChat({
      appId: emu.appId,
      appSecret: emu.appSecret,
      domain: emu.url,
      logger: silentLogger,
      retry: { baseDelayMs: 10, maxDelayMs: 100 },
    });
    cleanups.push(() => chat.close());

    const result = await runPromptCycle(
      { db, chat, ...rules },
      {
        now: NOW,
        cycle: CYCLE,
        all: true,
        settleTimeoutMs: 30_000,
      },
    );
    expect(result.queued).toHaveLength(60);
    expect(result.delivery).toMatchObject({ failures: [], pending: 0 });

    const log = emu.requestLog().filter((r) => r.method === 'POST' && /im\/v1\/messages$/.test(r.path));
    expect(log.some((r) => r.faults.includes('rate_limit'))).toBe(true);
    expect(log.some((r) => r.faults.includes('server_error'))).toBe(true);
    expect(log.some((r) => r.faults.includes('drop_after_store'))).toBe(true);
    const counts = await cardsPerChat(
      emu,
      agencies.map((a) => a.chatId),
    );
    expect([...counts.values()]).toEqual(agencies.map(() => 1));
  }, 60_000);

  it('marks a prompt failed when the bot was removed from the group, and tells the coordinators which agency and why', async () => {
    const emu = await startEmulator(50);
    const db = openDatabase({ path: ':memory:' });
    cleanups.push(() => closeDatabase(db));
    const { agencies, coordinators } = setupLedger(emu, db, 5);
    const removed = agencies[2] as SeededAgency;
    emu.setBotMember(removed.chatId, false);
    const chat = createLarkChat({
      appId: emu.appId,
      appSecret: emu.appSecret,
      domain: emu.url,
      logger: silentLogger,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    cleanups.push(() => chat.close());

    const result = await runPromptCycle(
      { db, chat, ...rules },
      {
        now: NOW,
        cycle: CYCLE,
        all: true,
        settleTimeoutMs: 10_000,
      },
    );
    expect(result.delivery?.failures).toEqual([
      {
        agency: removed.name,
        key: `prompt:${removed.id}:${CYCLE}`,
        error: expect.stringContaining('230002'),
      },
    ]);
    const outbox = createOutboxRepository({ db });
    expect(outbox.findByKey(`prompt:${removed.id}:${CYCLE}`)).toMatchObject({
      status: 'failed',
      attempts: 1,
    });

    const told = emu.messages(coordinators).filter((m) => m.msg_type === 'text');
    expect(told).toHaveLength(1);
    const text = (told[0]!.content as { text: string }).text;
    expect(text).toContain(removed.name);
    expect(text).toContain('230002');
    expect(text).toContain('督办提醒');
    // the other agencies got their card
    const counts = await cardsPerChat(
      emu,
      agencies.map((a) => a.chatId),
    );
    expect(agencies.map((a) => counts.get(a.chatId))).toEqual([1, 1, 0, 1, 1]);

    // re-running the cycle does not retry the failed agency on its own nor tell the coordinators twice
    await runPromptCycle(
      { db, chat, ...rules },
      {
        now: NOW,
        cycle: CYCLE,
        all: true,
        settleTimeoutMs: 10_000,
      },
    );
    expect(emu.messages(coordinators).filter((m) => m.msg_type === 'text')).toHaveLength(1);
  }, 60_000);
});
