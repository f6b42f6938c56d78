/**
 * What must hold after a simulated run, read from the emulator (what Lark's users saw) and the
 * database (what the bot recorded), never from the bot's own counters. The working-day calendar is
 * read from chinese-days directly, not through Duban's calendar, so a mistake there shows here.
 */
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { loadScoringRules } from '../../src/config/scoring.js';
import { cycleOf } from '../../src/core/cycles/cycle.js';
import { BUDGET_KINDS } from '../../src/core/vocabulary.js';
import type { EmulatorSnapshot } from '../../src/emulator/index.js';
import type { DubanDatabase } from '../../src/store/database.js';
import { createRepositories } from '../../src/usecases/repositories.js';
import { createScores } from '../../src/usecases/scores.js';
import type { DriverAction } from './driver.js';

export type Figures = Record<string, number | string>;

export interface InvariantResult {
  name: string;
  ok: boolean;
  /** What was checked, and the first failures when there are any. */
  detail: string;
}

const DAY_MS = 24 * 3600_000;
/** The State Council's schedule as the package ships it: holidays off, 调休 weekend days worked. */
const isWorkday = (date: string): boolean => {
  const data = chineseDays as { holidays: Record<string, string>; workdays: Record<string, string> };
  if (date in data.holidays) return false;
  if (date in data.workdays) return true;
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
};
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const shanghaiDate = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
const weekday = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const cycleOfDate = (date: string) => cycleOf(new Date(`${date}T12:00:00+08:00`));

interface OutboxRow {
  key: string;
  kind: string;
  agencyId: number | null;
  taskId: number | null;
  cycle: string | null;
}

/** The trail actions that answer a cycle's prompt. */
const ANSWER_ACTIONS = ['reported', 'report_corrected', 'no_change_confirmed'];

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  channel: string;
  entity: string;
  entityId: string;
  action: string;
  agencyId: number | null;
  messageId: string | null;
  eventId: string | null;
}

