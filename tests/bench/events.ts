// Events through the webhook path at a fixed rate (BENCH_EVENTS_RATE per second for
// BENCH_EVENTS_SECONDS), in two processes, as Lark is another machine:
// - Lark's side, tests/bench/_events-emulator.ts, spawned with `--import tsx`: the emulator, a user in
//   20 groups, and the paced posting. Each im.message.receive_v1 is encrypted, signed and pushed twice
//   (as Lark sometimes does) over HTTP to this process. It reports back, as JSON lines on stdout, when
//   posting starts and, once no push is in flight or due a retry, the posted message ids and every
//   push attempt's status and answer time as its HTTP client measured it.
// - The bot's side, this process: the real webhook handler, the real bot pipeline and the SQLite inbox
//   opened as the app opens it. The intake records each event, answers, then works it (src/bot/inbox.ts).
// Figures: the answer time Lark sees (p50_ms, p99_ms over every push) and non-200 answers; lost,
// duplicated (processed twice) and unprocessed (recorded but never worked), counted here; the CPU per
// event of the bot's process alone from posting start to the last event worked (cpu_ms_per_event,
// steadier than latency on a shared machine) and of the emulator's (emulator_cpu_ms_per_event). To
// tell a slow bot from a starved process: bot_answer_p99_ms (handler called to response sent, in the
// bot's process) and the largest event-loop delays of both processes. Lark's retries (15 s, 5 min, 1 h,
// 6 h) are compressed to 15 s each so a run that needs them still ends in about a minute.
// Runnable alone (`npx tsx tests/bench/events.ts`; `node --cpu-prof --import tsx tests/bench/events.ts`
// profiles the bot's side only) or via `npm run bench -- events`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createBot } from '../../src/bot/bot.js';
import type { Middleware } from '../../src/bot/compose.js';
import type { MessageContext } from '../../src/bot/context.js';
import { createWebhookHandler } from '../../src/chat/index.js';
import { systemClock } from '../../src/core/clock.js';
import { openIdForName } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/logger.js';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { createInboundRepository } from '../../src/store/inbound-repository.js';
import { createFakeChat } from '../helpers/fake-chat.js';
import { intakeOnly } from '../helpers/intake-only.js';

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
  const botOpenId = openIdForName('bot:bench');
  const processed = new Map<string, number>();
  const count: Middleware<MessageContext> = async (ctx) => {
    processed.set(ctx.event.messageId, (processed.get(ctx.event.messageId) ?? 0) + 1);
  };
  // The bench measures intake: no command or card action runs, so the directory and use cases are idle.
  const { directory, usecases } = intakeOnly('the events bench runs no use case');
  const bot = createBot({
    deps: {
      chat: createFakeChat(),
      clock: systemClock,
      logger: silentLogger,
      directory,
      usecases,
    },
    inboundLog: inbound.inbox,
    commands: [],
    cardActions: [],
    onText: count,
  });
  const webhook = createWebhookHandler({
    encryptKey,
    verificationToken,
    onEvent: bot.handle,
    logger: silentLogger,
    path: '/webhook/event',
    botOpenId,
  });
  // The bot's own share of each answer: from the request handed to the handler to the response sent.
  const answered: number[] = [];
  const server = createServer((req, res) => {
    const started = performance.now();
    res.on('finish', () => answered.push(performance.now() - started));
    webhook(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/event`;

  const total = RATE * SECONDS;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, '_events-emulator.ts'),
      JSON.stringify({
        webhookUrl,
        encryptKey,
        verificationToken,
        botOpenId,
        rate: RATE,
        seconds: SECONDS,
        chats: CHATS,
      }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DUBAN_LOG_LEVEL: 'silent' } },
  );
  try {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`the emulator process exited with ${code}`))),
    );
    // The iterator buffers, so a line is not missed when two arrive in one chunk.
    const iterator = lines[Symbol.asyncIterator]();
    const nextLine = async () => {
      const next = await Promise.race([iterator.next(), exited]);
      if (next.done === true) throw new Error('the emulator process closed its output');
      return next.value as string;
    };
    // The set-up (the bot added to each group) is pushed before this line and not measured.
    await nextLine();
    const cpuBefore = process.cpuUsage();
    // How long the bot's event loop was held up at a time: its own stalls (a commit that checkpoints
    // the WAL, garbage collection, a long run of work), apart from the machine's scheduling.
    const loopDelay = monitorEventLoopDelay({ resolution: 1 });
    loopDelay.enable();
    const report = JSON.parse(await nextLine()) as {
      posted: string[];
      offeredSeconds: number;
      attempts: Array<[number, number | null]>;
      cpuMs: number;
      loopDelayMaxMs: number;
    };
    lines.close();
    await bot.idle();
    const cpu = process.cpuUsage(cpuBefore);
    loopDelay.disable();
    const unprocessed = db.$client
      .prepare('SELECT count(*) FROM inbound_events WHERE processed = 0')
      .pluck()
      .get();

    answered.sort((x, y) => x - y);
    const durations = report.attempts.map(([ms]) => ms).sort((x, y) => x - y);
    const failedAnswers = report.attempts.filter(([, status]) => status !== 200).length;
    const lost = report.posted.filter((id) => !processed.has(id)).length;
    const duplicated = [...processed.values()].reduce((sum, n) => sum + (n - 1), 0);
    const result = {
      rate: Math.round(total / report.offeredSeconds),
      events: total,
      pushes: report.attempts.length,
      p50_ms: Number(percentile(durations, 50).toFixed(2)),
      p99_ms: Number(percentile(durations, 99).toFixed(2)),
      non_200: failedAnswers,
      lost,
      duplicated,
      unprocessed,
      // CPU of the bot's process alone (the webhook, the bot, SQLite) per event.
      cpu_ms_per_event: Number(((cpu.user + cpu.system) / 1000 / total).toFixed(3)),
      // CPU of Lark's side (the emulator encrypting, signing and pushing twice) per event.
      emulator_cpu_ms_per_event: Number((report.cpuMs / total).toFixed(3)),
      emulator_loop_delay_max_ms: Number(report.loopDelayMaxMs.toFixed(1)),
      bot_answer_p99_ms: Number(percentile(answered, 99).toFixed(2)),
      bot_loop_delay_p99_ms: Number((loopDelay.percentile(99) / 1e6).toFixed(1)),
      bot_loop_delay_max_ms: Number((loopDelay.max / 1e6).toFixed(1)),
      cores: availableParallelism(),
      load_1m: Number((loadavg()[0] ?? 0).toFixed(2)),
    };
    console.log(
      `events: ${total} offered at ${result.rate}/s, each pushed twice (${result.pushes} pushes); answer p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms; lost ${lost}, processed twice ${duplicated}, non-200 answers ${failedAnswers}; bot CPU ${result.cpu_ms_per_event} ms/event`,
    );
    return result;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

// Runnable alone as well as through tests/bench/run.ts.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await run();
  console.log(JSON.stringify({ bench: 'events', ...result }));
}
