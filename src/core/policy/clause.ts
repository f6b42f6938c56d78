/**
 * Responsibility clauses: the grammar of "who leads, who takes part" in its many written forms.
 *
 *   (本部分工作由A牵头,B、C等部门参与)     由A、B牵头     由A负责     由各有关单位负责
 *   (X牵头，Y、Z参与)     （牵头单位：X；配合单位：Y）     (A、B负责) + "first listed leads"
 *   责任单位：A、B     …等部门和有关区参与     A会同B负责
 *
 * A clause must parse COMPLETELY: every segment is a list of units followed by a role word, or a
 * role label followed by a list. Prose that merely contains 牵头 or 参与 ("行业协会牵头或参与制定
 * 行业标准") fails that test and is not a clause. Names stay as written; the registry resolves them.
 */

export interface ClauseRoles {
  /** Lead units as written, in order. */
  leads: string[];
  /** Participating units as written, in order. */
  participants: string[];
  /** A deadline segment of the clause as written ("年内持续推进", "2023年6月底前"). */
  due?: string;
  /** Units a carry-forward note adds to this and every later item ("以下均需A落实，不再列出"). */
  carry?: string[];
}

/** A clause with what the parser needs to report about it. */
export interface ClauseReading {
  roles: ClauseRoles;
  /** The first-listed rule decided the lead among several responsible units. */
  firstListedApplied: boolean;
}

export interface ClauseOptions {
  /** The document states that the first unit listed under 负责/责任单位 leads (排在第一位的为牵头单位). */
  firstListedLeads: boolean;
  /** Normalized registry names and aliases, used to keep names such as 各区、县级市 whole. */
  keys: KeyIndex;
}

/** Registry keys grouped by first character, longest first. */
export type KeyIndex = ReadonlyMap<string, readonly string[]>;

export function buildKeyIndex(keys: readonly string[]): KeyIndex {
  const index = new Map<string, string[]>();
  for (const key of keys) {
    const first = key[0];
    if (first === undefined) continue;
    const list = index.get(first);
    if (list === undefined) index.set(first, [key]);
    else list.push(key);
  }
  for (const list of index.values()) list.sort((a, b) => b.length - a.length);
  return index;
}

/**
 * Full-width ASCII forms (（ ） ： ， Ａ １) and the ideographic space become their half-width
 * twins, one character for one, so offsets in the normalized text are offsets in the original.
 * (String.prototype.normalize per character is far slower and changes nothing else we match on.)
 */
