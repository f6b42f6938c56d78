/**
 * Follow-ups: one measured reminder per cycle, only to agencies that were prompted and have not
 * answered, @-mentioning the agency's contact when one is configured.
 */
import { createBudgetTracker } from './budget.js';
import { type WorkingCalendar, workingDaysBetween } from './calendar.js';
import type { CycleId } from './cycle.js';
import { outboxKey } from './keys.js';
import { createNoticeList } from './notices.js';
import { openTasksByAgency } from './prompt.js';
import { shanghaiDate } from './time.js';
import type { AgencyId, CoordinatorNotice, PlanAgency, PlanTask, TaskId } from './types.js';

type FollowUpSkipReason =
  | 'paused'
  | 'replied'
  | 'not_prompted'
  /** The prompt went out less than `minWorkingDaysAfterPrompt` working days ago (e.g. a holiday week). */
  | 'too_soon'
  | 'no_open_tasks'
  | 'no_chat'
  | 'budget'
  | 'already_planned';

interface PlannedFollowUp {
  agencyId: AgencyId;
  chatId: string;
  key: string;
  cycle: CycleId;
  /** The contact to @-mention, when the agency has one. */
  mentionOpenId?: string;
  taskIds: TaskId[];
}

export interface FollowUpPlan {
  followUps: PlannedFollowUp[];
  skipped: Array<{ agencyId: AgencyId; reason: FollowUpSkipReason }>;
  notifyCoordinators: CoordinatorNotice[];
}

export interface PlanFollowUpsInput {
  now: Date;
  cycle: CycleId;
  calendar: WorkingCalendar;
  agencies: readonly PlanAgency[];
  tasks: readonly PlanTask[];
  /** When each agency's prompt for this cycle went out. */
  promptedThisCycle: ReadonlyMap<AgencyId, Date>;
  repliesThisCycle: ReadonlySet<AgencyId>;
  sentThisWeek: ReadonlyMap<AgencyId, number>;
  budget?: number;
  globalPause: boolean;
  alreadyPlanned?: ReadonlySet<string>;
  /** Working days to leave between the prompt and the follow-up; default 1. */
  minWorkingDaysAfterPrompt?: number;
}

function followUpKey(agencyId: AgencyId, cycle: CycleId): string {
  return outboxKey('followup', agencyId, cycle);
}

export function planFollowUps(input: PlanFollowUpsInput): FollowUpPlan {
  const budget = createBudgetTracker({ sentThisWeek: input.sentThisWeek, budget: input.budget });
  const notices = createNoticeList(input.cycle);
  const open = openTasksByAgency(input.tasks);
  const today = shanghaiDate(input.now);
  const minGap = input.minWorkingDaysAfterPrompt ?? 1;
  const plan: FollowUpPlan = { followUps: [], skipped: [], notifyCoordinators: [] };
  const skip = (agencyId: AgencyId, reason: FollowUpSkipReason): void => {
    plan.skipped.push({ agencyId, reason });
  };

  const seen = new Set<AgencyId>();
  for (const agency of [...input.agencies].sort((a, b) => a.id - b.id)) {
    if (seen.has(agency.id)) continue;
    seen.add(agency.id);
    const promptedAt = input.promptedThisCycle.get(agency.id);
    const tasks = open.get(agency.id) ?? [];
    const key = followUpKey(agency.id, input.cycle);
    if (input.globalPause || agency.paused) skip(agency.id, 'paused');
    else if (input.repliesThisCycle.has(agency.id)) skip(agency.id, 'replied');
    else if (!promptedAt) skip(agency.id, 'not_prompted');
    else if (tasks.length === 0) skip(agency.id, 'no_open_tasks');
    else if (input.alreadyPlanned?.has(key)) skip(agency.id, 'already_planned');
    else if (workingDaysBetween(input.calendar, shanghaiDate(promptedAt), today) < minGap)
      skip(agency.id, 'too_soon');
    else if (!agency.chatId) {
      skip(agency.id, 'no_chat');
      notices.noChat(agency.id);
    } else if (!budget.tryCharge(agency.id)) {
      skip(agency.id, 'budget');
      notices.budgetReached(agency.id, 'follow_up');
    } else {
      plan.followUps.push({
        agencyId: agency.id,
        chatId: agency.chatId,
        key,
        cycle: input.cycle,
        ...(agency.contactOpenId ? { mentionOpenId: agency.contactOpenId } : {}),
        taskIds: tasks.map((t) => t.id),
      });
    }
  }
  plan.notifyCoordinators = notices.list();
  return plan;
}
