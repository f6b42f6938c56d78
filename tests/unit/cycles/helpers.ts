import { parseClockTime, shanghaiInstant } from '../../../src/core/cycles/time.js';

/** `at('2026-10-08 09:30')`: that wall-clock time in Shanghai, as an instant. */
export function at(local: string): Date {
  const [date, time = '00:00'] = local.split(' ');
  return shanghaiInstant(date as string, parseClockTime(time));
}
