/**
 * The Open API under /open-apis, with Lark's `{code,msg,data}` envelope and error codes.
 * Business errors are HTTP 400 `{code,msg,error:{log_id}}`; gateway rate limits are HTTP 429 +
 * 99991400 with x-ogw-ratelimit-limit/reset; the per-chat and per-message 5/s limits answer
 * HTTP 400 + 230020 (also with x-ogw-ratelimit-reset, as a courtesy to clients).
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  type ApiError,
  apiError,
  checkContent,
  ERR,
  isSharedCard,
  isSupportedMsgType,
  type MsgType,
  validateCard,
} from './content.js';
import { isRecord, parseMultipart, tryParseJson } from './http.js';
import type { RateLimiter, RateRule } from './ratelimit.js';
import {
  type AppSettings,
  addMessage,
  type EmuChat,
  type EmulatorState,
  type EmuMessage,
  p2pChatId,
  randomHex,
} from './state.js';
import type { TokenStore } from './tokens.js';

export interface RateLimitSettings {
  /** Per app × API (Lark tier: 50/s and 1000/min). */
  perAppPerSecond: number;
  perAppPerMinute: number;
  /** Message create/reply into one chat (Lark: 5/s per group). */
  perChatPerSecond: number;
  /** PATCH of one message (Lark: 5/s per message). */
  perMessageUpdatePerSecond: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  perAppPerSecond: 50,
  perAppPerMinute: 1000,
  perChatPerSecond: 5,
  perMessageUpdatePerSecond: 5,
};

export interface CardToken {
  token: string;
  message_id: string;
  issued_at: number;
  uses: number;
}

export interface OpenApiDeps {
  state: EmulatorState;
  appId: string;
  appSecret: string;
  tenantKey: string;
  botOpenId: string;
  botName: string;
  tokens: TokenStore;
  limiter: RateLimiter;
  rateLimits: () => RateLimitSettings | null;
  now: () => number;
  uuids: Map<string, { message_id: string; at: number }>;
  cardTokens: Map<string, CardToken>;
  app: () => AppSettings;
  onMessage: (message: EmuMessage, change: 'created' | 'updated') => void;
}

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  /** A binary answer (a downloaded file): sent as is, with `headers` naming its type. */
  raw?: Buffer;
}

const UUID_WINDOW_MS = 60 * 60 * 1000;
const CARD_TOKEN_TTL_MS = 30 * 60 * 1000;
const PATCH_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;

const ok = (data: unknown, msg = 'success'): ApiResponse => ({
  status: 200,
  body: { code: 0, msg, data },
});

function fail(error: ApiError, headers?: Record<string, string>): ApiResponse {
  const logId = randomHex(12).toUpperCase();
  return {
    status: error.status,
    body: {
      code: error.code,
      msg: error.msg,
      error: {
        log_id: logId,
        troubleshooter: `https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${error.code}`,
      },
    },
    ...(headers === undefined ? {} : { headers }),
  };
}

export function rateLimited(limit: number, resetSeconds: number): ApiResponse {
  return fail(apiError(99991400, 'request trigger frequency limit', 429), {
    'x-ogw-ratelimit-limit': String(limit),
    'x-ogw-ratelimit-reset': String(resetSeconds),
  });
}

/** Lark's `message` resource as the Open API returns it. */
function toApiMessage(
  deps: Pick<OpenApiDeps, 'appId' | 'tenantKey'>,
  m: EmuMessage,
): Record<string, unknown> {
  return {
    message_id: m.message_id,
    ...(m.root_id === undefined ? {} : { root_id: m.root_id }),
    ...(m.parent_id === undefined ? {} : { parent_id: m.parent_id }),
    ...(m.thread_id === undefined ? {} : { thread_id: m.thread_id }),
    msg_type: m.msg_type,
    create_time: String(m.create_time),
    update_time: String(m.update_time),
    deleted: false,
    updated: m.updated,
    chat_id: m.chat_id,
    sender:
      m.sender.type === 'app'
        ? { id: deps.appId, id_type: 'app_id', sender_type: 'app', tenant_key: deps.tenantKey }
        : { id: m.sender.open_id, id_type: 'open_id', sender_type: 'user', tenant_key: deps.tenantKey },
    body: { content: m.content },
    mentions: m.mentions.map((x) => ({
      key: x.key,
      id: x.open_id,
      id_type: 'open_id',
      name: x.name,
      tenant_key: deps.tenantKey,
    })),
  };
}

