import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAgencyRegistryFile } from '../../../src/config/agencies.js';
import { type AgencyRegistry, createAgencyRegistry } from '../../../src/core/policy/registry.js';
import { type DubanDatabase, openDatabase } from '../../../src/store/database.js';
import { projectRoot } from '../../../src/store/paths.js';

export const defaultDecision = readFileSync(join(projectRoot, 'config', 'default-decision.txt'), 'utf8');

export function loadRegistry(): AgencyRegistry {
  return createAgencyRegistry(loadAgencyRegistryFile(join(projectRoot, 'config', 'agencies.json')));
}

export function memoryDb(): DubanDatabase {
  return openDatabase({ path: ':memory:' });
}

/** Row counts of every ledger table: "nothing changed" means these and the audit log stay equal. */
export function rowCounts(db: DubanDatabase): Record<string, number> {
  const tables = [
    'documents',
    'parts',
    'articles',
    'agencies',
    'agency_aliases',
    'tasks',
    'indicators',
    'audit_events',
  ];
  return Object.fromEntries(
    tables.map((t) => [t, db.$client.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]),
  );
}

/** A decision in the default decision's clause form, small enough to read in a test. */
export const smallDecision = `关于加强测试工作的决定

一、总体要求

1.加强测试工作。测试工作很重要。(本部分工作由市科技局牵头,市财政局、市未知局等部门参与)

2.完善测试体系。到2030年,测试覆盖率达到90%。(本部分工作由市发改委负责)

二、保障措施

3.加强组织领导。各单位要高度重视。(本部分工作由各有关单位负责)
`;
