import { DubanError } from '../errors.js';
import {
  buildKeyIndex,
  type ClauseOptions,
  type ClauseRoles,
  firstListedStatement,
  LABEL_START_RE,
  readCarryNote,
  readClause,
  statesFirstListedLeads,
} from './clause.js';
import { documentYearOf, findBodyDue, readDue } from './deadlines.js';
import { extractIndicators } from './indicators.js';
import type { AgencyRegistry } from './registry.js';
import { type Column, readTaskTable, type TaskTable } from './table.js';
import type { ParsedArticle, ParsedDecision, ParsedPart, ParseWarning, Responsible } from './types.js';

/**
 * The decision parser: text in, structure out (pure). Lines are classified as page chrome,
 * part headings (一、), article headings (in whichever numbering the document uses for articles)
 * or body; each article's responsibility clause and indicators are then read from its text.
 */

/** A decision is tens of kilobytes; anything of 10 MB or more is not one. */
export const MAX_DECISION_BYTES = 10_000_000;

export interface ParseDecisionInput {
  text: string;
  registry: AgencyRegistry;
}

// --- input checks ---------------------------------------------------------------------------------

function utf8Length(text: string, stopAt: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n < stopAt; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function checkInput(text: unknown): asserts text is string {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new DubanError('policy.empty_input', 'The decision text is empty.', {
      hint: 'Give a file that holds the decision text (UTF-8).',
    });
  }
  if (
    text.length >= MAX_DECISION_BYTES ||
    (text.length * 3 >= MAX_DECISION_BYTES && utf8Length(text, MAX_DECISION_BYTES) >= MAX_DECISION_BYTES)
  ) {
    throw new DubanError(
      'policy.too_large',
      `The decision text is too large (limit: under ${MAX_DECISION_BYTES / 1_000_000} MB); a decision is usually well under 1 MB.`,
      { hint: 'Check that the file is the decision itself, not an archive or a database dump.' },
    );
  }
  if (text.includes('\u0000') || looksBinary(text)) {
    throw new DubanError('policy.binary_input', 'The file is not text: it looks like binary data.', {
      hint: 'Save the decision as plain UTF-8 text (copy the text out of a PDF or Word file).',
    });
  }
}

function looksBinary(text: string): boolean {
  const sample = text.length > 65_536 ? text.slice(0, 65_536) : text;
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    // Control characters other than tab/newline/CR/FF, C1 controls and U+FFFD (undecodable bytes).
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || (c >= 0x7f && c <= 0x9f) || c === 0xfffd)
      bad++;
  }
  return bad / sample.length > 0.1;
}

// --- line classes ---------------------------------------------------------------------------------

const CN_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 → 1, 十二 → 12, 三十六 → 36, 一百零五 → 105; also plain digits. */
export function chineseNumber(text: string): number {
  if (/^\d+$/u.test(text)) return Number(text);
  let total = 0;
  let current = 0;
  for (const ch of text) {
    if (ch === '百') {
      total += (current === 0 ? 1 : current) * 100;
      current = 0;
    } else if (ch === '十') {
      total += (current === 0 ? 1 : current) * 10;
      current = 0;
    } else {
      current = CN_DIGITS[ch] ?? 0;
    }
  }
  return total + current;
}

const CN_NUM = '[一二三四五六七八九十百〇零两]+';
const PART_RES = [
  new RegExp(`^(${CN_NUM})\\s*[、．.]\\s*(.*)$`, 'u'),
  new RegExp(`^第(${CN_NUM}|\\d+)\\s*(?:部分|章)\\s*[、:：．.]?\\s*(.*)$`, 'u'),
];

type Scheme = 'tiao' | 'cparen' | 'dot' | 'dun' | 'aparen';
const SCHEMES: { scheme: Scheme; re: RegExp }[] = [
  { scheme: 'tiao', re: new RegExp(`^(第(${CN_NUM}|\\d+)条)\\s*(.*)$`, 'u') },
  { scheme: 'cparen', re: new RegExp(`^([(（]\\s*(${CN_NUM})\\s*[)）])\\s*(.*)$`, 'u') },
  { scheme: 'dot', re: /^((\d{1,4})\s*[.．](?!\d))\s*(.*)$/u },
  { scheme: 'dun', re: /^((\d{1,4})\s*、)\s*(.*)$/u },
  { scheme: 'aparen', re: /^([(（]\s*(\d{1,3})\s*[)）])\s*(.*)$/u },
];
/** Higher levels first: 第X条 > （一） > 1. / 1、 > （1）. */
const LEVELS: Scheme[][] = [['tiao'], ['cparen'], ['dot', 'dun'], ['aparen']];

