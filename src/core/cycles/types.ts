/** What the planners need to know about agencies and tasks (a projection of the ledger rows). */
import type { BudgetKind, TaskRole, TaskStatus } from '../vocabulary.js';
import type { LocalDate } from './time.js';

export type AgencyId = number;
export type TaskId = number;

export interface PlanAgency {
  id: AgencyId;
  name: string;
  /** The agency's bound Lark group; null until a coordinator runs `/bind`. */
  chatId: string | null;
  /** The agency's contact person, @-mentioned by follow-ups and the escalation ladder. */
  contactOpenId?: string | null | undefined;
  paused: boolean;
}

export interface PlanTask {
  id: TaskId;
  agencyId: AgencyId;
  articleNo: number;
  articleTitle: string;
  role: TaskRole;
  status: TaskStatus;
  percent: number;
  dueDate: LocalDate | null;
  lastReportAt: Date | null;
  blocked: boolean;
  blockedReason?: string | null | undefined;
  /** When the work started (task creation or assignment): the origin of the elapsed-time schedule. */
  startDate?: LocalDate | null | undefined;
  /** For a participant's task: the agencies that lead the article (the ladder's third rung). */
  leadAgencyIds?: readonly AgencyId[] | undefined;
}

/** Something the coordinators' group is told about (each under its own outbox key). */
export type CoordinatorNotice =
  | {
      kind: 'budget_reached';
      agencyId: AgencyId;
      cycle: string;
      key: string;
      /** What waits for the next cycle. */
      deferred: BudgetKind;
    }
  | { kind: 'no_chat'; agencyId: AgencyId; cycle: string; key: string };
