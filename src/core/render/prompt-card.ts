/**
 * The cycle's prompt: ONE card (JSON 2.0) per agency listing its open tasks, each with a small form
 * prefilled from the last report, and one "no change this cycle" tap. A pure function of task state,
 * so the same call re-renders the card after a reply. A card over Lark's 30 KB / 200 elements is
 * split into pages ("第 1/3 页"), never truncated.
 */

import { DubanError } from '../errors.js';
import {
  computeTrafficLight,
  type LightColor,
  type LightTask,
  type TrafficLight,
} from '../progress/lights.js';
import { isOpenTask, REPORTABLE_STATUSES, TASK_STATUSES } from '../vocabulary.js';
import type { CardJson } from './card-json.js';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, measureCardJson } from './card-limits.js';
import { type Locale, t } from './catalog.js';
import { describeLight } from './prompt-card-lights.js';

interface PromptCardAgency {
  id: number;
  name: string;
}

interface PromptCardCycle {
  /** The cycle's key as planned, e.g. `2026-W48`; it travels in every button value. */
  key: string;
  /** What people read; defaults to the key. */
  label?: string;
}

interface PromptLastReport {
  /** ISO timestamp of the report. */
  at: string;
  status: string;
  percent: number;
  blocked?: boolean;
  note?: string | null;
  evidenceUrl?: string | null;
}

export interface PromptCardTask {
  id: number;
  /** The article's number in the decision (its ordinal), shown as 第N条. */
  articleNo: number;
  articleTitle: string;
  role: 'lead' | 'participant';
  status: string;
  percent: number;
  dueDate: string | null;
  blocked: boolean;
  blockedReason?: string | null;
  startDate?: string | null;
  removedAt?: string | null;
  lastReport?: PromptLastReport | null;
  repliedThisCycle?: boolean;
  /** A light computed by the caller (e.g. with this cycle's replies); when absent the card computes it. */
  light?: TrafficLight;
}

export interface RenderPromptCardsInput {
  agency: PromptCardAgency;
  cycle: PromptCardCycle;
  tasks: readonly PromptCardTask[];
  now: Date;
  locale?: Locale;
  /** Lark's limits by default; tests may lower them. */
  limits?: { maxBytes?: number; maxElements?: number };
}

/** The statuses an agency can choose in the form; `blocked` is a flag but reads as a status. */
export const PROMPT_FORM_STATUSES = [...REPORTABLE_STATUSES, 'blocked'] as const;
export type PromptFormStatus = (typeof PROMPT_FORM_STATUSES)[number];

/** Component names of one task's form; the progress handler reads `form_value` with them. */
export function promptFieldNames(taskId: number): {
  form: string;
  status: string;
  percent: string;
  note: string;
  evidence: string;
  submit: string;
  text: string;
} {
  return {
    form: `f${taskId}`,
    status: `st${taskId}`,
    percent: `pc${taskId}`,
    note: `nt${taskId}`,
    evidence: `ev${taskId}`,
    submit: `sb${taskId}`,
    text: `md${taskId}`,
  };
}

const NO_CHANGE_ELEMENT_ID = 'no_change';

const LIGHT_ICON: Record<LightColor, string> = { red: '🔴', yellow: '🟡', green: '🟢' };
const HEADER_TEMPLATE: Record<LightColor, string> = { red: 'red', yellow: 'orange', green: 'green' };
const LIGHT_RANK: Record<LightColor, number> = { green: 0, yellow: 1, red: 2 };

export const NOTE_MAX = 1000;
export const URL_MAX = 500;

function plain(content: string): { tag: 'plain_text'; content: string } {
  return { tag: 'plain_text', content };
}