/** Web page furniture around a pasted decision. */
const CHROME_RES = [
  /^(?:点击数|点击量|点击|浏览次数|浏览量|阅读次数|阅读量|访问量|发布时间|发布日期|发布者|发布人|信息来源|来源|作者|责任编辑|编辑|地址|主办单位|主办|承办单位|承办|技术支持|联系电话|联系方式|电话|传真|邮编|邮政编码|e-?mail|电子邮箱|邮箱|版权所有|copyright|网站标识码|网站地图|字号|字体|分享到)\s*[:：]/iu,
  /ICP备|ICP证|公网安备|网安备|版权所有|©/iu,
  // Breadcrumbs and page furniture: "当前位置：首页 > …", ">> 专题专栏 >> …", "- 设为首页".
  /^(?:当前位置|您现在的位置|您现在所在的位置|您的位置|所在位置|现在位置)\s*[:：]?/u,
  /^>|>>|首页\s*>|>\s*首页/u,
  /^[-•·]?\s*(?:设为首页|加入收藏|无障碍(?:阅读|浏览)?|长者(?:版|模式)|关怀版|返回首页|English|EN)\s*$/iu,
  /^(?:索\s*引\s*号|发布机构|发文机关|发文机构|发文字号|文\s*号|名\s*称|标\s*题|主题分类|组配分类|信息分类|分\s+类|有\s*效\s*性|成文日期|生成日期|所属机构|内容概述)\s*[:：|]|^(?:索\s*引\s*号|发布机构|分\s+类|文\s+号)\s/u,
  /^(?:时间|发布时间|发布日期)\s*[:：].{0,40}(?:浏览|来源|点击)/u,
  /由会员分享|可在线阅读|珍藏版|请在.{0,8}上搜索/u,
  /^(?:打印本页|打印|关闭窗口|关闭|返回顶部|返回|【?\s*字体\s*[:：]?\s*大\s*中\s*小\s*】?|【?\s*打印\s*】?\s*【?\s*关闭\s*】?)$/u,
];
/** Lines that end the article before them: notes, distribution lists, the signing date. */
const TRAILER_RES = [
  /^(?:注|说明|备注|附注)\s*[:：]/u,
  /^(?:抄送|抄报|印发|主题词|附件)\s*[:：]?/u,
  /^(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月\s*[\d一二三四五六七八九十]{1,3}\s*日\s*(?:印发)?$/u,
];

function isChrome(line: string): boolean {
  return CHROME_RES.some((re) => re.test(line));
}

function isTrailer(line: string): boolean {
  return TRAILER_RES.some((re) => re.test(line));
}

interface Heading {
  scheme: Scheme;
  label: string;
  number: number;
  rest: string;
}

function matchHeading(line: string, scheme: Scheme): Heading | null {
  const entry = SCHEMES.find((s) => s.scheme === scheme);
  const m = entry?.re.exec(line);
  if (m === null || m === undefined) return null;
  return { scheme, label: (m[1] ?? '').trim(), number: chineseNumber(m[2] ?? ''), rest: m[3] ?? '' };
}

/** A "一、" line longer than this, or with a sentence inside, is a numbered paragraph, not a heading. */
const MAX_PART_TITLE = 40;

function matchPart(line: string, loose = false): { label: string; number: number; title: string } | null {
  for (const re of PART_RES) {
    const m = re.exec(line);
    if (m !== null) {
      const rest = (m[2] ?? '').trim().replace(/[。．.]$/u, '');
      if (!loose && (rest.length > MAX_PART_TITLE || rest.includes('。'))) return null;
      const title = (m[2] ?? '').trim().replace(/[。．.]$/u, '');
      const label = line.slice(0, line.length - (m[2] ?? '').length).trim();
      return { label, number: chineseNumber(m[1] ?? ''), title };
    }
  }
  return null;
}

/** How well a numbering scheme's candidate lines form a sequence (1, 2, 3 … or restarting at 1). */
function sequenceScore(lines: string[], scheme: Scheme): number {
  let prev = 0;
  let score = 0;
  for (const line of lines) {
    const h = matchHeading(line, scheme);
    if (h === null) continue;
    if (h.number === prev + 1 || h.number === 1) score++;
    prev = h.number;
  }
  return score;
}

/**
 * The article numbering is the highest level of the hierarchy (第X条 > （一） > 1. > （1）) that the
 * document uses as a sequence, unless that level's headings sit inside the next level's numbering:
 * "(1)发展目标。" sub-items stay body text when articles are numbered "1.", "1." sub-items stay body
 * text when articles are numbered "（一）", and a stray "（一）（二）" list inside article 3 of a
 * "1."-numbered decision does not take over.
 */
function chooseSchemes(lines: string[]): Scheme[] {
  const scores = new Map<Scheme, number>();
  for (const { scheme } of SCHEMES) scores.set(scheme, sequenceScore(lines, scheme));
  const best = Math.max(...scores.values());
  if (best === 0) return [];
  const levels = LEVELS.map((level) => level.filter((s) => (scores.get(s) ?? 0) >= Math.min(2, best))).filter(
    (level) => level.length > 0,
  );
  for (let k = 0; k < levels.length; k++) {
    const upper = levels[k] ?? [];
    const lower = levels[k + 1];
    if (lower === undefined || !(sitsInside(lines, upper, lower) || sectionsOnly(lines, upper, lower)))
      return upper;
  }
  return [];
}

const ITEM_CLAUSE_RE =
  /[(（〔[【][^()（）〔〕]*?(?:牵头|负责|责任单位|配合单位)[^()（）〔〕]*[)）〕\]】]?\s*[。.]?\s*$/u;

/**
 * True when every upper heading is a bare section title followed at once by a lower heading,
 * and the lower items carry the clauses or keep counting across sections: "(一)深化改革" over
 * "1.…(牵头单位:…)" makes the "1." items the articles.
 */
function sectionsOnly(lines: string[], upper: Scheme[], lower: Scheme[]): boolean {
  let uppers = 0;
  let restarts = 0;
  let lowers = 0;
  let lowersWithClause = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (headingOf(line, upper) !== null) {
      uppers++;
      const next = headingOf(lines[i + 1] ?? '', lower);
      if (next === null) return false;
      if (next.number === 1) restarts++;
      if (ITEM_CLAUSE_RE.test(line)) return false;
    } else if (headingOf(line, lower) !== null) {
      lowers++;
      if (ITEM_CLAUSE_RE.test(line)) lowersWithClause++;
    }
  }
  return uppers > 0 && (restarts <= 1 || lowersWithClause * 2 >= lowers);
}

