/**
 * `GET /healthz`: is the process up, does the database answer, can Lark be reached. One JSON shape
 * for people and for orchestrators:
 *   {"status":"ok"|"degraded"|"down","checks":{"process":{…},"database":{…},"lark":{…}}}
 * `down` (the database fails, or the bot is stopping) answers 503 so a load balancer or systemd
 * watchdog acts; `degraded` (Lark unreachable) answers 200, because restarting Duban does not bring
 * Lark back, and the outbox keeps what could not be sent.
 *
 * Lark is not asked on every check: a successful API call in the last `freshMs` is proof enough, and
 * a probe's answer is kept for `cacheMs`, so a health check every second costs Lark nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export type CheckStatus = 'ok' | 'fail';
export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface CheckResult {
  status: CheckStatus;
  [detail: string]: unknown;
}

export interface HealthReport {
  status: HealthStatus;
  checks: { process: CheckResult; database: CheckResult; lark: CheckResult };
}

export interface HealthOptions {
  /** Throws when the database does not answer. */
  pingDatabase: () => unknown;
  /** When Lark last answered a call; undefined if never. */
  larkLastSuccess: () => Date | undefined;
  /** One cheap Lark call (e.g. the bot's identity); rejects when Lark cannot be reached. */
  probeLark: () => Promise<unknown>;
  /** True once shutdown began: the process is going away, traffic should go elsewhere. */
  stopping?: () => boolean;
  now?: () => number;
  /** A Lark answer younger than this needs no probe. Default 60 s. */
  freshMs?: number;
  /** How long a probe's answer is reused. Default 30 s. */
  cacheMs?: number;
  /** A probe slower than this counts as unreachable. Default 2 s. */
  probeTimeoutMs?: number;
}

export interface Health {
  report(): Promise<HealthReport>;
  /** Serves `GET /healthz` (and HEAD); returns false for any other request, left to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createHealth(options: HealthOptions): Health {
  const now = options.now ?? Date.now;
  const freshMs = options.freshMs ?? 60_000;
  const cacheMs = options.cacheMs ?? 30_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 2000;
  const startedAt = now();
  let cached: { at: number; result: CheckResult } | undefined;
  let probing: Promise<CheckResult> | undefined;

  const checkDatabase = (): CheckResult => {
    try {
      options.pingDatabase();
      return { status: 'ok' };
    } catch (error) {
      return { status: 'fail', error: error instanceof Error ? error.message : String(error) };
    }
  };

  const probe = async (): Promise<CheckResult> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        options.probeLark(),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer within ${probeTimeoutMs} ms`)),
            probeTimeoutMs,
          );
        }),
      ]);
      return { status: 'ok', via: 'probe', checkedAt: new Date(now()).toISOString() };
    } catch (error) {
      return {
        status: 'fail',
        via: 'probe',
        checkedAt: new Date(now()).toISOString(),
        error: error instanceof Error ? error.message : String(error),
      };
    } finally {
      clearTimeout(timer);
    }
  };

  const checkLark = async (): Promise<CheckResult> => {
    const last = options.larkLastSuccess();
    if (last !== undefined && now() - last.getTime() < freshMs) {
      return { status: 'ok', via: 'recent_call', lastSuccessAt: last.toISOString() };
    }
    if (cached !== undefined && now() - cached.at < cacheMs) return cached.result;
    // One probe at a time, however many checks arrive together.
    probing ??= probe().then((result) => {
      cached = { at: now(), result };
      probing = undefined;
      return result;
    });
    return probing;
  };

  const report = async (): Promise<HealthReport> => {
    const stopping = options.stopping?.() === true;
    const process_: CheckResult = {
      status: stopping ? 'fail' : 'ok',
      pid: process.pid,
      uptimeSeconds: Math.round((now() - startedAt) / 1000),
      ...(stopping ? { state: 'stopping' } : {}),
    };
    const database = checkDatabase();
    const lark = await checkLark();
    const status: HealthStatus =
      process_.status === 'fail' || database.status === 'fail'
        ? 'down'
        : lark.status === 'fail'
          ? 'degraded'
          : 'ok';
    return { status, checks: { process: process_, database, lark } };
  };

  return {
    report,
    handle(req, res) {
      const path = (req.url ?? '').split('?')[0];
      if (path !== '/healthz') return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return true;
      }
      void report().then(
        (body) => {
          const text = JSON.stringify(body);
          res.writeHead(body.status === 'down' ? 503 : 200, {
            'Content-Type': 'application/json; charset=utf-8',
            'Cache-Control': 'no-store',
            'Content-Length': Buffer.byteLength(text),
          });
          res.end(req.method === 'HEAD' ? undefined : text);
        },
        () => {
          res.writeHead(503).end();
        },
      );
      return true;
    },
  };
}