type Route = {
  method: string;
  pattern: RegExp;
  api: string;
  auth: boolean;
  handle: (deps: OpenApiDeps, req: ApiRequest, params: string[]) => ApiResponse | Promise<ApiResponse>;
};

const ROUTES: Route[] = [
  {
    method: 'POST',
    pattern: /^\/open-apis\/auth\/v3\/tenant_access_token\/internal\/?$/,
    api: 'tenant_access_token',
    auth: false,
    handle: issueToken,
  },
  {
    method: 'POST',
    pattern: /^\/open-apis\/im\/v1\/messages$/,
    api: 'message.create',
    auth: true,
    handle: createMessage,
  },
  {
    method: 'POST',
    pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/,
    api: 'message.reply',
    auth: true,
    handle: replyMessage,
  },
  {
    method: 'PATCH',
    pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
    api: 'message.patch',
    auth: true,
    handle: patchMessage,
  },
  {
    method: 'GET',
    pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)$/,
    api: 'message.get',
    auth: true,
    handle: getMessage,
  },
  {
    method: 'GET',
    pattern: /^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/,
    api: 'message.resource.get',
    auth: true,
    handle: getMessageResource,
  },
  {
    method: 'POST',
    pattern: /^\/open-apis\/im\/v1\/files$/,
    api: 'file.create',
    auth: true,
    handle: uploadFile,
  },
  {
    method: 'POST',
    pattern: /^\/open-apis\/im\/v1\/images$/,
    api: 'image.create',
    auth: true,
    handle: uploadImage,
  },
  { method: 'GET', pattern: /^\/open-apis\/im\/v1\/chats$/, api: 'chat.list', auth: true, handle: listChats },
  {
    method: 'GET',
    pattern: /^\/open-apis\/im\/v1\/chats\/([^/]+)$/,
    api: 'chat.get',
    auth: true,
    handle: getChat,
  },
  {
    method: 'GET',
    pattern: /^\/open-apis\/im\/v1\/chats\/([^/]+)\/members$/,
    api: 'chat.members.get',
    auth: true,
    handle: listChatMembers,
  },
  {
    method: 'GET',
    pattern: /^\/open-apis\/contact\/v3\/users\/([^/]+)$/,
    api: 'contact.user.get',
    auth: true,
    handle: getUser,
  },
  { method: 'GET', pattern: /^\/open-apis\/bot\/v3\/info$/, api: 'bot.info', auth: true, handle: botInfo },
  {
    method: 'POST',
    pattern: /^\/open-apis\/interactive\/v1\/card\/update$/,
    api: 'card.update',
    auth: true,
    handle: delayedCardUpdate,
  },
];

/** Handles one Open API request (faults are applied by the caller before this). */
export async function handleOpenApi(deps: OpenApiDeps, req: ApiRequest): Promise<ApiResponse> {
  let matched: { route: Route; params: string[] } | undefined;
  for (const route of ROUTES) {
    const m = route.pattern.exec(req.path);
    if (m !== null && route.method === req.method) {
      matched = { route, params: m.slice(1).map((p) => decodeURIComponent(p)) };
      break;
    }
  }
  if (matched === undefined) return { status: 404, body: { code: 404, msg: '404 page not found' } };
  const { route, params } = matched;
  if (route.auth) {
    const header = req.headers.authorization;
    const token = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim())?.[1] : undefined;
    if (token === undefined) {
      return fail(
        apiError(
          99991661,
          'Missing access token for authorization. Please make a request with token attached.',
        ),
      );
    }
    if (!deps.tokens.isValid(token, deps.now())) {
      return fail(
        apiError(
          99991663,
          'Invalid access token for authorization. Please make a request with token attached.',
        ),
      );
    }
    const limits = deps.rateLimits();
    if (limits !== null) {
      const denial = deps.limiter.take(
        [
          { key: `app:${route.api}`, limit: limits.perAppPerSecond, windowMs: 1000 },
          { key: `app:${route.api}`, limit: limits.perAppPerMinute, windowMs: 60_000 },
        ],
        deps.now(),
      );
      if (denial !== null) return rateLimited(denial.rule.limit, denial.resetSeconds);
    }
  }
  return route.handle(deps, req, params);
}