/**
 * True when the lower level keeps counting across the upper level's headings (4, 5 … right after
 * a "（一）"), which means the upper headings are a list inside one lower-level article. A lower
 * level that restarts at 1 under each upper heading is the sub-item list instead.
 */
function sitsInside(lines: string[], upper: Scheme[], lower: Scheme[]): boolean {
  let restarts = 0;
  let continues = 0;
  let awaiting = false;
  for (const line of lines) {
    if (headingOf(line, upper) !== null) {
      awaiting = true;
      continue;
    }
    const h = awaiting ? headingOf(line, lower) : null;
    if (h !== null) {
      if (h.number === 1) restarts++;
      else continues++;
      awaiting = false;
    }
  }
  return continues > restarts;
}

// --- clauses in an article ----------------------------------------------------------------------

const CLAUSE_HINT_RE = /牵头|负责|参与|配合|协办|协助|单位\s*[:：]|部门\s*[:：]/u;
// Char codes, not one-character strings: indexing a CJK string allocates a string per character.
const OPENERS = new Set([0x28, 0xff08, 0x3010, 0x5b, 0x3014]); // ( （ 【 [ 〔
const CLOSERS = new Set([0x29, 0xff09, 0x3011, 0x5d, 0x3015]); // ) ） 】 ] 〕
const NEWLINE = 0x0a;
const FULL_STOP = 0x3002; // 。
const SEMICOLON = 0xff1b; // ；
const MAX_CLAUSE_CHARS = 600;
const TAIL_SENTENCE_RE = /^(?:本部分工作|本项工作|此项工作|该项工作|以上工作|上述工作|本条工作)/u;

