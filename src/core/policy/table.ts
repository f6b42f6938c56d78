/**
 * Task tables (序号 / 工作任务 / 责任单位 / 牵头单位 / 完成时限), as a decision arrives when it is
 * copied from a web page or read out of a .docx: one cell per line ("flattened"), or one row per
 * line with tab or "|" between cells. Pure: lines in, rows out; the parser turns rows into articles.
 */

export type Column = 'category' | 'no' | 'task' | 'units' | 'lead' | 'participants' | 'due' | 'other';

const HEADERS: [Column, RegExp][] = [
  ['category', /^(?:分类|类别|类型|领域|板块|工作类别|项目类别)$/u],
  ['no', /^(?:序号|编号|序)$/u],
  [
    'task',
    /^(?:事项|工作任务|重点任务|任务|主要任务|工作内容|任务内容|具体任务|目标任务|工作事项|重点工作|重点工作任务|工作目标|主要内容|具体内容|任务名称|工作措施|具体措施|主要目标任务|政策措施|具体事项)$/u,
  ],
  ['units', /^(?:责任单位|责任部门|责任主体|主办单位|承办单位|落实单位)$/u],
  ['lead', /^(?:牵头单位|牵头部门|主责单位|主责部门)$/u],
  ['participants', /^(?:配合单位|配合部门|协办单位|参与单位|协同单位|协助单位)$/u],
  ['due', /^(?:完成时限|时间节点|完成时间|时限|时限要求|完成期限|时间要求)$/u],
  [
    'other',
    /^(?:牵头领导|责任领导|分管领导|牵头区领导|牵头县领导|牵头市领导|责任人|备注|进展情况|完成情况|推进情况)$/u,
  ],
];

function columnOf(cell: string): Column | null {
  const text = cell.replace(/\s+/gu, '');
  for (const [column, re] of HEADERS) if (re.test(text)) return column;
  return null;
}

export interface TableRow {
  /** The number as written in the 序号 cell. */
  label: string;
  no: number;
  /** The 分类 cell in force for this row (it is written on its group's first row only). */
  category: string | null;
  cells: Map<Column, string>;
}

export interface TaskTable {
  /** Lines before the header (title, notice). */
  before: string[];
  rows: TableRow[];
}

const ROW_NUMBER_RE = /^(\d{1,4})\s*[.、．]?$/u;
// The spaces before a pipe are matched only from the start of their run (the lookbehind): a long run of
// spaces with no pipe is scanned once, not once per position (20,000 spaces took 9 s; found by the fuzzer).
const CELL_SPLIT_RE = /\t+|(?<![^\S\t])[^\S\t]*[|｜]\s*/u;

function usable(columns: Column[]): boolean {
  return columns.includes('no') && (columns.includes('units') || columns.includes('lead'));
}

/** Finds a task table in the (trimmed, non-empty) lines of a document, or null. */
export function readTaskTable(lines: readonly string[]): TaskTable | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const cells = line.split(CELL_SPLIT_RE).filter((c) => c.trim() !== '');
    if (cells.length >= 3) {
      const columns = cells.map(columnOf);
      if (columns.every((c) => c !== null) && usable(columns as Column[])) {
        return { before: lines.slice(0, i), rows: splitRows(lines.slice(i + 1), columns as Column[]) };
      }
    }
    if (columnOf(line) === null) continue;
    let j = i;
    const columns: Column[] = [];
    while (j < lines.length) {
      const column = columnOf(lines[j] ?? '');
      if (column === null) break;
      columns.push(column);
      j++;
    }
    if (columns.length >= 3 && usable(columns)) {
      return { before: lines.slice(0, i), rows: flattenedRows(lines.slice(j), columns) };
    }
    i = j;
  }
  return null;
}

function rowNumber(line: string): number | null {
  const m = ROW_NUMBER_RE.exec(line.trim());
  return m === null ? null : Number(m[1]);
}

/** One cell per line: a row starts at the next number; extra lines before it are the next 分类. */
function flattenedRows(lines: readonly string[], columns: Column[]): TableRow[] {
  const noAt = columns.indexOf('no');
  const pre = columns.slice(0, noAt);
  const post = columns.slice(noAt + 1);
  const rows: TableRow[] = [];
  let k = 0;
  let category: string | null = null;
  let expected = 1;
  // Cells before the first row number: the first group's 分类.
  const lead: string[] = [];
  while (k < lines.length && rowNumber(lines[k] ?? '') !== expected) lead.push(lines[k++] ?? '');
  if (pre.includes('category') && lead.length > 0) category = lead.join('');
  while (k < lines.length) {
    const label = (lines[k] ?? '').trim();
    k++;
    const collected: string[] = [];
    while (k < lines.length && rowNumber(lines[k] ?? '') !== expected + 1) collected.push(lines[k++] ?? '');
    const own = collected.slice(0, post.length);
    const extra = collected.slice(post.length);
    const cells = new Map<Column, string>();
    post.forEach((column, c) => {
      const value = own[c];
      if (value !== undefined && !cells.has(column)) cells.set(column, value);
    });
    rows.push({ label, no: expected, category, cells });
    if (extra.length > 0 && k < lines.length && pre.includes('category')) category = extra.join('');
    expected++;
  }
  return rows;
}

/** One row per line, cells split by tabs or "|"; an empty 分类 cell keeps the one above. */
function splitRows(lines: readonly string[], columns: Column[]): TableRow[] {
  const rows: TableRow[] = [];
  let category: string | null = null;
  for (const line of lines) {
    if (/^[-:|\s]+$/u.test(line)) continue; // a Markdown rule under the header
    const cells = line.split(CELL_SPLIT_RE).map((c) => c.trim());
    // Lines arrive trimmed, so an empty 分类 cell at the start of a row is gone: put it back.
    if (cells.length < columns.length && columns[0] === 'category') cells.unshift('');
    const map = new Map<Column, string>();
    columns.forEach((column, c) => {
      const value = cells[c];
      if (value !== undefined && value !== '' && !map.has(column)) map.set(column, value);
    });
    const no = rowNumber(map.get('no') ?? '');
    if (no === null) continue;
    category = map.get('category') ?? category;
    rows.push({ label: map.get('no') ?? String(no), no, category, cells: map });
  }
  return rows;
}