function jsonBody(req: ApiRequest): Record<string, unknown> | undefined {
  const parsed = tryParseJson(req.body.toString('utf8'));
  return isRecord(parsed) ? parsed : undefined;
}

function issueToken(deps: OpenApiDeps, req: ApiRequest): ApiResponse {
  const body = jsonBody(req);
  if (body === undefined || typeof body.app_id !== 'string' || typeof body.app_secret !== 'string') {
    return fail(apiError(10003, 'invalid param'));
  }
  if (body.app_id !== deps.appId) return fail(apiError(10003, 'invalid param: app_id not found'));
  if (body.app_secret !== deps.appSecret) return fail(apiError(10014, 'app secret invalid'));
  const { token, expiresInSeconds } = deps.tokens.issue(deps.now());
  // The token sits at the top level, not under `data`: the SDK reads it there.
  return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire: expiresInSeconds } };
}

function perChatLimit(deps: OpenApiDeps, chatId: string): ApiResponse | undefined {
  const limits = deps.rateLimits();
  if (limits === null) return undefined;
  const rule: RateRule = { key: `chat:${chatId}`, limit: limits.perChatPerSecond, windowMs: 1000 };
  const denial = deps.limiter.take([rule], deps.now());
  if (denial === null) return undefined;
  return fail(ERR.frequency(), {
    'x-ogw-ratelimit-limit': String(rule.limit),
    'x-ogw-ratelimit-reset': String(denial.resetSeconds),
  });
}

function findUserBy(deps: OpenApiDeps, idType: string, id: string) {
  for (const user of deps.state.users.values()) {
    if (idType === 'open_id' && user.open_id === id) return user;
    if (idType === 'union_id' && user.union_id === id) return user;
    if (idType === 'user_id' && user.user_id === id) return user;
  }
  return undefined;
}

function resolveTarget(deps: OpenApiDeps, idType: string | null, id: unknown): EmuChat | ApiError {
  if (idType === null || idType === '') return ERR.fieldValidation('receive_id_type is required');
  if (typeof id !== 'string' || id === '') return ERR.fieldValidation('receive_id is required');
  if (idType === 'chat_id') {
    const chat = deps.state.chats.get(id);
    return chat ?? ERR.invalidReceiveId(`chat ${id} not found`);
  }
  if (!['open_id', 'union_id', 'user_id', 'email'].includes(idType)) {
    return ERR.fieldValidation(`receive_id_type ${idType} is not supported`);
  }
  const user = findUserBy(deps, idType, id);
  if (user === undefined) return ERR.invalidReceiveId(`${idType} ${id} not found`);
  // A DM goes to the user's p2p chat with the bot, created on first use.
  const chatId = p2pChatId(user.open_id);
  let chat = deps.state.chats.get(chatId);
  if (chat === undefined) {
    chat = {
      chat_id: chatId,
      name: user.name,
      description: '',
      chat_type: 'p2p',
      members: [user.open_id],
      bot_member: true,
      status: 'normal',
      owner_id: user.open_id,
      create_time: deps.now(),
    };
    deps.state.chats.set(chatId, chat);
  }
  return chat;
}

