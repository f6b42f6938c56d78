import { DubanError } from '../core/errors.js';

/** Lark answered with its `{code,msg}` envelope and refused the call. */
export class LarkApiError extends DubanError {
  /** Lark's numeric code (DubanError's own `code` stays the dotted 'lark.api_error'). */
  readonly larkCode: number;
  readonly msg: string;
  readonly httpStatus: number | undefined;
  readonly logId: string | undefined;
  /** Seconds Lark asked us to wait (`x-ogw-ratelimit-reset`), when it said. */
  readonly retryAfterSeconds: number | undefined;
  /** The failure happened while fetching the tenant_access_token, not on the API call. */
  readonly duringTokenFetch: boolean;
  readonly operation: string;

  constructor(input: {
    operation: string;
    code: number;
    msg: string;
    httpStatus?: number | undefined;
    logId?: string | undefined;
    retryAfterSeconds?: number | undefined;
    duringTokenFetch?: boolean;
    cause?: unknown;
  }) {
    const duringTokenFetch = input.duringTokenFetch ?? false;
    const hint = hintForLarkCode(input.code, duringTokenFetch);
    super(
      'lark.api_error',
      `Lark refused ${input.operation}: code ${input.code} (${input.msg || 'no message'})` +
        (input.httpStatus === undefined ? '' : `, HTTP ${input.httpStatus}`),
      {
        ...(hint === undefined ? {} : { hint }),
        details: {
          operation: input.operation,
          larkCode: input.code,
          larkMsg: input.msg,
          httpStatus: input.httpStatus,
          logId: input.logId,
        },
        cause: input.cause,
      },
    );
    this.name = 'LarkApiError';
    this.larkCode = input.code;
    this.msg = input.msg;
    this.httpStatus = input.httpStatus;
    this.logId = input.logId;
    this.retryAfterSeconds = input.retryAfterSeconds;
    this.duringTokenFetch = duringTokenFetch;
    this.operation = input.operation;
  }
}

/** No answer from Lark at all: connection reset or refused, timeout, DNS, TLS. */
export class LarkNetworkError extends DubanError {
  /** The transport's error code, e.g. ECONNRESET, ETIMEDOUT, ENOTFOUND. */
  readonly reason: string;
  readonly operation: string;
  readonly duringTokenFetch: boolean;

  constructor(input: {
    operation: string;
    reason: string;
    message: string;
    duringTokenFetch?: boolean;
    cause?: unknown;
  }) {
    super(
      'lark.network_error',
      `No answer from Lark for ${input.operation}: ${input.reason} (${input.message})`,
      {
        hint: 'Check that this host can reach the Lark Open Platform (LARK_DOMAIN, proxy, firewall, DNS).',
        details: { operation: input.operation, reason: input.reason },
        cause: input.cause,
      },
    );
    this.name = 'LarkNetworkError';
    this.reason = input.reason;
    this.operation = input.operation;
    this.duringTokenFetch = input.duringTokenFetch ?? false;
  }
}

const RATE_LIMIT_CODES: ReadonlySet<number> = new Set([99991400, 230020, 11232]);
/** The SDK never refetches a rejected token; these codes mean "drop it and fetch a new one". */
const TOKEN_INVALID_CODES: ReadonlySet<number> = new Set([99991663, 99991664, 99991671]);
// 10014 app secret invalid, 10003 invalid app id, 10012 app not found, 99991663/4 token refused.
const BAD_CREDENTIAL_CODES: ReadonlySet<number> = new Set([10003, 10012, 10014, 99991663, 99991664]);

const CREDENTIALS_HINT =
  'Lark rejected the app credentials: check LARK_APP_ID and LARK_APP_SECRET (Developer Console → Credentials & Basic Info) and LARK_DOMAIN (Feishu vs Lark).';
const SCOPE_HINT =
  'The app lacks a permission: grant the scope named in the message (Developer Console → Permissions & Scopes), then publish a new app version.';

const HINTS: Record<number, string> = {
  10002: 'The bot is not in this chat: add the bot to the group (group settings → Bots → Add bot).',
  230002: 'The bot is not in this chat: add the bot to the group (group settings → Bots → Add bot).',
  230001: 'Lark found a request parameter invalid; the message says which one.',
  230006: 'The bot capability is off: enable "Bot" in the Developer Console and publish a new app version.',
  230011: 'The message was recalled and can no longer be replied to or updated.',
  230013:
    'The user is outside the app availability range (or has left the company): widen the availability scope.',
  230018: 'The group only lets certain members speak: allow the bot to post in the group settings.',
  230020:
    'Lark rate-limited this chat or user (5 messages/s): the adapter waited and retried; send less often.',
  230025: 'The message is too long: text must stay under 150 KB, cards and posts under 30 KB.',
  230027: SCOPE_HINT,
  230028: 'The tenant data-loss-prevention audit blocked the message content.',
  230034: 'The receive_id is not valid for its type (chat_id must start with oc_).',
  230035: 'Sending is not allowed here (bot muted, blocked by the user, or a tenant policy).',
  230053: 'The user turned off messages from this bot.',
  230099:
    'Lark could not build the card: the sub-code in the message tells why (200621 JSON parse, 200550 chart spec, 200861 tag not allowed in schema 2.0, 100290 bad @ id).',
  41050:
    "The user is outside the app's contact range: widen it (Developer Console → Permissions & Scopes → contact range).",
  232009: 'The group was dissolved: unbind it from its agency and bind a live group.',
  11232:
    'Lark rate-limited message creation for the whole system: the adapter waited and retried; try again later.',
  99991400:
    'Lark rate-limited the app (50/s, 1000/min per API): the adapter waited and retried; send less often.',
  99991401:
    "Lark refused this server's IP: add it to the app's IP allowlist (Developer Console → Security Settings).",
  99991661: 'No access token was sent: the adapter must not be built with disableTokenCache.',
  99991663:
    'Lark rejected the tenant_access_token even after a fresh one was fetched: check the app credentials and that the app version is published.',
  99991664: 'Lark rejected the app_access_token: check the app credentials.',
  99991671: 'Lark rejected the token format: the token must start with t- (tenant) or u- (user).',
  99991672: SCOPE_HINT,
};

