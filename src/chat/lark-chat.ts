import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../logger.js';
import type { CardJson, ChatMember, ChatPort, InboundAttachment, OutgoingMessage } from '../ports/chat.js';
import {
  classifyLarkFailure,
  errorFromBody,
  isRateLimitError,
  isServerError,
  isTokenInvalidError,
  LarkApiError,
  LarkNetworkError,
} from './errors.js';
import {
  createRateLimiter,
  type LimitScope,
  type Permit,
  RateLimiterClosedError,
  RateLimiterFullError,
  type RateLimits,
} from './rate-limit.js';
import { httpInstanceWithTimeout, type LarkDomain, resolveDomain, sdkLogger } from './sdk.js';

interface RetryOptions {
  /** Retries after a 5xx answer or a network failure (the first attempt is not counted). */
  maxRetries: number;
  /** Waits after rate-limit refusals before giving up. */
  maxRateLimitRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a single `x-ogw-ratelimit-reset` wait. */
  maxRateLimitWaitMs: number;
}

const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 4,
  maxRateLimitRetries: 8,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
  maxRateLimitWaitMs: 60_000,
};

export interface LarkChatOptions {
  appId: string;
  appSecret: string;
  /** 'feishu' (default), 'lark', or a base URL such as the emulator's `http://127.0.0.1:PORT`. */
  domain?: LarkDomain;
  logger: Logger;
  limits?: Partial<RateLimits>;
  retry?: Partial<RetryOptions>;
  /** Per HTTP request; a request that gets no answer in time counts as a network failure. */
  requestTimeoutMs?: number;
}

interface BotInfo {
  openId: string;
  name: string;
}

export interface ChatInfo {
  chatId: string;
  name: string;
  status: 'normal' | 'dissolved' | 'dissolved_save';
}

/**
 * The adapter's whole surface. Use cases speak to the smaller ChatPort; the rest (card updates, files,
 * chat lists) is here, tested, for the features that will put it in the port when they use it.
 */
export interface LarkChat extends ChatPort {
  updateCard(input: { messageId: string; card: CardJson }): Promise<void>;
  uploadFile(input: {
    fileName: string;
    fileType: 'xls' | 'pdf' | 'doc' | 'stream';
    data: Buffer;
  }): Promise<{ fileKey: string }>;
  listChats(): Promise<ChatInfo[]>;
  /** The bot's own identity (GET /open-apis/bot/v3/info), e.g. to recognise its own @-mention. */
  botInfo(): Promise<BotInfo>;
  /** Stops timers and fails calls still waiting for a rate-limit slot. */
  close(): Promise<void>;
  /** When Lark last answered a call successfully (for /healthz: a recent answer needs no probe). */
  lastSuccessAt(): Date | undefined;
}

/** Lark keeps one message per `uuid` for an hour; the key must be ≤ 50 printable ASCII characters. */
function larkUuid(idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined || idempotencyKey === '') return randomUUID();
  if (/^[\x21-\x7e]{1,50}$/.test(idempotencyKey)) return idempotencyKey;
  return `h-${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 43)}`;
}

function toLarkContent(message: OutgoingMessage): { msg_type: string; content: string } {
  switch (message.kind) {
    case 'text':
      return { msg_type: 'text', content: JSON.stringify({ text: message.text }) };
    case 'post':
      return { msg_type: 'post', content: JSON.stringify(message.post) };
    case 'card':
      return { msg_type: 'interactive', content: JSON.stringify(message.card) };
    case 'file':
      return { msg_type: 'file', content: JSON.stringify({ file_key: message.fileKey }) };
  }
}

/** A downloaded file is held in memory; Lark serves up to 100 MB, a decision is far smaller. */
const DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024;

