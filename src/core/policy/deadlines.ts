import type { Due, ParsedDecision, ParseWarning } from './types.js';

/** China has kept UTC+8 all year since 1991, so the local year is a fixed offset away. */
const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/**
 * Indicators whose deadline year has already ended at `now` (Asia/Shanghai). The import
 * preview shows them; nothing is made overdue because of them.
 */
export function findPastDeadlines({
  decision,
  now,
}: {
  decision: ParsedDecision;
  now: Date;
}): ParseWarning[] {
  const year = new Date(now.getTime() + SHANGHAI_OFFSET_MS).getUTCFullYear();
  const warnings: ParseWarning[] = [];
  for (const article of decision.articles) {
    for (const indicator of article.indicators) {
      if (indicator.deadlineYear === null || indicator.deadlineYear >= year) continue;
      warnings.push({
        code: 'past_deadline',
        article: article.no,
        text: indicator.source,
        message: `Article ${article.no}: the target "${indicator.metric}" was due by the end of ${indicator.deadlineYear}, which has passed.`,
      });
    }
  }
  return warnings;
}

// --- due dates written in a decision ----------------------------------------------------------

const pad = (n: number): string => String(n).padStart(2, '0');

function lastDayOf(year: number, month: number): string {
  // Day 0 of the next month is the last day of this one (UTC, so no offset can move it).
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(day)}`;
}

function validMonth(month: number): boolean {
  return month >= 1 && month <= 12;
}

/** Full-width digits to ASCII, spaces dropped: "２０２３年 ６月底前" → "2023年6月底前". */
function compact(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, '');
}

const FULL_DATE_RE = /(\d{4})年(\d{1,2})月(\d{1,2})日/u;
const YEAR_MONTH_RE = /(\d{4})年(\d{1,2})月/u;
const YEAR_HALF_RE = /(\d{4})年(上|下)半年/u;
const YEAR_ONLY_RE = /(\d{4})年(?:底|末|年底|内|前|以前|完成)?/u;
const MONTH_RE = /(\d{1,2})月(?:底|末|份|中旬|下旬|上旬)?(?:前|以前|之前|完成)/u;
const HALF_RE = /(上|下)半年/u;
const YEAR_END_RE = /年底|年末|年内|本年度/u;
const RECURRING: [RegExp, 'month' | 'quarter' | 'half-year' | 'year'][] = [
  [/每月|按月/u, 'month'],
  [/每季度|每季|按季度?|逐季/u, 'quarter'],
  [/每半年/u, 'half-year'],
  [/每年|按年度?/u, 'year'],
];
const ONGOING_RE = /长期坚持|长期推进|长期|持续推进|持续开展|常态化|持续/u;

/**
 * Reads a deadline as written ("2023年6月底前", "年底前", "每季度", "长期坚持", "2027年") into a
 * Due. A month or year-end with no year uses the document's year; null when there is none, or the
 * text holds no deadline.
 */
export function readDue(written: string, documentYear: number | null): Due | null {
  const text = compact(written);
  if (text === '') return null;
  const trimmed = written.trim();
  let m = FULL_DATE_RE.exec(text);
  if (m !== null) {
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (validMonth(month) && day >= 1 && day <= 31)
      return { kind: 'date', date: `${year}-${pad(month)}-${pad(day)}`, written: trimmed };
  }
  m = YEAR_MONTH_RE.exec(text);
  if (m !== null && validMonth(Number(m[2])))
    return { kind: 'date', date: lastDayOf(Number(m[1]), Number(m[2])), written: trimmed };
  m = YEAR_HALF_RE.exec(text);
  if (m !== null)
    return { kind: 'date', date: lastDayOf(Number(m[1]), m[2] === '上' ? 6 : 12), written: trimmed };
  for (const [re, every] of RECURRING)
    if (re.test(text)) return { kind: 'recurring', every, written: trimmed };
  if (ONGOING_RE.test(text)) return { kind: 'ongoing', written: trimmed };
  m = YEAR_ONLY_RE.exec(text);
  if (m !== null) return { kind: 'date', date: lastDayOf(Number(m[1]), 12), written: trimmed };
  if (documentYear === null) return null;
  m = MONTH_RE.exec(text);
  if (m !== null && validMonth(Number(m[1])))
    return { kind: 'date', date: lastDayOf(documentYear, Number(m[1])), written: trimmed };
  m = HALF_RE.exec(text);
  if (m !== null)
    return { kind: 'date', date: lastDayOf(documentYear, m[1] === '上' ? 6 : 12), written: trimmed };
  if (YEAR_END_RE.test(text)) return { kind: 'date', date: lastDayOf(documentYear, 12), written: trimmed };
  return null;
}

/** "…2022年10月底前编制…", "年底前完成…": deadline phrases inside an article's text. */
const BODY_DEADLINE_RE =
  /(?:\d{4}\s*年\s*)?(?:\d{1,2}\s*月\s*(?:\d{1,2}\s*日|底|末|中旬|下旬|上旬)?|年\s*底|年\s*末)\s*(?:前|以前|之前)/gu;

/** The latest deadline phrase in an article's text, or null. */
export function findBodyDue(text: string, documentYear: number | null): Due | null {
  let best: Due | null = null;
  BODY_DEADLINE_RE.lastIndex = 0;
  for (let m = BODY_DEADLINE_RE.exec(text); m !== null; m = BODY_DEADLINE_RE.exec(text)) {
    const due = readDue(m[0], documentYear);
    if (due?.kind !== 'date') continue;
    if (best === null || (best.kind === 'date' && due.date > best.date)) best = due;
  }
  return best;
}

/** The year a decision is for: the first year in its title, else in its first lines. */
export function documentYearOf(title: string, head: readonly string[]): number | null {
  for (const text of [title, ...head]) {
    const m = /((?:19|20)\d{2})\s*年/u.exec(compact(text));
    if (m !== null) return Number(m[1]);
  }
  return null;
}
