// The production transport under a bad network: the long connection drops in the middle of a prompt
// cycle. What people said while it was down reaches the bot after the SDK reconnects (Lark retries
// unacknowledged events), an event whose ACK was lost is delivered again and handled once, and a card
// tap while it is down fails in the person's client (callbacks are never retried) without recording.
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
  until,
} from '../../helpers/tenant.js';

afterEach(stopTenantApps);

const cardHas = (text: string) => (m: { msg_type: string; content: unknown }) =>
  m.msg_type === 'interactive' && JSON.stringify(m.content).includes(text);

describe('the long connection dropping mid-cycle', () => {
  it('loses nothing: what was said while it was down arrives after the reconnect, each event handled exactly once', async () => {
    const { emulator, started, coordinator } = await startTenantApp({
      transport: 'websocket',
      emulatorOptions: {
        // Lark's reconnect settings made fast, and retries every 100 ms instead of 15 s, 5 min, …
        longConnection: { ReconnectNonce: 0, ReconnectInterval: 0.1 },
        retrySchedule: Array.from({ length: 100 }, () => 100),
      },
      now: '2026-11-27T06:00:00Z',
      schedule: false,
    });
    const lead = emulator.addUser({ name: '科技局李科长' });
    const participant = emulator.addUser({ name: '财政局周科长' });
    importSmallDecision(started.db);
    const repos = createRepositories(started.db);
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
    const leadTask = repos.tasks.listTasks({ agency: '市科技局' }).find((t) => t.articleNo === 1)!;
    const participantTask = repos.tasks.listTasks({ agency: '市财政局' }).find((t) => t.articleNo === 1)!;

    const cycle = {
      db: started.db,
      chat: started.chat,
      settings: defaultScheduleSettings(),
      calendar: createWorkingCalendar(),
    };
    const now = new Date('2026-11-27T06:00:00Z');
    for (const agency of ['市科技局', '市财政局']) {
      await runPromptCycle(cycle, { now, agency, settleTimeoutMs: 10_000 });
    }
    await until(() => emulator.messages(czj.chat_id).some(cardHas('open_report')));
    await until(() => emulator.messages(kjj.chat_id).some(cardHas('open_report')));
    const czjPrompt = emulator.messages(czj.chat_id).find(cardHas('open_report'))!;
    const kjjPrompt = emulator.messages(kjj.chat_id).find(cardHas('open_report'))!;

    // 1. The connection drops and cannot come back for a while; people go on answering.
    emulator.setLongConnectionOutage(true);
    await until(() => emulator.longConnections().length === 0);
    emulator.clearDeliveries();
    const reply = emulator.postAsUser({
      chat_id: czj.chat_id,
      open_id: participant.open_id,
      text: '第1条已完成50%，预计年底前完成',
      parent_id: czjPrompt.message_id,
    });
    const command = emulator.postAsUser({
      chat_id: kjj.chat_id,
      open_id: lead.open_id,
      text: '@督办 /report 1 进行中 30 方案已定',
    });
    // A tap now fails in the person's client, as on Lark, and records nothing.
    await expect(
      emulator.clickCard({
        message_id: kjjPrompt.message_id,
        open_id: lead.open_id,
        value: buttonValues(kjjPrompt.content).find((v) => v.action === 'no_change')!,
      }),
    ).rejects.toThrow(/did not answer/);
    const waiting = () =>
      emulator.deliveries().filter((d) => d.event_type === 'im.message.receive_v1' && d.kind === 'event');
    await until(() => waiting().length === 2 && waiting().every((d) => d.attempts.length > 0));
    expect(waiting().map((d) => d.state)).toEqual(['retrying', 'retrying']);
    expect(repos.tasks.findTask(leadTask.id)?.percent).toBe(0);
    expect(emulator.messages(czj.chat_id).some(cardHas('reply_confirm'))).toBe(false);

    // 2. Lark is back: the SDK reconnects by itself and Lark's retries deliver what waited.
    emulator.setLongConnectionOutage(false);
    await until(() => emulator.longConnections().length === 1);
    await until(() => emulator.messages(czj.chat_id).some(cardHas('reply_confirm')));
    await until(() => repos.tasks.findTask(leadTask.id)?.percent === 30);
    expect(waiting().map((d) => d.state)).toEqual(['delivered', 'delivered']);
    expect(repos.tasks.findTask(leadTask.id)).toMatchObject({ status: 'in_progress', percent: 30 });
    const echo = emulator.messages(czj.chat_id).find(cardHas('reply_confirm'))!;
    expect(echo.parent_id ?? echo.root_id).toBe(reply.message.message_id);
    await emulator.clickCard({
      message_id: echo.message_id,
      open_id: participant.open_id,
      value: buttonValues(echo.content).find((v) => v.action === 'reply_confirm')!,
    });
    expect(repos.tasks.findTask(participantTask.id)).toMatchObject({ status: 'in_progress', percent: 50 });

    // 3. The connection drops again right after Lark sent an event: the bot handled it, but its ACK is
    // lost, so Lark delivers the same event again after the reconnect. It is handled once.
    emulator.dropLongConnections({ beforeAck: true });
    const done = emulator.postAsUser({
      chat_id: kjj.chat_id,
      open_id: lead.open_id,
      text: '@督办 /report 1 已完成 已完成招标',
    });
    await until(() => emulator.deliveries().find((d) => d.event_id === done.event_id)?.state === 'delivered');
    await emulator.idle();
    await started.bot.idle();
    const redelivered = emulator.deliveries().find((d) => d.event_id === done.event_id)!;
    expect(redelivered.attempts[0]?.status).toBeNull();
    expect(redelivered.attempts.at(-1)?.status).toBe(200);
    expect(repos.tasks.findTask(leadTask.id)?.status).toBe('reported_done');

    // Every message answered once, and every change once in the audit trail, in order.
    for (const posted of [reply, command, done]) {
      const answers = emulator
        .messages(posted.message.chat_id)
        .filter((m) => m.sender.type === 'app' && m.parent_id === posted.message.message_id);
      expect(answers, posted.message.message_id).toHaveLength(1);
    }
    const steps = (taskId: number) =>
      repos.audit
        .list({ entity: 'task', entityId: taskId })
        .filter((e) => e.action !== 'created')
        .map((e) => [e.action, e.channel, e.actor]);
    expect(steps(leadTask.id)).toEqual([
      ['reported', 'command', lead.open_id],
      ['reported', 'command', lead.open_id],
    ]);
    expect(steps(participantTask.id)).toEqual([['reported', 'thread', participant.open_id]]);
  });
});
