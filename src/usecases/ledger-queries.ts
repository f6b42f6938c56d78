import { DubanError } from '../core/errors.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import {
  type AgencyRepository,
  type AgencyView,
  createAgencyRepository,
  type SyncAgenciesResult,
} from '../store/agency-repository.js';
import type { AuditChannel } from '../store/audit-repository.js';
import type { DubanDatabase } from '../store/database.js';
import { createTaskRepository, type TaskView } from '../store/task-repository.js';

/** Brings the agencies table in line with the registry (config/agencies.json); bindings already stored stay. */
export function syncAgencyRegistry(input: {
  db: DubanDatabase;
  registry: AgencyRegistry;
  now: Date;
  actor: string;
  channel: AuditChannel;
}): SyncAgenciesResult {
  return createAgencyRepository({ db: input.db }).syncAgencies({
    definitions: input.registry.all(),
    at: input.now.toISOString(),
    actor: input.actor,
    channel: input.channel,
  });
}

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
 * Resolves a typed agency name (canonical, alias, or a width/space variant the registry tolerates) to the
 * stored agency; an unknown name is a `ledger.unknown_agency` error suggesting the closest known one.
 */
export function findAgencyOrSuggest(
  agencies: AgencyRepository,
  name: string,
  registry?: AgencyRegistry,
): AgencyView {
  const direct = agencies.findAgency(name);
  if (direct !== null) return direct;
  const viaRegistry = registry?.byName(name);
  const fromRegistry = viaRegistry === undefined ? null : agencies.findAgency(viaRegistry.name);
  if (fromRegistry !== null) return fromRegistry;
  const suggestion = suggestAgency(name.trim(), agencies.listAgencies());
  throw new DubanError('ledger.unknown_agency', `Unknown agency "${name}"`, {
    hint:
      suggestion === null
        ? 'Run `duban agencies` to see the agencies the ledger knows.'
        : `Did you mean "${suggestion}"? Run \`duban agencies\` to see them all.`,
    details: { name, suggestion },
  });
}

/** `findAgencyOrSuggest` over a database handle. */
export function resolveAgencyName(input: {
  db: DubanDatabase;
  name: string;
  registry?: AgencyRegistry;
}): AgencyView {
  return findAgencyOrSuggest(createAgencyRepository({ db: input.db }), input.name, input.registry);
}

export function listLedgerTasks(input: {
  db: DubanDatabase;
  agency?: string;
  article?: number;
  registry?: AgencyRegistry;
}): TaskView[] {
  const agency =
    input.agency === undefined
      ? undefined
      : resolveAgencyName({
          db: input.db,
          name: input.agency,
          ...(input.registry === undefined ? {} : { registry: input.registry }),
        }).name;
  return createTaskRepository({ db: input.db }).listTasks({
    ...(agency === undefined ? {} : { agency }),
    ...(input.article === undefined ? {} : { articleNo: input.article }),
  });
}

export interface AgencySummary extends AgencyView {
  leadTasks: number;
  participantTasks: number;
}

export function listLedgerAgencies(input: { db: DubanDatabase }): AgencySummary[] {
  const counts = new Map<number, { lead: number; participant: number }>();
  for (const task of createTaskRepository({ db: input.db }).listTasks()) {
    if (task.agencyId === null) continue;
    const entry = counts.get(task.agencyId) ?? { lead: 0, participant: 0 };
    entry[task.role]++;
    counts.set(task.agencyId, entry);
  }
  return createAgencyRepository({ db: input.db })
    .listAgencies()
    .map((agency) => ({
      ...agency,
      leadTasks: counts.get(agency.id)?.lead ?? 0,
      participantTasks: counts.get(agency.id)?.participant ?? 0,
    }));
}
