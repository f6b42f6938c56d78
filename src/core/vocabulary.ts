/**
 * The product's words, each defined once: task statuses, roles, chats, outbox kinds and job names.
 * Every other module (the drizzle schema, the planners, the bot, the CLI, the tests) imports them from
 * here. Many are persisted (DB rows, `job_runs.name`, config/schedule.json keys, outbox keys): their
 * spelling is part of the data and must not change, or existing databases and configs stop matching.
 */
import { z } from 'zod';

// --- tasks -------------------------------------------------------------------------------------

/** A task's life in the ledger (`tasks.status`). Blocked is a flag beside the status, not one of them. */
export const TASK_STATUSES = ['not_started', 'in_progress', 'reported_done', 'verified', 'returned'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const taskStatusSchema = z.enum(TASK_STATUSES);

/** What an agency's own report may set: verifying and returning are the coordinators' words. */
export const REPORTABLE_STATUSES = ['not_started', 'in_progress', 'reported_done'] as const;
export type ReportableStatus = (typeof REPORTABLE_STATUSES)[number];

/** Work the agency is still asked about: not reported done (awaiting verification), not verified. */
export const OPEN_TASK_STATUSES = ['not_started', 'in_progress', 'returned'] as const;

/** Enough of a task to say where it stands; `removedAt` is set when a revised decision dropped it. */
export interface TaskStanding {
  status: string;
  removedAt?: string | null | undefined;
}

/** Open: the agency still owes progress on it (prompts, follow-ups, escalation, due reminders). */
export function isOpenTask(task: TaskStanding): boolean {
  return (OPEN_TASK_STATUSES as readonly string[]).includes(task.status) && (task.removedAt ?? null) === null;
}

/**
 * Closed: verified, or removed from the decision; it takes no more reports. A task reported done is
 * neither open nor closed: nobody asks about it, but the agency may still correct its report.
 */
export function isClosedTask(task: TaskStanding): boolean {
  return task.status === 'verified' || (task.removedAt ?? null) !== null;
}

/** What a decision says about a deadline: a date, a recurring report, or ongoing work (长期坚持). */
export const DUE_KINDS = ['date', 'recurring', 'ongoing'] as const;
export type DueKind = (typeof DUE_KINDS)[number];
export const DUE_PERIODS = ['month', 'quarter', 'half-year', 'year'] as const;
export type DuePeriod = (typeof DUE_PERIODS)[number];

/**
 * Where a task sits: an article of an imported decision, or a leader's instruction (批示), which the
 * year's "领导批示" document numbers on its own (批示1, 批示2 …) apart from any decision's articles.
 */
export const ARTICLE_KINDS = ['decision', 'instruction'] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];

/** An agency's part in an article: it leads (牵头) or takes part (配合). */
export const TASK_ROLES = ['lead', 'participant'] as const;
export type TaskRole = (typeof TASK_ROLES)[number];

// --- agencies, people and chats ----------------------------------------------------------------

export const AGENCY_KINDS = ['department', 'district', 'external', 'collective'] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

/** What a collective unit (各有关单位 …) stands for once resolved against the registry. */
export const COLLECTIVE_SCOPES = ['all', 'departments', 'districts'] as const;
export type CollectiveScope = (typeof COLLECTIVE_SCOPES)[number];

/** A person's role (`people.role`): one person may hold several, one row each. */
export const PERSON_ROLES = ['coordinator', 'leader', 'official'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

/**
 * Where a role comes from (`people.source`): membership of a Lark group bound to the agency or role
 * ('chat'), or the settings and config/agencies.json ('config'). Each source grants and revokes its own.
 */
export const GRANT_SOURCES = ['chat', 'config'] as const;
export type GrantSource = (typeof GRANT_SOURCES)[number];

/** The two groups that are not an agency's (`special_chats.role`). */
export const SPECIAL_CHAT_ROLES = ['coordinators', 'leaders'] as const;
export type SpecialChatRole = (typeof SPECIAL_CHAT_ROLES)[number];

/**
 * Which mode made a database (`database_meta.mode`): the sandbox (made-up people and groups) or a real
 * tenant (the app with credentials, or `duban import`). Neither starts on the other's database.
 */
export const DATABASE_MODES = ['sandbox', 'tenant'] as const;
export type DatabaseMode = (typeof DATABASE_MODES)[number];

/** An extension request's life (`extension_requests.status`): coordinators approve or reject it once. */
export const EXTENSION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];