interface FoundClause {
  start: number;
  end: number;
  roles: ClauseRoles;
  /** The document's first-listed rule decided the lead. */
  firstListed: boolean;
}

/** Top-level bracket groups; an unclosed bracket at the end still counts (a common typo). */
function bracketGroups(text: string): { start: number; end: number }[] {
  const groups: { start: number; end: number }[] = [];
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (OPENERS.has(c)) {
      if (depth === 0) open = i;
      depth++;
    } else if (CLOSERS.has(c) && depth > 0) {
      depth--;
      if (depth === 0) groups.push({ start: open, end: i + 1 });
    }
  }
  if (depth > 0 && open >= 0) groups.push({ start: open, end: text.length });
  return groups;
}

function stripBrackets(group: string): string {
  let inner = group;
  if (OPENERS.has(inner.charCodeAt(0))) inner = inner.slice(1);
  if (CLOSERS.has(inner.charCodeAt(inner.length - 1))) inner = inner.slice(0, -1);
  return inner;
}

function findClause(text: string, options: ClauseOptions): FoundClause | null {
  // 1. A bracketed clause, preferring the last one (clauses close the article).
  const groups = bracketGroups(text);
  for (let g = groups.length - 1; g >= 0; g--) {
    const group = groups[g];
    if (group === undefined) continue;
    const inner = stripBrackets(text.slice(group.start, group.end));
    if (!CLAUSE_HINT_RE.test(inner)) continue;
    const reading = readClause(inner, options);
    if (reading !== null) return { ...group, roles: reading.roles, firstListed: reading.firstListedApplied };
  }
  // 2. 责任单位: / 牵头单位: … lines (or sentences) running to the end of the article.
  const starts: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const prev = i === 0 ? NEWLINE : text.charCodeAt(i - 1);
    if (prev === NEWLINE || prev === FULL_STOP || prev === SEMICOLON) {
      if (LABEL_START_RE.test(text.slice(i, i + 16))) starts.push(i);
    }
  }
  for (const start of starts) {
    // A clause is a few lines; skipping long tails keeps many label lines from going quadratic.
    if (start === 0 || text.length - start > MAX_CLAUSE_CHARS) continue;
    const tail = text.slice(start).trim();
    // Only a clause that opens with a bracket loses its closing one: "…委(…下同)" keeps its note whole.
    const reading = readClause(OPENERS.has(tail.charCodeAt(0)) ? stripBrackets(tail) : tail, options);
    if (reading !== null)
      return { start, end: text.length, roles: reading.roles, firstListed: reading.firstListedApplied };
  }
  // 3. A closing sentence without brackets: "本部分工作由A牵头，B参与。"
  const trimmed = text.replace(/[。\s]+$/u, '');
  const lastStop = Math.max(trimmed.lastIndexOf('。'), trimmed.lastIndexOf('\n'));
  const start = lastStop + 1;
  if (start > 0 && TAIL_SENTENCE_RE.test(trimmed.slice(start))) {
    const reading = readClause(trimmed.slice(start), options);
    if (reading !== null)
      return { start, end: text.length, roles: reading.roles, firstListed: reading.firstListedApplied };
  }
  return null;
}

// --- assembly -------------------------------------------------------------------------------------

interface RawArticle {
  label: string;
  part: number;
  lines: string[];
  /** A 完成时限 cell as written (task tables). */
  due?: string;
}

function splitTitle(text: string): { title: string; body: string } {
  const clean = text.replace(/^\s+/u, '');
  const newline = clean.indexOf('\n');
  const firstLine = newline === -1 ? clean : clean.slice(0, newline);
  const stop = firstLine.indexOf('。');
  if (stop !== -1) return { title: firstLine.slice(0, stop).trim(), body: clean.slice(stop + 1).trim() };
  return { title: firstLine.trim(), body: newline === -1 ? '' : clean.slice(newline + 1).trim() };
}

function cleanBody(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('\n');
}

/** A line that reads as a document's title rather than page furniture or an addressee. */
const TITLE_RE =
  /(?:关于.{2,60}的(?:通知|意见|决定|方案|办法|细则|规定|批复|函)|(?:决定|意见|方案|办法|细则|计划|要点|措施|分解|分工|规定|通知|规划|条例)(?:[(（][^()（）]{1,12}[)）])?[》」]?)$/u;

