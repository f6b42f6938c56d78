import { z } from 'zod';
import { DubanError } from '../core/errors.js';
import { normalizeAgencyName } from '../core/policy/registry.js';
import type { AgencyDefinition } from '../core/policy/types.js';
import { AGENCY_KINDS, COLLECTIVE_SCOPES } from '../core/vocabulary.js';
import { readJsonConfigFile } from './json-file.js';

/**
 * config/agencies.json: the agencies a decision can name. The file holds either
 * `{ "agencies": [ … ] }` or a bare array of entries:
 *   { "name": "市科技局", "aliases": ["广州市科学技术局"], "kind": "department",
 *     "expandsTo": "all" (collectives only), "chatId": "oc_…", "contactOpenId": "ou_…",
 *     "officials": ["ou_…"] }
 * The contact and the listed officials may report for the agency, as do the members of its Lark group.
 * Entries are numbered from 1 in error messages, in file order.
 */

/** Empty strings mean "not bound yet", the same as an absent field. */
const optionalId = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const entrySchema = z
  .object({
    name: z.string().trim().min(1),
    aliases: z.array(z.string().trim().min(1)).default([]),
    kind: z.enum(AGENCY_KINDS),
    expandsTo: z.enum(COLLECTIVE_SCOPES).optional(),
    chatId: optionalId,
    contactOpenId: optionalId,
    officials: z.array(z.string().trim().min(1)).default([]),
  })
  .strict();

const FIXES: Record<string, string> = {
  name: 'give the entry a non-empty "name", the short name officials use, e.g. "市科技局"',
  aliases: 'make "aliases" a list of non-empty strings, e.g. ["广州市科学技术局"], or leave it out',
  kind: `set "kind" to one of ${AGENCY_KINDS.join(', ')}`,
  expandsTo: `set "expandsTo" to one of ${COLLECTIVE_SCOPES.join(', ')}`,
  chatId: 'make "chatId" a string such as "oc_…", or leave it out until /bind sets it',
  contactOpenId: 'make "contactOpenId" a string such as "ou_…", or leave it out',
  officials: 'make "officials" a list of open_ids such as ["ou_…"], or leave it out',
};

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const field = String(issue.path[0] ?? '');
  if (issue.code === 'unrecognized_keys') {
    return `unknown field(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}. To fix: remove them; the allowed fields are name, aliases, kind, expandsTo, chatId, contactOpenId, officials`;
  }
  if (issue.code === 'invalid_value' && field === 'kind') {
    return `kind must be one of ${AGENCY_KINDS.join(', ')}. To fix: ${FIXES.kind}`;
  }
  if (issue.code === 'invalid_value' && field === 'expandsTo') {
    return `expandsTo must be one of ${COLLECTIVE_SCOPES.join(', ')}. To fix: ${FIXES.expandsTo}`;
  }
  const where = issue.path.length > 0 ? issue.path.join('.') : 'entry';
  const fix = FIXES[field] ?? 'make the entry an object with "name", "aliases" and "kind"';
  const present = typeof raw === 'object' && raw !== null && field !== '' && field in raw;
  const what = issue.code === 'invalid_type' && !present ? 'is missing' : 'is invalid';
  return `${where} ${what}. To fix: ${fix}`;
}

function entryLabel(index: number, raw: unknown): string {
  const name =
    typeof raw === 'object' && raw !== null && typeof (raw as { name?: unknown }).name === 'string'
      ? (raw as { name: string }).name
      : '?';
  return `entry ${index + 1} (${name})`;
}

/**
 * Validates parsed JSON as the agency registry. Every problem is listed, one per line, as
 * `entry N (name): what is wrong. To fix: …`; names, aliases and chat ids must be unique across entries.
 */
export function parseAgencyRegistry(data: unknown, source = 'config/agencies.json'): AgencyDefinition[] {
  const list: unknown = Array.isArray(data)
    ? data
    : typeof data === 'object' && data !== null
      ? (data as { agencies?: unknown }).agencies
      : undefined;
  if (!Array.isArray(list)) {
    throw invalid(source, [
      'the file must hold a list of agencies. To fix: write { "agencies": [ { "name": …, "aliases": […], "kind": … } ] }',
    ]);
  }

  const problems: string[] = [];
  const defs: AgencyDefinition[] = [];
  const owner = new Map<string, { index: number; name: string }>();
  // A Lark group serves one agency (the ledger's unique binding): two entries naming it is a typo.
  const chatOwner = new Map<string, { index: number; name: string }>();

  list.forEach((raw, index) => {
    const label = entryLabel(index, raw);
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(`${label}: ${describeIssue(issue, raw)}`);
      return;
    }
    const e = parsed.data;
    if (e.kind === 'collective' && e.expandsTo === undefined) {
      problems.push(
        `${label}: a collective needs "expandsTo". To fix: set it to "all" (every agency), "departments" or "districts"`,
      );
    }
    if (e.kind !== 'collective' && e.expandsTo !== undefined) {
      problems.push(
        `${label}: "expandsTo" only applies to kind collective. To fix: remove it or set "kind": "collective"`,
      );
    }
    const seenHere = new Set<string>();
    for (const key of [e.name, ...e.aliases]) {
      const norm = normalizeAgencyName(key);
      if (seenHere.has(norm)) continue;
      seenHere.add(norm);
      const prev = owner.get(norm);
      if (prev !== undefined) {
        problems.push(
          `${label}: "${key}" is already used by entry ${prev.index + 1} (${prev.name}). To fix: keep the name or alias in one entry only`,
        );
      } else {
        owner.set(norm, { index, name: e.name });
      }
    }
    if (e.chatId !== undefined) {
      const prev = chatOwner.get(e.chatId);
      if (prev !== undefined) {
        problems.push(
          `${label}: chatId "${e.chatId}" is already the group of entry ${prev.index + 1} (${prev.name}). To fix: a group serves one agency; correct the chatId of one of them, or leave it out and /bind the right group`,
        );
      } else {
        chatOwner.set(e.chatId, { index, name: e.name });
      }
    }
    const def: AgencyDefinition = {
      name: e.name,
      aliases: [...new Set(e.aliases)].filter((a) => normalizeAgencyName(a) !== normalizeAgencyName(e.name)),
      kind: e.kind,
    };
    if (e.expandsTo !== undefined) def.expandsTo = e.expandsTo;
    if (e.chatId !== undefined) def.chatId = e.chatId;
    if (e.contactOpenId !== undefined) def.contactOpenId = e.contactOpenId;
    if (e.officials.length > 0) def.officials = [...new Set(e.officials)];
    defs.push(def);
  });

  if (problems.length > 0) throw invalid(source, problems);
  return defs;
}

/** Reads and validates the registry file; any failure is a DubanError 'config.agencies_invalid'. */
export function loadAgencyRegistryFile(path: string): AgencyDefinition[] {
  const data = readJsonConfigFile({
    path,
    code: 'config.agencies_invalid',
    what: 'the agency registry',
    unreadableHint: 'Check the path (the default is config/agencies.json) and its permissions.',
  });
  return parseAgencyRegistry(data, path);
}

function invalid(source: string, problems: string[]): DubanError {
  return new DubanError('config.agencies_invalid', `${source}:\n${problems.join('\n')}`, {
    hint: 'Each line names the entry (numbered from 1) and how to fix it.',
    details: { problems },
  });
}
