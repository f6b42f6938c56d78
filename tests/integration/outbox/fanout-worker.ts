/**
 * The process the exactly-once test kills: `duban remind --all` against the emulator, as the CLI would
 * run it. Arguments: DB path, emulator URL, app id, app secret, cycle, rate (requests/s for the app).
 */
import { createLarkChat } from '../../../src/chat/index.js';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { silentLogger } from '../../../src/logger.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';

const [dbPath, url, appId, appSecret, cycle, rate] = process.argv.slice(2);
if (!dbPath || !url || !appId || !appSecret || !cycle || !rate) {
  process.stderr.write('usage: fanout-worker DB URL APP_ID APP_SECRET CYCLE RATE\n');
  process.exit(2);
}
const db = openDatabase({ path: dbPath });
const chat = createLarkChat({
  appId,
  appSecret,
  domain: url,
  logger: silentLogger,
  limits: { appPerSecond: Number(rate) },
  retry: { baseDelayMs: 20, maxDelayMs: 200 },
});
// A working day of the tests' cycle (2026-W48), before the real clock: the cards are due at once.
const result = await runPromptCycle(
  { db, chat, settings: defaultScheduleSettings(), calendar: createWorkingCalendar() },
  { now: new Date('2026-11-23T01:30:00Z'), cycle, all: true, settleTimeoutMs: 30_000 },
);
process.stdout.write(
  `${JSON.stringify({ queued: result.queued.length, sent: result.delivery?.sent ?? 0, failed: result.delivery?.failures.length ?? 0 })}\n`,
);
await chat.close();
closeDatabase(db);
