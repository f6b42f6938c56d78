/**
 * Silent participants: a participant that has not answered (a report or "no change") in the last two
 * prompt cycles it was prompted in is flagged to the agency leading the article — once per lead agency
 * and cycle, one message listing all its silent participants, inside the lead's weekly budget.
 */

import { isOpenTask } from '../vocabulary.js';
import { createBudgetTracker } from './budget.js';
import { type CycleId, cycleBounds } from './cycle.js';
import { outboxKey } from './keys.js';
import { createNoticeList } from './notices.js';
import type { AgencyId, CoordinatorNotice, PlanAgency, PlanTask, TaskId } from './types.js';

/** How many of its own prompt cycles a participant may stay silent through before the lead hears. */
export const SILENT_CYCLES = 2;

type SilentSkipReason = 'paused' | 'no_chat' | 'budget' | 'already_planned';

export interface SilentArticle {
  articleNo: number;
  articleTitle: string;
  /** The silent participants of the article, in agency order. */
  agencyIds: AgencyId[];
  /** Their tasks. */
  taskIds: TaskId[];
}

export interface PlannedSilentFlag {
  leadAgencyId: AgencyId;
  chatId: string;
  key: string;
  cycle: CycleId;
  articles: SilentArticle[];
}

export interface SilentParticipantsPlan {
  flags: PlannedSilentFlag[];
  skipped: Array<{ agencyId: AgencyId; reason: SilentSkipReason }>;
  notifyCoordinators: CoordinatorNotice[];
}

export interface PlanSilentParticipantsInput {
  cycle: CycleId;
  agencies: readonly PlanAgency[];
  /** Participants' tasks carry `leadAgencyIds`. */
  tasks: readonly PlanTask[];
  /** The cycles each agency's prompt was delivered in, up to and including this one. */
  promptedCycles: ReadonlyMap<AgencyId, readonly CycleId[]>;
  sentThisWeek: ReadonlyMap<AgencyId, number>;
  budget?: number;
  globalPause: boolean;
  alreadyPlanned?: ReadonlySet<string>;
}

export function silentFlagKey(leadAgencyId: AgencyId, cycle: CycleId): string {
  return outboxKey('silent', leadAgencyId, cycle);
}

/** Silent: prompted in at least two cycles, and nothing heard since the older of the last two began. */
function isSilent(task: PlanTask, prompted: readonly CycleId[] | undefined, cycle: CycleId): boolean {
  const mine = [...new Set(prompted ?? [])].filter((c) => c <= cycle).sort();
  if (mine.length < SILENT_CYCLES) return false;
  const since = cycleBounds(mine[mine.length - SILENT_CYCLES] as CycleId).start;
  return task.lastReportAt === null || task.lastReportAt < since;
}

export function planSilentParticipants(input: PlanSilentParticipantsInput): SilentParticipantsPlan {
  const budget = createBudgetTracker({ sentThisWeek: input.sentThisWeek, budget: input.budget });
  const notices = createNoticeList(input.cycle);
  const agencies = new Map(input.agencies.map((a) => [a.id, a]));
  const plan: SilentParticipantsPlan = { flags: [], skipped: [], notifyCoordinators: [] };

  // Lead agency → article number → the article's silent participants.
  const byLead = new Map<AgencyId, Map<number, SilentArticle>>();
  for (const task of input.tasks) {
    if (task.role !== 'participant' || !isOpenTask(task)) continue;
    if (!isSilent(task, input.promptedCycles.get(task.agencyId), input.cycle)) continue;
    for (const leadId of task.leadAgencyIds ?? []) {
      if (leadId === task.agencyId) continue;
      const articles = byLead.get(leadId) ?? new Map<number, SilentArticle>();
      const article = articles.get(task.articleNo) ?? {
        articleNo: task.articleNo,
        articleTitle: task.articleTitle,
        agencyIds: [],
        taskIds: [],
      };
      if (!article.agencyIds.includes(task.agencyId)) article.agencyIds.push(task.agencyId);
      article.taskIds.push(task.id);
      articles.set(task.articleNo, article);
      byLead.set(leadId, articles);
    }
  }

  for (const leadId of [...byLead.keys()].sort((a, b) => a - b)) {
    const lead = agencies.get(leadId);
    const key = silentFlagKey(leadId, input.cycle);
    const skip = (reason: SilentSkipReason) => plan.skipped.push({ agencyId: leadId, reason });
    if (lead === undefined) continue;
    if (input.globalPause || lead.paused) skip('paused');
    else if (input.alreadyPlanned?.has(key)) skip('already_planned');
    else if (!lead.chatId) {
      skip('no_chat');
      notices.noChat(leadId);
    } else if (!budget.tryCharge(leadId)) {
      skip('budget');
      notices.budgetReached(leadId, 'silent_participants');
    } else {
      const articles = [...(byLead.get(leadId)?.values() ?? [])].sort((a, b) => a.articleNo - b.articleNo);
      for (const article of articles) article.agencyIds.sort((a, b) => a - b);
      plan.flags.push({ leadAgencyId: leadId, chatId: lead.chatId, key, cycle: input.cycle, articles });
    }
  }
  plan.notifyCoordinators = notices.list();
  return plan;
}
