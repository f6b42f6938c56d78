/**
 * The scoring rules (config/scoring.json) as data: a zod schema with every default, which a city can
 * adopt as they are. Awards and deductions are points, 0 or more, per role: an agency that leads
 * (牵头) answers for the article, one that takes part (配合) for its share. The config loader
 * (src/config/scoring.ts) reads the file and words the problems.
 */
import { z } from 'zod';
import type { TaskRole } from '../vocabulary.js';

export const SCORE_PERIOD_KINDS = ['month', 'quarter', 'year'] as const;
export type ScorePeriodKind = (typeof SCORE_PERIOD_KINDS)[number];

const points = z.number().min(0, 'expected 0 or more points').max(1000, 'expected at most 1000 points');

function weights(lead: number, participant: number) {
  return z
    .strictObject({ lead: points.default(lead), participant: points.default(participant) })
    .prefault({});
}

export const scoringRulesSchema = z.strictObject({
  /** The period `/score` and `duban score` use when none is named. */
  defaultPeriod: z.enum(SCORE_PERIOD_KINDS).default('quarter'),
  /** Points added. */
  awards: z
    .strictObject({
      /** Work verified (销号) that was reported done on or before its due date (or had none). */
      verifiedOnTime: weights(10, 5),
      /** Work verified that was reported done after its due date: finished, but late. */
      verifiedLate: weights(4, 2),
    })
    .prefault({}),
  /** Points taken away (written as positive numbers). */
  deductions: z
    .strictObject({
      /** A due date passed with the work unfinished (once per task and due date). */
      overdue: weights(5, 2),
      /** Work reported done and returned (退回) by its verifier. */
      returned: weights(3, 1),
      /** A prompt cycle the agency did not answer (per task asked about). */
      missedAnswer: weights(2, 1),
      /** An expected completion later than the due date, reported without an approved extension. */
      unapprovedDelay: weights(3, 1),
      /** An approved extension: free by default; a city may charge a little for each. */
      extensionApproved: weights(0, 0),
    })
    .prefault({}),
});

export type ScoringRules = z.infer<typeof scoringRulesSchema>;
export type RoleWeights = Record<TaskRole, number>;

/** Every rule a line can come from, in the order the summary lists them. */
export const SCORE_RULES = [
  'verifiedOnTime',
  'verifiedLate',
  'overdue',
  'returned',
  'missedAnswer',
  'unapprovedDelay',
  'extensionApproved',
] as const;
export type ScoreRule = (typeof SCORE_RULES)[number];

/** The signed points of a rule for a role: awards add, deductions subtract. */
export function pointsFor(rules: ScoringRules, rule: ScoreRule, role: TaskRole): number {
  switch (rule) {
    case 'verifiedOnTime':
    case 'verifiedLate':
      return rules.awards[rule][role];
    case 'overdue':
    case 'returned':
    case 'missedAnswer':
    case 'unapprovedDelay':
    case 'extensionApproved':
      return -rules.deductions[rule][role];
  }
}

/** The defaults, as written out in config/scoring.json. */
export function defaultScoringRules(): ScoringRules {
  return scoringRulesSchema.parse({});
}
