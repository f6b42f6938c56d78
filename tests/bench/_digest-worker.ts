// The digest bench's measuring process: opens the database the bench built, runs the Friday job's work
// (read, build, render the digest) and a year's scoring pass, and prints one JSON line.
import { createWorkingCalendar } from '../../src/core/cycles/china-calendar.js';
import { parseScorePeriod } from '../../src/core/scoring/period.js';
import { defaultScoringRules } from '../../src/core/scoring/rules.js';
import { computeScores, type ScoreFact } from '../../src/core/scoring/score.js';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { previewDigest } from '../../src/usecases/digest.js';
import { createRepositories } from '../../src/usecases/repositories.js';

const baselineRssMb = Math.round(process.memoryUsage().rss / 1_048_576);
const [path, nowText] = process.argv.slice(2);
const db = openDatabase({ path: path! });
const now = new Date(nowText!);
const repos = createRepositories(db);
const calendar = createWorkingCalendar();
const rules = defaultScoringRules();
const period = parseScorePeriod('2026');
// A year's scoring facts, one per task (verified on time, or overdue), as the audit trail gives them.
const facts: ScoreFact[] = repos.tasks.listTasks().map((task, i) => {
  const common = {
    id: i + 1,
    at: '2026-11-30T02:00:00Z',
    taskId: task.id,
    articleNo: task.articleNo,
    agencyId: task.agencyId ?? 0,
    agency: task.agency ?? task.writtenName,
    role: task.role,
  };
  return i % 3 === 0
    ? { ...common, kind: 'overdue', dueDate: '2026-11-28' }
    : { ...common, kind: 'verified', reportedDoneAt: '2026-11-20T02:00:00Z', dueDate: '2026-11-28' };
});

const measure = () => {
  const started = performance.now();
  const { card } = previewDigest({ repos, calendar }, { now });
  const sheet = computeScores({ facts, rules, period });
  return {
    ms: performance.now() - started,
    bytes: JSON.stringify(card).length,
    scored: sheet.agencies.length,
  };
};
measure(); // warm-up: the steady cost of a running bot's weekly job
const runs = [measure(), measure(), measure()];
const best = Math.min(...runs.map((r) => r.ms));
const rssMb = Math.round(process.memoryUsage().rss / 1_048_576);
closeDatabase(db);
console.log(
  JSON.stringify({
    ms: best,
    runs: runs.map((r) => r.ms),
    bytes: runs[0]!.bytes,
    scored: runs[0]!.scored,
    rssMb,
    baselineRssMb,
  }),
);
