// tests/bench/RESULTS.md from one run's figures and the targets table: a pure function, so the page a
// reader trusts is unit-tested (tests/unit/bench-results.test.ts) apart from the noisy measurements.
import type { BenchTargets, Target } from './_targets.js';

/** What one bench gave in the run: the figures of its JSON line, or the error it threw. */
export type BenchOutcome =
  | { bench: string; figures: Record<string, unknown>; env?: Record<string, string> }
  | { bench: string; error: string; env?: Record<string, string> };

export interface RunInfo {
  /** When the run started. */
  date: Date;
  /** `process.version`. */
  node: string;
  /** `os.availableParallelism()`. */
  cores: number;
  /** `os.cpus()[0].model`, `os.platform()`, `os.arch()`. */
  cpu: string;
  platform: string;
  /** Wall time of the whole run, in seconds. */
  seconds: number;
}

export type Verdict = 'met' | 'missed' | 'none';

export interface ResultRow {
  bench: string;
  figure: string;
  measured: string;
  target: string;
  verdict: Verdict;
}

/** Whether a measured value meets a target; anything but a finite number misses it. */
export function judge(value: unknown, target: Target): Exclude<Verdict, 'none'> {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'missed';
  switch (target.op) {
    case '<':
      return value < target.value ? 'met' : 'missed';
    case '<=':
      return value <= target.value ? 'met' : 'missed';
    case '>=':
      return value >= target.value ? 'met' : 'missed';
    case '=':
      return value === target.value ? 'met' : 'missed';
  }
}

function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * One row per figure: the targeted figures first (in the table's order), then the bench's other figures
 * with "—" as target. A bench that threw gets a row for its error and each of its targets missed.
 */
export function resultRows(outcomes: BenchOutcome[], targets: Record<string, BenchTargets>): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const outcome of outcomes) {
    const wanted = targets[outcome.bench]?.targets ?? [];
    if ('error' in outcome) {
      rows.push({
        bench: outcome.bench,
        figure: '—',
        measured: `failed: ${outcome.error}`,
        target: '—',
        verdict: wanted.length > 0 ? 'missed' : 'none',
      });
      for (const t of wanted) {
        rows.push({
          bench: outcome.bench,
          figure: t.figure,
          measured: 'not measured',
          target: t.label,
          verdict: 'missed',
        });
      }
      continue;
    }
    for (const t of wanted) {
      const present = Object.hasOwn(outcome.figures, t.figure);
      rows.push({
        bench: outcome.bench,
        figure: t.figure,
        measured: present ? shown(outcome.figures[t.figure]) : 'missing',
        target: t.label,
        verdict: judge(outcome.figures[t.figure], t),
      });
    }
    const targeted = new Set(wanted.map((t) => t.figure));
    for (const [figure, value] of Object.entries(outcome.figures)) {
      if (figure === 'bench' || targeted.has(figure)) continue;
      rows.push({ bench: outcome.bench, figure, measured: shown(value), target: '—', verdict: 'none' });
    }
  }
  return rows;
}

/** A markdown table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

const MARK: Record<Verdict, string> = { met: '✅ met', missed: '❌ missed', none: '—' };

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The whole RESULTS.md page. */
export function renderResults(input: {
  outcomes: BenchOutcome[];
  targets: Record<string, BenchTargets>;
  info: RunInfo;
}): string {
  const { outcomes, targets, info } = input;
  const rows = resultRows(outcomes, targets);
  const judged = rows.filter((r) => r.verdict !== 'none');
  const met = judged.filter((r) => r.verdict === 'met').length;
  const d = info.date;
  const when = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
  const conditions = outcomes
    .filter((o) => o.env !== undefined && Object.keys(o.env).length > 0)
    .map(
      (o) =>
        `\`${o.bench}\` with ${Object.entries(o.env ?? {})
          .map(([k, v]) => `\`${k}=${v}\``)
          .join(', ')}`,
    );
  const lines = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (every bench, in one run); do not edit by hand. Targets: `tests/bench/_targets.ts`.',
    '',
    `- Date: ${when}`,
    `- Machine: ${info.cores} cores (\`os.availableParallelism()\`), ${info.cpu}, ${info.platform}`,
    `- Node: ${info.node}`,
    `- Wall time: ${Math.round(info.seconds)} s`,
    `- Targets met: ${met} of ${judged.length}`,
    ...(conditions.length > 0 ? [`- Conditions: ${conditions.join('; ')}`] : []),
    '',
    '| bench | figure | measured | target | |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${cell(r.bench)} | ${cell(r.figure)} | ${cell(r.measured)} | ${cell(r.target)} | ${MARK[r.verdict]} |`,
    ),
    '',
    'Figures come from one run on a machine that may be shared; compare runs side by side before ' +
      'reading much into a few percent.',
    '',
  ];
  return lines.join('\n');
}
