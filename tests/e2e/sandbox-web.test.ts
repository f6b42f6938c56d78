// The sandbox as `npm start` runs it (real bot, real chat adapter, Lark emulator), driven through the
// web chat page in Debian's chromium: /help answers in the coordinators' group, and the onboarding card
// of the unbound group binds it to an agency and turns into the "bound" card; a DM answers /help too.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp, type StartedApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { defaultScheduleSettings } from '../../src/config/schedule.js';
import { createFixedClock } from '../../src/core/clock.js';
import { createWorkingCalendar } from '../../src/core/cycles/china-calendar.js';
import { silentLogger } from '../../src/logger.js';
import { SANDBOX_CHATS, SANDBOX_PEOPLE } from '../../src/sandbox.js';
import { runPromptCycle } from '../../src/usecases/prompt-cycle.js';
import { createRepositories } from '../../src/usecases/repositories.js';
import { type LaunchedChromium, launchChromium, locateChromium } from '../helpers/chromium.js';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));

const lookup = (() => {
  try {
    return locateChromium();
  } catch (error) {
    return { path: null, skipReason: null, error: error as Error };
  }
})();

describe('the sandbox in a browser', () => {
  let dir: string;
  let app: App | undefined;
  let started: StartedApp;
  let browser: LaunchedChromium | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (lookup.path === null) return;
    dir = mkdtempSync(join(tmpdir(), 'duban-sandbox-web-'));
    // A controlled environment: no LARK_* from the outside may switch the app to a real tenant.
    const config = loadConfig({
      env: { DUBAN_DB_PATH: join(dir, 'duban.sqlite'), DUBAN_SANDBOX_PORT: '0', DUBAN_LOG_LEVEL: 'silent' },
    });
    // A Sunday evening in Shanghai: no scheduled prompt is due while the test clicks around.
    app = createApp({ config, logger: silentLogger, clock: createFixedClock('2026-11-29T14:00:00Z') });
    started = await app.start();
    browser = await launchChromium({ executablePath: lookup.path });
    browser.page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers /help from the real bot in a group and a DM, and binds the unbound group from its onboarding card', async (ctx) => {
    if ('error' in lookup) throw lookup.error;
    if (lookup.path === null || browser === undefined) return ctx.skip(lookup.skipReason ?? 'no chromium');
    const { page } = browser;
    expect(started.pageUrl).toBeDefined();
    await page.goto(started.pageUrl ?? '');
    await page.locator('body[data-ready]').waitFor();

    await page.getByTestId('chat-list-item').filter({ hasText: SANDBOX_CHATS.coordinators }).click();
    await page.getByTestId('user-select').selectOption(SANDBOX_PEOPLE.coordinator.openId);
    await page.getByTestId('composer-input').fill('@督办 /help');
    await page.getByTestId('composer-input').press('Enter');
    const help = page
      .locator('[data-testid="message"][data-sender-type="app"]')
      .filter({ has: page.getByTestId('card-title').filter({ hasText: '使用说明' }) });
    await help.waitFor();
    expect(await help.textContent()).toContain('/help');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}sandbox-help.png` });

    // The unbound group got the onboarding card when the bot joined it.
    await page.getByTestId('chat-list-item').filter({ hasText: SANDBOX_CHATS.unbound }).click();
    await page.getByTestId('user-select').selectOption(SANDBOX_PEOPLE.coordinator.openId);
    const card = page.getByTestId('card').last();
    await card.getByTestId('card-title').filter({ hasText: '督办助手已加入本群' }).waitFor();
    await page.screenshot({ path: `${ARTIFACTS}sandbox-onboarding.png` });

    // Submitting without an agency: the bot's warning toast, the card unchanged.
    await card.getByTestId('card-submit').click();
    await page.getByTestId('toast').filter({ hasText: '请先选择一个单位' }).waitFor();
    expect(await card.getByTestId('card-title').textContent()).toContain('督办助手已加入本群');

    const select = card.getByTestId('card-select');
    const agency = (await select.locator('option').nth(1).textContent()) ?? '';
    await select.selectOption({ index: 1 });
    await card.getByTestId('card-submit').click();
    // Every sandbox agency already has a group: the bot names what would change and asks first.
    await card.getByTestId('card-title').filter({ hasText: '确认更改绑定' }).waitFor();
    expect(await card.textContent()).toContain(`「${agency}」目前绑定在另一个群`);
    await page.screenshot({ path: `${ARTIFACTS}sandbox-bind-confirm.png` });
    await card.getByTestId('card-button').filter({ hasText: '确认更改' }).click();
    const bound = page.getByTestId('card').last();
    await bound.getByTestId('card-title').filter({ hasText: '本群已完成绑定' }).waitFor();
    expect(await bound.getByTestId('card-header').getAttribute('data-template')).toBe('green');
    expect(await bound.textContent()).toContain(agency);
    await page.getByTestId('toast').filter({ hasText: agency }).waitFor();

    await page.screenshot({ path: `${ARTIFACTS}sandbox-web-chat.png` });

    // A direct chat with the bot: no @ needed there.
    await page.getByTestId('open-p2p').click();
    await expect
      .poll(() => page.getByTestId('chat-title').textContent())
      .toBe(SANDBOX_PEOPLE.coordinator.name);
    await page.getByTestId('composer-input').fill('/help');
    await page.getByTestId('composer-send').click();
    await page
      .locator('[data-testid="message"][data-sender-type="app"]')
      .filter({ has: page.getByTestId('card-title').filter({ hasText: '使用说明' }) })
      .waitFor();
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it("shows the weekly prompt as one compact card, opens a task's labelled form from 报送 and keeps the report after a reload", async (ctx) => {
    if ('error' in lookup) throw lookup.error;
    if (lookup.path === null || browser === undefined) return ctx.skip(lookup.skipReason ?? 'no chromium');
    const { page } = browser;
    const repos = createRepositories(started.db);
    const agency = repos.agencies.findAgency('市科技局');
    const official = repos.people.listPeople({ role: 'official' }).find((p) => p.agency === '市科技局');
    if (!agency?.chatId || !official) throw new Error('the sandbox has no 市科技局 group or official');
    await runPromptCycle(
      {
        db: started.db,
        chat: started.chat,
        settings: defaultScheduleSettings(),
        calendar: createWorkingCalendar(),
      },
      { now: new Date('2026-11-27T06:00:00Z'), agency: '市科技局', settleTimeoutMs: 10_000 },
    );
    const chats = (await (await fetch(`${started.emulator?.url}/_emulator/chats`)).json()) as {
      chat_id: string;
      name: string;
    }[];
    const chatName = chats.find((c) => c.chat_id === agency.chatId)?.name ?? '';
    await page.goto(started.pageUrl ?? '');
    await page.locator('body[data-ready]').waitFor();
    await page.getByTestId('chat-list-item').filter({ hasText: chatName }).click();
    await page.getByTestId('user-select').selectOption(official.openId);
    const card = page
      .getByTestId('card')
      .filter({ has: page.getByTestId('card-title').filter({ hasText: '督办提醒' }) });
    await card.waitFor();
    expect(await card.count()).toBe(1);
    expect(await card.getByTestId('card-form').count()).toBe(0);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}sandbox-prompt-card.png`, fullPage: true });

    await card.getByTestId('card-button').filter({ hasText: '报送' }).first().click();
    const form = card.getByTestId('card-form');
    await form.waitFor();
    expect(await form.textContent()).toContain('状态');
    expect(await form.textContent()).toContain('完成比例（0–100）');
    await form.getByTestId('card-input').first().fill('70');
    await page.screenshot({ path: `${ARTIFACTS}sandbox-prompt-form.png`, fullPage: true });
    await form.getByTestId('card-submit').click();
    await page.getByTestId('toast').filter({ hasText: '已记录' }).waitFor();
    await expect.poll(() => card.textContent()).toContain('上次报送：进行中 70%');
    expect(await card.getByTestId('card-form').count()).toBe(0);
    await page.screenshot({ path: `${ARTIFACTS}sandbox-prompt-recorded.png`, fullPage: true });

    await page.reload();
    await page.locator('body[data-ready]').waitFor();
    await page.getByTestId('chat-list-item').filter({ hasText: chatName }).click();
    await expect.poll(() => card.textContent()).toContain('上次报送：进行中 70%');
    expect(await card.textContent()).toContain('✅ 已记录');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
