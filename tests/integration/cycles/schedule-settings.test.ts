import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  defaultScheduleSettings,
  loadScheduleSettings,
  parseScheduleSettings,
} from '../../../src/config/schedule.js';
import { DubanError } from '../../../src/core/errors.js';
import { projectRoot } from '../../../src/store/paths.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DubanError);
    expect((error as DubanError).code).toBe('config.schedule_invalid');
    return ((error as DubanError).details?.problems as string[] | undefined) ?? [(error as Error).message];
  }
  throw new Error('expected the settings to be refused');
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-schedule-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('config/schedule.json', () => {
  it('ships the defaults written out', () => {
    const shipped = loadScheduleSettings(join(projectRoot, 'config', 'schedule.json'));
    expect(shipped).toEqual(defaultScheduleSettings());
    expect(shipped.jobs.weeklyPrompt.cron).toBe('30 9 * * 1');
    expect(shipped.jobs.followUp.cron).toBe('0 10 * * 3');
    expect(shipped.jobs.leadersDigest.cron).toBe('0 17 * * 5');
    expect(shipped.quietHours).toEqual({ start: '20:00', end: '08:30' });
    expect(shipped.weeklyBudget).toBe(3);
    expect(shipped.dueReminderOffsets).toEqual([5, 1]);
  });

  it('gives the defaults when the file is missing, and fills in fields left out', () => {
    expect(loadScheduleSettings(join(dir, 'absent.json'))).toEqual(defaultScheduleSettings());
    const file = join(dir, 'schedule.json');
    writeFileSync(file, JSON.stringify({ weeklyBudget: 5, calendar: { extraHolidays: ['2027-10-01'] } }));
    const settings = loadScheduleSettings(file);
    expect(settings.weeklyBudget).toBe(5);
    expect(settings.calendar).toEqual({ extraHolidays: ['2027-10-01'], extraWorkdays: [] });
    expect(settings.jobs.escalation.cron).toBe('0 10 * * *');
  });

  it('names every wrong field and how to fix it', () => {
    const problems = problemsOf(() =>
      parseScheduleSettings({
        weeklyBudget: 0,
        quietHours: { start: '25:00' },
        jobs: { followUp: { cron: 'every wednesday', holidayPolicy: 'later' } },
        weeklybudget: 2,
      }),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/^weeklyBudget: .*To fix: write a whole number/m);
    expect(text).toMatch(/^quietHours\.start: expected HH:MM.*To fix: write a time/m);
    expect(text).toMatch(/^jobs\.followUp\.cron: .*To fix: write a 5-field cron expression/m);
    expect(text).toMatch(/^jobs\.followUp\.holidayPolicy: .*To fix: use "next_working_day"/m);
  });

  it('refuses an unknown setting instead of ignoring a typo', () => {
    const problems = problemsOf(() =>
      parseScheduleSettings({ weeklybudget: 2, jobs: { weeklyPrompts: {} } }),
    );
    expect(problems).toEqual([
      'weeklybudget: unknown setting. To fix: check the spelling or remove it',
      'jobs.weeklyPrompts: unknown setting. To fix: check the spelling or remove it',
    ]);
    expect(parseScheduleSettings({ _comment: 'documentation is allowed' })).toEqual(
      defaultScheduleSettings(),
    );
  });

  it('refuses an unknown field at any depth, and a wrong type, naming each', () => {
    const problems = problemsOf(() =>
      parseScheduleSettings({
        quietHours: { start: '20:00', ends: '08:30' },
        jobs: { weeklyPrompt: { catchUp: { withinMs: 60000, tries: 2 } } },
        escalationGrace: { groups: 1 },
      }),
    );
    expect(problems).toEqual([
      'quietHours.ends: unknown setting. To fix: check the spelling or remove it',
      'jobs.weeklyPrompt.catchUp.tries: unknown setting. To fix: check the spelling or remove it',
      'escalationGrace.groups: unknown setting. To fix: check the spelling or remove it',
    ]);
    expect(problemsOf(() => parseScheduleSettings({ quietHours: '20:00-08:30' }))).toEqual([
      expect.stringMatching(/^quietHours: .*To fix:/),
    ]);
  });

  it('refuses a date that does not exist and a day listed both off and on', () => {
    expect(
      problemsOf(() => parseScheduleSettings({ calendar: { extraHolidays: ['2027-02-30'] } })).join(),
    ).toMatch(/calendar: extraHolidays: "2027-02-30" is not a date/);
    expect(
      problemsOf(() =>
        parseScheduleSettings({ calendar: { extraHolidays: ['2027-10-01'], extraWorkdays: ['2027-10-01'] } }),
      ).join(),
    ).toMatch(/2027-10-01 is listed both/);
  });

  it('says which file is not JSON', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "weeklyBudget": 3, }');
    expect(() => loadScheduleSettings(file)).toThrow(/broken\.json: not valid JSON/);
  });
});
