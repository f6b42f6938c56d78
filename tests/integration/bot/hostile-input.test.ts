import { afterEach, describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../../src/chat/intake/normalize.js';
import { cycleOf } from '../../../src/core/cycles/cycle.js';
import { t } from '../../../src/core/render/catalog.js';
import { promptFieldNames } from '../../../src/core/render/prompt-card.js';
import { silentLogger } from '../../../src/logger.js';
import type { CardActionAnswer } from '../../../src/ports/chat.js';
import { textOf } from '../../helpers/fake-chat.js';
import { deepJson } from '../../helpers/fuzz.js';
import { createFuzzWorld, type FuzzWorld, ledgerSnapshot } from '../../helpers/fuzz-targets.js';
import { smallDecision } from '../store/ledger-fixtures.js';

/**
 * Hostile input through the real bot on a real SQLite database, each delivered as Lark delivers it (the
 * raw event through the normalizer both transports share): every one gets a clear answer from the catalog,
 * the bot logs no failure, and the ledger is exactly as it was.
 */
const now = new Date('2026-11-26T02:00:00Z');
const worlds: FuzzWorld[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.close();
});

const ledger = ledgerSnapshot;

function setup() {
  const w = createFuzzWorld();
  worlds.push(w);
  w.repos.agencies.bindSpecialChat({
    role: 'coordinators',
    chatId: 'oc_coordinators',
    at: now.toISOString(),
    actor: 'test',
    channel: 'system',
  });
  let n = 0;
  /** A raw Lark event, normalized and handed to the bot; what the bot sent in answer. */
  const push = async (eventType: string, event: unknown) => {
    n += 1;
    const normalized = normalizeEvent(
      { eventType, eventId: `ev_hostile_${n}`, event },
      { logger: silentLogger },
    );
    const sentBefore = w.chat.sent.length;
    const answer =
      normalized === null ? undefined : ((await w.bot.handle(normalized)) as CardActionAnswer | undefined);
    await w.bot.idle();
    return { normalized, answer, sent: w.chat.sent.slice(sentBefore).map((s) => textOf(s.message)) };
  };
  const message = (input: {
    text?: string;
    content?: string;
    type?: string;
    chatId?: string;
    sender?: string;
    /** In the prompt card's thread unless false; in reply to this message when a string. */
    thread?: boolean | string;
  }) => {
    n += 1;
    const parent = typeof input.thread === 'string' ? input.thread : 'om_prompt';
    return push('im.message.receive_v1', {
      sender: { sender_id: { open_id: input.sender ?? 'ou_official' }, sender_type: 'user' },
      message: {
        message_id: `om_hostile_${n}`,
        ...(input.thread === false ? {} : { root_id: parent, parent_id: parent }),
        create_time: String(now.getTime()),
        chat_id: input.chatId ?? 'oc_kjj',
        chat_type: 'group',
        message_type: input.type ?? 'text',
        content: input.content ?? JSON.stringify({ text: input.text ?? '' }),
        mentions: [],
      },
    });
  };
  const tap = (value: unknown, options: { formValue?: unknown; chatId?: string; operator?: string } = {}) =>
    push('card.action.trigger', {
      operator: { open_id: options.operator ?? 'ou_official' },
      action: {
        value,
        tag: 'button',
        ...(options.formValue === undefined ? {} : { form_value: options.formValue }),
      },
      context: { open_message_id: 'om_prompt', open_chat_id: options.chatId ?? 'oc_kjj' },
    });
  const origin = { cycle: cycleOf(now), issued: now.getTime() - 60_000 };
  return { w, message, tap, push, origin, task: w.tasks[0] as number };
}

