import type { z } from 'zod';
import { DubanError } from '../core/errors.js';
import { type ScoringRules, scoringRulesSchema } from '../core/scoring/rules.js';
import { readJsonConfigFile } from './json-file.js';

/** What to write for each field; looked up by the path's last named segment. */
const FIXES: Record<string, string> = {
  defaultPeriod: 'use "month", "quarter" or "year" (default "quarter")',
  lead: 'write the points for the lead agency (牵头) as a number from 0 to 1000, e.g. 10',
  participant: 'write the points for a participating agency (配合) as a number from 0 to 1000, e.g. 5',
  awards: 'write { "verifiedOnTime": { "lead": 10, "participant": 5 }, "verifiedLate": { … } }',
  deductions:
    'write { "overdue": { "lead": 5, "participant": 2 }, … } with positive numbers: they are subtracted',
};

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(the whole file)' : path.map(String).join('.');
}

function fixFor(path: ReadonlyArray<PropertyKey>): string {
  const named = [...path].reverse().find((p) => typeof p === 'string');
  return (named !== undefined && FIXES[named]) || 'remove the field to use its default';
}

/** Drops "_comment" and "$schema" style keys, which document the file, before the strict schema sees it. */
function withoutComments(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('_') && !key.startsWith('$'))
      .map(([key, v]) => [key, withoutComments(v)]),
  );
}

function problemsOf(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(
      (key) => `${fieldPath([...issue.path, key])}: unknown setting. To fix: check the spelling or remove it`,
    );
  }
  return [`${fieldPath(issue.path)}: ${issue.message}. To fix: ${fixFor(issue.path)}`];
}

function invalid(source: string, problems: string[]): DubanError {
  return new DubanError('config.scoring_invalid', `${source}:\n${problems.join('\n')}`, {
    hint: 'Each line names the setting and how to fix it; remove a setting to use its default.',
    details: { problems },
  });
}

/** Validates parsed JSON as the scoring rules (defaults filled in). */
export function parseScoringRules(data: unknown, source = 'config/scoring.json'): ScoringRules {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(source, [
      '(the whole file): expected an object. To fix: write { "awards": { … }, "deductions": { … } } or {} for the defaults',
    ]);
  }
  const parsed = scoringRulesSchema.safeParse(withoutComments(data));
  if (!parsed.success) throw invalid(source, parsed.error.issues.flatMap(problemsOf));
  return parsed.data;
}

/** Reads config/scoring.json; a missing file gives the defaults, anything wrong a DubanError. */
export function loadScoringRules(path: string): ScoringRules {
  const data = readJsonConfigFile({
    path,
    code: 'config.scoring_invalid',
    what: 'the scoring rules',
    unreadableHint: 'Check the file permissions, or remove the file to use the default rules.',
    missingIsUndefined: true,
  });
  return parseScoringRules(data ?? {}, path);
}
