/**
 * Scoring periods, named as people write them: a month `2026-11`, a quarter `2026-Q4`, a year
 * `2026`. Bounds are Shanghai calendar dates, both inclusive.
 */
import { addDays, type LocalDate, parseLocalDate } from '../cycles/time.js';
import { DubanError } from '../errors.js';
import type { ScorePeriodKind } from './rules.js';

export interface ScorePeriod {
  /** As written: `2026-11`, `2026-Q4`, `2026`. */
  key: string;
  kind: ScorePeriodKind;
  start: LocalDate;
  end: LocalDate;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function monthsPeriod(key: string, kind: ScorePeriodKind, year: number, first: number, months: number) {
  const next =
    first + months > 12 ? `${pad(year + 1, 4)}-01-01` : `${pad(year, 4)}-${pad(first + months)}-01`;
  return { key, kind, start: `${pad(year, 4)}-${pad(first)}-01`, end: addDays(next, -1) };
}

/** Reads `2026-11`, `2026-Q4` (or `2026q4`) or `2026`; anything else is a DubanError saying how to write it. */
export function parseScorePeriod(text: string): ScorePeriod {
  const value = text.trim();
  const month = /^(\d{4})-(\d{2})$/.exec(value);
  if (month) {
    const m = Number(month[2]);
    if (m >= 1 && m <= 12) return monthsPeriod(value, 'month', Number(month[1]), m, 1);
  }
  const quarter = /^(\d{4})-?[Qq]([1-4])$/.exec(value);
  if (quarter) {
    const year = Number(quarter[1]);
    const q = Number(quarter[2]);
    return monthsPeriod(`${year}-Q${q}`, 'quarter', year, (q - 1) * 3 + 1, 3);
  }
  const year = /^(\d{4})$/.exec(value);
  if (year) return monthsPeriod(value, 'year', Number(year[1]), 1, 12);
  throw new DubanError('scoring.bad_period', `Not a scoring period: ${JSON.stringify(text)}.`, {
    hint: 'Write a month as 2026-11, a quarter as 2026-Q4, or a year as 2026.',
    details: { period: text },
  });
}

/** The period of `kind` that holds `date`, e.g. the quarter of 2026-11-23 is 2026-Q4. */
export function scorePeriodOf(date: LocalDate, kind: ScorePeriodKind): ScorePeriod {
  const { year, month } = parseLocalDate(date);
  if (kind === 'year') return parseScorePeriod(pad(year, 4));
  if (kind === 'month') return parseScorePeriod(`${pad(year, 4)}-${pad(month)}`);
  return parseScorePeriod(`${pad(year, 4)}-Q${Math.floor((month - 1) / 3) + 1}`);
}

/** The period just before, of the same kind: what a score's change is measured against. */
export function previousScorePeriod(period: ScorePeriod): ScorePeriod {
  return scorePeriodOf(addDays(period.start, -1), period.kind);
}
