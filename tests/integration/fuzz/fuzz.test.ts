import { describe, expect, it } from 'vitest';
import { describeFailures } from '../../helpers/fuzz.js';
import { type FuzzTarget, fuzzCases, fuzzSeed, runFuzzTarget } from '../../helpers/fuzz-targets.js';

/**
 * A few hundred seeded cases of each fuzz target (tests/bench/fuzz.ts runs 100,000): a failure names the
 * case's seed, and `FUZZ_REPLAY=<seed> npx vitest run tests/integration/fuzz` replays just that case.
 */
const cases: Record<FuzzTarget, number> = {
  policy: 300,
  replies: 2000,
  commands: 2000,
  values: 2000,
  normalize: 2000,
  bot: 600,
};

describe('fuzzing with random and mutated inputs', () => {
  it.each(Object.entries(cases) as [FuzzTarget, number][])(
    'lets no throw escape from %s, and writes nothing for a refused input',
    async (target, count) => {
      const result = await runFuzzTarget(target, fuzzSeed(), fuzzCases(count));
      expect(describeFailures(result)).toBe('');
      expect(result.cases).toBeGreaterThan(0);
    },
    120_000,
  );
});
