/**
 * Reading an official's free-text reply (`第3条已完成80%，预计12月底完成，需市财政局配合`) into what
 * it says: status, percent, ETA, blockers, the agencies named and which article. Pure: `now` comes in,
 * the agency registry comes in. A reading the reader is not sure of says so (`confidence: 'low'` with
 * its doubts), so the caller asks the person instead of guessing; nothing here ever writes.
 */
import { type AgencyRegistry, normalizeAgencyName } from '../policy/registry.js';
import { parsePercent } from '../progress/percent.js';
import { compareDays, type Day, findEta, formatDay, shanghaiDay } from './eta.js';
import { CN_DIGITS, readNumber } from './numbers.js';

export const REPLY_STATUSES = ['not_started', 'in_progress', 'done', 'blocked'] as const;
export type ReplyStatus = (typeof REPLY_STATUSES)[number];

/** Why a reading is not sure; any doubt makes the confidence low. */
export const REPLY_DOUBTS = [
  /** Nothing in the text says where the work stands. */
  'no_status',
  /** The text says nothing changed (没有进展, 同上周): a no-change report, not a status. */
  'no_change',
  /** The text says two things that cannot both be true (未启动 … 进行中). */
  'conflicting_status',
  /** 已完成招标: a step is done, not necessarily the task. */
  'partial_step',
  /** A status read only from a percent, a need or a negation, with little around it. */
  'vague_status',
  /** Several articles in one message (第3条 … 第5条 …). */
  'several_articles',
  /** Several different progress percents. */
  'several_percents',
  /** A percent above 100. */
  'percent_out_of_range',
  /** A percent not in plain whole digits (80.5%, +50%, 1e2%): asked, never rounded or guessed. */
  'percent_unclear',
  /** The expected date is already past. */
  'eta_past',
  /** A question rather than a report. */
  'question',
  /** Mostly characters a reply would not contain. */
  'unreadable',
  /** Longer than a reply; only its beginning was read. */
  'too_long',
] as const;
export type ReplyDoubt = (typeof REPLY_DOUBTS)[number];

export type ReplyConfidence = 'high' | 'low';

export interface ReplyReading {
  status: ReplyStatus | null;
  /** 0–100, as written; null when no progress percent is stated. */
  percent: number | null;
  /** YYYY-MM-DD in Asia/Shanghai; null when no expected date is stated. */
  eta: string | null;
  /** The clauses that describe an obstacle or a need, as written (normalized width). */
  blockers: string[];
  /** Canonical names of the agencies named, other than the replying agency, in order of mention. */
  agencies: string[];
  article: number | null;
  confidence: ReplyConfidence;
  doubts: ReplyDoubt[];
  /** The text says nothing changed since the last report. */
  noChange: boolean;
}

export interface ReadReplyInput {
  text: string;
  now: Date;
  registry: AgencyRegistry;
  /** The replying agency (name or alias): it is not listed among the agencies its reply names. */
  agency?: string | undefined;
}

/** Beyond this a message is not a reply; reading stops there so a pasted document costs little. */
const READ_LIMIT = 600;
const LONG_REPLY = 300;

// --- normalizing -------------------------------------------------------------------------------

/** Slips officials make on a phone keyboard (pinyin homophones), and doubled marks. */
const TYPOS = new Map([
  ['完程', '完成'],
  ['完城', '完成'],
  ['进形中', '进行中'],
  ['进性中', '进行中'],
  ['推近中', '推进中'],
  ['受租', '受阻'],
  ['百分只', '百分之'],
  ['已经', '已'],
  ['业已', '已'],
]);
const TYPO_PATTERN = new RegExp(`${[...TYPOS.keys()].join('|')}|%{2,}`, 'gu');

/** NFKC (full-width digits, ％, letters), lower case, typos fixed, spaces kept only beside Latin words. */
function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(TYPO_PATTERN, (m) => TYPOS.get(m) ?? '%')
    .replace(/(?<![a-z])\s+(?![a-z])/gu, (m) => (m.includes('\n') ? '\n' : ''));
}

/** Characters a reply plausibly holds: CJK, ASCII, full-width forms, CJK and general punctuation. */
const PLAUSIBLE = /[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2010-\u201f\u2026\u00b7 -~\s]/gu;

