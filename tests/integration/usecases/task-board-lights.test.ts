import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { listTaskBoard } from '../../../src/usecases/task-board.js';
import { loadRegistry, memoryDb, smallDecision } from '../store/ledger-fixtures.js';

let db: DubanDatabase;
afterEach(() => closeDatabase(db));

describe('the lights on the task board, from the ledger', () => {
  it('shows a task behind its elapsed-time schedule as yellow, measured from when it entered the ledger', () => {
    db = memoryDb();
    const imported = new Date('2026-01-05T02:00:00Z');
    // Due 100 days after import; at day 80, 10% reported is far behind the 80% the calendar expects.
    applyImport({
      db,
      text: smallDecision,
      sourceName: 'small.txt',
      registry: loadRegistry(),
      now: imported,
      actor: 'test',
      channel: 'cli',
      defaultDueDays: 100,
    });
    const repos = createRepositories(db);
    const task = repos.tasks.listTasks({ agency: '市科技局' }).find((t) => t.articleNo === 1)!;
    const at = '2026-03-20T02:00:00Z';
    repos.progress.recordReport({
      taskId: task.id,
      report: { status: 'in_progress', percent: 10, blocked: false, note: '', evidenceUrl: null },
      actor: 'ou_x',
      channel: 'card',
      at,
    });
    const board = listTaskBoard(
      { tasks: repos.tasks, progress: repos.progress, agencies: repos.agencies, registry: loadRegistry() },
      { filter: { kind: 'agency', name: '市科技局' }, now: new Date('2026-03-26T02:00:00Z') },
    );
    const row = board.rows.find((r) => r.id === task.id)!;
    expect(row.light.color).toBe('yellow');
    expect(row.light.reasons).toContainEqual(
      expect.objectContaining({ code: 'behind_schedule', percent: 10 }),
    );
  });
});
