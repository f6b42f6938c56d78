/**
 * Traffic lights (红黄绿, 序时进度): a pure function of the task, its reports, the cycle and `now`.
 *
 * - Red: overdue (the due date in force has passed and the work is not done), or blocked.
 * - Yellow: behind the elapsed-time schedule (the share of the days from start to due date that has
 *   passed, against the percent reported, by more than BEHIND_TOLERANCE points); no answer this
 *   cycle; no due date at all (未设截止, for coordinators to settle); or red earlier this cycle and
 *   made up since (done after its date, or unblocked): a late fix is not a green.
 * - Green otherwise.
 *
 * The due date in force depends on what the decision said (`dueKind`): a date; a recurring report
 * (每季度 …), due at the end of the current period in Shanghai; ongoing work (长期坚持), judged only on
 * answers and blockers. Reasons are data (a code and its numbers); renderers word them through the
 * message catalog (src/core/render/prompt-card-lights.ts).
 */
import { addDays, daysBetween, type LocalDate, parseLocalDate, shanghaiDate } from '../cycles/time.js';
import type { DueKind, DuePeriod, TaskStatus } from '../vocabulary.js';

export type LightColor = 'red' | 'yellow' | 'green';

/** Why a task was red at the start of the cycle, before it was made up. */
export type RedCause = 'overdue' | 'blocked';

export type LightReason =
  | { code: 'overdue'; days: number }
  | { code: 'blocked'; reason: string | null }
  | { code: 'recovered'; was: RedCause[] }
  | { code: 'behind_schedule'; percent: number; expected: number }
  | { code: 'no_reply' }
  | { code: 'no_due_date' }
  | { code: 'done' }
  | { code: 'ongoing' }
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
  /**
   * What the decision said about the deadline (TaskView.dueKind). Absent or null: the task has only
   * `dueDate`, and no due date at all is 未设截止.
   */
  dueKind?: DueKind | null | undefined;
  /** The period of a recurring report (TaskView.dueEvery). */
  dueEvery?: DuePeriod | null | undefined;
}

/** One report of the task (progress_updates), as the light needs it. */
export interface LightReport {
  /** ISO instant. */
  at: string;
  status: TaskStatus;
  percent: number;
  blocked: boolean;
  /** The one-tap "no change this cycle": an answer, not a change. */
  noChange?: boolean | undefined;
}

/** The prompt cycle the light speaks for. */
export interface LightCycle {
  /** When the cycle began (its prompt's planned time). */
  start: Date;
}

/** Percentage points a task may trail the elapsed-time line before it turns yellow. */
export const BEHIND_TOLERANCE = 10;

/** The first and last day (Shanghai dates) of the month, quarter, half-year or year holding `date`. */
export function periodBounds(date: LocalDate, every: DuePeriod): { start: LocalDate; end: LocalDate } {
  const { year, month } = parseLocalDate(date);
  const months = every === 'month' ? 1 : every === 'quarter' ? 3 : every === 'half-year' ? 6 : 12;
  const first = Math.floor((month - 1) / months) * months + 1;
  const start = `${String(year).padStart(4, '0')}-${String(first).padStart(2, '0')}-01`;
  const nextFirst = first + months;
  const next =
    nextFirst > 12
      ? `${String(year + 1).padStart(4, '0')}-01-01`
      : `${String(year).padStart(4, '0')}-${String(nextFirst).padStart(2, '0')}-01`;
  return { start, end: addDays(next, -1) };
}

/**
 * The due date in force on `today`: the written date; for a recurring report the end of the current
 * period; none for ongoing work (and none when the decision named none and nobody set one).
 */
export function effectiveDueDate(
  task: Pick<LightTask, 'dueDate' | 'dueKind' | 'dueEvery'>,
  today: LocalDate,
): LocalDate | null {
  if (task.dueKind === 'ongoing') return null;
  if (task.dueKind === 'recurring' && task.dueEvery) return periodBounds(today, task.dueEvery).end;
  return task.dueDate;
}

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

interface Standing {
  status: TaskStatus;
  blocked: boolean;
  blockedReason: string | null;
}

const isDone = (status: TaskStatus) => status === 'reported_done' || status === 'verified';

/**
 * The red reasons of a task standing as `standing` on `today`. A recurring report is overdue when the
 * previous period passed without any report (only known when the reports are given).
 */
