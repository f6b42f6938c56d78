import type { Comparator, Indicator } from './types.js';

/**
 * Quantitative targets in an article: "至2010年，全市专利授权量达到10000件" →
 * { metric: 全市专利授权量, comparator: '>=', value: 10000, unit: 件, deadlineYear: 2010 }.
 * Only a number with a unit AND a comparing word (达到, 超过, …以上) makes an indicator, so years,
 * document numbers and counts in prose never do.
 */

// Longest units first so "亿元" wins over "元" and "个百分点" over "个".
const UNITS = [
  '个百分点',
  '万平方米',
  '平方公里',
  '平方米',
  '万亿元',
  '亿美元',
  '万美元',
  '亿元',
  '万元',
  '万件',
  '万人次',
  '万人',
  '人次',
  '百分点',
  '公里',
  '元',
  '件',
  '%',
  '％',
  '‰',
  '人',
  '家',
  '个',
  '项',
  '所',
  '座',
  '亩',
  '倍',
  '台',
  '套',
  '名',
  '户',
];

const VERBS: Record<string, Comparator> = {
  达到: '>=',
  提高到: '>=',
  提高至: '>=',
  提升到: '>=',
  提升至: '>=',
  增加到: '>=',
  增加至: '>=',
  增长到: '>=',
  增长至: '>=',
  不低于: '>=',
  不少于: '>=',
  达: '>=',
  超过: '>',
  高于: '>',
  突破: '>',
  多于: '>',
  不超过: '<=',
  不高于: '<=',
  控制在: '<=',
  低于: '<',
  少于: '<',
  保持在: '=',
};

const SUFFIXES: Record<string, Comparator> = { 以上: '>=', 以下: '<=', 以内: '<=' };

const verbAlt = Object.keys(VERBS)
  .sort((a, b) => b.length - a.length)
  .join('|');
// None of the units holds a regex metacharacter, so they go in as they are.
const unitAlt = UNITS.join('|');
// Linear: a match starts only at a verb or at the first digit of a run (the lookbehind), so a long run
// of digits or spaces is scanned once, not once per position (a 13,000-digit line took 2.5 s; fuzzer).
const TARGET_RE = new RegExp(
  `(?:(${verbAlt})\\s*)?(?<![\\d.])(\\d+(?:\\.\\d+)?)\\s*(${unitAlt})(以上|以下|以内|左右)?`,
  'gu',
);
const YEAR_RE = /(\d{4})\s*年/gu;
const RANGE_RE = /(\d{4})\s*(?:年)?\s*[—–\-~～至到]\s*(\d{4})\s*年/u;
const SINCE_RE = /自?(\d{4})\s*年起/u;
const SPAN_RE = /连续\s*(\d{1,2})\s*年/u;
const LEADING_TIME_RE =
  /^(?:力争|争取|确保|计划|预计)?(?:到|至|在|于|截至)?\s*\d{4}\s*年(?:底|末|年底|前|时)?(?:前)?\s*[，,、]?\s*/u;

/** What a sentence says about time, read once per sentence (not once per indicator: a long one is linear). */
interface SentenceTime {
  range: RegExpExecArray | null;
  since: RegExpExecArray | null;
  span: RegExpExecArray | null;
  /** The usable years ("2008年起" is a start year, not a deadline) with their offsets, in order. */
  years: { index: number; year: number }[];
}

const STARTS_AT = /\s*起/uy;

function timeOf(sentence: string): SentenceTime {
  const years: { index: number; year: number }[] = [];
  YEAR_RE.lastIndex = 0;
  // exec loops, not matchAll: matchAll recompiles the regex on every call.
  for (let m = YEAR_RE.exec(sentence); m !== null; m = YEAR_RE.exec(sentence)) {
    STARTS_AT.lastIndex = m.index + m[0].length;
    if (!STARTS_AT.test(sentence)) years.push({ index: m.index, year: Number(m[1]) });
  }
  return {
    range: RANGE_RE.exec(sentence),
    since: SINCE_RE.exec(sentence),
    span: SPAN_RE.exec(sentence),
    years,
  };
}