function postMessage(
  deps: OpenApiDeps,
  input: {
    chat: EmuChat;
    body: Record<string, unknown>;
    parent?: EmuMessage;
    replyInThread?: boolean;
    bodyBytes: number;
  },
): ApiResponse {
  const { chat, body, parent } = input;
  const uuid = typeof body.uuid === 'string' && body.uuid !== '' ? body.uuid : undefined;
  if (uuid !== undefined && uuid.length > 50)
    return fail(ERR.fieldValidation('uuid must be at most 50 characters'));
  if (uuid !== undefined) {
    // Same uuid within an hour: Lark answers with the message it already sent.
    const seen = deps.uuids.get(uuid);
    const existing = seen === undefined ? undefined : deps.state.messages.get(seen.message_id);
    if (seen !== undefined && existing !== undefined && deps.now() - seen.at < UUID_WINDOW_MS) {
      return ok(toApiMessage(deps, existing));
    }
  }
  if (!isSupportedMsgType(body.msg_type)) {
    return fail(
      typeof body.msg_type === 'string'
        ? ERR.invalidParam(`msg_type ${body.msg_type} is not supported by the emulator`)
        : ERR.fieldValidation('msg_type is required'),
    );
  }
  const msgType: MsgType = body.msg_type;
  if (chat.status === 'dissolved') return fail(ERR.dissolved());
  if (!chat.bot_member) return fail(ERR.botNotInChat());
  const checked = checkContent(msgType, body.content, {
    hasFile: (key) => deps.state.files.get(key)?.kind === 'file',
    hasImage: (key) => deps.state.files.get(key)?.kind === 'image',
    userName: (openId) => deps.state.users.get(openId)?.name,
    bodyBytes: input.bodyBytes,
  });
  if ('error' in checked) return fail(checked.error);
  const limited = perChatLimit(deps, chat.chat_id);
  if (limited !== undefined) return limited;

  const now = deps.now();
  const message: EmuMessage = {
    message_id: `om_${randomHex(16)}`,
    chat_id: chat.chat_id,
    msg_type: msgType,
    content: checked.content,
    sender: { type: 'app', open_id: deps.botOpenId, name: deps.botName },
    mentions: checked.mentions,
    create_time: now,
    update_time: now,
    updated: false,
    ...(uuid === undefined ? {} : { uuid }),
  };
  if (parent !== undefined) {
    message.parent_id = parent.message_id;
    const rootId = parent.root_id ?? parent.message_id;
    message.root_id = rootId;
    const root = deps.state.messages.get(rootId);
    if (root !== undefined) {
      if (input.replyInThread === true && root.thread_id === undefined)
        root.thread_id = `omt_${randomHex(8)}`;
      if (root.thread_id !== undefined) message.thread_id = root.thread_id;
    }
  }
  addMessage(deps.state, message);
  if (uuid !== undefined) deps.uuids.set(uuid, { message_id: message.message_id, at: now });
  deps.onMessage(message, 'created');
  return ok(toApiMessage(deps, message));
}

function createMessage(deps: OpenApiDeps, req: ApiRequest): ApiResponse {
  const body = jsonBody(req);
  if (body === undefined) return fail(ERR.fieldValidation('request body must be JSON'));
  const target = resolveTarget(deps, req.query.get('receive_id_type'), body.receive_id);
  if ('code' in target) return fail(target);
  return postMessage(deps, { chat: target, body, bodyBytes: req.body.length });
}

function messageOr(deps: OpenApiDeps, id: string | undefined): EmuMessage | ApiResponse {
  const message = id === undefined ? undefined : deps.state.messages.get(id);
  return message ?? fail(ERR.invalidParam(`message ${id ?? ''} not found`));
}

function replyMessage(deps: OpenApiDeps, req: ApiRequest, params: string[]): ApiResponse {
  const parent = messageOr(deps, params[0]);
  if ('status' in parent) return parent;
  const body = jsonBody(req);
  if (body === undefined) return fail(ERR.fieldValidation('request body must be JSON'));
  const chat = deps.state.chats.get(parent.chat_id);
  if (chat === undefined) return fail(apiError(230045, 'The chat not exist.'));
  return postMessage(deps, {
    chat,
    body,
    parent,
    replyInThread: body.reply_in_thread === true,
    bodyBytes: req.body.length,
  });
}

/** A card may only @ people this app knows (open_ids are per app), within a 30 KB request. */
export function cardChecks(deps: Pick<OpenApiDeps, 'state'>, bodyBytes: number) {
  return { bodyBytes, knowsOpenId: (openId: string) => deps.state.users.has(openId) };
}

function applyCard(deps: OpenApiDeps, message: EmuMessage, content: string): void {
  message.content = content;
  message.updated = true;
  message.update_time = deps.now();
  deps.onMessage(message, 'updated');
}

