/**
 * Lark's long connection ("使用长连接接收事件/回调"), as the SDK's `WSClient` speaks it
 * (node_modules/@larksuiteoapi/node-sdk/lib/index.js, class WSClient; LARK.md §5):
 *
 * 1. Endpoint discovery: `POST /callback/ws/endpoint` with `{"AppID","AppSecret"}` answers
 *    `{"code":0,"data":{"URL":"ws://…/ws/v2?…&device_id=…&service_id=…&ticket=…","ClientConfig":{…}}}`.
 * 2. The client opens a WebSocket to that URL. Frames are protobuf `pbbp2.Frame` (pbbp2.ts).
 * 3. The client pings (a control frame, `type: ping`) at once and every PingInterval; the server
 *    answers `type: pong` whose payload is the ClientConfig again.
 * 4. Events and card callbacks come down as data frames (`type: event`, `message_id`, `sum`, `seq`,
 *    `trace_id`; a large payload split into `sum` parts); the client answers each with the same frame,
 *    an extra `biz_rt` header and the payload `{"code":200}`, or `{"code":200,"data":base64(JSON)}`
 *    when the handler returned something: that is how a card callback's toast and card come back.
 *    Anything else (no ACK within the time limit, code 500, the socket gone) is a failed attempt,
 *    and push.ts retries events on Lark's schedule.
 * 5. Cluster mode: with several clients each event goes to ONE of them, at random; at most 50
 *    connections per app (DOC https://open.feishu.cn/document/server-docs/event-subscription-guide/
 *    event-subscription-configure-/request-url-configuration-case, LARK.md §5).
 * The SDK listens for frames only once its 'open' handler's promise has settled, so a frame that
 * arrives with the handshake can be dropped on the client; unacknowledged, it is retried, as with Lark.
 * Faults for tests: drop every connection (the SDK reconnects by itself), drop right after the next
 * event frame so its ACK is lost (Lark then delivers it again), and an outage that refuses reconnects.
 */
import { randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';
import { decodeFrame, encodeFrame, FRAME_METHOD, type Frame, headersOf } from './pbbp2.js';
import type { EventTransport, PostResult } from './push.js';
import { randomHex } from './state.js';
import { acceptWebSocket, type ServerSocket } from './websocket.js';

/** What the endpoint and every pong tell the client; seconds (the SDK multiplies by 1000). */
export interface WsClientConfig {
  PingInterval: number;
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
}

/** Lark's values (LARK.md §5, VERIFIED against ws.js): ping every 2 min, retry forever. */
export const DEFAULT_WS_CLIENT_CONFIG: WsClientConfig = {
  PingInterval: 120,
  ReconnectCount: -1,
  ReconnectInterval: 120,
  ReconnectNonce: 30,
};

/**
 * Endpoint codes, from the SDK's `ErrorCode` enum (node-sdk lib/index.js: ok 0, system_busy 1,
 * forbidden 403, auth_failed 514, internal_error 1000040343, exceed_conn_limit 1000040350). Every
 * non-zero code except 1000040343 makes the SDK give up for good and call onError.
 */
const ENDPOINT_CODE = { authFailed: 514, exceedConnLimit: 1000040350 } as const;

/** "每个应用最多建立 50 个连接" (LARK.md §5). */
const MAX_CONNECTIONS = 50;
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
export const LONG_CONNECTION_PATH = '/ws/v2';

export interface LongConnectionView {
  conn_id: string;
  device_id: string;
  connected_at: number;
  /** Pings answered with a pong on this connection. */
  pings: number;
  /** Event and callback frames sent on it, and ACKs received. */
  frames_sent: number;
  acks: number;
}

export interface LongConnectionHubOptions {
  appId: string;
  appSecret: string;
  clientConfig: WsClientConfig;
  /** Split an event's JSON into parts of at most this many bytes (`sum`/`seq`); 0 = never split. */
  fragmentBytes: number;
  logger: Logger;
  now: () => number;
  random: () => number;
}

export interface LongConnectionHub {
  /** Answers `POST /callback/ws/endpoint`; `wsBase` is the emulator's `ws://host:port`. */
  endpoint(body: Buffer, wsBase: string): { status: number; body: unknown };
  /** Takes an HTTP upgrade to LONG_CONNECTION_PATH. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  readonly transport: EventTransport;
  connections(): LongConnectionView[];
  /**
   * Cuts every open connection without a close frame. With `beforeAck`, each connection is cut
   * instead right after its next event frame is sent, so the client handles it but its ACK is lost.
   */
  drop(options?: { beforeAck?: boolean }): number;
  /** While down, connections are cut and the endpoint and new connections are refused (HTTP 503). */
  setOutage(down: boolean): void;
  stop(): void;
}

interface Connection {
  view: LongConnectionView;
  socket: ServerSocket;
  serviceId: number;
  cutBeforeAck: boolean;
  /** message_id → resolves the attempt waiting for its ACK. */
  pending: Map<string, (result: Omit<PostResult, 'durationMs'>) => void>;
}

export function createLongConnectionHub(options: LongConnectionHubOptions): LongConnectionHub {
  const { logger, now, random } = options;
  // Identifiers from node:crypto, so that an injected `random` (tests, the simulation) draws only for
  // the choices Lark makes at random: which connection gets an event.
  const serviceId = randomInt(1, 0x7ffffff);
  const tickets = new Map<string, { deviceId: string }>();
  const connections = new Map<string, Connection>();
  /** Every upgraded socket until it is fully closed, so that stop() leaves none behind. */
  const sockets = new Set<Duplex>();
  let outage = false;
  let frameSeq = 0;

  const clientConfig = (): WsClientConfig => ({ ...options.clientConfig });

  const send = (connection: Connection, frame: Frame): boolean => connection.socket.send(encodeFrame(frame));

  const onFrame = (connection: Connection, data: Buffer): void => {
    let frame: Frame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      // The SDK's decoder refuses such a frame too (protobufjs ProtocolError); the server hangs up.
      logger.warn({ err: error }, 'long connection: undecodable frame; closing');
      connection.socket.close(1007, 'invalid frame');
      return;
    }
    const headers = headersOf(frame);
    if (frame.method === FRAME_METHOD.control) {
      if (headers.get('type') !== 'ping') return;
      connection.view.pings += 1;
      send(connection, {
        SeqID: 0,
        LogID: 0,
        service: connection.serviceId,
        method: FRAME_METHOD.control,
        headers: [{ key: 'type', value: 'pong' }],
        payload: Buffer.from(JSON.stringify(clientConfig())),
      });
      return;
    }
    if (frame.method !== FRAME_METHOD.data) return;
    const messageId = headers.get('message_id') ?? '';
    const resolve = connection.pending.get(messageId);
    if (resolve === undefined) return; // an ACK for nothing we wait on (late, or for a cut attempt)
    connection.pending.delete(messageId);
    connection.view.acks += 1;
    let ack: unknown;
    try {
      ack = JSON.parse((frame.payload ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      resolve({ status: null, text: '', error: 'the ACK payload is not JSON' });
      return;
    }
    const code = (ack as { code?: unknown }).code;
    const answer = (ack as { data?: unknown }).data;
    if (typeof code !== 'number') {
      resolve({ status: null, text: '', error: 'the ACK carries no code' });
      return;
    }
    resolve({
      status: code,
      text: typeof answer === 'string' ? Buffer.from(answer, 'base64').toString('utf8') : '',
      ...(code === 200 ? {} : { error: `the client answered code ${code}` }),
    });
  };

  const cut = (connection: Connection, how: 'destroy' | 'end'): void => {
    if (how === 'destroy') connection.socket.destroy();
    else connection.socket.end();
  };

  const transport: EventTransport = {
    name: 'websocket',
    send(envelope, timeoutMs) {
      const started = performance.now();
      const elapsed = () => performance.now() - started;
      const open = [...connections.values()].filter((c) => c.socket.open);
      if (open.length === 0) {
        return Promise.resolve({
          status: null,
          text: '',
          error: 'no long connection is open',
          durationMs: 0,
        });
      }
      // Cluster mode: one connection, at random, gets the event (LARK.md §5).
      const connection = open[Math.floor(random() * open.length)] as Connection;
      const messageId = randomHex(16);
      const traceId = randomHex(16);
      const payload = Buffer.from(JSON.stringify(envelope), 'utf8');
      const size = options.fragmentBytes > 0 ? options.fragmentBytes : payload.length || 1;
      const parts: Buffer[] = [];
      for (let offset = 0; offset < payload.length; offset += size) {
        parts.push(payload.subarray(offset, offset + size));
      }
      return new Promise<PostResult>((resolvePost) => {
        const timer = setTimeout(() => {
          connection.pending.delete(messageId);
          resolvePost({
            status: null,
            text: '',
            error: `no ACK within ${timeoutMs} ms`,
            durationMs: elapsed(),
          });
        }, timeoutMs);
        connection.pending.set(messageId, (result) => {
          clearTimeout(timer);
          resolvePost({ ...result, durationMs: elapsed() });
        });
        parts.forEach((part, seq) => {
          frameSeq += 1;
          send(connection, {
            SeqID: frameSeq,
            LogID: frameSeq,
            service: connection.serviceId,
            method: FRAME_METHOD.data,
            headers: [
              { key: 'type', value: 'event' },
              { key: 'message_id', value: messageId },
              { key: 'sum', value: String(parts.length) },
              { key: 'seq', value: String(seq) },
              { key: 'trace_id', value: traceId },
            ],
            payload: part,
          });
        });
        connection.view.frames_sent += 1;
        if (connection.cutBeforeAck) cut(connection, 'end');
      });
    },
  };

  const refuseUpgrade = (socket: Duplex, status: number, message: string): void => {
    // Lark reports a refused handshake in these headers (the SDK's HeaderKey: handshake-status/-msg).
    socket.end(
      `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Service Unavailable'}\r\n` +
        `handshake-status: ${status}\r\nhandshake-msg: ${message}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
    );
  };

  return {
    endpoint(body, wsBase) {
      if (outage) return { status: 503, body: { code: 503, msg: 'service unavailable (emulated outage)' } };
      let input: unknown;
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch {
        input = undefined;
      }
      const { AppID, AppSecret } = (input ?? {}) as { AppID?: unknown; AppSecret?: unknown };
      // A wrong app id or secret: auth_failed 514 (SDK ErrorCode), HTTP 200, with an empty `data`,
      // on which the SDK stops for good and calls onError instead of retrying.
      if (AppID !== options.appId || AppSecret !== options.appSecret) {
        return { status: 200, body: { code: ENDPOINT_CODE.authFailed, msg: 'auth failed', data: {} } };
      }
      if ([...connections.values()].filter((c) => c.socket.open).length >= MAX_CONNECTIONS) {
        return {
          status: 200,
          body: { code: ENDPOINT_CODE.exceedConnLimit, msg: 'exceed connection limit', data: {} },
        };
      }
      const deviceId = `${randomInt(1, 2 ** 47)}${randomInt(10_000, 99_999)}`;
      const ticket = `${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}`;
      tickets.set(ticket, { deviceId });
      // The SDK reads device_id and service_id with qs.parse(URL), which would swallow a first
      // parameter into the key "ws://…?name", so they come after others, as in Lark's URL.
      const query = `fpid=493&aid=552564&device_id=${deviceId}&access_key=${randomHex(16)}&service_id=${serviceId}&ticket=${ticket}`;
      return {
        status: 200,
        body: {
          code: 0,
          msg: 'ok',
          data: { URL: `${wsBase}${LONG_CONNECTION_PATH}?${query}`, ClientConfig: clientConfig() },
        },
      };
    },

    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'ws://emulator.local');
      if (outage) return refuseUpgrade(socket, 503, 'service unavailable');
      const ticket = url.searchParams.get('ticket') ?? '';
      const issued = tickets.get(ticket);
      // A ticket is good for one connection: the SDK asks the endpoint again before every connect.
      if (url.pathname !== LONG_CONNECTION_PATH || issued === undefined) {
        return refuseUpgrade(socket, 403, 'invalid ticket');
      }
      tickets.delete(ticket);
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      const connId = randomHex(8);
      let connection: Connection | undefined;
      const accepted = acceptWebSocket(req, socket, head, {
        maxMessageBytes: MAX_MESSAGE_BYTES,
        onMessage: (data) => {
          if (connection !== undefined) onFrame(connection, data);
        },
        onClose: () => {
          if (connection === undefined) return;
          connections.delete(connId);
          for (const resolve of connection.pending.values()) {
            resolve({ status: null, text: '', error: 'the long connection closed before the ACK' });
          }
          connection.pending.clear();
          logger.debug({ conn_id: connId }, 'long connection closed');
        },
      });
      if (accepted === undefined) return;
      connection = {
        view: {
          conn_id: connId,
          device_id: issued.deviceId,
          connected_at: now(),
          pings: 0,
          frames_sent: 0,
          acks: 0,
        },
        socket: accepted,
        serviceId,
        cutBeforeAck: false,
        pending: new Map(),
      };
      connections.set(connId, connection);
      logger.debug({ conn_id: connId }, 'long connection open');
    },

    transport,
    connections: () => [...connections.values()].filter((c) => c.socket.open).map((c) => ({ ...c.view })),

    drop(dropOptions = {}) {
      const open = [...connections.values()].filter((c) => c.socket.open);
      for (const connection of open) {
        if (dropOptions.beforeAck) connection.cutBeforeAck = true;
        else cut(connection, 'destroy');
      }
      return open.length;
    },

    setOutage(down) {
      outage = down;
      if (down) for (const connection of [...connections.values()]) cut(connection, 'destroy');
    },

    stop() {
      for (const connection of [...connections.values()]) cut(connection, 'destroy');
      connections.clear();
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      tickets.clear();
    },
  };
}