function oddShare(text: string): number {
  if (text.length === 0) return 0;
  return text.replace(PLAUSIBLE, '').length / text.length;
}

// --- clauses -----------------------------------------------------------------------------------

const HARD_BREAK = /[,;!?。；！？\n\r\t:]+|(?<!\d)\.|\.(?!\d)/u;
/** Where a new fact starts even without punctuation (已完成70%预计6月底完成需市财政局配合). */
const SOFT_BREAK = new RegExp(
  `(?<=.)(?=预计|(?<![按原度作])计划|争取|力争|拟于|拟在|将于|将在|(?<![无不必])需|但|目前|(?<!原)因为?|由于|另外|同时|第(?:\\d{1,3}|[${CN_DIGITS}]+)[条项]|eta)`,
  'gu',
);

function clausesOf(text: string): string[] {
  return text
    .replace(SOFT_BREAK, '\n')
    .split(HARD_BREAK)
    .map((c) => c.trim())
    .filter((c) => c !== '');
}

// --- words -------------------------------------------------------------------------------------

/** An English word stands between spaces, CJK, digits or ordinary punctuation, never inside noise. */
const en = (words: string) =>
  `(?<![^\\s\\u4e00-\\u9fff\\d,.;:!?()])(?:${words})(?![^\\s\\u4e00-\\u9fff\\d,.;:!?()%])`;

const NOT_STARTED = new RegExp(
  `(?:尚未|还未|还没有?|没有|没|未|暂未|暂时未|暂未能)(?:正式)?(?:开始|启动|开展|动工|开工|实施)|待启动|${en('not (?:yet )?started|not begun')}`,
  'u',
);
const BLOCKING_NOT_DONE =
  /(?:无法|难以|不能|不可能)(?:按期|按时|如期)?(?:完成|办结|完工|竣工)|完不成|不能按期|无法按期/u;
const NOT_DONE = new RegExp(
  `(?:尚未|还未|还没有?|未能|没有|没|未)(?:全部|完全|按期|按时|如期)?(?:完成|办结|完工|竣工)|${en('not (?:yet )?(?:done|finished|completed?)|undone|unfinished|incomplete')}`,
  'u',
);
const NO_CHANGE = new RegExp(
  `(?:没有|没|无|暂无|尚无|无新|没有新)的?新?(?:进展|进度|变化|更新)|同上周|同上次|与上周相同|和上周一样|${en('no (?:change|progress|update)s?')}`,
  'u',
);
const ALMOST = /(?:基本|大部分|部分|大体|初步|即将|接近|快要?)(?:完成|办结|完工|建成)/u;
const VERIFYING = /(?:正在|等待|申请|待|准备)?(?:组织)?验收|(?:已|已通过)验收/u;
const DONE_PAST =
  /已(?:全部|全面|基本|顺利|按期|如期|按时|提前|圆满)?(?:完成|办结|完工|竣工|建成|销号)(?!率|情况|进度|时间|目标值|节点)/u;
const DONE_ASPECT = new RegExp(
  `(?:完成|办结|完工|竣工)了|(?:全部|全面|圆满)(?:完成|办结)|${en('done|finished|completed?|closed')}`,
  'u',
);
const DONE_BARE = /(?:完成|办结|完工|竣工)(?!率|情况|进度|时间|目标|节点)/u;
/** After 已完成: what makes it the whole task rather than a step (已完成招标). */
const WHOLE_TASK =
  /^(?:了|啦|的)?(?:全部|所有|各项|本项|该项|此项|这项|年度|既定|整体|全年|目标|任务|工作|建设任务|整改|本条|该条|全部工作)?(?:任务|工作)?$|^(?:全部|所有|各项|本项|该项|此项|这项|年度|既定|整体|全年)/u;
