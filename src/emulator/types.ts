/**
 * The emulator's public shapes: its options, the LarkEmulator handle and the changes it announces.
 * Kept apart from index.ts so that the control API can name them without importing the server.
 */
import type { Logger } from '../logger.js';
import type { ActiveFault, FaultSpec } from './faults.js';
import type { LongConnectionView, WsClientConfig } from './long-connection.js';
import type { RateLimitSettings } from './openapi.js';
import type { DeliveryRecord, TransportName } from './push.js';
import type { AppSettings, EmulatorSnapshot, EmuUser } from './state.js';

export type { AppSettings } from './state.js';

import type { ChatView, MessageView } from './views.js';

export interface LarkEmulatorOptions {
  host?: string;
  /** 0 picks a free port (tests); the sandbox passes 3000. Default 0. */
  port?: number;
  appId?: string;
  appSecret?: string;
  botName?: string;
  botOpenId?: string;
  tenantKey?: string;
  encryptKey?: string;
  verificationToken?: string;
  webhookUrl?: string;
  /**
   * The app's subscription mode: events and card callbacks pushed to the webhook URL, or sent on the
   * long connection (`POST /callback/ws/endpoint`, then a WebSocket). Default webhook.
   */
  transport?: TransportName;
  /**
   * What the long connection's endpoint and pongs tell the client (seconds; Lark's: ping 120, reconnect
   * count -1, interval 120, nonce 30), and `fragmentBytes` to split large events into parts.
   */
  longConnection?: Partial<WsClientConfig> & { fragmentBytes?: number };
  /** Lark's limits by default; `false` disables all rate limiting. */
  rateLimits?: Partial<RateLimitSettings> | false;
  /** Delays between event delivery attempts; default Lark's 15 s, 5 min, 1 h, 6 h. */
  retrySchedule?: readonly number[];
  /** How long the bot has to answer an event or callback with 200 (Lark: 3 s). */
  ackTimeoutMs?: number;
  tokenTtlSeconds?: number;
  /** Which group messages reach the bot: all of them (im:message.group_msg) or only @-mentions. */
  groupMessageEvents?: 'all' | 'mentions_only';
  /** The app's contact permissions (GET /open-apis/contact/v3/users/:user_id); default all granted. */
  contact?: Partial<ContactSettings>;
  /** Push every event this many times (dedupe tests and benches). Default 1. */
  duplicatePushes?: number;
  /**
   * Fault: with this chance (0..1) a received message is pushed again under a NEW event_id, as Lark
   * sometimes does (LARK.md §10 "Repeats"); a bot must dedupe on message_id too. Default 0.
   */
  repushWithNewEventId?: number;
  logger?: Logger;
  now?: () => number;
  random?: () => number;
  initialState?: EmulatorSnapshot;
  /** Folder with the web page; default src/emulator/web next to this file. */
  webRoot?: string;
}

export type ContactSettings = Pick<AppSettings, 'contactNames' | 'contactRange'>;

export interface CardActionResult {
  toast: { type: string; content: string; [key: string]: unknown } | null;
  /** The card now shown on the message when the bot replaced it, else null. */
  card: Record<string, unknown> | null;
  event_id: string;
}

export interface RequestLogEntry {
  at: number;
  method: string;
  path: string;
  status: number | 'dropped';
  faults: string[];
}

export interface LarkEmulator {
  /** `http://host:port`, set once started. */
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly botOpenId: string;
  readonly botName: string;
  readonly verificationToken: string;
  readonly encryptKey: string | undefined;
  start(): Promise<{ url: string }>;
  stop(): Promise<void>;

