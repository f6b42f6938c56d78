/**
 * The Lark emulator: an HTTP server that answers the Open API like Feishu/Lark (envelopes, error
 * codes, rate limits), delivers events like Lark over the app's subscription mode (pushed to the
 * bot's webhook, signed, encrypted and retried, or sent on the long connection, long-connection.ts),
 * and offers a control API that acts as Lark's users. See control.ts for the control routes.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '../logger.js';
import { cardActionOf } from './card-rules.js';
import { nameMentionsToPlaceholders, validateCard } from './content.js';
import { handleControl, type SseHub } from './control.js';
import { EmulatorInputError } from './errors.js';
import { createFaultBook } from './faults.js';
import { isLoopbackHost, refusalOf } from './guard.js';
import { isRecord, logId, readBody, sendJson, tryParseJson } from './http.js';
import {
  createLongConnectionHub,
  DEFAULT_WS_CLIENT_CONFIG,
  LONG_CONNECTION_PATH,
} from './long-connection.js';
import {
  type CardToken,
  cardChecks,
  DEFAULT_RATE_LIMITS,
  handleOpenApi,
  type OpenApiDeps,
  type RateLimitSettings,
  rateLimited,
} from './openapi.js';
import { createEventPusher, DEFAULT_RETRY_SCHEDULE_MS, type TransportName } from './push.js';
import { createRateLimiter } from './ratelimit.js';
import {
  addMessage,
  chatIdForName,
  createState,
  type EmuChat,
  type EmuFile,
  type EmulatorSnapshot,
  type EmuMessage,
  type EmuUser,
  makeUser,
  openIdForName,
  p2pChatId,
  randomHex,
  restoreState,
  snapshotState,
} from './state.js';
import { serveStatic } from './static.js';
import { createTokenStore } from './tokens.js';
import type {
  AppSettings,
  CardActionResult,
  EmulatorChange,
  LarkEmulator,
  LarkEmulatorOptions,
  RequestLogEntry,
} from './types.js';
import { type ChatView, chatView, messageView, userView } from './views.js';

export { encryptPayload, signPayload } from './push.js';
export type { EmulatorSnapshot } from './state.js';
export { chatIdForName, openIdForName } from './state.js';
export type { LarkEmulator, LarkEmulatorOptions } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createLarkEmulator(options: LarkEmulatorOptions = {}): LarkEmulator {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const appId = options.appId ?? 'cli_a1b2c3d4e5f60718';
  const appSecret = options.appSecret ?? 'emulator-app-secret';
  const botName = options.botName ?? '督办';
  const botOpenId = options.botOpenId ?? openIdForName(`bot:${appId}`);
  const botUnionId = `on_${createHash('sha256').update(`bot-union:${appId}`).digest('hex').slice(0, 32)}`;
  const tenantKey = options.tenantKey ?? 'emulator_tenant';
  const verificationToken = options.verificationToken ?? 'emulator-verification-token';
  const encryptKey = options.encryptKey === '' ? undefined : options.encryptKey;
  let webhookUrl = options.webhookUrl;
  // The app's subscription mode in the developer console: events go one way or the other, not both.
  let transport: TransportName = options.transport ?? 'webhook';
  let duplicatePushes = Math.max(1, options.duplicatePushes ?? 1);
  let repushChance = Math.min(1, Math.max(0, options.repushWithNewEventId ?? 0));
  const random = options.random ?? Math.random;
  // Mutable app settings: the control API flips them the way a tenant admin grants or revokes.
  const app: AppSettings = {
    groupMessages: (options.groupMessageEvents ?? 'all') === 'all',
    contactNames: options.contact?.contactNames ?? true,
    contactRange: options.contact?.contactRange ?? 'all',
  };

  const state = createState();
  const tokens = createTokenStore({ ttlSeconds: options.tokenTtlSeconds ?? 7200 });
  const limiter = createRateLimiter();
  const faults = createFaultBook(options.random === undefined ? {} : { random: options.random });
  let rateLimits: RateLimitSettings | null =
    options.rateLimits === false ? null : { ...DEFAULT_RATE_LIMITS, ...(options.rateLimits ?? {}) };
  const uuids = new Map<string, { message_id: string; at: number }>();
  const cardTokens = new Map<string, CardToken>();
  // Restored messages keep their uuid, so a bot that resends after a restart still gets one message.
  const load = (snapshot: EmulatorSnapshot): void => {
    restoreState(state, snapshot);
    uuids.clear();
    cardTokens.clear();
    for (const message of state.messages.values()) {
      if (message.uuid !== undefined)
        uuids.set(message.uuid, { message_id: message.message_id, at: message.create_time });
    }
  };
  if (options.initialState !== undefined) load(options.initialState);
  const listeners = new Set<(event: EmulatorChange) => void>();
  const log: RequestLogEntry[] = [];

  const emit = (change: EmulatorChange): void => {
    for (const listener of listeners) {
      try {
        listener(change);
      } catch (error) {
        logger.warn({ err: error }, 'emulator listener failed');
      }
    }
  };

  const { fragmentBytes, ...clientConfig } = options.longConnection ?? {};
  const hub = createLongConnectionHub({
    appId,
    appSecret,
    clientConfig: { ...DEFAULT_WS_CLIENT_CONFIG, ...clientConfig },
    fragmentBytes: fragmentBytes ?? 0,
    logger,
    now,
    random,
  });

  const pusher = createEventPusher({
    getWebhookUrl: () => webhookUrl,
    longConnection: { transport: hub.transport, active: () => transport === 'websocket' },
    appId,
    tenantKey,
    verificationToken,
    encryptKey,
    retrySchedule: options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE_MS,
    ackTimeoutMs: options.ackTimeoutMs ?? 3000,
    logger,
    now,
  });

  const deps: OpenApiDeps = {
    state,
    appId,
    appSecret,
    tenantKey,
    botOpenId,
    botName,
    tokens,
    limiter,
    rateLimits: () => rateLimits,
    now,
    uuids,
    cardTokens,
    app: () => app,
    onMessage: (message, change) =>
      emit({
        type: change === 'created' ? 'message' : 'message_updated',
        message: messageView(state, message),
      }),
  };

  const requireChat = (chatId: string): EmuChat => {
    const chat = state.chats.get(chatId);
    if (chat === undefined) throw new EmulatorInputError(404, `unknown chat ${chatId}`);
    return chat;
  };
  const requireUser = (openId: string): EmuUser => {
    const user = state.users.get(openId);
    if (user === undefined)
      throw new EmulatorInputError(400, `unknown user ${openId}; create it with POST /_emulator/users`);
    return user;
  };
  const chatChanged = (chat: EmuChat): ChatView => {
    const view = chatView(state, chat);
    emit({ type: 'chat', chat: view });
    return view;
  };
  const userIds = (openId: string) => {
    const user = state.users.get(openId);
    return { union_id: user?.union_id ?? '', user_id: user?.user_id ?? '', open_id: openId };
  };

  const pushEvent = (
    eventType: string,
    event: Record<string, unknown>,
    pushOptions: { duplicates?: number } = {},
  ) => {
    const records = pusher.push(eventType, event, { duplicates: pushOptions.duplicates ?? duplicatePushes });
    logger.debug({ event_type: eventType, event_id: records[0]?.event_id }, 'event pushed');
    return records;
  };

  const emitBotAdded = (chat: EmuChat, operatorOpenId: string | undefined): void => {
    const operator = operatorOpenId ?? chat.owner_id;
    pushEvent('im.chat.member.bot.added_v1', {
      chat_id: chat.chat_id,
      operator_id: userIds(operator),
      external: false,
      operator_tenant_key: tenantKey,
      name: chat.name,
      i18n_names: { zh_cn: chat.name },
    });
  };

  /**
   * im.chat.member.user.added_v1 / deleted_v1, pushed to a bot in the group. Shape from the SDK's
   * event types (node-sdk types/index.d.ts, "用户进群" / "用户出群") and
   * https://open.feishu.cn/document/server-docs/group/chat-member/event/added-2: `chat_id`,
   * `operator_id`, `external`, `operator_tenant_key`, `users[]` of {name, tenant_key, user_id:{…}},
   * `name`, `i18n_names`. Only bots in the group hear about it.
   */
  const emitMembersChanged = (
    chat: EmuChat,
    change: 'added' | 'deleted',
    openIds: string[],
    operatorOpenId: string | undefined,
  ): void => {
    if (!chat.bot_member || chat.status === 'dissolved' || openIds.length === 0) return;
    const operator = operatorOpenId ?? chat.owner_id;
    pushEvent(`im.chat.member.user.${change}_v1`, {
      chat_id: chat.chat_id,
      operator_id: userIds(operator),
      external: false,
      operator_tenant_key: tenantKey,
      users: openIds.map((openId) => ({
        name: state.users.get(openId)?.name ?? '',
        tenant_key: tenantKey,
        user_id: userIds(openId),
      })),
      name: chat.name,
      i18n_names: { zh_cn: chat.name },
    });
  };

  const ensureP2p = (openId: string): EmuChat => {
    const user = requireUser(openId);
    const chatId = p2pChatId(openId);
    let chat = state.chats.get(chatId);
    if (chat === undefined) {
      chat = {
        chat_id: chatId,
        name: user.name,
        description: '',
        chat_type: 'p2p',
        members: [openId],
        bot_member: true,
        status: 'normal',
        owner_id: openId,
        create_time: now(),
      };
      state.chats.set(chatId, chat);
      chatChanged(chat);
    }
    return chat;
  };

  let server: Server | undefined;
  let url = '';
  let listeningPort = 0;
  const sse: SseHub = { clients: new Set() };

  const recordRequest = (entry: RequestLogEntry): void => {
    logger.debug(entry, 'open api request');
    log.push(entry);
    if (log.length > 5000) log.splice(0, log.length - 5000);
  };

  async function handleOpen(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) {
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const fired = faults.take(method, path);
    const kinds = fired.map((f) => f.spec.kind);
    for (const fault of fired) if (fault.spec.kind === 'latency') await sleep(fault.spec.latencyMs ?? 1000);
    if (kinds.includes('token_expiry')) tokens.invalidateAll();
    if (kinds.includes('drop')) {
      recordRequest({ at: now(), method, path, status: 'dropped', faults: kinds });
      req.socket.destroy();
      return;
    }
    const serverError = fired.find((f) => f.spec.kind === 'server_error');
    if (serverError !== undefined) {
      const status = serverError.spec.status ?? 500;
      recordRequest({ at: now(), method, path, status, faults: kinds });
      sendJson(res, status, { code: status, msg: 'internal server error (injected by the emulator)' });
      return;
    }
    const limit = fired.find((f) => f.spec.kind === 'rate_limit');
    if (limit !== undefined) {
      const answer = rateLimited(rateLimits?.perAppPerSecond ?? 50, limit.spec.resetSeconds ?? 1);
      recordRequest({ at: now(), method, path, status: answer.status, faults: kinds });
      sendJson(res, answer.status, answer.body, answer.headers);
      return;
    }
    const answer = await handleOpenApi(deps, { method, path, query, headers: req.headers, body });
    if (kinds.includes('drop_after_store')) {
      recordRequest({ at: now(), method, path, status: 'dropped', faults: kinds });
      req.socket.destroy();
      return;
    }
    recordRequest({ at: now(), method, path, status: answer.status, faults: kinds });
    if (answer.raw !== undefined) {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(answer.status, {
        'content-length': String(answer.raw.length),
        'x-tt-logid': logId(),
        ...(answer.headers ?? {}),
      });
      res.end(answer.raw);
      return;
    }
    sendJson(res, answer.status, answer.body, { 'x-tt-logid': logId(), ...(answer.headers ?? {}) });
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://emulator.local');
    const path = parsed.pathname;
    const refused = refusalOf(req, path, { listenHost: host, port: listeningPort });
    if (refused !== undefined) {
      logger.warn({ path, host: req.headers.host, origin: req.headers.origin }, refused.error);
      sendJson(res, refused.status, { error: refused.error });
      req.resume(); // drain the unread body so the connection is answered cleanly
      return;
    }
    try {
      if (path.startsWith('/open-apis/')) {
        await handleOpen(req, res, path, parsed.searchParams);
      } else if (path === '/callback/ws/endpoint' && req.method === 'POST') {
        const answer = hub.endpoint(await readBody(req, 64 * 1024), url.replace(/^http/, 'ws'));
        recordRequest({ at: now(), method: 'POST', path, status: answer.status, faults: [] });
        sendJson(res, answer.status, answer.body, { 'x-tt-logid': logId() });
      } else if (path === '/_emulator' || path.startsWith('/_emulator/')) {
        await handleControl({ emulator, sse, logger }, req, res, path, parsed.searchParams);
      } else {
        await serveStatic(req, res, path, options.webRoot);
      }
    } catch (error) {
      if (error instanceof EmulatorInputError) {
        sendJson(res, error.status, { error: error.message });
        return;
      }
      logger.error({ err: error, path }, 'emulator request failed');
      sendJson(res, 500, { error: (error as Error).message });
    }
  }

  const emulator: LarkEmulator = {
    get url() {
      return url;
    },
    appId,
    appSecret,
    botOpenId,
    botName,
    verificationToken,
    encryptKey,
    get webhookUrl() {
      return webhookUrl;
    },

    async start() {
      if (server !== undefined) return { url };
      const created = createServer((req, res) => {
        void onRequest(req, res);
      });
      server = created;
      created.on('upgrade', (req, socket, head: Buffer) => {
        const path = new URL(req.url ?? '/', 'http://emulator.local').pathname;
        if (path === LONG_CONNECTION_PATH) hub.upgrade(req, socket, head);
        else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      });
      await new Promise<void>((resolve, reject) => {
        created.once('error', reject);
        created.listen(options.port ?? 0, host, () => {
          created.off('error', reject);
          resolve();
        });
      });
      const address = created.address() as AddressInfo;
      listeningPort = address.port;
      if (!isLoopbackHost(host)) {
        logger.warn(
          { host, port: address.port },
          'the Lark emulator listens beyond this machine: anyone who can reach it can act as any user',
        );
      }
      const shownHost =
        host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      url = `http://${shownHost}:${address.port}`;
      logger.info({ url }, 'Lark emulator listening');
      return { url };
    },

    async stop() {
      pusher.stop();
      hub.stop();
      for (const client of sse.clients) client.end();
      sse.clients.clear();
      const current = server;
      server = undefined;
      if (current === undefined) return;
      await new Promise<void>((resolve) => {
        current.close(() => resolve());
        current.closeAllConnections();
      });
    },

    addUser(input) {
      if (typeof input.name !== 'string' || input.name.trim() === '') {
        throw new EmulatorInputError(400, 'name is required');
      }
      const user = makeUser({
        name: input.name.trim(),
        ...(input.open_id === undefined ? {} : { open_id: input.open_id }),
      });
      const existing = state.users.get(user.open_id);
      if (existing !== undefined) {
        existing.name = user.name;
        return userView(existing);
      }
      state.users.set(user.open_id, user);
      return userView(user);
    },
    users: () => [...state.users.values()].map(userView),

    createChat(input) {
      if (typeof input.name !== 'string' || input.name.trim() === '') {
        throw new EmulatorInputError(400, 'name is required');
      }
      const name = input.name.trim();
      const members = input.members ?? [];
      for (const openId of members) requireUser(openId);
      const chatId = chatIdForName(name);
      let chat = state.chats.get(chatId);
      const wantBot = input.bot ?? true;
      if (chat === undefined) {
        chat = {
          chat_id: chatId,
          name,
          description: '',
          chat_type: 'group',
          members: [...new Set(members)],
          bot_member: wantBot,
          status: 'normal',
          owner_id: input.operator_open_id ?? members[0] ?? botOpenId,
          create_time: now(),
        };
        state.chats.set(chatId, chat);
        const view = chatChanged(chat);
        if (wantBot) emitBotAdded(chat, input.operator_open_id);
        return view;
      }
      const joined = [...new Set(members)].filter((openId) => !chat.members.includes(openId));
      chat.members = [...chat.members, ...joined];
      if (wantBot && !chat.bot_member) return emulator.setBotMember(chatId, true, input.operator_open_id);
      const view = chatChanged(chat);
      emitMembersChanged(chat, 'added', joined, input.operator_open_id);
      return view;
    },
    chats: () =>
      [...state.chats.values()].sort((a, b) => a.create_time - b.create_time).map((c) => chatView(state, c)),
    chat: (chatId) => {
      const chat = state.chats.get(chatId);
      return chat === undefined ? undefined : chatView(state, chat);
    },
    addMembers(chatId, openIds, operatorOpenId) {
      const chat = requireChat(chatId);
      if (chat.chat_type !== 'group') throw new EmulatorInputError(400, 'only a group has members to add');
      for (const openId of openIds) requireUser(openId);
      const joined = [...new Set(openIds)].filter((openId) => !chat.members.includes(openId));
      chat.members = [...chat.members, ...joined];
      const view = chatChanged(chat);
      emitMembersChanged(chat, 'added', joined, operatorOpenId);
      return view;
    },
    removeMembers(chatId, openIds, operatorOpenId) {
      const chat = requireChat(chatId);
      if (chat.chat_type !== 'group') throw new EmulatorInputError(400, 'only a group has members to remove');
      const gone = chat.members.filter((openId) => openIds.includes(openId));
      chat.members = chat.members.filter((openId) => !gone.includes(openId));
      const view = chatChanged(chat);
      emitMembersChanged(chat, 'deleted', gone, operatorOpenId);
      return view;
    },
    setBotMember(chatId, member, operatorOpenId) {
      const chat = requireChat(chatId);
      if (chat.status === 'dissolved') throw new EmulatorInputError(400, 'the chat is dissolved');
      const wasMember = chat.bot_member;
      chat.bot_member = member;
      const view = chatChanged(chat);
      if (member && !wasMember) emitBotAdded(chat, operatorOpenId);
      return view;
    },
    dissolveChat(chatId) {
      const chat = requireChat(chatId);
      chat.status = 'dissolved';
      return chatChanged(chat);
    },
    p2pChat: (openId) => chatView(state, ensureP2p(openId)),
    messages(chatId) {
      requireChat(chatId);
      return (state.chatMessages.get(chatId) ?? []).flatMap((id) => {
        const m = state.messages.get(id);
        return m === undefined ? [] : [messageView(state, m)];
      });
    },
    message(messageId) {
      const m = state.messages.get(messageId);
      return m === undefined ? undefined : messageView(state, m);
    },
    file(key) {
      const file: EmuFile | undefined = state.files.get(key);
      return file === undefined
        ? undefined
        : { name: file.name, contentType: file.content_type, data: file.data };
    },

    postAsUser(input) {
      const chat = requireChat(input.chat_id);
      const user = requireUser(input.open_id);
      const file = input.file;
      if (file === undefined && (typeof input.text !== 'string' || input.text.trim() === '')) {
        throw new EmulatorInputError(400, 'text is required');
      }
      if (file !== undefined && (file.name === '' || file.data.length === 0)) {
        throw new EmulatorInputError(400, 'a file needs a name and some bytes');
      }
      if (chat.status === 'dissolved') throw new EmulatorInputError(400, 'the chat is dissolved');
      if (!chat.members.includes(user.open_id)) {
        throw new EmulatorInputError(403, `${user.name} is not a member of ${chat.name}`);
      }
      let parent: EmuMessage | undefined;
      if (input.parent_id !== undefined && input.parent_id !== null && input.parent_id !== '') {
        parent = state.messages.get(input.parent_id);
        if (parent === undefined || parent.chat_id !== chat.chat_id) {
          throw new EmulatorInputError(400, `unknown parent message ${input.parent_id} in this chat`);
        }
      }
      const people = [
        ...(chat.bot_member ? [{ open_id: botOpenId, name: botName }] : []),
        ...chat.members.map((id) => ({ open_id: id, name: state.users.get(id)?.name ?? '' })),
      ];
      const at = now();
      let content: string;
      let mentions: ReturnType<typeof nameMentionsToPlaceholders>['mentions'] = [];
      if (file !== undefined) {
        // A person's file message: the upload is stored and the content names it, {"file_key","file_name"}
        // (im.message.receive_v1; DOC https://open.feishu.cn/document/server-docs/im-v1/message/events/receive).
        const key = `file_v3_${randomHex(16)}`;
        state.files.set(key, {
          key,
          kind: 'file',
          name: file.name,
          file_type: 'stream',
          content_type: 'application/octet-stream',
          data: Buffer.from(file.data),
          create_time: at,
        });
        content = JSON.stringify({ file_key: key, file_name: file.name });
      } else {
        const written = nameMentionsToPlaceholders(input.text ?? '', people);
        mentions = written.mentions;
        content = JSON.stringify({ text: written.text });
      }
      const message: EmuMessage = {
        message_id: `om_${randomHex(16)}`,
        chat_id: chat.chat_id,
        msg_type: file === undefined ? 'text' : 'file',
        content,
        sender: { type: 'user', open_id: user.open_id, name: user.name },
        mentions,
        create_time: at,
        update_time: at,
        updated: false,
      };
      if (parent !== undefined) {
        message.parent_id = parent.message_id;
        message.root_id = parent.root_id ?? parent.message_id;
        const root = state.messages.get(message.root_id);
        if (root?.thread_id !== undefined) message.thread_id = root.thread_id;
      }
      addMessage(state, message);
      const view = messageView(state, message);
      emit({ type: 'message', message: view });

      // Lark pushes a group message that does not @ the bot (a thread reply included) only to an app
      // granted the sensitive scope im:message.group_msg; im:message.group_at_msg gives only @-mentions
      // (LARK.md §10; DOC https://open.feishu.cn/document/server-docs/im-v1/message/events/receive).
      const mentionsBot = mentions.some((m) => m.open_id === botOpenId);
      const delivered = chat.bot_member && (chat.chat_type === 'p2p' || app.groupMessages || mentionsBot);
      if (!delivered) return { message: view, event_id: null };
      const receive = {
        sender: { sender_id: userIds(user.open_id), sender_type: 'user', tenant_key: tenantKey },
        message: {
          message_id: message.message_id,
          ...(message.root_id === undefined ? {} : { root_id: message.root_id }),
          ...(message.parent_id === undefined ? {} : { parent_id: message.parent_id }),
          ...(message.thread_id === undefined ? {} : { thread_id: message.thread_id }),
          create_time: String(message.create_time),
          update_time: String(message.update_time),
          chat_id: chat.chat_id,
          chat_type: chat.chat_type,
          message_type: message.msg_type,
          content: message.content,
          mentions: mentions.map((m) => ({
            key: m.key,
            id:
              m.open_id === botOpenId
                ? { union_id: botUnionId, user_id: '', open_id: botOpenId }
                : userIds(m.open_id),
            name: m.name,
            tenant_key: tenantKey,
          })),
          user_agent: 'Lark-Emulator/1.0',
        },
      };
      const records = pushEvent('im.message.receive_v1', receive);
      // Each push builds a fresh envelope, so the repeat carries a new event_id and the same message_id.
      if (repushChance > 0 && random() < repushChance) pushEvent('im.message.receive_v1', receive);
      return { message: view, event_id: records[0]?.event_id ?? null };
    },

    async clickCard(input) {
      const message = state.messages.get(input.message_id);
      if (message === undefined) throw new EmulatorInputError(404, `unknown message ${input.message_id}`);
      if (message.msg_type !== 'interactive') throw new EmulatorInputError(400, 'the message is not a card');
      const user = requireUser(input.open_id);
      const chat = requireChat(message.chat_id);
      if (!chat.members.includes(user.open_id)) {
        throw new EmulatorInputError(403, `${user.name} is not a member of ${chat.name}`);
      }
      if (!isRecord(input.value)) throw new EmulatorInputError(400, 'value must be an object');
      if (input.form_value !== undefined && !isRecord(input.form_value)) {
        throw new EmulatorInputError(400, 'form_value must be an object');
      }
      const tapped = cardActionOf(tryParseJson(message.content), {
        value: input.value,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.form_value === undefined ? {} : { formValue: input.form_value }),
      });
      const token = `c-${randomHex(20)}`;
      cardTokens.set(token, { token, message_id: message.message_id, issued_at: now(), uses: 0 });
      const { record, result } = await pusher.call(
        'card.action.trigger',
        {
          operator: { tenant_key: tenantKey, ...userIds(user.open_id) },
          token,
          action: {
            value: input.value,
            tag: tapped.tag,
            ...(tapped.name === undefined ? {} : { name: tapped.name }),
            timezone: 'Asia/Shanghai',
            ...(tapped.formValue === undefined ? {} : { form_value: tapped.formValue }),
          },
          host: 'im_message',
          context: { open_message_id: message.message_id, open_chat_id: message.chat_id },
        },
        { createTime: String(now() * 1000) }, // card callbacks carry microseconds
      );
      if (result.status !== 200) {
        throw new EmulatorInputError(
          502,
          `the bot did not answer the card action with 200 (${result.error ?? `HTTP ${result.status}`})`,
        );
      }
      const answer = result.text.trim() === '' ? {} : tryParseJson(result.text);
      if (!isRecord(answer))
        throw new EmulatorInputError(502, 'the bot answered the card action with invalid JSON');
      let card: Record<string, unknown> | null = null;
      if (isRecord(answer.card)) {
        const cardAnswer = answer.card;
        const next =
          cardAnswer.type === 'raw' && isRecord(cardAnswer.data)
            ? cardAnswer.data
            : cardAnswer.type === 'template'
              ? cardAnswer
              : undefined;
        if (next === undefined)
          throw new EmulatorInputError(502, 'the bot answered with an unknown card type');
        const content = JSON.stringify(next);
        const checked = validateCard(content, cardChecks(deps, Buffer.byteLength(result.text)));
        if ('error' in checked)
          throw new EmulatorInputError(502, `the bot answered with a bad card: ${checked.error.msg}`);
        message.content = content;
        message.updated = true;
        message.update_time = now();
        emit({ type: 'message_updated', message: messageView(state, message) });
        card = next;
      }
      const toast = isRecord(answer.toast) ? (answer.toast as CardActionResult['toast']) : null;
      return { toast, card, event_id: record.event_id };
    },

    setWebhookUrl(next) {
      webhookUrl = next === '' ? undefined : next;
    },
    get transport() {
      return transport;
    },
    setTransport(next) {
      transport = next;
    },
    longConnections: () => hub.connections(),
    dropLongConnections: (dropOptions) => hub.drop(dropOptions),
    setLongConnectionOutage: (down) => hub.setOutage(down),
    pushEvent,
    setDuplicatePushes(count) {
      duplicatePushes = Math.max(1, Math.floor(count));
    },
    setRepushWithNewEventId(probability) {
      repushChance = Math.min(1, Math.max(0, probability));
    },
    appSettings: () => structuredClone(app),
    setAppSettings(next) {
      if (next.groupMessages !== undefined) app.groupMessages = next.groupMessages;
      if (next.contactNames !== undefined) app.contactNames = next.contactNames;
      if (next.contactRange !== undefined)
        app.contactRange = next.contactRange === 'all' ? 'all' : [...next.contactRange];
      return structuredClone(app);
    },
    async verifyUrl() {
      return (await pusher.verifyUrl()).ok;
    },
    deliveries: () => pusher.records(),
    clearDeliveries: () => pusher.clearRecords(),
    idle: () => pusher.idle(),

    injectFault: (spec) => faults.add(spec),
    faults: () => faults.list(),
    clearFaults: () => faults.clear(),
    expireTokens: () => tokens.invalidateAll(),
    setRateLimits(limits) {
      rateLimits = limits === false ? null : { ...DEFAULT_RATE_LIMITS, ...limits };
      limiter.reset();
    },
    requestLog: () => log.slice(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    snapshot: () => snapshotState(state),
    restore(snapshot) {
      load(snapshot);
    },
  };
  return emulator;
}
