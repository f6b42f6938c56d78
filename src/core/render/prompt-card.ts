/**
 * The cycle's prompt: ONE compact card (JSON 2.0) per agency, a line per task (article, title, role, due
 * date, last report, light and its reason) with a 报送 button, and one "no change this cycle" tap.
 * Lark refuses a form inside a collapsible panel, so a task's form is "unfolded" by re-rendering the
 * card with that form open (the callback's answer carries the new card). A pure function of task state,
 * so the same call re-renders the card after a report, and the card always shows the ledger. Every
 * button value carries the card's cycle and issue time, so a tap on an old card can be told apart.
 * A card over Lark's 30 KB / 200 elements is split into pages ("第 1/3 页"), never truncated; the room
 * one open form needs is kept free on every page, so opening a form never overflows it.
 */

import { DubanError } from '../errors.js';
import {
  computeTrafficLight,
  type LightColor,
  type LightTask,
  type TrafficLight,
} from '../progress/lights.js';
import {
  type ArticleKind,
  type DueKind,
  type DuePeriod,
  isOpenTask,
  REPORTABLE_STATUSES,
  TASK_STATUSES,
} from '../vocabulary.js';
import type { CardJson } from './card-json.js';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, measureCardJson } from './card-limits.js';
import { type Locale, t } from './catalog.js';
import { describeLight } from './prompt-card-lights.js';
import { taskPlaceLabel } from './task-place.js';

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
  /** Who reported it, as people read it (a name, or the open_id when no name is known). */
  by?: string | null;
  /** True for a "no change this cycle" confirmation. */
  noChange?: boolean;
}

/** A participant of an article the card's agency leads: its last report, or none. */
export interface PromptParticipant {
  agency: string;
  status: string;
  percent: number;
  blocked?: boolean;
  /** ISO timestamp of its last report (or no-change); null when it never reported. */
  lastReportAt: string | null;
}

export interface PromptCardTask {
  id: number;
  /** The article's number in the decision (its ordinal), shown as 第N条; an instruction's as 批示N. */
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  articleTitle: string;
  role: 'lead' | 'participant';
  status: string;
  percent: number;
  dueDate: string | null;
  /** What the decision said about the deadline when it gave no date: a recurring report, ongoing work. */
  dueKind?: DueKind | null;
  dueEvery?: DuePeriod | null;
  dueWritten?: string | null;
  blocked: boolean;
  blockedReason?: string | null;
  startDate?: string | null;
  removedAt?: string | null;
  lastReport?: PromptLastReport | null;
  /**
   * Reported (or confirmed unchanged) in the card's cycle. A task reported done in the cycle stays on
   * the card, so the report can be seen and corrected there.
   */
  repliedThisCycle?: boolean;
  /** A light computed by the caller (e.g. with this cycle's replies); when absent the card computes it. */
  light?: TrafficLight;
  /** For a task the agency leads: the article's participants, rolled up into one line of the row. */
  participants?: readonly PromptParticipant[];
}

export interface RenderPromptCardsInput {
  agency: PromptCardAgency;
  cycle: PromptCardCycle;
  tasks: readonly PromptCardTask[];
  /** When the card is issued; it travels in every button value (`issued`, epoch ms). */
  now: Date;
  locale?: Locale;
  /** The task whose labelled form is open (the 报送 button was tapped); at most one. */
  openTaskId?: number | undefined;
  /** Which of the open task's forms shows: its report (default) or its extension request (申请延期). */
  openForm?: 'report' | 'extend' | undefined;
  /** The task a report was just recorded for: the card says what was recorded, by whom and when. */
  recordedTaskId?: number | undefined;
  /** A line shown at the top of the card (e.g. how many tasks a no-change tap confirmed). */
  notice?: string | undefined;
  /** Lark's limits by default; tests may lower them. */
  limits?: { maxBytes?: number; maxElements?: number };
}

/** The statuses an agency can choose in the form; `blocked` is a flag but reads as a status. */
export const PROMPT_FORM_STATUSES = [...REPORTABLE_STATUSES, 'blocked'] as const;
export type PromptFormStatus = (typeof PROMPT_FORM_STATUSES)[number];

