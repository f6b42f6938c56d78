import { afterEach, describe, expect, it } from 'vitest';
import type { InboundCardAction, InboundMessage } from '../../../src/ports/chat.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { applyImport } from '../../../src/usecases/import-decision.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import { randomString, seeded } from '../../helpers/replies.js';
import { loadRegistry, memoryDb, smallDecision } from '../store/ledger-fixtures.js';

const now = new Date('2026-11-26T02:00:00Z');
const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

/**
 * The bot over the real use cases: 市科技局's group oc_kjj with a prompt card om_prompt sent in it,
 * an official of 市科技局, one of 市发改委 and a coordinator.
 */
function setup() {
  const db = memoryDb();
  open.push(db);
  const registry = loadRegistry();
  applyImport({
    db,
    text: smallDecision,
    sourceName: 'small.txt',
    registry,
    now,
    actor: 'system',
    channel: 'system',
  });
  const repos = createRepositories(db);
  const audit = { at: now.toISOString(), actor: 'test', channel: 'system' as const };
  repos.people.upsertPerson({ openId: 'ou_coord', role: 'coordinator', ...audit });
  repos.people.upsertPerson({ openId: 'ou_official', role: 'official', agency: '市科技局', ...audit });
  repos.people.upsertPerson({ openId: 'ou_fgw', role: 'official', agency: '市发改委', ...audit });
  const kjj = repos.agencies.requireAgency('市科技局').id;
  const fgw = repos.agencies.requireAgency('市发改委').id;
  repos.agencies.bindAgencyChat({ agencyId: kjj, chatId: 'oc_kjj', ...audit });
  repos.agencies.bindAgencyChat({ agencyId: fgw, chatId: 'oc_fgw', ...audit });
  repos.outbox.enqueue({
    items: [
      {
        key: 'prompt:kjj',
        kind: 'prompt',
        chatId: 'oc_kjj',
        agencyId: kjj,
        cycle: '2026-W48',
        message: { kind: 'text', text: 'prompt' },
      },
    ],
    now,
  });
  const [row] = repos.outbox.claimDue({ now, limit: 1, leaseMs: 60_000, owner: 'test#1' });
  repos.outbox.markSent({ id: row!.id, owner: 'test#1', messageId: 'om_prompt', now });

  const chat = createFakeChat();
  const bot = createRealBot({ db, repos, registry, chat, now });
  const taskOf = (agency: string, article: number) => {
    const task = repos.tasks.listTasks({ agency }).find((t) => t.articleNo === article);
    if (!task) throw new Error(`no task ${agency} ${article}`);
    return task;
  };
  let n = 0;
  /** A reply in the prompt card's thread, without an @-mention (the group-message scope delivers it). */
  const say = async (text: string, extra: Partial<InboundMessage> = {}, inThread = true) => {
    n += 1;
    const before = chat.sent.length;
    await bot.handle({
      type: 'message',
      eventId: `ev_${n}`,
      messageId: `om_${n}`,
      chatId: 'oc_kjj',
      chatType: 'group',
      senderOpenId: 'ou_official',
      text,
      mentions: [],
      mentionsBot: false,
      ...(inThread ? { rootId: 'om_prompt', parentId: 'om_prompt' } : {}),
      createdAt: now,
      ...extra,
    });
    await bot.idle();
    return chat.sent.slice(before);
  };
  const tap = async (input: Partial<InboundCardAction> & { value: Record<string, unknown> }) => {
    n += 1;
    return bot.handle({
      type: 'card_action',
      eventId: `ev_tap_${n}`,
      operatorOpenId: 'ou_official',
      messageId: 'om_echo',
      chatId: 'oc_kjj',
      ...input,
    });
  };
  /** Makes article 3 reported done, so article 1 is 市科技局's only open task. */
  const onlyArticleOneOpen = () =>
    repos.progress.recordReport({
      taskId: taskOf('市科技局', 3).id,
      report: { status: 'reported_done', percent: 100, blocked: false, note: '', evidenceUrl: null },
      actor: 'ou_official',
      channel: 'card',
      at: now.toISOString(),
    });
  const reports = () => db.$client.prepare('SELECT count(*) FROM progress_updates').pluck().get() as number;
  return { db, repos, chat, bot, say, tap, taskOf, onlyArticleOneOpen, reports, kjj };
}