describe('hostile input through the real bot', () => {
  it('answers an oversized reply in the prompt thread by asking, and records nothing', async () => {
    const { w, message } = setup();
    const before = ledger(w);
    const { sent } = await message({ text: `第1条已完成70%。${'情况说明'.repeat(40_000)}` });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(t('replies.doubt.too_long'));
    expect(ledger(w)).toEqual(before);
    expect(w.errors).toEqual([]);
  });

  it('refuses an oversized /report note with the limit, and records nothing', async () => {
    const { w, message } = setup();
    const before = ledger(w);
    const { sent } = await message({ text: `/report 1 进行中 70 ${'长'.repeat(200_000)}`, thread: false });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain(t('bot.report.noteTooLong'));
    expect(ledger(w)).toEqual(before);
  });

  it('refuses an oversized note on the card form, keeping the card as it is', async () => {
    const { w, tap, origin, task } = setup();
    const before = ledger(w);
    const names = promptFieldNames(task);
    const { answer } = await tap(
      { action: 'report', task_id: task, ...origin },
      { formValue: { [names.status]: 'in_progress', [names.note]: '长'.repeat(500_000) } },
    );
    expect(answer).toEqual({ toast: { type: 'warning', content: t('bot.report.noteTooLong') } });
    expect(ledger(w)).toEqual(before);
  });

  it('refuses an oversized decision file posted for /import with the reason, and imports nothing', async () => {
    const { w, message } = setup();
    w.chat.posted.set('om_big_file', {
      fileKey: 'file_big',
      fileName: '决定.txt',
      data: Buffer.from(smallDecision.repeat(Math.ceil(11_000_000 / smallDecision.length))),
    });
    const before = ledger(w);
    const { sent } = await message({
      text: '/import',
      chatId: 'oc_coordinators',
      sender: 'ou_coord',
      thread: 'om_big_file',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('「决定.txt」过大');
    expect(ledger(w)).toEqual(before);
  });

  it('answers invalid UTF-8 (decoded as Lark intake decodes it) and lone surrogates without recording a guess', async () => {
    const { w, message } = setup();
    const before = ledger(w);
    // The bytes of a reply with invalid sequences, decoded leniently: U+FFFD where the bytes were bad.
    const bytes = Buffer.concat([
      Buffer.from('第1条'),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xe2, 0x82]),
      Buffer.from('完成'),
    ]);
    const garbled = await message({ text: `${bytes.toString('utf8')}${'\ufffd'.repeat(40)}` });
    expect(garbled.sent).toHaveLength(1);
    expect(garbled.sent[0]).toMatch(/请补充说明|没能读懂/u);
    // A JSON content string escaping lone surrogates (valid JSON, invalid UTF-16 text).
    const lone = await message({ content: '{"text":"\\ud800\\udfff\\ud800 进行中 \\udc00"}' });
    expect(lone.sent).toHaveLength(1);
    // Content that is not JSON at all is dropped at the edge, never thrown deep inside.
    const broken = await message({ content: '{"text":"第1条 完成' });
    expect(broken.normalized).toBeNull();
    expect(ledger(w)).toEqual(before);
    expect(w.errors).toEqual([]);
  });

  it.each([
    ['a card value', 'value'],
    ['a form value', 'form'],
  ] as const)(
    'refuses %s nested a hundred thousand levels deep, and writes nothing',
    async (_what, where) => {
      const { w, tap, origin, task } = setup();
      const before = ledger(w);
      const deep = deepJson(100_000, 1, true);
      const { answer } =
        where === 'value'
          ? await tap(deepJson(100_000, { action: 'report' }))
          : await tap(
              { action: 'report', task_id: task, ...origin },
              { formValue: { [promptFieldNames(task).percent]: deep } },
            );
      expect(answer?.toast?.type).toBe('warning');
      expect(answer?.toast?.content).not.toBe(t('bot.error.internal'));
      const nested = await tap({ action: deep });
      expect(nested.answer).toEqual({ toast: { type: 'warning', content: t('bot.action.unavailable') } });
      expect(ledger(w)).toEqual(before);
      expect(w.errors).toEqual([]);
    },
  );

  it('answers a tap on a card of a deleted task, or of a task removed from the decision, and writes nothing', async () => {
    const { w, tap, origin, task } = setup();
    const names = promptFieldNames(task);
    const form = { [names.status]: 'in_progress', [names.percent]: '60' };
    const before = ledger(w);
    for (const value of [
      { action: 'report', task_id: 999_999, ...origin },
      { action: 'open_report', agency_id: w.kjj, task_id: 999_999, ...origin },
      { action: 'request_extension', task_id: 999_999, ...origin },
      {
        action: 'reply_confirm',
        task_id: 999_999,
        status: 'in_progress',
        percent: 70,
        blocked: false,
        note: '',
        source: 'om_1',
      },
      { action: 'verify_task', task_id: 999_999 },
      { action: 'decide_extension', request_id: 999_999, approve: true },
    ]) {
      const { answer } = await tap(value, { formValue: form, operator: 'ou_coord' });
      expect(answer?.toast, JSON.stringify(value)).toEqual({
        type: 'warning',
        content: t('bot.action.gone'),
      });
    }
    expect(ledger(w)).toEqual(before);

    w.db.$client.prepare('UPDATE tasks SET removed_at = ? WHERE id = ?').run(now.toISOString(), task);
    const removed = ledger(w);
    const { answer } = await tap({ action: 'report', task_id: task, ...origin }, { formValue: form });
    expect(answer?.toast).toEqual({ type: 'warning', content: t('bot.report.closed') });
    expect(ledger(w)).toEqual(removed);
  });

  it('answers events from a chat the bot has left (its binding gone) and changes nothing', async () => {
    const { w, tap, message, push, origin, task } = setup();
    const before = ledger(w);
    // A late tap on a card in a group that is no longer bound: the card answers for no agency there.
    const late = await tap({ action: 'report', task_id: task, ...origin }, { chatId: 'oc_left' });
    expect(late.answer?.toast).toEqual({ type: 'error', content: t('bot.action.wrongChat') });
    // A late reply in that group is not read as a report.
    const reply = await message({ text: '第1条已完成', chatId: 'oc_left' });
    expect(reply.sent.join('\n')).not.toContain('已记录');
    // Member changes in it grant or revoke nothing.
    await push('im.chat.member.user.added_v1', {
      chat_id: 'oc_left',
      users: [{ user_id: { open_id: 'ou_new' } }],
    });
    await push('im.chat.member.user.deleted_v1', {
      chat_id: 'oc_left',
      users: [{ user_id: { open_id: 'ou_official' } }],
    });
    expect(ledger(w)).toEqual(before);
    expect(w.errors).toEqual([]);
  });
});
