import type { SimulationResult } from './driver.js';

/** The invariants as a table, then the figures, for a person reading the run. */
export function formatReport(result: SimulationResult): string {
  const width = Math.max(...result.invariants.map((i) => i.name.length));
  const lines = ['', `${'Invariant'.padEnd(width)}  ok    detail`, `${'-'.repeat(width)}  ----  ------`];
  for (const i of result.invariants)
    lines.push(`${i.name.padEnd(width)}  ${i.ok ? 'yes ' : 'NO  '}  ${i.detail}`);
  lines.push('', 'Figures');
  for (const [name, value] of Object.entries(result.figures)) lines.push(`  ${name.padEnd(36)} ${value}`);
  return lines.join('\n');
}
