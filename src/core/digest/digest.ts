/**
 * The leaders' weekly digest as data: what needs the leaders first (red and yellow tasks with their
 * reasons, new blockers and the agencies they name, items for agencies to settle between them, pending
 * extension requests, work returned this week, tasks without a due date), then progress by part of the
 * decision, the quantitative targets, and the agencies' scores with their change.
 *
 * Pure: the use case reads the ledger and passes it in with the calendar and `now`. Only results and
 * deadlines count: nothing here looks at how many messages an agency sent, when it logged in or how fast
 * it answered.
 */
import type { WorkingCalendar } from '../cycles/calendar.js';
import { isoWeekOf, isoWeekStart, type LocalDate, shanghaiDate, shanghaiInstant } from '../cycles/time.js';
import { computeTrafficLight, type LightReport, type TrafficLight } from '../progress/lights.js';
import type { ArticleKind, DueKind, DuePeriod, TaskRole, TaskStatus } from '../vocabulary.js';

export interface DigestTask {
  id: number;
  articleId: number;
  articleNo: number;
  /** A leader's instruction (批示) or a decision's article (the default). */
  articleKind?: ArticleKind | undefined;
  articleTitle: string;
  /** The part of the decision (一…八) the article sits in; 0 when the decision has no parts. */
  partNo: number;
  /** Canonical agency name, or the body as written when unassigned. */
  agency: string;
  agencyId: number | null;
  role: TaskRole;
  status: TaskStatus;
  percent: number;
  blocked: boolean;
  blockedReason: string | null;
  dueDate: LocalDate | null;
  dueKind: DueKind | null;
  dueEvery: DuePeriod | null;
  /** Origin of the elapsed-time schedule (assignment or import date). */
  startDate?: LocalDate | null | undefined;
  removedAt?: string | null | undefined;
}

export interface DigestReport extends LightReport {
  taskId: number;
}

/** A blocker as reported (a report with the blocked flag): the reason in the agency's words. */
export interface DigestBlocker {
  taskId: number;
  /** ISO instant of the report. */
  at: string;
  reason: string | null;
}

export interface DigestExtension {
  taskId: number;
  previousDue: LocalDate | null;
  requestedDue: LocalDate;
  reason: string;
  requestedAt: string;
}

/** A verifier's 退回 (audit action `returned`). */
export interface DigestReturn {
  taskId: number;
  at: string;
  reason: string | null;
}

export interface DigestIndicator {
  articleId: number;
  metric: string;
  comparator: string;
  value: number;
  unit: string;
  deadlineYear: number | null;
}

export interface DigestPart {
  no: number;
  label: string;
  title: string;
}

export interface DigestAgency {
  id: number;
  name: string;
  aliases?: readonly string[] | undefined;
}

/** An agency's total this period and the last one (from the scoring core), when scores are available. */
export interface DigestScoreInput {
  period: string;
  current: ReadonlyArray<{ agencyId: number; agency: string; total: number }>;
  previous?: ReadonlyArray<{ agencyId: number; total: number }> | undefined;
}

export interface DigestInput {
  tasks: readonly DigestTask[];
  reports: readonly DigestReport[];
  extensions: readonly DigestExtension[];
  returns: readonly DigestReturn[];
  blockers: readonly DigestBlocker[];
  indicators: readonly DigestIndicator[];
  parts?: readonly DigestPart[] | undefined;
  agencies?: readonly DigestAgency[] | undefined;
  scores?: DigestScoreInput | undefined;
  calendar: WorkingCalendar;
  now: Date;
}

export interface DigestTaskRef {
  taskId: number;
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  articleTitle: string;
  agency: string;
  role: TaskRole;
  dueDate: LocalDate | null;
  percent: number;
}

export interface DigestLightItem extends DigestTaskRef {
  light: TrafficLight;
}

export interface DigestBlockerItem extends DigestTaskRef {
  at: string;
  reason: string | null;
  /** Other agencies the reason names (canonical names), in the order they appear. */
  named: string[];
}