/** The [确认] and [修改] values of an echo card. */
const buttonValues = (card: unknown) =>
  [...JSON.stringify(card).matchAll(/"value":(\{[^}]*\})/g)].map(
    (m) => JSON.parse(m[1] as string) as Record<string, unknown>,
  );

describe('free-text replies', () => {
  it('echoes a reply in the prompt thread as a card, records nothing, and records it on 确认 with the thread channel', async () => {
    const w = setup();
    const [echo] = await w.say('第1条已完成70%，预计6月底完成，需市财政局配合');
    expect(echo?.message.kind).toBe('card');
    const text = textOf(echo!.message);
    expect(text).toContain('第1条 加强测试工作');
    expect(text).toContain('进行中 70% · 预计 2027-06-30 · 需 市财政局 配合');
    expect(text).toContain('确认');
    expect(text).toContain('修改');
    expect(w.reports()).toBe(0);

    const [confirm, edit] = buttonValues(echo!.message);
    expect(confirm).toMatchObject({
      action: 'reply_confirm',
      status: 'in_progress',
      percent: 70,
      source: 'om_1',
    });
    expect(edit).toMatchObject({ action: 'open_report', task_id: w.taskOf('市科技局', 1).id });
    const answer = await w.tap({ value: confirm! });
    expect(answer?.toast).toEqual({ type: 'success', content: '已记录第1条的进展：进行中，70%。' });
    expect(JSON.stringify(answer?.card)).not.toContain('reply_confirm');
    const task = w.taskOf('市科技局', 1);
    expect(task).toMatchObject({ status: 'in_progress', percent: 70 });
    const [event] = w.repos.audit.list({ entity: 'task', entityId: task.id, action: 'reported' });
    expect(event).toMatchObject({ channel: 'thread', actor: 'ou_official' });
    expect(event?.after).toMatchObject({
      messageId: 'om_1',
      note: '第1条已完成70%，预计6月底完成，需市财政局配合',
    });
  });

  it('records a reading confirmed twice (a double tap, a replayed callback) once', async () => {
    const w = setup();
    const [echo] = await w.say('第1条已完成70%，预计6月底完成');
    const [confirm] = buttonValues(echo!.message);
    const first = await w.tap({ value: confirm! });
    const again = await w.tap({ value: confirm! });
    expect(first?.toast?.type).toBe('success');
    expect(again?.toast?.type).toBe('success');
    expect(w.reports()).toBe(1);
    const task = w.taskOf('市科技局', 1);
    expect(w.repos.audit.list({ entity: 'task', entityId: task.id, action: 'reported' })).toHaveLength(1);
  });

  it('opens the task form on a prompt card when 修改 is tapped', async () => {
    const w = setup();
    const [echo] = await w.say('第1条 进行中 50%');
    const [, edit] = buttonValues(echo!.message);
    const answer = await w.tap({ value: edit! });
    expect(JSON.stringify(answer?.card)).toContain('"action":"report"');
    expect(w.reports()).toBe(0);
  });

  it('takes a done statement as reported done at 100%, and full-width digits as digits', async () => {
    const w = setup();
    w.onlyArticleOneOpen();
    const [echo] = await w.say('１００％完成');
    const [confirm] = buttonValues(echo!.message);
    expect(confirm).toMatchObject({
      status: 'reported_done',
      percent: 100,
      task_id: w.taskOf('市科技局', 1).id,
    });
    await w.tap({ value: confirm! });
    expect(w.taskOf('市科技局', 1)).toMatchObject({ status: 'reported_done', percent: 100 });
  });

  it('reads an @-mention in the agency group outside any thread, and a blocked reply as blocked with its reason', async () => {
    const w = setup();
    w.onlyArticleOneOpen();
    const [echo] = await w.say('资金未到位，受阻', { mentionsBot: true }, false);
    expect(textOf(echo!.message)).toContain('受阻');
    const [confirm] = buttonValues(echo!.message);
    expect(confirm).toMatchObject({ blocked: true, status: 'not_started' });
    await w.tap({ value: confirm! });
    expect(w.taskOf('市科技局', 1)).toMatchObject({ blocked: true, blockedReason: '资金未到位，受阻' });
  });

  it('asks which task when the agency has several open and the reply names none, listing them', async () => {
    const w = setup();
    const sent = await w.say('done 50%');
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0]!.message)).toMatch(/请写明是第几条.*第1条 加强测试工作、第3条 加强组织领导/);
    expect(w.reports()).toBe(0);
  });

  it('answers an article the agency has no task under with its tasks', async () => {
    const w = setup();
    const [answer] = await w.say('第2条 完成');
    expect(textOf(answer!.message)).toContain('本单位没有第2条的任务');
  });

  it('asks instead of guessing when the reading is unsure, with only the form to fall back on', async () => {
    const w = setup();
    const [card] = await w.say('第1条 已完成招标');
    const text = textOf(card!.message);
    expect(text).toContain('完成的可能只是其中一个环节');
    expect(buttonValues(card!.message).map((v) => v.action)).toEqual(['open_report']);
    expect(w.reports()).toBe(0);
  });

  it('answers unreadable text with one line of help and never an update', async () => {
    const w = setup();
    const [answer] = await w.say('收到，谢谢');
    expect(answer?.message.kind).toBe('text');
    expect(textOf(answer!.message)).toContain('没能读懂这条回复');
    expect(w.reports()).toBe(0);
  });

  it('leaves group chatter alone: no thread, no mention, no answer', async () => {
    const w = setup();
    expect(await w.say('第1条 已完成', {}, false)).toEqual([]);
  });

  it('refuses a reply from someone who is neither an official of the agency nor a coordinator', async () => {
    const w = setup();
    const [answer] = await w.say('第1条 已完成', { senderOpenId: 'ou_fgw' });
    expect(textOf(answer!.message)).toContain('只有本单位的承办人或督查室工作人员');
  });

  it("refuses a 确认 tapped by another agency's official, in another group, or edited to another agency's task", async () => {
    const w = setup();
    const [echo] = await w.say('第1条 进行中 60%');
    const [confirm] = buttonValues(echo!.message);
    expect((await w.tap({ value: confirm!, operatorOpenId: 'ou_fgw' }))?.toast?.type).toBe('error');
    expect((await w.tap({ value: confirm!, chatId: 'oc_fgw', operatorOpenId: 'ou_fgw' }))?.toast?.type).toBe(
      'error',
    );
    const forged = { ...confirm!, task_id: w.taskOf('市发改委', 2).id };
    expect((await w.tap({ value: forged }))?.toast?.type).toBe('error');
    expect(w.reports()).toBe(0);
  });

  it('handles a message repeated under a new event id once', async () => {
    const w = setup();
    const first = await w.say('第1条 进行中 60%', { messageId: 'om_same' });
    const again = await w.say('第1条 进行中 60%', { messageId: 'om_same' });
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
  });
});

