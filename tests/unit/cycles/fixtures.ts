import type { PlanAgency, PlanTask } from '../../../src/core/cycles/types.js';

export function agency(id: number, overrides: Partial<PlanAgency> = {}): PlanAgency {
  return { id, name: `机构${id}`, chatId: `oc_${id}`, contactOpenId: null, paused: false, ...overrides };
}

export function task(id: number, agencyId: number, overrides: Partial<PlanTask> = {}): PlanTask {
  return {
    id,
    agencyId,
    articleNo: id,
    articleTitle: `第${id}条`,
    role: 'lead',
    status: 'in_progress',
    percent: 30,
    dueDate: null,
    lastReportAt: null,
    blocked: false,
    ...overrides,
  };
}