async function readAll(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > limit) {
      stream.destroy();
      throw new Error(`the file is larger than ${limit} bytes`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A refused download carries Lark's `{code,msg}` in a stream (the SDK asks for `responseType: stream`):
 * read it into text so the failure is classified like any other answer.
 */
async function withReadableBody(error: unknown): Promise<unknown> {
  const response = (error as { response?: { data?: unknown } } | null)?.response;
  const data = response?.data as Readable | undefined;
  if (data !== undefined && data !== null && typeof (data as Readable).pipe === 'function') {
    try {
      (response as { data: unknown }).data = (await readAll(data, 64 * 1024)).toString('utf8');
    } catch {
      (response as { data: unknown }).data = '';
    }
  }
  return error;
}

const USER_NAME_TTL_MS = 10 * 60_000;
const USER_NAME_CACHE_MAX = 2000;

export function createLarkChat(options: LarkChatOptions): LarkChat {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const log = options.logger.child({ component: 'lark-chat' });
  // One cache per client: the SDK default is process-global and would share tokens across
  // clients (and emulators) with the same app id; owning it also lets us drop a rejected token.
  const cache = new lark.DefaultCache();
  const client = new lark.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: resolveDomain(options.domain),
    appType: lark.AppType.SelfBuild,
    cache,
    loggerLevel: lark.LoggerLevel.warn,
    logger: sdkLogger(options.logger, { errorsAreRethrown: true }),
    httpInstance: httpInstanceWithTimeout(options.requestTimeoutMs ?? 15_000),
  });
  const limiter = createRateLimiter({
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    onFull: (error) =>
      log.warn({ limit: error.limit, size: error.size }, 'Lark call refused: rate limiter full'),
  });
  const userNames = new Map<string, { name: string | null; until: number }>();
  let tokenGeneration = 0;
  let closed = false;
  let lastSuccess: number | undefined;
  const sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const entry = {
        timer: setTimeout(
          () => {
            sleeps.delete(entry);
            resolve();
          },
          Math.max(0, Math.ceil(ms)),
        ),
        resolve,
      };
      sleeps.add(entry);
    });

  // The SDK fetches a missing token inside every call, with no single-flight: 50 concurrent
  // first sends would make 50 token requests. One shared fetch instead.
  let tokenInFlight: Promise<unknown> | undefined;
  const ensureToken = async (): Promise<void> => {
    if (await cache.get(lark.CTenantAccessToken, { namespace: options.appId })) return;
    tokenInFlight ??= client.tokenManager.getTenantAccessToken().finally(() => {
      tokenInFlight = undefined;
    });
    await tokenInFlight;
  };

  const backoffMs = (attempt: number) => {
    const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  };

  const closedError = (operation: string) =>
    new LarkNetworkError({ operation, reason: 'CLOSED', message: 'the chat adapter was closed' });

  /**
   * One Lark call with our limits, retries and token recovery. `fn` must be safe to repeat:
   * sends carry a `uuid`, updates are whole-card PATCHes.
   */
  async function call<T>(operation: string, scope: LimitScope | undefined, fn: () => Promise<T>): Promise<T> {
    let failures = 0;
    let rateLimited = 0;
    let tokenRefetched = false;
    for (;;) {
      if (closed) throw closedError(operation);
      const generation = tokenGeneration;
      let permit: Permit | undefined;
      let error: LarkApiError | LarkNetworkError | undefined;
      try {
        // Fetch the token before taking a rate slot, so the slot covers only the call itself.
        await ensureToken();
        permit = await limiter.acquire(scope);
        const res = await fn();
        const refused = errorFromBody(operation, res);
        if (refused === undefined) {
          lastSuccess = Date.now();
          return res;
        }
        error = refused;
      } catch (e) {
        if (e instanceof RateLimiterClosedError) throw closedError(operation);
        // Refused at once to keep memory bounded: the caller (the outbox) retries later.
        if (e instanceof RateLimiterFullError) {
          throw new LarkNetworkError({ operation, reason: 'BUSY', message: e.message });
        }
        error = classifyLarkFailure(operation, e);
      } finally {
        permit?.done({ refused: error instanceof LarkApiError && isRateLimitError(error) });
      }
      if (closed) throw error;

      if (error instanceof LarkApiError && isTokenInvalidError(error) && !tokenRefetched) {
        tokenRefetched = true;
        // Concurrent calls rejected with the same token clear it once, not once each.
        if (generation === tokenGeneration) {
          tokenGeneration += 1;
          cache.values.clear();
          log.info(
            { operation, larkCode: error.larkCode },
            'Lark rejected the cached token; fetching a new one',
          );
        }
        continue;
      }
      if (error instanceof LarkApiError && isRateLimitError(error)) {
        if (rateLimited >= retry.maxRateLimitRetries) throw error;
        rateLimited += 1;
        const resetMs =
          error.retryAfterSeconds === undefined
            ? undefined
            : Math.min(retry.maxRateLimitWaitMs, error.retryAfterSeconds * 1000);
        // The jitter spreads this caller's retry; it is not a reason to hold anyone else.
        const wait = resetMs === undefined ? backoffMs(rateLimited) : resetMs + Math.random() * 50;
        // App-wide refusals hold every caller until Lark's window resets; per-chat ones (230020) only this call.
        const appWide = error.larkCode === 99991400 || error.httpStatus === 429;
        const hold = resetMs ?? wait;
        if (appWide && hold > 0) limiter.pauseApp(hold);
        log.warn(
          { operation, larkCode: error.larkCode, waitMs: Math.round(wait), attempt: rateLimited },
          'Lark rate limit hit; waiting before retrying',
        );
        await sleep(wait);
        continue;
      }
      const transient = error instanceof LarkNetworkError || isServerError(error);
      if (transient && failures < retry.maxRetries) {
        failures += 1;
        const wait = backoffMs(failures);
        log.warn(
          {
            operation,
            error: error.message,
            ...(error instanceof LarkApiError ? { httpStatus: error.httpStatus } : { reason: error.reason }),
            waitMs: Math.round(wait),
            attempt: failures,
          },
          'Lark call failed; retrying',
        );
        await sleep(wait);
        continue;
      }
      throw error;
    }
  }

  const requireId = (operation: string, id: string | undefined, what: string): string => {
    if (id === undefined || id === '') {
      throw new LarkApiError({ operation, code: -1, msg: `the answer carried no ${what}`, httpStatus: 200 });
    }
    return id;
  };

  const port: LarkChat = {
    async send({ chatId, message, idempotencyKey }) {
      const uuid = larkUuid(idempotencyKey);
      const body = toLarkContent(message);
      const res = await call('im.message.create', { kind: 'chat', key: chatId }, () =>
        client.im.message.create({
          params: { receive_id_type: 'chat_id' },
          data: { receive_id: chatId, msg_type: body.msg_type, content: body.content, uuid },
        }),
      );
      return { messageId: requireId('im.message.create', res.data?.message_id, 'message_id') };
    },

    async reply({ messageId, message, idempotencyKey, inThread, chatId }) {
      const uuid = larkUuid(idempotencyKey);
      const body = toLarkContent(message);
      const scope: LimitScope = { kind: 'chat', key: chatId ?? `reply-to:${messageId}` };
      const res = await call('im.message.reply', scope, () =>
        client.im.message.reply({
          path: { message_id: messageId },
          data: {
            msg_type: body.msg_type,
            content: body.content,
            uuid,
            ...(inThread === undefined ? {} : { reply_in_thread: inThread }),
          },
        }),
      );
      return { messageId: requireId('im.message.reply', res.data?.message_id, 'message_id') };
    },

    async updateCard({ messageId, card }) {
      await call('im.message.patch', { kind: 'card', key: messageId }, () =>
        client.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
      );
    },

    async uploadFile({ fileName, fileType, data }) {
      // client.request, not client.im.file.create: the generated method returns `res.data || null`
      // and drops Lark's code and msg, which we need to say what went wrong.
      const res = await call('im.file.create', undefined, () =>
        client.request<{ code?: number; msg?: string; data?: { file_key?: string } }>({
          method: 'POST',
          url: '/open-apis/im/v1/files',
          data: { file_type: fileType, file_name: fileName, file: data },
          headers: { 'Content-Type': 'multipart/form-data' },
        }),
      );
      return { fileKey: requireId('im.file.create', res.data?.file_key, 'file_key') };
    },

    async sendFile({ chatId, fileName, fileType, data, idempotencyKey }) {
      const { fileKey } = await port.uploadFile({ fileName, fileType, data });
      const sent = await port.send({
        chatId,
        message: { kind: 'file', fileKey },
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      });
      return { ...sent, fileKey };
    },

    async listChats() {
      // Our own loop: listWithIterator swallows HTTP errors and ends early on a 429.
      const chats: ChatInfo[] = [];
      let pageToken: string | undefined;
      for (let page = 0; page < 10_000; page += 1) {
        const token = pageToken;
        const res = await call('im.chat.list', undefined, () =>
          client.im.chat.list({
            params: { page_size: 100, ...(token === undefined ? {} : { page_token: token }) },
          }),
        );
        for (const item of res.data?.items ?? []) {
          if (item.chat_id === undefined) continue;
          const status = item.chat_status;
          chats.push({
            chatId: item.chat_id,
            name: item.name ?? '',
            status: status === 'dissolved' || status === 'dissolved_save' ? status : 'normal',
          });
        }
        pageToken = res.data?.page_token;
        if (res.data?.has_more !== true || pageToken === undefined || pageToken === '') break;
      }
      return chats;
    },

    async listChatMembers(chatId) {
      // Our own loop, as for listChats: the iterator would hide a refusal (232011: the bot left) as an
      // empty list, and an empty list would revoke every official of the group.
      const members: ChatMember[] = [];
      const seen = new Set<string>();
      let pageToken: string | undefined;
      for (let page = 0; page < 10_000; page += 1) {
        const token = pageToken;
        const res = await call('im.chat.members.get', undefined, () =>
          client.im.chatMembers.get({
            path: { chat_id: chatId },
            params: {
              member_id_type: 'open_id',
              page_size: 100,
              ...(token === undefined ? {} : { page_token: token }),
            },
          }),
        );
        for (const item of res.data?.items ?? []) {
          if (item.member_id === undefined || item.member_id === '' || seen.has(item.member_id)) continue;
          seen.add(item.member_id);
          members.push({ openId: item.member_id, name: item.name ?? '' });
        }
        pageToken = res.data?.page_token;
        if (res.data?.has_more !== true || pageToken === undefined || pageToken === '') break;
      }
      return members;
    },

    async userName(openId) {
      const now = Date.now();
      const cached = userNames.get(openId);
      if (cached !== undefined && cached.until > now) return cached.name;
      let name: string | null;
      try {
        const res = await call('contact.user.get', undefined, () =>
          client.contact.user.get({ path: { user_id: openId }, params: { user_id_type: 'open_id' } }),
        );
        const user = res.data?.user;
        name = user?.name || user?.en_name || null;
      } catch (e) {
        // A business refusal (scope, contact range, unknown user) means "Lark will not tell";
        // credentials, rate limits and outages still surface.
        if (
          e instanceof LarkApiError &&
          !e.duringTokenFetch &&
          !isRateLimitError(e) &&
          !isServerError(e) &&
          e.larkCode > 0
        ) {
          log.warn({ openId, larkCode: e.larkCode, hint: e.hint }, 'Lark would not tell a user name');
          name = null;
        } else {
          throw e;
        }
      }
      if (userNames.size >= USER_NAME_CACHE_MAX) userNames.clear();
      userNames.set(openId, { name, until: now + USER_NAME_TTL_MS });
      return name;
    },

    async messageFile(messageId): Promise<InboundAttachment | null> {
      const res = await call('im.message.get', undefined, () =>
        client.im.message.get({ path: { message_id: messageId } }),
      );
      const item = res.data?.items?.[0];
      if (item?.msg_type !== 'file') return null;
      let content: unknown;
      try {
        content = JSON.parse(item.body?.content ?? '');
      } catch {
        return null;
      }
      const { file_key: key, file_name: name } = (content ?? {}) as {
        file_key?: unknown;
        file_name?: unknown;
      };
      if (typeof key !== 'string' || key === '') return null;
      return { kind: 'file', key, name: typeof name === 'string' ? name : '' };
    },

    async downloadFile({ messageId, fileKey }) {
      // The SDK's im.messageResource.get: GET /open-apis/im/v1/messages/:message_id/resources/:file_key.
      return call('im.message.resource.get', undefined, async () => {
        try {
          const res = await client.im.messageResource.get({
            path: { message_id: messageId, file_key: fileKey },
            params: { type: 'file' },
          });
          return await readAll(res.getReadableStream(), DOWNLOAD_MAX_BYTES);
        } catch (error) {
          throw await withReadableBody(error);
        }
      });
    },

    async botInfo() {
      const res = await call('bot.info', undefined, () =>
        client.request<{ code?: number; msg?: string; bot?: { open_id?: string; app_name?: string } }>({
          method: 'GET',
          url: '/open-apis/bot/v3/info',
        }),
      );
      return {
        openId: requireId('bot.info', res.bot?.open_id, 'bot open_id'),
        name: res.bot?.app_name ?? '',
      };
    },

    lastSuccessAt() {
      return lastSuccess === undefined ? undefined : new Date(lastSuccess);
    },

    async close() {
      closed = true;
      limiter.close();
      for (const entry of sleeps) {
        clearTimeout(entry.timer);
        entry.resolve();
      }
      sleeps.clear();
      userNames.clear();
    },
  };
  return port;
}
