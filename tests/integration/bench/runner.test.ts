import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runBenches } from '../../bench/_runner.js';
import type { BenchTargets } from '../../bench/_targets.js';

// Stand-in benches in a folder of their own, so the runner's writing is tested without measuring anything.
const targets: Record<string, BenchTargets> = {
  quick: { source: 'test', targets: [{ figure: 'ms', op: '<', value: 10, label: '< 10 ms' }] },
  paced: {
    source: 'test',
    env: { BENCH_TEST_RATE: '1000' },
    targets: [{ figure: 'rate', op: '>=', value: 1000, label: '≥ 1,000/s' }],
  },
};

let folder: string;
let printed: string[];

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'duban-bench-runner-'));
  writeFileSync(join(folder, 'quick.ts'), 'export async function run() { return { ms: 4, items: 3 }; }\n');
  writeFileSync(
    join(folder, 'paced.ts'),
    'const RATE = Number(process.env.BENCH_TEST_RATE ?? 200);\nexport async function run() { return { rate: RATE }; }\n',
  );
  writeFileSync(
    join(folder, 'broken.ts'),
    "export async function run() { throw new Error('no emulator'); }\n",
  );
  writeFileSync(join(folder, '_helper.ts'), 'export const notABench = true;\n');
  printed = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    printed.push(String(line));
  });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  delete process.env.BENCH_TEST_RATE;
});

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.BENCH_TEST_RATE;
  rmSync(folder, { recursive: true, force: true });
});

describe('the bench runner', () => {
  it('runs every bench with no name, writes RESULTS.md with each figure beside its target, and fails on a throw', async () => {
    const resultsPath = join(folder, 'RESULTS.md');
    const code = await runBenches({ folder, names: [], targets, resultsPath });

    expect(code).toBe(1);
    const page = readFileSync(resultsPath, 'utf8');
    expect(page).toContain('| quick | ms | 4 | < 10 ms | ✅ met |');
    expect(page).toContain('| quick | items | 3 | — | — |');
    expect(page).toContain('| paced | rate | 1000 | ≥ 1,000/s | ✅ met |');
    expect(page).toContain('| broken | — | failed: no emulator | — | — |');
    expect(page).toContain('- Conditions: `paced` with `BENCH_TEST_RATE=1000`');
    expect(page).not.toContain('_helper');
  });

  it('keeps one JSON line per bench on stdout', async () => {
    await runBenches({ folder, names: [], targets, resultsPath: join(folder, 'RESULTS.md') });
    const json = printed.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
    expect(json).toEqual([
      { bench: 'paced', rate: 1000 },
      { bench: 'quick', ms: 4, items: 3 },
    ]);
  });

  it('writes nothing when benches are named, and leaves an explicit setting alone', async () => {
    process.env.BENCH_TEST_RATE = '50';
    const resultsPath = join(folder, 'RESULTS.md');
    const code = await runBenches({ folder, names: ['paced', 'quick'], targets, resultsPath });

    expect(code).toBe(0);
    expect(existsSync(resultsPath)).toBe(false);
    expect(printed).toContain(JSON.stringify({ bench: 'paced', rate: 50 }));
  });

  it('refuses an unknown name with the list of benches', async () => {
    const code = await runBenches({ folder, names: ['nope'], targets, resultsPath: join(folder, 'R.md') });
    expect(code).toBe(2);
    expect(console.error).toHaveBeenCalledWith('Unknown bench: nope. Available: broken, paced, quick');
  });
});
