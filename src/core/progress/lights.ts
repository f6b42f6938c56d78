/**
 * Traffic lights (红黄绿) with their reasons: red = overdue or blocked; yellow = behind the
 * elapsed-time schedule (序时进度) or no reply this cycle; green = on track. Reasons are data (a code
 * and its numbers); renderers word them through the message catalog.
 */
import { daysBetween, type LocalDate, shanghaiDate } from '../cycles/time.js';
import type { TaskStatus } from '../vocabulary.js';

export type LightColor = 'red' | 'yellow' | 'green';

export type LightReason =
  | { code: 'overdue'; days: number }
  | { code: 'blocked'; reason: string | null }
  | { code: 'behind_schedule'; percent: number; expected: number }
  | { code: 'no_reply' }
  | { code: 'done' }
  | { code: 'on_track' };

export interface TrafficLight {
  color: LightColor;
  /** Every reason that applies, the one that set the color first. */
  reasons: LightReason[];
}

export interface LightTask {
  status: TaskStatus;
  percent: number;
  dueDate: LocalDate | null;
  /** Origin of the elapsed-time schedule (assignment or import date); without it that rule is off. */
  startDate?: LocalDate | null | undefined;
  blocked: boolean;
  blockedReason?: string | null | undefined;
}

/** Percentage points a task may trail the elapsed-time line before it turns yellow. */
const DEFAULT_BEHIND_TOLERANCE = 10;

/** The percent the elapsed-time schedule expects today (0–100), or null when it cannot say. */
export function expectedPercent(
  task: Pick<LightTask, 'startDate' | 'dueDate'>,
  today: LocalDate,
): number | null {
  if (!task.startDate || !task.dueDate) return null;
  const span = daysBetween(task.startDate, task.dueDate);
  if (span <= 0) return null;
  const elapsed = daysBetween(task.startDate, today);
  return Math.min(100, Math.max(0, Math.round((elapsed / span) * 100)));
}

export function computeTrafficLight(input: {
  task: LightTask;
  now: Date;
  /**
   * Whether the agency answered the current cycle. Leave undefined where the question does not apply
   * yet (the cycle's own prompt card): only `false` turns a light yellow.
   */
  repliedThisCycle?: boolean | undefined;
  tolerance?: number | undefined;
}): TrafficLight {
  const { task } = input;
  const today = shanghaiDate(input.now);
  if (task.status === 'reported_done' || task.status === 'verified') {
    return { color: 'green', reasons: [{ code: 'done' }] };
  }
  const red: LightReason[] = [];
  if (task.dueDate && task.dueDate < today)
    red.push({ code: 'overdue', days: daysBetween(task.dueDate, today) });
  if (task.blocked) red.push({ code: 'blocked', reason: task.blockedReason?.trim() || null });

  const yellow: LightReason[] = [];
  const expected = expectedPercent(task, today);
  const tolerance = input.tolerance ?? DEFAULT_BEHIND_TOLERANCE;
  if (expected !== null && task.percent + tolerance < expected) {
    yellow.push({ code: 'behind_schedule', percent: task.percent, expected });
  }
  if (input.repliedThisCycle === false) yellow.push({ code: 'no_reply' });

  if (red.length > 0) return { color: 'red', reasons: [...red, ...yellow] };
  if (yellow.length > 0) return { color: 'yellow', reasons: yellow };
  return { color: 'green', reasons: [{ code: 'on_track' }] };
}
