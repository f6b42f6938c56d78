import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../../logger.js';
import type { InboundHandler } from '../../ports/chat.js';
import { deliver, normalizeEvent, toLarkCardResponse } from './normalize.js';

export interface WebhookOptions {
  /** When set, Lark encrypts bodies and signs requests; the signature is checked on the raw body. */
  encryptKey?: string | undefined;
  /** Checked against the envelope's token when no encrypt key is set (the only proof of origin then). */
  verificationToken: string;
  onEvent: InboundHandler;
  logger: Logger;
  /** Only this path is served (query strings ignored); others get 404. Omit to serve every path. */
  path?: string | undefined;
  /** The bot's open_id, so its own @-mention is recognised (see normalizeEvent). */
  botOpenId?: string | undefined;
  /** Lark waits 3 s; answer before that even when the bot is slow. */
  answerTimeoutMs?: number;
  /** Larger bodies are refused with 413 (Lark's events are a few KB). */
  maxBodyBytes?: number;
  /**
   * Signed requests stamped further than this from `now` are refused as replays. Lark stamps and signs
   * every delivery attempt afresh, retries included, so only a replayed or forged request is stale.
   */
  timestampToleranceMs?: number;
  /** The wall clock the replay window reads (ms since the epoch); injectable for tests and simulations. */
  now?: () => number;
}

/**
 * Lark's docs give no freshness window for X-Lark-Request-Timestamp and the SDK checks none
 * (/work/shared/LARK.md §3.3: "The timestamp is not checked for freshness, so there is no replay
 * window"). ±5 minutes is the common webhook convention (e.g. Svix rejects deliveries "more than five
 * minutes away (past or future)", https://docs.svix.com/receiving/verifying-payloads/why), and wide
 * enough for a server clock kept by NTP.
 */
export const DEFAULT_TIMESTAMP_TOLERANCE_MS = 5 * 60_000;

/**
 * An encrypted url_verification ({"challenge","token","type"}) is a few hundred bytes. Only a body this
 * small may be decrypted without a signature, and only to answer the challenge.
 */
const MAX_UNSIGNED_CHALLENGE_CHARS = 1024;

export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Lark's AES key: sha256(encryptKey), derived once per handler rather than per request. */
function larkAesKey(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey).digest();
}

