/**
 * The process the exactly-once test kills: `duban remind --all` against the emulator, as the CLI would
 * run it. Arguments: DB path, emulator URL, app id, app secret, cycle, rate (requests/s for the app).
 */
import { createLarkChat } from '../../../src/chat/index.js';
import { silentLogger } from '../../../src/logger.js';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { planAndEnqueueReminders } from '../../../src/usecases/remind.js';

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
const result = await planAndEnqueueReminders({
  db,
  now: new Date(),
  cycle,
  all: true,
  chat,
  settleTimeoutMs: 30_000,
});
process.stdout.write(
  `${JSON.stringify({ queued: result.queued.length, sent: result.delivery?.sent ?? 0, failed: result.delivery?.failures.length ?? 0 })}\n`,
);
await chat.close();
closeDatabase(db);
