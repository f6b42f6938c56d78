/**
 * The server side of a WebSocket (RFC 6455) on a node:http upgrade, enough for the long connection:
 * the handshake, masked client frames in, unmasked frames out, fragments reassembled, ping answered
 * with pong, the closing handshake. The emulator holds Lark's client (the SDK's `ws` package) to the
 * RFC: an unmasked client frame, a fragmented or oversized control frame or an unknown opcode closes
 * the connection with 1002, as RFC 6455 §5.1, §5.5 and §5.2 say a server must.
 * (A small codec rather than a library: `ws` is only a transitive dependency of the SDK here.)
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** RFC 6455 §1.3: the GUID appended to Sec-WebSocket-Key before hashing. */
const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

const OPCODE = {
  continuation: 0x0,
  text: 0x1,
  binary: 0x2,
  close: 0x8,
  ping: 0x9,
  pong: 0xa,
} as const;

function acceptKey(key: string): string {
  return createHash('sha1')
    .update(key + HANDSHAKE_GUID)
    .digest('base64');
}

/** One unmasked, final frame (servers never mask, RFC 6455 §5.1). */
function encodeWsFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

class WsProtocolError extends Error {
  constructor(
    readonly closeCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ClientFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/**
 * Reads client frames from a byte stream: `push` takes a chunk and returns the complete frames in it,
 * keeping a partial one for the next chunk. Throws WsProtocolError on a frame a server must refuse.
 */
export function createFrameReader(maxFrameBytes: number): { push(chunk: Buffer): ClientFrame[] } {
  let pending: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      const frames: ClientFrame[] = [];
      for (;;) {
        if (pending.length < 2) break;
        const first = pending[0] as number;
        const second = pending[1] as number;
        if ((first & 0x70) !== 0) throw new WsProtocolError(1002, 'reserved bits set without an extension');
        const opcode = first & 0x0f;
        const fin = (first & 0x80) !== 0;
        if (!Object.values(OPCODE).includes(opcode as never)) {
          throw new WsProtocolError(1002, `unknown opcode ${opcode}`);
        }
        if ((second & 0x80) === 0) throw new WsProtocolError(1002, 'client frames must be masked');
        let length = second & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (pending.length < 4) break;
          length = pending.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (pending.length < 10) break;
          const big = pending.readBigUInt64BE(2);
          if (big > BigInt(maxFrameBytes)) throw new WsProtocolError(1009, 'frame too large');
          length = Number(big);
          offset = 10;
        }
        if (opcode >= 0x8 && (!fin || length > 125)) {
          throw new WsProtocolError(1002, 'control frames are at most 125 bytes and never fragmented');
        }
        if (length > maxFrameBytes) throw new WsProtocolError(1009, 'frame too large');
        if (pending.length < offset + 4 + length) break;
        const mask = pending.subarray(offset, offset + 4);
        const payload = Buffer.from(pending.subarray(offset + 4, offset + 4 + length));
        for (let i = 0; i < payload.length; i += 1) {
          payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
        }
        frames.push({ fin, opcode, payload });
        pending = pending.subarray(offset + 4 + length);
      }
      return frames;
    },
  };
}

export interface ServerSocket {
  /** Sends one binary message; false when the socket is no longer open. */
  send(data: Buffer): boolean;
  /** The closing handshake: a close frame, then the TCP connection ends. */
  close(code?: number, reason?: string): void;
  /** Cuts the TCP connection without a close frame (what a network failure looks like). */
  destroy(): void;
  /** Sends what is queued, then ends the TCP connection without a close frame. */
  end(): void;
  readonly open: boolean;
}

export interface AcceptOptions {
  maxMessageBytes: number;
  onMessage(data: Buffer): void;
  onClose(): void;
}

/**
 * Completes the handshake on an upgrade request and starts reading frames. Returns undefined (after
 * answering 400) when the request is not a valid WebSocket upgrade.
 */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  options: AcceptOptions,
): ServerSocket | undefined {
  const key = req.headers['sec-websocket-key'];
  const version = req.headers['sec-websocket-version'];
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  // RFC 6455 §4.2.1: GET, Upgrade: websocket, a 16-byte base64 key and version 13.
  if (
    req.method !== 'GET' ||
    upgrade !== 'websocket' ||
    typeof key !== 'string' ||
    Buffer.from(key, 'base64').length !== 16 ||
    version !== '13'
  ) {
    socket.end('HTTP/1.1 400 Bad Request\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n');
    return undefined;
  }
  socket.write(
    [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Accept: ${acceptKey(key)}`,
      '',
      '',
    ].join('\r\n'),
  );

  let open = true;
  let closed = false;
  const reader = createFrameReader(options.maxMessageBytes);
  let fragments: Buffer[] | undefined;
  let fragmentBytes = 0;

  const finish = (): void => {
    open = false;
    if (closed) return;
    closed = true;
    options.onClose();
  };
  const write = (opcode: number, payload: Buffer): boolean => {
    if (!open || socket.destroyed) return false;
    socket.write(encodeWsFrame(opcode, payload));
    return true;
  };
  const close = (code = 1000, reason = ''): void => {
    if (!open) return;
    const body = Buffer.alloc(2 + Buffer.byteLength(reason));
    body.writeUInt16BE(code, 0);
    body.write(reason, 2);
    write(OPCODE.close, body);
    open = false;
    socket.end();
    finish();
  };

  const onFrames = (chunk: Buffer): void => {
    let frames: ClientFrame[];
    try {
      frames = reader.push(chunk);
    } catch (error) {
      close(
        error instanceof WsProtocolError ? error.closeCode : 1002,
        (error as Error).message.slice(0, 100),
      );
      return;
    }
    for (const frame of frames) {
      if (!open) return;
      switch (frame.opcode) {
        case OPCODE.ping:
          write(OPCODE.pong, frame.payload);
          break;
        case OPCODE.pong:
          break;
        case OPCODE.close:
          close(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1000);
          return;
        default: {
          const starts = frame.opcode !== OPCODE.continuation;
          if (starts === (fragments !== undefined)) {
            close(1002, starts ? 'a new message inside a fragmented one' : 'continuation without a start');
            return;
          }
          fragments = fragments ?? [];
          fragments.push(frame.payload);
          fragmentBytes += frame.payload.length;
          if (fragmentBytes > options.maxMessageBytes) {
            close(1009, 'message too large');
            return;
          }
          if (frame.fin) {
            const data = Buffer.concat(fragments);
            fragments = undefined;
            fragmentBytes = 0;
            options.onMessage(data);
          }
        }
      }
    }
  };

  socket.on('data', onFrames);
  socket.on('close', finish);
  // The HTTP server's sockets allow half-open connections: when the client goes, end our side too,
  // or the socket lingers and the server never finishes closing.
  socket.on('end', () => {
    socket.end();
    finish();
  });
  socket.on('error', () => {
    socket.destroy();
    finish();
  });
  if (head.length > 0) onFrames(head);

  return {
    send: (data) => write(OPCODE.binary, data),
    close,
    destroy() {
      open = false;
      socket.destroy();
      finish();
    },
    end() {
      open = false;
      socket.end();
      finish();
    },
    get open() {
      return open;
    },
  };
}
