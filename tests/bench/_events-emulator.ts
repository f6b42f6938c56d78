// Lark's side of the events bench in its own process, as Lark is another machine: the emulator, its
// user and groups, and the paced posting (each message encrypted, signed and pushed twice over HTTP).
// The bot's process then spends its CPU on the bot alone. Takes one JSON argument (see Config); prints
// JSON lines on stdout: {"phase":"posting"} as the first message is posted, then {"phase":"done",…}
// with the posted message ids and every push attempt, once no delivery is in flight or due a retry.
// Stops on SIGTERM.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLarkEmulator } from '../../src/emulator/index.js';

interface Config {
  webhookUrl: string;
  encryptKey: string;
  verificationToken: string;
  botOpenId: string;
  rate: number;
  seconds: number;
  chats: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
// Resolves once written: the last line (a few hundred KB) must be out of the pipe before the exit.
const say = (line: unknown) =>
  new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(line)}\n`, () => resolve()));

const emulator = createLarkEmulator({
  encryptKey: config.encryptKey,
  verificationToken: config.verificationToken,
  botOpenId: config.botOpenId,
  rateLimits: false,
  duplicatePushes: 2,
  // Lark's retries (15 s, 5 min, 1 h, 6 h) compressed to 15 s each, so a run that needs them still ends.
  retrySchedule: [15_000, 15_000, 15_000, 15_000],
});
process.on('SIGTERM', () => {
  void emulator.stop().then(() => process.exit(0));
});
await emulator.start();
emulator.setWebhookUrl(config.webhookUrl);

const user = emulator.addUser({ name: '压测用户' });
const chats = Array.from({ length: config.chats }, (_, i) =>
  emulator.createChat({ name: `压测群${i}`, members: [user.open_id], bot: true }),
);
// The bot-added pushes of the set-up are not part of the measure.
await emulator.idle();
emulator.clearDeliveries();

// The emulator keeps its latest 10,000 delivery records: collect them as they come, so a longer or
// faster run than 5,000 events keeps every attempt (a record gains its retries in place).
const records = new Set<ReturnType<typeof emulator.deliveries>[number]>();
const collect = () => {
  for (const record of emulator.deliveries()) records.add(record);
};
const collector = setInterval(collect, 250);

const total = config.rate * config.seconds;
const posted: string[] = [];
await say({ phase: 'posting' });
// Lark's side held up (its own work, or the machine's scheduling) shows in the answer times it measures.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const cpuBefore = process.cpuUsage();
const started = performance.now();
for (let i = 0; i < total; i++) {
  // Pace against the wall clock so a slow tick does not shrink the offered rate.
  const due = started + (i * 1000) / config.rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const chat = chats[i % chats.length]!;
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
clearInterval(collector);
collect();
const cpu = process.cpuUsage(cpuBefore);
loopDelay.disable();
const attempts = [...records].flatMap((record) =>
  record.attempts.map((a) => [a.durationMs, a.status] as [number, number | null]),
);
await say({
  phase: 'done',
  posted,
  offeredSeconds,
  attempts,
  cpuMs: (cpu.user + cpu.system) / 1000,
  loopDelayMaxMs: loopDelay.max / 1e6,
});
await emulator.stop();
process.exit(0);