const IN_PROGRESS = new RegExp(
  `进行中|推进中|实施中|开展中|施工中|建设中|办理中|落实中|在建|在办|正在|着手|已启动|已开展|已开工|已动工|启动实施|(?:有序|稳步|加快|扎实|持续|积极|全力|正常|顺利|按计划|按进度|抓紧|深入|正)推进|进展顺利|进度正常|${en('in progress|in-progress|ongoing|wip|started|underway|on track')}`,
  'u',
);
const BLOCKED = new RegExp(
  `受阻|阻碍|阻滞|卡住|卡在|卡壳|停滞|停工|停摆|暂停|搁置|无法推进|难以推进|推进困难|推不动|${en('blocked|stuck|on hold')}`,
  'u',
);
const PROBLEM =
  /未到位|不到位|没到位|没有到位|不足|短缺|缺口|缺乏|缺少|紧缺|紧张|困难|难度大|难题|问题|未落实|未明确|未批复|未审批|未获批|未批准|未通过|未下达|未拨付|未签订|待审批|待批复|待拨付|等待|滞后|延迟|延期|推迟|(?:受|因).{0,10}影响|制约|瓶颈|冲突|矛盾|不够|不力|缓慢|waiting/u;
const REQUEST = new RegExp(
  `(?<![无不必])需(?!求)|请求|恳请|提请|请.{0,12}(?:配合|支持|协调|协助|帮助|解决|督促)|协调|${en('needs?')}`,
  'u',
);
const RESOLVED =
  /已解决|已.{0,12}(?:协调|对接|沟通)|已到位|已落实|无问题|没有问题|没问题|不存在问题|无困难|没有困难|无需|不需要|不需|顺利/u;
const FUTURE = new RegExp(
  `预计|(?<![按原度作])计划|争取|力争|拟|将于|将在|将|确保|有望|可望|估计|预期|目标|打算|${en('eta|expected|expect|will|plan')}`,
  'u',
);
const PAST = /已|了/u;
const METRIC = /增长|提高|提升|上升|下降|减少|增加|降低|同比|环比|占比|比重|增速|(?<!完成)率|达标|覆盖/u;
const QUESTION = /[?？吗]$|是否|能否|怎么|如何|请问/u;
/** `困难：缺乏专业人员`: the label before the colon is not itself a blocker. */
const LABEL = /^(?:主要|存在的?)?(?:困难|问题|原因|困难和问题|困难问题)$/u;
const LEADING_CONNECTIVE = /^(?:但是|但|不过|另外|另|同时|目前|现在|现|且|并且|并)/u;

// The whole token before % is taken (1e2, 0x32, +50, 100.5, 1000), so the strict reading can refuse it
// rather than find a plausible 2% or 50% inside it.
const PERCENT = new RegExp(
  `(?<![0-9a-z.+\\-])([+\\-]?[0-9a-z.]*[0-9])%|百分之([+\\-]?[0-9a-z.]*[0-9]|[${CN_DIGITS}]+)|(?<![\\d${CN_DIGITS}])(\\d|[一二两三四五六七八九十])成(?![果本员立功绩熟效交为型都])|(过半|一半|半数)`,
  'gu',
);

const ARTICLE = new RegExp(
  `第(\\d{1,3}|[${CN_DIGITS}]+)[条项款]|(?<![\\d.])(\\d{1,3})条|\\(([${CN_DIGITS}]+|\\d{1,3})\\)|^(\\d{1,3})[、.](?!\\d)|${en('(?:art(?:icle)?\\.?|no\\.?|#)\\s*(\\d{1,3})')}`,
  'gu',
);

// --- agencies ----------------------------------------------------------------------------------

interface AgencyMatcher {
  pattern: RegExp | null;
  canonical: Map<string, string>;
}

// A registry is immutable once built: its matcher is computed once and kept beside it.
const matchers = new WeakMap<AgencyRegistry, AgencyMatcher>();

function matcherOf(registry: AgencyRegistry): AgencyMatcher {
  let matcher = matchers.get(registry);
  if (matcher !== undefined) return matcher;
  const canonical = new Map<string, string>();
  for (const key of registry.knownKeys()) {
    const def = registry.byName(key);
    // Collectives (各有关单位) name no one to ask.
    if (def === undefined || def.kind === 'collective') continue;
    canonical.set(key.toLowerCase(), def.name);
  }
  const keys = [...canonical.keys()].sort((a, b) => b.length - a.length);
  const escaped = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'));
  matcher = { pattern: keys.length === 0 ? null : new RegExp(escaped.join('|'), 'gu'), canonical };
  matchers.set(registry, matcher);
  return matcher;
}

