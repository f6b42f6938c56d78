import type { AgencyDefinition, CollectiveScope, Responsible } from './types.js';

/**
 * The agency registry, resolved in memory: alias lookup and collective expansion.
 * Pure: built from the definitions config/agencies.json holds; it never invents an agency.
 */
export interface AgencyRegistry {
  /** Every definition, in registry (file) order. */
  all(): AgencyDefinition[];
  /** A definition by canonical name or alias (width and space variants tolerated). */
  byName(name: string): AgencyDefinition | undefined;
  /** A name as written in a decision → the responsible body, known or not. */
  resolve(written: string): Responsible;
  /** Every normalized name and alias the registry knows, longest first (for tokenizing lists). */
  knownKeys(): string[];
}

/**
 * Names are compared after NFKC (full-width letters, digits and brackets become half-width)
 * with every kind of space removed, so `市科技局`, `市 科技局` and `（县级市）`/`(县级市)` match.
 */
export function normalizeAgencyName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '');
}

function scopeMembers(defs: AgencyDefinition[], scope: CollectiveScope): string[] {
  return defs
    .filter((d) => {
      if (d.kind === 'collective') return false;
      if (scope === 'all') return true;
      if (scope === 'departments') return d.kind === 'department';
      return d.kind === 'district';
    })
    .map((d) => d.name);
}

export function createAgencyRegistry(defs: AgencyDefinition[]): AgencyRegistry {
  const index = new Map<string, AgencyDefinition>();
  for (const def of defs) {
    for (const key of [def.name, ...def.aliases]) {
      const norm = normalizeAgencyName(key);
      // First definition wins; the config loader reports duplicates as errors before we get here.
      if (norm !== '' && !index.has(norm)) index.set(norm, def);
    }
  }
  const keys = [...index.keys()].sort((a, b) => b.length - a.length);
  const membersCache = new Map<CollectiveScope, string[]>();

  const byName = (name: string): AgencyDefinition | undefined => index.get(normalizeAgencyName(name));

  return {
    all: () => [...defs],
    byName,
    knownKeys: () => [...keys],
    resolve(written: string): Responsible {
      const trimmed = written.trim();
      const def = byName(trimmed);
      if (def === undefined) return { name: trimmed, written: trimmed, known: false };
      if (def.kind === 'collective') {
        const scope = def.expandsTo ?? 'all';
        let members = membersCache.get(scope);
        if (members === undefined) {
          members = scopeMembers(defs, scope);
          membersCache.set(scope, members);
        }
        return { name: def.name, written: trimmed, known: true, members: [...members] };
      }
      return { name: def.name, written: trimmed, known: true };
    },
  };
}
