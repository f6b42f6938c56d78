import { createHash } from 'node:crypto';
import { DubanError } from '../core/errors.js';
import { parseDecision } from '../core/policy/parse.js';
import type { AgencyRegistry } from '../core/policy/registry.js';
import type {
  Indicator,
  ParsedArticle,
  ParsedDecision,
  ParseWarning,
  Responsible,
} from '../core/policy/types.js';
import type { TaskRole } from '../core/vocabulary.js';
import { createAgencyRepository } from '../store/agency-repository.js';
import type { AuditChannel } from '../store/audit-repository.js';
import type { DubanDatabase } from '../store/database.js';
import {
  type ArticleData,
  type ArticleSnapshot,
  createDocumentRepository,
  type DocumentSnapshot,
  type ImportPlan,
  type ImportPlanResult,
  type IndicatorData,
  type PlannedTask,
} from '../store/document-repository.js';

/** The parser's document-wide notes a coordinator should check before confirming an import. */
export const PREVIEW_NOTE_CODES: ReadonlySet<ParseWarning['code']> = new Set([
  'rule_applied',
  'unresolved_deadline',
  'ambiguous_clause',
]);

export interface ImportInput {
  db: DubanDatabase;
  text: string;
  /** Where the text came from (a file name, "chat upload"); stored with the document. */
  sourceName: string;
  registry: AgencyRegistry;
  now: Date;
  /** Revise this document instead of the one found by title. */
  documentId?: number;
  /** Default horizon for new tasks' due dates, in days from `now` (Asia/Shanghai). None by default. */
  defaultDueDays?: number;
  /** A decision the caller already parsed from `text` (saves parsing twice). */
  parsed?: ParsedDecision;
}

interface PreviewArticle {
  no: number;
  label: string;
  part: number;
  title: string;
  noClause: boolean;
  leads: string[];
  participants: string[];
  indicators: number;
}

interface PreviewTask {
  article: number;
  assignee: string;
  /** Null: the registry does not know this body; the task stays visible, unassigned. */
  agency: string | null;
  writtenName: string;
  role: TaskRole;
  dueDate: string | null;
}

interface TaskRef {
  assignee: string;
  role: TaskRole;
}

interface ImportDiff {
  articlesAdded: { no: number; title: string }[];
  /** `no` is the article's number in the stored text. */
  articlesRemoved: { no: number; title: string }[];
  articlesChanged: {
    no: number;
    previousNo: number;
    title: string;
    changes: ('title' | 'body' | 'clause' | 'part')[];
  }[];
  /** Same content, new number (an article inserted or removed before it). */
  articlesRenumbered: { no: number; previousNo: number; title: string }[];
  /** Per article kept in both texts: the responsible bodies added and dropped. */
  agencies: { article: number; title: string; added: TaskRef[]; dropped: TaskRef[] }[];
  tasksKept: number;
  tasksToClose: number;
}

export interface ImportPreview {
  title: string;
  sourceName: string;
  contentHash: string;
  /** new: a document never imported; unchanged: this exact text is already stored; revision: a new text of a stored document. */
  status: 'new' | 'unchanged' | 'revision';
  documentId: number | null;
  parts: { no: number; label: string; title: string }[];
  articles: PreviewArticle[];
  /** The tasks the import would create (for a revision: only the new ones). */
  tasks: PreviewTask[];
  /** Canonical names of the agencies the text assigns work to, in registry order. */
  agencies: string[];
  unknownNames: { article: number; text: string; role: TaskRole }[];
  indicators: (Indicator & { article: number })[];
  noClauseArticles: number[];
  /** Indicator deadlines already past at `now`: reported here, never turned into overdue tasks. */
  pastDeadlines: { article: number; metric: string; deadlineYear: number; source: string }[];
  warnings: ParseWarning[];
  diff: ImportDiff | null;
}

export interface ImportResult {
  preview: ImportPreview;
  applied: boolean;
  documentId: number;
  changes: Omit<ImportPlanResult, 'documentId'> & { agenciesAdded: number };
}

/** The idempotency key: the text with line endings, BOM and trailing spaces normalized. */
export function contentHashOf(text: string): string {
  const normalized = text
    .replace(/^\uFEFF/u, '')
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
  return createHash('sha256').update(normalized).digest('hex');
}

