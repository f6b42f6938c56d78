/**
 * The escalation ladder, checked on working days: the agency's group → @ its contact → the lead
 * agency's group (for a participant's overdue task) → the coordinators' group → the leaders' digest.
 * Each rung waits a grace period (working days) after the previous one, and the climb stops the
 * moment the agency replies. Messages are consolidated: one per agency, rung and target per day.
 */
import { isOpenTask } from '../vocabulary.js';
import { createBudgetTracker } from './budget.js';
import { type WorkingCalendar, workingDaysBetween } from './calendar.js';
import { cycleOf } from './cycle.js';
import { compactDate, outboxKey } from './keys.js';
import { createNoticeList } from './notices.js';
import { type LocalDate, shanghaiDate } from './time.js';
import type { AgencyId, CoordinatorNotice, PlanAgency, PlanTask, TaskId } from './types.js';

export const ESCALATION_STEPS = ['group', 'contact', 'lead_agency', 'coordinators', 'digest'] as const;
export type EscalationStep = (typeof ESCALATION_STEPS)[number];

/** Working days to wait after the previous rung (or after the trigger) before each rung. */
export type EscalationGrace = Record<EscalationStep, number>;
export const DEFAULT_ESCALATION_GRACE: EscalationGrace = {
  group: 1,
  contact: 1,
  lead_agency: 1,
  coordinators: 1,
  digest: 1,
};

/** Why a task is on the ladder: past its due date, or its agency ignored this cycle's follow-up. */
export type EscalationTrigger = 'overdue' | 'silent';

/** The last rung a task reached and when (stored by the caller between runs). */
export interface LadderState {
  step: EscalationStep;
  at: Date;
}

type EscalationTarget =
  | { kind: 'agency_chat'; agencyId: AgencyId; chatId: string; mentionOpenId?: string }
  | { kind: 'coordinators' };

export interface PlannedEscalation {
  key: string;
  step: EscalationStep;
  /** The agency whose tasks are escalated. */
  agencyId: AgencyId;
  target: EscalationTarget;
  tasks: Array<{ taskId: TaskId; triggers: EscalationTrigger[] }>;
}

export interface EscalationPlan {
  escalations: PlannedEscalation[];
  /** Tasks to list in the leaders' digest (the last rung: no message of its own). */
  digestItems: Array<{ agencyId: AgencyId; taskId: TaskId; triggers: EscalationTrigger[] }>;
  /** New ladder states to store once the plan is written to the outbox. */
  advance: Array<{ taskId: TaskId; step: EscalationStep; at: Date }>;
  /** Ladder states to clear: the agency replied, or the task no longer needs escalating. */
  stopped: Array<{ taskId: TaskId; reason: 'replied' | 'resolved' }>;
  skipped: Array<{ taskId: TaskId; agencyId: AgencyId; reason: 'paused' | 'budget' }>;
  notifyCoordinators: CoordinatorNotice[];
}

export interface PlanEscalationsInput {
  now: Date;
  calendar: WorkingCalendar;
  agencies: readonly PlanAgency[];
  tasks: readonly PlanTask[];
  ladder: ReadonlyMap<TaskId, LadderState>;
  /** The agency's latest reply of any kind (card, thread reply, /report). */
  lastReplyAt: ReadonlyMap<AgencyId, Date>;
  /** When the agency got its latest follow-up: unanswered, it starts the ladder at the first rung. */
  followUpAt: ReadonlyMap<AgencyId, Date>;
  grace?: Partial<EscalationGrace>;
  sentThisWeek: ReadonlyMap<AgencyId, number>;
  budget?: number;
  globalPause: boolean;
}

function escalationKey(
  agencyId: AgencyId,
  step: EscalationStep,
  date: LocalDate,
  targetAgencyId?: AgencyId,
): string {
  const stepNo = ESCALATION_STEPS.indexOf(step) + 1;
  return targetAgencyId === undefined
    ? outboxKey('escalate', agencyId, `s${stepNo}`, compactDate(date))
    : outboxKey('escalate', agencyId, `s${stepNo}`, targetAgencyId, compactDate(date));
}

interface Ready {
  task: PlanTask;
  agency: PlanAgency;
  step: EscalationStep;
  triggers: EscalationTrigger[];
  leads: PlanAgency[];
}

