// Fan-out of one prompt card to each of 500 agency groups through the real path: `duban remind --all`
// (plan, render, outbox, dispatcher, chat adapter with the SDK) against the Lark emulator, running in
// its own process and enforcing 50 req/s per app and 5 req/s per chat, with 10% of sends answered 429
// or 5xx. Target: 500 delivered, 0 duplicated, 0 lost, ratio (total seconds ÷ the physical minimum of
// 500/50 s) ≤ 1.15. Runnable alone (`npx tsx tests/bench/fanout.ts`) or via `npm run bench -- fanout`.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createLarkChat } from '../../src/chat/index.js';
import { defaultScheduleSettings } from '../../src/config/schedule.js';
import { createWorkingCalendar } from '../../src/core/cycles/china-calendar.js';
import { chatIdForName } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/logger.js';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { runPromptCycle } from '../../src/usecases/prompt-cycle.js';
import { seedFanoutLedger } from '../integration/outbox/seed.js';

const CARDS = 500;
const APP_PER_SECOND = 50;
const FAULT_RATE = Number(process.env.BENCH_FAULT_RATE ?? 0.1);

interface EmulatorProcess {
  url: string;
  appId: string;
  appSecret: string;
  child: ChildProcess;
}

async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '_fanout-emulator.ts')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DUBAN_LOG_LEVEL: 'silent' },
    },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the emulator process exited with ${code}`)));
  });
  lines.close();
  return { ...(JSON.parse(first) as { url: string; appId: string; appSecret: string }), child };
}

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

export async function run(): Promise<Record<string, unknown>> {
  const emu = await startEmulatorProcess();
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-fanout-'));
  const db = openDatabase({ path: join(dir, 'duban.sqlite') });
  // Rate slots are stamped when a call completes (see src/chat/rate-limit.ts), so the next call on a
  // slot reaches Lark at least a full window after the previous one whatever the latency: the margin
  // only absorbs timer rounding here.
  const chat = createLarkChat({
    appId: emu.appId,
    appSecret: emu.appSecret,
    domain: emu.url,
    logger: silentLogger,
    limits: { marginMs: 2 },
  });
  try {
    // Chat ids derive from the group's name, so the ledger can bind them before the groups exist.
    const agencies = seedFanoutLedger({ db, count: CARDS, tasksPerAgency: 3, chatIdFor: chatIdForName });
    for (const agency of agencies) {
      const created = (await control(emu.url, 'POST', '/_emulator/chats', { name: agency.name })) as {
        chat_id: string;
      };
      if (created.chat_id !== agency.chatId) throw new Error(`unexpected chat id for ${agency.name}`);
    }
    // Half the faults are app-wide 429s whose reset header says the window is free again (the app is
    // within its limit), half are 5xx; both hit message creation only.
    const path = '^/open-apis/im/v1/messages$';
    const kinds = (process.env.BENCH_FAULT_KINDS ?? 'rate_limit,server_error').split(',');
    await control(
      emu.url,
      'POST',
      '/_emulator/faults',
      [
        { kind: 'rate_limit', probability: FAULT_RATE / 2, method: 'POST', path, resetSeconds: 0 },
        { kind: 'server_error', probability: FAULT_RATE / 2, method: 'POST', path, status: 503 },
      ].filter((fault) => kinds.includes(fault.kind)),
    );
    // A running app holds a token already: fetch it before the clock starts, then let the rate slot
    // that call used expire.
    await chat.botInfo();
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const started = performance.now();
    // A working day of the cycle, before the real clock: every card is due at once.
    const result = await runPromptCycle(
      { db, chat, settings: defaultScheduleSettings(), calendar: createWorkingCalendar() },
      { now: new Date('2026-11-23T01:30:00Z'), cycle: '2026-W48', all: true, settleTimeoutMs: 120_000 },
    );
    const seconds = (performance.now() - started) / 1000;

    let delivered = 0;
    let duplicated = 0;
    for (const agency of agencies) {
      const messages = (await control(
        emu.url,
        'GET',
        `/_emulator/chats/${agency.chatId}/messages`,
      )) as Array<{
        msg_type: string;
        sender: { type: string };
      }>;
      const cards = messages.filter((m) => m.msg_type === 'interactive' && m.sender.type === 'app').length;
      if (cards > 0) delivered += 1;
      duplicated += Math.max(0, cards - 1);
    }
    const faults = (await control(emu.url, 'GET', '/_emulator/faults')) as Array<{ fired: number }>;
    const injected = faults.reduce((n, f) => n + f.fired, 0);
    const minimum = CARDS / APP_PER_SECOND;
    console.log(
      `fan-out: ${delivered}/${CARDS} delivered, ${duplicated} duplicated in ${seconds.toFixed(2)} s ` +
        `(physical minimum ${minimum} s); ${injected} sends answered with an injected 429/5xx; ` +
        `queued ${result.queued.length}, failed ${result.delivery?.failures.length ?? 0}`,
    );
    return {
      cards: CARDS,
      delivered,
      duplicated,
      lost: CARDS - delivered,
      seconds: Math.round(seconds * 100) / 100,
      ratio: Math.round((seconds / minimum) * 1000) / 1000,
    };
  } finally {
    await chat.close();
    closeDatabase(db);
    emu.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runnable alone as well as through tests/bench/run.ts.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  console.log(JSON.stringify({ bench: 'fanout', ...result }));
}