export function normalizeChars(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) {
      out += text.slice(from, i) + (c === 0x3000 ? ' ' : String.fromCharCode(c - 0xfee0));
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * 'each': every unit listed leads its own share (分别牵头, 分别负责), whatever the document's rules.
 * 'shared': 按职责分工负责 — all lead unless the clause names a lead, then all take part.
 */
type Role = 'lead' | 'each' | 'shared' | 'responsible' | 'participant' | 'guide';

const LABELS: Record<string, Role> = {
  牵头单位: 'lead',
  牵头部门: 'lead',
  主责单位: 'lead',
  主责部门: 'lead',
  责任单位: 'responsible',
  责任部门: 'responsible',
  配合单位: 'participant',
  配合部门: 'participant',
  参与单位: 'participant',
  参与部门: 'participant',
  协办单位: 'participant',
  协办部门: 'participant',
  协助单位: 'participant',
  协助部门: 'participant',
};
const LABEL_ALT = Object.keys(LABELS).join('|');
const LABEL_RE = new RegExp(`^(${LABEL_ALT})\\s*[:：]\\s*(.*)$`, 'su');
const LABEL_AFTER_SPACE_RE = new RegExp(`[ \\t\\u3000]+(?=(?:${LABEL_ALT})\\s*[:：])`, 'gu');
/** A labeled responsibility line starts here (used to find 责任单位: lines). */
export const LABEL_START_RE = new RegExp(`^\\s*[(（【\\[]?\\s*(?:${LABEL_ALT})\\s*[:：]`, 'u');

const VERBS: Record<string, Role> = {
  牵头负责: 'lead',
  牵头: 'lead',
  指导: 'guide',
  共同负责: 'responsible',
  负责: 'responsible',
  参与: 'participant',
  配合: 'participant',
  协助: 'participant',
  协办: 'participant',
};
// An optional tail such as 组织实施 ("由A负责组织实施") does not change the role.
const VERB_RE = new RegExp(`^(.*?)(${Object.keys(VERBS).join('|')})(?:组织实施|组织落实|落实|实施)?$`, 'su');
const WITH_RE = /^(.+?)会同(.+?)(?:共同)?(?:牵头负责|负责|牵头|组织实施|落实)$/su;
/** Words between a list and its role verb that say "each its own share": 分别牵头, 按职责分工负责. */
const EACH_RE = /\s*(?:(分别|各自)|共同|按照职责分工|按职责分工|按照职责|按职责|依职责|根据职责)$/u;
/** A labeled list that ends in its own role word: 责任单位：A、B分别牵头. */
const LABELED_VERB_RE = /^(.*?)(分别|各自|共同|按照职责分工|按职责分工|按职责)?(牵头负责|牵头|负责)$/su;
const PREFIX_RE =
  /^(?:本部分工作|本部分|本项工作|本项|此项工作|该项工作|本条工作|以上工作|上述工作|各项工作)?\s*(?:均由|并由|由|请)?\s*/u;

/** 等部门 / 等单位 closing a list ("市质监局等部门参与"). */
const ETC_END_RE =
  /\s*等(?:其他)?(?:有关|相关)?(?:部门|单位|机构)?(?:和|及|与)?(?:有关|相关)?(?:部门|单位|机构)?$/u;
/** 等部门 between two lists ("…市信息办等部门和有关区参与"): drop it, keep the conjunction. */
const ETC_MID_RE =
  /等(?:其他)?(?:有关|相关)?(?:部门|单位|机构)?(?:和|及|与)?(?:有关|相关)?(?:部门|单位|机构)?(?=以及|和|及|与|、|，|,)/gu;
/** Fragments that only make sense joined to the previous name: 各区、县级市, 各镇、街. */
const ADMIN_FRAGMENT_RE = /^(?:县级市|县\(市\)|县|区|市|镇|街道|街|乡镇|乡)(?:人民政府|政府|党委)?$/u;
/** Words that make a fragment prose rather than an agency name. */
const PROSE_RE = /[的或了着是将把被]|制定|开展|推进|加强|支持|鼓励|组织|做好|进行|提供|实施|建设|工作/u;
/** A name that ends like a body ("…领导小组成员单位", "…工作专班") is a name even with 工作 in it. */
const ORG_NAME_RE =
  /^[^的或了着是将把被]{2,}(?:单位|部门|局|委|办|厅|部|署|院|中心|政府|管委会|小组|专班|公司|集团|街道|办事处|委员会|指挥部)$/u;
const NOT_A_NAME_RE =
  /牵头|负责|配合|参与|会同|协办|按职责|按照职责|\d{4}\s*年|月底|年底|底前|不再|下同|[〔〕【】[\]]|^[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[)）]/u;
const squash = (text: string): string => normalizeChars(text).replace(/\s+/gu, '');

function balanced(text: string): boolean {
  let depth = 0;
  for (const c of normalizeChars(text)) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}
const BAD_CHARS_RE = /[。；;：:！？!?“”"]/u;

const LIST_SEPARATORS = new Set(['、', ',', '，', '/', ' ', '\t']);
const LIST_SEPARATOR_CODES = new Set([0x3001, 0x2c, 0xff0c, 0x2f, 0x20, 0x09]);
const CONJUNCTIONS = ['以及', '和', '及', '与'];

interface Token {
  start: number;
  end: number;
  known: boolean;
}

function longestKeyAt(norm: string, at: number, keys: KeyIndex): string | undefined {
  const first = norm[at];
  if (first === undefined) return undefined;
  for (const key of keys.get(first) ?? []) {
    if (!norm.startsWith(key, at)) continue;
    const next = norm[at + key.length];
    if (
      next === undefined ||
      LIST_SEPARATORS.has(next) ||
      next === '等' ||
      CONJUNCTIONS.some((c) => c[0] === next)
    ) {
      return key;
    }
  }
  return undefined;
}

function isKnown(text: string, keys: KeyIndex): boolean {
  const norm = normalizeChars(text).replace(/\s+/gu, '');
  return (keys.get(norm[0] ?? '') ?? []).includes(norm);
}

/** Splits "A、B和有关区" into names as written; null when something in it is not a unit name. */
export function splitUnits(list: string, keys: KeyIndex): string[] | null {
  const text = list.replace(ETC_END_RE, '').replace(ETC_MID_RE, '').trim();
  if (text === '') return null;
  const norm = normalizeChars(text);
  const tokens: Token[] = [];
  let i = 0;
  let afterKnown = false;
  while (i < norm.length) {
    if (LIST_SEPARATOR_CODES.has(norm.charCodeAt(i))) {
      i++;
      continue;
    }
    if (afterKnown) {
      const conj = CONJUNCTIONS.find((c) => norm.startsWith(c, i));
      if (conj !== undefined) {
        i += conj.length;
        afterKnown = false;
        continue;
      }
    }
    const key = longestKeyAt(norm, i, keys);
    if (key !== undefined) {
      tokens.push({ start: i, end: i + key.length, known: true });
      i += key.length;
      afterKnown = true;
      continue;
    }
    let j = i;
    let depth = 0;
    while (j < norm.length) {
      const c = norm.charCodeAt(j);
      if (c === 0x28) depth++;
      else if (c === 0x29) depth = Math.max(0, depth - 1);
      else if (depth === 0 && LIST_SEPARATOR_CODES.has(c)) break;
      j++;
    }
    tokens.push({ start: i, end: j, known: false });
    i = j;
    afterKnown = false;
  }

  const names: { text: string; start: number; end: number }[] = [];
  for (const token of tokens) {
    let written = text.slice(token.start, token.end).trim();
    written = written.replace(/^(?:以及|和|及|与|由)/u, '').trim();
    if (written === '') continue;
    const prev = names[names.length - 1];
    if (!token.known && prev !== undefined && ADMIN_FRAGMENT_RE.test(normalizeChars(written))) {
      prev.text = text.slice(prev.start, token.end).trim();
      prev.end = token.end;
      continue;
    }
    if (!token.known) {
      // "市甲局和有关区": split at a conjunction only when one side is a name the registry knows.
      const split = splitAtConjunction(written, keys);
      if (split !== null) {
        for (const part of split) names.push({ text: part, start: token.start, end: token.end });
        continue;
      }
    }
    names.push({ text: written, start: token.start, end: token.end });
  }
  if (names.length === 0) return null;
  const whole = squash(list);
  for (const name of names) {
    if (name.text.length > 30 || BAD_CHARS_RE.test(name.text)) return null;
    // A role word, a deadline, a heading number or a stray bracket is never part of a name.
    if (NOT_A_NAME_RE.test(name.text) || !balanced(name.text)) return null;
    // Names are always text as written: never a splice of two pieces around a removed qualifier.
    if (!whole.includes(squash(name.text))) return null;
    if (!isKnown(name.text, keys) && PROSE_RE.test(name.text) && !ORG_NAME_RE.test(name.text)) return null;
  }
  return names.map((n) => n.text);
}

function splitAtConjunction(text: string, keys: KeyIndex): string[] | null {
  for (const conj of CONJUNCTIONS) {
    let at = text.indexOf(conj);
    while (at > 0) {
      const left = text.slice(0, at).trim();
      const right = text.slice(at + conj.length).trim();
      if (left !== '' && right !== '' && (isKnown(left, keys) || isKnown(right, keys))) return [left, right];
      at = text.indexOf(conj, at + 1);
    }
  }
  return null;
}

// , ， ; ； 。 newline
const SEGMENT_BREAKS = new Set([0x2c, 0xff0c, 0x3b, 0xff1b, 0x3002, 0x0a]);

/** Splits at top-level separators between clause segments (not inside brackets). */
function segments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 || c === 0xff08) depth++;
    else if (c === 0x29 || c === 0xff09) depth = Math.max(0, depth - 1);
    else if (depth === 0 && SEGMENT_BREAKS.has(c)) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

interface Item {
  role: Role;
  list: string;
  labeled: boolean;
}

/** Even a clause naming twenty units is under 300 characters; longer text is prose. */
const MAX_CLAUSE_LENGTH = 600;

/** A deadline written as a clause segment: "年内持续推进", "2023年6月底前完成", "长期坚持", "每季度". */
export const DEADLINE_SEGMENT_RE =
  /^(?:(?:\d{4}\s*年)?(?:\d{1,2}\s*月)?(?:\d{1,2}\s*日|底|末|中旬|上旬|下旬)?(?:前|以前)?(?:完成|出台|启动|见效|基本完成|全面完成)?(?:并)?(?:持续推进|长期坚持|长期推进)?|年内|年底前|年内完成|年底前完成|上半年|下半年|上半年完成|年内持续推进|持续推进|长期坚持|长期推进|常态化推进|每(?:月|季度|季|半年|年)(?:报送|报告)?(?:进展)?)$/u;
/** "完成时限：2023年6月底前" under an item. */
const DUE_LABEL_RE = /^(?:完成时限|时间节点|完成时间|时限要求|完成期限|时限)\s*[:：]\s*(.+)$/su;
const HAS_TIME_RE = /\d|年|月|季|持续|长期|常态/u;

/** Notes inside a clause that state a rule, not a unit: "(除标注"分别牵头"外，列第一位为牵头单位，下同)". */
const RULE_NOTE_RE = /第一位|首位|下同|不再(?:单独|重复)?(?:列出|分工|做分工|作分工)|汇总单位/u;
/** "以下政策措施均需A、B落实，不再单独列出", "具体任务均涉及A，不再做分工，下同". */
const CARRY_RE =
  /(?:以下|下列|其余|具体)[^，,。；;]{0,12}?(?:均需|均由|均涉及|都需|需)([^。；;]+?)(?:负责落实|落实|负责|参与|配合)?\s*[，,]\s*(?:不再(?:单独|重复)?(?:列出|分工|做分工|作分工))(?:\s*[，,]\s*下同)?/u;

function isDeadlineSegment(seg: string): boolean {
  const compact = seg.replace(/\s+/gu, '');
  return compact !== '' && HAS_TIME_RE.test(compact) && DEADLINE_SEGMENT_RE.test(compact);
}

/** Removes rule notes and carry-forward sentences, returning what they said. */
function extractNotes(text: string, keys: KeyIndex): { rest: string; carry: string[] } {
  let rest = text;
  const carry: string[] = [];
  const m = CARRY_RE.exec(rest);
  if (m !== null) {
    const names = splitUnits(m[1] ?? '', keys);
    if (names !== null) carry.push(...names);
    rest = `${rest.slice(0, m.index)}${rest.slice(m.index + m[0].length)}`;
  }
  // Bracketed rule notes inside the clause.
  rest = rest.replace(/[(（][^()（）]*[)）]/gu, (group) => (RULE_NOTE_RE.test(group) ? '' : group));
  // A trailing rule sentence without brackets.
  rest = rest
    .split(/(?<=[。；;])/u)
    .filter((sentence) => !RULE_NOTE_RE.test(sentence) || /[:：]/u.test(sentence))
    .join('');
  return { rest, carry };
}

/** A list followed by "分别牵头" or "按职责分工负责": strip the qualifier and note that each leads. */
function stripEach(list: string): { list: string; each: 'each' | 'shared' | null } {
  const m = EACH_RE.exec(list);
  if (m === null) return { list, each: null };
  return { list: list.slice(0, m.index), each: m[1] !== undefined ? 'each' : 'shared' };
}

/**
 * Parses the inside of a clause (brackets already removed). Returns the units by role, or null
 * when the text is not entirely a responsibility clause.
 */
export function parseClauseText(content: string, options: ClauseOptions): ClauseRoles | null {
  return readClause(content, options)?.roles ?? null;
}

/** parseClauseText, also telling whether the document's first-listed rule was used. */
export function readClause(content: string, options: ClauseOptions): ClauseReading | null {
  if (content.length > 2 * MAX_CLAUSE_LENGTH) return null;
  const notes = extractNotes(content, options.keys);
  // "牵头单位：A  责任单位：B": a label after spaces starts a new segment.
  const spaced = notes.rest.replace(LABEL_AFTER_SPACE_RE, '；');
  const text = spaced.trim().replace(/[。.;；,，\s]+$/u, '');
  if (text === '' || text.length > MAX_CLAUSE_LENGTH) return null;
  const items: Item[] = [];
  const pending: string[] = [];
  let due: string | undefined;
  for (const raw of segments(text)) {
    const seg = raw.replace(PREFIX_RE, '').trim();
    if (seg === '') continue;
    if (isDeadlineSegment(seg)) {
      due ??= seg;
      continue;
    }
    const dueLabel = DUE_LABEL_RE.exec(seg);
    if (dueLabel !== null) {
      due ??= (dueLabel[1] ?? '').trim();
      continue;
    }
    const label = LABEL_RE.exec(seg);
    if (label !== null) {
      let role = LABELS[label[1] ?? ''];
      if (role === undefined) return null;
      let list = label[2] ?? '';
      const own = LABELED_VERB_RE.exec(list);
      if (own !== null && (own[1] ?? '').trim() !== '') {
        list = own[1] ?? '';
        const each = own[2] === '分别' || own[2] === '各自' ? 'each' : own[2] !== undefined ? 'shared' : null;
        role = own[3] === '负责' ? (each ?? role) : each === null ? 'lead' : 'each';
      }
      items.push({ role, list: [...pending.splice(0), list].join('、'), labeled: true });
      continue;
    }
    const withMatch = WITH_RE.exec(seg);
    if (withMatch !== null) {
      items.push({
        role: 'lead',
        list: [...pending.splice(0), withMatch[1] ?? ''].join('、'),
        labeled: false,
      });
      items.push({ role: 'participant', list: withMatch[2] ?? '', labeled: false });
      continue;
    }
    const verb = VERB_RE.exec(seg);
    if (verb !== null && (verb[1] ?? '').trim() !== '') {
      let role = VERBS[verb[2] ?? ''];
      if (role === undefined) return null;
      const { list, each } = stripEach(verb[1] ?? '');
      if (each !== null && (role === 'lead' || role === 'responsible'))
        role = role === 'lead' ? 'each' : each;
      items.push({ role, list: [...pending.splice(0), list].join('、'), labeled: false });
      continue;
    }
    const last = items[items.length - 1];
    // "责任单位：A，B": a bare list after a label continues it; before a role word it waits for it.
    if (last?.labeled === true) last.list = `${last.list}、${seg}`;
    else pending.push(seg);
  }
  if (pending.length > 0 || items.length === 0) return null;

  // With a lead named, 负责/责任单位 units take part; "A指导，B负责落实": B leads, A takes part.
  const hasLead = items.some((i) => i.role === 'lead' || i.role === 'each');
  const leads: string[] = [];
  const participants: string[] = [];
  let sawResponsible = false;
  let firstListedApplied = false;
  for (const item of items) {
    const names = splitUnits(item.list, options.keys);
    if (names === null) return null;
    if (item.role === 'lead' || item.role === 'each') leads.push(...names);
    else if (item.role === 'participant' || item.role === 'guide') participants.push(...names);
    else if (hasLead) participants.push(...names);
    else if (item.role === 'shared') leads.push(...names);
    else if (options.firstListedLeads) {
      // Only the very first unit listed under 负责/责任单位 leads; the rest take part.
      names.forEach((name, k) => {
        (k === 0 && !sawResponsible ? leads : participants).push(name);
      });
      if (names.length > 1 || sawResponsible) firstListedApplied = true;
      sawResponsible = true;
    } else {
      leads.push(...names);
    }
  }
  const hasLabeledParticipants = items.some((i) => i.labeled && i.role === 'participant');
  if (leads.length === 0 && !hasLabeledParticipants) return null;
  const uniqueLeads = [...new Set(leads)];
  const leadSet = new Set(uniqueLeads);
  const roles: ClauseRoles = {
    leads: uniqueLeads,
    participants: [...new Set(participants)].filter((p) => !leadSet.has(p)),
  };
  if (due !== undefined) roles.due = due;
  if (notes.carry.length > 0) roles.carry = notes.carry;
  return { roles, firstListedApplied };
}

/** Statements such as "排在第一位的为牵头单位" or "第一个单位为牵头单位". */
const FIRST_LISTED_RE =
  /(?:排|列|居)(?:在|于)?(?:第一|首)(?:位|个)?[^。\n]{0,12}?(?:为|是)?牵头|(?:第一|首)(?:个|位)(?:单位|部门)?[^。\n]{0,8}?(?:为|是)牵头/u;

export function statesFirstListedLeads(text: string): boolean {
  return FIRST_LISTED_RE.test(text);
}

/** The sentence that states the first-listed rule, as written, for the warning that reports it. */
export function firstListedStatement(text: string): string | null {
  const m = FIRST_LISTED_RE.exec(text);
  if (m === null) return null;
  const from = Math.max(
    text.lastIndexOf('\n', m.index) + 1,
    ...['。', '(', '（', '，', ','].map((c) => text.lastIndexOf(c, m.index) + 1),
  );
  const stops = ['。', '\n', ')', '）'].map((c) => text.indexOf(c, m.index)).filter((i) => i !== -1);
  const to = stops.length > 0 ? Math.min(...stops) : text.length;
  return text.slice(from, to).trim();
}

/** A carry-forward note standing on its own ("说明：以下各项均需A落实，不再列出。"): its units, or null. */
export function readCarryNote(text: string, keys: KeyIndex): string[] | null {
  if (!CARRY_RE.test(text)) return null;
  const { carry } = extractNotes(text, keys);
  return carry.length > 0 ? carry : null;
}
