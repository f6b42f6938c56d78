/**
 * Planning a prompt cycle: who gets the week's card. One card per agency per cycle, only for agencies
 * with open work, on working days, within the weekly budget, never while paused. Inputs in, intentions
 * out. A forced plan (a coordinator insisting) sets aside the day, the pauses and the budget, and says
 * which of them it set aside; it never sets aside the one-card-per-cycle key.
 */
import { isOpenTask } from '../vocabulary.js';
import { createBudgetTracker } from './budget.js';
import type { WorkingCalendar } from './calendar.js';
import type { CycleId } from './cycle.js';
import { outboxKey } from './keys.js';
import { createNoticeList } from './notices.js';
import { shanghaiDate } from './time.js';
import type { AgencyId, CoordinatorNotice, PlanAgency, PlanTask, TaskId } from './types.js';

export type PromptSkipReason =
  /** `now` is not a working day (weekend, public holiday; 调休 Saturdays are working days). */
  | 'not_working_day'
  | 'no_open_tasks'
  | 'paused'
  | 'budget'
  | 'no_chat'
  /** This cycle's prompt is already in the outbox (a re-plan, `duban remind` twice). */
  | 'already_planned'
  /** The agency has already answered this cycle: it is not asked for the same data twice. */
  | 'already_replied'
  /** Its card cannot be drawn within Lark's limits (set when rendering, not by the plan). */
  | 'card_too_large';

/** The rules a forced plan may set aside (never `already_planned`: that is the exactly-once key). */
export type PromptOverride = Extract<PromptSkipReason, 'not_working_day' | 'paused' | 'budget'>;

interface PlannedPrompt {
  agencyId: AgencyId;
  chatId: string;
  key: string;
  cycle: CycleId;
  /** The open tasks the card lists, by article then id. */
  taskIds: TaskId[];
  /** Only on a forced plan, when a rule would have held this card back: which ones were set aside. */
  overridden?: PromptOverride[];
}

export interface PromptPlan {
  prompts: PlannedPrompt[];
  skipped: Array<{ agencyId: AgencyId; reason: PromptSkipReason }>;
  notifyCoordinators: CoordinatorNotice[];
}

export interface PlanPromptCycleInput {
  now: Date;
  cycle: CycleId;
  agencies: readonly PlanAgency[];
  tasks: readonly PlanTask[];
  repliesThisCycle: ReadonlySet<AgencyId>;
  sentThisWeek: ReadonlyMap<AgencyId, number>;
  /** Bot messages per agency per week; default 3. */
  budget?: number;
  globalPause: boolean;
  /** Outbox keys already written (so a re-plan neither doubles a card nor spends budget twice). */
  alreadyPlanned?: ReadonlySet<string>;
  /** Nothing is planned on a day that is not a working day (the Shanghai date of `now`). */
  calendar: WorkingCalendar;
  /** Send despite the working-day rule, the pauses and the budget (still once per cycle). */
  force?: boolean;
}

function promptKey(agencyId: AgencyId, cycle: CycleId): string {
  return outboxKey('prompt', agencyId, cycle);
}

/** Open tasks grouped by agency, each list ordered by article number then task id. */
export function openTasksByAgency(tasks: readonly PlanTask[]): Map<AgencyId, PlanTask[]> {
  const byAgency = new Map<AgencyId, PlanTask[]>();
  for (const task of tasks) {
    if (!isOpenTask(task)) continue;
    const list = byAgency.get(task.agencyId) ?? [];
    list.push(task);
    byAgency.set(task.agencyId, list);
  }
  for (const list of byAgency.values()) list.sort((a, b) => a.articleNo - b.articleNo || a.id - b.id);
  return byAgency;
}

export function planPromptCycle(input: PlanPromptCycleInput): PromptPlan {
  const budget = createBudgetTracker({ sentThisWeek: input.sentThisWeek, budget: input.budget });
  const notices = createNoticeList(input.cycle);
  const open = openTasksByAgency(input.tasks);
  const plan: PromptPlan = { prompts: [], skipped: [], notifyCoordinators: [] };
  const skip = (agencyId: AgencyId, reason: PromptSkipReason): void => {
    plan.skipped.push({ agencyId, reason });
  };

  const force = input.force ?? false;
  const workingDay = input.calendar.isWorkingDay(shanghaiDate(input.now));
  const agencies = [...input.agencies].sort((a, b) => a.id - b.id);
  const seen = new Set<AgencyId>();
  for (const agency of agencies) {
    if (seen.has(agency.id)) continue;
    seen.add(agency.id);
    const tasks = open.get(agency.id) ?? [];
    const key = promptKey(agency.id, input.cycle);
    const overridden: PromptOverride[] = [];
    // The rules a forced plan sets aside, checked first so that a skip names the broadest reason.
    const held = (reason: PromptOverride, applies: boolean): boolean => {
      if (!applies) return false;
      if (force) overridden.push(reason);
      return !force;
    };
    if (held('not_working_day', !workingDay)) skip(agency.id, 'not_working_day');
    else if (held('paused', input.globalPause || agency.paused)) skip(agency.id, 'paused');
    else if (tasks.length === 0) skip(agency.id, 'no_open_tasks');
    else if (input.alreadyPlanned?.has(key)) skip(agency.id, 'already_planned');
    else if (input.repliesThisCycle.has(agency.id)) skip(agency.id, 'already_replied');
    else if (!agency.chatId) {
      skip(agency.id, 'no_chat');
      notices.noChat(agency.id);
    } else if (held('budget', !budget.tryCharge(agency.id))) {
      skip(agency.id, 'budget');
      notices.budgetReached(agency.id, 'prompt');
    } else {
      plan.prompts.push({
        agencyId: agency.id,
        chatId: agency.chatId,
        key,
        cycle: input.cycle,
        taskIds: tasks.map((t) => t.id),
        ...(overridden.length > 0 ? { overridden } : {}),
      });
    }
  }
  plan.notifyCoordinators = notices.list();
  return plan;
}
