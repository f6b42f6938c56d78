import { describe, expect, it } from 'vitest';
import {
  CARD_MAX_BYTES,
  CARD_MAX_ELEMENTS,
  cardByteSize,
  countCardElements,
} from '../../../src/core/render/card-limits.js';
import {
  MAX_LISTED_TASKS,
  type MessageTask,
  renderCalendarNotice,
  renderCoordinatorNotice,
  renderDueReminderCard,
  renderEscalationCard,
  renderFollowUpCard,
} from '../../../src/core/render/cycle-messages.js';

const task = (id: number, articleNo = id): MessageTask => ({
  id,
  articleNo,
  articleTitle: `加快建设第${articleNo}个创新平台`.repeat(3),
  role: id % 2 === 0 ? 'lead' : 'participant',
  dueDate: '2026-12-31',
});

describe('the cycle messages', () => {
  it('list tasks by article and mention the contact only when one is configured', () => {
    const withContact = JSON.stringify(
      renderFollowUpCard({
        agency: '市科技局',
        cycle: '2026-W48',
        tasks: [task(7), task(2)],
        mentionOpenId: 'ou_x',
      }),
    );
    expect(withContact).toContain('<at id=ou_x></at>');
    expect(withContact.indexOf('第2条')).toBeLessThan(withContact.indexOf('第7条'));
    const without = JSON.stringify(
      renderFollowUpCard({ agency: '市科技局', cycle: '2026-W48', tasks: [task(1)] }),
    );
    expect(without).not.toContain('<at');
    expect(without).toContain('催办提醒 · 市科技局');
  });

  it('stays within Lark card limits however many tasks there are, saying how many were left out', () => {
    const many = Array.from({ length: 300 }, (_, i) => task(i + 1));
    const card = renderEscalationCard({
      step: 'coordinators',
      agency: '市发改委',
      tasks: many.map((t) => ({ ...t, triggers: ['overdue', 'silent'] as const })),
      today: '2027-01-05',
    });
    expect(cardByteSize(card)).toBeLessThan(CARD_MAX_BYTES);
    expect(countCardElements(card)).toBeLessThan(CARD_MAX_ELEMENTS);
    expect(JSON.stringify(card)).toContain(`另有 ${300 - MAX_LISTED_TASKS} 项`);
    expect(JSON.stringify(card)).toContain('已逾期 5 天；催办后仍未报送');
  });

  it('words the lead-agency rung for the lead and the due reminder with the working days left', () => {
    const lead = JSON.stringify(
      renderEscalationCard({
        step: 'lead_agency',
        agency: '市财政局',
        lead: '市科技局',
        tasks: [{ ...task(1), triggers: ['overdue'] }],
        today: '2027-01-01',
        locale: 'en-US',
      }),
    );
    expect(lead).toContain('In the work 市科技局 leads, the tasks of participant 市财政局');
    expect(lead).toContain('overdue by 1 day');
    const due = JSON.stringify(
      renderDueReminderCard({
        agency: '市科技局',
        tasks: [{ ...task(3), dueDate: '2026-10-12', workingDaysLeft: 5 }],
      }),
    );
    expect(due).toContain('第3条');
    expect(due).toContain('2026-10-12 到期（还有 5 个工作日）');
  });

  it('tells the coordinators about a spent budget, a missing group and an uncovered year', () => {
    expect(
      renderCoordinatorNotice({
        notice: {
          kind: 'budget_reached',
          agencyId: 1,
          cycle: '2026-W48',
          key: 'budget:1:2026-W48',
          deferred: 'escalation',
        },
        agency: '市科技局',
      }),
    ).toBe('「市科技局」2026-W48 的消息额度已用完，升级提醒顺延到下一周期。');
    expect(
      renderCoordinatorNotice({
        notice: { kind: 'no_chat', agencyId: 1, cycle: '2026-W48', key: 'nochat:1:2026-W48' },
        agency: '市科技局',
      }),
    ).toContain('/bind 市科技局');
    expect(renderCalendarNotice({ year: 2027 })).toContain('2027 年');
  });
});
