/**
 * Event delivery as Lark does it, over either subscription mode the app chose: a push to the bot's
 * webhook (schema 2.0 envelope, optional AES-256-CBC encryption with sha256(encryptKey),
 * X-Lark-Request-Timestamp/Nonce/Signature headers) or a data frame on the long connection
 * (long-connection.ts). Either way an event not answered 200 in time is retried on the Lark
 * schedule (15 s, 5 min, 1 h, 6 h); card callbacks are one synchronous attempt without retries.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Logger } from '../logger.js';
import { randomHex } from './state.js';

export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [15_000, 300_000, 3_600_000, 21_600_000];

/** base64(iv + AES-256-CBC(sha256(key), PKCS7)(plaintext)), the body of `{"encrypt": …}`. */
export function encryptPayload(encryptKey: string, plaintext: string, iv: Buffer = randomBytes(16)): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** sha256_hex(timestamp + nonce + encryptKey + rawBody): X-Lark-Signature. */
export function signPayload(input: {
  timestamp: string;
  nonce: string;
  encryptKey: string;
  body: string;
}): string {
  return createHash('sha256')
    .update(input.timestamp + input.nonce + input.encryptKey + input.body)
    .digest('hex');
}

interface EventEnvelope {
  schema: '2.0';
  header: {
    event_id: string;
    event_type: string;
    create_time: string;
    token: string;
    app_id: string;
    tenant_key: string;
  };
  event: Record<string, unknown>;
}

