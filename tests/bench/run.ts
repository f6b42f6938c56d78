// `npm run bench -- NAME` runs tests/bench/NAME.ts; with no name, every bench in this folder.
// Each bench module exports `run(): Promise<Record<string, unknown>>`, prints its own figures,
// and the runner ends each bench's output with its result as ONE line of JSON.
// Only a run of every bench (no name) rewrites tests/bench/RESULTS.md, so the page always shows figures
// measured together, in one run, beside their targets (tests/bench/_targets.ts); a named run writes nothing.
// Files starting with `_` are helpers (workers, the targets table, the renderer, the runner), not benches.
import { join } from 'node:path';
import { runBenches } from './_runner.js';
import { BENCH_TARGETS } from './_targets.js';

const folder = import.meta.dirname;

process.exitCode = await runBenches({
  folder,
  names: process.argv.slice(2).filter((a) => !a.startsWith('-')),
  targets: BENCH_TARGETS,
  resultsPath: join(folder, 'RESULTS.md'),
});