function chooseTitle(preamble: readonly string[]): string {
  return preamble.find((l) => l.length <= 80 && TITLE_RE.test(l)) ?? preamble[0] ?? '';
}

interface Structure {
  preamble: string[];
  /** 说明/注 lines before the first item: where document-wide notes stand. */
  notes?: string[];
  parts: ParsedPart[];
  raw: RawArticle[];
}

/** Numbered articles (and parts) read line by line. */
function readNumbered(
  lines: readonly string[],
  content: readonly string[],
  warnings: ParseWarning[],
): Structure {
  const schemes = chooseSchemes(content.filter((l) => matchPart(l) === null));
  // With no numbered articles at all, "一、…" headings are the articles themselves.
  const partsAreArticles = schemes.length === 0 && content.some((l) => matchPart(l, true) !== null);
  const preamble: string[] = [];
  const notes: string[] = [];
  const parts: ParsedPart[] = [];
  const raw: RawArticle[] = [];
  let current: RawArticle | null = null;
  let prevNumber = 0;
  let partSinceArticle = false;

  const upperSchemes = higherSchemes(schemes);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (isChrome(line)) {
      current = null;
      continue;
    }
    // "(一)全力以赴拼经济。" right before "10.…" heads a section; it is no article's body.
    if (
      upperSchemes.length > 0 &&
      headingOf(line, upperSchemes) !== null &&
      headingOf(lines[i + 1] ?? '', schemes) !== null
    ) {
      current = null;
      continue;
    }
    const part = partsAreArticles ? null : matchPart(line);
    if (part !== null && schemes.length > 0 && !headingOf(line, schemes)) {
      parts.push({ no: parts.length + 1, label: part.label, title: part.title });
      current = null;
      partSinceArticle = true;
      continue;
    }
    const heading = partsAreArticles ? partHeading(line) : headingOf(line, schemes);
    if (heading !== null) {
      const n = heading.number;
      const accept = n > prevNumber || n === prevNumber || (n === 1 && partSinceArticle);
      if (accept) {
        if (n === prevNumber && n !== 0) {
          warnings.push({
            code: 'duplicate_article_number',
            article: raw.length + 1,
            text: heading.label,
            message: `Article number ${heading.label} appears twice; both are kept, in document order.`,
          });
        }
        current = { label: heading.label, part: parts.length, lines: [heading.rest] };
        raw.push(current);
        prevNumber = n;
        partSinceArticle = false;
        continue;
      }
    }
    if (isTrailer(line)) {
      if (raw.length === 0) notes.push(line);
      current = null;
      continue;
    }
    if (current !== null) current.lines.push(line);
    else if (raw.length === 0 && parts.length === 0) preamble.push(line);
  }
  return { preamble, notes, parts, raw };
}

/** A task table's rows as articles: the 分类 cells become parts, the cells become labeled lines. */
function readTable(table: TaskTable): Structure {
  const parts: ParsedPart[] = [];
  const raw: RawArticle[] = table.rows.map((row) => {
    if (row.category !== null && parts[parts.length - 1]?.title !== row.category) {
      parts.push({ no: parts.length + 1, label: row.category, title: row.category });
    }
    const cell = (column: Column): string => (row.cells.get(column) ?? '').trim();
    const lines = [cell('task')];
    if (cell('lead') !== '') lines.push(`牵头单位：${cell('lead')}`);
    if (cell('units') !== '') lines.push(`责任单位：${cell('units')}`);
    if (cell('participants') !== '') lines.push(`配合单位：${cell('participants')}`);
    const article: RawArticle = { label: row.label, part: parts.length, lines };
    if (cell('due') !== '') article.due = cell('due');
    return article;
  });
  return { preamble: table.before.filter((l) => !isChrome(l)), parts, raw };
}

/** With no numbering at all, each paragraph that carries a clause is an item. */
function readParagraphs(content: readonly string[], options: ClauseOptions): RawArticle[] {
  const raw: RawArticle[] = [];
  for (const line of content) {
    if (findClause(line, options) === null) continue;
    raw.push({ label: `¶${raw.length + 1}`, part: 0, lines: [line] });
  }
  return raw;
}