function agenciesNamed(text: string, registry: AgencyRegistry, own: string | undefined): string[] {
  const { pattern, canonical } = matcherOf(registry);
  if (pattern === null) return [];
  const found: string[] = [];
  for (const m of normalizeAgencyName(text).toLowerCase().matchAll(pattern)) {
    const name = canonical.get(m[0]);
    if (name !== undefined && name !== own && !found.includes(name)) found.push(name);
  }
  return found;
}

// --- reading -----------------------------------------------------------------------------------

interface Signals {
  done: boolean;
  step: boolean;
  inProgress: boolean;
  notStarted: boolean;
  blocked: boolean;
  notDone: boolean;
  noChange: boolean;
}

/** A percent as written: a number, or why it is not one a reply can be read by (strict numbers). */
function readPercent(m: RegExpMatchArray): number | 'unclear' | null {
  const digits = m[1] ?? (m[2] !== undefined && /[0-9]/u.test(m[2]) ? m[2] : undefined);
  if (digits !== undefined) {
    const read = parsePercent(digits);
    // Above 100 stays a number: the reader says so with its own doubt (percent_out_of_range).
    if (read.ok) return read.percent;
    return read.problem === 'above_100' ? 101 : 'unclear';
  }
  if (m[2] !== undefined) return readNumber(m[2]);
  if (m[3] !== undefined) {
    const n = readNumber(m[3]);
    return n === null ? null : n * 10;
  }
  return m[4] === undefined ? null : 50;
}

function readArticle(m: RegExpMatchArray): number | null {
  const written = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5];
  if (written === undefined) return null;
  const n = readNumber(written);
  return n === null || n < 1 || n > 999 ? null : n;
}

