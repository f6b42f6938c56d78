import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseScorePeriod } from '../../../src/core/scoring/period.js';
import { defaultScoringRules } from '../../../src/core/scoring/rules.js';
import { computeScores, type ScoreFact } from '../../../src/core/scoring/score.js';
import { buildLedgerWorkbook, type LedgerTaskRow } from '../../../src/export/ledger-workbook.js';
import { buildScoresWorkbook } from '../../../src/export/scores-workbook.js';

const now = new Date('2026-11-23T02:00:00Z');

async function read(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}

/** Every cell of row `n` across the sheet's columns; an empty cell reads null. */
function rowValues(sheet: ExcelJS.Worksheet, n: number): unknown[] {
  const row = sheet.getRow(n);
  return Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value);
}

const task = (over: Partial<LedgerTaskRow>): LedgerTaskRow => ({
  part: '一、强化科技创新',
  articleNo: 3,
  articleTitle: '加大财政科技投入',
  agency: '市科技局',
  role: 'lead',
  dueDate: '2026-12-31',
  dueWritten: '2026年底前',
  status: 'in_progress',
  blocked: false,
  percent: 70,
  light: { color: 'green', reasons: [{ code: 'on_track' }] },
  lastReportAt: '2026-11-20T07:30:00.000Z',
  verifiedAt: null,
  ...over,
});

