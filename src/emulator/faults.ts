/**
 * Fault injection for the Open API. A fault matches requests by method and path and fires for
 * the next `count` matches, or with `probability` on every match until cleared.
 * Faults are decided when a request arrives, before anything is stored, except `drop_after_store`,
 * which lets the request take effect and then destroys the connection instead of answering.
 */
import { randomUUID } from 'node:crypto';

type FaultKind =
  /** Answer with an HTTP 5xx (status, default 500). */
  | 'server_error'
  /** Answer 429 with code 99991400 and x-ogw-ratelimit-* headers. */
  | 'rate_limit'
  /** Destroy the socket without answering; nothing is stored. */
  | 'drop'
  /** Process the request normally (messages are stored) but destroy the socket instead of answering. */
  | 'drop_after_store'
  /** Wait `latencyMs`, then process normally. */
  | 'latency'
  /** Invalidate every issued tenant token, then process (so this request gets 99991663). */
  | 'token_expiry';

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it fires on; default 1, or unlimited when `probability` is set. */
  count?: number;
  /** 0..1: fire on each matching request with this chance. */
  probability?: number;
  method?: string;
  /** A regular expression (string or RegExp) tested against the path without the query string. */
  path?: string | RegExp;
  status?: number;
  latencyMs?: number;
  /** For rate_limit: the x-ogw-ratelimit-reset value in seconds (default 1). */
  resetSeconds?: number;
}

export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  remaining: number;
  fired: number;
}

export interface FaultBook {
  add(spec: FaultSpec): ActiveFault;
  clear(): void;
  list(): ActiveFault[];
  /** The faults that fire for this request, consuming their counts. */
  take(method: string, path: string): ActiveFault[];
}

const FAULT_KINDS: readonly FaultKind[] = [
  'server_error',
  'rate_limit',
  'drop',
  'drop_after_store',
  'latency',
  'token_expiry',
];

export function createFaultBook(options: { random?: () => number } = {}): FaultBook {
  const random = options.random ?? Math.random;
  let faults: ActiveFault[] = [];
  return {
    add(spec) {
      const remaining = spec.count ?? (spec.probability === undefined ? 1 : Number.POSITIVE_INFINITY);
      const fault: ActiveFault = { id: randomUUID(), spec, remaining, fired: 0 };
      faults.push(fault);
      return fault;
    },
    clear() {
      faults = [];
    },
    list() {
      return faults.map((f) => ({ ...f }));
    },
    take(method, path) {
      const fired: ActiveFault[] = [];
      for (const fault of faults) {
        const { spec } = fault;
        if (fault.remaining <= 0) continue;
        if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) continue;
        if (spec.path !== undefined) {
          const re = typeof spec.path === 'string' ? new RegExp(spec.path) : spec.path;
          if (!re.test(path)) continue;
        }
        if (spec.probability !== undefined && random() >= spec.probability) continue;
        fault.remaining -= 1;
        fault.fired += 1;
        fired.push({ ...fault });
      }
      faults = faults.filter((f) => f.remaining > 0);
      return fired;
    },
  };
}

/** Checks a fault spec arriving as JSON on the control API. */
export function parseFaultSpec(input: unknown): FaultSpec | string {
  if (typeof input !== 'object' || input === null) return 'a fault must be an object';
  const raw = input as Record<string, unknown>;
  if (typeof raw.kind !== 'string' || !(FAULT_KINDS as readonly string[]).includes(raw.kind)) {
    return `kind must be one of ${FAULT_KINDS.join(', ')}`;
  }
  const spec: FaultSpec = { kind: raw.kind as FaultKind };
  const num = (key: string): number | undefined | string => {
    const value = raw[key];
    if (value === undefined) return undefined;
    return typeof value === 'number' && Number.isFinite(value) && value >= 0
      ? value
      : `${key} must be a number ≥ 0`;
  };
  for (const key of ['count', 'probability', 'status', 'latencyMs', 'resetSeconds'] as const) {
    const value = num(key);
    if (typeof value === 'string') return value;
    if (value !== undefined) spec[key] = value;
  }
  if (spec.probability !== undefined && spec.probability > 1) return 'probability must be between 0 and 1';
  if (raw.method !== undefined) {
    if (typeof raw.method !== 'string') return 'method must be a string';
    spec.method = raw.method;
  }
  if (raw.path !== undefined) {
    if (typeof raw.path !== 'string') return 'path must be a string (a regular expression)';
    try {
      new RegExp(raw.path);
    } catch {
      return 'path is not a valid regular expression';
    }
    spec.path = raw.path;
  }
  return spec;
}