function patchMessage(deps: OpenApiDeps, req: ApiRequest, params: string[]): ApiResponse {
  const message = messageOr(deps, params[0]);
  if ('status' in message) return message;
  const body = jsonBody(req);
  if (body === undefined || typeof body.content !== 'string')
    return fail(ERR.fieldValidation('content is required'));
  if (message.msg_type !== 'interactive') return fail(ERR.unsupportedType());
  if (message.sender.type !== 'app') return fail(ERR.noPermission('only the sender may update a card'));
  const chat = deps.state.chats.get(message.chat_id);
  if (chat?.status === 'dissolved') return fail(ERR.dissolved());
  if (chat !== undefined && !chat.bot_member) return fail(ERR.botNotInChat());
  if (deps.now() - message.create_time > PATCH_WINDOW_MS) {
    return fail(apiError(230031, 'Message can only be modified within 14 days after sending.'));
  }
  const checked = validateCard(body.content, cardChecks(deps, req.body.length));
  if ('error' in checked) return fail(checked.error);
  if (!isSharedCard(tryParseJson(message.content)) || !isSharedCard(checked.card))
    return fail(ERR.cardNotShared());
  const limits = deps.rateLimits();
  if (limits !== null) {
    const rule: RateRule = {
      key: `msg:${message.message_id}`,
      limit: limits.perMessageUpdatePerSecond,
      windowMs: 1000,
    };
    const denial = deps.limiter.take([rule], deps.now());
    if (denial !== null) {
      return fail(ERR.frequency(), {
        'x-ogw-ratelimit-limit': String(rule.limit),
        'x-ogw-ratelimit-reset': String(denial.resetSeconds),
      });
    }
  }
  applyCard(deps, message, body.content);
  return ok({}, 'ok');
}

function getMessage(deps: OpenApiDeps, _req: ApiRequest, params: string[]): ApiResponse {
  const message = messageOr(deps, params[0]);
  if ('status' in message) return message;
  const api = toApiMessage(deps, message);
  // A file message's content names the file as well as its key, {"file_key","file_name"}, as the receive
  // event carries it (https://open.feishu.cn/document/server-docs/im-v1/message/events/receive; read in
  // src/chat/intake/normalize.ts); a bot's own send gives only the key, so the name comes from the upload.
  const content = message.msg_type === 'file' ? tryParseJson(message.content) : undefined;
  if (isRecord(content) && typeof content.file_key === 'string' && content.file_name === undefined) {
    const name = deps.state.files.get(content.file_key)?.name;
    if (name !== undefined) api.body = { content: JSON.stringify({ ...content, file_name: name }) };
  }
  return ok({ items: [api] });
}

/**
 * GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file|image — the bytes of a file or
 * image in a message. Source: https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-resource/get
 * (获取消息中的资源文件; the SDK's `im.messageResource.get`, which asks for a stream): `type` is required
 * (`image` or `file`); "请求的 file_key 和 message_id 需要匹配", so a key not carried by that message is
 * refused as an invalid parameter (234001, the code the IM file APIs give for one); a card message answers
 * 234043 (the emulator has no merged-forward messages); the bot must be in the message's chat. The answer is the binary file with its
 * Content-Type.
 */
function getMessageResource(deps: OpenApiDeps, req: ApiRequest, params: string[]): ApiResponse {
  const message = messageOr(deps, params[0]);
  if ('status' in message) return message;
  const type = req.query.get('type');
  if (type !== 'file' && type !== 'image') return fail(ERR.fieldValidation('type must be image or file'));
  const chat = deps.state.chats.get(message.chat_id);
  if (chat === undefined || !chat.bot_member) return fail(ERR.botNotInChat());
  if (message.msg_type === 'interactive') return fail(apiError(234043, 'Unsupported message type.'));
  const key = params[1] ?? '';
  const parsed = tryParseJson(message.content);
  const carried = isRecord(parsed) ? [parsed.file_key, parsed.image_key] : [];
  const file = deps.state.files.get(key);
  if (!carried.includes(key) || file === undefined) return fail(apiError(234001, 'Invalid request param.'));
  return {
    status: 200,
    body: undefined,
    raw: file.data,
    headers: {
      'content-type': file.content_type,
      'content-disposition': `attachment; filename="${encodeURIComponent(file.name)}"`,
    },
  };
}

const FILE_TYPES = ['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream'];

function uploadFile(deps: OpenApiDeps, req: ApiRequest): ApiResponse {
  const parts = parseMultipart(req.body, req.headers['content-type']);
  if (parts === undefined) return fail(ERR.fieldValidation('multipart/form-data body expected'));
  const field = (name: string) => parts.find((p) => p.name === name);
  const fileType = field('file_type')?.data.toString('utf8');
  const fileName = field('file_name')?.data.toString('utf8');
  const file = field('file');
  if (fileType === undefined || !FILE_TYPES.includes(fileType)) {
    return fail(ERR.fieldValidation(`file_type must be one of ${FILE_TYPES.join(', ')}`));
  }
  if (fileName === undefined || fileName === '') return fail(ERR.fieldValidation('file_name is required'));
  if (file === undefined || file.data.length === 0) return fail(apiError(234010, 'File is empty.'));
  if (file.data.length > 30 * 1024 * 1024) return fail(apiError(234006, 'The file size exceeds the limit.'));
  const key = `file_v3_${randomHex(16)}`;
  deps.state.files.set(key, {
    key,
    kind: 'file',
    name: fileName,
    file_type: fileType,
    content_type: file.contentType ?? 'application/octet-stream',
    data: file.data,
    create_time: deps.now(),
  });
  return ok({ file_key: key });
}

