// Production mode (LARK_* set) pointed at the Lark emulator as if it were a tenant: the only
// differences from a real deployment are the URL and the credentials.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultScheduleSettings } from '../../../src/config/schedule.js';
import { createWorkingCalendar } from '../../../src/core/cycles/china-calendar.js';
import { DubanError } from '../../../src/core/errors.js';
import { createAgencyRepository } from '../../../src/store/agency-repository.js';
import { createAuditRepository } from '../../../src/store/audit-repository.js';
import { createPeopleRepository } from '../../../src/store/people-repository.js';
import { createTaskRepository } from '../../../src/store/task-repository.js';
import { runPromptCycle } from '../../../src/usecases/prompt-cycle.js';
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

// The main flows run over both transports: the webhook and the long connection (the production default).
const ONBOARDING =
  'answers a new group with onboarding, lets the configured coordinator bind it by command, and replies in Chinese (over the %s)';
const MEMBERS =
  'lets a member added after start-up answer for the agency, refuses them once they leave, and takes /bind from a coordinator who left the coordinators’ group (over the %s)';

describe('running against a tenant', () => {
  it.each(TRANSPORTS)(ONBOARDING, async (transport) => {
    const { emulator, started, coordinator } = await startTenantApp({ transport });
    expect(started.emulator).toBeUndefined();
    const chat = emulator.createChat({ name: '科技局工作群', members: [coordinator.open_id], bot: true });
    await until(() => emulator.messages(chat.chat_id).length > 0);
    expect(JSON.stringify(emulator.messages(chat.chat_id)[0]?.content)).toContain('督办助手已加入本群');

    emulator.postAsUser({
      chat_id: chat.chat_id,
      open_id: coordinator.open_id,
      text: '@督办 /bind 广州市科学技术局',
    });
    await until(() => emulator.messages(chat.chat_id).length >= 3);
    const answer = emulator.messages(chat.chat_id)[2];
    expect(answer?.sender.type).toBe('app');
    expect(JSON.stringify(answer?.content)).toContain('已将本群绑定到「市科技局」');
    expect(createAgencyRepository({ db: started.db }).findAgencyByChat(chat.chat_id)?.name).toBe('市科技局');
  });

  it('refuses to start with a wrong app secret and says what to fix', async () => {
    const failure = await startTenantApp({ env: { LARK_APP_SECRET: 'wrong' } }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(DubanError);
    expect((failure as DubanError).code).toBe('lark.api_error');
    expect((failure as DubanError).hint).toMatch(/secret|App ID|凭证|credentials/i);
  });
});

describe('who may act, on a tenant: the members of the bound groups', () => {
  it.each(TRANSPORTS)(MEMBERS, async (transport) => {
    const { emulator, started, coordinator } = await startTenantApp({ transport });
    const people = createPeopleRepository({ db: started.db });
    const tasks = createTaskRepository({ db: started.db });
    const audit = createAuditRepository({ db: started.db });
    importSmallDecision(started.db);
    const deputy = emulator.addUser({ name: '孙副主任' });
    const official = emulator.addUser({ name: '钱科员' });

    // The coordinators' group: its members become coordinators when it is bound.
    const office = emulator.createChat({ name: '督查室', members: [coordinator.open_id, deputy.open_id] });
    emulator.postAsUser({
      chat_id: office.chat_id,
      open_id: coordinator.open_id,
      text: '@督办 /bind 督查室',
    });
    await until(() => people.rolesOf(deputy.open_id).includes('coordinator'));
    expect(people.rolesOf(deputy.open_id)).toEqual(['coordinator']);

    // The agency's group, bound, then a member added: an official of 市科技局 at once.
    const group = emulator.createChat({ name: '科技局工作群', members: [coordinator.open_id] });
    emulator.postAsUser({
      chat_id: group.chat_id,
      open_id: coordinator.open_id,
      text: '@督办 /bind 市科技局',
    });
    const agency = createAgencyRepository({ db: started.db });
    await until(() => agency.findAgencyByChat(group.chat_id) !== null);
    const agencyId = agency.requireAgency('市科技局').id;
    // /bind reads the group's members after binding it; the member is added once that read is done,
    // so they arrive by Lark's member event (channel chat), not in /bind's own read.
    await until(() => people.agenciesOf(coordinator.open_id).includes(agencyId));
    expect(people.agenciesOf(official.open_id)).toEqual([]);
    emulator.addMembers(group.chat_id, [official.open_id], coordinator.open_id);
    await until(() => people.agenciesOf(official.open_id).includes(agencyId));
    expect(people.agenciesOf(official.open_id)).toEqual([agencyId]);
    // The audit trail names the person (from Lark's contact API).
    expect(audit.list({ entity: 'person', action: 'granted' })).toContainEqual(
      expect.objectContaining({
        entityId: official.open_id,
        actor: coordinator.open_id,
        channel: 'chat',
        after: expect.objectContaining({
          role: 'official',
          agency: '市科技局',
          source: 'chat',
          name: '钱科员',
        }),
      }),
    );

    // The prompt card reaches the group; the new member taps 本周无变化 and then reports one task.
    await runPromptCycle(
      {
        db: started.db,
        chat: started.chat,
        settings: defaultScheduleSettings(),
        calendar: createWorkingCalendar(),
      },
      { now: new Date('2026-11-27T06:00:00Z'), agency: '市科技局', settleTimeoutMs: 10_000 },
    );
    await until(() => emulator.messages(group.chat_id).some((m) => m.msg_type === 'interactive'));
    const card = emulator.messages(group.chat_id).find((m) => m.msg_type === 'interactive')!;
    const confirmed = await emulator.clickCard({
      message_id: card.message_id,
      open_id: official.open_id,
      value: { action: 'no_change', agency_id: agencyId, cycle: '2026-W48' },
    });
    expect(confirmed.toast?.type).toBe('success');
    const task = tasks.listTasks({ agency: '市科技局' })[0]!;
    // Lark sends only the tapped form's fields: the task's form is opened from its 报送 button first.
    const shown = emulator.messages(group.chat_id).find((m) => m.message_id === card.message_id)!;
    const opened = await emulator.clickCard({
      message_id: card.message_id,
      open_id: official.open_id,
      value: buttonValues(shown.content).find((v) => v.action === 'open_report' && v.task_id === task.id)!,
    });
    const reported = await emulator.clickCard({
      message_id: card.message_id,
      open_id: official.open_id,
      value: buttonValues(opened.card).find((v) => v.action === 'report')!,
      form_value: { [`st${task.id}`]: 'in_progress', [`pc${task.id}`]: '40', [`nt${task.id}`]: '推进中' },
    });
    expect(reported.toast?.type).toBe('success');
    expect(tasks.listTasks({ agency: '市科技局' }).find((t) => t.id === task.id)).toMatchObject({
      status: 'in_progress',
      percent: 40,
    });

    // They leave the group: the right ends at once, and a tap still in flight is refused by the bot.
    const recorded = () =>
      started.db.$client
        .prepare('SELECT count(*) AS n FROM progress_updates WHERE actor = ?')
        .get(official.open_id) as { n: number };
    const before = recorded().n;
    emulator.removeMembers(group.chat_id, [official.open_id], coordinator.open_id);
    await until(() => people.agenciesOf(official.open_id).length === 0);
    expect(people.agenciesOf(official.open_id)).toEqual([]);
    expect(audit.list({ entity: 'person', action: 'revoked' })).toContainEqual(
      expect.objectContaining({ entityId: official.open_id, channel: 'chat', after: null }),
    );
    const [replay] = emulator.pushEvent('card.action.trigger', {
      operator: { open_id: official.open_id },
      token: 'c-replayed',
      action: { tag: 'button', value: { action: 'no_change', agency_id: agencyId, cycle: '2026-W48' } },
      context: { open_message_id: card.message_id, open_chat_id: group.chat_id },
    });
    await emulator.idle();
    await started.bot.idle();
    expect(emulator.deliveries().find((d) => d.id === replay!.id)?.state).toBe('delivered');
    expect(recorded().n).toBe(before);

    // The deputy leaves the coordinators' group and can no longer bind a group.
    emulator.removeMembers(office.chat_id, [deputy.open_id], coordinator.open_id);
    await until(() => !people.rolesOf(deputy.open_id).includes('coordinator'));
    const spare = emulator.createChat({ name: '新工作群', members: [coordinator.open_id, deputy.open_id] });
    await until(() => emulator.messages(spare.chat_id).length > 0);
    emulator.postAsUser({ chat_id: spare.chat_id, open_id: deputy.open_id, text: '@督办 /bind 市财政局' });
    const refusal = () =>
      emulator
        .messages(spare.chat_id)
        .find((m) => m.sender.type === 'app' && JSON.stringify(m.content).includes('仅限督查室工作人员使用'));
    await until(() => refusal() !== undefined);
    expect(refusal()).toBeDefined();
    // The configured coordinator keeps the role: the settings grant it, whatever the groups say.
    expect(people.rolesOf(coordinator.open_id)).toContain('coordinator');
  });
});

describe('who may answer a prompt card, on a tenant', () => {
  it('records a report only from the agency’s own people, in its own group, on this cycle’s card, for its own task', async () => {
    const { emulator, started, coordinator } = await startTenantApp();
    const tasks = createTaskRepository({ db: started.db });
    const people = createPeopleRepository({ db: started.db });
    importSmallDecision(started.db);
    const officialK = emulator.addUser({ name: '科技局李科长' });
    const officialC = emulator.addUser({ name: '财政局周科长' });
    const stranger = emulator.addUser({ name: '路人甲' });
    const kjj = emulator.createChat({
      name: '科技局工作群',
      members: [coordinator.open_id, officialK.open_id],
    });
    const czj = emulator.createChat({
      name: '财政局工作群',
      members: [coordinator.open_id, officialC.open_id],
    });
    await bindGroups(emulator, started.db, coordinator.open_id, [
      [kjj, '市科技局'],
      [czj, '市财政局'],
    ]);
    await until(
      () =>
        people.agenciesOf(officialC.open_id).length > 0 && people.agenciesOf(officialK.open_id).length > 0,
    );

    await runPromptCycle(
      {
        db: started.db,
        chat: started.chat,
        settings: defaultScheduleSettings(),
        calendar: createWorkingCalendar(),
      },
      { now: new Date('2026-11-27T06:00:00Z'), agency: '市科技局', settleTimeoutMs: 10_000 },
    );
    // The group also holds the onboarding card from when the bot joined: the prompt is the one with 报送.
    const isPrompt = (m: { msg_type: string; content: unknown }) =>
      m.msg_type === 'interactive' && JSON.stringify(m.content).includes('open_report');
    await until(() => emulator.messages(kjj.chat_id).some(isPrompt));
    const card = emulator.messages(kjj.chat_id).find(isPrompt)!;
    const kjjTask = tasks.listTasks({ agency: '市科技局' })[0]!;
    const czjTask = tasks.listTasks({ agency: '市财政局' })[0]!;
    const reports = () =>
      started.db.$client.prepare('SELECT count(*) AS n FROM progress_updates WHERE no_change = 0').get() as {
        n: number;
      };
    const form = (taskId: number, percent: string) => ({
      [`st${taskId}`]: 'in_progress',
      [`pc${taskId}`]: percent,
    });

    /** The normal way: open the task's form on the card, then submit it, as the person in the card's group. */
    const submitOnCard = async (openId: string, change: Record<string, unknown> = {}) => {
      const shown = emulator.messages(kjj.chat_id).find((m) => m.message_id === card.message_id)!;
      const opened = await emulator.clickCard({
        message_id: card.message_id,
        open_id: openId,
        value: buttonValues(shown.content).find(
          (v) => v.action === 'open_report' && v.task_id === kjjTask.id,
        )!,
      });
      const submit = buttonValues(opened.card).find((v) => v.action === 'report')!;
      return emulator.clickCard({
        message_id: card.message_id,
        open_id: openId,
        value: { ...submit, ...change },
        form_value: form(kjjTask.id, '30'),
      });
    };
    /** A callback Lark would never build from a real tap: a forwarded card, a replayed or forged value. */
    const forged = async (openId: string, chatId: string, value: Record<string, unknown>, taskId: number) => {
      emulator.pushEvent('card.action.trigger', {
        operator: { open_id: openId },
        token: `c-${openId}-${chatId}-${taskId}`,
        action: { tag: 'button', name: `s${taskId}`, value, form_value: form(taskId, '99') },
        context: { open_message_id: card.message_id, open_chat_id: chatId },
      });
      await emulator.idle();
      await started.bot.idle();
    };
    /** The submit button's value for the task, as the card in the group carries it now. */
    const currentValue = () => {
      const shown = emulator.messages(kjj.chat_id).find((m) => m.message_id === card.message_id)!;
      const values = buttonValues(shown.content);
      const submit = values.find((v) => v.action === 'report' && v.task_id === kjjTask.id);
      const open = values.find((v) => v.action === 'open_report' && v.task_id === kjjTask.id);
      return submit ?? { ...open!, action: 'report' };
    };

    // Allowed: the agency's official and a coordinator, in the agency's group, on this cycle's card.
    let before = reports().n;
    expect((await submitOnCard(officialK.open_id)).toast?.type).toBe('success');
    expect(reports().n).toBe(before + 1);
    before = reports().n;
    expect((await submitOnCard(coordinator.open_id)).toast?.type).toBe('success');
    expect(reports().n).toBe(before + 1);

    // Refused, with nothing recorded:
    before = reports().n;
    // ...the same card's value from last cycle (a stale card),
    const stale = await submitOnCard(officialK.open_id, { cycle: '2026-W47' });
    expect(stale.toast?.type).not.toBe('success');
    // ...a card forwarded to another agency's group, tapped there by that agency's official,
    await forged(officialC.open_id, czj.chat_id, { ...currentValue(), task_id: kjjTask.id }, kjjTask.id);
    // ...another agency's task named on this agency's card,
    await forged(officialK.open_id, kjj.chat_id, { ...currentValue(), task_id: czjTask.id }, czjTask.id);
    // ...and people who are not in the group at all.
    await forged(officialC.open_id, kjj.chat_id, currentValue(), kjjTask.id);
    await forged(stranger.open_id, kjj.chat_id, currentValue(), kjjTask.id);
    expect(reports().n).toBe(before);
    expect(tasks.findTask(czjTask.id)?.percent).toBe(0);
    expect(tasks.findTask(kjjTask.id)?.percent).toBe(30);

    // The same pushed callback from the agency's own official in its group is recorded: the refusals
    // above are the bot's judgement, not a callback it could not read.
    await forged(officialK.open_id, kjj.chat_id, currentValue(), kjjTask.id);
    expect(reports().n).toBe(before + 1);
    expect(tasks.findTask(kjjTask.id)?.percent).toBe(99);
  });
});
