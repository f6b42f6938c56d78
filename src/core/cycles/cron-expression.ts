/**
 * A small evaluator for 5-field cron expressions (minute hour day-of-month month day-of-week) on
 * Shanghai wall-clock time. node-cron 4 can only look forward (`getNextRun`), and catching up a missed
 * run needs "the latest fire time before now", so the schedule logic evaluates expressions itself.
 * Supported: `*`, numbers, `a-b`, lists, steps (`*\/n`, `a-b/n`, `a/n`), and three-letter month and
 * day names. As in standard cron, when both day fields are restricted a day matching either fires.
 */
import { DubanError } from '../errors.js';
import { addDays, type LocalDate, parseLocalDate, shanghaiDate, shanghaiInstant, weekdayOf } from './time.js';

export interface CronExpression {
  source: string;
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function invalid(source: string, why: string): DubanError {
  return new DubanError(
    'schedule.invalid_cron',
    `Invalid cron expression ${JSON.stringify(source)}: ${why}`,
    {
      hint: 'Use five fields: minute hour day-of-month month day-of-week, e.g. "30 9 * * 1" for Monday 09:30.',
    },
  );
}

function parseField(
  source: string,
  field: string,
  min: number,
  max: number,
  names: readonly string[] | null,
  nameBase: number,
): Set<number> {
  const values = new Set<number>();
  const atom = (text: string): number => {
    const lower = text.toLowerCase();
    const named = names?.indexOf(lower) ?? -1;
    if (named >= 0) return named + nameBase;
    if (!/^\d+$/.test(text)) throw invalid(source, `${JSON.stringify(text)} is not a number`);
    const n = Number(text);
    if (n < min || n > max) throw invalid(source, `${n} is outside ${min}-${max}`);
    return n;
  };
  for (const part of field.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || range === '' || extra !== undefined)
      throw invalid(source, `bad list item "${part}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) throw invalid(source, `bad step "${stepText}"`);
      step = Number(stepText);
    }
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (a === undefined || b === undefined || more !== undefined)
        throw invalid(source, `bad range "${range}"`);
      lo = atom(a);
      hi = atom(b);
      if (lo > hi) throw invalid(source, `range "${range}" runs backwards`);
    } else {
      lo = atom(range);
      hi = stepText === undefined ? lo : max;
    }
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}

export function parseCronExpression(source: string): CronExpression {
  const fields = source.trim().split(/\s+/);
  if (fields.length !== 5) throw invalid(source, `expected 5 fields, got ${fields.length}`);
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const daysOfWeek = parseField(source, dow, 0, 7, DAYS, 0);
  if (daysOfWeek.has(7)) {
    daysOfWeek.delete(7);
    daysOfWeek.add(0);
  }
  return {
    source,
    minutes: parseField(source, minute, 0, 59, null, 0),
    hours: parseField(source, hour, 0, 23, null, 0),
    daysOfMonth: parseField(source, dom, 1, 31, null, 0),
    months: parseField(source, month, 1, 12, MONTHS, 1),
    daysOfWeek,
    domRestricted: !dom.startsWith('*'),
    dowRestricted: !dow.startsWith('*'),
  };
}

/** Whether the expression fires on a Shanghai date (at some time of that day). */
function cronMatchesDate(expr: CronExpression, date: LocalDate): boolean {
  const { month, day } = parseLocalDate(date);
  if (!expr.months.has(month)) return false;
  const domOk = expr.daysOfMonth.has(day);
  const dowOk = expr.daysOfWeek.has(weekdayOf(date));
  if (expr.domRestricted && expr.dowRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

/** The minutes of a day (since midnight) at which the expression fires, ascending. */
function cronTimesOfDay(expr: CronExpression): number[] {
  const times: number[] = [];
  for (const h of [...expr.hours].sort((a, b) => a - b)) {
    for (const m of [...expr.minutes].sort((a, b) => a - b)) times.push(h * 60 + m);
  }
  return times;
}

/** Fire times `t` with `from ≤ t ≤ to`, ascending, as instants (the expression read in Shanghai time). */
export function cronOccurrences(expr: CronExpression, from: Date, to: Date): Date[] {
  const times = cronTimesOfDay(expr);
  const out: Date[] = [];
  const toDate = shanghaiDate(to);
  for (let date = shanghaiDate(from); date <= toDate; date = addDays(date, 1)) {
    if (!cronMatchesDate(expr, date)) continue;
    for (const minute of times) {
      const at = shanghaiInstant(date, minute);
      if (at >= from && at <= to) out.push(at);
    }
  }
  return out;
}