/** Lark's scheme: body = base64(iv ‖ AES-256-CBC(plaintext)) under larkAesKey. */
function decryptLarkBody(encrypted: string, key: Buffer): string {
  const buf = Buffer.from(encrypted, 'base64');
  if (buf.length < 32) throw new Error('encrypted body too short');
  const decipher = createDecipheriv('aes-256-cbc', key, buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

/** sha256_hex(timestamp + nonce + encryptKey + rawBody), as Lark signs event requests. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey, 'utf8')
    .update(rawBody)
    .digest('hex');
}

/**
 * Compares secrets in constant time. Both sides are hashed first so that neither the length nor the
 * position of the first difference shows in the timing (timingSafeEqual needs equal lengths).
 */
function safeEqual(a: string, b: string): boolean {
  const x = createHash('sha256').update(a, 'utf8').digest();
  const y = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(x, y) && a.length === b.length;
}

const SIGNATURE_CHARS = 64;

/**
 * Compares X-Lark-Signature with the expected sha256 hex in constant time. Its length is public (every
 * sha256 hex is 64 characters), so a signature of another length is refused at once and the others
 * are compared as they are, without hashing both sides as safeEqual must for a secret of any length.
 */
function signatureMatches(expectedHex: string, given: string): boolean {
  if (given.length !== SIGNATURE_CHARS) return false;
  const x = Buffer.from(expectedHex, 'utf8');
  const y = Buffer.from(given.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.writableEnded) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

class BodyTooLarge extends Error {}

function refuseSignature(
  log: Logger,
  res: ServerResponse,
  detail: { remote: string | undefined; signed: boolean },
  why: string,
): void {
  log.warn(detail, `refused a webhook request with a ${why} X-Lark-Signature`);
  send(res, 401, { error: 'invalid signature' });
}

function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface Envelope {
  schema?: unknown;
  type?: unknown;
  challenge?: unknown;
  token?: unknown;
  header?: { event_id?: unknown; event_type?: unknown; token?: unknown };
  event?: unknown;
  encrypt?: unknown;
}

/**
 * The webhook transport as a plain node:http listener, so the composition root can mount it on
 * any server. It verifies on the RAW body (re-serialising parsed JSON can change bytes), answers
 * Lark's url_verification, and hands normalized events to `onEvent`.
 */
export function createWebhookHandler(options: WebhookOptions): WebhookHandler {
  const log = options.logger.child({ component: 'lark-webhook' });
  const encryptKey = options.encryptKey === '' ? undefined : options.encryptKey;
  const aesKey = encryptKey === undefined ? undefined : larkAesKey(encryptKey);
  const answerTimeoutMs = options.answerTimeoutMs ?? 2500;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const toleranceMs = options.timestampToleranceMs ?? DEFAULT_TIMESTAMP_TOLERANCE_MS;
  const now = options.now ?? Date.now;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (options.path !== undefined) {
      const pathname = (req.url ?? '').split('?')[0];
      if (pathname !== options.path) {
        send(res, 404, { error: 'not found' });
        return;
      }
    }
    if (req.method !== 'POST') {
      send(res, 405, { error: 'method not allowed' });
      return;
    }
    let raw: Buffer;
    try {
      raw = await readRawBody(req, maxBodyBytes);
    } catch (e) {
      if (e instanceof BodyTooLarge) {
        log.warn({ limit: maxBodyBytes }, 'refused a webhook body over the size limit');
        send(res, 413, { error: 'body too large' });
      } else {
        send(res, 400, { error: 'unreadable body' });
      }
      return;
    }
    const remote = req.socket.remoteAddress;

    let outer: Envelope;
    try {
      outer = JSON.parse(raw.toString('utf8')) as Envelope;
      if (typeof outer !== 'object' || outer === null) throw new Error('not an object');
    } catch {
      log.warn({ remote }, 'refused a webhook body that is not a JSON object');
      send(res, 400, { error: 'invalid JSON' });
      return;
    }

    const timestamp = header(req, 'x-lark-request-timestamp');
    const nonce = header(req, 'x-lark-request-nonce');
    const signature = header(req, 'x-lark-signature');
    const signed = timestamp !== undefined && nonce !== undefined && signature !== undefined;

    // With an encrypt key, the signature (and its timestamp) is checked before anything is decrypted.
    if (encryptKey !== undefined) {
      if (signed) {
        const expected = larkSignature(timestamp, nonce, encryptKey, raw);
        if (!signatureMatches(expected, signature)) {
          refuseSignature(log, res, { remote, signed }, 'forged');
          return;
        }
        const stampedMs = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN;
        if (!(Math.abs(now() - stampedMs) <= toleranceMs)) {
          log.warn(
            { remote, timestamp, toleranceMs },
            'refused a signed webhook request whose X-Lark-Request-Timestamp is outside the replay window (check the server clock if Lark itself is refused)',
          );
          send(res, 401, { error: 'stale timestamp' });
          return;
        }
      } else if (typeof outer.encrypt !== 'string' || outer.encrypt.length > MAX_UNSIGNED_CHALLENGE_CHARS) {
        refuseSignature(log, res, { remote, signed }, 'missing');
        return;
      }
    }

    let body: Envelope = outer;
    if (typeof outer.encrypt === 'string') {
      if (aesKey === undefined) {
        log.warn(
          { remote },
          'refused an encrypted webhook body: no encrypt key is configured (set LARK_ENCRYPT_KEY)',
        );
        send(res, 400, { error: 'encrypted body but no encrypt key configured' });
        return;
      }
      try {
        body = JSON.parse(decryptLarkBody(outer.encrypt, aesKey)) as Envelope;
        if (typeof body !== 'object' || body === null) throw new Error('not an object');
      } catch {
        log.warn({ remote }, 'refused a webhook body that does not decrypt with the configured encrypt key');
        send(res, 401, { error: 'cannot decrypt' });
        return;
      }
    }

    const isChallenge = body.type === 'url_verification';
    if (encryptKey !== undefined) {
      // Only the url_verification may come unsigned: that it decrypted with our key is its proof.
      if (!signed && !(isChallenge && typeof outer.encrypt === 'string')) {
        refuseSignature(log, res, { remote, signed }, 'missing');
        return;
      }
    } else {
      const token = isChallenge ? body.token : (body.header?.token ?? body.token);
      if (typeof token !== 'string' || !safeEqual(token, options.verificationToken)) {
        log.warn(
          { remote, eventType: body.header?.event_type, eventId: body.header?.event_id },
          'refused a webhook request with a wrong verification token',
        );
        send(res, 401, { error: 'invalid verification token' });
        return;
      }
    }

    if (isChallenge) {
      if (typeof body.challenge !== 'string') {
        send(res, 400, { error: 'challenge missing' });
        return;
      }
      log.info('answered Lark url_verification');
      send(res, 200, { challenge: body.challenge });
      return;
    }

    if (body.schema !== '2.0' || typeof body.header !== 'object' || body.header === null) {
      log.warn({ remote }, 'dropping a webhook event that is not a schema 2.0 envelope');
      send(res, 200, {});
      return;
    }
    const eventType = typeof body.header.event_type === 'string' ? body.header.event_type : undefined;
    const eventId = typeof body.header.event_id === 'string' ? body.header.event_id : undefined;
    const event = normalizeEvent(
      { eventType, eventId, event: body.event },
      { botOpenId: options.botOpenId, logger: log },
    );
    if (event === null) {
      send(res, 200, {});
      return;
    }
    // Record, acknowledge, work: the bot resolves once the event is recorded and works it afterwards.
    // An event it could not record is not acknowledged (Lark retries on anything but 200 in 3 s).
    const outcome = await deliver(event, options.onEvent, log, answerTimeoutMs);
    if (!outcome.recorded) {
      send(res, 503, { error: 'event not recorded; deliver it again' });
      return;
    }
    send(res, 200, event.type === 'card_action' ? toLarkCardResponse(outcome.answer) : {});
  }

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: error }, 'webhook handler failed');
      send(res, 500, { error: 'internal error' });
    });
  };
}

export interface WebhookServerTimeouts {
  /** A client must finish sending its headers within this (slowloris). */
  headersTimeoutMs?: number;
  /** A client must finish sending the whole request within this. */
  requestTimeoutMs?: number;
  /** How often Node looks for connections past those limits (its default, 30 s, makes them coarse). */
  checkIntervalMs?: number;
}

/**
 * The HTTP server for the webhook, with limits beside the body cap: Lark connects within 2 s and
 * gives up after 3 s (/work/shared/LARK.md §3.4), so a client still sending headers after 5 s, or a
 * request after 10 s, is not Lark and only holds a socket.
 */
export function createWebhookServer(handler: WebhookHandler, timeouts: WebhookServerTimeouts = {}): Server {
  return createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs ?? 5_000,
      requestTimeout: timeouts.requestTimeoutMs ?? 10_000,
      connectionsCheckingInterval: timeouts.checkIntervalMs ?? 1_000,
    },
    handler,
  );
}
