/**
 * A small quarter of work on the small decision, written the way the product writes it (reports,
 * verdicts, extensions, prompts sent through the outbox), for the scores and exports tests:
 *
 * - 市科技局 leads article 1 (due 11-30): reported done 11-25, verified 11-27 (on time, +10); its
 *   prompt of 11-02 went unanswered until the next prompt of 11-09: a missed answer for each task it
 *   asked about, article 1 and article 3 (各有关单位负责: a lead task of every agency), −2 each. Total 6.
 * - 市财政局 takes part in article 1 (due 11-15): nothing by 11-15 (overdue, −2); reported done 11-20
 *   (unapproved delay, −1), returned 11-21 (−1), done again 11-22 (unapproved delay, −1), verified 11-23
 *   (late, +2); it answered its prompt of 11-02 (report of 11-05). Total −3.
 * - 市发改委 leads article 2 (due 11-20): an extension to 12-10 approved 11-19 (0 points), and nothing
 *   by then (overdue against the new date, −5). Total −5.
 */

import { OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import type { DubanDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories, type Repositories } from '../../../src/usecases/repositories.js';
import { loadRegistry, smallDecision } from '../store/ledger-fixtures.js';

export const SCENARIO_NOW = new Date('2026-12-20T02:00:00Z');

const at = (iso: string) => new Date(iso).toISOString();

export function buildScoreScenario(db: DubanDatabase) {
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry: loadRegistry(),
    now: new Date('2026-10-01T02:00:00Z'),
    actor: 'system',
    channel: 'system',
  });
  const repos: Repositories = createRepositories(db);
  const task = (agency: string, articleNo: number) => {
    const found = repos.tasks.listTasks({ agency }).find((t) => t.articleNo === articleNo);
    if (found === undefined) throw new Error(`no task of ${agency} in article ${articleNo}`);
    return found;
  };
  const keji = task('市科技局', 1);
  const caizheng = task('市财政局', 1);
  const fagai = task('市发改委', 2);
  const ctx = (iso: string, actor = 'ou_coord') => ({ at: at(iso), actor, channel: 'cli' as const });

  repos.tasks.setDueDate({ taskIds: [keji.id], dueDate: '2026-11-30', ...ctx('2026-10-02T02:00:00Z') });
  repos.tasks.setDueDate({ taskIds: [caizheng.id], dueDate: '2026-11-15', ...ctx('2026-10-02T02:00:00Z') });
  repos.tasks.setDueDate({ taskIds: [fagai.id], dueDate: '2026-11-20', ...ctx('2026-10-02T02:00:00Z') });

  const report = (taskId: number, iso: string, status: 'in_progress' | 'reported_done', percent: number) =>
    repos.progress.recordReport({
      taskId,
      report: { status, percent, blocked: false, note: '', evidenceUrl: null },
      ...ctx(iso, 'ou_official'),
    });

  // Prompts to 市科技局 and 市财政局 on 11-02 and 11-09, sent.
  const prompt = (agencyId: number, cycle: string, iso: string) => {
    const now = new Date(iso);
    repos.outbox.enqueue({
      items: [
        {
          key: `prompt:${agencyId}:${cycle}`,
          kind: OUTBOX_KIND.prompt,
          chatId: `oc_${agencyId}`,
          agencyId,
          cycle,
          message: { kind: 'text', text: 'prompt' },
        },
      ],
      now,
    });
    for (const row of repos.outbox.claimDue({ now, limit: 10, leaseMs: 60_000, owner: 'test#1' })) {
      repos.outbox.markSent({ id: row.id, owner: 'test#1', messageId: `om_${row.key}`, now });
    }
  };
  prompt(keji.agencyId as number, '2026-W45', '2026-11-02T01:00:00Z');
  prompt(caizheng.agencyId as number, '2026-W45', '2026-11-02T01:00:00Z');
  report(caizheng.id, '2026-11-05T03:00:00Z', 'in_progress', 30);
  prompt(keji.agencyId as number, '2026-W46', '2026-11-09T01:00:00Z');
  prompt(caizheng.agencyId as number, '2026-W46', '2026-11-09T01:00:00Z');

  report(keji.id, '2026-11-25T03:00:00Z', 'reported_done', 100);
  repos.review.settleDone({ taskId: keji.id, verdict: 'verified', ...ctx('2026-11-27T03:00:00Z') });

  report(caizheng.id, '2026-11-20T03:00:00Z', 'reported_done', 100);
  repos.review.settleDone({
    taskId: caizheng.id,
    verdict: 'returned',
    reason: '缺少佐证材料',
    ...ctx('2026-11-21T03:00:00Z'),
  });
  report(caizheng.id, '2026-11-22T03:00:00Z', 'reported_done', 100);
  repos.review.settleDone({ taskId: caizheng.id, verdict: 'verified', ...ctx('2026-11-23T03:00:00Z') });

  const requestId = repos.review.requestExtension({
    taskId: fagai.id,
    previousDue: '2026-11-20',
    requestedDue: '2026-12-10',
    reason: '等待上级批复',
    ...ctx('2026-11-18T03:00:00Z', 'ou_official'),
  });
  repos.review.decideExtension({ id: requestId, approve: true, ...ctx('2026-11-19T03:00:00Z') });

  return { repos, keji, caizheng, fagai };
}