function deadlineFor(time: SentenceTime, at: number): { deadlineYear: number | null; startYear?: number } {
  const { range, since, span, years } = time;
  if (range !== null) return { startYear: Number(range[1]), deadlineYear: Number(range[2]) };
  // The last year before the indicator, else the first after it (binary search: years are in order).
  let lo = 0;
  let hi = years.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((years[mid] as { index: number }).index < at) lo = mid + 1;
    else hi = mid;
  }
  const explicit = lo > 0 ? (years[lo - 1] as { year: number }).year : (years[lo]?.year ?? null);
  if (since !== null) {
    const startYear = Number(since[1]);
    const deadlineYear = explicit ?? (span !== null ? startYear + Number(span[1]) - 1 : null);
    return { startYear, deadlineYear };
  }
  return { deadlineYear: explicit };
}

function cleanMetric(raw: string): { metric: string; perYear: boolean } {
  let metric = raw.trim();
  let perYear = false;
  metric = metric.replace(LEADING_TIME_RE, '');
  // A year inside the subject ("专利授权量2010年达到…") is the deadline, not the metric.
  metric = metric.replace(/(?:到|至|在|于)?\d{4}\s*年(?:底|末|前)?/gu, '');
  if (/每年|每年度/u.test(metric)) {
    perYear = true;
    metric = metric.replace(/每年度?/gu, '');
  }
  metric = metric.replace(/^[的，,、\s]+|[的，,、\s]+$/gu, '');
  return { metric, perYear };
}

/** Splits text into sentences (。！？ and line ends) with their offsets. */
function sentences(text: string): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text.charCodeAt(i);
    // 。 ！ ？ newline
    if (i === text.length || c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0x0a) {
      const s = text.slice(start, i);
      if (s.trim() !== '') out.push({ text: s, start });
      start = i + 1;
    }
  }
  return out;
}

export function extractIndicators(text: string): Indicator[] {
  const found: Indicator[] = [];
  for (const sentence of sentences(text)) {
    const s = sentence.text;
    let time: SentenceTime | undefined;
    let prevMetric: string | null = null;
    let segStart = 0;
    const segments: { text: string; start: number }[] = [];
    for (let i = 0; i <= s.length; i++) {
      const c = s.charCodeAt(i);
      // ， , ； ;
      if (i === s.length || c === 0xff0c || c === 0x2c || c === 0xff1b || c === 0x3b) {
        segments.push({ text: s.slice(segStart, i), start: segStart });
        segStart = i + 1;
      }
    }
    for (const seg of segments) {
      TARGET_RE.lastIndex = 0;
      let consumed = 0;
      for (let m = TARGET_RE.exec(seg.text); m !== null; m = TARGET_RE.exec(seg.text)) {
        const verb = m[1];
        const suffix = m[4];
        let comparator: Comparator | undefined =
          verb !== undefined ? VERBS[verb] : suffix !== undefined ? SUFFIXES[suffix] : undefined;
        if (comparator === undefined) continue;
        // "超过…以上" is still strictly more; "达到…以上" stays at-least.
        if (
          verb !== undefined &&
          suffix !== undefined &&
          SUFFIXES[suffix] !== undefined &&
          comparator === '='
        ) {
          comparator = SUFFIXES[suffix];
        }
        const index = m.index ?? 0;
        // "年收入超过10亿元的企业达到20家": a number followed by 的 qualifies the next subject.
        if (seg.text.charCodeAt(index + m[0].length) === 0x7684) continue;
        const { metric: cleaned, perYear } = cleanMetric(seg.text.slice(consumed, index));
        consumed = index + m[0].length;
        let metric = cleaned;
        // "…产值超过4000亿元，占工业总产值的比重超过33%": the share belongs to the previous subject.
        if (prevMetric !== null && /^(?:占|比)/u.test(metric)) metric = `${prevMetric}${metric}`;
        if (metric === '' && prevMetric !== null) metric = prevMetric;
        if (metric === '') continue;
        const value = Number(m[2]);
        if (!Number.isFinite(value)) continue;
        const unit = (m[3] ?? '').replace('％', '%');
        time ??= timeOf(s);
        const due = deadlineFor(time, seg.start + index);
        const indicator: Indicator = {
          metric,
          comparator,
          value,
          unit,
          deadlineYear: due.deadlineYear,
          source: s.trim(),
        };
        if (due.startYear !== undefined) indicator.startYear = due.startYear;
        if (perYear) indicator.perYear = true;
        found.push(indicator);
        if (!/^(?:占|比)/u.test(cleaned)) prevMetric = cleaned === '' ? prevMetric : cleaned;
      }
    }
  }
  return found;
}
