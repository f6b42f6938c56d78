/**
 * A city of N agencies for the simulation: the default decision's registry (its collectives kept, so
 * "各有关单位负责" and "市各有关部门参与" still reach every agency), cut to N real agencies, or grown past
 * its 39 with made-up departments that the collectives hand tasks to, as a bigger city's would.
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface AgencyEntry {
  name: string;
  aliases?: string[];
  kind: string;
  expandsTo?: string;
}

export interface City {
  /** The agencies that get a group, an official and prompts (collectives excluded). */
  agencies: string[];
  file: string;
}

export function writeCity(input: { agencies: number; defaultsFile: string; into: string }): City {
  const all = (JSON.parse(readFileSync(input.defaultsFile, 'utf8')) as { agencies: AgencyEntry[] }).agencies;
  const collectives = all.filter((a) => a.kind === 'collective');
  const real = all.filter((a) => a.kind !== 'collective');
  const kept = real.slice(0, Math.min(input.agencies, real.length));
  const extra: AgencyEntry[] = [];
  for (let k = 1; kept.length + extra.length < input.agencies; k++) {
    extra.push({ name: `市第${k}专项工作办`, kind: 'department' });
  }
  const agencies = [...kept, ...extra];
  writeFileSync(input.into, JSON.stringify({ agencies: [...agencies, ...collectives] }, null, 2));
  return { agencies: agencies.map((a) => a.name), file: input.into };
}
