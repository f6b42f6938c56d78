// The fuzz targets of issue 14's "Hostile input" at 100,000 cases each (BENCH_FUZZ_CASES to change it):
// the decision parser, the reply reader, the command parser, the card-action values, the event normalizer,
// and card actions and messages through the real bot on a real SQLite database. Target: 0 failures. A
// failure prints its case's seed; `FUZZ_REPLAY=<seed> npm run bench -- fuzz` replays that one case.
import { describeFailures } from '../helpers/fuzz.js';
import { FUZZ_TARGETS, fuzzSeed, runFuzzTarget } from '../helpers/fuzz-targets.js';

export async function run(): Promise<Record<string, unknown>> {
  const perTarget = Number(process.env.BENCH_FUZZ_CASES ?? 100_000);
  const seed = fuzzSeed();
  const cases: Record<string, number> = {};
  const seconds: Record<string, number> = {};
  const slowestMs: Record<string, number> = {};
  let failures = 0;
  for (const target of FUZZ_TARGETS) {
    const started = performance.now();
    const result = await runFuzzTarget(target, seed, perTarget);
    const s = (performance.now() - started) / 1000;
    cases[target] = result.cases;
    seconds[target] = Number(s.toFixed(1));
    slowestMs[target] = result.slowest.ms;
    failures += result.failures.length;
    console.log(
      `${target}: ${result.cases} cases in ${s.toFixed(1)} s, ${result.failures.length} failures (seed ${seed}); slowest case ${result.slowest.ms} ms (FUZZ_REPLAY=${result.slowest.seed})`,
    );
    if (result.failures.length > 0) console.log(describeFailures(result));
  }
  return { seed, cases, seconds, slowestMs, failures };
}