/**
 * One paragraph with several clauses, each closing the sentences before it, is several items:
 * "推进A。（甲局负责）推进B。（乙局牵头，丙局配合）" → two pieces. Text after the last clause
 * stays a piece of its own, so it is never silently given to a clause's units.
 */
function splitAnnotated(text: string, options: ClauseOptions): string[] {
  const cuts: number[] = [];
  for (const group of bracketGroups(text)) {
    const inner = stripBrackets(text.slice(group.start, group.end));
    if (!CLAUSE_HINT_RE.test(inner) || readClause(inner, options) === null) continue;
    let end = group.end;
    while (end < text.length && /[。；;.\s]/u.test(text.charAt(end))) end++;
    cuts.push(end);
  }
  if (cuts.length < 2) return [text];
  const pieces: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    pieces.push(text.slice(from, cut));
    from = cut;
  }
  const rest = text.slice(from);
  if (/[\p{L}\p{N}]/u.test(rest)) {
    if (rest.includes('。') || rest.trim().length > 12) pieces.push(rest);
    else pieces[pieces.length - 1] += rest;
  }
  return pieces.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseDecision({ text, registry }: ParseDecisionInput): ParsedDecision {
  checkInput(text);
  const lines = text
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const content = lines.filter((l) => !isChrome(l));
  const warnings: ParseWarning[] = [];
  const options: ClauseOptions = {
    firstListedLeads: statesFirstListedLeads(text),
    keys: buildKeyIndex(registry.knownKeys()),
  };

  const table = readTaskTable(content);
  let structure =
    table !== null && table.rows.length > 0 ? readTable(table) : readNumbered(lines, content, warnings);
  if (structure.raw.length === 0) {
    const raw = readParagraphs(content, options);
    structure = { preamble: raw.length > 0 ? content.slice(0, 1) : [], parts: [], raw };
  }
  const { preamble, parts } = structure;

  if (structure.raw.length === 0) {
    throw new DubanError(
      'policy.no_articles',
      'No numbered articles were found in the text (expected lines such as "1.…", "（一）…" or "第一条…", a task table with 序号 and 责任单位 columns, or paragraphs ending in a clause such as "（A牵头，B配合）").',
      {
        hint: 'Check that the file is a decision whose articles are numbered; page headers and footers alone are not enough.',
      },
    );
  }

  const title = chooseTitle(preamble);
  const year = documentYearOf(title, [...preamble, ...parts.map((p) => p.title)]);
  // A paragraph with several clauses becomes one item per clause.
  const raw: RawArticle[] = structure.raw.flatMap((r) => {
    const pieces = splitAnnotated(r.lines.join('\n'), options);
    if (pieces.length < 2) return [r];
    return pieces.map((piece, k) => ({ ...r, label: `${r.label}-${k + 1}`, lines: [piece] }));
  });

  const carried: string[] = [];
  const carryRules = new Map<string, number>();
  // A note before the items ("以下各项任务均需各县(市、区)政府落实，不再列出") reaches every item.
  for (const line of [...preamble, ...(structure.notes ?? [])]) {
    const names = readCarryNote(line, options.keys);
    if (names === null) continue;
    for (const name of names) if (!carried.includes(name)) carried.push(name);
    carryRules.set(line, 0);
  }
  let firstListedCount = 0;

  const articles: ParsedArticle[] = raw.map((r, k) => {
    const no = k + 1;
    let full = r.lines.join('\n');
    let found = findClause(full, options);
    if (found !== null && k === raw.length - 1) {
      const kept = dropSignature(full, found.end);
      if (kept !== full) {
        full = kept;
        found = findClause(full, options);
      }
    }
    const withoutClause = found === null ? full : `${full.slice(0, found.start)}${full.slice(found.end)}`;
    const { title: articleTitle, body } = splitTitle(withoutClause);
    const resolveAll = (names: string[]): Responsible[] =>
      names.map((written) => {
        const r2 = registry.resolve(written);
        if (!r2.known) {
          warnings.push({
            code: 'unknown_agency',
            article: no,
            text: written,
            message: `Article ${no}: "${written}" is not in the agency registry; it stays visible and unassigned until it is added to config/agencies.json.`,
          });
        }
        return r2;
      });
    const clause = found === null ? null : full.slice(found.start, found.end).trim();
    const leadNames = found === null ? [] : [...found.roles.leads];
    const participantNames = found === null ? [] : [...found.roles.participants];
    if (found?.firstListed === true) firstListedCount++;
    if (found?.roles.carry !== undefined && clause !== null) {
      for (const name of found.roles.carry) if (!carried.includes(name)) carried.push(name);
      carryRules.set(clause, 0);
    }
    // Units a carry-forward note names take part in this item and every later one.
    if (found !== null && carried.length > 0) {
      let added = false;
      for (const name of carried) {
        if (leadNames.includes(name) || participantNames.includes(name)) continue;
        participantNames.push(name);
        added = true;
      }
      if (added) {
        const rule = [...carryRules.keys()].pop();
        if (rule !== undefined) carryRules.set(rule, (carryRules.get(rule) ?? 0) + 1);
      }
    }
    const leads = resolveAll(leadNames);
    const participants = resolveAll(participantNames);
    if (found !== null && leads.length === 0) {
      warnings.push({
        code: 'ambiguous_clause',
        article: no,
        text: clause ?? '',
        message: `Article ${no}: the clause names units that take part but no lead; a coordinator should pick one.`,
      });
    }
    if (found === null) {
      warnings.push({
        code: 'no_clause',
        article: no,
        text: `${r.label}${articleTitle}`,
        message: `Article ${no} (${r.label}${articleTitle}) names no responsible unit; a coordinator should decide whether it needs tasks.`,
      });
    }
    const article: ParsedArticle = {
      no,
      label: r.label,
      part: r.part,
      title: articleTitle,
      body: cleanBody(body),
      clause,
      leads,
      participants,
      indicators: extractIndicators(cleanBody(withoutClause)),
    };
    const written = r.due ?? found?.roles.due;
    const due = written !== undefined ? readDue(written, year) : findBodyDue(withoutClause, year);
    if (due !== null) article.due = due;
    else if (written !== undefined) {
      warnings.push({
        code: 'unresolved_deadline',
        article: no,
        text: written,
        message: `Article ${no}: the deadline "${written}" names no year the document states; a coordinator should set the date.`,
      });
    }
    return article;
  });

  // Keep warnings in article order (unknown names are found while articles are assembled).
  warnings.sort((a, b) => (a.article ?? 0) - (b.article ?? 0));
  if (firstListedCount > 0) {
    const statement = firstListedStatement(text) ?? '列第一位为牵头单位';
    warnings.push({
      code: 'rule_applied',
      text: statement,
      message: `The document-wide rule "${statement}" (the first unit listed leads) was applied to ${firstListedCount} item${firstListedCount === 1 ? '' : 's'}.`,
    });
  }
  for (const [rule, count] of carryRules) {
    warnings.push({
      code: 'rule_applied',
      text: rule,
      message: `The carry-forward note in "${rule}" added its units as participants to ${count} item${count === 1 ? '' : 's'}.`,
    });
  }
  return { title, parts, articles, warnings };
}

