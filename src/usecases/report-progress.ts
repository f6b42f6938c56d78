/**
 * An agency answering its prompt: one task's report, or "no change this week" for all its open tasks.
 * Either is an answer for the cycle, so it also stops the escalation climb — in the same transaction, so
 * a crash never leaves a recorded report with a ladder that keeps climbing.
 */
import type { TaskReport } from '../core/progress/report-form.js';
import type { AuditChannel } from '../store/audit-repository.js';

interface AuditInput {
  actor: string;
  channel: AuditChannel;
  at: string;
}

export interface ProgressStore {
  transaction<T>(fn: () => T): T;
  findTask(taskId: number): {
    agencyId: number | null;
    articleNo: number;
    status: string;
    percent: number;
    removedAt: string | null;
  } | null;
  recordReport(input: { taskId: number; report: TaskReport } & AuditInput): void;
  /** Ids of the open tasks it confirmed. */
  confirmNoChange(input: { agencyId: number } & AuditInput): number[];
}

export interface LadderStore {
  clearLadder(input: { taskIds?: readonly number[]; agencyId?: number }): number;
}

/** A task as a report needs it. */
export interface ReportableTask {
  agencyId: number | null;
  articleNo: number;
  status: string;
  percent: number;
  /** Verified, or removed from the decision: it takes no more reports. */
  closed: boolean;
}

export type ReportOutcome =
  | { kind: 'recorded'; articleNo: number }
  | { kind: 'not_found' }
  | { kind: 'closed'; articleNo: number };

export function createProgressUseCases(deps: { progress: ProgressStore; ladder: LadderStore }) {
  const { progress, ladder } = deps;

  const findTask = (taskId: number): ReportableTask | undefined => {
    const task = progress.findTask(taskId);
    if (task === null) return undefined;
    return {
      agencyId: task.agencyId,
      articleNo: task.articleNo,
      status: task.status,
      percent: task.percent,
      closed: task.status === 'verified' || task.removedAt !== null,
    };
  };

  return {
    findTask,

    recordReport(input: {
      taskId: number;
      report: TaskReport;
      actor: string;
      channel: AuditChannel;
      now: Date;
    }): ReportOutcome {
      return progress.transaction((): ReportOutcome => {
        const task = findTask(input.taskId);
        if (task === undefined) return { kind: 'not_found' };
        if (task.closed) return { kind: 'closed', articleNo: task.articleNo };
        progress.recordReport({
          taskId: input.taskId,
          report: input.report,
          actor: input.actor,
          channel: input.channel,
          at: input.now.toISOString(),
        });
        ladder.clearLadder({ taskIds: [input.taskId] });
        return { kind: 'recorded', articleNo: task.articleNo };
      });
    },

    confirmNoChange(input: { agencyId: number; actor: string; channel: AuditChannel; now: Date }): {
      confirmed: number;
    } {
      return progress.transaction(() => {
        const tasks = progress.confirmNoChange({
          agencyId: input.agencyId,
          actor: input.actor,
          channel: input.channel,
          at: input.now.toISOString(),
        });
        if (tasks.length > 0) ladder.clearLadder({ agencyId: input.agencyId });
        return { confirmed: tasks.length };
      });
    },
  };
}

export type ProgressUseCases = ReturnType<typeof createProgressUseCases>;
