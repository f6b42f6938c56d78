import { describe, expect, it } from 'vitest';
import { scheduleSettingsSchema } from '../../src/core/cycles/schedule-settings.js';
import {
  AGENCY_KINDS,
  BUDGET_KINDS,
  INSTRUCTION_STATUSES,
  isClosedTask,
  isOpenTask,
  JOB_NAMES,
  OUTBOX_KINDS,
  OUTBOX_STATUSES,
  PERSON_ROLES,
  SPECIAL_CHAT_ROLES,
  TASK_ROLES,
  TASK_STATUSES,
  taskStatusSchema,
} from '../../src/core/vocabulary.js';

describe('the vocabulary', () => {
  it('keeps the spellings existing databases hold', () => {
    expect(TASK_STATUSES).toEqual(['not_started', 'in_progress', 'reported_done', 'verified', 'returned']);
    expect(TASK_ROLES).toEqual(['lead', 'participant']);
    expect(PERSON_ROLES).toEqual(['coordinator', 'leader', 'official']);
    expect(SPECIAL_CHAT_ROLES).toEqual(['coordinators', 'leaders']);
    expect(AGENCY_KINDS).toEqual(['department', 'district', 'external', 'collective']);
    expect(OUTBOX_STATUSES).toEqual(['pending', 'sending', 'sent', 'failed']);
    expect(INSTRUCTION_STATUSES).toEqual(['pending', 'confirmed', 'rejected']);
    expect([...OUTBOX_KINDS].sort()).toEqual(
      [
        'digest',
        'due_reminder',
        'escalation',
        'escalation_notice',
        'follow_up',
        'instruction',
        'notice',
        'prompt',
        'prompt_page',
        'review',
        'silent_participants',
      ].sort(),
    );
  });

  it('names each job by its config/schedule.json key and records it under its run-log name', () => {
    expect(JOB_NAMES).toEqual({
      weeklyPrompt: 'weekly_prompt',
      followUp: 'follow_up',
      dueReminders: 'due_reminders',
      escalation: 'escalation_check',
      leadersDigest: 'leaders_digest',
    });
    expect(Object.keys(scheduleSettingsSchema.parse({}).jobs).sort()).toEqual(Object.keys(JOB_NAMES).sort());
  });

  it("spends an agency's budget on prompts, follow-ups, escalations, due reminders and silent-participant flags only", () => {
    expect([...BUDGET_KINDS].sort()).toEqual([
      'due_reminder',
      'escalation',
      'follow_up',
      'prompt',
      'silent_participants',
    ]);
  });

  it('refuses a status the ledger does not know', () => {
    expect(taskStatusSchema.safeParse('done').success).toBe(false);
    expect(taskStatusSchema.parse('reported_done')).toBe('reported_done');
  });

  it('calls a task open while the agency still owes progress on it', () => {
    expect(isOpenTask({ status: 'not_started' })).toBe(true);
    expect(isOpenTask({ status: 'in_progress', removedAt: null })).toBe(true);
    expect(isOpenTask({ status: 'returned' })).toBe(true);
    expect(isOpenTask({ status: 'reported_done' })).toBe(false);
    expect(isOpenTask({ status: 'verified' })).toBe(false);
    expect(isOpenTask({ status: 'in_progress', removedAt: '2026-11-02T00:00:00.000Z' })).toBe(false);
  });

  it('calls a task closed once verified or removed, and a task reported done neither open nor closed', () => {
    expect(isClosedTask({ status: 'verified', removedAt: null })).toBe(true);
    expect(isClosedTask({ status: 'in_progress', removedAt: '2026-11-02T00:00:00.000Z' })).toBe(true);
    expect(isClosedTask({ status: 'reported_done', removedAt: null })).toBe(false);
    expect(isOpenTask({ status: 'reported_done', removedAt: null })).toBe(false);
    expect(isClosedTask({ status: 'returned' })).toBe(false);
  });
});
