import { describe, expect, it } from 'vitest';
import { createHealth, type HealthOptions } from '../../src/health/health.js';

function health(overrides: Partial<HealthOptions> = {}) {
  let clock = Date.parse('2026-12-01T02:00:00Z');
  let probes = 0;
  const h = createHealth({
    pingDatabase: () => 1,
    larkLastSuccess: () => undefined,
    probeLark: async () => {
      probes += 1;
    },
    now: () => clock,
    ...overrides,
  });
  return {
    h,
    probes: () => probes,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('health report', () => {
  it('is ok when the database answers and Lark answered recently, without asking Lark again', async () => {
    const last = new Date('2026-12-01T01:59:30Z');
    const { h, probes } = health({ larkLastSuccess: () => last });
    const report = await h.report();
    expect(report).toMatchObject({
      status: 'ok',
      checks: {
        process: { status: 'ok', pid: process.pid },
        database: { status: 'ok' },
        lark: { status: 'ok', via: 'recent_call', lastSuccessAt: last.toISOString() },
      },
    });
    expect(probes()).toBe(0);
  });

  it('probes Lark when no call succeeded lately, and reuses the answer for a while', async () => {
    const { h, probes, advance } = health();
    expect((await h.report()).checks.lark).toMatchObject({ status: 'ok', via: 'probe' });
    await Promise.all([h.report(), h.report(), h.report()]);
    expect(probes()).toBe(1);
    advance(31_000);
    await h.report();
    expect(probes()).toBe(2);
  });

  it('is degraded when Lark cannot be reached, or does not answer in time', async () => {
    const refused = health({ probeLark: () => Promise.reject(new Error('ECONNREFUSED')) });
    expect(await refused.h.report()).toMatchObject({
      status: 'degraded',
      checks: { lark: { status: 'fail', error: 'ECONNREFUSED' }, database: { status: 'ok' } },
    });
    const silent = health({ probeLark: () => new Promise(() => undefined), probeTimeoutMs: 5 });
    expect((await silent.h.report()).checks.lark).toMatchObject({
      status: 'fail',
      error: expect.stringMatching(/no answer/),
    });
  });

  it('is down when the database fails, or while the bot is stopping', async () => {
    const broken = health({
      pingDatabase: () => {
        throw new Error('The database connection is not open');
      },
    });
    expect(await broken.h.report()).toMatchObject({
      status: 'down',
      checks: { database: { status: 'fail', error: 'The database connection is not open' } },
    });
    const stopping = health({ stopping: () => true });
    expect(await stopping.h.report()).toMatchObject({
      status: 'down',
      checks: { process: { status: 'fail', state: 'stopping' } },
    });
  });
});
