// Parse + import of the default decision, and of a synthetic decision of 2,000 articles, each into a
// fresh SQLite file (WAL, the real migrations). Targets: default < 50 ms, 2,000 articles < 2 s.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgencyRegistryFile } from '../../src/config/agencies.js';
import { parseDecision } from '../../src/core/policy/parse.js';
import { type AgencyRegistry, createAgencyRegistry } from '../../src/core/policy/registry.js';
import { closeDatabase, openDatabase } from '../../src/store/database.js';
import { projectRoot } from '../../src/store/paths.js';
import { applyImport } from '../../src/usecases/import-decision.js';

const DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
function chinese(n: number): string {
  if (n < 10) return DIGITS[n] ?? '';
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? '' : DIGITS[tens]}十${DIGITS[n % 10]}`;
}

/** A decision in the default text's clause forms: 20 parts, `articles` numbered articles, rotating agencies. */
export function syntheticDecision(articles: number, registry: AgencyRegistry): string {
  const names = registry
    .all()
    .filter((d) => d.kind === 'department')
    .map((d) => d.name);
  const pick = (i: number) => names[i % names.length] ?? '市科技局';
  const perPart = Math.ceil(articles / 20);
  const lines = ['中共某市委某市人民政府关于合成基准测试工作的决定', ''];
  for (let i = 1; i <= articles; i++) {
    if ((i - 1) % perPart === 0) {
      lines.push(
        `  ${chinese(Math.floor((i - 1) / perPart) + 1)}、第${Math.floor((i - 1) / perPart) + 1}部分工作要求`,
        '',
      );
    }
    const body = `围绕第${i}项重点任务,完善工作机制,加强统筹协调,到2030年,相关指标达到${i % 90}%。`;
    const clause =
      i % 7 === 0
        ? `(本部分工作由${pick(i)}负责)`
        : i % 5 === 0
          ? `(本部分工作由${pick(i)}、${pick(i + 1)}牵头,${pick(i + 2)}、${pick(i + 3)}等部门参与)`
          : `(本部分工作由${pick(i)}牵头,${pick(i + 1)}、${pick(i + 2)}、${pick(i + 3)}、${pick(i + 4)}等部门参与)`;
    lines.push(`  ${i}.推进第${i}项重点任务。${body}${clause}`, '');
  }
  return lines.join('\n');
}

function importOnce(text: string, registry: AgencyRegistry, dir: string, name: string) {
  const db = openDatabase({ path: join(dir, `${name}.sqlite`) });
  try {
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const parsed = parseDecision({ text, registry });
    const parsedAt = performance.now();
    const result = applyImport({
      db,
      text,
      parsed,
      sourceName: name,
      registry,
      now: new Date(),
      actor: 'bench',
      channel: 'cli',
    });
    const done = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    return {
      ms: done - started,
      cpuMs: (cpu.user + cpu.system) / 1000,
      parseMs: parsedAt - started,
      importMs: done - parsedAt,
      articles: parsed.articles.length,
      tasks: result.changes.tasksCreated,
    };
  } finally {
    closeDatabase(db);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function run(): Promise<Record<string, unknown>> {
  const registry = createAgencyRegistry(loadAgencyRegistryFile(join(projectRoot, 'config', 'agencies.json')));
  const defaultText = readFileSync(join(projectRoot, 'config', 'default-decision.txt'), 'utf8');
  const synthetic = syntheticDecision(2000, registry);
  const dir = mkdtempSync(join(tmpdir(), 'duban-bench-'));
  try {
    // Warm-up runs, then the median of several: the figure is the steady cost of an import in a running
    // process (the bot's /import), not V8's first compilation of the code.
    for (let i = 0; i < 3; i++) importOnce(defaultText, registry, dir, `warmup-${i}`);
    const defaults = Array.from({ length: 11 }, (_, i) =>
      importOnce(defaultText, registry, dir, `default-${i}`),
    );
    const synthetics = Array.from({ length: 3 }, (_, i) =>
      importOnce(synthetic, registry, dir, `synthetic-${i}`),
    );
    const d = defaults[0]!;
    const s = synthetics[0]!;
    const defaultMs = median(defaults.map((r) => r.ms));
    const syntheticMs = median(synthetics.map((r) => r.ms));
    console.log(
      `default decision: ${d.articles} articles, ${d.tasks} tasks — ${defaultMs.toFixed(1)} ms (parse ${median(defaults.map((r) => r.parseMs)).toFixed(1)} ms, import ${median(defaults.map((r) => r.importMs)).toFixed(1)} ms); target < 50 ms; CPU ${median(defaults.map((r) => r.cpuMs)).toFixed(1)} ms`,
    );
    console.log(
      `synthetic decision: ${s.articles} articles, ${s.tasks} tasks — ${syntheticMs.toFixed(1)} ms (parse ${median(synthetics.map((r) => r.parseMs)).toFixed(1)} ms, import ${median(synthetics.map((r) => r.importMs)).toFixed(1)} ms); target < 2000 ms; CPU ${median(synthetics.map((r) => r.cpuMs)).toFixed(1)} ms`,
    );
    if (s.articles !== 2000)
      throw new Error(`the synthetic decision parsed into ${s.articles} articles, not 2000`);
    return {
      default_ms: Math.round(defaultMs * 10) / 10,
      synthetic_articles: s.articles,
      synthetic_ms: Math.round(syntheticMs * 10) / 10,
      synthetic_tasks: s.tasks,
      // CPU time shows the steady cost when other processes share the two cores.
      default_cpu_ms: Math.round(median(defaults.map((r) => r.cpuMs)) * 10) / 10,
      synthetic_cpu_ms: Math.round(median(synthetics.map((r) => r.cpuMs)) * 10) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
