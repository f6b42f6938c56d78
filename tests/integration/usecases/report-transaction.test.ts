import { afterEach, describe, expect, it } from 'vitest';
import { cycleOf } from '../../../src/core/cycles/cycle.js';
import { t } from '../../../src/core/render/catalog.js';
import { promptFieldNames } from '../../../src/core/render/prompt-card.js';
import { createFuzzWorld, type FuzzWorld, ledgerSnapshot } from '../../helpers/fuzz-targets.js';

const now = new Date('2026-11-26T02:00:00Z');
const worlds: FuzzWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

const ledger = ledgerSnapshot;

/** 市科技局's first task on the escalation ladder, then a report of it tapped on this cycle's card. */
function setup() {
  const w = createFuzzWorld();
  worlds.push(w);
  const task = w.tasks[0] as number;
  w.db.$client
    .prepare(
      `INSERT INTO escalation_states (task_id, agency_id, step, reached_at) VALUES (?, ?, 'contact', ?)`,
    )
    .run(task, w.kjj, now.toISOString());
  let n = 0;
  const names = promptFieldNames(task);
  const tap = (status: 'in_progress' | 'reported_done' = 'in_progress') => {
    n += 1;
    return w.bot.handle({
      type: 'card_action',
      eventId: `ev_report_${n}`,
      operatorOpenId: 'ou_official',
      messageId: 'om_prompt',
      chatId: 'oc_kjj',
      value: { action: 'report', task_id: task, cycle: cycleOf(now), issued: now.getTime() - 60_000 },
      formValue: { [names.status]: status, [names.percent]: status === 'reported_done' ? '100' : '60' },
    });
  };
  /** A real SQLite failure at one statement of the report, as a full disk or a constraint would raise. */
  const failOn = (table: string, operation: 'INSERT' | 'DELETE' | 'UPDATE') =>
    w.db.$client.exec(
      `CREATE TEMP TRIGGER injected_failure BEFORE ${operation} ON main.${table}
       BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
    );
  const heal = () => w.db.$client.exec('DROP TRIGGER injected_failure');
  const taskRow = () => w.db.$client.prepare('SELECT status, percent FROM tasks WHERE id = ?').get(task);
  return { w, task, tap, failOn, heal, taskRow };
}

describe('a report is one transaction with what it changes', () => {
  it.each([
    ['the audit event', 'audit_events', 'INSERT'],
    ['the progress history', 'progress_updates', 'INSERT'],
    ['clearing the escalation ladder', 'escalation_states', 'DELETE'],
  ] as const)(
    'leaves the task row, the ladder and the audit trail unchanged when %s fails after the task row is updated',
    async (_what, table, operation) => {
      const { w, tap, failOn, taskRow } = setup();
      const before = ledger(w);
      expect(taskRow()).toEqual({ status: 'not_started', percent: 0 });
      failOn(table, operation);
      const answer = await tap();
      expect(answer?.toast).toEqual({ type: 'error', content: t('bot.error.internal') });
      expect(ledger(w)).toEqual(before);
    },
  );

  it('leaves nothing of a done report when asking its verifier fails', async () => {
    const { w, tap, failOn } = setup();
    // Article 1's verifier is the coordinators (no lead agency verifies it): their group gets the card.
    w.repos.agencies.bindSpecialChat({
      role: 'coordinators',
      chatId: 'oc_coord',
      at: now.toISOString(),
      actor: 'test',
      channel: 'system',
    });
    const before = ledger(w);
    failOn('outbox', 'INSERT');
    const answer = await tap('reported_done');
    expect(answer?.toast?.type).toBe('error');
    expect(ledger(w)).toEqual(before);
  });

  it('leaves nothing of /report or of 本周无变化 when their audit event fails', async () => {
    const { w, failOn } = setup();
    const before = ledger(w);
    failOn('audit_events', 'INSERT');
    await w.bot.handle({
      type: 'message',
      eventId: 'ev_cmd',
      messageId: 'om_cmd',
      chatId: 'oc_kjj',
      chatType: 'group',
      senderOpenId: 'ou_official',
      text: '/report 1 进行中 70 已完成招标',
      mentions: [],
      mentionsBot: true,
      createdAt: now,
    });
    await w.bot.idle();
    expect(w.chat.sent.at(-1)?.message).toEqual({ kind: 'text', text: t('bot.error.internal') });
    const noChange = await w.bot.handle({
      type: 'card_action',
      eventId: 'ev_no_change',
      operatorOpenId: 'ou_official',
      messageId: 'om_prompt',
      chatId: 'oc_kjj',
      value: { action: 'no_change', agency_id: w.kjj, cycle: cycleOf(now), issued: now.getTime() },
    });
    expect(noChange?.toast?.type).toBe('error');
    expect(ledger(w)).toEqual(before);
  });

  it('records the report, clears the ladder and audits it once when nothing fails', async () => {
    const { w, task, tap, failOn, heal, taskRow } = setup();
    failOn('audit_events', 'INSERT');
    await tap();
    heal();
    const answer = await tap();
    expect(answer?.toast?.type).toBe('success');
    expect(taskRow()).toEqual({ status: 'in_progress', percent: 60 });
    const ladder = w.db.$client.prepare('SELECT count(*) FROM escalation_states WHERE task_id = ?').pluck();
    expect(ladder.get(task)).toBe(0);
    const audits = w.db.$client
      .prepare(
        `SELECT count(*) FROM audit_events WHERE entity = 'task' AND entity_id = ? AND action = 'reported'`,
      )
      .pluck();
    expect(audits.get(String(task))).toBe(1);
  });
});
