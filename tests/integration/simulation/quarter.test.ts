// A quarter in fast-forward (tests/simulation/driver.ts): the real app, its scheduled jobs and the Lark
// emulator under a virtual clock from 2026-01-01, twenty agencies answering in every style, Lark faults,
// duplicate pushes and hard restarts; then every invariant of the year-long run must hold.
import { describe, expect, it } from 'vitest';
import { runSimulation } from '../../simulation/driver.js';
import { formatReport } from '../../simulation/report.js';

const DAYS = Number(process.env.SIM_TEST_DAYS ?? 90);

describe('a simulated quarter for 20 agencies', () => {
  it(
    'holds every invariant: prompts on working days only, one per agency and cycle, the budget, nothing lost or doubled, scores from the trail, a sound database',
    async () => {
      const result = await runSimulation({ days: DAYS, agencies: 20, seed: 7 });
      const failed = result.invariants.filter((i) => !i.ok);
      expect(failed, formatReport(result)).toEqual([]);
      expect(result.figures.prompts).toBeGreaterThan(0);
      expect(result.figures.user_actions).toBeGreaterThan(0);
      expect(result.figures.repeated_requests).toBe(0);
    },
    15 * 60_000,
  );
});