export function checkInvariants(input: {
  db: DubanDatabase;
  snapshot: EmulatorSnapshot;
  log: DriverAction[];
  pauses: Array<{ agencyId: number; from: string; until: string }>;
  agencies: Array<{ id: number; chatId: string; name: string }>;
  start: string;
  end: string;
  coordinatorsChatId: string;
  weeklyBudget?: number;
}): { invariants: InvariantResult[]; figures: Figures } {
  const sql = input.db.$client;
  const budget = input.weeklyBudget ?? 3;
  const outbox = new Map<string, OutboxRow>();
  for (const row of sql
    .prepare(
      'select key, kind, agency_id as agencyId, task_id as taskId, cycle, created_at as createdAt, first_attempt_at as firstAttemptAt, attempts, last_error as lastError from outbox',
    )
    .all() as OutboxRow[])
    outbox.set(row.key, row);
  const botMessages = input.snapshot.messages.filter((m) => m.sender.type === 'app');
  /** Every message the bot sent from its outbox, as Lark stored it (a duplicate send shows twice). */
  const sent = botMessages.flatMap((m) => {
    const row = m.uuid === undefined ? undefined : outbox.get(m.uuid);
    return row ? [{ ...row, at: m.create_time, date: shanghaiDate(m.create_time), chatId: m.chat_id }] : [];
  });
  const audit = sql
    .prepare(
      `select id, at, actor, channel, entity, entity_id as entityId, action, agency_id as agencyId,
              message_id as messageId, event_id as eventId from audit_events`,
    )
    .all() as AuditRow[];
  const invariants: InvariantResult[] = [];
  const add = (name: string, failures: string[], checked: string) =>
    invariants.push({
      name,
      ok: failures.length === 0,
      detail:
        failures.length === 0 ? checked : `${failures.length} failing: ${failures.slice(0, 5).join('; ')}`,
    });

  // 1. The weekly prompt on the first working day of each week (Monday, or the next working day in
  //    the same week: a holiday moves it, a 调休 weekend day can carry it), and never on a day off.
  const expected = new Map<string, string>();
  for (
    let monday = addDays(input.start, -(weekday(input.start) - 1));
    monday <= input.end;
    monday = addDays(monday, 7)
  ) {
    for (let i = 0; i < 7; i++) {
      const day = addDays(monday, i);
      if (day < input.start || day > input.end) continue;
      if (isWorkday(day)) {
        expected.set(cycleOfDate(day), day);
        break;
      }
    }
  }
  const prompts = sent.filter((s) => s.kind === 'prompt');
  const promptDays = new Map<string, Set<string>>();
  for (const p of prompts) {
    if (!p.cycle) continue;
    const days = promptDays.get(p.cycle) ?? new Set<string>();
    days.add(p.date);
    promptDays.set(p.cycle, days);
  }
  {
    const failures: string[] = [];
    for (const [cycle, day] of expected) {
      const days = [...(promptDays.get(cycle) ?? [])];
      if (days.length === 0) failures.push(`${cycle}: no prompt (expected ${day})`);
      else if (days.some((d) => d !== day))
        failures.push(`${cycle}: prompts on ${days.join(',')}, expected ${day}`);
    }
    for (const cycle of promptDays.keys())
      if (!expected.has(cycle)) failures.push(`${cycle}: unexpected prompts`);
    for (const p of prompts) if (!isWorkday(p.date)) failures.push(`prompt on a day off ${p.date}`);
    add('prompt_cycles_on_working_days', failures, `${expected.size} cycles, each on its first working day`);
  }

  // 2. Exactly one prompt per agency per cycle: never two, and one for every agency that still has
  //    open work, was not paused that week and had not answered already before the prompt.
  {
    const failures: string[] = [];
    const count = new Map<string, number>();
    for (const p of prompts)
      count.set(`${p.agencyId}:${p.cycle}`, (count.get(`${p.agencyId}:${p.cycle}`) ?? 0) + 1);
    for (const [key, n] of count) if (n > 1) failures.push(`${key}: ${n} prompts`);
    const open = new Set(
      (
        sql
          .prepare(
            `select distinct agency_id as id from tasks where removed_at is null
             and status in ('not_started','in_progress','returned','blocked')`,
          )
          .all() as Array<{ id: number }>
      ).map((r) => r.id),
    );
    const agencyOfTask = new Map(
      (
        sql.prepare('select id, agency_id as agencyId from tasks').all() as Array<{
          id: number;
          agencyId: number;
        }>
      ).map((t) => [String(t.id), t.agencyId]),
    );
    // The first answer of each agency in each cycle (a year at 1,000 agencies has ~100,000 trail rows).
    const firstAnswer = new Map<string, number>();
    for (const r of audit) {
      if (r.entity !== 'task' || !ANSWER_ACTIONS.includes(r.action)) continue;
      const key = `${agencyOfTask.get(r.entityId)}:${cycleOf(new Date(r.at))}`;
      firstAnswer.set(key, Math.min(firstAnswer.get(key) ?? Number.POSITIVE_INFINITY, Date.parse(r.at)));
    }
    let owed = 0;
    for (const agency of input.agencies) {
      if (!open.has(agency.id)) continue;
      for (const [cycle, day] of expected) {
        const paused = input.pauses.some(
          (p) => p.agencyId === agency.id && cycleOfDate(p.from) <= cycle && cycle <= cycleOfDate(p.until),
        );
        // An agency that already answered this cycle before the prompt is not asked again (the product's
        // rule against asking twice): one /report on Monday morning counts as its answer for the week.
        const promptAt = Date.parse(`${day}T09:30:00+08:00`);
        const answered = (firstAnswer.get(`${agency.id}:${cycle}`) ?? Number.POSITIVE_INFINITY) <= promptAt;
        if (paused || answered) continue;
        owed += 1;
        if ((count.get(`${agency.id}:${cycle}`) ?? 0) !== 1)
          failures.push(`${agency.name} ${cycle} (${day}): no prompt`);
      }
    }
    add('one_prompt_per_agency_per_cycle', failures, `${owed} prompts owed, each sent once; none twice`);
  }

  // 3. The weekly message budget, counted from what reached the agencies' groups.
  const perAgencyWeek = new Map<string, number>();
  for (const s of sent) {
    if (!(BUDGET_KINDS as readonly string[]).includes(s.kind) || s.agencyId === null) continue;
    const key = `${s.agencyId}:${s.cycle ?? cycleOf(new Date(s.at))}`;
    perAgencyWeek.set(key, (perAgencyWeek.get(key) ?? 0) + 1);
  }
  {
    const failures = [...perAgencyWeek].filter(([, n]) => n > budget).map(([k, n]) => `${k}: ${n}`);
    add('weekly_message_budget', failures, `${perAgencyWeek.size} agency-weeks, none over ${budget}`);
  }

  // 4. No update lost: what a person was told was recorded is in the trail exactly once; what was
  //    refused is not in it; a message that got no answer at all is a loss.
  const byEvent = new Map<string, AuditRow[]>();
  const byMessage = new Map<string, AuditRow[]>();
  for (const row of audit) {
    if (row.eventId) byEvent.set(row.eventId, [...(byEvent.get(row.eventId) ?? []), row]);
    if (row.messageId && row.channel !== 'card')
      byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), row]);
  }
  {
    const failures: string[] = [];
    const tally = { recorded: 0, refused: 0, unknown: 0, unanswered: 0 };
    for (const action of input.log) {
      tally[action.told] += 1;
      const rows = ((action.via === 'event' ? byEvent : byMessage).get(action.id) ?? []).filter(
        (r) =>
          action.actions.includes(r.action) &&
          (action.taskId === undefined || r.entityId === String(action.taskId)),
      );
      const perEntity = new Map<string, number>();
      for (const r of rows) perEntity.set(r.entityId, (perEntity.get(r.entityId) ?? 0) + 1);
      const twice = [...perEntity.values()].some((n) => n > 1);
      const label = `${action.kind} ${action.id}${action.taskId === undefined ? '' : ` task ${action.taskId}`}`;
      if (action.told === 'unanswered') failures.push(`${label}: never answered`);
      else if (twice) failures.push(`${label}: recorded twice`);
      else if (action.told === 'recorded' && rows.length === 0)
        failures.push(`${label}: told recorded, not in the trail`);
      else if (action.told === 'recorded' && !action.many && rows.length !== 1)
        failures.push(`${label}: ${rows.length} records`);
      else if (action.told === 'refused' && rows.length > 0) failures.push(`${label}: refused, yet recorded`);
    }
    add(
      'no_update_lost',
      failures,
      `${input.log.length} actions (${tally.recorded} recorded, ${tally.refused} refused, ${tally.unknown} unanswered taps) all in the trail as told`,
    );
  }

  // 5. No event processed twice: no trail entry repeated for one Lark event or message, no Lark
  //    message sent twice for one outbox row, no reply echoed twice.
  {
    const failures: string[] = [];
    const seen = new Map<string, number>();
    for (const row of audit) {
      const keys = [
        row.eventId ? `e:${row.eventId}` : null,
        row.messageId && row.channel !== 'card' ? `m:${row.messageId}` : null,
      ];
      for (const k of keys) {
        if (k === null) continue;
        const key = `${k}:${row.entity}:${row.entityId}:${row.action}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }
    for (const [key, n] of seen) if (n > 1) failures.push(`${key} ×${n}`);
    const uuids = new Map<string, number>();
    for (const m of botMessages) if (m.uuid !== undefined) uuids.set(m.uuid, (uuids.get(m.uuid) ?? 0) + 1);
    for (const [uuid, n] of uuids) {
      if (n <= 1) continue;
      failures.push(`outbox ${uuid} sent ×${n}`);
      if (process.env.SIM_DEBUG)
        console.error(
          'sent twice',
          botMessages
            .filter((m) => m.uuid === uuid)
            .map((m) => ({
              id: m.message_id,
              at: new Date(m.create_time).toISOString(),
              parent: m.parent_id,
            })),
          sql.prepare('select * from outbox where key = ?').get(uuid),
        );
    }
    // Each reply or command a person posted gets one answer (an echo to confirm, or the command's),
    // however often Lark pushed it (duplicates, and re-pushes under a new event id).
    const answers = new Map<string, number>();
    for (const m of botMessages) {
      if (m.parent_id !== undefined) answers.set(m.parent_id, (answers.get(m.parent_id) ?? 0) + 1);
    }
    const posted = input.log.filter(
      (a) => a.via === 'message' && (a.kind === 'free_text' || a.kind === 'command'),
    );
    for (const action of posted) {
      const n = answers.get(action.id) ?? 0;
      if (n > 1) failures.push(`${action.kind} ${action.id} answered ×${n}`);
    }
    add(
      'no_event_processed_twice',
      failures,
      `${audit.length} trail entries, ${uuids.size} outbox messages, ${posted.length} posted replies and commands: none twice`,
    );
  }

  // 6. Scores: the sheet for each quarter against a count straight from the trail (verified and
  //    returned per agency), and every line pointing at a trail entry of its task.
  {
    const failures: string[] = [];
    const repos = createRepositories(input.db);
    const rules = loadScoringRules('config/scoring.json');
    const scores = createScores({ repos, rules });
    const taskAgency = new Map<string, number | null>();
    for (const t of sql.prepare('select id, agency_id as agencyId from tasks').all() as Array<{
      id: number;
      agencyId: number | null;
    }>)
      taskAgency.set(String(t.id), t.agencyId);
    const auditById = new Map(audit.map((r) => [r.id, r]));
    const now = new Date(`${input.end}T23:00:00+08:00`);
    const quarters = new Set<string>();
    for (let d = input.start; d <= input.end; d = addDays(d, 28))
      quarters.add(`${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`);
    quarters.add(`${input.end.slice(0, 4)}-Q${Math.floor((Number(input.end.slice(5, 7)) - 1) / 3) + 1}`);
    let lines = 0;
    for (const period of quarters) {
      const { sheet } = scores({ period, now });
      const [from, to] = [sheet.period.start, sheet.period.end];
      const counts = new Map<string, number>();
      for (const r of audit) {
        if (r.entity !== 'task' || (r.action !== 'verified' && r.action !== 'returned')) continue;
        const d = shanghaiDate(Date.parse(r.at));
        if (d < from || d > to) continue;
        const key = `${r.action}:${taskAgency.get(r.entityId)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const count = (action: string, agencyId: number) => counts.get(`${action}:${agencyId}`) ?? 0;
      for (const agency of sheet.agencies) {
        lines += agency.lines.length;
        const total = agency.lines.reduce((sum, l) => sum + l.points, 0);
        if (Math.abs(total - agency.total) > 1e-9)
          failures.push(`${period} ${agency.agency}: total ${agency.total} ≠ ${total}`);
        const verified = agency.byRule.verifiedOnTime.count + agency.byRule.verifiedLate.count;
        if (verified !== count('verified', agency.agencyId))
          failures.push(
            `${period} ${agency.agency}: ${verified} verified, trail ${count('verified', agency.agencyId)}`,
          );
        if (agency.byRule.returned.count !== count('returned', agency.agencyId))
          failures.push(
            `${period} ${agency.agency}: ${agency.byRule.returned.count} returned, trail ${count('returned', agency.agencyId)}`,
          );
        for (const line of agency.lines) {
          if (line.source !== 'audit') continue;
          const row = auditById.get(line.factId);
          if (!row || (row.entity === 'task' && row.entityId !== String(line.taskId)))
            failures.push(
              `${period} ${agency.agency}: line ${line.factId} has no trail entry for task ${line.taskId}`,
            );
        }
      }
    }
    add(
      'scores_match_trail',
      failures,
      `${quarters.size} quarters, ${lines} score lines traced to the trail`,
    );
  }

  // 7. The database file is sound.
  {
    const result = sql.pragma('integrity_check', { simple: true });
    add('integrity_check', result === 'ok' ? [] : [String(result)], 'PRAGMA integrity_check = ok');
  }

  // --- figures ------------------------------------------------------------------------------------
  // An ordinary week: Monday to Friday working days, Saturday and Sunday off.
  const ordinary = new Set<string>();
  for (
    let monday = addDays(input.start, (8 - weekday(input.start)) % 7);
    addDays(monday, 6) <= input.end;
    monday = addDays(monday, 7)
  ) {
    const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
    if (days.every((d, i) => isWorkday(d) === i < 5)) ordinary.add(cycleOfDate(monday));
  }
  let ordinaryMessages = 0;
  let maxWeek = 0;
  for (const [key, n] of perAgencyWeek) {
    const cycle = key.slice(key.indexOf(':') + 1);
    if (!ordinary.has(cycle)) continue;
    ordinaryMessages += n;
    maxWeek = Math.max(maxWeek, n);
  }
  const agencyWeeks = ordinary.size * input.agencies.length;
  // Asked again for what was given: a follow-up to an agency that had answered this cycle, or an
  // escalation about a task answered this cycle, sent after the answer.
  const taskAgencies = new Map(
    (
      sql.prepare('select id, agency_id as agencyId from tasks').all() as Array<{
        id: number;
        agencyId: number;
      }>
    ).map((t) => [String(t.id), t.agencyId]),
  );
  const taskAgencyOf = (r: AuditRow) => (r.entity === 'task' ? taskAgencies.get(r.entityId) : undefined);
  const answers = audit.filter((r) => r.entity === 'task' && ANSWER_ACTIONS.includes(r.action));
  // The first answer per agency and cycle, and per task and cycle.
  const firstByAgency = new Map<string, number>();
  const firstByTask = new Map<string, number>();
  const keepFirst = (map: Map<string, number>, key: string, at: number) =>
    map.set(key, Math.min(map.get(key) ?? Number.POSITIVE_INFINITY, at));
  for (const r of answers) {
    const cycle = cycleOf(new Date(r.at));
    keepFirst(firstByAgency, `${taskAgencyOf(r)}:${cycle}`, Date.parse(r.at));
    keepFirst(firstByTask, `${r.entityId}:${cycle}`, Date.parse(r.at));
  }
  const answeredBy = (agencyId: number, cycle: string, before: number) =>
    (firstByAgency.get(`${agencyId}:${cycle}`) ?? Number.POSITIVE_INFINITY) <= before;
  // The task as it stood when a message went out: a coordinator may move the due date later, and a
  // report may lift a block, so the state at the end of the run would misjudge earlier escalations.
  const dueChanges = new Map<number, Array<{ at: number; before: string | null; after: string | null }>>();
  for (const r of sql
    .prepare(
      `select entity_id as taskId, at, json_extract(before, '$.dueDate') as before,
              json_extract(after, '$.dueDate') as after
         from audit_events where entity = 'task' and action = 'due_set' order by id`,
    )
    .all() as Array<{ taskId: string; at: string; before: string | null; after: string | null }>) {
    const list = dueChanges.get(Number(r.taskId)) ?? [];
    list.push({ at: Date.parse(r.at), before: r.before, after: r.after });
    dueChanges.set(Number(r.taskId), list);
  }
  const blockedReports = new Map<number, Array<{ at: number; blocked: boolean }>>();
  for (const r of sql
    .prepare('select task_id as taskId, at, blocked from progress_updates order by id')
    .all() as Array<{ taskId: number; at: string; blocked: number }>) {
    const list = blockedReports.get(r.taskId) ?? [];
    list.push({ at: Date.parse(r.at), blocked: r.blocked === 1 });
    blockedReports.set(r.taskId, list);
  }
  const finalDue = new Map(
    (
      sql.prepare('select id, due_date as dueDate from tasks').all() as Array<{
        id: number;
        dueDate: string | null;
      }>
    ).map((t) => [t.id, t.dueDate]),
  );
  const taskStateAt = (taskId: number, at: number) => {
    const changes = dueChanges.get(taskId) ?? [];
    const nextChange = changes.find((c) => c.at > at);
    const lastChange = [...changes].reverse().find((c) => c.at <= at);
    const dueDate = nextChange
      ? nextChange.before
      : lastChange
        ? lastChange.after
        : (finalDue.get(taskId) ?? null);
    const lastReport = [...(blockedReports.get(taskId) ?? [])].reverse().find((u) => u.at <= at);
    return { dueDate, blocked: lastReport?.blocked ?? false };
  };
  let repeated = 0;
  for (const s of sent) {
    if (s.agencyId === null || s.cycle === null) continue;
    if (s.kind === 'follow_up' && answeredBy(s.agencyId, s.cycle, s.at)) {
      repeated += 1;
      if (process.env.SIM_DEBUG) console.error('repeated follow-up', s);
    }
    // An escalation about an overdue or blocked task is about the deadline or the block, not a request
    // for the week's answer again; only one for silence counts.
    const task = s.taskId === null ? undefined : taskStateAt(s.taskId, s.at);
    const aboutSilence =
      task !== undefined && !task.blocked && (task.dueDate === null || task.dueDate >= s.date);
    if (
      s.kind === 'escalation' &&
      s.taskId !== null &&
      aboutSilence &&
      (firstByTask.get(`${s.taskId}:${s.cycle}`) ?? Number.POSITIVE_INFINITY) <= s.at
    ) {
      repeated += 1;
      if (process.env.SIM_DEBUG)
        console.error('repeated escalation', s, {
          row: outbox.get(s.key),
          answers: answers.filter(
            (r) => r.entityId === String(s.taskId) && cycleOf(new Date(r.at)) === s.cycle,
          ),
        });
    }
  }
  const kinds = new Map<string, number>();
  for (const s of sent) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
  const figures: Figures = {
    messages_per_agency_ordinary_week:
      agencyWeeks === 0 ? 0 : Math.round((ordinaryMessages / agencyWeeks) * 100) / 100,
    max_messages_agency_week: maxWeek,
    ordinary_weeks: ordinary.size,
    repeated_requests: repeated,
    messages_sent: botMessages.length,
    prompts: prompts.length,
    follow_ups: kinds.get('follow_up') ?? 0,
    escalations: (kinds.get('escalation') ?? 0) + (kinds.get('escalation_notice') ?? 0),
    due_reminders: kinds.get('due_reminder') ?? 0,
    digests: kinds.get('digest') ?? 0,
    user_actions: input.log.length,
    audit_events: audit.length,
    tasks_verified: (
      sql.prepare("select count(*) as n from tasks where status = 'verified'").get() as { n: number }
    ).n,
  };
  return { invariants, figures };
}
