/**
 * The scores (article 34) as an .xlsx workbook: a summary sheet, one row per agency with its total
 * and the points under each rule, and the lines behind it, each naming its audit event.
 */
import ExcelJS from 'exceljs';
import { type Locale, t, translate } from '../core/render/catalog.js';
import { SCORE_RULES, type ScoreRule } from '../core/scoring/rules.js';
import type { AgencyScore, ScoreLine, ScoreSheet } from '../core/scoring/score.js';
import { articleCell } from './ledger-workbook.js';
import { addTableSheet, DATE_FORMAT, dateCell, type SheetColumn, workbookBuffer } from './sheet.js';

export interface ScoresWorkbookInput {
  sheet: ScoreSheet;
  /** The same agencies' scores in the period before, for the change column; omit to leave it out. */
  previous?: ScoreSheet;
  now: Date;
  locale?: Locale;
}

export function ruleWords(rule: ScoreRule, locale?: Locale): string {
  return translate(`scoring.rule.${rule}`, undefined, locale);
}

export async function buildScoresWorkbook(input: ScoresWorkbookInput): Promise<Buffer> {
  const { sheet, previous, locale } = input;
  const h = (key: Parameters<typeof translate>[0]) => translate(key, undefined, locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = t('bot.name', undefined, locale);
  workbook.created = input.now;
  const before = new Map(previous?.agencies.map((a) => [a.agencyId, a.total]));

  const summary: SheetColumn<AgencyScore & { rank: number }>[] = [
    { header: h('export.scores.rank'), width: 6, value: (r) => r.rank },
    { header: h('export.scores.agency'), width: 18, value: (r) => r.agency },
    { header: h('export.scores.total'), width: 8, value: (r) => r.total },
    ...(previous === undefined
      ? []
      : [
          {
            header: h('export.scores.change'),
            width: 8,
            value: (r: AgencyScore) => {
              const was = before.get(r.agencyId);
              return was === undefined ? null : Math.round((r.total - was) * 100) / 100;
            },
          },
        ]),
    ...SCORE_RULES.map((rule) => ({
      header: ruleWords(rule, locale),
      width: 12,
      value: (r: AgencyScore) => r.byRule[rule].points,
    })),
    { header: h('export.scores.lineCount'), width: 8, value: (r) => r.lines.length },
  ];
  // Equal totals share a rank (1, 2, 2, 4), as a league table does.
  const ranked = sheet.agencies.map((a) => ({
    ...a,
    rank: sheet.agencies.findIndex((b) => b.total === a.total) + 1,
  }));
  addTableSheet(workbook, t('export.scores.sheet', { period: sheet.period.key }, locale), summary, ranked);

  const lines: SheetColumn<ScoreLine & { agency: string }>[] = [
    { header: h('export.scores.agency'), width: 18, value: (r) => r.agency },
    { header: h('export.scores.date'), width: 12, numFmt: DATE_FORMAT, value: (r) => dateCell(r.date) },
    { header: h('export.scores.rule'), width: 16, value: (r) => ruleWords(r.rule, locale) },
    { header: h('export.ledger.article'), width: 8, value: (r) => articleCell(r, locale) },
    {
      header: h('export.ledger.role'),
      width: 8,
      value: (r) => t(r.role === 'lead' ? 'common.lead' : 'common.participant', undefined, locale),
    },
    { header: h('export.scores.points'), width: 8, value: (r) => r.points },
    { header: h('export.scores.event'), width: 12, value: (r) => r.factId },
    { header: h('export.scores.task'), width: 10, value: (r) => r.taskId },
  ];
  addTableSheet(
    workbook,
    h('export.scores.linesSheet'),
    lines,
    sheet.agencies.flatMap((a) => a.lines.map((line) => ({ ...line, agency: a.agency }))),
  );

  return workbookBuffer(workbook);
}
