/**
 * The weekly message budget per agency (default 3 bot messages to its group, answers to its own
 * commands not counted): "formalism at the fingertips" rules forbid flooding a group.
 */
import type { AgencyId } from './types.js';

const DEFAULT_WEEKLY_BUDGET = 3;

export interface BudgetTracker {
  /** Messages the agency may still get this week. */
  remaining(agencyId: AgencyId): number;
  /** Takes one message from the budget; false (and nothing taken) when it is spent. */
  tryCharge(agencyId: AgencyId): boolean;
  /** How many messages this plan charged, per agency. */
  charged(): Map<AgencyId, number>;
}

export function createBudgetTracker(input: {
  sentThisWeek: ReadonlyMap<AgencyId, number>;
  budget?: number | undefined;
}): BudgetTracker {
  const budget = input.budget ?? DEFAULT_WEEKLY_BUDGET;
  const charged = new Map<AgencyId, number>();
  const used = (id: AgencyId): number => (input.sentThisWeek.get(id) ?? 0) + (charged.get(id) ?? 0);
  return {
    remaining: (id) => Math.max(0, budget - used(id)),
    tryCharge: (id) => {
      if (used(id) >= budget) return false;
      charged.set(id, (charged.get(id) ?? 0) + 1);
      return true;
    },
    charged: () => new Map(charged),
  };
}
