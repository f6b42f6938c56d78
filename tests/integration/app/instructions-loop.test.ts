// A leader's instruction (批示) on a tenant, through the emulator: the leader @-mentions the bot in the
// leaders' group, the coordinators confirm it on a card, it becomes a task the agency is prompted for,
// and the leader is told in the thread.
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

describe("a leader's instruction, on a tenant", () => {
  it('is confirmed by a coordinator into a task the agency is prompted for, and the leader hears so', async () => {
    const { emulator, started, coordinator } = await startTenantApp({
      now: '2026-11-27T06:00:00Z',
      schedule: false,
    });
    importSmallDecision(started.db);
    const repos = createRepositories(started.db);
    const leader = emulator.addUser({ name: '李市长' });
    const official = emulator.addUser({ name: '科技局李科长' });
    const office = emulator.createChat({ name: '督查室', members: [coordinator.open_id] });
    const leaders = emulator.createChat({ name: '市领导群', members: [coordinator.open_id, leader.open_id] });
    const kjj = emulator.createChat({
      name: '科技局工作群',
      members: [coordinator.open_id, official.open_id],
    });
    await bindGroups(emulator, started.db, coordinator.open_id, [
      [office, '督查室'],
      [leaders, '领导'],
      [kjj, '市科技局'],
    ]);
    await until(() => repos.people.rolesOf(leader.open_id).includes('leader'));

    const said = emulator.postAsUser({
      chat_id: leaders.chat_id,
      open_id: leader.open_id,
      text: '@督办 请市科技局月底前拿出高新区扶持方案',
    });
    await until(() => emulator.messages(office.chat_id).some(cardHas('decide_instruction')));
    const card = emulator.messages(office.chat_id).find(cardHas('decide_instruction'))!;
    expect(JSON.stringify(card.content)).toContain('市科技局');
    const before = repos.tasks.listTasks({ agency: '市科技局' }).length;

    await emulator.clickCard({
      message_id: card.message_id,
      open_id: coordinator.open_id,
      value: buttonValues(card.content).find((v) => v.action === 'decide_instruction' && v.confirm === true)!,
    });
    const tasks = repos.tasks.listTasks({ agency: '市科技局' });
    expect(tasks.length).toBe(before + 1);
    const task = tasks.find((t) => t.articleTitle.includes('高新区扶持方案'))!;
    expect(task).toMatchObject({ role: 'lead', dueDate: '2026-11-30' });

    // The leader is told in the thread of the instruction.
    await until(() =>
      emulator
        .messages(leaders.chat_id)
        .some(
          (m) =>
            m.sender.type === 'app' &&
            (m.parent_id === said.message.message_id || m.root_id === said.message.message_id),
        ),
    );
    const toldLeader = emulator
      .messages(leaders.chat_id)
      .filter(
        (m) =>
          m.sender.type === 'app' &&
          (m.parent_id === said.message.message_id || m.root_id === said.message.message_id),
      );
    // Acknowledged when recorded, then told it was taken up.
    expect(toldLeader.map((m) => JSON.stringify(m.content))).toEqual([
      expect.stringContaining('批示已记录，涉及：市科技局'),
      expect.stringContaining('您的批示已立项跟踪'),
    ]);
    // And the agency's next prompt lists it.
    const plan = await runPromptCycle(
      { db: started.db, settings: defaultScheduleSettings(), calendar: createWorkingCalendar() },
      { now: new Date('2026-11-27T06:00:00Z'), agency: '市科技局', dryRun: true },
    );
    expect(plan.prompts[0]?.taskLines.join('\n') ?? JSON.stringify(plan.prompts[0])).toContain(
      '高新区扶持方案',
    );
    expect(repos.audit.list({ action: 'instruction_confirmed' })).toHaveLength(1);
  });
});