export function readReply(input: ReadReplyInput): ReplyReading {
  const doubts = new Set<ReplyDoubt>();
  const raw = input.text.length > READ_LIMIT ? input.text.slice(0, READ_LIMIT) : input.text;
  if (input.text.length > LONG_REPLY) doubts.add('too_long');
  if (oddShare(raw) > 0.1) doubts.add('unreadable');
  const text = normalize(raw);
  const today = shanghaiDay(input.now);
  if (QUESTION.test(text)) doubts.add('question');

  const articles: number[] = [];
  for (const m of text.matchAll(ARTICLE)) {
    const n = readArticle(m);
    if (n !== null && !articles.includes(n)) articles.push(n);
  }
  if (articles.length > 1) doubts.add('several_articles');

  const signals: Signals = {
    done: false,
    step: false,
    inProgress: false,
    notStarted: false,
    blocked: false,
    notDone: false,
    noChange: false,
  };
  const percents: number[] = [];
  let eta: Day | null = null;
  const problems: string[] = [];
  const requests: string[] = [];
  const blockedClauses: string[] = [];

  for (const whole of clausesOf(text)) {
    let c = whole;
    if (NO_CHANGE.test(c)) {
      signals.noChange = true;
      c = c.replace(NO_CHANGE, '');
    }
    if (NOT_STARTED.test(c)) {
      signals.notStarted = true;
      c = c.replace(NOT_STARTED, '');
    }
    let blockedHere = false;
    if (BLOCKING_NOT_DONE.test(c)) {
      blockedHere = true;
      c = c.replace(BLOCKING_NOT_DONE, '');
    }
    if (NOT_DONE.test(c)) {
      signals.notDone = true;
      c = c.replace(NOT_DONE, '');
    }
    if (BLOCKED.test(c)) blockedHere = true;
    if (blockedHere) {
      signals.blocked = true;
      blockedClauses.push(whole);
    }

    // 本周无新进展 dates the silence; it is not an expected date.
    const found = signals.noChange && c !== whole ? null : findEta(c, today);
    const future = FUTURE.test(c);
    const past = !future && PAST.test(c);
    const etaClause = found !== null && !past;
    if (etaClause && eta === null) eta = found.day;
    const forward = future || etaClause;

    if (ALMOST.test(c)) {
      signals.inProgress = true;
      c = c.replace(ALMOST, '');
    }
    if (VERIFYING.test(c)) {
      if (!forward) signals.done = true;
      c = c.replace(VERIFYING, '');
    }
    const donePast = DONE_PAST.exec(c);
    if (donePast !== null) {
      const after = c
        .slice(donePast.index + donePast[0].length)
        .replace(PERCENT, '')
        .replace(/(?:以上|左右|多|了|啦|的)/gu, '');
      if (/[\u4e00-\u9fff]{2,}/u.test(after) && !WHOLE_TASK.test(after)) signals.step = true;
      else signals.done = true;
    } else if (!forward && (DONE_ASPECT.test(c) || DONE_BARE.test(c))) {
      signals.done = true;
    } else if (forward && DONE_ASPECT.test(c) && !/[\u4e00-\u9fff]/u.test(c.replace(DONE_ASPECT, ''))) {
      signals.done = true;
    }
    if (IN_PROGRESS.test(c)) signals.inProgress = true;

    if (!forward && !METRIC.test(c)) {
      for (const m of c.matchAll(PERCENT)) {
        const p = readPercent(m);
        if (p === 'unclear') doubts.add('percent_unclear');
        else if (p !== null) percents.push(p);
      }
    }

    if (!RESOLVED.test(whole)) {
      const blocker = whole.replace(LEADING_CONNECTIVE, '');
      if (PROBLEM.test(whole) && blocker !== '') problems.push(blocker);
      else if (REQUEST.test(whole) && blocker !== '') requests.push(blocker);
    }
  }

  // --- percent ---
  let percent: number | null = percents[0] ?? null;
  if (new Set(percents).size > 1) doubts.add('several_percents');
  if (percent !== null && percent > 100) {
    doubts.add('percent_out_of_range');
    percent = null;
  }

  // --- blockers: the reasons given; a bare 受阻 only when no reason is ---
  const reasons = [...problems, ...requests];
  const blockers = [
    ...new Set(
      reasons.length > 0 ? reasons.filter((r) => !LABEL.test(r)) : signals.blocked ? blockedClauses : [],
    ),
  ];

  // --- status ---
  let status: ReplyStatus | null = null;
  const progressed = signals.done || signals.inProgress || signals.step || (percent !== null && percent > 0);
  if (signals.blocked) {
    status = 'blocked';
  } else if (signals.notStarted) {
    if (progressed) doubts.add('conflicting_status');
    else status = 'not_started';
  } else if (signals.done && !signals.inProgress) {
    status = percent !== null && percent < 100 ? 'in_progress' : 'done';
  } else if (signals.inProgress || signals.step || signals.notDone) {
    status = percent === 100 && !signals.notDone && !signals.inProgress ? 'done' : 'in_progress';
    if (signals.step && !signals.inProgress) doubts.add('partial_step');
    if (signals.notDone && !signals.inProgress && !signals.step && percent === null)
      doubts.add('vague_status');
  } else if (percent !== null) {
    status = percent >= 100 ? 'done' : percent === 0 ? 'not_started' : 'in_progress';
    if (!percentStandsAlone(text)) doubts.add('vague_status');
  } else if (problems.length > 0) {
    status = 'blocked';
  } else if (requests.length > 0) {
    status = 'blocked';
    doubts.add('vague_status');
  }
  if (status === null) doubts.add(signals.noChange ? 'no_change' : 'no_status');

  const etaText = eta === null ? null : formatDay(eta);
  if (eta !== null && compareDays(eta, today) < 0) doubts.add('eta_past');

  const own = input.agency === undefined ? undefined : input.registry.byName(input.agency)?.name;
  return {
    status,
    percent,
    eta: etaText,
    blockers,
    agencies: agenciesNamed(text, input.registry, own),
    article: articles[0] ?? null,
    confidence: doubts.size === 0 ? 'high' : 'low',
    doubts: REPLY_DOUBTS.filter((d) => doubts.has(d)),
    noChange: signals.noChange,
  };
}

/**
 * A percent with no word of progress around it is a status only beside an article (`第3条 80%`): a bare
 * `80%` could be anything, and `x5%k` is noise, not a report.
 */
const PROGRESS_WORD = new RegExp(`完成|进度|进展|推进|${en('done|progress|complete')}`, 'u');
function percentStandsAlone(text: string): boolean {
  if (PROGRESS_WORD.test(text)) return true;
  const withoutArticle = text.replace(ARTICLE, '');
  if (withoutArticle === text) return false;
  const rest = withoutArticle.replace(PERCENT, '').replace(/[\s,.;:!。、()]/gu, '');
  return rest === '' || rest === '约' || rest === '已达' || rest === '达';
}
