import { afterEach, describe, expect, it } from 'vitest';
import { CARD_MAX_BYTES, CARD_MAX_ELEMENTS, measureCardJson } from '../../../src/core/render/card-limits.js';
import type { CardActionAnswer } from '../../../src/ports/chat.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { docxOfText } from '../../helpers/docx.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import {
  defaultDecision,
  loadRegistry,
  memoryDb,
  rowCounts,
  smallDecision,
} from '../store/ledger-fixtures.js';

const NOW = new Date('2026-12-01T02:00:00Z');
const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function setup() {
  const db = memoryDb();
  open.push(db);
  const repos = createRepositories(db);
  const audit = { at: NOW.toISOString(), actor: 'test', channel: 'system' as const };
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
  repos.people.upsertPerson({ openId: 'ou_leader', role: 'leader', ...audit });
  repos.agencies.bindSpecialChat({ role: 'coordinators', chatId: 'oc_coordinators', ...audit });
  const chat = createFakeChat();
  const bot = createRealBot({ db, repos, registry: loadRegistry(), chat, now: NOW });
  let n = 0;
  /** A person posts a file in a group (the bot needs no event for it: /import reads it back from Lark). */
  const post = (fileName: string, data: Buffer | string) => {
    n += 1;
    const messageId = `om_file_${n}`;
    chat.posted.set(messageId, {
      fileKey: `file_v3_${n}`,
      fileName,
      data: typeof data === 'string' ? Buffer.from(data) : data,
    });
    return messageId;
  };
  const say = async (text: string, options: { sender?: string; parentId?: string; chatId?: string } = {}) => {
    n += 1;
    const before = chat.sent.length;
    await bot.handle({
      type: 'message',
      eventId: `ev_${n}`,
      messageId: `om_${n}`,
      chatId: options.chatId ?? 'oc_coordinators',
      chatType: 'group',
      senderOpenId: options.sender ?? 'ou_coord',
      text,
      mentions: [],
      mentionsBot: true,
      createdAt: NOW,
      ...(options.parentId === undefined ? {} : { parentId: options.parentId, rootId: options.parentId }),
    });
    await bot.idle();
    const answers = chat.sent.slice(before);
    expect(answers).toHaveLength(1);
    return answers[0]!;
  };
  const tap = async (value: Record<string, unknown>, operator = 'ou_coord', chatId = 'oc_coordinators') => {
    n += 1;
    const answer = (await bot.handle({
      type: 'card_action',
      eventId: `ev_${n}`,
      operatorOpenId: operator,
      messageId: 'om_card',
      chatId,
      value,
    })) as CardActionAnswer;
    await bot.idle();
    return answer;
  };
  const buttons = (card: unknown): Record<string, unknown>[] => {
    const found: Record<string, unknown>[] = [];
    JSON.stringify(card, (key, v) => {
      if (key === 'behaviors' && Array.isArray(v)) for (const b of v) found.push(b.value);
      return v;
    });
    return found;
  };
  return { db, repos, chat, post, say, tap, buttons };
}

