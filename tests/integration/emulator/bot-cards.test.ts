import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  renderBindConfirmCard,
  renderBoundCard,
  renderHelpCard,
  renderOnboardingCard,
} from '../../../src/core/render/bot-cards.js';
import {
  type MessageTask,
  renderDueReminderCard,
  renderEscalationCard,
  renderFollowUpCard,
} from '../../../src/core/render/cycle-messages.js';
import { renderInstructionCard } from '../../../src/core/render/instruction-cards.js';
import { type PromptCardTask, renderPromptCards } from '../../../src/core/render/prompt-card.js';
import { startWorld, type World } from './helpers.js';

/**
 * Every card the bot renders goes through the emulator's Open API, whose validator refuses what Lark
 * refuses (card-rules.ts): built with realistic, large data so the limits are exercised too.
 */
const AGENCIES = [
  '市发展和改革委员会',
  '市教育局',
  '市科学技术局',
  '市工业和信息化局',
  '市公安局',
  '市民政局',
  '市司法局',
  '市财政局',
  '市人力资源和社会保障局',
  '市自然资源和规划局',
  '市生态环境局',
  '市住房和城乡建设局',
  '市交通运输局',
  '市水务局',
  '市农业农村局',
  '市商务局',
  '市文化广电旅游局',
  '市卫生健康委员会',
  '市退役军人事务局',
  '市应急管理局',
  '市审计局',
  '市市场监督管理局',
  '市统计局',
  '市医疗保障局',
  '市城市管理局',
  '市数据局',
  '市政务服务管理局',
  '市国资委',
  '市信访局',
  '市体育局',
];

const messageTask = (id: number): MessageTask => ({
  id,
  articleNo: id,
  articleTitle: `推动${AGENCIES[id % AGENCIES.length]}牵头的第${id}项重点改革任务落地见效，形成可复制可推广经验`,
  role: id % 3 === 0 ? 'participant' : 'lead',
  dueDate: '2026-12-31',
});

const promptTask = (id: number): PromptCardTask => ({
  ...messageTask(id),
  status: ['not_started', 'in_progress', 'reported_done'][id % 3] ?? 'in_progress',
  percent: (id * 7) % 100,
  blocked: id % 5 === 0,
  blockedReason: id % 5 === 0 ? '等待上级批复用地指标' : null,
  lastReport:
    id % 2 === 0
      ? {
          at: '2026-11-16T02:00:00Z',
          status: 'in_progress',
          percent: 40,
          note: '已完成方案起草，正在征求意见',
          evidenceUrl: 'https://example.gov.cn/docs/plan.pdf',
        }
      : null,
});

describe("every card the bot renders passes the emulator's Lark checks", () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ rateLimits: false });
  });
  afterAll(async () => {
    await world.emulator.stop();
  });

  const send = async (card: unknown) => {
    const res = await world.client.im.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: world.chatId, msg_type: 'interactive', content: JSON.stringify(card) },
    });
    return res.code;
  };

  it('the help card, in a bound group and an unbound one', async () => {
    const commands = [
      { usage: 'bot.cmd.help.usage', summary: 'bot.cmd.help.summary', coordinatorsOnly: false },
      { usage: 'bot.cmd.bind.usage', summary: 'bot.cmd.bind.summary', coordinatorsOnly: true },
    ] as const;
    expect(await send(renderHelpCard({ commands, chatStatus: { kind: 'unbound' } }))).toBe(0);
    expect(
      await send(renderHelpCard({ commands, chatStatus: { kind: 'agency', agency: '市科学技术局' } })),
    ).toBe(0);
  });

  it('the onboarding card with thirty agencies, the bound card and the bind confirmation', async () => {
    const agencies = AGENCIES.map((name, i) => ({ id: i + 1, name }));
    expect(await send(renderOnboardingCard({ agencies }))).toBe(0);
    expect(await send(renderBoundCard({ text: '本群已绑定为 **市科学技术局** 的督办群。' }))).toBe(0);
    expect(
      await send(
        renderBindConfirmCard({
          intro: '本群当前绑定为市教育局，确认改绑吗？',
          changes: ['本群：市教育局 → 市科学技术局', '原督办群解除绑定'],
          confirmValue: { action: 'bind.confirm', agencyId: 3, chatId: world.chatId },
          cancelValue: { action: 'bind.cancel' },
        }),
      ),
    ).toBe(0);
  });

  it('the prompt cards of an agency with thirty tasks', async () => {
    const cards = renderPromptCards({
      agency: { id: 3, name: '市科学技术局' },
      cycle: { key: '2026-W48' },
      tasks: Array.from({ length: 30 }, (_, i) => promptTask(i + 1)),
      now: new Date('2026-11-23T01:30:00Z'),
    });
    expect(cards.length).toBeGreaterThan(0);
    for (const card of cards) expect(await send(card)).toBe(0);
  });

  it('the follow-up, escalation and due reminder cards, mentioning a person the app knows', async () => {
    const tasks = Array.from({ length: 300 }, (_, i) => messageTask(i + 1));
    expect(
      await send(
        renderFollowUpCard({ agency: '市科学技术局', cycle: '2026-W48', tasks, mentionOpenId: world.alice }),
      ),
    ).toBe(0);
    for (const step of ['group', 'contact', 'lead_agency', 'coordinators'] as const) {
      const card = renderEscalationCard({
        step,
        agency: '市财政局',
        lead: '市科学技术局',
        tasks: tasks.map((t) => ({ ...t, triggers: ['overdue', 'silent'] as const })),
        mentionOpenId: world.alice,
        today: '2027-01-05',
      });
      expect(await send(card)).toBe(0);
    }
    expect(
      await send(
        renderDueReminderCard({
          agency: '市科学技术局',
          tasks: tasks.map((t) => ({ ...t, dueDate: '2026-12-31', workingDaysLeft: 5 })),
        }),
      ),
    ).toBe(0);
  });

  it("the coordinators' card for a leader's instruction, with its reject form", async () => {
    const card = renderInstructionCard({
      instructionId: 7,
      leader: '张市长',
      text: `请${AGENCIES.slice(0, 10).join('、')}月底前拿出高新区扶持方案，*务必*抓紧[落实]`.repeat(5),
      agencies: AGENCIES.slice(0, 10),
      article: { no: 13, title: '加快建设高新技术产业开发区' },
      document: '2026年领导批示',
      dueDate: '2026-12-31',
    });
    expect(await send(card)).toBe(0);
    expect(
      await send(
        renderInstructionCard({
          instructionId: 8,
          leader: '张市长',
          text: '请市科技局研究',
          agencies: ['市科学技术局'],
          article: null,
          document: '2026年领导批示',
          dueDate: null,
        }),
      ),
    ).toBe(0);
  });
});
