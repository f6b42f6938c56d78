import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../src/config/index.js';
import { DubanError } from '../../src/core/errors.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ env });
  } catch (error) {
    if (error instanceof DubanError) return (error.details?.problems as string[]) ?? [];
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs the sandbox with defaults when no Lark credentials are set', () => {
    const config = loadConfig({ env: {} });
    expect(config.mode).toBe('sandbox');
    expect(config.sandbox).toEqual({
      host: '127.0.0.1',
      port: 3000,
      groupMessages: true,
      transport: 'websocket',
    });
    expect(loadConfig({ env: { DUBAN_SANDBOX_GROUP_MSG: 'false' } }).sandbox.groupMessages).toBe(false);
    expect(loadConfig({ env: { LARK_TRANSPORT: 'webhook' } }).sandbox.transport).toBe('webhook');
    expect(config.dbPath).toBe(`${projectRoot}/db/sandbox.sqlite`);
    expect(config.lark).toBeUndefined();
  });

  it('gives the sandbox its own database file by default, and a tenant db/duban.sqlite', () => {
    const tenant = loadConfig({ env: { LARK_APP_ID: 'cli_a1b2c3d4e5f60708', LARK_APP_SECRET: 's' } });
    expect(tenant.dbPath).toBe(`${projectRoot}/db/duban.sqlite`);
    expect(tenant.dbPathFromEnv).toBe(false);
    const named = loadConfig({ env: { DUBAN_DB_PATH: 'db/other.sqlite' } });
    expect(named.dbPath).toBe(`${projectRoot}/db/other.sqlite`);
    expect(named.dbPathFromEnv).toBe(true);
  });

  it('honours DUBAN_DB_PATH and DUBAN_SANDBOX_PORT', () => {
    const config = loadConfig({ env: { DUBAN_DB_PATH: '/tmp/x.sqlite', DUBAN_SANDBOX_PORT: '4100' } });
    expect(config.dbPath).toBe('/tmp/x.sqlite');
    expect(config.sandbox.port).toBe(4100);
  });

  it('connects to Lark with a long connection when credentials are set', () => {
    const config = loadConfig({ env: { LARK_APP_ID: 'cli_a1b2c3d4e5f60708', LARK_APP_SECRET: 's' } });
    expect(config.mode).toBe('lark');
    expect(config.lark).toMatchObject({ domain: 'https://open.feishu.cn', transport: 'websocket' });
  });

  it('names every bad setting with what to do about it', () => {
    const problems = problemsOf({
      DUBAN_SANDBOX_PORT: 'abc',
      LARK_TRANSPORT: 'pigeon',
      DUBAN_LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(3);
    expect(problems.find((p) => p.startsWith('DUBAN_SANDBOX_PORT:'))).toContain('To fix:');
    expect(problems.find((p) => p.startsWith('LARK_TRANSPORT:'))).toContain('websocket');
  });

  it('refuses half a set of credentials', () => {
    expect(problemsOf({ LARK_APP_ID: 'cli_x' })[0]).toMatch(/^LARK_APP_SECRET: .*To fix/);
  });

  it('refuses an unauthenticated webhook', () => {
    const problems = problemsOf({ LARK_APP_ID: 'cli_x', LARK_APP_SECRET: 's', LARK_TRANSPORT: 'webhook' });
    expect(problems[0]).toMatch(/^LARK_VERIFICATION_TOKEN:/);
  });
});

describe('people granted a role at start-up', () => {
  it('reads comma-separated open_ids for coordinators and leaders', () => {
    const config = loadConfig({ env: { DUBAN_COORDINATORS: 'ou_a1, ou_b2', DUBAN_LEADERS: 'ou_c3' } });
    expect(config.people).toEqual({ coordinators: ['ou_a1', 'ou_b2'], leaders: ['ou_c3'] });
  });

  it('refuses something that is not an open_id', () => {
    expect(problemsOf({ DUBAN_COORDINATORS: 'ou_a1,zhangsan' })[0]).toMatch(
      /^DUBAN_COORDINATORS: "zhangsan"/,
    );
  });
});