export interface DigestCoordinationItem {
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  articleTitle: string;
  /** Every agency involved: the one blocked first, then those it names or shares the article with. */
  agencies: string[];
  /** Why coordination is needed: a blocker naming other agencies, or a lead waiting on its participants. */
  cause: 'blocker_names_agencies' | 'participants_behind_lead';
}

export interface DigestExtensionItem extends DigestTaskRef {
  requestedDue: LocalDate;
  previousDue: LocalDate | null;
  reason: string;
}

export interface DigestReturnItem extends DigestTaskRef {
  at: string;
  reason: string | null;
}

export interface DigestPartProgress {
  no: number;
  label: string;
  title: string;
  tasks: number;
  done: number;
  red: number;
  yellow: number;
  /** Mean percent reported over the part's live tasks (verified counts 100). */
  percent: number;
}

export interface DigestTarget {
  articleNo: number;
  articleTitle: string;
  metric: string;
  comparator: string;
  value: number;
  unit: string;
  deadlineYear: number | null;
  /** What the agencies report for the article: mean percent and how many of its tasks are done. */
  percent: number;
  done: number;
  tasks: number;
}

export interface DigestScore {
  agencyId: number;
  agency: string;
  total: number;
  /** Change from the previous period; null when there was none to compare. */
  change: number | null;
}

export interface Digest {
  /** The ISO week the digest speaks for (`2026-W40`): the outbox key's cycle. */
  cycle: string;
  today: LocalDate;
  /** First day of the week the "new" and "this week" sections look back to. */
  weekStart: LocalDate;
  counts: { tasks: number; red: number; yellow: number; green: number; done: number };
  red: DigestLightItem[];
  yellow: DigestLightItem[];
  blockers: DigestBlockerItem[];
  coordination: DigestCoordinationItem[];
  extensions: DigestExtensionItem[];
  returned: DigestReturnItem[];
  /** Tasks with no due date: coordinators settle them with /due. */
  noDueDate: DigestTaskRef[];
  parts: DigestPartProgress[];
  targets: DigestTarget[];
  scores: { period: string; agencies: DigestScore[] } | null;
}

const CHINESE_NUMERALS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 一…十 for a part without a label of its own. */
function numeral(n: number): string {
  return CHINESE_NUMERALS[n] ?? String(n);
}

const isDone = (status: TaskStatus) => status === 'reported_done' || status === 'verified';

/** The start of the prompt cycle holding `today`: the week's first working day at 09:30, Shanghai. */
function cycleStart(weekStart: LocalDate, calendar: WorkingCalendar): Date {
  const first = calendar.isWorkingDay(weekStart) ? weekStart : calendar.nextWorkingDay(weekStart);
  return shanghaiInstant(first, 9 * 60 + 30);
}

function ref(task: DigestTask): DigestTaskRef {
  return {
    taskId: task.id,
    articleNo: task.articleNo,
    articleKind: task.articleKind,
    articleTitle: task.articleTitle,
    agency: task.agency,
    role: task.role,
    dueDate: task.dueDate,
    percent: task.percent,
  };
}

/** Red first by days overdue (most first), blocked after; then by article and agency. */
function byUrgency(a: DigestLightItem, b: DigestLightItem): number {
  const days = (item: DigestLightItem) =>
    item.light.reasons.reduce((n, r) => (r.code === 'overdue' ? Math.max(n, r.days) : n), -1);
  return (
    days(b) - days(a) ||
    a.articleNo - b.articleNo ||
    (a.agency < b.agency ? -1 : a.agency > b.agency ? 1 : a.taskId - b.taskId)
  );
}

