import { afterEach, describe, expect, it } from 'vitest';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { createRealBot } from '../../helpers/real-bot.js';
import { loadRegistry, memoryDb } from '../store/ledger-fixtures.js';
import { instructionWorld, NOW } from '../usecases/instruction-world.js';

const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function setup() {
  const db = memoryDb();
  open.push(db);
  const repos = instructionWorld(db);
  const chat = createFakeChat();
  const bot = createRealBot({ db, repos, registry: loadRegistry(), chat, now: NOW });
  let n = 0;
  /** A message in the digest card's thread in the leaders' group; returns what the bot answered. */
  const replyToDigest = async (text: string, sender = 'ou_leader') => {
    n += 1;
    const before = chat.sent.length;
    await bot.handle({
      type: 'message',
      eventId: `ev_${n}`,
      messageId: `om_leader_${n}`,
      chatId: 'oc_leaders',
      chatType: 'group',
      senderOpenId: sender,
      text,
      mentions: [],
      mentionsBot: false,
      rootId: 'om_digest',
      parentId: 'om_digest',
      createdAt: NOW,
    });
    await bot.idle();
    return chat.sent.slice(before);
  };
  const tap = async (
    value: Record<string, unknown>,
    operator = 'ou_coord',
    formValue?: Record<string, unknown>,
  ) => {
    n += 1;
    const answer = await bot.handle({
      type: 'card_action',
      eventId: `ev_tap_${n}`,
      operatorOpenId: operator,
      messageId: 'om_instruction_card',
      chatId: 'oc_coord',
      value,
      ...(formValue === undefined ? {} : { formValue }),
    });
    await bot.idle();
    return answer;
  };
  /** The callback values of the coordinators' card buttons, as Lark would send them back. */
  const cardValues = () => {
    const [row] = repos.outbox.list({ kind: OUTBOX_KIND.instruction });
    const values: Array<Record<string, unknown>> = [];
    JSON.stringify(row?.payload, (key, value) => {
      if (key === 'value' && typeof value === 'object' && value !== null) values.push(value);
      return value;
    });
    return values;
  };
  /** A coordinator's command in the coordinators' group; returns the bot's answer. */
  const command = async (text: string) => {
    n += 1;
    const before = chat.sent.length;
    await bot.handle({
      type: 'message',
      eventId: `ev_${n}`,
      messageId: `om_coord_${n}`,
      chatId: 'oc_coord',
      chatType: 'group',
      senderOpenId: 'ou_coord',
      text,
      mentions: [],
      mentionsBot: true,
      createdAt: NOW,
    });
    await bot.idle();
    return chat.sent.slice(before);
  };
  return { db, repos, chat, replyToDigest, tap, cardValues, command };
}

describe('批示 through the bot', () => {
  it('turns a leader’s reply into a task the coordinators confirm and the next prompt asks about', async () => {
    const { db, repos, chat, replyToDigest, tap, cardValues, command } = setup();
    const answers = await replyToDigest('请市科技局、市财政局月底前拿出高新区扶持方案');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.replyTo).toBe('om_leader_1');
    expect(textOf(answers[0]!.message)).toContain('批示已记录');

    const [confirm, reject] = cardValues();
    expect(confirm).toMatchObject({ action: 'decide_instruction', confirm: true });
    expect(reject).toMatchObject({ action: 'decide_instruction', confirm: false });

    // A leader cannot confirm their own instruction: that is the coordinators' check.
    const refused = await tap(confirm!, 'ou_leader');
    expect(refused?.card).toBeUndefined();
    expect(repos.tasks.listTasks().some((task) => task.articleTitle.includes('高新区'))).toBe(false);

    const answer = await tap(confirm!);
    expect(answer?.toast?.type).toBe('success');
    expect(JSON.stringify(answer?.card)).toContain('确认立项');
    const task = repos.tasks.listTasks({ agency: '市科技局' }).find((t) => t.articleTitle.includes('高新区'));
    expect(task).toMatchObject({ role: 'lead', dueDate: '2026-12-31', status: 'not_started' });
    expect(textOf(chat.sent.at(-1)!.message)).toContain('已立项跟踪');
    expect(chat.sent.at(-1)?.replyTo).toBe('om_leader_1');

    // Once bound, 市科技局's next prompt lists the instruction like any other task.
    const kjj = repos.agencies.findAgency('市科技局')!;
    repos.agencies.bindAgencyChat({
      agencyId: kjj.id,
      chatId: 'oc_kjj',
      at: NOW.toISOString(),
      actor: 'test',
      channel: 'system',
    });
    const plan = await runPromptCycle(
      { db, settings: { weeklyBudget: 3 }, calendar: createWorkingCalendar() },
      { now: NOW, agency: '市科技局', dryRun: true },
    );
    const lines = plan.prompts.find((prompt) => prompt.agency === '市科技局')?.taskLines ?? [];
    expect(lines.some((line) => line.includes('高新区扶持方案'))).toBe(true);

    // The instruction is 2026年领导批示 article 1, yet `/tasks 1` still means the decision's article 1.
    const board = textOf((await command('/tasks 1'))[0]!.message);
    expect(board).toContain('加强测试工作');
    expect(board).not.toContain('高新区');
    expect(textOf((await command('/tasks 市科技局'))[0]!.message)).toContain('高新区');
  });

  it('asks which agency when the reply names none, and refuses a reply from someone who is not a leader', async () => {
    const { repos, replyToDigest } = setup();
    const vague = await replyToDigest('这件事要抓紧');
    expect(textOf(vague[0]!.message)).toContain('未能识别责任单位');
    const official = await replyToDigest('请市科技局抓紧', 'ou_official');
    expect(textOf(official[0]!.message)).toContain('只有领导');
    expect(repos.outbox.list({ kind: OUTBOX_KIND.instruction })).toHaveLength(0);
    expect(repos.audit.list({ entity: 'instruction' })).toHaveLength(0);
  });

  it('rejects with the reason from the card’s form and tells the leader', async () => {
    const { repos, chat, replyToDigest, tap, cardValues } = setup();
    await replyToDigest('请市发改委研究');
    const reject = cardValues()[1]!;
    expect((await tap(reject, 'ou_coord', {}))?.toast?.type).toBe('warning');
    const answer = await tap(reject, 'ou_coord', { reason: '已有专项安排' });
    expect(answer?.toast?.type).toBe('success');
    expect(textOf(chat.sent.at(-1)!.message)).toContain('已有专项安排');
    expect(repos.audit.list({ entity: 'instruction' }).map((e) => e.action)).toEqual([
      'instruction_recorded',
      'instruction_rejected',
    ]);
  });
});
