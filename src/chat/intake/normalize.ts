import { z } from 'zod';
import type { Logger } from '../../logger.js';
import type {
  CardActionAnswer,
  InboundAttachment,
  InboundBotAdded,
  InboundCardAction,
  InboundEvent,
  InboundMembersChanged,
  InboundMessage,
  MentionRef,
} from '../../ports/chat.js';

const mentionSchema = z.object({
  key: z.string(),
  id: z.object({ open_id: z.string().optional() }).optional(),
  name: z.string().optional(),
  mentioned_type: z.string().optional(),
});

const messageEventSchema = z.object({
  sender: z.object({
    sender_id: z.object({ open_id: z.string().optional() }).optional(),
    sender_type: z.string(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    root_id: z.string().optional(),
    parent_id: z.string().optional(),
    create_time: z.string(),
    chat_id: z.string().min(1),
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string(),
    mentions: z.array(mentionSchema).optional(),
  }),
});

const cardActionEventSchema = z.object({
  operator: z.object({ open_id: z.string().min(1) }),
  token: z.string().optional(),
  action: z.object({
    value: z.unknown().optional(),
    form_value: z.record(z.string(), z.unknown()).optional(),
    option: z.string().optional(),
    input_value: z.string().optional(),
  }),
  context: z.object({ open_message_id: z.string().min(1), open_chat_id: z.string().min(1) }),
});

const botAddedEventSchema = z.object({
  chat_id: z.string().min(1),
  name: z.string().optional(),
  operator_id: z.object({ open_id: z.string().optional() }).optional(),
});

/** im.chat.member.user.added_v1 / deleted_v1 (the SDK's event types: `chat_id`, `users[].user_id.open_id`). */
const membersEventSchema = z.object({
  chat_id: z.string().min(1),
  operator_id: z.object({ open_id: z.string().optional() }).optional(),
  users: z
    .array(
      z.object({
        name: z.string().optional(),
        user_id: z.object({ open_id: z.string().min(1) }),
      }),
    )
    .min(1),
});

export interface RawEvent {
  eventType: string | undefined;
  eventId: string | undefined;
  /** The `event` object of the schema 2.0 envelope (or the SDK's flattened data, which contains it). */
  event: unknown;
}

export interface NormalizeOptions {
  /** The bot's open_id: its @-mention is removed from the text and sets `mentionsBot`. */
  botOpenId?: string | undefined;
  logger: Logger;
}

type Mention = z.infer<typeof mentionSchema>;

function isOwnMention(mention: Mention, botOpenId: string | undefined): boolean {
  if (botOpenId !== undefined && botOpenId !== '') return mention.id?.open_id === botOpenId;
  // Without the bot's open_id we can only trust Lark's own marker.
  return mention.mentioned_type === 'bot';
}

interface PostNode {
  tag?: unknown;
  text?: unknown;
  user_id?: unknown;
  user_name?: unknown;
}

/** Plain text of a received message: `text` as is, a post's title and paragraphs flattened. */
function extractText(messageType: string, content: unknown): string {
  if (typeof content !== 'object' || content === null) return '';
  if (messageType === 'text') {
    const text = (content as { text?: unknown }).text;
    return typeof text === 'string' ? text : '';
  }
  if (messageType === 'post') {
    // Received posts have no locale wrapper; some senders still include one, so accept both.
    const c = content as Record<string, unknown>;
    const body = (
      Array.isArray(c.content) ? c : (Object.values(c).find((v) => typeof v === 'object') ?? {})
    ) as {
      title?: unknown;
      content?: unknown;
    };
    const lines: string[] = [];
    if (typeof body.title === 'string' && body.title !== '') lines.push(body.title);
    if (Array.isArray(body.content)) {
      for (const paragraph of body.content) {
        if (!Array.isArray(paragraph)) continue;
        const parts: string[] = [];
        for (const node of paragraph as PostNode[]) {
          if (node.tag === 'at' && typeof node.user_id === 'string') parts.push(node.user_id);
          else if (typeof node.text === 'string') parts.push(node.text);
        }
        lines.push(parts.join(''));
      }
    }
    return lines.join('\n');
  }
  return '';
}

const asString = (value: unknown) => (typeof value === 'string' ? value : '');

/** A file's `{file_key, file_name}` or an image's `{image_key}` (im.message.receive_v1 content). */
function extractAttachment(messageType: string, content: unknown): InboundAttachment | undefined {
  if (typeof content !== 'object' || content === null) return undefined;
  const c = content as Record<string, unknown>;
  if (messageType === 'file' && asString(c.file_key) !== '') {
    return { kind: 'file', key: asString(c.file_key), name: asString(c.file_name).slice(0, 300) };
  }
  if (messageType === 'image' && asString(c.image_key) !== '') {
    return { kind: 'image', key: asString(c.image_key), name: '' };
  }
  return undefined;
}

function resolveMentions(
  text: string,
  mentions: Mention[],
  botOpenId: string | undefined,
): { text: string; mentions: MentionRef[]; mentionsBot: boolean } {
  const byKey = new Map(mentions.map((m) => [m.key, m]));
  let mentionsBot = false;
  const refs: MentionRef[] = [];
  for (const m of mentions) {
    if (isOwnMention(m, botOpenId)) mentionsBot = true;
    else refs.push({ key: m.key, openId: m.id?.open_id ?? '', name: m.name ?? '' });
  }
  // The bot's own mention disappears together with the space after it: "@bot /help" → "/help".
  const resolved = text.replace(
    /(@_user_\d+|@_all\b)([ \t\u00a0]?)/g,
    (whole, key: string, space: string) => {
      const m = byKey.get(key);
      if (m === undefined) return whole;
      if (isOwnMention(m, botOpenId)) return '';
      return `@${m.name ?? key}${space}`;
    },
  );
  const cleaned = resolved.trim();
  return { text: cleaned, mentions: refs, mentionsBot };
}

function toRecord(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value))
    return value as Record<string, unknown>;
  // Lark's SDK only supports object values; a JSON string is accepted, anything else kept under `value`.
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // fall through
    }
  }
  return value === undefined ? {} : { value };
}