let shanghaiDateFormat: Intl.DateTimeFormat | undefined;

/** The calendar date in Asia/Shanghai as YYYY-MM-DD (en-CA's format); the formatter is costly to build. */
function shanghaiDate(at: Date): string {
  shanghaiDateFormat ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return shanghaiDateFormat.format(at);
}

function dueDateFor(now: Date, days: number | undefined): string | null {
  if (days === undefined) return null;
  return shanghaiDate(new Date(now.getTime() + days * 86_400_000));
}

/** One task per responsible body and role; a collective expands to its members, a lead is never also a participant. */
function plannedTasksOf(article: ParsedArticle, defaultDueDate: string | null): PlannedTask[] {
  const result: PlannedTask[] = [];
  // The decision's own deadline wins; the --due-days horizon only fills in where it names none.
  const due = article.due;
  const deadline = {
    dueDate: due?.kind === 'date' ? due.date : due === undefined ? defaultDueDate : null,
    dueKind: due?.kind ?? null,
    dueEvery: due?.kind === 'recurring' ? due.every : null,
    dueWritten: due?.written ?? null,
  };
  const leads = new Set<string>();
  const seen = new Set<string>();
  const add = (who: Responsible, role: TaskRole) => {
    const targets: { assignee: string; agency: string | null }[] =
      who.members !== undefined && who.members.length > 0
        ? who.members.map((m) => ({ assignee: m, agency: m }))
        : [{ assignee: who.name, agency: who.known ? who.name : null }];
    for (const target of targets) {
      if (role === 'participant' && leads.has(target.assignee)) continue;
      const key = `${role}\u0000${target.assignee}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (role === 'lead') leads.add(target.assignee);
      result.push({ ...target, writtenName: who.written, role, ...deadline });
    }
  };
  for (const lead of article.leads) add(lead, 'lead');
  for (const participant of article.participants) add(participant, 'participant');
  return result;
}

function articleData(a: ParsedArticle): ArticleData {
  return {
    ordinal: a.no,
    label: a.label,
    partNo: a.part,
    title: a.title,
    body: a.body,
    clause: a.clause,
    noClause: a.clause === null,
  };
}

function indicatorData(list: Indicator[]): IndicatorData[] {
  return list.map((i) => ({
    metric: i.metric,
    comparator: i.comparator,
    value: i.value,
    unit: i.unit,
    deadlineYear: i.deadlineYear,
    startYear: i.startYear ?? null,
    perYear: i.perYear ?? false,
    source: i.source,
  }));
}

const sameIndicators = (a: IndicatorData[], b: IndicatorData[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Pairs the new text's articles with the stored ones: identical content first (so renumbering is not a
 * change), then the same title (an edited body or clause), the same body (an edited title), and last the
 * same position (title and body both edited).
 */
function matchArticles(
  next: ParsedArticle[],
  stored: ArticleSnapshot[],
): Map<ParsedArticle, ArticleSnapshot> {
  const pairs = new Map<ParsedArticle, ArticleSnapshot>();
  const free = new Set(stored);
  const passes: ((n: ParsedArticle, s: ArticleSnapshot) => boolean)[] = [
    (n, s) => n.title === s.title && n.body === s.body && n.clause === s.clause,
    (n, s) => n.title === s.title,
    (n, s) => n.body === s.body && n.body !== '',
    (n, s) => n.no === s.ordinal,
  ];
  for (const pass of passes) {
    for (const article of next) {
      if (pairs.has(article)) continue;
      for (const candidate of free) {
        if (pass(article, candidate)) {
          pairs.set(article, candidate);
          free.delete(candidate);
          break;
        }
      }
    }
  }
  return pairs;
}

function buildPlan(
  input: ImportInput,
  parsed: ParsedDecision,
  contentHash: string,
  snapshot: DocumentSnapshot | null,
): { plan: ImportPlan; diff: ImportDiff | null; creates: PreviewTask[] } {
  const dueDate = dueDateFor(input.now, input.defaultDueDays);
  const plan: ImportPlan = {
    document: {
      id: snapshot?.document.id ?? null,
      title: parsed.title,
      contentHash,
      sourceName: input.sourceName,
    },
    parts: parsed.parts.map((p) => ({ no: p.no, label: p.label, title: p.title })),
    createArticles: [],
    updateArticles: [],
    removeArticles: [],
    createTasks: [],
    removeTasks: [],
    renameTasks: [],
  };
  const creates: PreviewTask[] = [];

  if (snapshot === null) {
    for (const article of parsed.articles) {
      const planned = plannedTasksOf(article, dueDate);
      plan.createArticles.push({
        ...articleData(article),
        indicators: indicatorData(article.indicators),
        tasks: planned,
      });
      for (const t of planned) creates.push({ article: article.no, ...t });
    }
    return { plan, diff: null, creates };
  }

  const diff: ImportDiff = {
    articlesAdded: [],
    articlesRemoved: [],
    articlesChanged: [],
    articlesRenumbered: [],
    agencies: [],
    tasksKept: 0,
    tasksToClose: 0,
  };
  const pairs = matchArticles(parsed.articles, snapshot.articles);
  const tasksByArticle = new Map<number, DocumentSnapshot['tasks']>();
  for (const task of snapshot.tasks) {
    const list = tasksByArticle.get(task.articleId) ?? [];
    list.push(task);
    tasksByArticle.set(task.articleId, list);
  }

  for (const article of parsed.articles) {
    const planned = plannedTasksOf(article, dueDate);
    const stored = pairs.get(article);
    if (stored === undefined) {
      diff.articlesAdded.push({ no: article.no, title: article.title });
      plan.createArticles.push({
        ...articleData(article),
        indicators: indicatorData(article.indicators),
        tasks: planned,
      });
      for (const t of planned) creates.push({ article: article.no, ...t });
      continue;
    }
    const next = articleData(article);
    const changes: ImportDiff['articlesChanged'][number]['changes'] = [];
    if (next.title !== stored.title) changes.push('title');
    if (next.body !== stored.body) changes.push('body');
    if (next.clause !== stored.clause) changes.push('clause');
    if (next.partNo !== stored.partNo) changes.push('part');
    if (changes.length > 0) {
      diff.articlesChanged.push({
        no: article.no,
        previousNo: stored.ordinal,
        title: article.title,
        changes,
      });
    } else if (next.ordinal !== stored.ordinal || next.label !== stored.label) {
      diff.articlesRenumbered.push({ no: article.no, previousNo: stored.ordinal, title: article.title });
    }
    const nextIndicators = indicatorData(article.indicators);
    const indicatorsChanged = !sameIndicators(nextIndicators, stored.indicators);
    if (
      changes.length > 0 ||
      indicatorsChanged ||
      next.ordinal !== stored.ordinal ||
      next.label !== stored.label
    ) {
      plan.updateArticles.push({
        id: stored.id,
        next,
        indicators: indicatorsChanged ? nextIndicators : null,
      });
    }

    const existing = new Map(
      (tasksByArticle.get(stored.id) ?? []).map((t) => [`${t.role}\u0000${t.assignee}`, t]),
    );
    const added: TaskRef[] = [];
    for (const task of planned) {
      const key = `${task.role}\u0000${task.assignee}`;
      const current = existing.get(key);
      if (current === undefined) {
        added.push({ assignee: task.assignee, role: task.role });
        plan.createTasks.push({ ...task, articleId: stored.id });
        creates.push({ article: article.no, ...task });
        continue;
      }
      existing.delete(key);
      diff.tasksKept++;
      if (current.writtenName !== task.writtenName)
        plan.renameTasks.push({ id: current.id, writtenName: task.writtenName });
    }
    const dropped: TaskRef[] = [];
    for (const task of existing.values()) {
      dropped.push({ assignee: task.assignee, role: task.role });
      plan.removeTasks.push({ id: task.id });
      diff.tasksToClose++;
    }
    if (added.length > 0 || dropped.length > 0) {
      diff.agencies.push({ article: article.no, title: article.title, added, dropped });
    }
  }

  const matched = new Set(pairs.values());
  for (const stored of snapshot.articles) {
    if (matched.has(stored)) continue;
    diff.articlesRemoved.push({ no: stored.ordinal, title: stored.title });
    plan.removeArticles.push({ id: stored.id });
    diff.tasksToClose += tasksByArticle.get(stored.id)?.length ?? 0;
  }
  return { plan, diff, creates };
}

function prepare(input: ImportInput): { preview: ImportPreview; plan: ImportPlan | null } {
  const parsed = input.parsed ?? parseDecision({ text: input.text, registry: input.registry });
  const contentHash = contentHashOf(input.text);
  const documents = createDocumentRepository({ db: input.db });

  const sameText = documents.findDocumentByHash(contentHash);
  const target =
    sameText ??
    (input.documentId !== undefined
      ? documents.getDocument(input.documentId)
      : documents.findDocumentByTitle(parsed.title));
  if (input.documentId !== undefined && target === null) {
    throw new DubanError('ledger.document_not_found', `No document #${input.documentId} in the ledger.`, {
      hint: 'Leave the document out to revise the one with the same title, or list the documents first.',
    });
  }
  const status: ImportPreview['status'] =
    sameText !== null ? 'unchanged' : target !== null ? 'revision' : 'new';
  const snapshot =
    status === 'revision' && target !== null ? documents.loadDocumentSnapshot(target.id) : null;
  const built = status === 'unchanged' ? null : buildPlan(input, parsed, contentHash, snapshot);

  const currentYear = Number(shanghaiDate(input.now).slice(0, 4));
  const unknownNames: ImportPreview['unknownNames'] = [];
  const agencySet = new Set<string>();
  for (const article of parsed.articles) {
    for (const [role, list] of [
      ['lead', article.leads],
      ['participant', article.participants],
    ] as const) {
      for (const who of list) {
        if (!who.known) unknownNames.push({ article: article.no, text: who.written, role });
        else if (who.members !== undefined) for (const m of who.members) agencySet.add(m);
        else agencySet.add(who.name);
      }
    }
  }
  const registryOrder = input.registry.all().map((d) => d.name);
  const indicatorsList = parsed.articles.flatMap((a) => a.indicators.map((i) => ({ ...i, article: a.no })));

  const preview: ImportPreview = {
    title: parsed.title,
    sourceName: input.sourceName,
    contentHash,
    status,
    documentId: target?.id ?? null,
    parts: parsed.parts.map((p) => ({ no: p.no, label: p.label, title: p.title })),
    articles: parsed.articles.map((a) => ({
      no: a.no,
      label: a.label,
      part: a.part,
      title: a.title,
      noClause: a.clause === null,
      leads: a.leads.map((r) => r.name),
      participants: a.participants.map((r) => r.name),
      indicators: a.indicators.length,
    })),
    tasks: built?.creates ?? [],
    agencies: registryOrder.filter((name) => agencySet.has(name)),
    unknownNames,
    indicators: indicatorsList,
    noClauseArticles: parsed.articles.filter((a) => a.clause === null).map((a) => a.no),
    pastDeadlines: indicatorsList
      .filter((i) => i.deadlineYear !== null && i.deadlineYear < currentYear)
      .map((i) => ({
        article: i.article,
        metric: i.metric,
        deadlineYear: i.deadlineYear as number,
        source: i.source,
      })),
    warnings: parsed.warnings,
    diff: built?.diff ?? null,
  };
  return { preview, plan: built?.plan ?? null };
}

