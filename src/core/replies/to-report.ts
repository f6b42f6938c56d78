/**
 * What a reading would record: the report a confirmed free-text reply (or a /report command) applies to
 * a task. Pure; the same rules as the card form (src/core/progress/report-form.ts): done means 100%, a
 * started task is in progress, blocked is a flag beside the status with the reply as its reason.
 */
import type { TaskReport } from '../progress/report-form.js';
import type { ReplyReading, ReplyStatus } from './read-reply.js';

/** How much of the reply travels as the report's note (and in the echo card's button value). */
export const REPLY_NOTE_MAX = 300;

export function replyNote(text: string): string {
  return text.replace(/\s+/gu, ' ').trim().slice(0, REPLY_NOTE_MAX);
}

/** A stated status (and percent, when given) applied to a task as it stands now. */
export function reportFromStatus(input: {
  status: ReplyStatus;
  percent: number | null;
  note: string;
  current: { status: string; percent: number };
}): TaskReport {
  const { status, percent, note, current } = input;
  const currentPercent = current.status === 'reported_done' ? Math.min(current.percent, 99) : current.percent;
  if (status === 'done' && (percent === null || percent >= 100)) {
    return { status: 'reported_done', percent: 100, blocked: false, note, evidenceUrl: null };
  }
  if (status === 'blocked') {
    const kept = percent ?? currentPercent;
    const notStarted = (current.status === 'not_started' || current.status === 'returned') && kept === 0;
    return {
      status: notStarted && current.status === 'not_started' ? 'not_started' : 'in_progress',
      percent: kept,
      blocked: true,
      note,
      evidenceUrl: null,
    };
  }
  if (status === 'not_started' && (percent ?? 0) === 0) {
    return { status: 'not_started', percent: 0, blocked: false, note, evidenceUrl: null };
  }
  // in progress, a done with a percent below 100, or "not started" with a percent: work is under way.
  return {
    status: 'in_progress',
    percent: Math.min(percent ?? currentPercent, 100),
    blocked: false,
    note,
    evidenceUrl: null,
  };
}

/** The report a reading stands for, or null when it states no status to record. */
export function reportFromReading(input: {
  reading: ReplyReading;
  text: string;
  current: { status: string; percent: number };
}): TaskReport | null {
  const { reading } = input;
  if (reading.status === null) return null;
  if (reading.percent !== null && (reading.percent < 0 || reading.percent > 100)) return null;
  return reportFromStatus({
    status: reading.status,
    percent: reading.percent,
    note: replyNote(input.text),
    current: input.current,
  });
}