export function planEscalations(input: PlanEscalationsInput): EscalationPlan {
  const plan: EscalationPlan = {
    escalations: [],
    digestItems: [],
    advance: [],
    stopped: [],
    skipped: [],
    notifyCoordinators: [],
  };
  const today = shanghaiDate(input.now);
  if (!input.calendar.isWorkingDay(today)) return plan;
  const grace: EscalationGrace = { ...DEFAULT_ESCALATION_GRACE, ...input.grace };
  const agencies = new Map(input.agencies.map((a) => [a.id, a]));
  const ready: Ready[] = [];

  for (const task of [...input.tasks].sort((a, b) => a.id - b.id)) {
    const agency = agencies.get(task.agencyId);
    if (!agency) continue;
    const lastReply = input.lastReplyAt.get(agency.id);
    const followUp = input.followUpAt.get(agency.id);
    let state = input.ladder.get(task.id);

    const triggers: EscalationTrigger[] = [];
    if (isOpenTask(task) && task.dueDate && task.dueDate < today) triggers.push('overdue');
    if (isOpenTask(task) && followUp && (!lastReply || lastReply < followUp)) triggers.push('silent');

    if (state && lastReply && lastReply > state.at) {
      plan.stopped.push({ taskId: task.id, reason: 'replied' });
      state = undefined;
    } else if (state && triggers.length === 0) {
      plan.stopped.push({ taskId: task.id, reason: 'resolved' });
      continue;
    }
    if (triggers.length === 0) continue;

    // Where the climb stands: the stored rung, the follow-up (which is the first rung), or nothing yet.
    let previous: EscalationStep | null;
    let since: LocalDate;
    if (state) {
      previous = state.step;
      since = shanghaiDate(state.at);
    } else if (triggers.includes('silent') && followUp) {
      previous = 'group';
      since = shanghaiDate(followUp);
    } else {
      // Overdue, no rung yet: count from the due date, or from the reply that stopped the last climb.
      previous = null;
      const replyDate = lastReply ? shanghaiDate(lastReply) : null;
      since = task.dueDate && (!replyDate || task.dueDate > replyDate) ? task.dueDate : (replyDate ?? today);
    }

    const leads = (task.leadAgencyIds ?? [])
      .filter((id) => id !== agency.id)
      .map((id) => agencies.get(id))
      .filter((a): a is PlanAgency => a !== undefined && a.chatId !== null && !a.paused);
    const applies = (step: EscalationStep): boolean => {
      switch (step) {
        case 'group':
          return agency.chatId !== null;
        case 'contact':
          return agency.chatId !== null && Boolean(agency.contactOpenId);
        case 'lead_agency':
          return task.role === 'participant' && triggers.includes('overdue') && leads.length > 0;
        case 'coordinators':
        case 'digest':
          return true;
      }
    };
    const from = previous === null ? 0 : ESCALATION_STEPS.indexOf(previous) + 1;
    const next = ESCALATION_STEPS.slice(from).find(applies);
    if (!next) continue;
    if (workingDaysBetween(input.calendar, since, today) < grace[next]) continue;
    if (input.globalPause || agency.paused) {
      plan.skipped.push({ taskId: task.id, agencyId: agency.id, reason: 'paused' });
      continue;
    }
    ready.push({ task, agency, step: next, triggers, leads });
  }

  // One message per agency, rung and target; the budget is charged per message.
  const groups = new Map<string, PlannedEscalation>();
  const charge = new Map<string, AgencyId | null>();
  const add = (r: Ready, key: string, target: EscalationTarget, chargeTo: AgencyId | null): void => {
    let group = groups.get(key);
    if (!group) {
      group = { key, step: r.step, agencyId: r.agency.id, target, tasks: [] };
      groups.set(key, group);
      charge.set(key, chargeTo);
    }
    group.tasks.push({ taskId: r.task.id, triggers: r.triggers });
  };
  for (const r of ready) {
    const chatId = r.agency.chatId ?? '';
    switch (r.step) {
      case 'group':
        add(
          r,
          escalationKey(r.agency.id, r.step, today),
          { kind: 'agency_chat', agencyId: r.agency.id, chatId },
          r.agency.id,
        );
        break;
      case 'contact':
        add(
          r,
          escalationKey(r.agency.id, r.step, today),
          {
            kind: 'agency_chat',
            agencyId: r.agency.id,
            chatId,
            ...(r.agency.contactOpenId ? { mentionOpenId: r.agency.contactOpenId } : {}),
          },
          r.agency.id,
        );
        break;
      case 'lead_agency':
        for (const lead of r.leads) {
          add(
            r,
            escalationKey(r.agency.id, r.step, today, lead.id),
            { kind: 'agency_chat', agencyId: lead.id, chatId: lead.chatId ?? '' },
            lead.id,
          );
        }
        break;
      case 'coordinators':
        add(r, escalationKey(r.agency.id, r.step, today), { kind: 'coordinators' }, null);
        break;
      case 'digest':
        plan.digestItems.push({ agencyId: r.agency.id, taskId: r.task.id, triggers: r.triggers });
        break;
    }
  }

  const budget = createBudgetTracker({ sentThisWeek: input.sentThisWeek, budget: input.budget });
  const notices = createNoticeList(cycleOf(input.now));
  const reached = new Set<TaskId>(plan.digestItems.map((d) => d.taskId));
  for (const [key, group] of groups) {
    const chargeTo = charge.get(key) ?? null;
    if (chargeTo !== null && !budget.tryCharge(chargeTo)) {
      notices.budgetReached(chargeTo, 'escalation');
      continue;
    }
    plan.escalations.push(group);
    for (const t of group.tasks) reached.add(t.taskId);
  }
  for (const r of ready) {
    if (reached.has(r.task.id)) plan.advance.push({ taskId: r.task.id, step: r.step, at: input.now });
    else plan.skipped.push({ taskId: r.task.id, agencyId: r.agency.id, reason: 'budget' });
  }
  plan.notifyCoordinators = notices.list();
  return plan;
}
