import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../helpers/cli.js';

async function cli(argv: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await runCliCaptured(argv, {
    env,
    now: () => new Date('2026-12-20T02:00:00Z'),
  });
  return { code, stdout, stderr };
}

describe('duban reply-parse', () => {
  it('prints the reading as one JSON object with exactly the documented keys', async () => {
    const run = await cli(['reply-parse', '第3条已完成70%，预计6月底完成，需市财政局配合', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toStrictEqual({
      status: 'in_progress',
      percent: 70,
      eta: '2027-06-30',
      blockers: ['需市财政局配合'],
      agencies: ['市财政局'],
      article: 3,
      confidence: 'high',
    });
  });

  it('reads relative to --now, a day in Shanghai', async () => {
    const run = await cli(['reply-parse', '一季度完成', '--now', '2026-03-02', '--json']);
    expect(JSON.parse(run.stdout)).toMatchObject({ eta: '2026-03-31', status: null, confidence: 'low' });
  });

  it('leaves the --agency out of the agencies named', async () => {
    const run = await cli([
      'reply-parse',
      '已完成，需市科技局、市财政局配合',
      '--agency',
      '广州市科技局',
      '--json',
    ]);
    expect(JSON.parse(run.stdout).agencies).toEqual(['市财政局']);
  });

  it('prints one human line through the catalog, in English when asked', async () => {
    const zh = await cli(['reply-parse', '第13条 完成']);
    expect(zh.stdout).toBe('第13条 · 已完成 · 把握：高\n');
    const en = await cli(['reply-parse', '没有进展', '--lang', 'en-US']);
    expect(en.stdout).toBe('no article named · no change · confidence: low (says nothing changed)\n');
    // DUBAN_LOCALE sets the default; --lang wins over it.
    const env = await cli(['reply-parse', '没有进展'], { DUBAN_LOCALE: 'en-US' });
    expect(env.stdout).toBe(en.stdout);
    const back = await cli(['reply-parse', '第13条 完成', '--lang', 'zh-CN'], { DUBAN_LOCALE: 'en-US' });
    expect(back.stdout).toBe(zh.stdout);
    const json = await cli(['reply-parse', '第13条 完成', '--json']);
    expect((await cli(['reply-parse', '第13条 完成', '--json', '--lang', 'en-US'])).stdout).toBe(json.stdout);
  });

  it('refuses an unknown agency and a malformed day', async () => {
    const agency = await cli(['reply-parse', '已完成', '--agency', '火星局']);
    expect(agency.code).toBe(1);
    expect(agency.stderr).toContain('Unknown agency "火星局"');
    const day = await cli(['reply-parse', '已完成', '--now', '2026-02-30']);
    expect(day.code).toBe(2);
    expect(day.stderr).toContain('YYYY-MM-DD');
  });
});
