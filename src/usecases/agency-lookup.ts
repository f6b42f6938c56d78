/**
 * Finding an agency by what a person typed: its canonical name, a stored alias, or a variant the registry
 * tolerates (width, spaces); otherwise the closest known names, for a "did you mean".
 */
import { suggestAgency } from './ledger-queries.js';

interface AgencyRecord {
  id: number;
  name: string;
  kind: string;
  aliases: string[];
  active: boolean;
}

export interface AgencyLookupStore {
  findAgency(nameOrAlias: string): AgencyRecord | null;
  listAgencies(options?: { includeInactive?: boolean }): AgencyRecord[];
}

export type AgencyLookup = { found: AgencyRecord } | { found: null; suggestions: string[] };

export function lookUpAgency(
  store: AgencyLookupStore,
  written: string,
  registry?: { byName(name: string): { name: string } | undefined },
): AgencyLookup {
  const name = written.trim();
  const direct = store.findAgency(name);
  if (direct !== null) return { found: direct };
  const canonical = registry?.byName(name)?.name;
  const viaRegistry = canonical === undefined ? null : store.findAgency(canonical);
  if (viaRegistry !== null) return { found: viaRegistry };
  const suggestion = suggestAgency(
    name,
    store.listAgencies().filter((a) => a.kind !== 'collective'),
  );
  return { found: null, suggestions: suggestion === null ? [] : [suggestion] };
}
