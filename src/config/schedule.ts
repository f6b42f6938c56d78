import type { z } from 'zod';
import { createWorkingCalendar } from '../core/cycles/china-calendar.js';
import { type ScheduleSettings, scheduleSettingsSchema } from '../core/cycles/schedule-settings.js';
import { DubanError, isDubanError } from '../core/errors.js';
import { readJsonConfigFile } from './json-file.js';

/** What to write for each field; looked up by the path's last named segment. */
const FIXES: Record<string, string> = {
  start: 'write a time as "HH:MM", e.g. "20:00"',
  end: 'write a time as "HH:MM", e.g. "08:30"',
  extraHolidays: 'list days off as "YYYY-MM-DD" strings, e.g. ["2027-10-01"]',
  extraWorkdays: 'list make-up working days as "YYYY-MM-DD" strings, e.g. ["2027-09-26"]',
  cron: 'write a 5-field cron expression read in Asia/Shanghai, e.g. "30 9 * * 1" for Monday 09:30',
  holidayPolicy:
    'use "next_working_day" (move a run off a holiday to the next working day), "last_working_day_of_week" (to the last working day of its week) or "skip"',
  catchUp: 'use "same_day", "same_week" or { "withinMs": 3600000 }',
  withinMs: 'write a positive whole number of milliseconds',
  weeklyBudget: 'write a whole number of messages per agency per week, at least 1 (default 3)',
  dueReminderOffsets: 'list working days before the due date as positive whole numbers, e.g. [5, 1]',
  followUpMinWorkingDaysAfterPrompt: 'write a whole number of working days, 0 or more (default 1)',
  group: 'write a whole number of working days, 0 or more (default 1)',
  contact: 'write a whole number of working days, 0 or more (default 1)',
  lead_agency: 'write a whole number of working days, 0 or more (default 1)',
  coordinators: 'write a whole number of working days, 0 or more (default 1)',
  digest: 'write a whole number of working days, 0 or more (default 1)',
};

function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? '(the whole file)' : path.map(String).join('.');
}

function fixFor(path: ReadonlyArray<PropertyKey>): string {
  const named = [...path].reverse().find((p) => typeof p === 'string');
  return (named !== undefined && FIXES[named]) || 'remove the field to use its default';
}

/** Keys the schema does not know (a typo such as "weeklybudget" would otherwise be ignored silently). */
function unknownKeys(raw: unknown, parsed: unknown, path: string[] = []): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    // "_comment" or "$schema" style keys document the file.
    if (key.startsWith('_') || key.startsWith('$')) continue;
    if (!(key in parsed)) found.push([...path, key].join('.'));
    else found.push(...unknownKeys(value, (parsed as Record<string, unknown>)[key], [...path, key]));
  }
  return found;
}

function invalid(source: string, problems: string[]): DubanError {
  return new DubanError('config.schedule_invalid', `${source}:\n${problems.join('\n')}`, {
    hint: 'Each line names the setting and how to fix it; remove a setting to use its default.',
    details: { problems },
  });
}

/** Validates parsed JSON as the schedule settings (defaults filled in). */
export function parseScheduleSettings(data: unknown, source = 'config/schedule.json'): ScheduleSettings {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(source, [
      '(the whole file): expected an object. To fix: write { "jobs": { … }, "quietHours": { … }, … } or {} for the defaults',
    ]);
  }
  const parsed = scheduleSettingsSchema.safeParse(data);
  if (!parsed.success) {
    throw invalid(
      source,
      parsed.error.issues.map(
        (issue: z.core.$ZodIssue) =>
          `${fieldPath(issue.path)}: ${issue.message}. To fix: ${fixFor(issue.path)}`,
      ),
    );
  }
  const problems = unknownKeys(data, parsed.data).map(
    (path) => `${path}: unknown setting. To fix: check the spelling or remove it`,
  );
  try {
    // The calendar checks the dates are real days and that no day is both off and on.
    createWorkingCalendar({
      extraHolidays: parsed.data.calendar.extraHolidays,
      extraWorkdays: parsed.data.calendar.extraWorkdays,
    });
  } catch (error) {
    if (!isDubanError(error)) throw error;
    problems.push(`calendar: ${error.message}. To fix: ${error.hint ?? 'correct the date lists'}`);
  }
  if (problems.length > 0) throw invalid(source, problems);
  return parsed.data;
}

/** The defaults, as written out in config/schedule.json. */
export function defaultScheduleSettings(): ScheduleSettings {
  return scheduleSettingsSchema.parse({});
}

/** Reads config/schedule.json; a missing file gives the defaults, anything wrong a DubanError. */
export function loadScheduleSettings(path: string): ScheduleSettings {
  const data = readJsonConfigFile({
    path,
    code: 'config.schedule_invalid',
    what: 'the schedule settings',
    unreadableHint: 'Check the file permissions, or set DUBAN_SCHEDULE_FILE to another path.',
    missingIsUndefined: true,
  });
  return data === undefined ? defaultScheduleSettings() : parseScheduleSettings(data, path);
}
