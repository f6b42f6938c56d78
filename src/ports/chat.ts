/**
 * The chat port: what the bot needs from Lark, in the product's own terms.
 * The Lark adapter (src/chat) implements it with the official SDK; tests may use a fake.
 */

import type { CardJson } from '../core/render/card-json.js';

/** A card is JSON 2.0, kept opaque to the port; the core renders it. */
export type { CardJson };

export type OutgoingMessage =
  | { kind: 'text'; text: string }
  | { kind: 'post'; post: Record<string, unknown> }
  | { kind: 'card'; card: CardJson }
  | { kind: 'file'; fileKey: string };

export interface SentMessage {
  messageId: string;
}

/** A person in a Lark group, as the group's member list names them (bots are never listed). */
export interface ChatMember {
  openId: string;
  /** The name Lark shows in the group; empty when Lark gives none. */
  name: string;
}

export interface ChatPort {
  /** `idempotencyKey` becomes Lark's `uuid` (≤ 50 chars): the same key never yields two messages. */
  send(input: { chatId: string; message: OutgoingMessage; idempotencyKey?: string }): Promise<SentMessage>;
  reply(input: {
    messageId: string;
    message: OutgoingMessage;
    idempotencyKey?: string;
    inThread?: boolean;
    /** The chat the replied-to message lives in, when known: replies then share that chat's 5/s limit. */
    chatId?: string;
  }): Promise<SentMessage>;
  /**
   * Uploads a file and sends it as a file message (exports: /export). `idempotencyKey` as for `send`.
   * Lark's file types: xls for workbooks, pdf, doc, or stream for anything else.
   */
  sendFile(input: {
    chatId: string;
    fileName: string;
    fileType: 'xls' | 'pdf' | 'doc' | 'stream';
    data: Buffer;
    idempotencyKey?: string;
  }): Promise<SentMessage & { fileKey: string }>;
  /** Every person in a group the bot is in (all pages): who may act for what the group is bound to. */
  listChatMembers(chatId: string): Promise<ChatMember[]>;
  /** The user's display name from Lark's contact API, or null when Lark will not tell (scope, contact range). */
  userName(openId: string): Promise<string | null>;
  /**
   * The file a message carries (/import in reply to a posted file), or null when it carries none (text,
   * image, card) or cannot be read. Lark: GET /open-apis/im/v1/messages/:message_id.
   */
  messageFile(messageId: string): Promise<InboundAttachment | null>;
  /**
   * The bytes of a file posted in a message (/import). Lark:
   * GET /open-apis/im/v1/messages/:message_id/resources/:file_key?type=file; the key must be the message's own.
   */
  downloadFile(input: { messageId: string; fileKey: string }): Promise<Buffer>;
}

/** Inbound events, normalized at the edge. */
export interface MentionRef {
  key: string;
  openId: string;
  name: string;
}

export interface InboundMessage {
  type: 'message';
  eventId: string;
  messageId: string;
  chatId: string;
  chatType: 'group' | 'p2p';
  senderOpenId: string;
  /** Text with `@_user_N` placeholders resolved to `@Name`, and the bot's own mention removed. */
  text: string;
  mentions: MentionRef[];
  /** True when the message @-mentions the bot. */
  mentionsBot: boolean;
  parentId?: string;
  rootId?: string;
  createdAt: Date;
  /** Lark's message_type (text, post, image, file, interactive, …); `text` is empty for non-text types. */
  messageType?: string;
  /** A file or image message's key (file_key / image_key) and, for files, the name it was posted under. */
  attachment?: InboundAttachment;
}

export interface InboundAttachment {
  kind: 'file' | 'image';
  key: string;
  /** Empty for images, which Lark sends without a name. */
  name: string;
}

export interface InboundCardAction {
  type: 'card_action';
  eventId: string;
  operatorOpenId: string;
  messageId: string;
  chatId: string;
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
  /** A standalone select's chosen option / a standalone input's text (outside a form). */
  option?: string;
  inputValue?: string;
  /** The delayed-update token (c-…), valid 30 min, 2 uses. */
  cardToken?: string;
}

export interface InboundBotAdded {
  type: 'bot_added';
  eventId: string;
  chatId: string;
  chatName?: string;
  operatorOpenId?: string;
}

/** People joined or left a group the bot is in (im.chat.member.user.added_v1 / deleted_v1). */
export interface InboundMembersChanged {
  type: 'members_changed';
  change: 'added' | 'removed';
  eventId: string;
  chatId: string;
  users: { openId: string; name?: string }[];
  operatorOpenId?: string;
}

export type InboundEvent = InboundMessage | InboundCardAction | InboundBotAdded | InboundMembersChanged;

/** What a card action may answer within Lark's 3 seconds. */
export interface CardActionAnswer {
  toast?: { type: 'info' | 'success' | 'error' | 'warning'; content: string };
  card?: CardJson;
}

/**
 * The bot side of event intake, the same for every transport. It resolves once the event is durably
 * recorded (a card action: once answered), so the transport acknowledges only then; it rejects when
 * the event could not be recorded, and the transport must then make Lark deliver it again (webhook:
 * non-2xx; long connection: an ACK with code 500). Duplicates resolve too, and are not worked twice.
 */
export type InboundHandler = (event: InboundEvent) => Promise<CardActionAnswer | undefined>;
