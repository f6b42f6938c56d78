/**
 * Due-date reminders: on the working day that is N working days before a task's due date (default 5
 * and 1), one message per agency listing the tasks that reach such a day today.
 */
import { isOpenTask } from '../vocabulary.js';
import { createBudgetTracker } from './budget.js';
import type { WorkingCalendar } from './calendar.js';
import { cycleOf } from './cycle.js';
import { compactDate, outboxKey } from './keys.js';
import { createNoticeList } from './notices.js';
import { type LocalDate, shanghaiDate } from './time.js';
import type { AgencyId, CoordinatorNotice, PlanAgency, PlanTask, TaskId } from './types.js';

export const DEFAULT_DUE_REMINDER_OFFSETS: readonly number[] = [5, 1];

interface DueReminderItem {
  taskId: TaskId;
  dueDate: LocalDate;
  /** Working days left before the due date (one of the offsets). */
  workingDaysLeft: number;
}

interface PlannedDueReminder {
  agencyId: AgencyId;
  chatId: string;
  key: string;
  items: DueReminderItem[];
}

type DueReminderSkipReason = 'paused' | 'no_chat' | 'budget' | 'already_planned';

export interface DueReminderPlan {
  reminders: PlannedDueReminder[];
  skipped: Array<{ agencyId: AgencyId; reason: DueReminderSkipReason }>;
  notifyCoordinators: CoordinatorNotice[];
}

function dueReminderKey(agencyId: AgencyId, date: LocalDate): string {
  return outboxKey('due', agencyId, compactDate(date));
}

/** The days (working days before `dueDate`) on which reminders for it go out, by offset. */
function dueReminderDays(
  calendar: WorkingCalendar,
  dueDate: LocalDate,
  offsets: readonly number[] = DEFAULT_DUE_REMINDER_OFFSETS,
): Array<{ offset: number; date: LocalDate }> {
  return offsets.map((offset) => ({ offset, date: calendar.addWorkingDays(dueDate, -offset) }));
}

export function planDueReminders(input: {
  now: Date;
  calendar: WorkingCalendar;
  agencies: readonly PlanAgency[];
  tasks: readonly PlanTask[];
  offsets?: readonly number[];
  sentThisWeek: ReadonlyMap<AgencyId, number>;
  budget?: number;
  globalPause: boolean;
  alreadyPlanned?: ReadonlySet<string>;
}): DueReminderPlan {
  const today = shanghaiDate(input.now);
  const plan: DueReminderPlan = { reminders: [], skipped: [], notifyCoordinators: [] };
  if (!input.calendar.isWorkingDay(today)) return plan;
  const offsets = input.offsets ?? DEFAULT_DUE_REMINDER_OFFSETS;
  const budget = createBudgetTracker({ sentThisWeek: input.sentThisWeek, budget: input.budget });
  const notices = createNoticeList(cycleOf(input.now));

  const items = new Map<AgencyId, DueReminderItem[]>();
  for (const task of input.tasks) {
    if (!isOpenTask(task) || !task.dueDate) continue;
    const hit = dueReminderDays(input.calendar, task.dueDate, offsets).find((d) => d.date === today);
    if (!hit) continue;
    const list = items.get(task.agencyId) ?? [];
    list.push({ taskId: task.id, dueDate: task.dueDate, workingDaysLeft: hit.offset });
    items.set(task.agencyId, list);
  }

  for (const agency of [...input.agencies].sort((a, b) => a.id - b.id)) {
    const list = items.get(agency.id);
    if (!list) continue;
    items.delete(agency.id);
    const key = dueReminderKey(agency.id, today);
    if (input.globalPause || agency.paused) plan.skipped.push({ agencyId: agency.id, reason: 'paused' });
    else if (input.alreadyPlanned?.has(key))
      plan.skipped.push({ agencyId: agency.id, reason: 'already_planned' });
    else if (!agency.chatId) {
      plan.skipped.push({ agencyId: agency.id, reason: 'no_chat' });
      notices.noChat(agency.id);
    } else if (!budget.tryCharge(agency.id)) {
      plan.skipped.push({ agencyId: agency.id, reason: 'budget' });
      notices.budgetReached(agency.id, 'due_reminder');
    } else {
      list.sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.taskId - b.taskId);
      plan.reminders.push({ agencyId: agency.id, chatId: agency.chatId, key, items: list });
    }
  }
  plan.notifyCoordinators = notices.list();
  return plan;
}
