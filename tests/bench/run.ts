// `npm run bench -- NAME` runs tests/bench/NAME.ts; with no name, every bench in this folder.
// Each bench module exports `run(): Promise<Record<string, unknown>>`, prints its own figures,
// and the runner ends each bench's output with its result as ONE line of JSON.
// Only a run of every bench (no name) rewrites tests/bench/RESULTS.md, so the page always shows figures
// measured together, in one run, beside their targets (tests/bench/_targets.ts); a named run writes nothing.
// Files starting with `_` are helpers (workers, the targets table, the renderer), not benches.
import { readdirSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchOutcome, renderResults } from './_results.js';
import { BENCH_TARGETS } from './_targets.js';

const folder = import.meta.dirname;

interface BenchModule {
  run(): Promise<Record<string, unknown>>;
}

function available(): string[] {
  return readdirSync(folder)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_') && !f.endsWith('.d.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
}

/**
 * Sets the environment a bench's targets are measured under (e.g. the offered event rate) where the
 * caller has not set it, before the bench module is imported (benches read it at load). Returns the
 * values in force, for RESULTS.md.
 */
function applyTargetEnv(name: string): Record<string, string> {
  const wanted = BENCH_TARGETS[name]?.env ?? {};
  const used: Record<string, string> = {};
  for (const [key, value] of Object.entries(wanted)) {
    if (process.env[key] === undefined || process.env[key] === '') process.env[key] = value;
    used[key] = process.env[key] as string;
  }
  return used;
}

async function main(): Promise<number> {
  const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const known = available();
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`Unknown bench: ${unknown.join(', ')}. Available: ${known.join(', ')}`);
    return 2;
  }
  const all = names.length === 0;
  const started = new Date();
  const outcomes: BenchOutcome[] = [];
  let failed = 0;
  for (const name of all ? known : names) {
    const env = applyTargetEnv(name);
    const mod = (await import(pathToFileURL(join(folder, `${name}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      if (!all) {
        console.error(`tests/bench/${name}.ts does not export run()`);
        failed++;
      }
      continue;
    }
    console.log(`# bench ${name}`);
    try {
      const result = await mod.run();
      console.log(JSON.stringify({ bench: name, ...result }));
      outcomes.push({ bench: name, figures: result, env });
    } catch (error) {
      console.error(`bench ${name} failed:`, error);
      outcomes.push({ bench: name, error: error instanceof Error ? error.message : String(error), env });
      failed++;
    }
  }
  if (all) {
    const page = renderResults({
      outcomes,
      targets: BENCH_TARGETS,
      info: {
        date: started,
        node: process.version,
        cores: availableParallelism(),
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        platform: `${platform()} ${arch()}`,
        seconds: (Date.now() - started.getTime()) / 1000,
      },
    });
    const path = join(folder, 'RESULTS.md');
    writeFileSync(path, page);
    // stderr, so that stdout still ends with the last bench's JSON line.
    console.error(`wrote ${path}`);
  }
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
