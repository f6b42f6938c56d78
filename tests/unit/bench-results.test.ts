import { describe, expect, it } from 'vitest';
import { type BenchOutcome, judge, renderResults, resultRows } from '../bench/_results.js';
import { BENCH_TARGETS, type BenchTargets } from '../bench/_targets.js';

const info = {
  date: new Date('2026-12-02T11:05:30Z'),
  node: 'v20.19.0',
  cores: 2,
  cpu: 'Test CPU @ 2.0GHz',
  platform: 'linux x64',
  seconds: 94.6,
};

const targets: Record<string, BenchTargets> = {
  digest: {
    source: 'issue 13',
    targets: [
      { figure: 'ms', op: '<', value: 200, label: '< 200 ms' },
      { figure: 'rss_mb', op: '<', value: 150, label: '< 150 MB' },
    ],
  },
  events: {
    source: 'issue 14',
    env: { BENCH_EVENTS_RATE: '1000' },
    targets: [
      { figure: 'p99_ms', op: '<', value: 50, label: '< 50 ms' },
      { figure: 'lost', op: '=', value: 0, label: '0' },
    ],
  },
};

describe('judging a figure against its target', () => {
  it('meets a strict bound only below it, and an inclusive bound at it', () => {
    expect(judge(199.9, { figure: 'ms', op: '<', value: 200, label: '' })).toBe('met');
    expect(judge(200, { figure: 'ms', op: '<', value: 200, label: '' })).toBe('missed');
    expect(judge(1.15, { figure: 'ratio', op: '<=', value: 1.15, label: '' })).toBe('met');
    expect(judge(20_000, { figure: 'per_s', op: '>=', value: 20_000, label: '' })).toBe('met');
    expect(judge(19_999, { figure: 'per_s', op: '>=', value: 20_000, label: '' })).toBe('missed');
    expect(judge(0, { figure: 'lost', op: '=', value: 0, label: '' })).toBe('met');
    expect(judge(1, { figure: 'lost', op: '=', value: 0, label: '' })).toBe('missed');
  });

  it('counts a missing, textual or non-finite figure as missed, never as met', () => {
    const t = { figure: 'ms', op: '<', value: 200, label: '' } as const;
    expect(judge(undefined, t)).toBe('missed');
    expect(judge('12', t)).toBe('missed');
    expect(judge(Number.NaN, t)).toBe('missed');
  });
});

describe('the rows of RESULTS.md', () => {
  it('puts each targeted figure beside its target, then the other figures with a dash', () => {
    const rows = resultRows([{ bench: 'digest', figures: { ms: 53.2, rss_mb: 160, agencies: 60 } }], targets);
    expect(rows).toEqual([
      { bench: 'digest', figure: 'ms', measured: '53.2', target: '< 200 ms', verdict: 'met' },
      { bench: 'digest', figure: 'rss_mb', measured: '160', target: '< 150 MB', verdict: 'missed' },
      { bench: 'digest', figure: 'agencies', measured: '60', target: '—', verdict: 'none' },
    ]);
  });

  it('shows a bench without a known target with a dash for every figure', () => {
    const rows = resultRows([{ bench: 'fuzz', figures: { cases: 100_000, escaped: 0 } }], targets);
    expect(rows.map((r) => [r.figure, r.target, r.verdict])).toEqual([
      ['cases', '—', 'none'],
      ['escaped', '—', 'none'],
    ]);
  });

  it('marks a targeted figure the bench did not print as missing and missed', () => {
    const rows = resultRows([{ bench: 'events', figures: { p99_ms: 12 } }], targets);
    expect(rows[1]).toEqual({
      bench: 'events',
      figure: 'lost',
      measured: 'missing',
      target: '0',
      verdict: 'missed',
    });
  });

  it('records a bench that threw with its error, and each of its targets as not measured', () => {
    const rows = resultRows([{ bench: 'events', error: 'emulator did not start' }], targets);
    expect(rows).toEqual([
      {
        bench: 'events',
        figure: '—',
        measured: 'failed: emulator did not start',
        target: '—',
        verdict: 'missed',
      },
      { bench: 'events', figure: 'p99_ms', measured: 'not measured', target: '< 50 ms', verdict: 'missed' },
      { bench: 'events', figure: 'lost', measured: 'not measured', target: '0', verdict: 'missed' },
    ]);
  });
});

describe('the RESULTS.md page', () => {
  const outcomes: BenchOutcome[] = [
    { bench: 'digest', figures: { ms: 53.2, rss_mb: 134 } },
    {
      bench: 'events',
      figures: { p99_ms: 240.5, lost: 0, note: 'a | b' },
      env: { BENCH_EVENTS_RATE: '1000' },
    },
  ];
  const page = renderResults({ outcomes, targets, info });

  it('names the date, the core count and the Node version of the run', () => {
    expect(page).toContain('- Date: 2026-12-02 11:05 UTC');
    expect(page).toContain('- Machine: 2 cores (`os.availableParallelism()`), Test CPU @ 2.0GHz, linux x64');
    expect(page).toContain('- Node: v20.19.0');
    expect(page).toContain('- Wall time: 95 s');
  });

  it('counts the targets met and says under which conditions a bench ran', () => {
    expect(page).toContain('- Targets met: 3 of 4');
    expect(page).toContain('- Conditions: `events` with `BENCH_EVENTS_RATE=1000`');
  });

  it('writes one table row per figure with a pass or fail mark, escaping pipes', () => {
    expect(page).toContain('| digest | ms | 53.2 | < 200 ms | ✅ met |');
    expect(page).toContain('| events | p99_ms | 240.5 | < 50 ms | ❌ missed |');
    expect(page).toContain('| events | note | a \\| b | — | — |');
  });
});

describe('the targets table', () => {
  it('holds the numbers the issues set for each bench', () => {
    const byFigure = (bench: string) =>
      Object.fromEntries((BENCH_TARGETS[bench]?.targets ?? []).map((t) => [t.figure, `${t.op} ${t.value}`]));
    expect(byFigure('digest')).toEqual({ ms: '< 200', rss_mb: '< 150' });
    expect(byFigure('import')).toEqual({ default_ms: '< 50', synthetic_ms: '< 2000' });
    expect(byFigure('replies')).toMatchObject({ per_s: '>= 20000', random_failures: '= 0' });
    expect(byFigure('events')).toMatchObject({ p99_ms: '< 50', lost: '= 0', duplicated: '= 0' });
    expect(BENCH_TARGETS.events?.env).toEqual({ BENCH_EVENTS_RATE: '1000' });
    expect(byFigure('fanout')).toMatchObject({ duplicated: '= 0', lost: '= 0', ratio: '<= 1.15' });
  });
});
