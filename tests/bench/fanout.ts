// Fan-out of one prompt card to each of 500 agency groups through the real path: `duban remind --all`
// (plan, render, outbox, dispatcher, chat adapter with the SDK) against the Lark emulator enforcing
// 50 req/s per app and 5 req/s per chat, with 10% of sends answered 429 or 5xx. Target: 500 delivered,
// 0 duplicated, 0 lost, ratio (total seconds ÷ the physical minimum of 500/50 s) ≤ 1.15.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLarkChat } from '../../src/chat/index.js';
import { createLarkEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/logger.js';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { planAndEnqueueReminders } from '../../src/usecases/remind.js';
import { seedFanoutLedger } from '../integration/outbox/seed.js';

const CARDS = 500;
const APP_PER_SECOND = 50;
const FAULT_RATE = 0.1;

export async function run(): Promise<Record<string, unknown>> {
  const emu = createLarkEmulator({
    rateLimits: { perAppPerSecond: APP_PER_SECOND, perAppPerMinute: 1000, perChatPerSecond: 5 },
  });
  await emu.start();
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-fanout-'));
  const db = openDatabase({ path: join(dir, 'duban.sqlite') });
  const chat = createLarkChat({
    appId: emu.appId,
    appSecret: emu.appSecret,
    domain: emu.url,
    logger: silentLogger,
  });
  try {
    const agencies = seedFanoutLedger({
      db,
      count: CARDS,
      tasksPerAgency: 3,
      chatIdFor: (name) => emu.createChat({ name }).chat_id,
    });
    // Half the faults are app-wide 429s (whose reset header says the window is already free again:
    // the app is within its limit), half are 5xx; both hit message creation only.
    const path = '^/open-apis/im/v1/messages$';
    emu.injectFault({
      kind: 'rate_limit',
      probability: FAULT_RATE / 2,
      method: 'POST',
      path,
      resetSeconds: 0,
    });
    emu.injectFault({ kind: 'server_error', probability: FAULT_RATE / 2, method: 'POST', path, status: 503 });

    // A running app holds a token already: fetch it before the clock starts, then let the one rate
    // slot that call used expire.
    await chat.botInfo();
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const started = performance.now();
    const result = await planAndEnqueueReminders({
      db,
      now: new Date(),
      cycle: '2026-W48',
      all: true,
      chat,
      settleTimeoutMs: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;

    let delivered = 0;
    let duplicated = 0;
    for (const agency of agencies) {
      const cards = emu
        .messages(agency.chatId)
        .filter((m) => m.msg_type === 'interactive' && m.sender.type === 'app').length;
      if (cards > 0) delivered += 1;
      duplicated += Math.max(0, cards - 1);
    }
    const sends = emu.requestLog().filter((r) => r.method === 'POST' && /\/im\/v1\/messages$/.test(r.path));
    const injected = sends.filter((r) => r.faults.length > 0).length;
    const refused = sends.filter((r) => r.status === 429 && r.faults.length === 0).length;
    const minimum = CARDS / APP_PER_SECOND;
    console.log(
      `fan-out: ${delivered}/${CARDS} delivered, ${duplicated} duplicated in ${seconds.toFixed(2)} s ` +
        `(physical minimum ${minimum} s); ${sends.length} send requests, ${injected} with injected faults, ` +
        `${refused} refused by the emulator's own limits; queued ${result.queued.length}, ` +
        `failed ${result.delivery?.failures.length ?? 0}`,
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
    await emu.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runnable alone as well as through tests/bench/run.ts.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  console.log(JSON.stringify({ bench: 'fanout', ...result }));
}
