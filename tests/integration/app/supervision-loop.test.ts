// The whole supervision loop on a tenant (the app with credentials against the emulator, nothing seeded):
// prompt → free-text reply → 确认 → the lead's card shows it → done by /report → the lead returns it with a
// reason → reported again → the lead verifies → closed; with and without the group-message scope, over
// the webhook and over the long connection.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';
import { createRepositories } from '../../../src/usecases/repositories.js';
import {
  bindGroups,
  buttonValues,
  importSmallDecision,
  startTenantApp,
  stopTenantApps,
  TRANSPORTS,
  until,
} from '../../helpers/tenant.js';

afterEach(stopTenantApps);

const cardHas = (text: string) => (m: { msg_type: string; content: unknown }) =>
  m.msg_type === 'interactive' && JSON.stringify(m.content).includes(text);
const textHas = (text: string) => (m: { msg_type: string; content: unknown }) =>
  JSON.stringify(m.content).includes(text);

describe('the supervision loop, on a tenant', () => {
  it.each(
    TRANSPORTS.flatMap((transport) => [
      { transport, scope: 'with the group-message scope', groupMessages: true, at: '' },
      { transport, scope: 'with @-mentions only', groupMessages: false, at: '@督办 ' },
    ]),
  )('reply, confirm, roll up, return, report again, verify ($scope, $transport)', async (loop) => {
    const { transport, groupMessages, at } = loop;
    const { emulator, started, coordinator } = await startTenantApp({
      transport,
      emulatorOptions: { groupMessageEvents: groupMessages ? 'all' : 'mentions_only' },
      now: '2026-11-27T06:00:00Z',
      schedule: false,
    });
    const lead = emulator.addUser({ name: '科技局李科长' });
    const participant = emulator.addUser({ name: '财政局周科长' });
    importSmallDecision(started.db);
    const repos = createRepositories(started.db);

    // Groups made the way Lark makes them, bound by the coordinator.
    const kjj = emulator.createChat({ name: '科技局工作群', members: [coordinator.open_id, lead.open_id] });
    const czj = emulator.createChat({
      name: '财政局工作群',
      members: [coordinator.open_id, participant.open_id],
    });
    await bindGroups(emulator, started.db, coordinator.open_id, [
      [kjj, '市科技局'],
      [czj, '市财政局'],
    ]);
    await until(() => repos.people.agenciesOf(participant.open_id).length > 0);
    const task = repos.tasks.listTasks({ agency: '市财政局' }).find((t) => t.articleNo === 1)!;
    expect(task.role).toBe('participant');

    const cycle = {
      db: started.db,
      chat: started.chat,
      settings: defaultScheduleSettings(),
      calendar: createWorkingCalendar(),
    };
    const now = new Date('2026-11-27T06:00:00Z');
    await runPromptCycle(cycle, { now, agency: '市财政局', settleTimeoutMs: 10_000 });
    await until(() => emulator.messages(czj.chat_id).some(cardHas('open_report')));
    const prompt = emulator.messages(czj.chat_id).find(cardHas('open_report'))!;

    // 1. A reply in the prompt's thread, read and echoed; recorded only on 确认.
    emulator.postAsUser({
      chat_id: czj.chat_id,
      open_id: participant.open_id,
      text: `${at}第1条已完成50%，预计年底前完成`,
      parent_id: prompt.message_id,
    });
    await until(() => emulator.messages(czj.chat_id).some(cardHas('reply_confirm')));
    const echo = emulator.messages(czj.chat_id).find(cardHas('reply_confirm'))!;
    expect(repos.tasks.findTask(task.id)?.percent).toBe(0);
    await emulator.clickCard({
      message_id: echo.message_id,
      open_id: participant.open_id,
      value: buttonValues(echo.content).find((v) => v.action === 'reply_confirm')!,
    });
    expect(repos.tasks.findTask(task.id)).toMatchObject({ status: 'in_progress', percent: 50 });

    // 2. The lead's card shows the participant's answer.
    await runPromptCycle(cycle, { now, agency: '市科技局', settleTimeoutMs: 10_000 });
    await until(() => emulator.messages(kjj.chat_id).some(cardHas('open_report')));
    expect(JSON.stringify(emulator.messages(kjj.chat_id).find(cardHas('open_report'))!.content)).toContain(
      '市财政局 进行中 50%',
    );

    // 3. Done by command: reported done, and the lead agency is asked to verify.
    emulator.postAsUser({
      chat_id: czj.chat_id,
      open_id: participant.open_id,
      text: `${at}/report 1 已完成 已完成招标`,
    });
    await until(() => emulator.messages(kjj.chat_id).some(cardHas('verify_task')));
    expect(repos.tasks.findTask(task.id)?.status).toBe('reported_done');
    const firstReview = emulator.messages(kjj.chat_id).find(cardHas('verify_task'))!;

    // 4. The lead returns it with a reason; the participant's group is told why.
    await emulator.clickCard({
      message_id: firstReview.message_id,
      open_id: lead.open_id,
      name: 'return_submit',
      value: buttonValues(firstReview.content).find((v) => v.action === 'return_task')!,
      form_value: { reason: '佐证材料不全，请补充验收报告' },
    });
    expect(repos.tasks.findTask(task.id)?.status).toBe('returned');
    await until(() => emulator.messages(czj.chat_id).some(textHas('佐证材料不全')));

    // 5. Reported again, and verified this time: closed.
    emulator.postAsUser({
      chat_id: czj.chat_id,
      open_id: participant.open_id,
      text: `${at}/report 1 已完成 已补充验收报告`,
    });
    const isSecondReview = (m: { message_id: string; msg_type: string; content: unknown }) =>
      m.message_id !== firstReview.message_id && cardHas('verify_task')(m);
    await until(() => emulator.messages(kjj.chat_id).some(isSecondReview));
    const secondReview = emulator.messages(kjj.chat_id).find(isSecondReview)!;
    await emulator.clickCard({
      message_id: secondReview.message_id,
      open_id: lead.open_id,
      value: buttonValues(secondReview.content).find((v) => v.action === 'verify_task')!,
    });
    expect(repos.tasks.findTask(task.id)?.status).toBe('verified');

    // Every step is in the audit trail, in order, with who and through which channel.
    const steps = repos.audit
      .list({ entity: 'task', entityId: task.id })
      .filter((e) => e.action !== 'created')
      .map((e) => [e.action, e.channel, e.actor]);
    expect(steps).toEqual([
      ['reported', 'thread', participant.open_id],
      ['reported', 'command', participant.open_id],
      ['returned', 'card', lead.open_id],
      ['reported', 'command', participant.open_id],
      ['verified', 'card', lead.open_id],
    ]);
  });
});
