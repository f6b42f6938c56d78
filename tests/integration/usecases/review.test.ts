import { afterEach, describe, expect, it } from 'vitest';
import { OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createProgressUseCases } from '../../../src/usecases/report-progress.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { createReview } from '../../../src/usecases/review.js';
import { loadRegistry, memoryDb, smallDecision } from '../store/ledger-fixtures.js';

const now = new Date('2026-11-26T02:00:00Z');
const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

/** The small decision: article 1 led by 市科技局 with 市财政局 taking part; article 2 led by 市发改委. */
function setup() {
  const db = memoryDb();
  open.push(db);
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry: loadRegistry(),
    now,
    actor: 'system',
    channel: 'system',
  });
  const repos = createRepositories(db);
  const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
  const id = (name: string) => repos.agencies.requireAgency(name).id;
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', name: '赵督查', ...audit });
  repos.people.upsertPerson({
    openId: 'ou_kjj',
    role: 'official',
    agency: '市科技局',
    name: '李科长',
    ...audit,
  });
  repos.people.upsertPerson({
    openId: 'ou_czj',
    role: 'official',
    agency: '市财政局',
    name: '周科长',
    ...audit,
  });
  repos.agencies.bindAgencyChat({ agencyId: id('市科技局'), chatId: 'oc_kjj', ...audit });
  repos.agencies.bindAgencyChat({ agencyId: id('市财政局'), chatId: 'oc_czj', ...audit });
  repos.agencies.bindSpecialChat({ role: 'coordinators', chatId: 'oc_office', ...audit });
  const review = createReview({
    review: repos.review,
    outbox: repos.outbox,
    chats: repos.agencies,
    people: repos.people,
  });
  const progress = createProgressUseCases({
    progress: repos.progress,
    ladder: repos.scheduler,
    card: { tasks: repos.tasks, agencies: repos.agencies, people: repos.people },
    onReportedDone: review.reportedDone,
  });
  const task = (agency: string, role: 'lead' | 'participant') => {
    const found = repos.tasks.listTasks().find((t) => t.agencyId === id(agency) && t.role === role);
    if (!found) throw new Error(`no ${role} task of ${agency}`);
    return found;
  };
  const reportDone = (taskId: number, actor: string, at = now) =>
    progress.recordReport({
      taskId,
      report: {
        status: 'reported_done',
        percent: 100,
        blocked: false,
        note: '已全部完成',
        evidenceUrl: 'https://docs.example/acceptance',
      },
      actor,
      channel: 'card',
      now: at,
    });
  const actions = (taskId: number) =>
    repos.audit.list({ entity: 'task', entityId: taskId }).map((e) => e.action);
  return { db, repos, review, progress, task, reportDone, actions, id };
}