describe('/report', () => {
  it('records at once, audited as a command with its message id', async () => {
    const w = setup();
    const [answer] = await w.say('/report 1 进行中 70 已完成招标', {}, false);
    expect(textOf(answer!.message)).toBe('已记录第1条的进展：进行中，70%。');
    const task = w.taskOf('市科技局', 1);
    expect(task).toMatchObject({ status: 'in_progress', percent: 70 });
    const [event] = w.repos.audit.list({ entity: 'task', entityId: task.id, action: 'reported' });
    expect(event).toMatchObject({ channel: 'command' });
    expect(event?.after).toMatchObject({ messageId: 'om_1', note: '已完成招标' });
  });

  it('takes Chinese article numbers and English statuses; done is reported done', async () => {
    const w = setup();
    await w.say('/report 第三条 done');
    expect(w.taskOf('市科技局', 3)).toMatchObject({ status: 'reported_done', percent: 100 });
  });

  it('answers each mistake with what is wrong and the usage, and records nothing', async () => {
    const w = setup();
    const cases: [string, string][] = [
      ['/report', '请写明条目和状态'],
      ['/report x 进行中', '「x」不是条目编号'],
      ['/report 1 做完了', '「做完了」不是可用的状态'],
      ['/report 1 进行中 150', '完成比例「150」'],
      ['/report 1 进行中 7.5', '完成比例「7.5」'],
      ['/report 1 受阻', '请在最后写明原因'],
      // Strict numbers: each is a number to Number(), none is a percent a person writes.
      ['/report 1 进行中 1e2', '完成比例「1e2」无法识别'],
      ['/report 1 进行中 0x32', '完成比例「0x32」无法识别'],
      ['/report 1 进行中 0b110', '完成比例「0b110」无法识别'],
      ['/report 1 进行中 0o7', '完成比例「0o7」无法识别'],
      ['/report 1 进行中 +50', '完成比例「+50」无法识别'],
      ['/report 1 进行中 .5e2', '完成比例「.5e2」无法识别'],
      ['/report 1 进行中 -0', '完成比例「-0」无法识别'],
      ['/report 1 进行中 100.5', '完成比例「100.5」带小数'],
    ];
    for (const [text, problem] of cases) {
      const [answer] = await w.say(text);
      expect(textOf(answer!.message)).toContain(problem);
      expect(textOf(answer!.message)).toContain('用法：/report 条目 状态');
    }
    expect(w.reports()).toBe(0);
  });

  it("refuses /report outside an agency's group and from another agency's official", async () => {
    const w = setup();
    const [outside] = await w.say('/report 1 进行中', {
      chatId: 'oc_unbound',
      senderOpenId: 'ou_coord',
    });
    expect(textOf(outside!.message)).toContain('请在本单位的工作群里报送进展');
    const [other] = await w.say('/report 1 进行中', { senderOpenId: 'ou_fgw' });
    expect(textOf(other!.message)).toContain('只有本单位的承办人');
    expect(w.reports()).toBe(0);
  });
});

