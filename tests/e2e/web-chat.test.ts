// The emulator's web chat page, driven in Debian's chromium: post as a user, see the bot answer,
// submit a card form, click a card button and watch the card change. A tiny webhook bot stands in for
// Duban here so the page itself is proven; the real bot is wired in by the sandbox test.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLarkEmulator, type LarkEmulator } from '../../src/emulator/index.js';
import { type LaunchedChromium, launchChromium, locateChromium } from '../helpers/chromium.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const lookup = (() => {
  try {
    return locateChromium();
  } catch (error) {
    return { path: null, skipReason: null, error: error as Error };
  }
})();

interface CardCallback {
  operator: { open_id: string };
  action: { value: Record<string, unknown>; form_value?: Record<string, unknown> };
  context: { open_message_id: string };
}

interface TinyBot {
  url: string;
  callbacks: CardCallback[];
  receivedTexts: Array<{ text: string; parent_id?: string }>;
  send(chatId: string, msgType: string, content: unknown): Promise<string>;
  stop(): Promise<void>;
}

function progressCard(state: 'open' | 'done', operatorOpenId?: string): Record<string, unknown> {
  const header =
    state === 'open'
      ? {
          title: { tag: 'plain_text', content: '第 5 条 · 本周进度' },
          subtitle: { tag: 'plain_text', content: '市发改委 · 牵头' },
          template: 'blue',
          text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: '逾期' }, color: 'red' }],
        }
      : {
          title: { tag: 'plain_text', content: '第 5 条 · 已完成' },
          template: 'green',
        };
  const elements: unknown[] =
    state === 'open'
      ? [
          {
            tag: 'markdown',
            content:
              "**加快建设创新型城市**\n- 牵头：*市发改委*\n- 状态：<font color='red'>逾期 3 天</font>\n请 <at id=all></at> 本周内更新进度",
          },
          {
            tag: 'column_set',
            columns: [
              {
                tag: 'column',
                width: 'weighted',
                weight: 1,
                elements: [{ tag: 'markdown', content: '**完成**\n60%' }],
              },
              {
                tag: 'column',
                width: 'weighted',
                weight: 1,
                elements: [{ tag: 'markdown', content: '**截止**\n6月30日' }],
              },
            ],
          },
          {
            tag: 'form',
            name: 'progress_form',
            elements: [
              {
                tag: 'select_static',
                name: 'status',
                required: true,
                label: { tag: 'plain_text', content: '状态' },
                placeholder: { tag: 'plain_text', content: '选择状态' },
                options: [
                  { text: { tag: 'plain_text', content: '进行中' }, value: 'in_progress' },
                  { text: { tag: 'plain_text', content: '已完成' }, value: 'done' },
                ],
              },
              { tag: 'input', name: 'percent', label: { tag: 'plain_text', content: '完成百分比' } },
              {
                tag: 'input',
                name: 'note',
                input_type: 'multiline_text',
                label: { tag: 'plain_text', content: '进展说明' },
              },
              {
                tag: 'button',
                name: 'submit_progress',
                text: { tag: 'plain_text', content: '提交进度' },
                type: 'primary_filled',
                form_action_type: 'submit',
                behaviors: [{ type: 'callback', value: { action: 'report', task: 't5' } }],
              },
            ],
          },
          {
            tag: 'button',
            text: { tag: 'plain_text', content: '标记完成' },
            type: 'primary',
            behaviors: [{ type: 'callback', value: { action: 'done', task: 't5' } }],
          },
          {
            tag: 'chart',
            aspect_ratio: '2:1',
            chart_spec: {
              type: 'bar',
              data: {
                values: [
                  { week: 'W1', pct: 20 },
                  { week: 'W2', pct: 45 },
                  { week: 'W3', pct: 60 },
                ],
              },
              xField: 'week',
              yField: 'pct',
            },
          },
          // A component Lark accepts that the page does not draw (an unknown tag Lark itself refuses).
          { tag: 'audio', file_key: 'file_v3_demo_audio' },
        ]
      : [{ tag: 'markdown', content: `已由 <at id=${operatorOpenId ?? ''}></at> 标记完成` }];
  return { schema: '2.0', config: { update_multi: true }, header, body: { elements } };
}