/**
 * A leader's instruction (批示, `instructions.status`): recorded from the digest's thread, then confirmed
 * (it becomes tracked tasks) or rejected by a coordinator, once.
 */
export const INSTRUCTION_STATUSES = ['pending', 'confirmed', 'rejected'] as const;
export type InstructionStatus = (typeof INSTRUCTION_STATUSES)[number];

// --- the outbox --------------------------------------------------------------------------------

/** What an outbox row is (`outbox.kind`), by name for the code that writes one. */
export const OUTBOX_KIND = {
  prompt: 'prompt',
  /** A prompt's second and later pages: they do not spend the agency's budget again. */
  promptPage: 'prompt_page',
  followUp: 'follow_up',
  escalation: 'escalation',
  /** The ladder's coordinators rung: addressed to the coordinators, so no agency's budget is spent. */
  escalationNotice: 'escalation_notice',
  dueReminder: 'due_reminder',
  /** To a lead agency's group: its participants that have been silent for two prompt cycles. */
  silentParticipants: 'silent_participants',
  /** A text to the coordinators' group (budget reached, no bound group, a failed send). */
  notice: 'notice',
  /**
   * Verification and extension traffic: a request to the verifier or the coordinators, and the verdict
   * to the agency. Each answers something a person just did, so it spends no agency's weekly budget
   * (the budget limits unprompted nudges; holding back a verdict would only delay the agency's work).
   */
  review: 'review',
  /**
   * The leaders' weekly digest, to the leaders' group once per cycle: addressed to the leaders, so it
   * spends no agency's budget.
   */
  digest: 'digest',
  /**
   * A leader's instruction (批示) put to the coordinators for confirmation: answers what a leader just
   * said, so it spends no agency's budget.
   */
  instruction: 'instruction',
} as const;
export type OutboxKind = (typeof OUTBOX_KIND)[keyof typeof OUTBOX_KIND];
export const OUTBOX_KINDS = Object.values(OUTBOX_KIND) as [OutboxKind, ...OutboxKind[]];

/**
 * The kinds that spend an agency's weekly message budget (a prompt's extra pages do not). A flag about
 * silent participants spends the budget of the lead agency whose group gets it.
 */
export const BUDGET_KINDS = [
  OUTBOX_KIND.prompt,
  OUTBOX_KIND.followUp,
  OUTBOX_KIND.escalation,
  OUTBOX_KIND.dueReminder,
  OUTBOX_KIND.silentParticipants,
] as const;
export type BudgetKind = (typeof BUDGET_KINDS)[number];

/** An outbox row's delivery state (`outbox.status`). */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

// --- jobs --------------------------------------------------------------------------------------

/**
 * The scheduled jobs. The key is the job's key in config/schedule.json (`jobs.weeklyPrompt`); the value
 * is its name in the run log (`job_runs.name`), in the node-cron task name and in log lines. Both are
 * persisted, so both stay as they are, even where they disagree: the escalation job is `escalation` in
 * the config and `escalation_check` in the run log.
 */
export const JOB_NAMES = {
  weeklyPrompt: 'weekly_prompt',
  followUp: 'follow_up',
  dueReminders: 'due_reminders',
  escalation: 'escalation_check',
  leadersDigest: 'leaders_digest',
} as const;
/** A job's key in config/schedule.json. */
export type JobKey = keyof typeof JOB_NAMES;
/** A job's name in the run log. */
export type JobName = (typeof JOB_NAMES)[JobKey];
export const JOB_KEYS = Object.keys(JOB_NAMES) as [JobKey, ...JobKey[]];