/** The card actions the prompt card's buttons call (the bot declares one action for each). */
export const PROMPT_ACTIONS = {
  open: 'open_report',
  report: 'report',
  noChange: 'no_change',
  openExtension: 'open_extension',
  extend: 'request_extension',
} as const;

/** Component names of one task's row and form; the progress handler reads `form_value` with them. */
export function promptFieldNames(taskId: number): {
  form: string;
  status: string;
  statusLabel: string;
  percent: string;
  note: string;
  evidence: string;
  submit: string;
  text: string;
  open: string;
  extendOpen: string;
  extendForm: string;
  extendDate: string;
  extendReason: string;
  extendSubmit: string;
} {
  return {
    form: `f${taskId}`,
    status: `st${taskId}`,
    statusLabel: `sl${taskId}`,
    percent: `pc${taskId}`,
    note: `nt${taskId}`,
    evidence: `ev${taskId}`,
    submit: `sb${taskId}`,
    text: `md${taskId}`,
    open: `ob${taskId}`,
    extendOpen: `xo${taskId}`,
    extendForm: `xf${taskId}`,
    extendDate: `xd${taskId}`,
    extendReason: `xr${taskId}`,
    extendSubmit: `xs${taskId}`,
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

/** `2026-11-26 10:00` in Shanghai: when a report landed, to the minute. */
function reportTime(at: string): string {
  const ms = Date.parse(at);
  if (Number.isNaN(ms)) return at;
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
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

/** What the card says about a task's last report: status, percent, when and by whom. */
function lastReportText(task: PromptCardTask, locale: Locale | undefined): string {
  const last = task.lastReport;
  if (!last) {
    return t(
      'prompts.task.neverReported',
      { status: statusLabel(task.status, locale), percent: clampPercent(task.percent) },
      locale,
    );
  }
  return t(
    last.noChange ? 'prompts.task.lastNoChange' : 'prompts.task.lastReport',
    {
      status: statusLabel(last.blocked ? 'blocked' : last.status, locale),
      percent: clampPercent(last.percent),
      date: reportTime(last.at),
      by: escapeMarkdown(last.by ?? '') || t('common.none', undefined, locale),
    },
    locale,
  );
}

/** `11-26` in Shanghai. */
function shortDate(at: string): string {
  return reportTime(at).slice(5, 10);
}

/**
 * Bytes the roll-up line may take. An article every agency takes part in has hundreds of
 * participants; listed in full, the lead's one task would outgrow a card (30 KB) and the render would
 * refuse it. The rest are counted instead of named.
 */
export const ROLLUP_MAX_BYTES = 2048;
const utf8 = new TextEncoder();

/**
 * The roll-up: one compact line under a lead's task with each participant's last status and date,
 * inside the row's markdown, so it costs bytes and never an element. Past `ROLLUP_MAX_BYTES` the
 * remaining participants are only counted.
 */
export function participantsLine(
  participants: readonly PromptParticipant[],
  locale?: Locale,
): string | undefined {
  if (participants.length === 0) return undefined;
  const separator = t('rollup.separator', undefined, locale);
  const parts: string[] = [];
  let bytes = 0;
  for (const [i, p] of participants.entries()) {
    const part =
      p.lastReportAt === null
        ? t('rollup.silent', { agency: escapeMarkdown(p.agency) }, locale)
        : t(
            'rollup.reported',
            {
              agency: escapeMarkdown(p.agency),
              status: statusLabel(p.blocked ? 'blocked' : p.status, locale),
              percent: clampPercent(p.percent),
              date: shortDate(p.lastReportAt),
            },
            locale,
          );
    const cost = utf8.encode(part).length + utf8.encode(separator).length;
    // The first is always named; the "and N more" note needs its room too.
    if (parts.length > 0 && bytes + cost > ROLLUP_MAX_BYTES) {
      parts.push(t('rollup.more', { count: participants.length - i }, locale));
      break;
    }
    parts.push(part);
    bytes += cost;
  }
  return t('rollup.line', { list: parts.join(separator) }, locale);
}

interface CardValues {
  agencyId: number;
  cycle: string;
  issued: number;
  page: number | undefined;
}

function callback(value: Record<string, unknown>): { type: 'callback'; value: Record<string, unknown> }[] {
  return [{ type: 'callback', value }];
}

/** One task's line and its 报送 (or 收起) button: three elements, so thirty tasks fit one card. */
function renderRow(
  task: PromptCardTask,
  light: TrafficLight,
  open: boolean,
  values: CardValues,
  locale: Locale | undefined,
): Record<string, unknown>[] {
  const names = promptFieldNames(task.id);
  const role = t(task.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale);
  const written = task.dueDate ?? task.dueWritten;
  const due =
    written === null || written === undefined
      ? t('prompts.task.noDue', undefined, locale)
      : t('prompts.task.dueOn', { due: written }, locale);
  const worded = describeLight(light, locale);
  const content = [
    `${LIGHT_ICON[light.color]} ${t(
      'prompts.task.line',
      { place: taskPlaceLabel(task, locale), title: escapeMarkdown(task.articleTitle), role, due },
      locale,
    )}`,
    `${lastReportText(task, locale)} · ${t(
      'prompts.light.line',
      { light: worded.name, reason: escapeMarkdown(worded.reason) },
      locale,
    )}`,
    ...(task.role === 'lead' && task.participants !== undefined
      ? [participantsLine(task.participants, locale)].filter((line) => line !== undefined)
      : []),
  ].join('\n');
  const done = task.status === 'reported_done';
  const buttonText = open
    ? t('prompts.row.close', undefined, locale)
    : done
      ? t('prompts.row.correct', undefined, locale)
      : t('prompts.row.open', undefined, locale);
  const pageField = values.page === undefined ? {} : { page: values.page };
  return [
    { tag: 'markdown', element_id: names.text, content },
    {
      tag: 'button',
      element_id: names.open,
      text: plain(buttonText),
      type: open ? 'default' : done ? 'primary_text' : 'primary',
      size: 'small',
      behaviors: callback({
        action: PROMPT_ACTIONS.open,
        agency_id: values.agencyId,
        // 收起 closes the form: the same card without a task open.
        ...(open ? {} : { task_id: task.id }),
        ...pageField,
        cycle: values.cycle,
        issued: values.issued,
      }),
    },
  ];
}

/** The open task's form: every field labelled (a select has no label of its own in JSON 2.0). */
function renderForm(
  task: PromptCardTask,
  values: CardValues,
  locale: Locale | undefined,
): Record<string, unknown> {
  const names = promptFieldNames(task.id);
  const prefillPercent = clampPercent(task.lastReport?.percent ?? task.percent);
  const note = task.lastReport?.note ?? '';
  const evidence = task.lastReport?.evidenceUrl ?? '';
  const done = task.status === 'reported_done';
  return {
    tag: 'form',
    name: names.form,
    element_id: names.form,
    elements: [
      {
        tag: 'markdown',
        element_id: names.statusLabel,
        content: `**${t('prompts.form.status', undefined, locale)}**`,
      },
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
        text: plain(t(done ? 'prompts.form.correct' : 'prompts.form.submit', undefined, locale)),
        type: 'primary',
        form_action_type: 'submit',
        // Correcting a done report is deliberate: the client asks before it sends.
        ...(done
          ? {
              confirm: {
                title: plain(t('prompts.form.correctTitle', undefined, locale)),
                text: plain(t('prompts.form.correctText', undefined, locale)),
              },
            }
          : {}),
        behaviors: callback({
          action: PROMPT_ACTIONS.report,
          task_id: task.id,
          cycle: values.cycle,
          issued: values.issued,
        }),
      },
    ],
  };
}

/**
 * Below an open task's form, the 申请延期 button: it re-renders the card with the extension form open in
 * the report form's place (one form at a time keeps the card small). A task reported done has none.
 */
function renderExtensionButton(
  task: PromptCardTask,
  values: CardValues,
  locale: Locale | undefined,
): Record<string, unknown>[] {
  if (!isOpenTask(task)) return [];
  return [
    {
      tag: 'button',
      element_id: promptFieldNames(task.id).extendOpen,
      text: plain(t('extend.form.submit', undefined, locale)),
      type: 'default',
      size: 'small',
      behaviors: callback({
        action: PROMPT_ACTIONS.openExtension,
        agency_id: values.agencyId,
        task_id: task.id,
        ...(values.page === undefined ? {} : { page: values.page }),
        cycle: values.cycle,
        issued: values.issued,
      }),
    },
  ];
}

/** The small form asking for a later due date: the new date and a reason, both required. */
function renderExtensionForm(
  task: PromptCardTask,
  values: CardValues,
  locale: Locale | undefined,
): Record<string, unknown>[] {
  const names = promptFieldNames(task.id);
  return [
    {
      tag: 'form',
      name: names.extendForm,
      element_id: names.extendForm,
      elements: [
        {
          tag: 'input',
          name: names.extendDate,
          element_id: names.extendDate,
          required: true,
          label: plain(t('extend.form.date', undefined, locale)),
          placeholder: plain('2027-03-31'),
          max_length: 20,
        },
        {
          tag: 'input',
          name: names.extendReason,
          element_id: names.extendReason,
          required: true,
          label: plain(t('extend.form.reason', undefined, locale)),
          max_length: 500,
        },
        {
          tag: 'button',
          name: names.extendSubmit,
          element_id: names.extendSubmit,
          text: plain(t('extend.form.submit', undefined, locale)),
          type: 'default',
          form_action_type: 'submit',
          behaviors: callback({
            action: PROMPT_ACTIONS.extend,
            task_id: task.id,
            cycle: values.cycle,
            issued: values.issued,
          }),
        },
      ],
    },
  ];
}

function recordedText(task: PromptCardTask, locale: Locale | undefined): string | undefined {
  const last = task.lastReport;
  if (!last) return undefined;
  return t(
    'prompts.card.recorded',
    {
      place: taskPlaceLabel(task, locale),
      status: statusLabel(last.blocked ? 'blocked' : last.status, locale),
      percent: clampPercent(last.percent),
      by: escapeMarkdown(last.by ?? '') || t('common.none', undefined, locale),
      date: reportTime(last.at),
    },
    locale,
  );
}

function buildPage(input: {
  agency: PromptCardAgency;
  cycle: PromptCardCycle;
  count: number;
  color: LightColor;
  page: number;
  pages: number;
  values: CardValues;
  notices: string[];
  blocks: Record<string, unknown>[][];
  locale: Locale | undefined;
}): CardJson {
  const { agency, cycle, locale, values } = input;
  const label = cycle.label ?? cycle.key;
  const subtitle = [t('prompts.card.subtitle', { cycle: label, count: input.count }, locale)];
  if (input.pages > 1)
    subtitle.push(t('prompts.card.page', { page: input.page, pages: input.pages }, locale));
  const notices = input.notices.map((content, i) => ({
    tag: 'markdown',
    element_id: `notice${i}`,
    content,
  }));
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
      vertical_spacing: '8px',
      elements: [
        ...notices,
        { tag: 'markdown', element_id: 'intro', content: t('prompts.card.intro', undefined, locale) },
        ...input.blocks.flat(),
        { tag: 'hr', element_id: 'rule' },
        {
          tag: 'button',
          element_id: NO_CHANGE_ELEMENT_ID,
          text: plain(t('prompts.noChange', undefined, locale)),
          type: 'default',
          behaviors: callback({
            action: PROMPT_ACTIONS.noChange,
            agency_id: agency.id,
            cycle: values.cycle,
            issued: values.issued,
          }),
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
    dueKind: task.dueKind ?? null,
    dueEvery: task.dueEvery ?? null,
    startDate: task.startDate ?? null,
    blocked: task.blocked,
    blockedReason: task.blockedReason ?? null,
  };
}

/** Whether the card lists a task: open ones, and ones reported done in this cycle (to be corrected). */
export function isOnPromptCard(
  task: Pick<PromptCardTask, 'status' | 'removedAt' | 'repliedThisCycle'>,
): boolean {
  if (isOpenTask(task)) return true;
  return (
    task.status === 'reported_done' && (task.removedAt ?? null) === null && task.repliedThisCycle === true
  );
}

/** The card's tasks by article, the lead's task before a participant's. */
function orderTasks(tasks: readonly PromptCardTask[]): PromptCardTask[] {
  return tasks
    .filter(isOnPromptCard)
    .sort(
      (a, b) =>
        a.articleNo - b.articleNo || (a.role === b.role ? 0 : a.role === 'lead' ? -1 : 1) || a.id - b.id,
    );
}

/**
 * The cards for one agency and cycle: one card, or its pages when one card would break Lark's
 * limits. An agency with no task to show gets no card (an empty array).
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
  const openCount = tasks.filter(isOpenTask).length;
  const issued = now.getTime();
  const recorded = tasks.find((task) => task.id === input.recordedTaskId);
  const notices = [
    ...(input.notice === undefined ? [] : [input.notice]),
    ...(recorded === undefined ? [] : [recordedText(recorded, locale)].filter((x) => x !== undefined)),
  ];
  // Pages are planned with a placeholder page number of the widest width, then rendered for real.
  const values = (page: number | undefined): CardValues => ({
    agencyId: agency.id,
    cycle: cycle.key,
    issued,
    page,
  });
  const rows = (page: number | undefined) =>
    tasks.map((task, i) =>
      renderRow(task, lights[i] as TrafficLight, task.id === input.openTaskId, values(page), locale),
    );
  const page = (blocksOfPage: Record<string, unknown>[][], n: number, of: number) =>
    buildPage({
      agency,
      cycle,
      count: openCount,
      color,
      page: n,
      pages: of,
      values: values(of > 1 ? n : undefined),
      notices,
      blocks: blocksOfPage,
      locale,
    });

  // A page is the empty page plus its rows' elements (each adds its JSON and one comma to the
  // elements array), so sizes add up exactly. The empty page is measured with the widest page label,
  // the rows with the widest page value, and every page keeps room for the largest open form.
  const { bytes: baseBytes, elements: baseElements } = measureCardJson(JSON.stringify(page([], 999, 999)));
  const widest = rows(999);
  const costs = widest.map((block) => {
    const measured = measureCardJson(JSON.stringify(block));
    return { bytes: measured.bytes - 1, elements: measured.elements };
  });
  const formCosts = tasks.map((task) => {
    const measured = measureCardJson(
      JSON.stringify([
        renderForm(task, values(999), locale),
        ...renderExtensionForm(task, values(999), locale),
      ]),
    );
    // `[x,y]` is two bytes more than its members and their commas; in a page each adds itself and a comma.
    return { bytes: measured.bytes - 1, elements: measured.elements };
  });
  const reserve = {
    bytes: Math.max(...formCosts.map((c) => c.bytes)),
    elements: Math.max(...formCosts.map((c) => c.elements)),
  };

  const plan: number[][] = [];
  let current: number[] = [];
  let bytes = baseBytes + reserve.bytes;
  let elements = baseElements + reserve.elements;
  for (const [i, cost] of costs.entries()) {
    if (
      baseBytes + reserve.bytes + cost.bytes > maxBytes ||
      baseElements + reserve.elements + cost.elements > maxElements
    ) {
      throw new DubanError(
        'render.card_too_large',
        `Task ${tasks[i]?.id} alone does not fit in one card (${maxBytes} bytes, ${maxElements} elements)`,
      );
    }
    if (current.length > 0 && (bytes + cost.bytes > maxBytes || elements + cost.elements > maxElements)) {
      plan.push(current);
      current = [];
      bytes = baseBytes + reserve.bytes;
      elements = baseElements + reserve.elements;
    }
    current.push(i);
    bytes += cost.bytes;
    elements += cost.elements;
  }
  plan.push(current);

  return plan.map((indexes, p) => {
    const pageNo = plan.length > 1 ? p + 1 : undefined;
    const pageRows = rows(pageNo);
    const blocks = indexes.map((i) => {
      const task = tasks[i] as PromptCardTask;
      const row = pageRows[i] as Record<string, unknown>[];
      return task.id === input.openTaskId
        ? input.openForm === 'extend' && isOpenTask(task)
          ? [...row, ...renderExtensionForm(task, values(pageNo), locale)]
          : [
              ...row,
              renderForm(task, values(pageNo), locale),
              ...renderExtensionButton(task, values(pageNo), locale),
            ]
        : row;
    });
    return page(blocks, p + 1, plan.length);
  });
}

/** The page of `cards` that lists `taskId` (its 报送 button), or undefined. */
export function pageOfTask(cards: readonly CardJson[], taskId: number): number | undefined {
  const id = `"element_id":"${promptFieldNames(taskId).open}"`;
  const at = cards.findIndex((card) => JSON.stringify(card).includes(id));
  return at === -1 ? undefined : at + 1;
}