interface DeliveryAttempt {
  at: number;
  transport: TransportName;
  /** HTTP status, or null when the bot did not answer (timeout, refused, reset). */
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface DeliveryRecord {
  id: string;
  kind: 'event' | 'callback' | 'url_verification';
  event_id: string;
  event_type: string;
  state: 'pending' | 'retrying' | 'delivered' | 'failed' | 'no_webhook';
  attempts: DeliveryAttempt[];
  envelope: EventEnvelope | Record<string, unknown>;
  nextRetryAt?: number;
}

export interface PusherOptions {
  getWebhookUrl: () => string | undefined;
  /** The long connection, and whether the app subscribes through it instead of the webhook. */
  longConnection?: { transport: EventTransport; active: () => boolean };
  appId: string;
  tenantKey: string;
  verificationToken: string;
  encryptKey?: string | undefined;
  retrySchedule: readonly number[];
  ackTimeoutMs: number;
  logger: Logger;
  now: () => number;
  /** Keep at most this many delivery records (oldest dropped). */
  maxRecords?: number;
}

/** The bot's answer to one attempt: HTTP status (or the ACK's code) and body; null status = no answer. */
export interface PostResult {
  status: number | null;
  text: string;
  error?: string;
  durationMs: number;
}

export type TransportName = 'webhook' | 'websocket';

/** One way to hand the bot an envelope and read its answer. */
export interface EventTransport {
  readonly name: TransportName;
  /** Resolves (never rejects) with the answer, or null when this transport has nowhere to deliver. */
  send(envelope: unknown, timeoutMs: number): Promise<PostResult | null>;
}

export interface EventPusher {
  /** Pushes one event; `duplicates` sends the identical envelope (same event_id) that many times. */
  push(
    eventType: string,
    event: Record<string, unknown>,
    options?: { duplicates?: number; createTime?: string },
  ): DeliveryRecord[];
  /** One synchronous attempt (card callbacks): no retries; resolves with the bot's answer. */
  call(
    eventType: string,
    event: Record<string, unknown>,
    options?: { createTime?: string },
  ): Promise<{ record: DeliveryRecord; result: PostResult }>;
  verifyUrl(): Promise<{ ok: boolean; result: PostResult }>;
  records(): DeliveryRecord[];
  clearRecords(): void;
  /** Resolves when no delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;
  stop(): void;
}

/** One POST; resolves (never rejects) with the status and body, or null status and the reason. */
function send(
  agents: { http: HttpAgent; https: HttpsAgent },
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number | null; text: string; error?: string }> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: { status: number | null; text: string; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ status: null, text: '', error: `invalid webhook URL ${url}` });
      return;
    }
    const secure = target.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          finish({ status: res.statusCode ?? null, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (error) => finish({ status: null, text: '', error: error.message }));
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, text: '', error: `no answer within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ status: null, text: '', error: error.code ?? error.message }),
    );
    req.end(body);
  });
}

export function createEventPusher(options: PusherOptions): EventPusher {
  const { logger, now } = options;
  const records: DeliveryRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let busy = 0;
  let waiters: Array<() => void> = [];
  let stopped = false;
  // node:http with keep-alive: fetch (undici) tops out near 100 requests/s on 2 cores, too slow for benches.
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 256 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
  };

  const settle = (): void => {
    if (busy === 0 && timers.size === 0) {
      const current = waiters;
      waiters = [];
      for (const resolve of current) resolve();
    }
  };

  const keep = (record: DeliveryRecord): void => {
    records.push(record);
    const max = options.maxRecords ?? 10_000;
    if (records.length > max) records.splice(0, records.length - max);
  };

  const envelopeFor = (
    eventType: string,
    event: Record<string, unknown>,
    createTime?: string,
  ): EventEnvelope => ({
    schema: '2.0',
    header: {
      event_id: randomHex(16),
      event_type: eventType,
      create_time: createTime ?? String(now()),
      token: options.verificationToken,
      app_id: options.appId,
      tenant_key: options.tenantKey,
    },
    event,
  });

  async function post(url: string, payload: unknown, timeoutMs: number): Promise<PostResult> {
    const plain = JSON.stringify(payload);
    const body = options.encryptKey
      ? JSON.stringify({ encrypt: encryptPayload(options.encryptKey, plain) })
      : plain;
    const timestamp = String(Math.floor(now() / 1000));
    const nonce = randomHex(8);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Lark-Emulator/1.0',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
    };
    if (options.encryptKey) {
      headers['x-lark-signature'] = signPayload({ timestamp, nonce, encryptKey: options.encryptKey, body });
    }
    const started = performance.now();
    const result = await send(agents, url, headers, body, timeoutMs);
    return { ...result, durationMs: performance.now() - started };
  }

  const webhook: EventTransport = {
    name: 'webhook',
    async send(envelope, timeoutMs) {
      const url = options.getWebhookUrl();
      return url === undefined ? null : post(url, envelope, timeoutMs);
    },
  };
  const transport = (): EventTransport =>
    options.longConnection?.active() ? options.longConnection.transport : webhook;

  async function attempt(record: DeliveryRecord): Promise<void> {
    const via = transport();
    const at = now();
    const result = await via.send(record.envelope, options.ackTimeoutMs);
    if (result === null) {
      record.state = 'no_webhook';
      return;
    }
    record.attempts.push({
      at,
      transport: via.name,
      status: result.status,
      durationMs: Math.round(result.durationMs * 10) / 10,
      ...(result.error === undefined ? {} : { error: result.error }),
    });
    if (result.status === 200) {
      record.state = 'delivered';
      delete record.nextRetryAt;
      return;
    }
    const retryIndex = record.attempts.length - 1;
    const delay = options.retrySchedule[retryIndex];
    if (delay === undefined || stopped) {
      record.state = 'failed';
      delete record.nextRetryAt;
      logger.warn(
        { event_id: record.event_id, attempts: record.attempts.length },
        'event delivery failed for good',
      );
      return;
    }
    record.state = 'retrying';
    record.nextRetryAt = now() + delay;
    const timer = setTimeout(() => {
      timers.delete(timer);
      run(record);
    }, delay);
    timer.unref();
    timers.add(timer);
  }

  function run(record: DeliveryRecord): void {
    busy += 1;
    attempt(record)
      .catch((error: unknown) => logger.error({ err: error }, 'event delivery crashed'))
      .finally(() => {
        busy -= 1;
        settle();
      });
  }

  return {
    push(eventType, event, pushOptions = {}) {
      const envelope = envelopeFor(eventType, event, pushOptions.createTime);
      const copies = Math.max(1, pushOptions.duplicates ?? 1);
      const out: DeliveryRecord[] = [];
      for (let i = 0; i < copies; i += 1) {
        const record: DeliveryRecord = {
          id: randomHex(8),
          kind: 'event',
          event_id: envelope.header.event_id,
          event_type: eventType,
          state: 'pending',
          attempts: [],
          envelope,
        };
        keep(record);
        out.push(record);
        run(record);
      }
      return out;
    },
    async call(eventType, event, callOptions = {}) {
      const envelope = envelopeFor(eventType, event, callOptions.createTime);
      const record: DeliveryRecord = {
        id: randomHex(8),
        kind: 'callback',
        event_id: envelope.header.event_id,
        event_type: eventType,
        state: 'pending',
        attempts: [],
        envelope,
      };
      keep(record);
      busy += 1;
      try {
        const via = transport();
        const at = now();
        const result = await via.send(envelope, options.ackTimeoutMs);
        if (result === null) {
          record.state = 'no_webhook';
          return {
            record,
            result: { status: null, text: '', error: 'no webhook configured', durationMs: 0 },
          };
        }
        record.attempts.push({
          at,
          transport: via.name,
          status: result.status,
          durationMs: result.durationMs,
          ...(result.error === undefined ? {} : { error: result.error }),
        });
        record.state = result.status === 200 ? 'delivered' : 'failed';
        return { record, result };
      } finally {
        busy -= 1;
        settle();
      }
    },
    async verifyUrl() {
      const challenge = randomHex(16);
      const payload = { challenge, token: options.verificationToken, type: 'url_verification' };
      const url = options.getWebhookUrl();
      if (url === undefined) {
        return {
          ok: false,
          result: { status: null, text: '', error: 'no webhook configured', durationMs: 0 },
        };
      }
      const result = await post(url, payload, Math.max(1000, options.ackTimeoutMs));
      let echoed: unknown;
      try {
        echoed = (JSON.parse(result.text) as { challenge?: unknown }).challenge;
      } catch {
        echoed = undefined;
      }
      const ok = result.status === 200 && echoed === challenge;
      keep({
        id: randomHex(8),
        kind: 'url_verification',
        event_id: challenge,
        event_type: 'url_verification',
        state: ok ? 'delivered' : 'failed',
        attempts: [{ at: now(), transport: 'webhook', status: result.status, durationMs: result.durationMs }],
        envelope: payload,
      });
      return { ok, result };
    },
    records: () => records.slice(),
    clearRecords() {
      records.length = 0;
    },
    idle() {
      return new Promise<void>((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
    stop() {
      stopped = true;
      agents.http.destroy();
      agents.https.destroy();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      settle();
    },
  };
}