/** What an import would do, without changing anything. */
export function previewImport(input: ImportInput): ImportPreview {
  return prepare(input).preview;
}

/**
 * Imports (or revises) a decision in one transaction: agencies synced from the registry, then the plan
 * applied. The same text twice changes nothing; every change is an audit event.
 */
export function applyImport(input: ImportInput & { actor: string; channel: AuditChannel }): ImportResult {
  const documents = createDocumentRepository({ db: input.db });
  const agencies = createAgencyRepository({ db: input.db });
  const ctx = { at: input.now.toISOString(), actor: input.actor, channel: input.channel };
  return documents.transaction(() => {
    const { preview, plan } = prepare(input);
    if (plan === null) {
      return {
        preview,
        applied: false,
        documentId: preview.documentId as number,
        changes: {
          articlesCreated: 0,
          articlesUpdated: 0,
          articlesRemoved: 0,
          tasksCreated: 0,
          tasksRemoved: 0,
          auditEvents: 0,
          agenciesAdded: 0,
        },
      };
    }
    const synced = agencies.syncAgencies({ definitions: input.registry.all(), ...ctx });
    const { documentId, ...changes } = documents.applyImportPlan({ plan, ...ctx });
    return {
      preview,
      applied: true,
      documentId,
      changes: { ...changes, agenciesAdded: synced.added.length },
    };
  });
}
