import { afterEach, describe, expect, it } from 'vitest';
import { OUTBOX_KIND } from '../../../src/core/vocabulary.js';
import { silentLogger } from '../../../src/logger.js';
import { closeDatabase, type DubanDatabase } from '../../../src/store/database.js';
import { createInstructions } from '../../../src/usecases/instructions.js';
import { createFakeChat, textOf } from '../../helpers/fake-chat.js';
import { loadRegistry, memoryDb } from '../store/ledger-fixtures.js';
import { instructionWorld, NOW } from './instruction-world.js';

const open: DubanDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) closeDatabase(db);
});

function setup() {
  const db = memoryDb();
  open.push(db);
  const repos = instructionWorld(db);
  const chat = createFakeChat();
  const instructions = createInstructions({ repos, registry: loadRegistry(), chat, logger: silentLogger });
  let n = 0;
  const reply = (
    text: string,
    extra: { sender?: string; chatId?: string; threadIds?: string[]; mentionsBot?: boolean } = {},
  ) => {
    n += 1;
    return instructions.readLeaderReply({
      chatId: extra.chatId ?? 'oc_leaders',
      messageId: `om_reply_${n}`,
      senderOpenId: extra.sender ?? 'ou_leader',
      threadIds: extra.threadIds ?? ['om_digest'],
      mentionsBot: extra.mentionsBot ?? false,
      text,
      now: NOW,
    });
  };
  const decide = (instructionId: number, confirm: boolean, reason?: string, actor = 'ou_coord') =>
    instructions.decide({ instructionId, confirm, reason, actor, channel: 'card', now: NOW });
  const actions = (entity = 'instruction') => repos.audit.list({ entity }).map((event) => event.action);
  return { db, repos, chat, reply, decide, actions };
}

const idOf = (outcome: { kind: string }) => {
  if (!('instructionId' in outcome)) throw new Error(`not recorded: ${outcome.kind}`);
  return outcome.instructionId as number;
};

describe('a leader replying to the digest', () => {
  it('is recorded with the agencies and due date read, and the coordinators get a card to confirm it', () => {
    const { repos, reply, actions } = setup();
    const outcome = reply('请市科技局、市财政局月底前拿出高新区扶持方案');
    expect(outcome).toMatchObject({ kind: 'recorded', agencies: ['市科技局', '市财政局'] });
    const instruction = repos.instructions.getInstruction(idOf(outcome));
    expect(instruction).toMatchObject({
      status: 'pending',
      leaderOpenId: 'ou_leader',
      messageId: 'om_reply_1',
      agencies: ['市科技局', '市财政局'],
      articleNo: null,
      dueDate: '2026-12-31',
    });
    const card = repos.outbox.list({ kind: OUTBOX_KIND.instruction });
    expect(card).toHaveLength(1);
    expect(card[0]?.chatId).toBe('oc_coord');
    const text = textOf(card[0]!.payload);
    expect(text).toContain('高新区扶持方案');
    expect(text).toContain('市科技局（牵头）、市财政局（配合）');
    expect(text).toContain('2026-12-31');
    expect(text).toContain('确认立项');
    expect(actions()).toEqual(['instruction_recorded']);
  });

  it('is recorded once however often Lark delivers the same message', () => {
    const { repos, actions } = setup();
    const chat = createFakeChat();
    const instructions = createInstructions({ repos, registry: loadRegistry(), chat, logger: silentLogger });
    const input = {
      chatId: 'oc_leaders',
      messageId: 'om_same',
      senderOpenId: 'ou_leader',
      threadIds: ['om_digest'],
      mentionsBot: false,
      text: '第2条要加快，市发改委牵头',
      now: NOW,
    };
    expect(instructions.readLeaderReply(input).kind).toBe('recorded');
    expect(instructions.readLeaderReply(input).kind).toBe('already_recorded');
    expect(repos.outbox.list({ kind: OUTBOX_KIND.instruction })).toHaveLength(1);
    expect(actions()).toEqual(['instruction_recorded']);
  });

  it('naming no agency is asked which agency, and nothing is recorded', () => {
    const { reply, actions } = setup();
    expect(reply('这个事情要抓紧').kind).toBe('which_agency');
    expect(actions()).toEqual([]);
  });

  it('is refused to someone who is not a leader, and left alone outside the digest thread or group', () => {
    const { reply, actions } = setup();
    expect(reply('请市科技局抓紧', { sender: 'ou_coord' }).kind).toBe('forbidden');
    expect(reply('请市科技局抓紧', { sender: 'ou_official' }).kind).toBe('forbidden');
    expect(reply('请市科技局抓紧', { threadIds: [] }).kind).toBe('ignored');
    expect(reply('请市科技局抓紧', { threadIds: ['om_other'] }).kind).toBe('ignored');
    expect(reply('请市科技局抓紧', { chatId: 'oc_coord', mentionsBot: true }).kind).toBe('ignored');
    expect(actions()).toEqual([]);
    expect(reply('请市科技局抓紧', { threadIds: [], mentionsBot: true }).kind).toBe('recorded');
  });
});

