// An official answering a prompt in words, on a tenant (the app with credentials against the emulator):
// prompt → free-text reply in the card's thread → echo card → 确认 → the task updated, with and without
// the sensitive group-message scope (without it, only a reply that @-mentions the bot arrives).
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { createPeopleRepository } from '../../../src/store/people-repository.js';
import { createTaskRepository } from '../../../src/store/task-repository.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';
import {
  buttonValues,
  importSmallDecision,
  startTenantApp,
  stopTenantApps,
  until,
} from '../../helpers/tenant.js';

afterEach(stopTenantApps);

describe('answering a prompt in words, on a tenant', () => {
  it.each([
    {
      scope: 'with the group-message scope',
      groupMessages: true,
      text: '第1条已完成70%，预计6月底完成，需市财政局配合',
    },
    {
      scope: 'with @-mentions only',
      groupMessages: false,
      text: '@督办 第1条已完成70%，预计6月底完成，需市财政局配合',
    },
  ])(
    'prompt → reply in the thread → echo card → 确认 → task updated ($scope)',
    async ({ groupMessages, text }) => {
      const { emulator, started, coordinator } = await startTenantApp({ now: '2026-11-27T06:00:00Z' });
      emulator.setAppSettings({ groupMessages });
      // Lark may push one message twice under new event ids: it is still answered once.
      emulator.setRepushWithNewEventId(1);
      const official = emulator.addUser({ name: '科技局李科长' });
      importSmallDecision(started.db);
      const agencies = createAgencyRepository({ db: started.db });
      const people = createPeopleRepository({ db: started.db });
      const tasks = createTaskRepository({ db: started.db });
      const group = emulator.createChat({
        name: '科技局工作群',
        members: [coordinator.open_id, official.open_id],
      });
      emulator.postAsUser({
        chat_id: group.chat_id,
        open_id: coordinator.open_id,
        text: '@督办 /bind 市科技局',
      });
      await until(() => people.agenciesOf(official.open_id).length > 0);
      expect(agencies.findAgencyByChat(group.chat_id)?.name).toBe('市科技局');

      await runPromptCycle(
        {
          db: started.db,
          chat: started.chat,
          settings: defaultScheduleSettings(),
          calendar: createWorkingCalendar(),
        },
        { now: new Date('2026-11-27T06:00:00Z'), agency: '市科技局', settleTimeoutMs: 10_000 },
      );
      const isPrompt = (m: { msg_type: string; content: unknown }) =>
        m.msg_type === 'interactive' && JSON.stringify(m.content).includes('open_report');
      await until(() => emulator.messages(group.chat_id).some(isPrompt));
      const prompt = emulator.messages(group.chat_id).find(isPrompt)!;

      emulator.postAsUser({
        chat_id: group.chat_id,
        open_id: official.open_id,
        text,
        parent_id: prompt.message_id,
      });
      const isEcho = (m: { msg_type: string; content: unknown }) =>
        m.msg_type === 'interactive' && JSON.stringify(m.content).includes('reply_confirm');
      await until(() => emulator.messages(group.chat_id).some(isEcho));
      await emulator.idle();
      await started.bot.idle();
      const echoes = emulator.messages(group.chat_id).filter(isEcho);
      expect(echoes).toHaveLength(1);
      const echo = echoes[0]!;
      expect(JSON.stringify(echo.content)).toContain('进行中 70% · 预计 2027-06-30 · 需 市财政局 配合');
      const task = tasks.listTasks({ agency: '市科技局' }).find((t) => t.articleNo === 1)!;
      expect(task.status).toBe('not_started');

      const confirm = buttonValues(echo.content).find((v) => v.action === 'reply_confirm')!;
      const result = await emulator.clickCard({
        message_id: echo.message_id,
        open_id: official.open_id,
        value: confirm,
      });
      expect(JSON.stringify(result)).toContain('已记录第1条的进展：进行中，70%。');
      expect(tasks.listTasks({ agency: '市科技局' }).find((t) => t.id === task.id)).toMatchObject({
        status: 'in_progress',
        percent: 70,
      });
      const [event] = createAuditRepository({ db: started.db }).list({
        entityId: task.id,
        action: 'reported',
      });
      expect(event).toMatchObject({ channel: 'thread', actor: official.open_id });
    },
  );
});
