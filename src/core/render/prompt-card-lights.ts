/**
 * A small traffic-light rule for the prompt card, used when the caller did not pass a light computed
 * by the progress rules. Red = overdue or blocked; yellow = behind the elapsed-time schedule (序时进度)
 * or, when the caller says so, no reply this cycle; green = on track. Pure: dates are compared in
 * Asia/Shanghai (UTC+8 all year, no daylight saving).
 */
import { type Locale, t } from './catalog.js';

export type LightColor = 'red' | 'yellow' | 'green';

export interface TaskLight {
  color: LightColor;
  /** Already worded for the reader, e.g. "已逾期 3 天". */
  reason: string;
}

export interface LightInput {
  status: string;
  percent: number;
  dueDate: string | null;
  /** When the work started (assignment or import date), `YYYY-MM-DD`; enables the elapsed-time rule. */
  startDate?: string | null;
  blocked: boolean;
  blockedReason?: string | null;
  /** Known only after the cycle's prompt went out; leave undefined on the prompt itself. */
  repliedThisCycle?: boolean;
}

const SHANGHAI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** The calendar date in Asia/Shanghai, `YYYY-MM-DD`. */
export function shanghaiDate(now: Date): string {
  return new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

/** Points of slack before "behind schedule": a task 5 points short of the line is not yet yellow. */
const BEHIND_TOLERANCE = 10;

export function fallbackTaskLight(task: LightInput, now: Date, locale?: Locale): TaskLight {
  const today = dayNumber(shanghaiDate(now));
  const done = task.status === 'reported_done' || task.status === 'verified';
  if (task.blocked) {
    const reason = task.blockedReason?.trim() || t('common.none', undefined, locale);
    return { color: 'red', reason: t('prompts.reason.blocked', { reason }, locale) };
  }
  if (!done && task.dueDate) {
    const days = today - dayNumber(task.dueDate);
    if (days > 0) return { color: 'red', reason: t('prompts.reason.overdue', { days }, locale) };
  }
  if (!done && task.dueDate && task.startDate) {
    const start = dayNumber(task.startDate);
    const span = dayNumber(task.dueDate) - start;
    if (span > 0) {
      const expected = Math.min(100, Math.max(0, Math.round(((today - start) / span) * 100)));
      if (task.percent + BEHIND_TOLERANCE < expected) {
        return {
          color: 'yellow',
          reason: t('prompts.reason.behind', { percent: task.percent, expected }, locale),
        };
      }
    }
  }
  if (task.repliedThisCycle === false) {
    return { color: 'yellow', reason: t('prompts.reason.noReply', undefined, locale) };
  }
  return { color: 'green', reason: t('prompts.reason.onTrack', undefined, locale) };
}
