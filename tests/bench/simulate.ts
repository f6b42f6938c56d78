// A simulated year for a city of 60 agencies (issue 14: under two minutes, every invariant holding), as
// `npm run simulate -- --days 365 --agencies 60` runs it, in a process of its own so its memory and time
// are its own. BENCH_SIM_DAYS and BENCH_SIM_AGENCIES change the size (the targets are the year's).
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const DAYS = Number(process.env.BENCH_SIM_DAYS ?? 365);
const AGENCIES = Number(process.env.BENCH_SIM_AGENCIES ?? 60);

interface SimulationLine {
  simulate: Record<string, number>;
  invariants: Record<string, boolean>;
}

export async function run(): Promise<Record<string, unknown>> {
  const main = join(import.meta.dirname, '..', 'simulation', 'main.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', main, '--days', String(DAYS), '--agencies', String(AGENCIES)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const lines = out.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  let parsed: SimulationLine;
  try {
    parsed = JSON.parse(last) as SimulationLine;
  } catch {
    throw new Error(`the simulation ended (exit ${code}) without its JSON line:\n${out}`);
  }
  // The invariant table and the figures, as `npm run simulate` prints them.
  console.log(lines.join('\n'));
  const failed = Object.entries(parsed.invariants)
    .filter(([, ok]) => !ok)
    .map(([name]) => name);
  const figures = parsed.simulate;
  return {
    days: figures.days,
    agencies: figures.agencies,
    ms: figures.ms,
    cpu_ms: figures.cpu_ms,
    rss_mb: figures.rss_mb,
    db_mb: figures.db_mb,
    messages_sent: figures.messages_sent,
    restarts: figures.restarts,
    messages_per_agency_ordinary_week: figures.messages_per_agency_ordinary_week,
    repeated_requests: figures.repeated_requests,
    invariants_failed: failed.length,
    ...(failed.length > 0 ? { failed_invariants: failed.join(',') } : {}),
  };
}
