/**
 * The schedule settings (config/schedule.json) as data: a zod schema with every default. The config
 * loader reads the file and words the problems; the scheduler and the use cases only read the result.
 */
import { z } from 'zod';
import type { JobKey } from '../vocabulary.js';
import { parseCronExpression } from './cron-expression.js';
import { DEFAULT_DUE_REMINDER_OFFSETS } from './due-reminders.js';
import { DEFAULT_ESCALATION_GRACE } from './escalation.js';
import { HOLIDAY_POLICIES, type HolidayPolicy, parseQuietHours, type QuietHours } from './schedule.js';

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM, e.g. 08:30');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const catchUpSchema = z.union([
  z.literal('same_day'),
  z.literal('same_week'),
  z.object({ withinMs: z.number().int().positive() }),
]);

function jobSettings(cron: string, holidayPolicy: HolidayPolicy, catchUp: 'same_day' | 'same_week') {
  return z
    .object({
      cron: z
        .string()
        .default(cron)
        .refine((value) => {
          try {
            parseCronExpression(value);
            return true;
          } catch {
            return false;
          }
        }, 'expected a 5-field cron expression, e.g. "30 9 * * 1"'),
      holidayPolicy: z.enum(HOLIDAY_POLICIES).default(holidayPolicy),
      catchUp: catchUpSchema.default(catchUp),
    })
    .prefault({});
}

/** One entry per job, under its config key (see JOB_NAMES for the name the run log uses). */
const jobsSettings = {
  weeklyPrompt: jobSettings('30 9 * * 1', 'next_working_day', 'same_week'),
  followUp: jobSettings('0 10 * * 3', 'next_working_day', 'same_week'),
  // Daily checks run on working days only (调休 Saturdays included), hence `skip`.
  dueReminders: jobSettings('0 9 * * *', 'skip', 'same_day'),
  escalation: jobSettings('0 10 * * *', 'skip', 'same_day'),
  // A holiday Friday's digest goes out on the week's last working day, before the break.
  leadersDigest: jobSettings('0 17 * * 5', 'last_working_day_of_week', 'same_week'),
} satisfies Record<JobKey, ReturnType<typeof jobSettings>>;

/** The schedule section of the config; every field has a default. */
export const scheduleSettingsSchema = z
  .object({
    quietHours: z
      .object({
        start: clockTime.default('20:00'),
        end: clockTime.default('08:30'),
      })
      .prefault({}),
    calendar: z
      .object({
        extraHolidays: z.array(isoDate).default([]),
        extraWorkdays: z.array(isoDate).default([]),
      })
      .prefault({}),
    jobs: z.object(jobsSettings).prefault({}),
    weeklyBudget: z.number().int().min(1).default(3),
    dueReminderOffsets: z.array(z.number().int().positive()).default([...DEFAULT_DUE_REMINDER_OFFSETS]),
    followUpMinWorkingDaysAfterPrompt: z.number().int().min(0).default(1),
    escalationGrace: z
      .object({
        group: z.number().int().min(0).default(DEFAULT_ESCALATION_GRACE.group),
        contact: z.number().int().min(0).default(DEFAULT_ESCALATION_GRACE.contact),
        lead_agency: z.number().int().min(0).default(DEFAULT_ESCALATION_GRACE.lead_agency),
        coordinators: z.number().int().min(0).default(DEFAULT_ESCALATION_GRACE.coordinators),
        digest: z.number().int().min(0).default(DEFAULT_ESCALATION_GRACE.digest),
      })
      .prefault({}),
  })
  .prefault({});

export type ScheduleSettings = z.infer<typeof scheduleSettingsSchema>;

export function quietHoursOf(settings: Pick<ScheduleSettings, 'quietHours'>): QuietHours {
  return parseQuietHours(settings.quietHours);
}
