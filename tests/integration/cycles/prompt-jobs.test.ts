import { afterEach, describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { scheduleSettingsSchema } from '../../../src/core/cycles/schedule-settings.js';
import { OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import { findDueRun } from '../../../src/scheduler/jobs.js';
import { closeDatabase } from '../../../src/store/database.js';
import { at, COORDINATORS_CHAT, cardText, chatOf, createWorld, rowDates, type World } from './world.js';

let world: World | undefined;
afterEach(() => {
  if (world) closeDatabase(world.db);
  world = undefined;
});

function open(options: Parameters<typeof createWorld>[0] = {}): World {
  world = createWorld(options);
  return world;
}

const nameOf = (w: World, id: number): string => {
  const agency = w.agencies.listAgencies().find((a) => a.id === id);
  if (!agency) throw new Error(`no agency ${id}`);
  return agency.name;
};

describe('follow-ups', () => {
  it('go only to the agencies that were prompted and have not answered, @-mentioning the contact', async () => {
    const w = open();
    await w.run('weeklyPrompt', '2026-11-23 09:30');
    const prompted = w.promptedAgencyIds();
    expect(prompted.length).toBeGreaterThan(10);
    expect(
      w.outbox
        .list({ kind: OUTBOX_KIND.prompt })
        .map((r) => r.agencyId)
        .sort((x, y) => (x ?? 0) - (y ?? 0)),
    ).toEqual(prompted);

    const [answered, silent] = prompted as [number, number];
    w.agencies.setAgencyContact({
      agency: nameOf(w, silent),
      contactOpenId: 'ou_contact_silent',
      ...w.ctx('2026-11-23 12:00'),
    });
    w.reply(answered, '2026-11-24 15:00');

    await w.run('followUp', '2026-11-25 10:00');
    const followUps = w.outbox.list({ kind: OUTBOX_KIND.followUp });
    expect(followUps.map((r) => r.agencyId)).toEqual(prompted.filter((id) => id !== answered));
    expect(followUps.every((r) => r.status === 'sent' && r.cycle === '2026-W48')).toBe(true);
    expect(w.sentTo(chatOf(answered)).some((m) => cardText(m).includes('催办提醒'))).toBe(false);

    const toSilent = w.sentTo(chatOf(silent)).filter((m) => cardText(m).includes('催办提醒'));
    expect(toSilent).toHaveLength(1);
    expect(cardText(toSilent[0])).toContain('<at id=ou_contact_silent></at>');
    const other = prompted[2] as number;
    const toOther = w.sentTo(chatOf(other)).find((m) => cardText(m).includes('催办提醒'));
    expect(cardText(toOther)).not.toContain('<at id=');

    const before = w.chat.sent.length;
    await w.run('followUp', '2026-11-25 10:05');
    expect(w.chat.sent.length).toBe(before);
  });

  it('are not sent to an agency whose prompt never went out', async () => {
    const w = open();
    await w.run('followUp', '2026-11-25 10:00');
    expect(w.outbox.list({ kind: OUTBOX_KIND.followUp })).toEqual([]);
    expect(w.chat.sent).toEqual([]);
  });
});

describe('the escalation ladder', () => {
  it('climbs on working days from the follow-up to the contact, the coordinators and the digest, and stops when a reply lands', async () => {
    const w = open();
    await w.run('weeklyPrompt', '2026-11-23 09:30');
    const [withContact, noContact] = w.promptedAgencyIds() as [number, number];
    w.agencies.setAgencyContact({
      agency: nameOf(w, withContact),
      contactOpenId: 'ou_contact_1',
      ...w.ctx('2026-11-23 12:00'),
    });
    await w.run('followUp', '2026-11-25 10:00');

    // Thursday: the contact is @-mentioned in the group; without a contact the coordinators hear.
    await w.run('escalation', '2026-11-26 10:00');
    const thursday = w.outbox
      .list({ kind: OUTBOX_KIND.escalation })
      .filter((r) => r.agencyId === withContact);
    expect(thursday.map((r) => r.key)).toEqual([`escalate:${withContact}:s2:20261126`]);
    expect(cardText(thursday[0]?.payload)).toContain('<at id=ou_contact_1></at>');
    expect(
      w.outbox
        .list({ kind: OUTBOX_KIND.escalationNotice })
        .filter((r) => r.agencyId === noContact)
        .map((r) => r.chatId),
    ).toEqual([COORDINATORS_CHAT]);

    // A second check the same day adds nothing.
    const sentThursday = w.chat.sent.length;
    await w.run('escalation', '2026-11-26 14:00');
    expect(w.chat.sent.length).toBe(sentThursday);

    // Friday: the contact's agency reaches the coordinators; the other reaches the leaders' digest.
    await w.run('escalation', '2026-11-27 10:00');
    expect(
      w.outbox
        .list({ kind: OUTBOX_KIND.escalationNotice })
        .filter((r) => r.agencyId === withContact)
        .map((r) => r.key),
    ).toEqual([`escalate:${withContact}:s4:20261127`]);
    const digest = w.scheduler.listDigestItems({ cycle: '2026-W48' });
    expect(digest.length).toBeGreaterThan(0);
    expect(digest.every((d) => d.agencyId !== withContact)).toBe(true);
    expect(digest.some((d) => d.agencyId === noContact && d.triggers.includes('silent'))).toBe(true);
    const noContactMessages = w.outbox.list().filter((r) => r.agencyId === noContact).length;

    // The reply lands Friday afternoon: Monday's check clears the ladder and sends nothing more.
    w.reply(withContact, '2026-11-27 15:00');
    const withContactTasks = w.tasks
      .listTasks()
      .filter((t) => t.agencyId === withContact)
      .map((t) => t.id);
    expect(withContactTasks.some((id) => w.scheduler.ladder().get(id)?.step === 'coordinators')).toBe(true);
    const rowsBefore = w.outbox.list().filter((r) => r.agencyId === withContact).length;
    await w.run('escalation', '2026-11-30 10:00');
    expect(w.outbox.list().filter((r) => r.agencyId === withContact).length).toBe(rowsBefore);
    expect(withContactTasks.some((id) => w.scheduler.ladder().has(id))).toBe(false);
    // The silent agency stays in the digest without more messages.
    expect(w.outbox.list().filter((r) => r.agencyId === noContact).length).toBe(noContactMessages);
  });

  it("sends a participant's overdue task to the group of the agency that leads the article", async () => {
    const w = open();
    const tasks = w.tasks.listTasks();
    const participant = tasks.find(
      (t) =>
        t.role === 'participant' &&
        t.agencyId !== null &&
        tasks.some((l) => l.articleId === t.articleId && l.role === 'lead' && l.agencyId !== t.agencyId),
    );
    if (!participant?.agencyId) throw new Error('the default decision has participants');
    const lead = tasks.find((l) => l.articleId === participant.articleId && l.role === 'lead');
    if (!lead?.agencyId) throw new Error('the article has a lead');
    w.setDue(participant.id, '2026-11-20');
    // The participant's agency keeps reporting on its other tasks, so only "overdue" drives the climb.
    await w.run('escalation', '2026-11-23 10:00'); // group rung (1 working day after the due date)
    await w.run('escalation', '2026-11-24 10:00'); // no contact: straight to the lead agency
    const toLead = w.outbox
      .list({ kind: OUTBOX_KIND.escalation })
      .filter((r) => r.chatId === chatOf(lead.agencyId as number));
    expect(toLead.map((r) => r.key)).toEqual([
      `escalate:${participant.agencyId}:s3:${lead.agencyId}:20261124`,
    ]);
    expect(cardText(toLead[0]?.payload)).toContain(`第${participant.articleNo}条`);
    expect(cardText(toLead[0]?.payload)).toContain('已逾期 4 天');
  });
});

describe('the weekly budget', () => {
  it('holds back what exceeds it until the next cycle and tells the coordinators once', async () => {
    const w = open({ settings: { weeklyBudget: 2 } });
    await w.run('weeklyPrompt', '2026-11-23 09:30');
    const [agency] = w.promptedAgencyIds() as [number];
    w.agencies.setAgencyContact({
      agency: nameOf(w, agency),
      contactOpenId: 'ou_contact_b',
      ...w.ctx('2026-11-23 12:00'),
    });
    await w.run('followUp', '2026-11-25 10:00');

    await w.run('escalation', '2026-11-26 10:00');
    await w.run('escalation', '2026-11-27 10:00');
    expect(w.outbox.list({ kind: OUTBOX_KIND.escalation }).filter((r) => r.agencyId === agency)).toEqual([]);
    const notices = w.outbox
      .list({ kind: OUTBOX_KIND.notice })
      .filter((r) => r.key === `budget:${agency}:2026-W48`);
    expect(notices).toHaveLength(1);
    const told = w.sentTo(COORDINATORS_CHAT).filter((m) => cardText(m).includes(nameOf(w, agency)));
    expect(told.filter((m) => cardText(m).includes('消息额度已用完'))).toHaveLength(1);

    // Next cycle the budget is fresh and the held-back rung goes out.
    await w.run('escalation', '2026-11-30 10:00');
    expect(
      w.outbox
        .list({ kind: OUTBOX_KIND.escalation })
        .filter((r) => r.agencyId === agency)
        .map((r) => [r.key, r.cycle]),
    ).toEqual([[`escalate:${agency}:s2:20261130`, '2026-W49']]);
  });
});

describe('pause', () => {
  it('skips a paused agency, and everything while all are paused, until resumed', async () => {
    const w = open();
    const [paused, other] = w.promptedAgencyIds() as [number, number];
    w.agencies.setAgencyPause({ agencyId: paused, paused: true, ...w.ctx('2026-11-20 12:00') });
    expect(w.scheduler.isPaused(paused)).toBe(true);
    expect(w.scheduler.isPaused(other)).toBe(false);

    await w.run('weeklyPrompt', '2026-11-23 09:30');
    expect(w.outbox.list({ kind: OUTBOX_KIND.prompt }).some((r) => r.agencyId === paused)).toBe(false);
    expect(w.outbox.list({ kind: OUTBOX_KIND.prompt }).some((r) => r.agencyId === other)).toBe(true);

    w.scheduler.setGlobalPause({ paused: true, ...w.ctx('2026-11-24 12:00') });
    expect(w.scheduler.isPaused(other)).toBe(true);
    const dueTask = w.tasks.listTasks().find((t) => t.agencyId === other);
    w.setDue(dueTask?.id as number, '2026-11-26'); // 1 working day after Wednesday
    const sent = w.chat.sent.length;
    await w.run('followUp', '2026-11-25 10:00');
    await w.run('dueReminders', '2026-11-25 09:00');
    await w.run('escalation', '2026-11-27 10:00');
    expect(w.chat.sent.length).toBe(sent);
    expect(
      w.outbox.list().filter((r) => r.kind !== OUTBOX_KIND.prompt && r.kind !== OUTBOX_KIND.promptPage),
    ).toEqual([]);

    w.scheduler.setGlobalPause({ paused: false, ...w.ctx('2026-11-26 09:00') });
    await w.run('followUp', '2026-11-26 10:00');
    const followed = w.outbox.list({ kind: OUTBOX_KIND.followUp }).map((r) => r.agencyId);
    expect(followed).toContain(other);
    expect(followed).not.toContain(paused);
    const audit = w.db.$client
      .prepare("SELECT action FROM audit_events WHERE entity = 'settings' ORDER BY id")
      .pluck()
      .all();
    expect(audit).toEqual(['paused_all', 'resumed_all']);
  });
});

describe('due-date reminders', () => {
  it('land 5 and 1 working days before the due date around the 2026 National Day holiday', async () => {
    const w = open();
    const tasks = w.tasks.listTasks();
    const [first, second] = w.promptedAgencyIds() as [number, number];
    const taskF = tasks.find((t) => t.agencyId === first);
    const taskG = tasks.find((t) => t.agencyId === second);
    w.setDue(taskF?.id as number, '2026-10-12'); // Monday after the holiday
    w.setDue(taskG?.id as number, '2026-10-09'); // Friday after the holiday

    const calendar = createWorkingCalendar();
    const job = scheduleSettingsSchema.parse({}).jobs.dueReminders;
    const fired: string[] = [];
    for (let day = new Date(at('2026-09-18 09:00')); day <= at('2026-10-12 09:00'); ) {
      const local = day.toISOString().slice(0, 10); // 09:00 Shanghai is 01:00 UTC: same date
      const due = findDueRun({
        job,
        now: at(`${local} 09:05`),
        lastRun: null,
        calendar,
        quietHours: { start: 20 * 60, end: 8 * 60 + 30 },
      });
      if (due) {
        fired.push(local);
        await w.run('dueReminders', `${local} 09:00`);
      }
      day = new Date(day.getTime() + 24 * 3600 * 1000);
    }
    // The job itself runs on the make-up Sunday 9/20 and Saturday 10/10, and not during the holiday.
    expect(fired).toContain('2026-09-20');
    expect(fired).toContain('2026-10-10');
    expect(fired.filter((d) => d >= '2026-10-01' && d <= '2026-10-07')).toEqual([]);

    expect(rowDates(w.outbox, OUTBOX_KIND.dueReminder, first)).toEqual(['2026-09-29', '2026-10-10']);
    expect(rowDates(w.outbox, OUTBOX_KIND.dueReminder, second)).toEqual(['2026-09-24', '2026-10-08']);
    const lastForFirst = w.outbox.findByKey(`due:${first}:20261010`);
    expect(cardText(lastForFirst?.payload)).toContain('2026-10-12 到期（还有 1 个工作日）');
    expect(w.sentTo(chatOf(first)).filter((m) => cardText(m).includes('到期提醒'))).toHaveLength(2);
  });
});

describe('a year the calendar does not cover', () => {
  it('warns the coordinators once, from December before it', async () => {
    const w = open();
    await w.run('escalation', '2026-12-07 10:00');
    await w.run('dueReminders', '2027-01-04 09:00');
    await w.run('escalation', '2027-01-05 10:00');
    await w.run('followUp', '2027-01-06 10:00');
    await w.run('weeklyPrompt', '2027-01-11 09:30');
    expect(w.outbox.findByKey('calendar:2027')?.status).toBe('sent');
    expect(w.outbox.findByKey('calendar:2026')).toBeUndefined();
    const warnings = w.sentTo(COORDINATORS_CHAT).filter((m) => cardText(m).includes('2027'));
    expect(warnings).toHaveLength(1);
    expect(cardText(warnings[0])).toContain('calendar.extraHolidays');
  });

  it('says nothing in a covered year before December', async () => {
    const w = open();
    await w.run('escalation', '2026-11-30 10:00');
    expect(w.outbox.findByKey('calendar:2027')).toBeUndefined();
  });
});
