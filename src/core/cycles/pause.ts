import type { LocalDate } from './time.js';

/** A pause as stored: on or off, and (when on) the last paused day or null for "until resumed". */
export interface PauseSetting {
  paused: boolean;
  pausedUntil: LocalDate | null;
}

/**
 * Whether a pause holds on `today` (`YYYY-MM-DD`, Asia/Shanghai). The end date is inclusive: a pause
 * until 2026-10-08 still holds on the 8th and is over on the 9th. Dates in that form compare as text.
 */
export function pauseInEffect(pause: PauseSetting, today: LocalDate): boolean {
  if (!pause.paused) return false;
  return pause.pausedUntil === null || today <= pause.pausedUntil;
}