describe('/import in the coordinators group', () => {
  it('previews a posted .txt file without changing the ledger, and imports it on [确认导入]', async () => {
    const { db, post, say, tap, buttons } = setup();
    const file = post('决定.txt', smallDecision);
    const before = rowCounts(db);
    const answer = await say('/import', { parentId: file });
    expect(answer.replyTo).toBeDefined();
    expect(answer.message.kind).toBe('card');
    const card = answer.message.kind === 'card' ? answer.message.card : {};
    const text = textOf(answer.message);
    expect(text).toContain('导入预览');
    expect(text).toContain('关于加强测试工作的决定');
    expect(text).toContain('决定.txt');
    expect(text).toContain('第1条 · 市科技局（牵头）');
    expect(text).toContain('市未知局');
    expect(text).toContain('确认导入');
    const size = measureCardJson(JSON.stringify(card));
    expect(size.bytes).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(size.elements).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
    expect(rowCounts(db)).toEqual(before);

    const [confirm, cancel] = buttons(card);
    expect(confirm).toMatchObject({ action: 'import_confirm', message_id: file });
    expect(JSON.stringify(confirm)).not.toContain('测试工作');
    expect(cancel).toEqual({ action: 'import_cancel' });

    const done = await tap(confirm!);
    expect(done.toast?.type).toBe('success');
    expect(done.toast?.content).toContain('已导入');
    const after = rowCounts(db);
    expect(after.documents).toBe(1);
    expect(after.tasks).toBeGreaterThan(0);
    const actors = db.$client
      .prepare("SELECT DISTINCT actor, channel FROM audit_events WHERE channel = 'card'")
      .all();
    expect(actors).toEqual([{ actor: 'ou_coord', channel: 'card' }]);

    // A second tap imports nothing twice.
    const again = await tap(confirm!);
    expect(again.toast?.content).toContain('未重复导入');
    expect(rowCounts(db)).toEqual(after);
  });

  it('reads a .docx file and the shipped decision within the card limits', async () => {
    const { post, say } = setup();
    const answer = await say('/import', { parentId: post('决定.docx', docxOfText(smallDecision)) });
    expect(answer.message.kind).toBe('card');
    expect(textOf(answer.message)).toContain('第1条 · 市科技局（牵头）');
    const big = await say('/import', { parentId: post('default.txt', defaultDecision) });
    const size = measureCardJson(JSON.stringify(big.message.kind === 'card' ? big.message.card : {}));
    expect(size.bytes).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(size.elements).toBeLessThanOrEqual(CARD_MAX_ELEMENTS);
    expect(textOf(big.message)).toContain('……另有');
  });

  it('shows a revised text as the tasks added and removed', async () => {
    const { post, say, tap, buttons } = setup();
    const first = await say('/import', { parentId: post('决定.txt', smallDecision) });
    await tap(buttons(first.message.kind === 'card' ? first.message.card : {})[0]!);
    const revised = smallDecision.replace('市财政局、', '').replace('2.完善测试体系', '2.健全测试体系');
    const answer = await say('/import', { parentId: post('决定-修订.txt', revised) });
    const text = textOf(answer.message);
    expect(text).toContain('修订稿');
    expect(text).toContain('第1条 · 市财政局（参与）');
    expect(text).toContain('健全测试体系');
  });

  it('lists what to check before confirming: a deadline that names no year', async () => {
    const { post, say } = setup();
    const text = '测试工作方案\n\n1.完成测试。（市科技局负责，6月底前完成）\n';
    const answer = await say('/import', { parentId: post('方案.txt', text) });
    const shown = textOf(answer.message);
    expect(shown).toContain('确认前请核对');
    expect(shown).toContain('第1条 · 截止时间未能识别：6月底前完成');
  });

  it('refuses a file of another kind, naming the kinds accepted', async () => {
    const { post, say } = setup();
    const answer = await say('/import', { parentId: post('决定.pdf', '%PDF-1.4 ...') });
    expect(answer.message.kind).toBe('text');
    expect(textOf(answer.message)).toContain('.txt');
    expect(textOf(answer.message)).toContain('.docx');
    expect(textOf(answer.message)).toContain('决定.pdf');
  });

  it('says in words why a file of an accepted kind cannot be read', async () => {
    const { post, say } = setup();
    expect(
      textOf((await say('/import', { parentId: post('决定.docx', '这不是Word文档') })).message),
    ).toContain('「决定.docx」不是可读取的 Word（.docx）文档');
    expect(textOf((await say('/import', { parentId: post('空.txt', '  \n') })).message)).toContain(
      '「空.txt」没有可读的文字',
    );
    expect(
      textOf((await say('/import', { parentId: post('乱码.txt', Buffer.from([0xff, 0xff, 0xff])) })).message),
    ).toContain('「乱码.txt」既不是 UTF-8 也不是 GB18030 文本');
  });

  it('asks for a reply to a file when /import is sent alone or in reply to text', async () => {
    const { say } = setup();
    expect(textOf((await say('/import')).message)).toContain('回复该文件');
    expect(textOf((await say('/import', { parentId: 'om_text' })).message)).toContain('不是文件');
  });

  it('is for coordinators in their own group only', async () => {
    const { post, say, tap } = setup();
    const file = post('决定.txt', smallDecision);
    expect(textOf((await say('/import', { parentId: file, sender: 'ou_leader' })).message)).not.toContain(
      '导入预览',
    );
    expect(textOf((await say('/import', { parentId: file, chatId: 'oc_other' })).message)).toContain(
      '只能在督办组群',
    );
    const forged = { action: 'import_confirm', message_id: file, hash: 'a'.repeat(64) };
    expect((await tap(forged, 'ou_leader')).toast?.type).toBe('error');
    expect((await tap(forged, 'ou_coord', 'oc_other')).toast?.content).toContain('督办组群');
  });

  it('imports nothing when the file is not the text the card showed', async () => {
    const { db, post, say, tap, buttons } = setup();
    const file = post('决定.txt', smallDecision);
    const answer = await say('/import', { parentId: file });
    const [confirm] = buttons(answer.message.kind === 'card' ? answer.message.card : {});
    const before = rowCounts(db);
    const forged = await tap({ ...confirm, hash: 'b'.repeat(64) });
    expect(forged.toast?.content).toContain('不一致');
    expect(rowCounts(db)).toEqual(before);
  });

  it('cancels without importing', async () => {
    const { db, tap } = setup();
    const before = rowCounts(db);
    const answer = await tap({ action: 'import_cancel' });
    expect(answer.toast?.content).toContain('已取消');
    expect(rowCounts(db)).toEqual(before);
  });
});

describe('/导入', () => {
  it('suggests /import to a coordinator who types it in Chinese', async () => {
    const db = memoryDb();
    open.push(db);
    const repos = createRepositories(db);
    repos.people.upsertPerson({
      openId: 'ou_coord',
      role: 'coordinator',
      at: NOW.toISOString(),
      actor: 'test',
      channel: 'system',
    });
    const chat = createFakeChat();
    const bot = createRealBot({ db, repos, registry: loadRegistry(), chat, now: NOW });
    await bot.handle({
      type: 'message',
      eventId: 'ev_cn',
      messageId: 'om_cn',
      chatId: 'oc_coordinators',
      chatType: 'group',
      senderOpenId: 'ou_coord',
      text: '/导入',
      mentions: [],
      mentionsBot: true,
      createdAt: NOW,
    });
    await bot.idle();
    expect(textOf(chat.sent[0]!.message)).toContain('/import');
  });
});
