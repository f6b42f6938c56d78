/**
 * The ledger (台账) as an .xlsx workbook, the way the office keeps it: one row per task, then the
 * history of reports and the quantitative targets. Takes plain rows (the caller reads the store and
 * computes the lights) and returns the file's bytes. Headers and words come from the message catalog.
 */
import ExcelJS from 'exceljs';
import type { TrafficLight } from '../core/progress/lights.js';
import { type Locale, t, translate } from '../core/render/catalog.js';
import { describeLight } from '../core/render/prompt-card-lights.js';
import { type TaskPlace, taskPlaceLabel } from '../core/render/task-place.js';
import type { ArticleKind, TaskRole, TaskStatus } from '../core/vocabulary.js';
import {
  addTableSheet,
  DATE_FORMAT,
  DATE_TIME_FORMAT,
  dateCell,
  dateTimeCell,
  PERCENT_FORMAT,
  type SheetColumn,
  workbookBuffer,
} from './sheet.js';

export interface LedgerTaskRow {
  /** The part of the decision as people read it, e.g. `一、强化科技创新`; null when it has none. */
  part: string | null;
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  articleTitle: string;
  /** Canonical agency name; null when unassigned. */
  agency: string | null;
  role: TaskRole;
  /** The due date in force (YYYY-MM-DD), or null. */
  dueDate: string | null;
  /** The deadline as the decision wrote it (`每季度`, `长期坚持`), or null. */
  dueWritten: string | null;
  status: TaskStatus;
  blocked: boolean;
  /** 0–100. */
  percent: number;
  light: TrafficLight;
  /** ISO instant of the last report, or null. */
  lastReportAt: string | null;
  /** ISO instant of the verification (销号), or null. */
  verifiedAt: string | null;
}

export interface LedgerHistoryRow {
  /** ISO instant. */
  at: string;
  articleNo: number;
  articleKind?: ArticleKind | undefined;
  agency: string | null;
  /** Who reported, as people know them (a name, or the open_id when no name is known). */
  actor: string;
  status: TaskStatus;
  percent: number;
  blocked: boolean;
  note: string;
}

export interface LedgerTargetRow {
  articleNo: number;
  articleTitle: string;
  metric: string;
  comparator: '>=' | '>' | '=' | '<' | '<=';
  value: number;
  unit: string;
  deadlineYear: number | null;
  /** What the agencies reported against it, as written; null when nothing yet. */
  reported: string | null;
}

export interface LedgerWorkbookInput {
  tasks: readonly LedgerTaskRow[];
  history: readonly LedgerHistoryRow[];
  targets: readonly LedgerTargetRow[];
  /** When the workbook is made: its creation time. */
  now: Date;
  locale?: Locale;
}

const LIGHT_FILL = { red: 'FFF4CCCC', yellow: 'FFFFF2CC', green: 'FFD9EAD3' } as const;
const COMPARATOR = { '>=': '≥', '>': '>', '=': '=', '<': '<', '<=': '≤' } as const;

function statusWords(status: TaskStatus, blocked: boolean, locale: Locale | undefined): string {
  const words = translate(`prompts.status.${status}`, undefined, locale);
  return blocked ? `${words}${t('export.blockedSuffix', undefined, locale)}` : words;
}

/**
 * The article cell: a decision's article stays a number (so the column sorts and filters as numbers); a
 * leader's instruction reads 批示N, never to be taken for the decision's article N.
 */
export function articleCell(row: TaskPlace, locale: Locale | undefined): number | string {
  return row.articleKind === 'instruction' ? taskPlaceLabel(row, locale) : row.articleNo;
}

function roleWords(role: TaskRole, locale: Locale | undefined): string {
  return t(role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale);
}

