/**
 * The control API: acts as Lark's users and lets tests, the web page and scripts look inside.
 * All bodies are JSON; errors are `{"error": "…"}` with 400 (bad input), 403, 404 or 502. Before a
 * request reaches here, guard.ts refuses another site's page: a foreign Host (421), an Origin other
 * than the emulator's own (403), a body not sent as `Content-Type: application/json` (415).
 *
 *   GET    /_emulator                               this route list
 *   GET    /_emulator/config                        {app_id, bot_name, bot_open_id, webhook_url, encrypted,
 *                                                    transport: "webhook" | "websocket"}
 *   GET    /_emulator/users                         [{open_id, union_id, user_id, name}]
 *   POST   /_emulator/users                         {name, open_id?} → user (open_id derives from name if absent)
 *   GET    /_emulator/chats                         [chat] with members and bot membership
 *   POST   /_emulator/chats                         {name, members?: [open_id], bot?: true, operator_open_id?}
 *                                                   → chat (idempotent by name; emits bot.added when the bot joins)
 *   GET    /_emulator/chats/:chat_id                chat
 *   POST   /_emulator/chats/:chat_id/members        {open_ids: [...], operator_open_id?} → chat
 *                                                   (emits im.chat.member.user.added_v1 for new members)
 *   DELETE /_emulator/chats/:chat_id/members        {open_ids: [...], operator_open_id?} → chat
 *                                                   (emits im.chat.member.user.deleted_v1)
 *   POST   /_emulator/chats/:chat_id/bot            {member: true|false, operator_open_id?} → chat
 *   POST   /_emulator/chats/:chat_id/dissolve       → chat (status "dissolved"; sends then fail with 232009)
 *   GET    /_emulator/chats/:chat_id/messages       [message] oldest first
 *   POST   /_emulator/chats/:chat_id/messages       {open_id, text, parent_id?} → {message, event_id}
 *                                                   (`@督办` / `@Name` become mentions; emits im.message.receive_v1)
 *   POST   /_emulator/p2p                           {open_id} → the user's p2p chat with the bot
 *   GET    /_emulator/messages/:message_id          message
 *   POST   /_emulator/messages/:message_id/actions  {open_id, value, form_value?, name?} → {toast, card, event_id}
 *                                                   (form_value: only the fields filled in; keys that name
 *                                                   no component of the tapped form are dropped, as on Lark)
 *                                                   (emits card.action.trigger, applies the bot's card/toast)
 *   GET    /_emulator/files/:key                    the uploaded bytes
 *   GET    /_emulator/stream                        Server-Sent Events: message, message_updated, chat
 *   GET    /_emulator/faults                        active faults
 *   POST   /_emulator/faults                        a fault spec, an array of them, or {faults: [...]}
 *   DELETE /_emulator/faults                        clear all faults
 *   POST   /_emulator/tokens/expire                 invalidate every issued tenant_access_token
 *   POST   /_emulator/rate-limits                   {perAppPerSecond?, …} or {"enabled": false}
 *   GET    /_emulator/deliveries                    event delivery records (attempts, status)
 *   GET    /_emulator/long-connection               {transport, connections: [{conn_id, device_id, pings, …}]}
 *   POST   /_emulator/long-connection               {transport?: "webhook" | "websocket",
 *                                                    drop?: "now" | "before_ack", outage?: bool}
 *                                                   (faults: cut the connections, the SDK reconnects; or cut
 *                                                   each after its next event so the ACK is lost; an outage
 *                                                   refuses reconnects until it ends) → the same view
 *   GET    /_emulator/webhook                       {url}
 *   POST   /_emulator/webhook                       {url, verify?: true} → {url, verified?}
 *   POST   /_emulator/events                        {event_type, event, duplicates?} → raw push
 *   GET    /_emulator/snapshot                      the whole state as JSON
 *   POST   /_emulator/events/repush                 {probability: 0..1} a received message is pushed again
 *                                                   under a new event_id with this chance (a Lark fault)
 *   GET    /_emulator/app                           {group_messages, contact_names, contact_range}
 *   POST   /_emulator/app                           {group_messages?: bool (im:message.group_msg),
 *                                                    contact_names?: bool (contact:user.base:readonly),
 *                                                    contact_range?: "all" | [open_id]} → the settings
 *
 * Message: {message_id, chat_id, sender: {type: 'user'|'app', open_id, name}, msg_type, content (parsed),
 *           mentions: [{key, open_id, name}], parent_id, root_id, thread_id, create_time, update_time (ms),
 *           updated, file?: {key, name, size, url}}
 * Chat:    {chat_id, name, chat_type: 'group'|'p2p', status, bot_member, members: [{open_id, name}],
 *           owner_id, create_time, message_count, last_message_time}
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';
import { EmulatorInputError } from './errors.js';
import { parseFaultSpec } from './faults.js';
import { isRecord, readBody, sendJson, tryParseJson } from './http.js';
import type { AppSettings, EmulatorChange, LarkEmulator } from './types.js';

const appView = (app: AppSettings) => ({
  group_messages: app.groupMessages,
  contact_names: app.contactNames,
  contact_range: app.contactRange,
});

export interface SseHub {
  clients: Set<ServerResponse>;
}

export interface ControlDeps {
  emulator: LarkEmulator;
  sse: SseHub;
  logger: Logger;
}

const CONTROL_ROUTES = [
  'GET /_emulator/config',
  'GET|POST /_emulator/users',
  'GET|POST /_emulator/chats',
  'GET /_emulator/chats/:chat_id',
  'POST|DELETE /_emulator/chats/:chat_id/members',
  'POST /_emulator/chats/:chat_id/bot',
  'POST /_emulator/chats/:chat_id/dissolve',
  'GET|POST /_emulator/chats/:chat_id/messages',
  'POST /_emulator/p2p',
  'GET /_emulator/messages/:message_id',
  'POST /_emulator/messages/:message_id/actions',
  'GET /_emulator/files/:key',
  'GET /_emulator/stream',
  'GET|POST|DELETE /_emulator/faults',
  'POST /_emulator/tokens/expire',
  'POST /_emulator/rate-limits',
  'GET /_emulator/deliveries',
  'GET|POST /_emulator/long-connection',
  'GET|POST /_emulator/webhook',
  'POST /_emulator/events',
  'POST /_emulator/events/repush',
  'GET /_emulator/snapshot',
  'GET|POST /_emulator/app',
];

async function jsonInput(req: IncomingMessage): Promise<Record<string, unknown>> {
  const raw = (await readBody(req, 5 * 1024 * 1024)).toString('utf8');
  if (raw.trim() === '') return {};
  const parsed = tryParseJson(raw);
  if (!isRecord(parsed)) throw new EmulatorInputError(400, 'the body must be a JSON object');
  return parsed;
}

const str = (body: Record<string, unknown>, key: string, required = true): string | undefined => {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw new EmulatorInputError(400, `${key} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new EmulatorInputError(400, `${key} must be a string`);
  return value;
};

const strList = (body: Record<string, unknown>, key: string): string[] | undefined => {
  const value = body[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new EmulatorInputError(400, `${key} must be an array of strings`);
  }
  return value as string[];
};

function openStream(deps: ControlDeps, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(`event: ready\ndata: ${JSON.stringify({ bot_open_id: deps.emulator.botOpenId })}\n\n`);
  deps.sse.clients.add(res);
  const unsubscribe = deps.emulator.subscribe((change: EmulatorChange) => {
    const data = change.type === 'chat' ? change.chat : change.message;
    res.write(`event: ${change.type}\ndata: ${JSON.stringify(data)}\n\n`);
  });
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  heartbeat.unref();
  const close = () => {
    clearInterval(heartbeat);
    unsubscribe();
    deps.sse.clients.delete(res);
  };
  req.on('close', close);
  res.on('close', close);
}

export async function handleControl(
  deps: ControlDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  _query: URLSearchParams,
): Promise<void> {
  const { emulator } = deps;
  const method = req.method ?? 'GET';
  let parts: string[];
  try {
    parts = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  } catch {
    throw new EmulatorInputError(400, `malformed path ${path}`);
  }
  const [a, b, c] = parts;
  const route = `${method} ${[a, b === undefined ? undefined : ':id', c].filter((x) => x !== undefined).join('/')}`;
  const send = (status: number, body: unknown) => sendJson(res, status, body);

  switch (route) {
    case 'GET ':
      return send(200, { routes: CONTROL_ROUTES });
    case 'GET config':
      return send(200, {
        app_id: emulator.appId,
        bot_name: emulator.botName,
        bot_open_id: emulator.botOpenId,
        webhook_url: emulator.webhookUrl ?? null,
        encrypted: emulator.encryptKey !== undefined,
        transport: emulator.transport,
      });
    case 'GET users':
      return send(200, emulator.users());
    case 'POST users': {
      const body = await jsonInput(req);
      const openId = str(body, 'open_id', false);
      return send(
        200,
        emulator.addUser({
          name: str(body, 'name') ?? '',
          ...(openId === undefined ? {} : { open_id: openId }),
        }),
      );
    }
    case 'GET chats':
      return send(200, emulator.chats());
    case 'POST chats': {
      const body = await jsonInput(req);
      const members = strList(body, 'members');
      const operator = str(body, 'operator_open_id', false);
      if (body.bot !== undefined && typeof body.bot !== 'boolean')
        throw new EmulatorInputError(400, 'bot must be a boolean');
      return send(
        200,
        emulator.createChat({
          name: str(body, 'name') ?? '',
          ...(members === undefined ? {} : { members }),
          ...(typeof body.bot === 'boolean' ? { bot: body.bot } : {}),
          ...(operator === undefined ? {} : { operator_open_id: operator }),
        }),
      );
    }
    case 'GET chats/:id': {
      const chat = emulator.chat(b ?? '');
      return chat === undefined ? send(404, { error: `unknown chat ${b}` }) : send(200, chat);
    }
    case 'POST chats/:id/members': {
      const body = await jsonInput(req);
      return send(
        200,
        emulator.addMembers(b ?? '', strList(body, 'open_ids') ?? [], str(body, 'operator_open_id', false)),
      );
    }
    case 'DELETE chats/:id/members': {
      const body = await jsonInput(req);
      return send(
        200,
        emulator.removeMembers(
          b ?? '',
          strList(body, 'open_ids') ?? [],
          str(body, 'operator_open_id', false),
        ),
      );
    }
    case 'POST chats/:id/bot': {
      const body = await jsonInput(req);
      if (typeof body.member !== 'boolean') throw new EmulatorInputError(400, 'member must be true or false');
      return send(200, emulator.setBotMember(b ?? '', body.member, str(body, 'operator_open_id', false)));
    }
    case 'POST chats/:id/dissolve':
      return send(200, emulator.dissolveChat(b ?? ''));
    case 'GET chats/:id/messages':
      return send(200, emulator.messages(b ?? ''));
    case 'POST chats/:id/messages': {
      const body = await jsonInput(req);
      const parentId = str(body, 'parent_id', false);
      return send(
        200,
        emulator.postAsUser({
          chat_id: b ?? '',
          open_id: str(body, 'open_id') ?? '',
          text: str(body, 'text') ?? '',
          ...(parentId === undefined ? {} : { parent_id: parentId }),
        }),
      );
    }
    case 'POST p2p': {
      const body = await jsonInput(req);
      return send(200, emulator.p2pChat(str(body, 'open_id') ?? ''));
    }
    case 'GET messages/:id': {
      const message = emulator.message(b ?? '');
      return message === undefined ? send(404, { error: `unknown message ${b}` }) : send(200, message);
    }
    case 'POST messages/:id/actions': {
      const body = await jsonInput(req);
      if (!isRecord(body.value)) throw new EmulatorInputError(400, 'value must be an object');
      if (body.form_value !== undefined && !isRecord(body.form_value)) {
        throw new EmulatorInputError(400, 'form_value must be an object');
      }
      const result = await emulator.clickCard({
        message_id: b ?? '',
        open_id: str(body, 'open_id') ?? '',
        value: body.value,
        ...(isRecord(body.form_value) ? { form_value: body.form_value } : {}),
        ...(typeof body.name === 'string' ? { name: body.name } : {}),
      });
      return send(200, result);
    }
    case 'GET files/:id': {
      const file = emulator.file(b ?? '');
      if (file === undefined) return send(404, { error: `unknown file ${b}` });
      res.writeHead(200, {
        'content-type': file.contentType,
        'content-length': String(file.data.length),
        'content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      });
      res.end(file.data);
      return;
    }
    case 'GET stream':
      openStream(deps, req, res);
      return;
    case 'GET faults':
      return send(200, emulator.faults());
    case 'POST faults': {
      const raw = tryParseJson((await readBody(req)).toString('utf8'));
      const list = Array.isArray(raw) ? raw : isRecord(raw) && Array.isArray(raw.faults) ? raw.faults : [raw];
      const specs = list.map(parseFaultSpec);
      const problem = specs.find((s) => typeof s === 'string');
      if (typeof problem === 'string') throw new EmulatorInputError(400, problem);
      const added = specs.flatMap((s) => (typeof s === 'string' ? [] : [emulator.injectFault(s)]));
      return send(200, added);
    }
    case 'DELETE faults':
      emulator.clearFaults();
      return send(200, { cleared: true });
    case 'POST tokens/:id':
      if (b !== 'expire') return send(404, { error: `no control route ${method} ${path}` });
      emulator.expireTokens();
      return send(200, { expired: true });
    case 'POST rate-limits': {
      const body = await jsonInput(req);
      if (body.enabled === false) {
        emulator.setRateLimits(false);
        return send(200, { enabled: false });
      }
      const limits: Record<string, number> = {};
      for (const key of [
        'perAppPerSecond',
        'perAppPerMinute',
        'perChatPerSecond',
        'perMessageUpdatePerSecond',
      ]) {
        const value = body[key];
        if (value === undefined) continue;
        if (typeof value !== 'number' || value < 1)
          throw new EmulatorInputError(400, `${key} must be a number ≥ 1`);
        limits[key] = value;
      }
      emulator.setRateLimits(limits);
      return send(200, { enabled: true, ...limits });
    }
    case 'GET deliveries':
      return send(200, emulator.deliveries());
    case 'GET long-connection':
      return send(200, { transport: emulator.transport, connections: emulator.longConnections() });
    case 'POST long-connection': {
      const body = await jsonInput(req);
      const { transport, drop, outage } = body;
      if (transport !== undefined && transport !== 'webhook' && transport !== 'websocket')
        throw new EmulatorInputError(400, 'transport must be "webhook" or "websocket"');
      if (drop !== undefined && drop !== 'now' && drop !== 'before_ack')
        throw new EmulatorInputError(400, 'drop must be "now" or "before_ack"');
      if (outage !== undefined && typeof outage !== 'boolean')
        throw new EmulatorInputError(400, 'outage must be true or false');
      if (transport !== undefined) emulator.setTransport(transport);
      if (outage !== undefined) emulator.setLongConnectionOutage(outage);
      if (drop !== undefined) emulator.dropLongConnections({ beforeAck: drop === 'before_ack' });
      return send(200, { transport: emulator.transport, connections: emulator.longConnections() });
    }
    case 'GET webhook':
      return send(200, { url: emulator.webhookUrl ?? null });
    case 'POST webhook': {
      const body = await jsonInput(req);
      const url = str(body, 'url', false);
      emulator.setWebhookUrl(url);
      if (body.verify === true) return send(200, { url: url ?? null, verified: await emulator.verifyUrl() });
      return send(200, { url: url ?? null });
    }
    case 'POST events': {
      const body = await jsonInput(req);
      if (!isRecord(body.event)) throw new EmulatorInputError(400, 'event must be an object');
      const duplicates = typeof body.duplicates === 'number' ? body.duplicates : undefined;
      const records = emulator.pushEvent(str(body, 'event_type') ?? '', body.event, {
        ...(duplicates === undefined ? {} : { duplicates }),
      });
      return send(200, { event_id: records[0]?.event_id ?? null, copies: records.length });
    }
    case 'POST events/:id': {
      if (b !== 'repush') return send(404, { error: `no control route ${method} ${path}` });
      const body = await jsonInput(req);
      const p = body.probability;
      if (typeof p !== 'number' || p < 0 || p > 1)
        throw new EmulatorInputError(400, 'probability must be a number between 0 and 1');
      emulator.setRepushWithNewEventId(p);
      return send(200, { probability: p });
    }
    case 'GET snapshot':
      return send(200, emulator.snapshot());
    case 'GET app':
      return send(200, appView(emulator.appSettings()));
    case 'POST app': {
      const body = await jsonInput(req);
      const next: Partial<AppSettings> = {};
      for (const [key, field] of [
        ['group_messages', 'groupMessages'],
        ['contact_names', 'contactNames'],
      ] as const) {
        if (body[key] === undefined) continue;
        if (typeof body[key] !== 'boolean') throw new EmulatorInputError(400, `${key} must be true or false`);
        next[field] = body[key];
      }
      if (body.contact_range !== undefined) {
        next.contactRange = body.contact_range === 'all' ? 'all' : (strList(body, 'contact_range') ?? []);
      }
      return send(200, appView(emulator.setAppSettings(next)));
    }
    default:
      return send(404, { error: `no control route ${method} ${path}`, routes: CONTROL_ROUTES });
  }
}
