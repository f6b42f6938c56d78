/**
 * Finding an agency by what a person typed: its canonical name, a stored alias, or a variant the registry
 * tolerates (width, spaces); otherwise the closest known names, for a "did you mean".
 */
import { DubanError } from '../core/errors.js';

interface AgencyRecord {
  id: number;
  name: string;
  kind: string;
  aliases: readonly string[];
  active: boolean;
}

export interface AgencyLookupStore<A extends AgencyRecord = AgencyRecord> {
  findAgency(nameOrAlias: string): A | null;
  listAgencies(options?: { includeInactive?: boolean }): A[];
}

type Registry = { byName(name: string): { name: string } | undefined };

export type AgencyLookup<A extends AgencyRecord = AgencyRecord> =
  | { found: A }
  | { found: null; suggestions: string[] };

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j] as number;
      prev[j] = Math.min(above + 1, (prev[j - 1] as number) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length] as number;
}

/** The canonical name closest to what was typed (by name or alias), or null when nothing is close. */
export function suggestAgency(
  typed: string,
  agencies: readonly { name: string; aliases: readonly string[] }[],
): string | null {
  let best: { name: string; score: number } | null = null;
  for (const agency of agencies) {
    for (const candidate of [agency.name, ...agency.aliases]) {
      const contains = candidate.includes(typed) || typed.includes(candidate);
      const score = contains ? 0 : editDistance(typed, candidate) / Math.max(typed.length, candidate.length);
      if (best === null || score < best.score) best = { name: agency.name, score };
    }
  }
  return best !== null && best.score <= 0.5 ? best.name : null;
}

/**
 * The agency a person meant, or the closest names to suggest. `suggestCollectives` false (binding) leaves
 * out collectives such as 各有关单位, which cannot have a group of their own.
 */
export function lookUpAgency<A extends AgencyRecord>(
  store: AgencyLookupStore<A>,
  written: string,
  registry?: Registry,
  options: { suggestCollectives?: boolean } = {},
): AgencyLookup<A> {
  const name = written.trim();
  const direct = store.findAgency(name);
  if (direct !== null) return { found: direct };
  const canonical = registry?.byName(name)?.name;
  const viaRegistry = canonical === undefined ? null : store.findAgency(canonical);
  if (viaRegistry !== null) return { found: viaRegistry };
  const candidates = store
    .listAgencies()
    .filter((a) => options.suggestCollectives === true || a.kind !== 'collective');
  const suggestion = suggestAgency(name, candidates);
  return { found: null, suggestions: suggestion === null ? [] : [suggestion] };
}

/**
 * Resolves a typed agency name to the stored agency; an unknown name is a `ledger.unknown_agency` error
 * suggesting the closest known one.
 */
export function findAgencyOrSuggest<A extends AgencyRecord>(
  agencies: AgencyLookupStore<A>,
  name: string,
  registry?: Registry,
): A {
  const lookup = lookUpAgency(agencies, name, registry, { suggestCollectives: true });
  if (!('suggestions' in lookup)) return lookup.found;
  const suggestion = lookup.suggestions[0] ?? null;
  throw new DubanError('ledger.unknown_agency', `Unknown agency "${name}"`, {
    hint:
      suggestion === null
        ? 'Run `duban agencies` to see the agencies the ledger knows.'
        : `Did you mean "${suggestion}"? Run \`duban agencies\` to see them all.`,
    details: { name, suggestion },
  });
}
