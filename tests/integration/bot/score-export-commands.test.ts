import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, measureCardJson } from '../../../src/core/render/card-limits.js';
import type { Locale } from '../../../src/core/render/catalog.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import { loadRegistry, memoryDb } from '../store/ledger-fixtures.js';
import { buildScoreScenario, SCENARIO_NOW } from '../usecases/score-scenario.js';

const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function setup(locale?: Locale) {
  const db = memoryDb();
  open.push(db);
  const { repos } = buildScoreScenario(db);
  const audit = { at: SCENARIO_NOW.toISOString(), actor: 'test', channel: 'system' as const };
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
  repos.people.upsertPerson({ openId: 'ou_leader', role: 'leader', ...audit });
  repos.people.upsertPerson({ openId: 'ou_official', role: 'official', agency: '市科技局', ...audit });
  const chat = createFakeChat();
  const bot = createRealBot({
    db,
    repos,
    registry: loadRegistry(),
    chat,
    now: SCENARIO_NOW,
    ...(locale === undefined ? {} : { locale }),
  });
  let n = 0;
  const say = async (text: string, sender = 'ou_coord') => {
    n += 1;
    const before = chat.sent.length;
    await bot.handle({
      type: 'message',
      eventId: `ev_${n}`,
      messageId: `om_${n}`,
      chatId: 'oc_coordinators',
      chatType: 'group',
      senderOpenId: sender,
      text,
      mentions: [],
      mentionsBot: true,
      createdAt: SCENARIO_NOW,
    });
    await bot.idle();
    const answers = chat.sent.slice(before);
    expect(answers).toHaveLength(1);
    return answers[0]!;
  };
  return { chat, say };
}

describe('/score', () => {
  it('shows a coordinator the totals of the quarter and the lines behind them, within card limits', async () => {
    const { say } = setup();
    const answer = await say('/score');
    expect(answer.message.kind).toBe('card');
    const text = textOf(answer.message);
    expect(text).toContain('考评得分 · 2026-Q4');
    expect(text).toContain('**市科技局** +6');
    expect(text).toContain('**市发改委** -5');
    expect(text).toContain('按期完成销号 第1条（牵头） +10');
    expect(text).toMatch(/催报#\d+/u);
    const size = measureCardJson(JSON.stringify(answer.message.kind === 'card' ? answer.message.card : {}));
    expect(size.bytes).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(size.elements).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
  });

  it('speaks the configured locale: an en-US card has English words around the same numbers', async () => {
    const { say } = setup('en-US');
    const text = textOf((await say('/score')).message);
    expect(text).toContain('Scores · 2026-Q4');
    expect(text).toContain('**市科技局** +6');
    expect(text).toContain('verified on time, Art. 1 (lead) +10');
    expect(text).toMatch(/prompt #\d+/u);
    expect(text).toContain('# numbers are audit events');
    expect(text).not.toMatch(/考评得分|按期完成销号|牵头|催报/u);
  });

  it('takes a period, and answers one it cannot read with the usage', async () => {
    const { say } = setup();
    expect(textOf((await say('/score 2026-10', 'ou_leader')).message)).toContain('本期暂无计分记录');
    const wrong = textOf((await say('/score Q9')).message);
    expect(wrong).toContain('2026-Q4');
    expect(wrong).toContain('/score');
  });

  it('is refused to an official', async () => {
    const { say } = setup();
    expect(textOf((await say('/score', 'ou_official')).message)).not.toContain('考评得分');
  });
});

describe('/export', () => {
  it('sends the scores workbook as a file message in the chat that asked', async () => {
    const { say, chat } = setup();
    const answer = await say('/export scores 2026-Q4', 'ou_leader');
    expect(answer.chatId).toBe('oc_coordinators');
    expect(answer.message.kind).toBe('file');
    const fileKey = answer.message.kind === 'file' ? answer.message.fileKey : '';
    const file = chat.files.get(fileKey);
    expect(file?.fileName).toBe('考评-2026-Q4.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file?.data as unknown as ArrayBuffer);
    expect(workbook.worksheets[0]?.getCell('B2').value).toBe('市科技局');
    expect(workbook.worksheets[0]?.getCell('C2').value).toBe(6);
  });

  it('sends the ledger, and answers a missing kind with the usage', async () => {
    const { say, chat } = setup();
    const answer = await say('/export ledger');
    expect(answer.message.kind).toBe('file');
    const fileKey = answer.message.kind === 'file' ? answer.message.fileKey : '';
    expect(chat.files.get(fileKey)?.fileName).toBe('台账-2026-12-20.xlsx');
    expect(textOf((await say('/export')).message)).toContain('ledger');
  });

  it('is refused to an official', async () => {
    const { say } = setup();
    expect((await say('/export ledger', 'ou_official')).message.kind).toBe('text');
  });
});
