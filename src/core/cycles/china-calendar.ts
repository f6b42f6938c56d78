/**
 * China's working-day calendar on the `chinese-days` data (the State Council's schedule, one year at a
 * time), with config overrides. Pure: it reads the package's bundled data and its inputs, nothing else.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { DubanError } from '../errors.js';
import type { WorkingCalendar } from './calendar.js';
import { addDays, type LocalDate, parseLocalDate, weekdayOf } from './time.js';

/** The package's data: date → "English name,中文名,days". */
interface HolidayData {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
}

export interface CreateWorkingCalendarOptions {
  /** Extra days off (YYYY-MM-DD), e.g. next year's holidays before the package knows them. */
  extraHolidays?: readonly string[];
  /** Extra working days (YYYY-MM-DD), e.g. next year's make-up weekend days. */
  extraWorkdays?: readonly string[];
  /** Called once per year the calendar does not cover, the first time a date in it is asked about. */
  onUncoveredYear?: (year: number) => void;
  /** The holiday data; defaults to the `chinese-days` package's. */
  data?: HolidayData;
}

export interface ChinaWorkingCalendar extends WorkingCalendar {
  /** The day before `date` that is a working day. */
  previousWorkingDay(date: LocalDate): LocalDate;
  /** The years the package's data covers (not counting config), ascending. */
  packageYears(): number[];
  /** The holiday's name from the data (e.g. `National Day,国庆节,3`), or null. */
  describe(date: LocalDate): string | null;
}

/** Longest run of days off the walk will cross before deciding the config is wrong. */
const MAX_WALK_DAYS = 366;

const chineseDaysHolidayData: HolidayData = chineseDaysData as unknown as HolidayData;

function yearsOf(record: Readonly<Record<string, string>>): Set<number> {
  const years = new Set<number>();
  for (const date of Object.keys(record)) years.add(Number(date.slice(0, 4)));
  return years;
}

function checkedDates(values: readonly string[] | undefined, setting: string): Set<string> {
  const set = new Set<string>();
  for (const value of values ?? []) {
    try {
      parseLocalDate(value);
    } catch (cause) {
      throw new DubanError(
        'config.invalid_calendar_date',
        `${setting}: ${JSON.stringify(value)} is not a date`,
        {
          hint: 'Write dates as YYYY-MM-DD, e.g. 2027-10-01.',
          cause,
        },
      );
    }
    set.add(value);
  }
  return set;
}

export function createWorkingCalendar(options: CreateWorkingCalendarOptions = {}): ChinaWorkingCalendar {
  const data = options.data ?? chineseDaysHolidayData;
  const extraHolidays = checkedDates(options.extraHolidays, 'extraHolidays');
  const extraWorkdays = checkedDates(options.extraWorkdays, 'extraWorkdays');
  for (const date of extraHolidays) {
    if (extraWorkdays.has(date)) {
      throw new DubanError(
        'config.calendar_conflict',
        `${date} is listed both as an extra holiday and as an extra working day`,
        { hint: 'Keep the date in one of the two lists.' },
      );
    }
  }

  const packageYears = yearsOf(data.holidays);
  for (const year of yearsOf(data.workdays)) packageYears.add(year);
  const configYears = yearsOf(Object.fromEntries([...extraHolidays, ...extraWorkdays].map((d) => [d, ''])));
  const reported = new Set<number>();

  const covers = (year: number): boolean => packageYears.has(year) || configYears.has(year);

  const isWorkingDay = (date: LocalDate): boolean => {
    const { year } = parseLocalDate(date);
    if (extraWorkdays.has(date)) return true;
    if (extraHolidays.has(date)) return false;
    if (!covers(year) && !reported.has(year)) {
      reported.add(year);
      options.onUncoveredYear?.(year);
    }
    if (data.workdays[date] !== undefined) return true;
    if (data.holidays[date] !== undefined) return false;
    const weekday = weekdayOf(date);
    return weekday >= 1 && weekday <= 5;
  };

  const isHoliday = (date: LocalDate): boolean => {
    parseLocalDate(date);
    if (extraHolidays.has(date)) return true;
    if (extraWorkdays.has(date)) return false;
    return data.holidays[date] !== undefined;
  };

  const walk = (date: LocalDate, step: 1 | -1): LocalDate => {
    let day = date;
    for (let i = 0; i < MAX_WALK_DAYS; i += 1) {
      day = addDays(day, step);
      if (isWorkingDay(day)) return day;
    }
    throw new DubanError('calendar.no_working_day', `No working day within a year of ${date}`, {
      hint: 'Check the extra holidays in the calendar config.',
    });
  };

  const nextWorkingDay = (date: LocalDate): LocalDate => walk(date, 1);
  const previousWorkingDay = (date: LocalDate): LocalDate => walk(date, -1);

  const addWorkingDays = (date: LocalDate, n: number): LocalDate => {
    if (!Number.isInteger(n)) {
      throw new DubanError('calendar.invalid_offset', `Not a whole number of working days: ${n}`);
    }
    if (n === 0) return isWorkingDay(date) ? date : nextWorkingDay(date);
    let day = date;
    for (let i = 0; i < Math.abs(n); i += 1) day = n > 0 ? nextWorkingDay(day) : previousWorkingDay(day);
    return day;
  };

  return {
    isWorkingDay,
    isHoliday,
    nextWorkingDay,
    previousWorkingDay,
    addWorkingDays,
    covers,
    packageYears: () => [...packageYears].sort((a, b) => a - b),
    describe: (date) => {
      parseLocalDate(date);
      return data.holidays[date] ?? data.workdays[date] ?? null;
    },
  };
}
