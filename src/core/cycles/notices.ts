import { outboxKey } from './keys.js';
import type { AgencyId, CoordinatorNotice } from './types.js';

/** Collects coordinator notices, one per kind + agency + cycle (the same key the outbox dedupes on). */
export function createNoticeList(cycle: string): {
  budgetReached(
    agencyId: AgencyId,
    deferred: Extract<CoordinatorNotice, { kind: 'budget_reached' }>['deferred'],
  ): void;
  noChat(agencyId: AgencyId): void;
  list(): CoordinatorNotice[];
} {
  const notices = new Map<string, CoordinatorNotice>();
  return {
    budgetReached: (agencyId, deferred) => {
      const key = outboxKey('budget', agencyId, cycle);
      if (!notices.has(key)) notices.set(key, { kind: 'budget_reached', agencyId, cycle, key, deferred });
    },
    noChat: (agencyId) => {
      const key = outboxKey('nochat', agencyId, cycle);
      if (!notices.has(key)) notices.set(key, { kind: 'no_chat', agencyId, cycle, key });
    },
    list: () => [...notices.values()],
  };
}