/**
 * After the last article's clause, short lines without a full stop are the signature block
 * (issuing body, date), not part of the article.
 */
function dropSignature(text: string, clauseEnd: number): string {
  const lineEnd = text.indexOf('\n', clauseEnd);
  if (lineEnd === -1 || text.slice(clauseEnd, lineEnd).replace(/[。.\s]/gu, '') !== '') return text;
  const after = text.slice(lineEnd + 1).split('\n');
  const signature = after.every((l) => l.length <= 40 && !l.includes('。'));
  return signature ? text.slice(0, lineEnd) : text;
}

/** The numbering schemes above the articles' level (section headings between parts and articles). */
function higherSchemes(schemes: Scheme[]): Scheme[] {
  const level = LEVELS.findIndex((l) => schemes.some((s) => l.includes(s)));
  return level <= 0 ? [] : LEVELS.slice(0, level).flat();
}

function headingOf(line: string, schemes: Scheme[]): Heading | null {
  for (const scheme of schemes) {
    const h = matchHeading(line, scheme);
    if (h !== null) return h;
  }
  return null;
}

function partHeading(line: string): Heading | null {
  const p = matchPart(line, true);
  if (p === null) return null;
  return { scheme: 'cparen', label: p.label, number: p.number, rest: p.title };
}
