import type { AgencyRegistry } from '../core/policy/registry.js';
import {
  type AgencyView,
  createAgencyRepository,
  type SyncAgenciesResult,
} from '../store/agency-repository.js';
import type { AuditChannel } from '../store/audit-repository.js';
import type { DubanDatabase } from '../store/database.js';
import { createTaskRepository, type TaskView } from '../store/task-repository.js';
import { findAgencyOrSuggest } from './agency-lookup.js';

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
