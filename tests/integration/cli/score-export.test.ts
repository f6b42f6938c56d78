import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../../src/store/database.js';
import { runCliCaptured } from '../../helpers/cli.js';
import { buildScoreScenario, SCENARIO_NOW } from '../usecases/score-scenario.js';

let dir: string;
let dbPath: string;

async function cli(argv: string[]) {
  const { code, stdout, stderr } = await runCliCaptured([...argv, '--db', dbPath], {
    env: {},
    cwd: dir,
    now: () => SCENARIO_NOW,
  });
  return { code, stdout, stderr };
}

async function readWorkbook(path: string) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(path) as unknown as ArrayBuffer);
  return workbook;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'duban-score-'));
  dbPath = join(dir, 'duban.sqlite');
  const db = openDatabase({ path: dbPath });
  try {
    buildScoreScenario(db);
  } finally {
    closeDatabase(db);
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('duban score', () => {
  it('prints per agency the total and every line as JSON with stable English keys', async () => {
    const run = await cli(['score', '--period', '2026-Q4', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as {
      period: { key: string };
      agencies: {
        agency: string;
        total: number;
        lines: { rule: string; factId: number; source: string }[];
      }[];
    };
    expect(json.period.key).toBe('2026-Q4');
    const caizheng = json.agencies.find((a) => a.agency === '市财政局');
    expect(caizheng?.total).toBe(-3);
    expect(caizheng?.lines.map((l) => l.rule)).toEqual([
      'overdue',
      'unapprovedDelay',
      'returned',
      'unapprovedDelay',
      'verifiedLate',
    ]);
    expect(json.agencies[0]).toMatchObject({ agency: '市科技局', total: 6 });
  });

  it('prints the lines in words, each naming its event, in Chinese by default', async () => {
    const run = await cli(['score', '--period', '2026-Q4']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('市发改委  -5');
    expect(run.stdout).toMatch(/2026-11-27 {2}按期完成销号 {2}第1条（牵头） {2}\+10 {2}审计#\d+/u);
  });

  it('prints the lines in English with --lang en-US, and the same JSON whatever --lang says', async () => {
    const run = await cli(['score', '--period', '2026-Q4', '--lang', 'en-US']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2026-11-27 {2}verified on time {2}Art\. 1 \(lead\) {2}\+10 {2}audit #\d+/u);
    const json = await cli(['score', '--period', '2026-Q4', '--json']);
    const english = await cli(['score', '--period', '2026-Q4', '--json', '--lang', 'en-US']);
    expect(english.stdout).toBe(json.stdout);
  });

  it('refuses a period it cannot read, saying how to write one', async () => {
    const run = await cli(['score', '--period', 'Q4']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('2026-Q4');
  });
});

describe('duban export', () => {
  it('writes the ledger workbook: one row per task, dates as dates, frozen header', async () => {
    const run = await cli(['export', 'ledger', 'ledger.xlsx']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const workbook = await readWorkbook(join(dir, 'ledger.xlsx'));
    const sheet = workbook.getWorksheet('台账');
    expect(sheet?.getCell('A1').value).toBe('部分');
    expect(sheet?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const rows = (sheet?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
    const keji = rows.find((r) => r[2] === 1 && r[4] === '市科技局');
    expect(keji?.[1]).toBe('一、总体要求');
    expect(keji?.[6]).toEqual(new Date(Date.UTC(2026, 10, 30)));
    expect(keji?.[8]).toBe('已销号');
    expect(keji?.[13]).toEqual(new Date(Date.UTC(2026, 10, 27, 11, 0)));
    const history = workbook.getWorksheet('报送记录');
    expect(history?.rowCount).toBe(1 + 4);
  });

  it('writes the ledger in English with --lang en-US, and says where it wrote it', async () => {
    const run = await cli(['export', 'ledger', 'ledger-en.xlsx', '--lang', 'en-US']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ledger-en\.xlsx \(\d+ bytes\)/u);
    const workbook = await readWorkbook(join(dir, 'ledger-en.xlsx'));
    expect(workbook.worksheets[0]?.getCell('A1').value).toBe('Part');
    const zh = await cli(['export', 'ledger', 'ledger-zh.xlsx']);
    expect(zh.stdout).toMatch(/^已写入 .*ledger-zh\.xlsx（\d+ 字节）$/mu);
  });

  it('writes the scores workbook: the summary and the lines behind it', async () => {
    const run = await cli(['export', 'scores', 'scores.xlsx', '--period', '2026-Q4']);
    expect(run.code).toBe(0);
    const workbook = await readWorkbook(join(dir, 'scores.xlsx'));
    const [summary, lines] = workbook.worksheets;
    expect(summary?.getCell('B2').value).toBe('市科技局');
    expect(summary?.getCell('C2').value).toBe(6);
    expect(lines?.name).toBe('评分明细');
    expect(lines?.rowCount).toBe(1 + 3 + 5 + 1);
  });

  it('refuses a kind it does not know', async () => {
    const run = await cli(['export', 'budget', 'x.xlsx']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ledger or scores');
  });
});
