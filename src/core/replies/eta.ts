/**
 * Reading when an official expects to finish: `6月底`, `年底前`, `2027年3月31日前`, `二季度末`,
 * `下个月中旬`, `三天后`, `下周五`. The phrases of government writing are rules here; weekdays and
 * 明天/后天 go to chrono-node's zh.hans parser, which reads them well but misses the rest (it reads
 * 6月底 as the 6th's weekday-less "June", 年底 not at all) and costs ~40 µs a call, so it runs only
 * when a clause names a weekday or a day word.
 */
import { hans } from 'chrono-node/zh/hans';
import { readNumber } from './numbers.js';

/** A calendar day in Asia/Shanghai. */
export interface Day {
  y: number;
  m: number;
  d: number;
}

export interface EtaFound {
  day: Day;
  /** Which reader found it, for the benchmark's figures. */
  via: 'rules' | 'chrono';
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000; // China keeps no daylight saving time.

export function shanghaiDay(now: Date): Day {
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  return { y: local.getUTCFullYear(), m: local.getUTCMonth() + 1, d: local.getUTCDate() };
}

function lastDayOf(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function compareDays(a: Day, b: Day): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

export function formatDay(day: Day): string {
  return `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
}

function fromUtc(date: Date): Day {
  return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
}

function addDays(day: Day, days: number): Day {
  return fromUtc(new Date(Date.UTC(day.y, day.m - 1, day.d + days)));
}

/** The same day `months` later, clamped to the month's end (1月31日 + 1 month → 2月28日). */
function addMonths(day: Day, months: number): Day {
  const index = day.y * 12 + (day.m - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return { y, m, d: Math.min(day.d, lastDayOf(y, m)) };
}

function monthEnd(y: number, m: number): Day {
  return { y, m, d: lastDayOf(y, m) };
}

/** Working days skip weekends only; holidays are the calendar's business, not the reader's. */
function addWorkingDays(day: Day, n: number): Day {
  let current = day;
  let left = n;
  while (left > 0) {
    current = addDays(current, 1);
    const weekday = new Date(Date.UTC(current.y, current.m - 1, current.d)).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return current;
}

/** A date with no year that is already past means next year (said in December, `1月底` is next January). */
function rollForward(day: Day, today: Day, implied: boolean): Day {
  if (!implied || compareDays(day, today) >= 0) return day;
  const y = day.y + 1;
  return { y, m: day.m, d: day.m === 2 && day.d >= 28 ? lastDayOf(y, 2) : day.d };
}

/** `2026`, `今`/`本`, `明`, `后` → the year meant; undefined when none is written. */
function yearOf(written: string | undefined, today: Day): number | undefined {
  if (written === undefined || written === '') return undefined;
  if (/^\d{4}$/u.test(written)) return Number(written);
  if (written === '今' || written === '本') return today.y;
  if (written === '明' || written === '下' || written === '下一') return today.y + 1;
  if (written === '后') return today.y + 2;
  return undefined;
}

const N = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';
const YEAR = '(?:(\\d{4}|[今本明后]|下一?)年)?';

const R_ISO = /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/u;
const R_MONTH_DAY = new RegExp(`${YEAR}${N}月${N}[日号]`, 'u');
const R_MONTH_PART = new RegExp(`${YEAR}(?<![\\d个])${N}月份?(底|末|下旬|中旬|上旬|初|中|前|内)?`, 'u');
const R_YEAR_END = /(?:(\d{4}|[今本明后])年年?|年)(?:底|末|终|内)/u;
const R_HALF = /(?:(\d{4}|[今本明后])年)?(上半年|下半年|年中)/u;
const R_QUARTER = /(?:(\d{4}|[今本明后])年)?(?:第)?([一二三四1-4])季度?(末|底)?|(?<![a-z])q([1-4])(?!\d)/u;
const R_THIS_QUARTER = /(本|这个?|下一?个?)季度/u;
const R_REL_MONTH = new RegExp(
  `(本|这个?|当|下一?个?)月(底|末|下旬|中旬|上旬|初|中|内|份)?(?:${N}[日号])?`,
  'u',
);
const R_BARE_MONTH_END = /(?<![\d一二两三四五六七八九十个本这当下])月(底|末|内)/u;
const R_RELATIVE =
  /(?<!\d)(\d{1,3}|[一二两三四五六七八九十]{1,3}|半)(?:个(月)|个?(天|日|工作日|周|星期|礼拜|年))(后|内|之内|以内)/u;
const R_DAY_ONLY = new RegExp(`(?<![月\\d一二两三四五六七八九十])${N}(?:号|日前)`, 'u');
// 本周 alone dates a statement (本周无新进展); 本周内 and 下周 name a deadline.
const R_WEEK = /(本周|这周|下周)(内|末)|下周(?![一二三四五六日天1-7])/u;
const CHRONO_GATE = /明天|后天|今天|周[一二三四五六日天1-7]|星期|礼拜/u;

/** The first ETA phrase in `clause`, read relative to `today` (a day in Asia/Shanghai). */
export function findEta(clause: string, today: Day): EtaFound | null {
  const rules = readByRules(clause, today);
  if (rules !== null) return { day: rules, via: 'rules' };
  if (!CHRONO_GATE.test(clause)) return null;
  const day = readByChrono(clause, today);
  return day === null ? null : { day, via: 'chrono' };
}

function readByRules(clause: string, today: Day): Day | null {
  let m = R_ISO.exec(clause);
  if (m !== null) return validDay(Number(m[1]), Number(m[2]), Number(m[3]));

  m = R_MONTH_DAY.exec(clause);
  if (m !== null) {
    const year = yearOf(m[1], today);
    const month = readNumber(m[2] ?? '');
    const date = readNumber(m[3] ?? '');
    if (month === null || date === null) return null;
    const day = validDay(year ?? today.y, month, date);
    return day === null ? null : rollForward(day, today, year === undefined);
  }

  m = R_QUARTER.exec(clause);
  if (m !== null) {
    const year = yearOf(m[1], today);
    const q = readNumber(m[2] ?? m[4] ?? '');
    if (q === null || q < 1 || q > 4) return null;
    return rollForward(monthEnd(year ?? today.y, q * 3), today, year === undefined);
  }

  m = R_RELATIVE.exec(clause);
  if (m !== null) {
    const n = m[1] === '半' ? 0.5 : readNumber(m[1] ?? '');
    if (n === null || n > 400) return null;
    const unit = m[2] ?? m[3];
    if (unit === '工作日') return Number.isInteger(n) ? addWorkingDays(today, n) : null;
    if (unit === '周' || unit === '星期' || unit === '礼拜') return addDays(today, Math.round(n * 7));
    if (unit === '月') return n === 0.5 ? addDays(today, 15) : addMonths(today, n);
    if (unit === '年') return n === 0.5 ? addMonths(today, 6) : addMonths(today, n * 12);
    return Number.isInteger(n) ? addDays(today, n) : null;
  }

  m = R_MONTH_PART.exec(clause);
  if (m !== null) {
    const year = yearOf(m[1], today);
    const month = readNumber(m[2] ?? '');
    if (month === null || month < 1 || month > 12) return null;
    const y = year ?? today.y;
    const part = m[3];
    let day: Day;
    if (part === '前') {
      // 6月前: before June, so the end of May.
      day = month === 1 ? { y: y - 1, m: 12, d: 31 } : monthEnd(y, month - 1);
    } else {
      day = partOfMonth(y, month, part);
    }
    return rollForward(day, today, year === undefined);
  }

  m = R_HALF.exec(clause);
  if (m !== null) {
    const year = yearOf(m[1], today);
    const day = m[2] === '下半年' ? monthEnd(year ?? today.y, 12) : monthEnd(year ?? today.y, 6);
    return rollForward(day, today, year === undefined);
  }

  m = R_YEAR_END.exec(clause);
  if (m !== null) {
    const year = yearOf(m[1], today) ?? today.y;
    return { y: year, m: 12, d: 31 };
  }

  m = R_THIS_QUARTER.exec(clause);
  if (m !== null) {
    const q = Math.ceil(today.m / 3) + (m[1]?.startsWith('下') ? 1 : 0);
    return q > 4 ? monthEnd(today.y + 1, 3) : monthEnd(today.y, q * 3);
  }

  m = R_REL_MONTH.exec(clause);
  if (m !== null) {
    const next = m[1]?.startsWith('下') ?? false;
    const base = next ? addMonths({ y: today.y, m: today.m, d: 1 }, 1) : { y: today.y, m: today.m, d: 1 };
    if (m[3] !== undefined) {
      const date = readNumber(m[3]);
      return date === null ? null : validDay(base.y, base.m, date);
    }
    return partOfMonth(base.y, base.m, m[2]);
  }

  m = R_BARE_MONTH_END.exec(clause);
  if (m !== null) return monthEnd(today.y, today.m);

  m = R_WEEK.exec(clause);
  if (m !== null) {
    // A week's work ends on Friday; 周末 is Sunday. Weeks start on Monday.
    const weekday = new Date(Date.UTC(today.y, today.m - 1, today.d)).getUTCDay() || 7;
    const monday = addDays(today, 1 - weekday + (m[0].startsWith('下') ? 7 : 0));
    return addDays(monday, m[2] === '末' ? 6 : 4);
  }

  m = R_DAY_ONLY.exec(clause);
  if (m !== null) {
    const date = readNumber(m[1] ?? '');
    if (date === null || date < 1 || date > 31) return null;
    const thisMonth = validDay(today.y, today.m, date);
    if (thisMonth !== null && compareDays(thisMonth, today) >= 0) return thisMonth;
    const next = addMonths({ y: today.y, m: today.m, d: 1 }, 1);
    return validDay(next.y, next.m, date);
  }
  return null;
}

function partOfMonth(y: number, m: number, part: string | undefined): Day {
  switch (part) {
    case '上旬':
    case '初':
      return { y, m, d: 10 };
    case '中旬':
      return { y, m, d: 20 };
    case '中':
      return { y, m, d: 15 };
    default:
      // 底, 末, 下旬, 内, 份 or nothing: by the end of that month.
      return monthEnd(y, m);
  }
}

function validDay(y: number, m: number, d: number): Day | null {
  if (m < 1 || m > 12 || d < 1 || d > lastDayOf(y, m)) return null;
  return { y, m, d };
}

function readByChrono(clause: string, today: Day): Day | null {
  // Noon UTC of the Shanghai day: the same calendar day in any zone chrono may assume (±11 h).
  const reference = new Date(Date.UTC(today.y, today.m - 1, today.d, 12));
  const results = hans.parse(clause, reference, { forwardDate: true });
  const first = results[0];
  if (first === undefined) return null;
  const y = first.start.get('year');
  const m = first.start.get('month');
  const d = first.start.get('day');
  if (y === null || m === null || d === null) return null;
  return validDay(y, m, d);
}