describe('a coordinator deciding an instruction', () => {
  it('confirms it into tracked tasks under the year’s 领导批示, the first agency leading, and tells the leader', async () => {
    const { repos, chat, reply, decide, actions } = setup();
    const id = idOf(reply('请市科技局、市财政局月底前拿出高新区扶持方案'));
    const outcome = await decide(id, true);
    expect(outcome.kind).toBe('confirmed');
    const tasks = repos.tasks.listTasks().filter((task) => task.articleTitle.includes('高新区扶持方案'));
    expect(tasks.map((task) => [task.agency, task.role, task.dueDate, task.status])).toEqual([
      ['市科技局', 'lead', '2026-12-31', 'not_started'],
      ['市财政局', 'participant', '2026-12-31', 'not_started'],
    ]);
    expect(tasks[0]?.articleNo).toBe(1);
    expect(repos.documents.getDocument(tasks[0]!.documentId)?.title).toBe('2026年领导批示');
    expect(repos.instructions.getInstruction(id)).toMatchObject({
      status: 'confirmed',
      decidedBy: 'ou_coord',
      articleId: tasks[0]?.articleId,
    });
    expect(actions()).toEqual(['instruction_recorded', 'instruction_confirmed']);
    expect(repos.audit.list({ entity: 'task' }).filter((e) => e.action === 'assigned')).toHaveLength(2);
    const told = chat.sent.at(-1);
    expect(told?.replyTo).toBe('om_reply_1');
    expect(textOf(told!.message)).toContain('已立项跟踪');
    // The decision's article 1 is still what `/due 1` and `/assign 1` mean.
    expect(repos.tasks.findArticle(1)?.title).toBe('加强测试工作');
    // A second instruction of the year gets an article of its own.
    await decide(idOf(reply('请市科技局做好年终总结')), true);
    expect(
      repos.tasks
        .listTasks({ agency: '市科技局' })
        .filter((task) => task.documentId === tasks[0]?.documentId),
    ).toHaveLength(2);
  });

  it('puts the tasks under the article the leader named', async () => {
    const { repos, reply, decide } = setup();
    const id = idOf(reply('第2条要加快，市财政局牵头，市科技局配合'));
    expect(repos.instructions.getInstruction(id)?.articleNo).toBe(2);
    await decide(id, true);
    const article2 = repos.tasks.listTasks({ articleNo: 2 }).map((task) => [task.agency, task.role]);
    expect(article2).toEqual(
      expect.arrayContaining([
        ['市发改委', 'lead'],
        ['市财政局', 'lead'],
        ['市科技局', 'participant'],
      ]),
    );
  });

  it('rejects it only with a reason, once, and tells the leader why', async () => {
    const { repos, chat, reply, decide, actions } = setup();
    const id = idOf(reply('请市科技局研究一下'));
    expect((await decide(id, false)).kind).toBe('needs_reason');
    expect((await decide(id, true, undefined, 'ou_official')).kind).toBe('forbidden');
    expect((await decide(id, false, '已在第1条中部署')).kind).toBe('rejected');
    expect(repos.instructions.getInstruction(id)).toMatchObject({
      status: 'rejected',
      decisionNote: '已在第1条中部署',
    });
    expect(textOf(chat.sent.at(-1)!.message)).toContain('已在第1条中部署');
    const again = await decide(id, true);
    expect(again.kind).toBe('already_decided');
    expect(actions()).toEqual(['instruction_recorded', 'instruction_rejected']);
    expect(repos.tasks.listTasks().some((task) => task.articleTitle.includes('研究一下'))).toBe(false);
  });
});
