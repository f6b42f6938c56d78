import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import {
  atTagsToPlaceholders,
  countCardElements,
  isSharedCard,
  nameMentionsToPlaceholders,
} from '../../../src/emulator/content.js';
import { createFaultBook, parseFaultSpec } from '../../../src/emulator/faults.js';
import { parseMultipart } from '../../../src/emulator/http.js';
import { createLarkEmulator, encryptPayload, signPayload } from '../../../src/emulator/index.js';
import { createRateLimiter } from '../../../src/emulator/ratelimit.js';
import { createTokenStore } from '../../../src/emulator/tokens.js';

describe('emulator building blocks', () => {
  it('encrypts so that the SDK AESCipher decrypts, and matches the Feishu doc test vector scheme', () => {
    const cipher = encryptPayload('test key', 'hello world');
    expect(new lark.AESCipher('test key').decrypt(cipher)).toBe('hello world');
    expect(new lark.AESCipher('test key').decrypt('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe(
      'hello world',
    );
    const iv = Buffer.from('P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', 'base64').subarray(0, 16);
    expect(encryptPayload('test key', 'hello world', iv)).toBe(
      'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=',
    );
  });

  it('signs as sha256 hex of timestamp, nonce, key and body', () => {
    const signature = signPayload({ timestamp: '1', nonce: 'n', encryptKey: 'k', body: '{}' });
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signature).not.toBe(signPayload({ timestamp: '2', nonce: 'n', encryptKey: 'k', body: '{}' }));
  });

  it('reads @Name mentions with the longest name first and leaves unknown @ alone', () => {
    const people = [
      { open_id: 'ou_a', name: '张三' },
      { open_id: 'ou_b', name: '张三丰' },
      { open_id: 'ou_bot', name: '督办' },
    ];
    expect(nameMentionsToPlaceholders('@督办 请@张三丰和@张三看，@王五 不在', people)).toEqual({
      text: '@_user_1 请@_user_2和@_user_3看，@王五 不在',
      mentions: [
        { key: '@_user_1', open_id: 'ou_bot', name: '督办' },
        { key: '@_user_2', open_id: 'ou_b', name: '张三丰' },
        { key: '@_user_3', open_id: 'ou_a', name: '张三' },
      ],
    });
    expect(nameMentionsToPlaceholders('@所有人 开会', people).text).toBe('@_all 开会');
  });

  it('turns <at> tags in bot text into placeholders', () => {
    const names = (id: string) => (id === 'ou_a' ? '张三' : undefined);
    expect(atTagsToPlaceholders('<at user_id="ou_a"></at> 和 <at user_id="all"></at> 好', names)).toEqual({
      text: '@_user_1 和 @_all 好',
      mentions: [{ key: '@_user_1', open_id: 'ou_a', name: '张三' }],
    });
  });

  it("counts every tagged element, the header title plain_text included, as Lark's 200 limit does", () => {
    const card = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: 't' } },
      body: {
        elements: [
          { tag: 'markdown', content: 'a' },
          {
            tag: 'column_set',
            columns: [{ tag: 'column', elements: [{ tag: 'markdown', content: 'b' }] }],
          },
          {
            tag: 'form',
            name: 'f',
            elements: [
              { tag: 'input', name: 'i' },
              { tag: 'button', name: 's' },
            ],
          },
        ],
      },
    };
    expect(countCardElements(card)).toBe(8);
    expect(isSharedCard(card)).toBe(true);
    expect(isSharedCard({ elements: [] })).toBe(false);
    expect(isSharedCard({ config: { update_multi: true }, elements: [] })).toBe(true);
  });

  it('limits with sliding windows and says when a slot frees up', () => {
    const limiter = createRateLimiter();
    const rules = [{ key: 'a', limit: 2, windowMs: 1000 }];
    expect(limiter.take(rules, 0)).toBeNull();
    expect(limiter.take(rules, 100)).toBeNull();
    expect(limiter.take(rules, 200)).toMatchObject({ resetSeconds: 1 });
    expect(limiter.take(rules, 1000)).toBeNull();
    const minute = [{ key: 'b', limit: 1, windowMs: 60_000 }];
    limiter.take(minute, 0);
    expect(limiter.take(minute, 10_000)?.resetSeconds).toBe(50);
  });

  it('reissues the same token while 30 minutes remain and a new one after', () => {
    const tokens = createTokenStore({ ttlSeconds: 7200 });
    const first = tokens.issue(0);
    expect(tokens.issue(60_000).token).toBe(first.token);
    expect(tokens.issue(60_000).expiresInSeconds).toBe(7140);
    const later = tokens.issue(6000_000);
    expect(later.token).not.toBe(first.token);
    expect(tokens.isValid(first.token, 6000_000)).toBe(true);
    expect(tokens.isValid(first.token, 7200_000)).toBe(false);
  });

  it('fires counted faults only on matching requests and validates specs from JSON', () => {
    const book = createFaultBook();
    book.add({ kind: 'server_error', count: 2, method: 'POST', path: '^/open-apis/im/v1/messages$' });
    expect(book.take('GET', '/open-apis/im/v1/messages')).toHaveLength(0);
    expect(book.take('POST', '/open-apis/im/v1/messages/om_1/reply')).toHaveLength(0);
    expect(book.take('POST', '/open-apis/im/v1/messages')).toHaveLength(1);
    expect(book.take('POST', '/open-apis/im/v1/messages')).toHaveLength(1);
    expect(book.take('POST', '/open-apis/im/v1/messages')).toHaveLength(0);
    expect(parseFaultSpec({ kind: 'latency', latencyMs: 5 })).toEqual({ kind: 'latency', latencyMs: 5 });
    expect(parseFaultSpec({ kind: 'server_error', probability: 2 })).toMatch(/probability/);
    expect(parseFaultSpec({ kind: 'drop', path: '(' })).toMatch(/regular expression/);
  });

  it('parses multipart bodies with binary parts', () => {
    const boundary = 'XyZ';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file_type"\r\n\r\nxls\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from([0, 1, 13, 10, 255]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const parts = parseMultipart(body, `multipart/form-data; boundary=${boundary}`);
    expect(parts?.map((p) => p.name)).toEqual(['file_type', 'file']);
    expect(parts?.[1]?.filename).toBe('a.xlsx');
    expect([...(parts?.[1]?.data ?? [])]).toEqual([0, 1, 13, 10, 255]);
  });

  it('keeps uuid dedupe across a snapshot restore', async () => {
    const first = createLarkEmulator();
    await first.start();
    const user = first.addUser({ name: '张三' });
    const chat = first.createChat({ name: '群', members: [user.open_id] });
    const client = new lark.Client({
      appId: first.appId,
      appSecret: first.appSecret,
      domain: first.url,
      cache: new lark.DefaultCache(),
      loggerLevel: lark.LoggerLevel.error,
    });
    const body = { receive_id: chat.chat_id, msg_type: 'text', content: '{"text":"x"}', uuid: 'keep-me' };
    const sent = await client.im.message.create({ params: { receive_id_type: 'chat_id' }, data: body });
    await first.stop();
    const second = createLarkEmulator({ initialState: first.snapshot() });
    await second.start();
    const again = await new lark.Client({
      appId: second.appId,
      appSecret: second.appSecret,
      domain: second.url,
      cache: new lark.DefaultCache(),
      loggerLevel: lark.LoggerLevel.error,
    }).im.message.create({ params: { receive_id_type: 'chat_id' }, data: body });
    expect(again.data?.message_id).toBe(sent.data?.message_id);
    expect(second.messages(chat.chat_id)).toHaveLength(1);
    await second.stop();
  });
});
