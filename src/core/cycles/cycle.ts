/**
 * A prompt cycle is an ISO week in Shanghai (`2026-W41`): the unit of "one prompt per agency", of the
 * weekly message budget and of "has this agency answered".
 */
import { addDays, isoWeekOf, isoWeekStart, shanghaiDate, shanghaiInstant } from './time.js';

export type CycleId = string;

export function cycleOf(instant: Date): CycleId {
  return isoWeekOf(shanghaiDate(instant));
}

/** The cycle's span: Monday 00:00 Shanghai (inclusive) to the next Monday 00:00 (exclusive). */
export function cycleBounds(cycle: CycleId): { start: Date; end: Date } {
  const monday = isoWeekStart(cycle);
  return { start: shanghaiInstant(monday), end: shanghaiInstant(addDays(monday, 7)) };
}