export async function buildLedgerWorkbook(input: LedgerWorkbookInput): Promise<Buffer> {
  const { locale } = input;
  const h = (key: Parameters<typeof translate>[0]) => translate(key, undefined, locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t('bot.name', undefined, locale);
  workbook.created = input.now;

  const taskColumns: SheetColumn<LedgerTaskRow>[] = [
    { header: h('export.ledger.part'), width: 24, value: (r) => r.part },
    { header: h('export.ledger.article'), width: 8, value: (r) => articleCell(r, locale) },
    { header: h('export.ledger.title'), width: 36, value: (r) => r.articleTitle },
    { header: h('export.ledger.agency'), width: 18, value: (r) => r.agency },
    { header: h('export.ledger.role'), width: 8, value: (r) => roleWords(r.role, locale) },
    { header: h('export.ledger.dueDate'), width: 12, numFmt: DATE_FORMAT, value: (r) => dateCell(r.dueDate) },
    { header: h('export.ledger.dueWritten'), width: 18, value: (r) => r.dueWritten },
    { header: h('export.ledger.status'), width: 16, value: (r) => statusWords(r.status, r.blocked, locale) },
    { header: h('export.ledger.percent'), width: 10, numFmt: PERCENT_FORMAT, value: (r) => r.percent / 100 },
    { header: h('export.ledger.light'), width: 8, value: (r) => describeLight(r.light, locale).name },
    {
      header: h('export.ledger.lightReason'),
      width: 40,
      value: (r) => describeLight(r.light, locale).reason,
    },
    {
      header: h('export.ledger.lastReport'),
      width: 17,
      numFmt: DATE_TIME_FORMAT,
      value: (r) => dateTimeCell(r.lastReportAt),
    },
    {
      header: h('export.ledger.verifiedAt'),
      width: 17,
      numFmt: DATE_TIME_FORMAT,
      value: (r) => dateTimeCell(r.verifiedAt),
    },
  ];
  const tasks = addTableSheet(workbook, h('export.ledger.sheet'), taskColumns, input.tasks);
  const lightColumn = taskColumns.findIndex((c) => c.header === h('export.ledger.light')) + 1;
  input.tasks.forEach((row, i) => {
    tasks.getCell(i + 2, lightColumn).fill = {
      type: 'pattern',
      pattern: 'solid',
      fgColor: { argb: LIGHT_FILL[row.light.color] },
    };
  });

  addTableSheet<LedgerHistoryRow>(
    workbook,
    h('export.history.sheet'),
    [
      {
        header: h('export.history.at'),
        width: 17,
        numFmt: DATE_TIME_FORMAT,
        value: (r) => dateTimeCell(r.at),
      },
      { header: h('export.ledger.article'), width: 8, value: (r) => articleCell(r, locale) },
      { header: h('export.ledger.agency'), width: 18, value: (r) => r.agency },
      { header: h('export.history.actor'), width: 16, value: (r) => r.actor },
      {
        header: h('export.ledger.status'),
        width: 16,
        value: (r) => statusWords(r.status, r.blocked, locale),
      },
      {
        header: h('export.ledger.percent'),
        width: 10,
        numFmt: PERCENT_FORMAT,
        value: (r) => r.percent / 100,
      },
      { header: h('export.history.note'), width: 48, value: (r) => r.note || null },
    ],
    input.history,
  );

  addTableSheet<LedgerTargetRow>(
    workbook,
    h('export.targets.sheet'),
    [
      { header: h('export.ledger.article'), width: 8, value: (r) => r.articleNo },
      { header: h('export.ledger.title'), width: 30, value: (r) => r.articleTitle },
      { header: h('export.targets.metric'), width: 30, value: (r) => r.metric },
      { header: h('export.targets.comparator'), width: 8, value: (r) => COMPARATOR[r.comparator] },
      { header: h('export.targets.value'), width: 10, value: (r) => r.value },
      { header: h('export.targets.unit'), width: 10, value: (r) => r.unit },
      { header: h('export.targets.deadlineYear'), width: 10, value: (r) => r.deadlineYear },
      { header: h('export.targets.reported'), width: 36, value: (r) => r.reported },
    ],
    input.targets,
  );

  return workbookBuffer(workbook);
}
