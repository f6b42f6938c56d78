/**
 * Article 34 (目标责任制, 专项督查, 考评奖励): per-agency scores for a period, each line naming the
 * fact it comes from. A pure function of the facts, the rules and the period, so recomputing from
 * the audit trail gives the same numbers.
 *
 * The input model — what the audit trail provides, one fact per audit event that counts:
 *
 * | kind                 | the audit event                                   | extra fields              |
 * |----------------------|---------------------------------------------------|---------------------------|
 * | `verified`           | a verifier's 销号                                 | reportedDoneAt, dueDate   |
 * | `returned`           | a verifier's 退回                                 | —                         |
 * | `overdue`            | a due date passed with the work unfinished        | dueDate                   |
 * | `missed_answer`      | a prompt cycle closed without the agency's answer | cycle                     |
 * | `unapproved_delay`   | a report whose expected date is after the due date, with no approved extension | dueDate, eta |
 * | `extension_approved` | a coordinator approved an extension              | dueDate (old), newDueDate |
 *
 * Every fact carries its audit event id, when it happened, the task, the article, the agency and the
 * agency's role in that task. A fact counts in the period holding its Shanghai date; the same fact
 * (kind, id and task) given twice counts once. Two facts may share an id: an overdue names the event
 * that set the due date it missed, which may also be an approved extension; a missed answer names the
 * prompt's outbox row (not an audit event), once per task the prompt asked about.
 */
import { type LocalDate, shanghaiDate } from '../cycles/time.js';
import type { ArticleKind, TaskRole } from '../vocabulary.js';
import type { ScorePeriod } from './period.js';
import { pointsFor, SCORE_RULES, type ScoreRule, type ScoringRules } from './rules.js';

export const SCORE_FACT_KINDS = [
  'verified',
  'returned',
  'overdue',
  'missed_answer',
  'unapproved_delay',
  'extension_approved',
] as const;
export type ScoreFactKind = (typeof SCORE_FACT_KINDS)[number];

interface FactBase {
  /** The audit event's id: every score line names it. */
  id: number;
  /** ISO instant of the event. */
  at: string;
  taskId: number;
  /** The article's number in the decision (第N条), or the instruction's (批示N) when `articleKind` says so. */
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  agencyId: number;
  /** The agency's canonical name. */
  agency: string;
  role: TaskRole;
}

export type ScoreFact = FactBase &
  (
    | {
        kind: 'verified';
        /** When the agency reported the work done (ISO instant). */
        reportedDoneAt: string;
        /** The due date in force then; null when the task had none (counts as on time). */
        dueDate: LocalDate | null;
      }
    | { kind: 'returned' }
    | { kind: 'overdue'; dueDate: LocalDate }
    | { kind: 'missed_answer'; cycle: string }
    | { kind: 'unapproved_delay'; dueDate: LocalDate; eta: LocalDate }
    | { kind: 'extension_approved'; dueDate: LocalDate | null; newDueDate: LocalDate }
  );

export interface ScoreLine {
  /** The audit event the line comes from (an outbox row for a missed answer: see `source`). */
  factId: number;
  /** Where `factId` points: an audit event, or the prompt's outbox row for a missed answer. */
  source: 'audit' | 'outbox';
  at: string;
  /** The Shanghai date of `at`. */
  date: LocalDate;
  kind: ScoreFactKind;
  rule: ScoreRule;
  taskId: number;
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  role: TaskRole;
  /** Signed: awards positive, deductions negative. */
  points: number;
}

export interface RuleTally {
  count: number;
  points: number;
}

export interface AgencyScore {
  agencyId: number;
  agency: string;
  total: number;
  /** Every line behind the total, oldest first. */
  lines: ScoreLine[];
  /** Lines and points per rule, every rule present. */
  byRule: Record<ScoreRule, RuleTally>;
}

export interface ScoreSheet {
  period: ScorePeriod;
  /** Highest total first, then by name; agencies named in `agencies` appear even without a line. */
  agencies: AgencyScore[];
}

/** Which rule a fact falls under. */
export function ruleOf(fact: ScoreFact): ScoreRule {
  switch (fact.kind) {
    case 'verified':
      return fact.dueDate === null || shanghaiDate(new Date(fact.reportedDoneAt)) <= fact.dueDate
        ? 'verifiedOnTime'
        : 'verifiedLate';
    case 'returned':
      return 'returned';
    case 'overdue':
      return 'overdue';
    case 'missed_answer':
      return 'missedAnswer';
    case 'unapproved_delay':
      return 'unapprovedDelay';
    case 'extension_approved':
      return 'extensionApproved';
  }
}

/** Points summed to the hundredth, so 0.1 + 0.2 reads 0.3 and totals never drift. */
const round = (n: number) => Math.round(n * 100) / 100;

function emptyTally(): Record<ScoreRule, RuleTally> {
  return Object.fromEntries(SCORE_RULES.map((rule) => [rule, { count: 0, points: 0 }])) as Record<
    ScoreRule,
    RuleTally
  >;
}

export function computeScores(input: {
  facts: readonly ScoreFact[];
  rules: ScoringRules;
  period: ScorePeriod;
  /** Agencies to list even with no line (e.g. every agency with a task). */
  agencies?: readonly { id: number; name: string }[];
}): ScoreSheet {
  const { rules, period } = input;
  const byAgency = new Map<number, AgencyScore>();
  const agencyFor = (id: number, name: string): AgencyScore => {
    let score = byAgency.get(id);
    if (!score) {
      score = { agencyId: id, agency: name, total: 0, lines: [], byRule: emptyTally() };
      byAgency.set(id, score);
    }
    return score;
  };
  for (const agency of input.agencies ?? []) agencyFor(agency.id, agency.name);

  const seen = new Set<string>();
  const facts = [...input.facts].sort((a, b) => (a.at === b.at ? a.id - b.id : a.at < b.at ? -1 : 1));
  for (const fact of facts) {
    const key = `${fact.kind}:${fact.id}:${fact.taskId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const date = shanghaiDate(new Date(fact.at));
    if (date < period.start || date > period.end) continue;
    const rule = ruleOf(fact);
    const points = pointsFor(rules, rule, fact.role);
    const score = agencyFor(fact.agencyId, fact.agency);
    const tally = score.byRule[rule];
    tally.count += 1;
    tally.points = round(tally.points + points);
    // A rule weighted 0 is counted in the tally but adds no line: the lines are what moved the total.
    if (points === 0) continue;
    score.lines.push({
      factId: fact.id,
      source: fact.kind === 'missed_answer' ? 'outbox' : 'audit',
      at: fact.at,
      date,
      kind: fact.kind,
      rule,
      taskId: fact.taskId,
      articleNo: fact.articleNo,
      ...(fact.articleKind === undefined ? {} : { articleKind: fact.articleKind }),
      role: fact.role,
      points,
    });
    score.total = round(score.total + points);
  }

  const agencies = [...byAgency.values()].sort(
    (a, b) =>
      b.total - a.total || (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : a.agencyId - b.agencyId),
  );
  return { period, agencies };
}