describe('verification of a done report', () => {
  it('asks the lead agency in its group about a participant’s done task, with the note and evidence, through the outbox', () => {
    const { repos, task, reportDone } = setup();
    const czj = task('市财政局', 'participant');
    expect(reportDone(czj.id, 'ou_czj').kind).toBe('recorded');
    const rows = repos.outbox.list({ kind: OUTBOX_KIND.review });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.chatId).toBe('oc_kjj');
    const card = JSON.stringify(rows[0]?.payload);
    expect(card).toContain('周科长');
    expect(card).toContain('已全部完成');
    expect(card).toContain('https://docs.example/acceptance');
    expect(card).toContain('"action":"verify_task"');
    expect(card).toContain('"action":"return_task"');
  });

  it('asks the coordinators about a lead’s done task', () => {
    const { repos, task, reportDone } = setup();
    reportDone(task('市科技局', 'lead').id, 'ou_kjj');
    expect(repos.outbox.list({ kind: OUTBOX_KIND.review }).map((r) => r.chatId)).toEqual(['oc_office']);
  });

  it('lets the lead agency’s official verify a participant’s task once: it closes, the agency is told, a second tap says it is done', () => {
    const { repos, review, task, reportDone, actions } = setup();
    const czj = task('市财政局', 'participant');
    reportDone(czj.id, 'ou_czj');
    const later = new Date(now.getTime() + 3600_000);
    expect(review.verify({ taskId: czj.id, actor: 'ou_czj', channel: 'card', now: later }).kind).toBe(
      'forbidden',
    );
    expect(review.verify({ taskId: czj.id, actor: 'ou_kjj', channel: 'card', now: later }).kind).toBe(
      'verified',
    );
    expect(repos.tasks.findTask(czj.id)?.status).toBe('verified');
    expect(review.verify({ taskId: czj.id, actor: 'ou_coord', channel: 'card', now: later })).toEqual({
      kind: 'already_verified',
      articleNo: 1,
    });
    const told = repos.outbox.list({ kind: OUTBOX_KIND.review }).filter((r) => r.chatId === 'oc_czj');
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]?.payload)).toContain('已审核销号');
    expect(actions(czj.id)).toEqual(['created', 'reported', 'verified']);
    const verified = repos.audit.list({ entity: 'task', entityId: czj.id, action: 'verified' })[0];
    expect(verified?.before).toEqual({ status: 'reported_done' });
    expect(verified?.after).toEqual({ status: 'verified' });
    expect(verified?.actor).toBe('ou_kjj');
  });

  it('keeps the card tap’s Lark message and event with a verdict, so the trail names the tap it came from', () => {
    const { repos, review, task, reportDone } = setup();
    const czj = task('市财政局', 'participant');
    const kjj = task('市科技局', 'lead');
    reportDone(czj.id, 'ou_czj');
    reportDone(kjj.id, 'ou_kjj');
    const source = (n: number) => ({ messageId: `om_card${n}`, eventId: `ev_tap${n}` });
    review.verify({ taskId: czj.id, actor: 'ou_kjj', channel: 'card', now, source: source(1) });
    review.returnTask({
      taskId: kjj.id,
      reason: '缺少验收报告',
      actor: 'ou_coord',
      channel: 'card',
      now,
      source: source(2),
    });
    const ids = (action: string) =>
      repos.audit.list({ entity: 'task', action }).map((e) => [e.entityId, e.messageId, e.eventId]);
    expect(ids('verified')).toEqual([[String(czj.id), 'om_card1', 'ev_tap1']]);
    expect(ids('returned')).toEqual([[String(kjj.id), 'om_card2', 'ev_tap2']]);
  });

  it('lets only a coordinator verify a lead’s task', () => {
    const { review, task, reportDone } = setup();
    const kjj = task('市科技局', 'lead');
    reportDone(kjj.id, 'ou_kjj');
    expect(review.verify({ taskId: kjj.id, actor: 'ou_kjj', channel: 'card', now }).kind).toBe('forbidden');
    expect(review.verify({ taskId: kjj.id, actor: 'ou_coord', channel: 'card', now }).kind).toBe('verified');
  });

  it('returns with a required reason: back in progress and open, the reason told to the agency in its group, audited', () => {
    const { repos, review, progress, task, reportDone, actions } = setup();
    const czj = task('市财政局', 'participant');
    reportDone(czj.id, 'ou_czj');
    expect(
      review.returnTask({ taskId: czj.id, reason: '  ', actor: 'ou_kjj', channel: 'card', now }).kind,
    ).toBe('needs_reason');
    expect(
      review.returnTask({ taskId: czj.id, reason: '缺少验收报告', actor: 'ou_kjj', channel: 'card', now })
        .kind,
    ).toBe('returned');
    expect(repos.tasks.findTask(czj.id)?.status).toBe('returned');
    const told = repos.outbox.list({ kind: OUTBOX_KIND.review }).find((r) => r.chatId === 'oc_czj');
    expect(JSON.stringify(told?.payload)).toContain('缺少验收报告');
    expect(JSON.stringify(told?.payload)).toContain('第1条');
    const returned = repos.audit.list({ entity: 'task', entityId: czj.id, action: 'returned' })[0];
    expect(returned?.after).toEqual({ status: 'returned', reason: '缺少验收报告' });
    // Returned work can be reported done again, which asks the verifier again.
    const again = new Date(now.getTime() + 86_400_000);
    expect(reportDone(czj.id, 'ou_czj', again).kind).toBe('recorded');
    expect(repos.outbox.list({ kind: OUTBOX_KIND.review }).filter((r) => r.chatId === 'oc_kjj')).toHaveLength(
      2,
    );
    expect(actions(czj.id)).toEqual(['created', 'reported', 'returned', 'reported']);
    expect(progress.findTask(czj.id)?.status).toBe('reported_done');
  });

  it('does not verify a task that is not awaiting verification', () => {
    const { review, task } = setup();
    const outcome = review.verify({
      taskId: task('市财政局', 'participant').id,
      actor: 'ou_coord',
      channel: 'card',
      now,
    });
    expect(outcome.kind).toBe('not_awaiting');
  });
});

