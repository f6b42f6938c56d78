import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadAgencyRegistryFile } from '../../../src/config/agencies.js';
import { parseDecision } from '../../../src/core/policy/parse.js';
import { type AgencyRegistry, createAgencyRegistry } from '../../../src/core/policy/registry.js';
import type { ParsedDecision, Responsible } from '../../../src/core/policy/types.js';

export const repoPath = (relative: string): string =>
  fileURLToPath(new URL(`../../../${relative}`, import.meta.url));

export const defaultDecisionText = (): string =>
  readFileSync(repoPath('config/default-decision.txt'), 'utf8');
export const fixtureText = (name: string): string =>
  readFileSync(repoPath(`tests/fixtures/decisions/${name}`), 'utf8');

let cached: AgencyRegistry | undefined;
/** The shipped registry, config/agencies.json, loaded through the real loader. */
export function shippedRegistry(): AgencyRegistry {
  cached ??= createAgencyRegistry(loadAgencyRegistryFile(repoPath('config/agencies.json')));
  return cached;
}

export function parse(text: string, registry: AgencyRegistry = shippedRegistry()): ParsedDecision {
  return parseDecision({ text, registry });
}

export const names = (list: Responsible[]): string[] => list.map((r) => r.name);