function redReasons(
  task: LightTask,
  standing: Standing,
  today: LocalDate,
  reports: readonly LightReport[] | undefined,
): LightReason[] {
  const red: LightReason[] = [];
  if (!isDone(standing.status)) {
    if (task.dueKind === 'recurring' && task.dueEvery) {
      const missed = missedPeriodEnd(task, task.dueEvery, today, reports);
      if (missed !== null) red.push({ code: 'overdue', days: daysBetween(missed, today) });
    } else if (task.dueKind !== 'ongoing' && task.dueDate && task.dueDate < today) {
      red.push({ code: 'overdue', days: daysBetween(task.dueDate, today) });
    }
  }
  if (standing.blocked) red.push({ code: 'blocked', reason: standing.blockedReason?.trim() || null });
  return red;
}

/**
 * The end of the previous period when the task was already running then and no report came in it or
 * since; null otherwise (or when it cannot be known: no reports given, no start date).
 */
function missedPeriodEnd(
  task: LightTask,
  every: DuePeriod,
  today: LocalDate,
  reports: readonly LightReport[] | undefined,
): LocalDate | null {
  if (reports === undefined || !task.startDate) return null;
  const current = periodBounds(today, every);
  const previous = periodBounds(addDays(current.start, -1), every);
  if (task.startDate > previous.start) return null;
  const answered = reports.some((r) => {
    const day = shanghaiDate(new Date(r.at));
    return day >= previous.start && day <= today;
  });
  return answered ? null : previous.end;
}

/** How the task stood just before `instant`: its last report before then, else not started. */
function standingBefore(reports: readonly LightReport[], instant: Date): Standing {
  let last: LightReport | undefined;
  for (const r of reports) {
    if (new Date(r.at).getTime() < instant.getTime() && (!last || r.at >= last.at)) last = r;
  }
  return last
    ? { status: last.status, blocked: last.blocked, blockedReason: null }
    : { status: 'not_started', blocked: false, blockedReason: null };
}

export function computeTrafficLight(input: {
  task: LightTask;
  now: Date;
  /**
   * Whether the agency answered the current cycle. Leave undefined where the question does not apply
   * yet (the cycle's own prompt card): only `false` turns a light yellow. When undefined and both
   * `cycle` and `reports` are given, it is read from the reports (any report since the cycle began).
   */
  repliedThisCycle?: boolean | undefined;
  /** The task's reports, in any order. Needed for "made up this cycle" and recurring reports. */
  reports?: readonly LightReport[] | undefined;
  /** The current cycle. With `reports`, a red at its start that is made up since shows yellow. */
  cycle?: LightCycle | undefined;
  tolerance?: number | undefined;
}): TrafficLight {
  const { task, reports, cycle } = input;
  const today = shanghaiDate(input.now);
  const now: Standing = {
    status: task.status,
    blocked: task.blocked,
    blockedReason: task.blockedReason ?? null,
  };

  const red = redReasons(task, now, today, reports);

  const yellow: LightReason[] = [];
  if (red.length === 0 && cycle && reports) {
    const before = reports.filter((r) => new Date(r.at).getTime() < cycle.start.getTime());
    const startDay = shanghaiDate(cycle.start);
    const wasStarted = !task.startDate || task.startDate <= startDay;
    const was = wasStarted
      ? redReasons(task, standingBefore(reports, cycle.start), startDay, before).map(
          (r) => r.code as RedCause,
        )
      : [];
    if (was.length > 0) yellow.push({ code: 'recovered', was });
  }

  if (isDone(task.status)) {
    if (yellow.length > 0) return { color: 'yellow', reasons: yellow };
    return { color: 'green', reasons: [{ code: 'done' }] };
  }

  if (task.dueKind !== 'recurring' && task.dueKind !== 'ongoing') {
    const expected = expectedPercent(task, today);
    const tolerance = input.tolerance ?? BEHIND_TOLERANCE;
    if (expected !== null && task.percent + tolerance < expected) {
      yellow.push({ code: 'behind_schedule', percent: task.percent, expected });
    }
  }
  const replied =
    input.repliedThisCycle ??
    (cycle && reports ? reports.some((r) => new Date(r.at).getTime() >= cycle.start.getTime()) : undefined);
  if (replied === false) yellow.push({ code: 'no_reply' });
  if (effectiveDueDate(task, today) === null && task.dueKind !== 'ongoing') {
    yellow.push({ code: 'no_due_date' });
  }

  if (red.length > 0) return { color: 'red', reasons: [...red, ...yellow] };
  if (yellow.length > 0) return { color: 'yellow', reasons: yellow };
  return { color: 'green', reasons: [{ code: task.dueKind === 'ongoing' ? 'ongoing' : 'on_track' }] };
}
