/** A ledger ready for leaders' instructions (批示), for the use case and bot tests. */
import { OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import type { DubanDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories, type Repositories } from '../../../src/usecases/repositories.js';
import { loadRegistry, smallDecision } from '../store/ledger-fixtures.js';

/** Friday 2026-12-04, 18:00 in Shanghai: an hour after the digest went out. */
export const NOW = new Date('2026-12-04T10:00:00Z');

/** The small decision, the two special groups, a leader, a coordinator, an official and a sent digest. */
export function instructionWorld(db: DubanDatabase): Repositories {
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry: loadRegistry(),
    now: new Date('2026-10-01T02:00:00Z'),
    actor: 'system',
    channel: 'system',
  });
  const repos = createRepositories(db);
  const audit = { at: NOW.toISOString(), actor: 'test', channel: 'system' as const };
  repos.agencies.bindSpecialChat({ role: 'leaders', chatId: 'oc_leaders', ...audit });
  repos.agencies.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coord', ...audit });
  repos.people.upsertPerson({ openId: 'ou_leader', role: 'leader', ...audit });
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
  repos.people.upsertPerson({ openId: 'ou_official', role: 'official', agency: '市科技局', ...audit });
  repos.outbox.enqueue({
    items: [
      {
        key: 'digest:2026-W49',
        kind: OUTBOX_KIND.digest,
        chatId: 'oc_leaders',
        cycle: '2026-W49',
        message: { kind: 'text', text: 'digest' },
      },
    ],
    now: NOW,
  });
  for (const row of repos.outbox.claimDue({ now: NOW, limit: 10, leaseMs: 60_000, owner: 'test#1' })) {
    repos.outbox.markSent({ id: row.id, owner: 'test#1', messageId: 'om_digest', now: NOW });
  }
  return repos;
}
