import type {
  ChatMember,
  ChatPort,
  InboundAttachment,
  OutgoingMessage,
  SentMessage,
} from '../../src/ports/chat.js';

export interface FakeSent {
  messageId: string;
  chatId?: string;
  replyTo?: string;
  message: OutgoingMessage;
  idempotencyKey?: string;
}

/**
 * An in-memory ChatPort for handler tests: records what the bot said, honours idempotency keys, and
 * answers member lists and names from `members` and `names` (a chat missing from `members` is refused,
 * as Lark refuses a group the bot is not in).
 */
export function createFakeChat(): ChatPort & {
  sent: FakeSent[];
  members: Map<string, ChatMember[]>;
  names: Map<string, string>;
  /** Files uploaded by sendFile, by file key: what a file message in `sent` carries. */
  files: Map<string, { fileName: string; fileType: string; data: Buffer }>;
  /** Files people posted, by message id: what `messageFile` and `downloadFile` answer. */
  posted: Map<string, { fileKey: string; fileName: string; data: Buffer }>;
} {
  const sent: FakeSent[] = [];
  const files = new Map<string, { fileName: string; fileType: string; data: Buffer }>();
  const members = new Map<string, ChatMember[]>();
  const names = new Map<string, string>();
  const posted = new Map<string, { fileKey: string; fileName: string; data: Buffer }>();
  const byKey = new Map<string, SentMessage>();
  let counter = 0;
  const record = (entry: Omit<FakeSent, 'messageId'>): SentMessage => {
    if (entry.idempotencyKey && byKey.has(entry.idempotencyKey)) return byKey.get(entry.idempotencyKey)!;
    counter += 1;
    const result = { messageId: `om_fake_${counter}` };
    sent.push({ ...entry, messageId: result.messageId });
    if (entry.idempotencyKey) byKey.set(entry.idempotencyKey, result);
    return result;
  };
  return {
    sent,
    members,
    names,
    files,
    posted,
    async messageFile(messageId): Promise<InboundAttachment | null> {
      const file = posted.get(messageId);
      return file === undefined ? null : { kind: 'file', key: file.fileKey, name: file.fileName };
    },
    async downloadFile({ messageId, fileKey }) {
      const file = posted.get(messageId);
      // Lark refuses a key that is not the message's own (234001), as the emulator does.
      if (file === undefined || file.fileKey !== fileKey)
        throw new Error(`no file ${fileKey} in ${messageId}`);
      return Buffer.from(file.data);
    },
    async listChatMembers(chatId) {
      const list = members.get(chatId);
      if (list === undefined) throw new Error(`the bot is not in ${chatId}`);
      return list.map((m) => ({ ...m }));
    },
    async userName(openId) {
      return names.get(openId) ?? null;
    },
    async send(input) {
      return record({
        chatId: input.chatId,
        message: input.message,
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      });
    },
    async sendFile(input) {
      const fileKey = `file_fake_${files.size + 1}`;
      files.set(fileKey, { fileName: input.fileName, fileType: input.fileType, data: input.data });
      const sentMessage = record({
        chatId: input.chatId,
        message: { kind: 'file', fileKey },
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      });
      return { ...sentMessage, fileKey };
    },
    async reply(input) {
      return record({
        replyTo: input.messageId,
        message: input.message,
        ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
      });
    },
  };
}

export function textOf(message: OutgoingMessage): string {
  if (message.kind === 'text') return message.text;
  return JSON.stringify(message);
}