describe('the ledger workbook', () => {
  it('holds one row per task under Chinese headers, with real dates and percents', async () => {
    const buffer = await buildLedgerWorkbook({
      tasks: [
        task({}),
        task({
          part: null,
          articleNo: 13,
          articleTitle: '健全考核机制',
          agency: '市财政局',
          role: 'participant',
          dueDate: null,
          dueWritten: '每季度',
          status: 'verified',
          percent: 100,
          light: { color: 'yellow', reasons: [{ code: 'recovered', was: ['overdue'] }] },
          lastReportAt: null,
          verifiedAt: '2026-11-21T16:30:00.000Z',
        }),
        task({
          blocked: true,
          light: { color: 'red', reasons: [{ code: 'blocked', reason: '资金未到位' }] },
        }),
      ],
      history: [
        {
          at: '2026-11-20T07:30:00.000Z',
          articleNo: 3,
          agency: '市科技局',
          actor: '张三',
          status: 'in_progress',
          percent: 70,
          blocked: false,
          note: '已完成70%，预计6月底完成',
        },
      ],
      targets: [
        {
          articleNo: 3,
          articleTitle: '加大财政科技投入',
          metric: '研发经费投入强度',
          comparator: '>=',
          value: 2.5,
          unit: '%',
          deadlineYear: 2027,
          reported: null,
        },
      ],
      now,
    });
    const workbook = await read(buffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['台账', '报送记录', '量化指标']);

    const ledger = workbook.getWorksheet('台账') as ExcelJS.Worksheet;
    expect(rowValues(ledger, 1)).toEqual([
      '部分',
      '条',
      '工作任务',
      '责任单位',
      '角色',
      '截止日期',
      '时限要求',
      '状态',
      '完成比例',
      '序时进度',
      '原因',
      '最近报送',
      '销号时间',
    ]);
    expect(ledger.rowCount).toBe(4);
    // Row 2: dates come back as Date cells (Shanghai wall-clock: 15:30 on 20 November).
    expect(rowValues(ledger, 2)).toEqual([
      '一、强化科技创新',
      3,
      '加大财政科技投入',
      '市科技局',
      '牵头',
      new Date('2026-12-31T00:00:00Z'),
      '2026年底前',
      '进行中',
      0.7,
      '绿灯',
      '进度正常',
      new Date('2026-11-20T15:30:00Z'),
      null,
    ]);
    // Row 3: no part and no due date leave cells empty; the verification at 00:30 on 22 November.
    const row3 = ledger.getRow(3);
    expect(row3.getCell(1).value).toBeNull();
    expect(row3.getCell(5).value).toBe('参与');
    expect(row3.getCell(6).value).toBeNull();
    expect(row3.getCell(7).value).toBe('每季度');
    expect(row3.getCell(8).value).toBe('已销号');
    expect(row3.getCell(9).value).toBe(1);
    expect(row3.getCell(10).value).toBe('黄灯');
    expect(row3.getCell(11).value).toBe('本周期内已补正（此前逾期）');
    expect(row3.getCell(12).value).toBeNull();
    expect(row3.getCell(13).value).toEqual(new Date('2026-11-22T00:30:00Z'));
    expect(ledger.getRow(4).getCell(8).value).toBe('进行中（受阻）');
    expect(ledger.getRow(4).getCell(11).value).toBe('受阻：资金未到位');

    // Formats, the frozen header, the filter and the widths.
    expect(ledger.getCell('F2').numFmt).toBe('yyyy-mm-dd');
    expect(ledger.getCell('L2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(ledger.getCell('I2').numFmt).toBe('0%');
    expect(ledger.getCell('A1').font?.bold).toBe(true);
    expect(ledger.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ledger.autoFilter).toEqual('A1:M1');
    expect(ledger.getColumn(3).width).toBe(36);
    expect(ledger.getCell('J4').fill).toMatchObject({ pattern: 'solid', fgColor: { argb: 'FFF4CCCC' } });

    const history = workbook.getWorksheet('报送记录') as ExcelJS.Worksheet;
    expect(rowValues(history, 1)).toEqual([
      '时间',
      '条',
      '责任单位',
      '报送人',
      '状态',
      '完成比例',
      '进展说明',
    ]);
    expect(rowValues(history, 2)).toEqual([
      new Date('2026-11-20T15:30:00Z'),
      3,
      '市科技局',
      '张三',
      '进行中',
      0.7,
      '已完成70%，预计6月底完成',
    ]);
    expect(history.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });

    const targets = workbook.getWorksheet('量化指标') as ExcelJS.Worksheet;
    expect(rowValues(targets, 1)).toEqual([
      '条',
      '工作任务',
      '指标',
      '比较',
      '目标值',
      '计量单位',
      '目标年份',
      '报送完成情况',
    ]);
    expect(rowValues(targets, 2)).toEqual([
      3,
      '加大财政科技投入',
      '研发经费投入强度',
      '≥',
      2.5,
      '%',
      2027,
      null,
    ]);
    expect(targets.autoFilter).toEqual('A1:H1');
  });

  it('speaks English when asked, and writes empty sheets with their headers', async () => {
    const workbook = await read(
      await buildLedgerWorkbook({ tasks: [], history: [], targets: [], now, locale: 'en-US' }),
    );
    expect(workbook.worksheets.map((s) => [s.name, s.rowCount])).toEqual([
      ['Ledger', 1],
      ['Reports', 1],
      ['Targets', 1],
    ]);
    expect(workbook.getWorksheet('Ledger')?.getCell('A1').value).toBe('Part');
  });
});

describe('the scores workbook', () => {
  const base = { taskId: 11, articleNo: 3, agencyId: 1, agency: '市科技局' };
  const facts: ScoreFact[] = [
    {
      ...base,
      id: 7,
      at: '2026-11-02T03:00:00.000Z',
      kind: 'verified',
      role: 'lead',
      reportedDoneAt: '2026-10-30T03:00:00.000Z',
      dueDate: '2026-10-31',
    },
    {
      ...base,
      id: 9,
      at: '2026-11-27T10:00:00.000Z',
      kind: 'missed_answer',
      role: 'lead',
      cycle: '2026-W48',
    },
    {
      taskId: 12,
      articleNo: 5,
      agencyId: 2,
      agency: '市财政局',
      id: 8,
      at: '2026-11-10T03:00:00.000Z',
      kind: 'returned',
      role: 'participant',
    },
  ];
  const rules = defaultScoringRules();

  it('sums each agency on the summary and lists every line with its audit event', async () => {
    const sheet = computeScores({ facts, rules, period: parseScorePeriod('2026-Q4') });
    const previous = computeScores({
      facts: [{ ...base, id: 3, at: '2026-08-01T03:00:00.000Z', kind: 'returned', role: 'lead' }],
      rules,
      period: parseScorePeriod('2026-Q3'),
    });
    const workbook = await read(await buildScoresWorkbook({ sheet, previous, now }));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['考评汇总（2026-Q4）', '评分明细']);

    const summary = workbook.worksheets[0] as ExcelJS.Worksheet;
    expect(rowValues(summary, 1)).toEqual([
      '名次',
      '单位',
      '总分',
      '较上期',
      '按期完成销号',
      '逾期完成销号',
      '逾期未完成',
      '被退回',
      '未按期报送',
      '未经批准延期',
      '批准延期',
      '明细条数',
    ]);
    // 市科技局: +10 on time as lead, −2 missed answer as lead = 8; it had −3 in Q3, so +11.
    expect(rowValues(summary, 2)).toEqual([1, '市科技局', 8, 11, 10, 0, 0, 0, -2, 0, 0, 2]);
    // 市财政局: −1 returned as participant; no Q3 score, so no change.
    expect(rowValues(summary, 3)).toEqual([2, '市财政局', -1, null, 0, 0, 0, -1, 0, 0, 0, 1]);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(summary.autoFilter).toEqual('A1:L1');

    const lines = workbook.getWorksheet('评分明细') as ExcelJS.Worksheet;
    expect(rowValues(lines, 1)).toEqual([
      '单位',
      '日期',
      '考评项目',
      '条',
      '角色',
      '分值',
      '审计事件',
      '任务编号',
    ]);
    expect(rowValues(lines, 2)).toEqual([
      '市科技局',
      new Date('2026-11-02T00:00:00Z'),
      '按期完成销号',
      3,
      '牵头',
      10,
      7,
      11,
    ]);
    expect(rowValues(lines, 3)).toEqual([
      '市科技局',
      new Date('2026-11-27T00:00:00Z'),
      '未按期报送',
      3,
      '牵头',
      -2,
      9,
      11,
    ]);
    expect(rowValues(lines, 4)).toEqual([
      '市财政局',
      new Date('2026-11-10T00:00:00Z'),
      '被退回',
      5,
      '参与',
      -1,
      8,
      12,
    ]);
    expect(lines.getCell('B2').numFmt).toBe('yyyy-mm-dd');
  });

  it('leaves the change column out without a previous period, and shares a rank on equal totals', async () => {
    const tie: ScoreFact[] = [
      { ...base, id: 1, at: '2026-11-02T03:00:00.000Z', kind: 'returned', role: 'participant' },
      {
        ...base,
        id: 2,
        agencyId: 2,
        agency: '市财政局',
        at: '2026-11-02T03:00:00.000Z',
        kind: 'returned',
        role: 'participant',
      },
      {
        ...base,
        id: 4,
        agencyId: 3,
        agency: '市教育局',
        at: '2026-11-02T03:00:00.000Z',
        kind: 'returned',
        role: 'lead',
      },
    ];
    const sheet = computeScores({ facts: tie, rules, period: parseScorePeriod('2026-11') });
    const summary = (await read(await buildScoresWorkbook({ sheet, now })))
      .worksheets[0] as ExcelJS.Worksheet;
    expect(summary.getCell('D1').value).toBe('按期完成销号');
    expect([2, 3, 4].map((n) => summary.getRow(n).getCell(1).value)).toEqual([1, 1, 3]);
  });
});