/** Card markdown treats these as markup; the decision's titles are data, not markup. */
function escapeMarkdown(text: string): string {
  return text.replace(/[&<>*_~`[\]]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function statusLabel(status: string, locale?: Locale): string {
  switch (status) {
    case 'not_started':
      return t('prompts.status.not_started', undefined, locale);
    case 'in_progress':
      return t('prompts.status.in_progress', undefined, locale);
    case 'reported_done':
      return t('prompts.status.reported_done', undefined, locale);
    case 'verified':
      return t('prompts.status.verified', undefined, locale);
    case 'returned':
      return t('prompts.status.returned', undefined, locale);
    case 'blocked':
      return t('prompts.status.blocked', undefined, locale);
    default:
      return status;
  }
}

function reportDate(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return at;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

function initialStatus(task: PromptCardTask): PromptFormStatus {
  const source = task.lastReport ?? task;
  if (source.blocked === true) return 'blocked';
  switch (source.status) {
    case 'not_started':
      return 'not_started';
    case 'reported_done':
    case 'verified':
      return 'reported_done';
    default:
      return 'in_progress';
  }
}

function clampPercent(percent: number): number {
  return Math.min(100, Math.max(0, Math.round(percent)));
}

function renderTask(
  task: PromptCardTask,
  light: TrafficLight,
  cycle: PromptCardCycle,
  locale: Locale | undefined,
): Record<string, unknown>[] {
  const names = promptFieldNames(task.id);
  const role = t(task.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale);
  const due = task.dueDate ?? t('prompts.task.noDue', undefined, locale);
  const last = task.lastReport
    ? t(
        'prompts.task.lastReport',
        {
          status: statusLabel(task.lastReport.blocked ? 'blocked' : task.lastReport.status, locale),
          percent: clampPercent(task.lastReport.percent),
          date: reportDate(task.lastReport.at),
        },
        locale,
      )
    : t(
        'prompts.task.neverReported',
        { status: statusLabel(task.status, locale), percent: clampPercent(task.percent) },
        locale,
      );
  const worded = describeLight(light, locale);
  const lightLine = `${LIGHT_ICON[light.color]} ${t(
    'prompts.light.line',
    { light: worded.name, reason: escapeMarkdown(worded.reason) },
    locale,
  )}`;
  const content = [
    t(
      'prompts.task.heading',
      { article: String(task.articleNo), title: escapeMarkdown(task.articleTitle) },
      locale,
    ),
    t('prompts.task.meta', { role, due }, locale),
    last,
    lightLine,
  ].join('\n');

  const prefillPercent = clampPercent(task.lastReport?.percent ?? task.percent);
  const note = task.lastReport?.note ?? '';
  const evidence = task.lastReport?.evidenceUrl ?? '';
  return [
    { tag: 'markdown', element_id: names.text, content },
    {
      tag: 'form',
      name: names.form,
      element_id: names.form,
      elements: [
        {
          tag: 'select_static',
          name: names.status,
          element_id: names.status,
          initial_option: initialStatus(task),
          options: PROMPT_FORM_STATUSES.map((status) => ({
            text: plain(statusLabel(status, locale)),
            value: status,
          })),
        },
        {
          tag: 'input',
          name: names.percent,
          element_id: names.percent,
          label: plain(t('prompts.form.percent', undefined, locale)),
          default_value: String(prefillPercent),
          max_length: 3,
        },
        {
          tag: 'input',
          name: names.note,
          element_id: names.note,
          input_type: 'multiline_text',
          label: plain(t('prompts.form.note', undefined, locale)),
          placeholder: plain(t('prompts.form.notePlaceholder', undefined, locale)),
          default_value: note.slice(0, NOTE_MAX),
          max_length: NOTE_MAX,
        },
        {
          tag: 'input',
          name: names.evidence,
          element_id: names.evidence,
          label: plain(t('prompts.form.evidence', undefined, locale)),
          placeholder: plain(t('prompts.form.evidencePlaceholder', undefined, locale)),
          default_value: evidence.slice(0, URL_MAX),
          max_length: URL_MAX,
        },
        {
          tag: 'button',
          name: names.submit,
          element_id: names.submit,
          text: plain(t('prompts.form.submit', undefined, locale)),
          type: 'primary',
          form_action_type: 'submit',
          behaviors: [{ type: 'callback', value: { action: 'report', task_id: task.id, cycle: cycle.key } }],
        },
      ],
    },
  ];
}

function buildPage(input: {
  agency: PromptCardAgency;
  cycle: PromptCardCycle;
  count: number;
  color: LightColor;
  page: number;
  pages: number;
  blocks: Record<string, unknown>[][];
  locale: Locale | undefined;
}): CardJson {
  const { agency, cycle, locale } = input;
  const label = cycle.label ?? cycle.key;
  const subtitle = [t('prompts.card.subtitle', { cycle: label, count: input.count }, locale)];
  if (input.pages > 1)
    subtitle.push(t('prompts.card.page', { page: input.page, pages: input.pages }, locale));
  return {
    schema: '2.0',
    config: {
      update_multi: true,
      width_mode: 'fill',
      summary: { content: t('prompts.card.summary', { count: input.count }, locale) },
    },
    header: {
      title: plain(t('prompts.card.title', { agency: agency.name }, locale)),
      subtitle: plain(subtitle.join(' · ')),
      template: HEADER_TEMPLATE[input.color],
    },
    body: {
      direction: 'vertical',
      vertical_spacing: '12px',
      elements: [
        { tag: 'markdown', element_id: 'intro', content: t('prompts.card.intro', undefined, locale) },
        ...input.blocks.flat(),
        {
          tag: 'button',
          element_id: NO_CHANGE_ELEMENT_ID,
          text: plain(t('prompts.noChange', undefined, locale)),
          type: 'default',
          behaviors: [
            { type: 'callback', value: { action: 'no_change', agency_id: agency.id, cycle: cycle.key } },
          ],
        },
      ],
    },
  };
}

function lightTask(task: PromptCardTask): LightTask {
  const status = (TASK_STATUSES as readonly string[]).includes(task.status)
    ? (task.status as LightTask['status'])
    : 'in_progress';
  return {
    status,
    percent: task.percent,
    dueDate: task.dueDate,
    startDate: task.startDate ?? null,
    blocked: task.blocked,
    blockedReason: task.blockedReason ?? null,
  };
}

/** Open tasks by article, the lead's task before a participant's. */
function orderTasks(tasks: readonly PromptCardTask[]): PromptCardTask[] {
  return (
    tasks
      // Tasks the agency still has to move: awaiting verification counts as done, removed ones are gone.
      .filter(isOpenTask)
      .sort(
        (a, b) =>
          a.articleNo - b.articleNo || (a.role === b.role ? 0 : a.role === 'lead' ? -1 : 1) || a.id - b.id,
      )
  );
}

/**
 * The cards for one agency and cycle: one card, or its pages when one card would break Lark's
 * limits. An agency with no open task gets no card (an empty array).
 */
export function renderPromptCards(input: RenderPromptCardsInput): CardJson[] {
  const { agency, cycle, now, locale } = input;
  const maxBytes = input.limits?.maxBytes ?? CARD_MAX_BYTES;
  const maxElements = input.limits?.maxElements ?? CARD_MAX_ELEMENTS;
  const tasks = orderTasks(input.tasks);
  if (tasks.length === 0) return [];

  const lights = tasks.map(
    (task) =>
      task.light ??
      computeTrafficLight({ task: lightTask(task), now, repliedThisCycle: task.repliedThisCycle }),
  );
  const color = lights.reduce<LightColor>(
    (worst, l) => (LIGHT_RANK[l.color] > LIGHT_RANK[worst] ? l.color : worst),
    'green',
  );
  const blocks = tasks.map((task, i) => renderTask(task, lights[i] as TrafficLight, cycle, locale));
  const page = (blocksOfPage: Record<string, unknown>[][], n: number, of: number) =>
    buildPage({
      agency,
      cycle,
      count: tasks.length,
      color,
      page: n,
      pages: of,
      blocks: blocksOfPage,
      locale,
    });
  // A page is the empty page plus its tasks' elements (each adds its JSON and one comma to the
  // elements array), so sizes add up exactly and each card is serialised once to measure it.
  // The empty page is measured with the widest page label, so the final labels cannot push a page over.
  const { bytes: baseBytes, elements: baseElements } = measureCardJson(JSON.stringify(page([], 999, 999)));
  const costs = blocks.map((block) => {
    // `[a,b]` holds the block's elements and one comma fewer than they add to a page.
    const measured = measureCardJson(JSON.stringify(block));
    return { bytes: measured.bytes - 1, elements: measured.elements };
  });

  const pages: Record<string, unknown>[][][] = [];
  let current: Record<string, unknown>[][] = [];
  let bytes = baseBytes;
  let elements = baseElements;
  for (const [i, block] of blocks.entries()) {
    const cost = costs[i] as { bytes: number; elements: number };
    if (baseBytes + cost.bytes > maxBytes || baseElements + cost.elements > maxElements) {
      throw new DubanError(
        'render.card_too_large',
        `Task ${tasks[i]?.id} alone does not fit in one card (${maxBytes} bytes, ${maxElements} elements)`,
      );
    }
    if (current.length > 0 && (bytes + cost.bytes > maxBytes || elements + cost.elements > maxElements)) {
      pages.push(current);
      current = [];
      bytes = baseBytes;
      elements = baseElements;
    }
    current.push(block);
    bytes += cost.bytes;
    elements += cost.elements;
  }
  pages.push(current);
  return pages.map((blocksOfPage, i) => page(blocksOfPage, i + 1, pages.length));
}