  addUser(input: { name: string; open_id?: string }): EmuUser;
  users(): EmuUser[];
  /** Creates a group (idempotent by name: the chat id derives from the name). */
  createChat(input: { name: string; members?: string[]; bot?: boolean; operator_open_id?: string }): ChatView;
  chats(): ChatView[];
  chat(chatId: string): ChatView | undefined;
  /** Adds people to a group; emits im.chat.member.user.added_v1 for the new ones when the bot is there. */
  addMembers(chatId: string, openIds: string[], operatorOpenId?: string): ChatView;
  /** Removes people from a group; emits im.chat.member.user.deleted_v1 when the bot is there. */
  removeMembers(chatId: string, openIds: string[], operatorOpenId?: string): ChatView;
  /** Adds or removes the bot; adding emits im.chat.member.bot.added_v1. */
  setBotMember(chatId: string, member: boolean, operatorOpenId?: string): ChatView;
  dissolveChat(chatId: string): ChatView;
  /** The user's p2p chat with the bot (created on first use). */
  p2pChat(openId: string): ChatView;
  messages(chatId: string): MessageView[];
  message(messageId: string): MessageView | undefined;
  file(key: string): { name: string; contentType: string; data: Buffer } | undefined;
  /** Posts as a user; `@Name` becomes a mention; emits im.message.receive_v1 when the bot is there. */
  /** A person's message: text (names after @ become mentions), or a file posted with `file` instead. */
  postAsUser(input: {
    chat_id: string;
    open_id: string;
    text?: string;
    parent_id?: string;
    file?: { name: string; data: Buffer };
  }): {
    message: MessageView;
    event_id: string | null;
  };
  /** A card click or form submit: card.action.trigger, then the bot's answer is applied. */
  clickCard(input: {
    message_id: string;
    open_id: string;
    value: Record<string, unknown>;
    /** The fields the person filled in; untouched fields are left out, as Lark leaves them out. */
    form_value?: Record<string, unknown>;
    /** The `name` of the component tapped; found from `value` when absent. */
    name?: string;
  }): Promise<CardActionResult>;

  setWebhookUrl(url: string | undefined): void;
  readonly webhookUrl: string | undefined;
  /** Where events and card callbacks go: the webhook or the long connection. */
  readonly transport: TransportName;
  setTransport(transport: TransportName): void;
  /** The open long connections. */
  longConnections(): LongConnectionView[];
  /**
   * Fault: cuts every long connection (no close frame; the SDK reconnects), or with `beforeAck` cuts
   * each right after its next event frame, so the event is handled but its ACK lost. Returns how many.
   */
  dropLongConnections(options?: { beforeAck?: boolean }): number;
  /** Fault: while down, connections are cut and reconnects refused (HTTP 503). */
  setLongConnectionOutage(down: boolean): void;
  pushEvent(
    eventType: string,
    event: Record<string, unknown>,
    options?: { duplicates?: number },
  ): DeliveryRecord[];
  setDuplicatePushes(count: number): void;
  /** The chance (0..1) that a received message is pushed again under a new event_id. */
  setRepushWithNewEventId(probability: number): void;
  /** The app's scopes and contact range; a partial update keeps the other settings. */
  appSettings(): AppSettings;
  setAppSettings(settings: Partial<AppSettings>): AppSettings;
  verifyUrl(): Promise<boolean>;
  deliveries(): DeliveryRecord[];
  clearDeliveries(): void;
  /** Resolves when no event delivery is in flight or waiting for a retry. */
  idle(): Promise<void>;

  injectFault(spec: FaultSpec): ActiveFault;
  faults(): ActiveFault[];
  clearFaults(): void;
  expireTokens(): void;
  setRateLimits(limits: Partial<RateLimitSettings> | false): void;
  requestLog(): RequestLogEntry[];
  /** Subscribe to message changes (the SSE stream uses this). Returns an unsubscribe function. */
  subscribe(listener: (event: EmulatorChange) => void): () => void;

  snapshot(): EmulatorSnapshot;
  restore(snapshot: EmulatorSnapshot): void;
}

export type EmulatorChange =
  | { type: 'message'; message: MessageView }
  | { type: 'message_updated'; message: MessageView }
  | { type: 'chat'; chat: ChatView };