async function startTinyBot(emulator: LarkEmulator): Promise<TinyBot> {
  const callbacks: CardCallback[] = [];
  const receivedTexts: Array<{ text: string; parent_id?: string }> = [];
  let token: string | null = null;

  const openApi = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    if (token === null) {
      const res = await fetch(`${emulator.url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ app_id: emulator.appId, app_secret: emulator.appSecret }),
      });
      token = ((await res.json()) as { tenant_access_token: string }).tenant_access_token;
    }
    const res = await fetch(`${emulator.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { code: number; msg: string; data: Record<string, unknown> };
    if (answer.code !== 0) throw new Error(`open api ${path}: ${answer.code} ${answer.msg}`);
    return answer.data;
  };
  const send = async (chatId: string, msgType: string, content: unknown) => {
    const data = await openApi('/open-apis/im/v1/messages?receive_id_type=chat_id', {
      receive_id: chatId,
      msg_type: msgType,
      content: JSON.stringify(content),
    });
    return String(data.message_id);
  };

  const onHelp = async (message: { message_id: string; chat_id: string }) => {
    await openApi(`/open-apis/im/v1/messages/${message.message_id}/reply`, {
      msg_type: 'text',
      content: JSON.stringify({ text: '督办可以做这些：\n/help 查看帮助' }),
    });
    await send(message.chat_id, 'interactive', progressCard('open'));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      const reply = (answer: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      };
      if (body.type === 'url_verification') return reply({ challenge: body.challenge });
      const type = body.header?.event_type;
      if (type === 'im.message.receive_v1') {
        reply({});
        const message = body.event.message;
        const text = String(JSON.parse(message.content).text ?? '');
        receivedTexts.push({ text, ...(message.parent_id ? { parent_id: message.parent_id } : {}) });
        if (text.includes('/help')) void onHelp(message);
        return;
      }
      if (type === 'card.action.trigger') {
        const event = body.event as CardCallback;
        callbacks.push(event);
        if (event.action.form_value !== undefined) {
          const f = event.action.form_value;
          return reply({ toast: { type: 'success', content: `已收到进度：${f.status} ${f.percent}%` } });
        }
        if (event.action.value.action === 'done') {
          return reply({
            toast: { type: 'success', content: '已标记完成' },
            card: { type: 'raw', data: progressCard('done', event.operator.open_id) },
          });
        }
        return reply({});
      }
      return reply({});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook/event`,
    callbacks,
    receivedTexts,
    send,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('the emulator web chat page', () => {
  let emulator: LarkEmulator;
  let bot: TinyBot;
  let browser: LaunchedChromium | undefined;
  const pageErrors: string[] = [];
  const ids = { zhang: '', li: '', fgw: '', kjj: '' };

  beforeAll(async () => {
    emulator = createLarkEmulator({ port: 0 });
    await emulator.start();
    bot = await startTinyBot(emulator);
    emulator.setWebhookUrl(bot.url);
    ids.zhang = emulator.addUser({ name: '张伟' }).open_id;
    ids.li = emulator.addUser({ name: '李娜' }).open_id;
    ids.fgw = emulator.createChat({ name: '市发改委', members: [ids.zhang, ids.li] }).chat_id;
    ids.kjj = emulator.createChat({ name: '市科技局', members: [ids.li] }).chat_id;
    if (lookup.path !== null) {
      browser = await launchChromium({ executablePath: lookup.path });
      browser.page.on('pageerror', (error) => pageErrors.push(error.message));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await emulator?.stop();
  });

  it('answers /help, submits a card form, and replaces the card after a button click', async (ctx) => {
    if ('error' in lookup) throw lookup.error;
    if (lookup.path === null || browser === undefined) return ctx.skip(lookup.skipReason ?? 'no chromium');
    const page: Page = browser.page;
    await page.goto(emulator.url);
    await page.locator('body[data-ready]').waitFor();

    await page.getByTestId('chat-list-item').filter({ hasText: '市发改委' }).click();
    await expect.poll(() => page.getByTestId('chat-title').textContent()).toBe('市发改委');
    await page.getByTestId('user-select').selectOption(ids.zhang);
    await page.getByTestId('composer-input').fill('@督办 /help');
    await page.getByTestId('composer-input').press('Enter');

    // The user's own message shows the mention by name, and the bot's answer arrives live.
    const mine = page.locator('[data-testid="message"][data-sender-type="user"]').last();
    await expect.poll(() => mine.getByTestId('message-text').textContent()).toBe('@督办 /help');
    const answer = page
      .locator('[data-testid="message"][data-sender-type="app"]')
      .filter({ hasText: '督办可以做这些' });
    await answer.waitFor();
    expect(await answer.getByTestId('message-quote').textContent()).toContain('@督办 /help');

    const card = page.getByTestId('card').last();
    await card.getByTestId('card-title').filter({ hasText: '本周进度' }).waitFor();
    expect(await card.getByTestId('card-header').getAttribute('data-template')).toBe('blue');
    expect(await card.locator('.md strong').first().textContent()).toBe('加快建设创新型城市');
    expect(await card.getByTestId('card-chart').locator('svg rect').count()).toBe(3);
    expect(await card.getByTestId('card-unknown').textContent()).toContain('audio');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}web-chat-card.png` });

    // A form submit without its required field is stopped in the page, then goes through once filled.
    await card.getByTestId('card-submit').click();
    await page.getByTestId('toast').filter({ hasText: '请填写必填项' }).waitFor();
    expect(bot.callbacks).toHaveLength(0);
    await card.getByTestId('card-select').selectOption('in_progress');
    await card.getByTestId('card-input').first().fill('60');
    await card.getByTestId('card-input').nth(1).fill('方案已报批\n等待市财政局意见');
    await card.getByTestId('card-submit').click();
    await page.getByTestId('toast').filter({ hasText: '已收到进度：in_progress 60%' }).waitFor();
    expect(bot.callbacks[0]?.operator.open_id).toBe(ids.zhang);
    expect(bot.callbacks[0]?.action.value).toEqual({ action: 'report', task: 't5' });
    expect(bot.callbacks[0]?.action.form_value).toEqual({
      status: 'in_progress',
      percent: '60',
      note: '方案已报批\n等待市财政局意见',
    });

    // The button's callback answer replaces the card in place.
    await card.getByTestId('card-button').filter({ hasText: '标记完成' }).click();
    await page.getByTestId('card').last().getByTestId('card-title').filter({ hasText: '已完成' }).waitFor();
    await page.getByTestId('toast').filter({ hasText: '已标记完成' }).waitFor();
    const doneCard = page.getByTestId('card').last();
    expect(await doneCard.getByTestId('card-header').getAttribute('data-template')).toBe('green');
    expect(await doneCard.textContent()).toContain('已由 @张伟 标记完成');
    expect(await doneCard.getByTestId('card-button').count()).toBe(0);
    expect(bot.callbacks[1]?.action.value).toEqual({ action: 'done', task: 't5' });

    // Replying to a message sends its id as parent_id.
    await answer.hover();
    await answer.getByTestId('message-reply').click();
    await page.getByTestId('reply-indicator').filter({ hasText: '督办可以做这些' }).waitFor();
    await page.getByTestId('composer-input').fill('收到');
    await page.getByTestId('composer-send').click();
    await page
      .locator('[data-testid="message"][data-sender-type="user"]')
      .filter({ hasText: '收到' })
      .getByTestId('message-quote')
      .waitFor();
    expect(await page.getByTestId('reply-indicator').isHidden()).toBe(true);
    const answerId = await answer.getAttribute('data-message-id');
    await expect.poll(() => bot.receivedTexts.at(-1)).toEqual({ text: '收到', parent_id: answerId });

    // A bot message in another chat shows up live as an unread mark.
    await bot.send(ids.kjj, 'text', { text: '市科技局：本周进度请于周五前提交' });
    const other = page.getByTestId('chat-list-item').filter({ hasText: '市科技局' });
    await expect.poll(() => other.getByTestId('chat-unread').textContent()).toBe('1');

    await page.screenshot({ path: `${ARTIFACTS}web-chat.png` });
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
