// Events through the webhook path: the emulator pushes signed, encrypted im.message.receive_v1 events
// (each one twice, as Lark sometimes does) at a fixed rate to the real webhook handler, the real bot
// pipeline and the SQLite dedupe. Reports the answer time Lark would see and whether any event was
// lost or processed twice. The intake records each event, answers, then works it (src/bot/inbox.ts);
// `unprocessed` counts events recorded but never worked. Lark's retries (15 s, 5 min, 1 h, 6 h) are
// compressed to 15 s each so a run that needs them still ends in about a minute.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot } from '../../src/bot/bot.js';
import type { Middleware } from '../../src/bot/compose.js';
import type { MessageContext } from '../../src/bot/context.js';
import type { BotDirectory } from '../../src/bot/ports.js';
import { createWebhookHandler } from '../../src/chat/index.js';
import { systemClock } from '../../src/core/clock.js';
import { createLarkEmulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/logger.js';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { createInboundRepository } from '../../src/store/inbound-repository.js';
import { createFakeChat } from '../helpers/fake-chat.js';

const RATE = Number(process.env.BENCH_EVENTS_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_EVENTS_SECONDS ?? 5);
const CHATS = 20;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-events-'));
  const db = openDatabase({ path: join(dir, 'bench.sqlite') });
  const inbound = createInboundRepository({ db });
  const encryptKey = 'bench-encrypt-key';
  const verificationToken = 'bench-token';
  const emulator = createLarkEmulator({
    encryptKey,
    verificationToken,
    rateLimits: false,
    duplicatePushes: 2,
    retrySchedule: [15_000, 15_000, 15_000, 15_000],
  });
  await emulator.start();

  const processed = new Map<string, number>();
  const count: Middleware<MessageContext> = async (ctx) => {
    processed.set(ctx.event.messageId, (processed.get(ctx.event.messageId) ?? 0) + 1);
  };
  // The bench measures intake: no command or card action runs, so the directory and use cases are idle.
  const directory: BotDirectory = {
    rolesOf: () => ['official'],
    agenciesOf: () => [],
    bindingOf: () => null,
    bindableAgencies: () => [],
  };
  const idle = () => {
    throw new Error('the events bench runs no use case');
  };
  const bot = createBot({
    deps: {
      chat: createFakeChat(),
      clock: systemClock,
      logger: silentLogger,
      directory,
      usecases: {
        bindChat: idle,
        progress: {
          findTask: idle,
          recordReport: idle,
          confirmNoChange: idle,
          promptCard: idle,
          cardAfter: idle,
        },
        membership: { memberJoined: idle, memberLeft: idle },
        replies: { readText: idle, confirmReading: idle, reportCommand: idle, attachFile: idle },
        review: {
          verify: idle,
          returnTask: idle,
          requestExtension: idle,
          requestExtensionByArticle: idle,
          decideExtension: idle,
        },
        coordination: {
          taskBoard: idle,
          setDueDate: idle,
          assign: idle,
          unassign: idle,
          unbind: idle,
          pause: idle,
          resume: idle,
          remind: idle,
        },
      },
    },
    inboundLog: inbound.inbox,
    commands: [],
    cardActions: [],
    onText: count,
  });
  const server = createServer(
    createWebhookHandler({
      encryptKey,
      verificationToken,
      onEvent: bot.handle,
      logger: silentLogger,
      path: '/webhook/event',
      botOpenId: emulator.botOpenId,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  emulator.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`);

  const user = emulator.addUser({ name: '压测用户' });
  const chats = Array.from({ length: CHATS }, (_, i) =>
    emulator.createChat({ name: `压测群${i}`, members: [user.open_id], bot: true }),
  );
  await emulator.idle();
  const seedDeliveries = emulator.deliveries().length;

  const total = RATE * SECONDS;
  const posted: string[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    // Pace against the wall clock so a slow tick does not shrink the offered rate.
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const chat = chats[i % CHATS]!;
    posted.push(
      emulator.postAsUser({
        chat_id: chat.chat_id,
        open_id: user.open_id,
        text: `进展 ${i}：已完成${i % 100}%`,
      }).message.message_id,
    );
  }
  const offeredSeconds = (performance.now() - started) / 1000;
  await emulator.idle();
  await bot.idle();
  const cpu = process.cpuUsage(cpuBefore);
  const unprocessed = db.$client
    .prepare('SELECT count(*) FROM inbound_events WHERE processed = 0')
    .pluck()
    .get();

  const attempts = emulator
    .deliveries()
    .slice(seedDeliveries)
    .flatMap((d) => d.attempts);
  const durations = attempts.map((a) => a.durationMs).sort((a, b) => a - b);
  const failedAnswers = attempts.filter((a) => a.status !== 200).length;
  const lost = posted.filter((id) => !processed.has(id)).length;
  const duplicated = [...processed.values()].reduce((sum, n) => sum + (n - 1), 0);
  const result = {
    rate: Math.round(total / offeredSeconds),
    events: total,
    pushes: attempts.length,
    p50_ms: Number(percentile(durations, 50).toFixed(2)),
    p99_ms: Number(percentile(durations, 99).toFixed(2)),
    non_200: failedAnswers,
    lost,
    duplicated,
    unprocessed,
    // CPU of the whole process (the emulator pushing, the webhook, the bot) per event: steadier than
    // latency on a shared machine.
    cpu_ms_per_event: Number(((cpu.user + cpu.system) / 1000 / total).toFixed(3)),
    cores: availableParallelism(),
    load_1m: Number((loadavg()[0] ?? 0).toFixed(2)),
  };
  console.log(
    `events: ${total} offered at ${result.rate}/s, each pushed twice (${attempts.length} pushes); answer p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; lost ${lost}, processed twice ${duplicated}, non-200 answers ${failedAnswers}`,
  );

  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await emulator.stop();
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
  return result;
}
