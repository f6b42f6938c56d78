import { afterEach, describe, expect, it } from 'vitest';
import { BUDGET_KINDS, OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import { closeDatabase } from '../../../src/store/database.js';
import { cardText, chatOf, createWorld, type World } from './world.js';

let world: World | undefined;
afterEach(() => {
  if (world) closeDatabase(world.db);
  world = undefined;
});

/** A participant's task of an article whose lead is another agency. */
function participantAndLead(w: World) {
  const tasks = w.tasks.listTasks();
  for (const task of tasks) {
    if (task.role !== 'participant' || task.agencyId === null) continue;
    const lead = tasks.find(
      (x) => x.articleId === task.articleId && x.role === 'lead' && x.agencyId !== null,
    );
    if (lead && lead.agencyId !== task.agencyId) return { task, lead };
  }
  throw new Error('the default decision has no participant');
}

describe("the follow-up job's silent-participant step", () => {
  it('flags participants silent for two prompt cycles to the lead, once, within its weekly budget', async () => {
    const w = createWorld();
    world = w;
    const { task, lead } = participantAndLead(w);
    const name = (id: number) => w.agencies.listAgencies().find((a) => a.id === id)?.name as string;

    await w.run('weeklyPrompt', '2026-11-16 09:30');
    await w.run('followUp', '2026-11-18 10:00');
    // One cycle of silence is not yet two.
    expect(w.outbox.list({ kind: OUTBOX_KIND.silentParticipants })).toEqual([]);

    await w.run('weeklyPrompt', '2026-11-23 09:30');
    await w.run('followUp', '2026-11-25 10:00');
    const flags = w.outbox.list({ kind: OUTBOX_KIND.silentParticipants });
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.every((row) => row.status === 'sent' && row.cycle === '2026-W48')).toBe(true);
    // One message per lead agency and cycle.
    const leads = flags.map((row) => row.agencyId);
    expect(new Set(leads).size).toBe(leads.length);
    const toLead = w
      .sentTo(chatOf(lead.agencyId as number))
      .filter((m) => cardText(m).includes('参与单位未反馈'));
    expect(toLead).toHaveLength(1);
    expect(cardText(toLead[0])).toContain(name(task.agencyId as number));
    expect(cardText(toLead[0])).toContain(`第${task.articleNo}条`);
    // Inside the weekly budget: nobody got more than three budgeted messages this cycle.
    for (const count of w.outbox.countByAgency({ cycle: '2026-W48', kinds: BUDGET_KINDS }).values())
      expect(count).toBeLessThanOrEqual(3);

    const before = w.chat.sent.length;
    await w.run('followUp', '2026-11-26 10:00');
    expect(w.outbox.list({ kind: OUTBOX_KIND.silentParticipants })).toHaveLength(flags.length);
    expect(w.chat.sent.length).toBe(before);
  });

  it('does not flag a participant that answered in either of its last two cycles', async () => {
    const w = createWorld();
    world = w;
    await w.run('weeklyPrompt', '2026-11-16 09:30');
    // Every agency answers in the first week (a report or no change sets last_report_at).
    for (const id of w.promptedAgencyIds()) {
      w.db.$client
        .prepare('UPDATE tasks SET last_report_at = ? WHERE agency_id = ?')
        .run(new Date('2026-11-17T02:00:00Z').toISOString(), id);
    }
    await w.run('weeklyPrompt', '2026-11-23 09:30');
    await w.run('followUp', '2026-11-25 10:00');
    expect(w.outbox.list({ kind: OUTBOX_KIND.silentParticipants })).toEqual([]);
  });
});
