// The bench runner's work, apart from `process`: tests/bench/run.ts calls it, and
// tests/integration/bench-runner.test.ts runs it over a folder of stand-in benches.
import { readdirSync, writeFileSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchOutcome, renderResults } from './_results.js';
import type { BenchTargets } from './_targets.js';

interface BenchModule {
  run(): Promise<Record<string, unknown>>;
}

/** The benches in a folder: every `NAME.ts` but run.ts and helpers (`_…`). */
export function availableBenches(folder: string): string[] {
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
function applyTargetEnv(targets: BenchTargets | undefined): Record<string, string> {
  const used: Record<string, string> = {};
  for (const [key, value] of Object.entries(targets?.env ?? {})) {
    if (process.env[key] === undefined || process.env[key] === '') process.env[key] = value;
    used[key] = process.env[key] as string;
  }
  return used;
}

/**
 * Runs the named benches (none: all of them), printing each one's output and then its result as ONE
 * line of JSON. Only a run of every bench writes `resultsPath`, so the page always holds figures
 * measured together. Returns the exit code: 2 for an unknown name, 1 when a bench threw, else 0.
 */
export async function runBenches(options: {
  folder: string;
  names: string[];
  targets: Record<string, BenchTargets>;
  resultsPath: string;
}): Promise<number> {
  const { folder, names, targets, resultsPath } = options;
  const known = availableBenches(folder);
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
    const env = applyTargetEnv(targets[name]);
    const mod = (await import(pathToFileURL(join(folder, `${name}.ts`)).href)) as Partial<BenchModule>;
    if (typeof mod.run !== 'function') {
      if (!all) {
        console.error(`${join(folder, name)}.ts does not export run()`);
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
      targets,
      info: {
        date: started,
        node: process.version,
        cores: availableParallelism(),
        cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
        platform: `${platform()} ${arch()}`,
        seconds: (Date.now() - started.getTime()) / 1000,
      },
    });
    writeFileSync(resultsPath, page);
    // stderr, so that stdout still ends with the last bench's JSON line.
    console.error(`wrote ${resultsPath}`);
  }
  return failed === 0 ? 0 : 1;
}