function normalizeMessage(
  eventId: string,
  event: unknown,
  options: NormalizeOptions,
): InboundMessage | null | undefined {
  const parsed = messageEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { sender, message } = parsed.data;
  if (sender.sender_type !== 'user') {
    options.logger.debug(
      { eventId, senderType: sender.sender_type },
      'ignoring a message not sent by a user',
    );
    return null;
  }
  const senderOpenId = sender.sender_id?.open_id;
  if (senderOpenId === undefined || senderOpenId === '') return undefined;
  let content: unknown;
  try {
    content = JSON.parse(message.content);
  } catch {
    return undefined;
  }
  const raw = extractText(message.message_type, content);
  const { text, mentions, mentionsBot } = resolveMentions(raw, message.mentions ?? [], options.botOpenId);
  // Epoch milliseconds in digits; anything else (or a time beyond what a Date holds) reads as unknown (0).
  const createdMs = /^\d{1,15}$/u.test(message.create_time) ? Number(message.create_time) : 0;
  const attachment = extractAttachment(message.message_type, content);
  return {
    type: 'message',
    eventId,
    messageId: message.message_id,
    chatId: message.chat_id,
    chatType: message.chat_type === 'p2p' ? 'p2p' : 'group',
    senderOpenId,
    text,
    mentions,
    mentionsBot,
    ...(message.parent_id ? { parentId: message.parent_id } : {}),
    ...(message.root_id ? { rootId: message.root_id } : {}),
    createdAt: new Date(createdMs),
    messageType: message.message_type,
    ...(attachment === undefined ? {} : { attachment }),
  };
}

function normalizeCardAction(eventId: string, event: unknown): InboundCardAction | undefined {
  const parsed = cardActionEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { operator, action, context, token } = parsed.data;
  return {
    type: 'card_action',
    eventId,
    operatorOpenId: operator.open_id,
    messageId: context.open_message_id,
    chatId: context.open_chat_id,
    value: toRecord(action.value),
    ...(action.form_value === undefined ? {} : { formValue: action.form_value }),
    ...(action.option === undefined ? {} : { option: action.option }),
    ...(action.input_value === undefined ? {} : { inputValue: action.input_value }),
    ...(token?.startsWith('c-') ? { cardToken: token } : {}),
  };
}

function normalizeBotAdded(eventId: string, event: unknown): InboundBotAdded | undefined {
  const parsed = botAddedEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { chat_id, name, operator_id } = parsed.data;
  return {
    type: 'bot_added',
    eventId,
    chatId: chat_id,
    ...(name ? { chatName: name } : {}),
    ...(operator_id?.open_id ? { operatorOpenId: operator_id.open_id } : {}),
  };
}

