/**
 * What Duban does to its own database when it starts: bring the agencies in line with the registry,
 * make the roles the settings and the registry grant exact, and (the sandbox) import the default decision into an empty
 * ledger. The composition root calls these; each decision about what to change is made here.
 */
import type { AgencyRegistry } from '../core/policy/registry.js';
import type { Logger } from '../logger.js';
import type { DubanDatabase } from '../store/database.js';
import { applyImport } from './import-decision.js';
import { syncAgencyRegistry } from './ledger-queries.js';
import { syncConfiguredRoles } from './membership.js';
import type { Repositories } from './repositories.js';

export interface StartUpInput {
  db: DubanDatabase;
  repos: Pick<Repositories, 'people' | 'agencies'>;
  registry: AgencyRegistry;
  logger: Logger;
  now: Date;
  /** open_ids the settings name as coordinators and leaders. */
  people: { coordinators: readonly string[]; leaders: readonly string[] };
}

export function prepareLedger(input: StartUpInput): void {
  const synced = syncAgencyRegistry({
    db: input.db,
    registry: input.registry,
    now: input.now,
    actor: 'system',
    channel: 'system',
  });
  input.logger.info({ added: synced.added.length, updated: synced.updated.length }, 'agency registry synced');
  // Exact, not only additive: an open_id taken out of the settings or the registry loses that role.
  const roles = syncConfiguredRoles({
    people: input.repos.people,
    agencies: input.repos.agencies,
    definitions: input.registry.all(),
    coordinators: input.people.coordinators,
    leaders: input.people.leaders,
    now: input.now,
  });
  input.logger.info(roles, 'configured roles synced');
}

/** The sandbox starts with a decision to work on: the default one, when the ledger holds none. */
export function importDefaultDecisionIfEmpty(input: {
  db: DubanDatabase;
  repos: Pick<Repositories, 'documents'>;
  registry: AgencyRegistry;
  logger: Logger;
  now: Date;
  sourceName: string;
  readText(): string;
}): void {
  if (input.repos.documents.listDocuments().length > 0) return;
  const result = applyImport({
    db: input.db,
    text: input.readText(),
    sourceName: input.sourceName,
    registry: input.registry,
    now: input.now,
    actor: 'system',
    channel: 'system',
  });
  input.logger.info({ documentId: result.documentId, tasks: result.changes }, 'default decision imported');
}