function uploadImage(deps: OpenApiDeps, req: ApiRequest): ApiResponse {
  const parts = parseMultipart(req.body, req.headers['content-type']);
  if (parts === undefined) return fail(ERR.fieldValidation('multipart/form-data body expected'));
  const imageType = parts.find((p) => p.name === 'image_type')?.data.toString('utf8');
  const image = parts.find((p) => p.name === 'image');
  if (imageType !== 'message' && imageType !== 'avatar') {
    return fail(ERR.fieldValidation('image_type must be message or avatar'));
  }
  if (image === undefined || image.data.length === 0) return fail(apiError(234010, 'File is empty.'));
  if (image.data.length > 10 * 1024 * 1024) return fail(apiError(234006, 'The file size exceeds the limit.'));
  const key = `img_v3_${randomHex(16)}`;
  deps.state.files.set(key, {
    key,
    kind: 'image',
    name: image.filename ?? 'image',
    file_type: imageType,
    content_type: image.contentType ?? 'application/octet-stream',
    data: image.data,
    create_time: deps.now(),
  });
  return ok({ image_key: key });
}

function apiChat(deps: OpenApiDeps, chat: EmuChat): Record<string, unknown> {
  return {
    chat_id: chat.chat_id,
    avatar: '',
    name: chat.name,
    description: chat.description,
    owner_id: chat.owner_id,
    owner_id_type: 'open_id',
    external: false,
    tenant_key: deps.tenantKey,
    chat_status: chat.status,
  };
}

function listChats(deps: OpenApiDeps, req: ApiRequest): ApiResponse {
  const sizeText = req.query.get('page_size');
  const pageSize = sizeText === null ? 20 : Number(sizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    return fail(ERR.fieldValidation('page_size must be an integer between 1 and 100'));
  }
  const tokenText = req.query.get('page_token');
  let offset = 0;
  if (tokenText !== null && tokenText !== '') {
    const decoded = Number(Buffer.from(tokenText, 'base64url').toString('utf8').replace(/^p/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) return fail(ERR.fieldValidation('page_token is invalid'));
    offset = decoded;
  }
  const chats = [...deps.state.chats.values()]
    .filter((c) => c.chat_type === 'group' && c.bot_member)
    .sort((a, b) => a.create_time - b.create_time);
  const page = chats.slice(offset, offset + pageSize);
  const hasMore = offset + pageSize < chats.length;
  return ok({
    items: page.map((c) => apiChat(deps, c)),
    page_token: hasMore ? Buffer.from(`p${offset + pageSize}`).toString('base64url') : '',
    has_more: hasMore,
  });
}

function getChat(deps: OpenApiDeps, _req: ApiRequest, params: string[]): ApiResponse {
  const chat = params[0] === undefined ? undefined : deps.state.chats.get(params[0]);
  if (chat === undefined)
    return fail(apiError(232001, 'Your request contains an invalid request parameter.'));
  if (!chat.bot_member) return fail(apiError(232011, 'Operator can NOT be out of the chat.'));
  const { chat_id: _id, ...rest } = apiChat(deps, chat);
  return ok({ ...rest, chat_mode: 'group', chat_type: 'private', user_count: String(chat.members.length) });
}

/**
 * GET /open-apis/im/v1/chats/:chat_id/members — the group's people, bots never listed, paged.
 * Source: https://open.feishu.cn/document/server-docs/group/chat-member/get (and the SDK's
 * `im.chatMembers.get` types): `data.items[]` of {member_id_type, member_id, name, tenant_key},
 * `page_token`, `has_more`, `member_total`; page_size at most 100 (default 20); the operator (the bot)
 * must be in the group: 232011 otherwise; an unknown chat_id is 232001 (as chat.get answers).
 */
function listChatMembers(deps: OpenApiDeps, req: ApiRequest, params: string[]): ApiResponse {
  const chat = params[0] === undefined ? undefined : deps.state.chats.get(params[0]);
  if (chat === undefined || chat.chat_type !== 'group')
    return fail(apiError(232001, 'Your request contains an invalid request parameter.'));
  if (!chat.bot_member || chat.status === 'dissolved')
    return fail(apiError(232011, 'Operator can NOT be out of the chat.'));
  const idType = req.query.get('member_id_type') ?? 'open_id';
  if (!['open_id', 'union_id', 'user_id'].includes(idType))
    return fail(ERR.fieldValidation('member_id_type must be one of open_id, union_id, user_id'));
  const sizeText = req.query.get('page_size');
  const pageSize = sizeText === null ? 20 : Number(sizeText);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) {
    return fail(ERR.fieldValidation('page_size must be an integer between 1 and 100'));
  }
  const tokenText = req.query.get('page_token');
  let offset = 0;
  if (tokenText !== null && tokenText !== '') {
    const decoded = Number(Buffer.from(tokenText, 'base64url').toString('utf8').replace(/^m/, ''));
    if (!Number.isInteger(decoded) || decoded < 0) return fail(ERR.fieldValidation('page_token is invalid'));
    offset = decoded;
  }
  const members = chat.members;
  const page = members.slice(offset, offset + pageSize);
  const hasMore = offset + pageSize < members.length;
  return ok({
    items: page.map((openId) => {
      const user = deps.state.users.get(openId);
      const memberId = idType === 'union_id' ? user?.union_id : idType === 'user_id' ? user?.user_id : openId;
      return {
        member_id_type: idType,
        member_id: memberId ?? openId,
        name: user?.name ?? '',
        tenant_key: deps.tenantKey,
      };
    }),
    page_token: hasMore ? Buffer.from(`m${offset + pageSize}`).toString('base64url') : '',
    has_more: hasMore,
    member_total: members.length,
  });
}