describe('extensions', () => {
  it('sends a request to the coordinators; approval moves the due date and tells the agency; a second decision changes nothing', () => {
    const { repos, review, task, actions } = setup();
    const kjj = task('市科技局', 'lead');
    const requested = review.requestExtension({
      taskId: kjj.id,
      date: '2027年3月31日',
      reason: '资金尚未到位',
      actor: 'ou_kjj',
      channel: 'card',
      now,
    });
    expect(requested).toMatchObject({ kind: 'requested', date: '2027-03-31', articleNo: 1 });
    if (requested.kind !== 'requested') throw new Error('not requested');
    const card = repos.outbox.list({ kind: OUTBOX_KIND.review }).find((r) => r.chatId === 'oc_office');
    expect(JSON.stringify(card?.payload)).toContain('资金尚未到位');
    expect(
      review.requestExtension({
        taskId: kjj.id,
        date: '2027-04-30',
        reason: '再延',
        actor: 'ou_kjj',
        channel: 'card',
        now,
      }),
    ).toMatchObject({ kind: 'refused', problem: 'pending' });
    expect(
      review.decideExtension({
        requestId: requested.requestId,
        approve: true,
        actor: 'ou_kjj',
        channel: 'card',
        now,
      }).kind,
    ).toBe('forbidden');
    const decided = review.decideExtension({
      requestId: requested.requestId,
      approve: true,
      actor: 'ou_coord',
      channel: 'card',
      now,
    });
    expect(decided).toMatchObject({ kind: 'decided', approved: true });
    expect(repos.tasks.findTask(kjj.id)).toMatchObject({ dueDate: '2027-03-31', dueKind: 'date' });
    const told = repos.outbox.list({ kind: OUTBOX_KIND.review }).find((r) => r.chatId === 'oc_kjj');
    expect(JSON.stringify(told?.payload)).toContain('2027-03-31');
    expect(
      review.decideExtension({
        requestId: requested.requestId,
        approve: false,
        actor: 'ou_coord',
        channel: 'card',
        now,
      }).kind,
    ).toBe('already_decided');
    expect(repos.tasks.findTask(kjj.id)?.dueDate).toBe('2027-03-31');
    expect(actions(kjj.id)).toEqual(['created', 'extension_requested', 'extension_approved']);
  });

  it('tells the agency of a rejection and keeps the due date', () => {
    const { repos, review, task } = setup();
    const kjj = task('市科技局', 'lead');
    const before = repos.tasks.findTask(kjj.id)?.dueDate ?? null;
    const requested = review.requestExtension({
      taskId: kjj.id,
      date: '2027-03-31',
      reason: '理由',
      actor: 'ou_kjj',
      channel: 'card',
      now,
    });
    if (requested.kind !== 'requested') throw new Error('not requested');
    expect(
      review.decideExtension({
        requestId: requested.requestId,
        approve: false,
        actor: 'ou_coord',
        channel: 'card',
        now,
      }).kind,
    ).toBe('decided');
    expect(repos.tasks.findTask(kjj.id)?.dueDate ?? null).toBe(before);
    const told = repos.outbox.list({ kind: OUTBOX_KIND.review }).find((r) => r.chatId === 'oc_kjj');
    expect(JSON.stringify(told?.payload)).toContain('未批准');
  });

  it('refuses bad dates, past dates, missing reasons and other agencies’ officials, by article too', () => {
    const { review, task, id } = setup();
    const kjj = task('市科技局', 'lead');
    const ask = (date: string, reason: string, actor = 'ou_kjj') =>
      review.requestExtension({ taskId: kjj.id, date, reason, actor, channel: 'card', now });
    expect(ask('2027-02-30', '理由')).toMatchObject({ problem: 'bad_date' });
    expect(ask('下个月', '理由')).toMatchObject({ problem: 'bad_date' });
    expect(ask('2026-11-01', '理由')).toMatchObject({ problem: 'not_later' });
    expect(ask('2027-03-31', ' ')).toMatchObject({ problem: 'needs_reason' });
    expect(ask('2027-03-31', '理由', 'ou_czj')).toMatchObject({ problem: 'forbidden' });
    const byArticle = (articleNo: number) =>
      review.requestExtensionByArticle({
        agencyId: id('市科技局'),
        articleNo,
        date: '2027-03-31',
        reason: '理由',
        actor: 'ou_kjj',
        channel: 'command',
        now,
      });
    expect(byArticle(2)).toMatchObject({ kind: 'refused', problem: 'no_task', articleNo: 2 });
    expect(byArticle(1)).toMatchObject({ kind: 'requested', articleNo: 1 });
  });
});
