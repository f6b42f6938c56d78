/**
 * The long connection's frame: protobuf message `pbbp2.Frame`, written and read the way the SDK's
 * generated protobufjs code does (node_modules/@larksuiteoapi/node-sdk/lib/index.js, `pbbp2.Frame`):
 *
 *   message Header { required string key = 1; required string value = 2; }
 *   message Frame  { required uint64 SeqID = 1; required uint64 LogID = 2; required int32 service = 3;
 *                    required int32 method = 4; repeated Header headers = 5; optional string
 *                    payloadEncoding = 6; optional string payloadType = 7; optional bytes payload = 8;
 *                    optional string LogIDNew = 9; }
 *
 * A frame missing a required field is refused, as the SDK's decoder refuses it (ProtocolError).
 */

/** `method`: a control frame (ping/pong) or a data frame (event, callback, ACK). */
export const FRAME_METHOD = { control: 0, data: 1 } as const;

interface FrameHeader {
  key: string;
  value: string;
}

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: FrameHeader[];
  payloadEncoding?: string;
  payloadType?: string;
  payload?: Buffer;
  LogIDNew?: string;
}

class FrameDecodeError extends Error {}

const writeVarint = (out: number[], value: bigint): void => {
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
};

const writeBytes = (out: number[], field: number, bytes: Uint8Array): void => {
  writeVarint(out, BigInt((field << 3) | 2));
  writeVarint(out, BigInt(bytes.length));
  for (const byte of bytes) out.push(byte);
};

export function encodeFrame(frame: Frame): Buffer {
  const out: number[] = [];
  writeVarint(out, 8n);
  writeVarint(out, BigInt(frame.SeqID));
  writeVarint(out, 16n);
  writeVarint(out, BigInt(frame.LogID));
  writeVarint(out, 24n);
  writeVarint(out, BigInt(frame.service)); // int32: negatives sign-extend to 10 bytes, as protobufjs does
  writeVarint(out, 32n);
  writeVarint(out, BigInt(frame.method));
  for (const header of frame.headers) {
    const inner: number[] = [];
    writeBytes(inner, 1, Buffer.from(header.key, 'utf8'));
    writeBytes(inner, 2, Buffer.from(header.value, 'utf8'));
    writeBytes(out, 5, Uint8Array.from(inner));
  }
  if (frame.payloadEncoding !== undefined) writeBytes(out, 6, Buffer.from(frame.payloadEncoding, 'utf8'));
  if (frame.payloadType !== undefined) writeBytes(out, 7, Buffer.from(frame.payloadType, 'utf8'));
  if (frame.payload !== undefined) writeBytes(out, 8, frame.payload);
  if (frame.LogIDNew !== undefined) writeBytes(out, 9, Buffer.from(frame.LogIDNew, 'utf8'));
  return Buffer.from(out);
}

interface Cursor {
  buf: Buffer;
  pos: number;
  end: number;
}

const readVarint = (c: Cursor): bigint => {
  let result = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (c.pos >= c.end) throw new FrameDecodeError('truncated varint');
    const byte = c.buf[c.pos] as number;
    c.pos += 1;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
  }
  throw new FrameDecodeError('varint too long');
};

const readChunk = (c: Cursor): Buffer => {
  const length = Number(readVarint(c));
  if (c.pos + length > c.end) throw new FrameDecodeError('truncated field');
  const chunk = c.buf.subarray(c.pos, c.pos + length);
  c.pos += length;
  return chunk;
};

const skip = (c: Cursor, wireType: number): void => {
  if (wireType === 0) readVarint(c);
  else if (wireType === 1) c.pos += 8;
  else if (wireType === 2) readChunk(c);
  else if (wireType === 5) c.pos += 4;
  else throw new FrameDecodeError(`invalid wire type ${wireType}`);
  if (c.pos > c.end) throw new FrameDecodeError('truncated field');
};

function decodeHeader(bytes: Buffer): FrameHeader {
  const c: Cursor = { buf: bytes, pos: 0, end: bytes.length };
  let key: string | undefined;
  let value: string | undefined;
  while (c.pos < c.end) {
    const tag = Number(readVarint(c));
    if (tag === 10) key = readChunk(c).toString('utf8');
    else if (tag === 18) value = readChunk(c).toString('utf8');
    else skip(c, tag & 7);
  }
  if (key === undefined) throw new FrameDecodeError("missing required 'key'");
  if (value === undefined) throw new FrameDecodeError("missing required 'value'");
  return { key, value };
}

export function decodeFrame(bytes: Buffer): Frame {
  const c: Cursor = { buf: bytes, pos: 0, end: bytes.length };
  const seen = new Set<number>();
  const frame: Frame = { SeqID: 0, LogID: 0, service: 0, method: 0, headers: [] };
  while (c.pos < c.end) {
    const tag = Number(readVarint(c));
    const field = tag >>> 3;
    const wireType = tag & 7;
    seen.add(field);
    if (field >= 1 && field <= 4 && wireType === 0) {
      const value = readVarint(c);
      if (field === 1) frame.SeqID = Number(value);
      else if (field === 2) frame.LogID = Number(value);
      else if (field === 3) frame.service = Number(BigInt.asIntN(32, value));
      else frame.method = Number(BigInt.asIntN(32, value));
    } else if (field === 5 && wireType === 2) frame.headers.push(decodeHeader(readChunk(c)));
    else if (field === 6 && wireType === 2) frame.payloadEncoding = readChunk(c).toString('utf8');
    else if (field === 7 && wireType === 2) frame.payloadType = readChunk(c).toString('utf8');
    else if (field === 8 && wireType === 2) frame.payload = Buffer.from(readChunk(c));
    else if (field === 9 && wireType === 2) frame.LogIDNew = readChunk(c).toString('utf8');
    else skip(c, wireType);
  }
  for (const [field, name] of [
    [1, 'SeqID'],
    [2, 'LogID'],
    [3, 'service'],
    [4, 'method'],
  ] as const) {
    if (!seen.has(field)) throw new FrameDecodeError(`missing required '${name}'`);
  }
  return frame;
}

/** The headers as a lookup; a repeated key keeps its last value, as the SDK's reduce does. */
export function headersOf(frame: Frame): Map<string, string> {
  return new Map(frame.headers.map((h) => [h.key, h.value]));
}