/** Lark answers this one with `bot` at the top level, not under `data`. */
function botInfo(deps: OpenApiDeps): ApiResponse {
  return {
    status: 200,
    body: {
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: deps.botName,
        avatar_url: '',
        ip_white_list: [],
        open_id: deps.botOpenId,
      },
    },
  };
}

/**
 * GET /open-apis/contact/v3/users/:user_id (LARK.md §10; DOC
 * https://open.feishu.cn/document/server-docs/contact-v3/user/get): with a tenant_access_token the user
 * must be inside the app's contact range, otherwise 41050 "no user authority"; `name` comes back only
 * with the field scope contact:user.base:readonly, so without it the user has ids but no name.
 */
function getUser(deps: OpenApiDeps, req: ApiRequest, params: string[]): ApiResponse {
  const idType = req.query.get('user_id_type') ?? 'open_id';
  const user = params[0] === undefined ? undefined : findUserBy(deps, idType, params[0]);
  const { contactNames, contactRange } = deps.app();
  if (user === undefined || (contactRange !== 'all' && !contactRange.includes(user.open_id)))
    return fail(apiError(41050, 'no user authority error'));
  return ok({
    user: {
      open_id: user.open_id,
      union_id: user.union_id,
      user_id: user.user_id,
      ...(contactNames ? { name: user.name, en_name: user.name } : {}),
      avatar: { avatar_72: '', avatar_240: '', avatar_640: '', avatar_origin: '' },
      status: {
        is_activated: true,
        is_frozen: false,
        is_resigned: false,
        is_exited: false,
        is_unjoin: false,
      },
    },
  });
}

function delayedCardUpdate(deps: OpenApiDeps, req: ApiRequest): ApiResponse {
  const body = jsonBody(req);
  if (body === undefined || typeof body.token !== 'string' || !isRecord(body.card)) {
    return fail(ERR.fieldValidation('token and card are required'));
  }
  const entry = deps.cardTokens.get(body.token);
  if (entry === undefined || deps.now() - entry.issued_at > CARD_TOKEN_TTL_MS || entry.uses >= 2) {
    return fail(ERR.invalidParam('the card token is invalid, expired (30 min) or used up (2 uses)'));
  }
  const message = deps.state.messages.get(entry.message_id);
  if (message === undefined) return fail(ERR.invalidParam('message not found'));
  const content = JSON.stringify(body.card);
  const checked = validateCard(content, cardChecks(deps, req.body.length));
  if ('error' in checked) return fail(checked.error);
  entry.uses += 1;
  applyCard(deps, message, content);
  return ok({}, 'ok');
}