describe('evidence files', () => {
  it('keeps a file posted in the thread as evidence of the article its name names, once, and says so in one line', async () => {
    const w = setup();
    const file = {
      messageType: 'file',
      attachment: { kind: 'file' as const, key: 'file_v3_abc', name: '第3条 会议纪要.pdf' },
    };
    const [ack] = await w.say('', { ...file, messageId: 'om_file' });
    expect(textOf(ack!.message)).toBe('已将「第3条 会议纪要.pdf」存为第3条的佐证材料。');
    expect(await w.say('', { ...file, messageId: 'om_file' })).toEqual([]);
    const task = w.taskOf('市科技局', 3);
    expect(w.repos.evidence.evidenceOf(task.id)).toMatchObject([
      { fileKey: 'file_v3_abc', fileName: '第3条 会议纪要.pdf', actor: 'ou_official', kind: 'file' },
    ]);
    expect(w.repos.audit.list({ entityId: task.id, action: 'evidence_attached' })[0]?.channel).toBe('thread');
  });

  it("attaches an image to the agency's only open task, and asks when there are several", async () => {
    const w = setup();
    const image = { messageType: 'image', attachment: { kind: 'image' as const, key: 'img_v3_x', name: '' } };
    const [ask] = await w.say('', image);
    expect(textOf(ask!.message)).toContain('请在文件名中写明条目');
    w.onlyArticleOneOpen();
    const [ack] = await w.say('', image);
    expect(textOf(ack!.message)).toContain('第1条的佐证材料');
    expect(w.repos.evidence.evidenceOf(w.taskOf('市科技局', 1).id)).toHaveLength(1);
  });
});

describe('never an update without a confirmation', () => {
  it('random texts in the thread and random card payloads never throw and never write a report', async () => {
    const w = setup();
    const random = seeded(12);
    const confirmKeys = ['task_id', 'status', 'percent', 'blocked', 'note', 'source', 'agency_id', 'cycle'];
    const anyValue = (): unknown => {
      const pick = Math.floor(random() * 7);
      if (pick === 0) return randomString(random);
      if (pick === 1) return Math.floor(random() * 2e9) - 1e9;
      if (pick === 2) return random() < 0.5;
      if (pick === 3) return null;
      if (pick === 4)
        return ['in_progress', 'reported_done', 'not_started', 'verified'][Math.floor(random() * 4)];
      if (pick === 5) return { nested: randomString(random) };
      return w.taskOf('市科技局', 1).id;
    };
    for (let i = 0; i < 600; i++) {
      const sent = await w.say(randomString(random), { mentionsBot: random() < 0.5 });
      for (const s of sent) expect(JSON.stringify(s.message)).not.toContain('"action":"report"');
      const value: Record<string, unknown> = {
        action: ['reply_confirm', 'open_report', 'no_change', 'x'][i % 4],
      };
      // Payloads missing a field, or with a wrong type, from someone not entitled: never a write.
      for (const key of confirmKeys) if (random() < 0.6) value[key] = anyValue();
      await w.tap({ value, operatorOpenId: random() < 0.5 ? 'ou_fgw' : 'ou_stranger' });
    }
    expect(w.reports()).toBe(0);
  });
});