/** Canonical names of the agencies a blocker's text names (by name or alias), other than its own. */
function agenciesNamed(text: string, own: number | null, agencies: readonly DigestAgency[]): string[] {
  const found: Array<{ at: number; name: string }> = [];
  for (const agency of agencies) {
    if (agency.id === own) continue;
    let at = -1;
    for (const word of [agency.name, ...(agency.aliases ?? [])]) {
      if (word.length < 2) continue;
      const i = text.indexOf(word);
      if (i !== -1 && (at === -1 || i < at)) at = i;
    }
    if (at !== -1) found.push({ at, name: agency.name });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.name);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function buildDigest(input: DigestInput): Digest {
  const { calendar, now } = input;
  const today = shanghaiDate(now);
  const cycle = isoWeekOf(today);
  const weekStart = isoWeekStart(cycle);
  const weekStartAt = shanghaiInstant(weekStart, 0).toISOString();
  const start = cycleStart(weekStart, calendar);
  const live = input.tasks.filter((task) => (task.removedAt ?? null) === null);
  const taskById = new Map(live.map((task) => [task.id, task]));

  const reportsOf = new Map<number, DigestReport[]>();
  for (const report of input.reports) {
    const list = reportsOf.get(report.taskId);
    if (list) list.push(report);
    else reportsOf.set(report.taskId, [report]);
  }

  const lights = new Map<number, TrafficLight>();
  const red: DigestLightItem[] = [];
  const yellow: DigestLightItem[] = [];
  const noDueDate: DigestTaskRef[] = [];
  const counts = { tasks: live.length, red: 0, yellow: 0, green: 0, done: 0 };
  for (const task of live) {
    const light = computeTrafficLight({
      task,
      now,
      reports: reportsOf.get(task.id) ?? [],
      // Before the cycle's prompt nobody has been asked yet: no "no answer" reason then.
      ...(now.getTime() >= start.getTime() ? { cycle: { start } } : {}),
    });
    lights.set(task.id, light);
    counts[light.color] += 1;
    if (isDone(task.status)) counts.done += 1;
    if (light.color === 'red') red.push({ ...ref(task), light });
    const unset = light.reasons.some((r) => r.code === 'no_due_date');
    if (unset) noDueDate.push(ref(task));
    // A task yellow only for want of a due date is listed once, with those for coordinators to settle.
    if (light.color === 'yellow' && !(unset && light.reasons.length === 1))
      yellow.push({ ...ref(task), light });
  }
  red.sort(byUrgency);
  yellow.sort(byUrgency);
  noDueDate.sort((a, b) => a.articleNo - b.articleNo || a.taskId - b.taskId);

  // New blockers: reported this week on a task still blocked, the latest report per task.
  const agencies = input.agencies ?? [];
  const latestBlocker = new Map<number, DigestBlocker>();
  for (const blocker of input.blockers) {
    if (blocker.at < weekStartAt) continue;
    const task = taskById.get(blocker.taskId);
    if (!task?.blocked) continue;
    const previous = latestBlocker.get(blocker.taskId);
    if (!previous || blocker.at > previous.at) latestBlocker.set(blocker.taskId, blocker);
  }
  const blockers: DigestBlockerItem[] = [];
  for (const blocker of latestBlocker.values()) {
    const task = taskById.get(blocker.taskId);
    if (!task) continue;
    const reason = blocker.reason?.trim() || task.blockedReason?.trim() || null;
    blockers.push({
      ...ref(task),
      at: blocker.at,
      reason,
      named: reason === null ? [] : agenciesNamed(reason, task.agencyId, agencies),
    });
  }
  blockers.sort((a, b) => a.articleNo - b.articleNo || a.taskId - b.taskId);

  // Coordination between agencies: a blocker naming others, or a lead done while participants lag.
  const coordination: DigestCoordinationItem[] = [];
  for (const blocker of blockers) {
    if (blocker.named.length === 0) continue;
    coordination.push({
      articleNo: blocker.articleNo,
      articleKind: blocker.articleKind,
      articleTitle: blocker.articleTitle,
      agencies: [blocker.agency, ...blocker.named],
      cause: 'blocker_names_agencies',
    });
  }
  const byArticle = new Map<number, DigestTask[]>();
  for (const task of live) {
    const list = byArticle.get(task.articleId);
    if (list) list.push(task);
    else byArticle.set(task.articleId, [task]);
  }
  for (const tasks of byArticle.values()) {
    const leads = tasks.filter((task) => task.role === 'lead');
    const lagging = tasks.filter(
      (task) => task.role === 'participant' && !isDone(task.status) && lights.get(task.id)?.color === 'red',
    );
    if (leads.length === 0 || lagging.length === 0 || !leads.every((lead) => isDone(lead.status))) continue;
    const first = leads[0] as DigestTask;
    coordination.push({
      articleNo: first.articleNo,
      articleKind: first.articleKind,
      articleTitle: first.articleTitle,
      agencies: [...leads.map((lead) => lead.agency), ...lagging.map((task) => task.agency)],
      cause: 'participants_behind_lead',
    });
  }
  coordination.sort((a, b) => a.articleNo - b.articleNo);

  const extensions: DigestExtensionItem[] = input.extensions.flatMap((request) => {
    const task = taskById.get(request.taskId);
    return task
      ? [
          {
            ...ref(task),
            requestedDue: request.requestedDue,
            previousDue: request.previousDue,
            reason: request.reason,
          },
        ]
      : [];
  });
  extensions.sort((a, b) => a.articleNo - b.articleNo || a.taskId - b.taskId);

  const returned: DigestReturnItem[] = input.returns.flatMap((event) => {
    const task = taskById.get(event.taskId);
    return task && event.at >= weekStartAt && event.at <= now.toISOString()
      ? [{ ...ref(task), at: event.at, reason: event.reason }]
      : [];
  });
  returned.sort((a, b) => a.articleNo - b.articleNo || a.taskId - b.taskId);

  // Progress by part: every part the decision has, in order, even one without live tasks.
  const partsByNo = new Map<number, DigestPartProgress>();
  for (const part of input.parts ?? []) {
    partsByNo.set(part.no, { ...part, tasks: 0, done: 0, red: 0, yellow: 0, percent: 0 });
  }
  const percentSum = new Map<number, number>();
  for (const task of live) {
    let part = partsByNo.get(task.partNo);
    if (!part) {
      part = {
        no: task.partNo,
        label: `${numeral(task.partNo)}、`,
        title: '',
        tasks: 0,
        done: 0,
        red: 0,
        yellow: 0,
        percent: 0,
      };
      partsByNo.set(task.partNo, part);
    }
    part.tasks += 1;
    if (isDone(task.status)) part.done += 1;
    const color = lights.get(task.id)?.color;
    if (color === 'red') part.red += 1;
    if (color === 'yellow') part.yellow += 1;
    percentSum.set(
      task.partNo,
      (percentSum.get(task.partNo) ?? 0) + (task.status === 'verified' ? 100 : task.percent),
    );
  }
  const parts = [...partsByNo.values()]
    .map((part) => ({
      ...part,
      percent: part.tasks === 0 ? 0 : round1((percentSum.get(part.no) ?? 0) / part.tasks),
    }))
    .sort((a, b) => a.no - b.no);

  const targets: DigestTarget[] = [];
  for (const indicator of input.indicators) {
    const tasks = byArticle.get(indicator.articleId) ?? [];
    const first = tasks[0];
    if (!first) continue;
    const sum = tasks.reduce((n, task) => n + (task.status === 'verified' ? 100 : task.percent), 0);
    targets.push({
      articleNo: first.articleNo,
      articleTitle: first.articleTitle,
      metric: indicator.metric,
      comparator: indicator.comparator,
      value: indicator.value,
      unit: indicator.unit,
      deadlineYear: indicator.deadlineYear,
      percent: round1(sum / tasks.length),
      done: tasks.filter((task) => isDone(task.status)).length,
      tasks: tasks.length,
    });
  }
  targets.sort((a, b) => a.articleNo - b.articleNo);

  let scores: Digest['scores'] = null;
  if (input.scores) {
    const previous = new Map((input.scores.previous ?? []).map((s) => [s.agencyId, s.total]));
    scores = {
      period: input.scores.period,
      agencies: input.scores.current.map((s) => {
        const before = previous.get(s.agencyId);
        return {
          agencyId: s.agencyId,
          agency: s.agency,
          total: s.total,
          change:
            input.scores?.previous === undefined ? null : Math.round((s.total - (before ?? 0)) * 100) / 100,
        };
      }),
    };
  }

  return {
    cycle,
    today,
    weekStart,
    counts,
    red,
    yellow,
    blockers,
    coordination,
    extensions,
    returned,
    noDueDate,
    parts,
    targets,
    scores,
  };
}
