// The Lark emulator in its own process for the fanout bench, as Lark is another machine: the bot's
// process then spends its CPU on the bot. Prints one JSON line {url, appId, appSecret}; stops on SIGTERM.
import { createLarkEmulator } from '../../src/emulator/index.js';

const emu = createLarkEmulator({
  rateLimits: { perAppPerSecond: 50, perAppPerMinute: 1000, perChatPerSecond: 5 },
});
const { url } = await emu.start();
process.stdout.write(`${JSON.stringify({ url, appId: emu.appId, appSecret: emu.appSecret })}\n`);
process.on('SIGTERM', () => {
  if (process.env.FANOUT_DEBUG) {
    const sends = emu.requestLog().filter((r) => r.method === 'POST' && r.path.endsWith('/im/v1/messages'));
    const first = sends[0]?.at ?? 0;
    const refused = sends.filter((r) => r.status !== 200 && r.faults.length === 0);
    process.stderr.write(
      `sends ${sends.length}; refused by the limits: ${refused.map((r) => `${r.at - first}:${r.status}`).join(' ')}\n`,
    );
    const bins = new Map<number, number>();
    for (const r of sends)
      bins.set(Math.floor((r.at - first) / 1000), (bins.get(Math.floor((r.at - first) / 1000)) ?? 0) + 1);
    process.stderr.write(`${[...bins].map(([k, v]) => `${k}:${v}`).join(' ')}\n`);
  }
  void emu.stop().then(() => process.exit(0));
});
