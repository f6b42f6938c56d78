// The leaders' digest and the agencies' scores over a year of a city's data: 60 agencies, 300 tasks and
// 100,000 progress updates in a fresh SQLite file with the real migrations. The data is written before
// the clock starts; what is timed is what the Friday job does (read, build, render) plus a scoring pass.
// Targets: under 200 ms and under 150 MB resident.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgencyRegistryFile } from '../../src/config/agencies.js';
import { createAgencyRegistry } from '../../src/core/policy/registry.js';
import type { AgencyDefinition } from '../../src/core/policy/types.js';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { projectRoot } from '../../src/store/paths.js';
import { applyImport } from '../../src/usecases/import-decision.js';
import { createRepositories } from '../../src/usecases/repositories.js';

const AGENCIES = 60;
const TASKS = 300;
const UPDATES = 100_000;
const NOW = new Date('2026-12-18T09:00:00Z'); // a Friday, 17:00 in Shanghai

/** The city's registry: the default agencies (collectives left out) topped up to 60 departments. */
function cityRegistry() {
  const base = loadAgencyRegistryFile(join(projectRoot, 'config', 'agencies.json')).filter(
    (d) => d.kind !== 'collective',
  );
  const extra: AgencyDefinition[] = Array.from({ length: AGENCIES - base.length }, (_, i) => ({
    name: `市第${i + 1}局`,
    aliases: [],
    kind: 'department',
  }));
  return createAgencyRegistry([...base, ...extra]);
}

/** 100 articles in 8 parts, each led by one agency with two participants: 300 tasks. */
function cityDecision(names: string[]): string {
  const lines = ['某市关于全面推进重点工作的决定', ''];
  const parts = ['一', '二', '三', '四', '五', '六', '七', '八'];
  for (let i = 1; i <= TASKS / 3; i++) {
    if ((i - 1) % 13 === 0)
      lines.push(`${parts[Math.floor((i - 1) / 13)]}、第${Math.floor((i - 1) / 13) + 1}部分`, '');
    const [lead, a, b] = [
      names[i % names.length],
      names[(i + 7) % names.length],
      names[(i + 19) % names.length],
    ];
    lines.push(
      `${i}.推进第${i}项重点工作。完善机制，到2026年底完成。(本部分工作由${lead}牵头,${a}、${b}参与)`,
      '',
    );
  }
  return lines.join('\n');
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-digest-'));
  const db = openDatabase({ path: join(dir, 'duban.sqlite') });
  try {
    const registry = cityRegistry();
    const names = registry.all().map((d) => d.name);
    applyImport({
      db,
      text: cityDecision(names),
      sourceName: 'city.txt',
      registry,
      now: new Date('2026-01-05T01:00:00Z'),
      actor: 'bench',
      channel: 'cli',
    });
    const repos = createRepositories(db);
    const tasks = repos.tasks.listTasks();
    // A year of weekly answers, unevenly: a due date for most tasks, reports every few days.
    const insert = db.$client.prepare(
      `INSERT INTO progress_updates (task_id, at, actor, channel, status, percent, blocked, note, no_change)
       VALUES (?, ?, ?, 'card', ?, ?, ?, ?, ?)`,
    );
    const setDue = db.$client.prepare('UPDATE tasks SET due_date = ? WHERE id = ?');
    const yearStart = Date.parse('2026-01-05T02:00:00Z');
    db.$client.transaction(() => {
      tasks.forEach((task, i) => {
        if (i % 10 !== 0) setDue.run(`2026-${String(3 + (i % 10)).padStart(2, '0')}-28`, task.id);
      });
      for (let n = 0; n < UPDATES; n++) {
        const task = tasks[n % tasks.length]!;
        const at = new Date(yearStart + Math.floor((n / UPDATES) * 345 * 86_400_000)).toISOString();
        const percent = Math.min(100, Math.floor((n / UPDATES) * 100) + (n % 7));
        const blocked = n % 97 === 0 ? 1 : 0;
        insert.run(
          task.id,
          at,
          `ou_${n % 200}`,
          percent >= 100 ? 'reported_done' : 'in_progress',
          percent,
          blocked,
          blocked ? `需${names[n % names.length]}配合，资金未到位` : '',
          n % 5 === 0 ? 1 : 0,
        );
      }
      // The task rows carry their latest report, as recordReport leaves them.
      db.$client
        .prepare(
          `UPDATE tasks SET (status, percent, blocked, last_report_at) = (
             SELECT status, percent, blocked, at FROM progress_updates p
             WHERE p.task_id = tasks.id ORDER BY at DESC, id DESC LIMIT 1)
           WHERE EXISTS (SELECT 1 FROM progress_updates p WHERE p.task_id = tasks.id)`,
        )
        .run();
    })();
    closeDatabase(db);
    // Measured in a process of its own, as the bot's weekly job runs: only the digest's and the scores'
    // memory shows, not the 100,000 inserts above.
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, '_digest-worker.ts'),
        join(dir, 'duban.sqlite'),
        NOW.toISOString(),
      ],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`digest worker failed: ${child.stderr}`);
    const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as {
      ms: number;
      runs: number[];
      bytes: number;
      scored: number;
      rssMb: number;
      baselineRssMb: number;
    };
    console.log(
      `digest + scores over ${AGENCIES} agencies, ${tasks.length} tasks, ${UPDATES} updates: ${result.ms.toFixed(1)} ms (best of 3; ${result.runs.map((r) => r.toFixed(0)).join(', ')}), card ${result.bytes} bytes, ${result.scored} agencies scored; rss ${result.rssMb} MB (the bare process ${result.baselineRssMb} MB); targets < 200 ms, < 150 MB`,
    );
    return {
      ms: Math.round(result.ms * 10) / 10,
      rss_mb: result.rssMb,
      agencies: AGENCIES,
      tasks: tasks.length,
      updates: UPDATES,
    };
  } finally {
    if (db.$client.open) closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
}