function normalizeMembersChanged(
  eventId: string,
  event: unknown,
  change: InboundMembersChanged['change'],
): InboundMembersChanged | undefined {
  const parsed = membersEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const { chat_id, operator_id, users } = parsed.data;
  return {
    type: 'members_changed',
    change,
    eventId,
    chatId: chat_id,
    users: users.map((u) => ({ openId: u.user_id.open_id, ...(u.name ? { name: u.name } : {}) })),
    ...(operator_id?.open_id ? { operatorOpenId: operator_id.open_id } : {}),
  };
}

/**
 * One normalization for both transports. Returns null for events we deliberately ignore (our own
 * messages, types we do not subscribe to) and for shapes we do not understand, which are logged.
 */
export function normalizeEvent(raw: RawEvent, options: NormalizeOptions): InboundEvent | null {
  const { eventType, eventId } = raw;
  if (eventId === undefined || eventId === '') {
    options.logger.warn({ eventType }, 'dropping a Lark event without event_id');
    return null;
  }
  let result: InboundEvent | null | undefined;
  switch (eventType) {
    case 'im.message.receive_v1':
      result = normalizeMessage(eventId, raw.event, options);
      break;
    case 'card.action.trigger':
      result = normalizeCardAction(eventId, raw.event);
      break;
    case 'im.chat.member.bot.added_v1':
      result = normalizeBotAdded(eventId, raw.event);
      break;
    case 'im.chat.member.user.added_v1':
      result = normalizeMembersChanged(eventId, raw.event, 'added');
      break;
    case 'im.chat.member.user.deleted_v1':
      result = normalizeMembersChanged(eventId, raw.event, 'removed');
      break;
    default:
      options.logger.info({ eventType, eventId }, 'ignoring a Lark event type Duban does not handle');
      return null;
  }
  if (result === undefined) {
    options.logger.warn({ eventType, eventId }, 'dropping a Lark event with an unexpected shape');
    return null;
  }
  return result;
}

/** What Lark expects back from a card callback: `{toast, card:{type:'raw', data}}`, or `{}`. */
export function toLarkCardResponse(answer: CardActionAnswer | undefined | null): Record<string, unknown> {
  if (answer === undefined || answer === null) return {};
  return {
    ...(answer.toast === undefined
      ? {}
      : { toast: { type: answer.toast.type, content: answer.toast.content } }),
    ...(answer.card === undefined ? {} : { card: { type: 'raw', data: answer.card } }),
  };
}

/**
 * Hands the event to the bot, which resolves once it has recorded it (a card action: once answered).
 * `recorded: false` means the transport must not acknowledge, so that Lark delivers it again: the bot
 * could not record it (it rejected), or did not say so in time. A card action that is slow is
 * answered empty instead (Lark never re-sends a callback).
 */
export async function deliver(
  event: InboundEvent,
  onEvent: (e: InboundEvent) => Promise<CardActionAnswer | undefined>,
  logger: Logger,
  timeoutMs: number,
): Promise<{ answer: CardActionAnswer | undefined; timedOut: boolean; failed: boolean; recorded: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const work = Promise.resolve()
    .then(() => onEvent(event))
    .then(
      (answer) => ({ answer: answer ?? undefined, timedOut: false, failed: false, recorded: true }),
      (error: unknown) => {
        logger.error(
          { err: error, eventId: event.eventId, eventType: event.type },
          'the bot could not record a Lark event; not acknowledging it, so Lark delivers it again',
        );
        return { answer: undefined, timedOut: false, failed: true, recorded: false };
      },
    );
  const deadline = new Promise<{ answer: undefined; timedOut: true; failed: false; recorded: boolean }>(
    (resolve) => {
      timer = setTimeout(
        () =>
          resolve({
            answer: undefined,
            timedOut: true,
            failed: false,
            recorded: event.type === 'card_action',
          }),
        timeoutMs,
      );
    },
  );
  try {
    const outcome = await Promise.race([work, deadline]);
    if (outcome.timedOut) {
      logger.warn(
        { eventId: event.eventId, eventType: event.type, timeoutMs },
        event.type === 'card_action'
          ? 'the bot did not answer a Lark event in time; acknowledging it without an answer'
          : 'the bot did not record a Lark event in time; not acknowledging it, so Lark delivers it again',
      );
    }
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
