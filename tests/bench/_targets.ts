// The one table of benchmark targets, read by tests/bench/run.ts to write tests/bench/RESULTS.md.
// Each target is the figure a bench prints in its JSON line, compared with the number the issues set.
// A bench or a figure missing here is printed with "—" as its target: measured, not judged.

export type TargetOp = '<' | '<=' | '>=' | '=';

export interface Target {
  /** The key in the bench's JSON line, e.g. `p99_ms`. */
  figure: string;
  op: TargetOp;
  value: number;
  /** How the target reads in RESULTS.md, e.g. `< 50 ms`. */
  label: string;
}

export interface BenchTargets {
  /** Where the number comes from (an issue, or the bench's own header comment). */
  source: string;
  /**
   * Environment a run needs to measure under the target's conditions (e.g. the offered event rate).
   * Applied by the runner only where the variable is not already set, so an explicit value still wins.
   */
  env?: Record<string, string>;
  targets: Target[];
}

export const BENCH_TARGETS: Record<string, BenchTargets> = {
  import: {
    source: 'issue 10',
    targets: [
      { figure: 'default_ms', op: '<', value: 50, label: '< 50 ms' },
      { figure: 'synthetic_ms', op: '<', value: 2000, label: '< 2,000 ms' },
    ],
  },
  events: {
    source: 'issue 14',
    env: { BENCH_EVENTS_RATE: '1000' },
    targets: [
      // The pacing loop offers the rate against the wall clock; a loaded machine may fall a little short.
      { figure: 'rate', op: '>=', value: 980, label: '1,000/s offered (≥ 980)' },
      { figure: 'p99_ms', op: '<', value: 50, label: '< 50 ms' },
      { figure: 'non_200', op: '=', value: 0, label: '0 (every push answered)' },
      { figure: 'lost', op: '=', value: 0, label: '0' },
      { figure: 'duplicated', op: '=', value: 0, label: '0' },
      { figure: 'unprocessed', op: '=', value: 0, label: '0 (every recorded event worked)' },
    ],
  },
  replies: {
    source: 'issue 12',
    targets: [
      { figure: 'per_s', op: '>=', value: 20_000, label: '≥ 20,000/s' },
      { figure: 'random_failures', op: '=', value: 0, label: '0' },
    ],
  },
  fanout: {
    source: 'tests/bench/fanout.ts',
    targets: [
      { figure: 'delivered', op: '=', value: 500, label: '500 (every card)' },
      { figure: 'duplicated', op: '=', value: 0, label: '0' },
      { figure: 'lost', op: '=', value: 0, label: '0' },
      { figure: 'ratio', op: '<=', value: 1.15, label: '≤ 1.15' },
    ],
  },
  fuzz: {
    source: 'issue 14',
    targets: [{ figure: 'failures', op: '=', value: 0, label: '0 (100,000 cases per target)' }],
  },
  simulate: {
    source: 'issue 14',
    targets: [
      { figure: 'ms', op: '<', value: 120_000, label: '< 2 min for 365 days, 60 agencies' },
      { figure: 'invariants_failed', op: '=', value: 0, label: '0 (all seven hold)' },
      { figure: 'messages_per_agency_ordinary_week', op: '<=', value: 2, label: '≤ 2' },
      { figure: 'repeated_requests', op: '=', value: 0, label: '0' },
    ],
  },
  digest: {
    source: 'issue 13',
    targets: [
      { figure: 'ms', op: '<', value: 200, label: '< 200 ms' },
      { figure: 'rss_mb', op: '<', value: 150, label: '< 150 MB' },
    ],
  },
};