/** A fix-it hint for the operator, when the code is one we know. */
export function hintForLarkCode(code: number, duringTokenFetch = false): string | undefined {
  if (duringTokenFetch && BAD_CREDENTIAL_CODES.has(code)) return CREDENTIALS_HINT;
  return HINTS[code];
}

export function isRateLimitError(error: LarkApiError): boolean {
  return error.httpStatus === 429 || RATE_LIMIT_CODES.has(error.larkCode);
}

export function isTokenInvalidError(error: LarkApiError): boolean {
  return !error.duringTokenFetch && TOKEN_INVALID_CODES.has(error.larkCode);
}

export function isServerError(error: LarkApiError): boolean {
  return error.httpStatus !== undefined && error.httpStatus >= 500;
}

interface AxiosLike {
  isAxiosError?: boolean;
  code?: string;
  message?: string;
  config?: { url?: string };
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

const TOKEN_PATH = '/auth/v3/tenant_access_token';

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  if (headers === undefined || headers === null) return undefined;
  // axios gives an AxiosHeaders object (lower-cased keys); plain objects in tests may differ in case.
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (typeof direct === 'string') return direct;
  if (typeof direct === 'number') return String(direct);
  const getter = (headers as { get?: (n: string) => unknown }).get;
  if (typeof getter === 'function') {
    const v = getter.call(headers, name);
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return undefined;
}

function logIdOf(body: unknown, headers?: Record<string, unknown>): string | undefined {
  const fromHeader = headerValue(headers, 'x-tt-logid');
  if (fromHeader !== undefined) return fromHeader;
  if (typeof body === 'object' && body !== null) {
    const err = (body as { error?: { log_id?: unknown } }).error;
    if (err && typeof err.log_id === 'string') return err.log_id;
  }
  return undefined;
}

function parseReset(headers: Record<string, unknown> | undefined): number | undefined {
  const raw = headerValue(headers, 'x-ogw-ratelimit-reset');
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A resolved HTTP-200 body with `code != 0` becomes an error; `code == 0` returns undefined. */
export function errorFromBody(operation: string, body: unknown): LarkApiError | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const code = (body as { code?: unknown }).code;
  if (typeof code !== 'number' || code === 0) return undefined;
  const msg = (body as { msg?: unknown }).msg;
  return new LarkApiError({
    operation,
    code,
    msg: typeof msg === 'string' ? msg : '',
    httpStatus: 200,
    logId: logIdOf(body),
  });
}

/**
 * Turns whatever the SDK threw into one of our two error types. The SDK throws an AxiosError for
 * non-2xx answers and for transport failures, and a plain Error when the token endpoint answers
 * 200 without a token ("failed to get tenant_access_token, code: X, msg: Y").
 */
export function classifyLarkFailure(operation: string, error: unknown): LarkApiError | LarkNetworkError {
  if (error instanceof LarkApiError || error instanceof LarkNetworkError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as AxiosLike;
  const duringTokenFetch = typeof e.config?.url === 'string' && e.config.url.includes(TOKEN_PATH);
  if (e.response !== undefined && e.response !== null) {
    const { status, data, headers } = e.response;
    const body = typeof data === 'string' ? safeJson(data) : data;
    const code = typeof body === 'object' && body !== null ? (body as { code?: unknown }).code : undefined;
    const msg = typeof body === 'object' && body !== null ? (body as { msg?: unknown }).msg : undefined;
    return new LarkApiError({
      operation,
      // An answer without Lark's envelope (a gateway page, an empty 502) still is an answer.
      code: typeof code === 'number' ? code : -1,
      msg: typeof msg === 'string' ? msg : typeof data === 'string' ? data.slice(0, 200) : '',
      httpStatus: status,
      logId: logIdOf(body, headers),
      retryAfterSeconds: parseReset(headers),
      duringTokenFetch,
      cause: error,
    });
  }
  const message = typeof e.message === 'string' ? e.message : String(error);
  const tokenMatch = /failed to get tenant_access_token, code: (-?\d+|unknown), msg: (.*)$/s.exec(message);
  if (tokenMatch) {
    return new LarkApiError({
      operation,
      code: tokenMatch[1] === 'unknown' ? -1 : Number(tokenMatch[1]),
      msg: tokenMatch[2] ?? '',
      httpStatus: 200,
      duringTokenFetch: true,
      cause: error,
    });
  }
  const reason =
    typeof e.code === 'string' && e.code !== ''
      ? e.code
      : /timeout/i.test(message)
        ? 'ETIMEDOUT'
        : /socket hang up/i.test(message)
          ? 'ECONNRESET'
          : 'UNKNOWN';
  // Anything else without an answer (including an unexpected SDK failure) is treated as "no
  // answer": retries are bounded, and the reason and message say what it was.
  return new LarkNetworkError({ operation, reason, message, duringTokenFetch, cause: error });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
