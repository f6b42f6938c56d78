import { describe, expect, it } from 'vitest';
import { isDubanError } from '../../../src/core/errors.js';
import { MAX_DECISION_BYTES } from '../../../src/core/policy/parse.js';
import { parse } from './helpers.js';

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isDubanError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a DubanError, but the parse succeeded');
}

/** Deterministic pseudo-random bytes (no Math.random in tests). */
function noise(length: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    bytes[i] = x >> 16;
  }
  return bytes;
}

describe('hostile input', () => {
  it.each([
    ['an empty text', ''],
    ['only spaces and newlines', ' \n\t\r\n  '],
    ['only full-width and no-break spaces', '\u3000\u00a0\u3000\n'],
  ])('rejects %s as empty', (_, text) => {
    expect(errorOf(() => parse(text))).toEqual({
      code: 'policy.empty_input',
      message: 'The decision text is empty.',
    });
  });

  it('rejects binary data read as text', () => {
    const error = errorOf(() => parse(noise(4096).toString('utf8')));
    expect(error.code).toBe('policy.binary_input');
    expect(error.message).toContain('binary');
  });

  it('rejects a text with a NUL byte, such as a UTF-16 file read as UTF-8', () => {
    const utf16 = Buffer.from('1.任务。(市科技局负责)', 'utf16le').toString('utf8');
    expect(errorOf(() => parse(utf16)).code).toBe('policy.binary_input');
  });

  it('rejects mostly undecodable text even without NUL bytes', () => {
    const garbled = `决定\n${'\ufffd\u0001\u0002'.repeat(500)}\n1.任务。(市科技局负责)`;
    expect(errorOf(() => parse(garbled)).code).toBe('policy.binary_input');
  });

  it('rejects a 10 MB file, ASCII or Chinese', () => {
    const ascii = 'a'.repeat(10 * 1024 * 1024);
    const chinese = '自主创新'.repeat(Math.ceil(MAX_DECISION_BYTES / 12));
    for (const text of [ascii, chinese]) {
      const error = errorOf(() => parse(text));
      expect(error?.code).toBe('policy.too_large');
      expect(error?.message).toContain('too large');
    }
  });

  it('accepts a text just under the limit when it holds articles', () => {
    const padding = '。'.repeat(Math.floor((MAX_DECISION_BYTES - 1000) / 3) - 100);
    const decision = parse(`决定\n1.任务。(市科技局负责)\n${padding}`);
    expect(decision.articles).toHaveLength(1);
  });

  it('rejects prose without numbered articles', () => {
    const error = errorOf(() => parse('关于加强管理的通知\n各单位要高度重视,由市科技局牵头抓好落实。'));
    expect(error.code).toBe('policy.no_articles');
    expect(error.message).toContain('No numbered articles');
  });

  it('rejects a page that is nothing but chrome', () => {
    const page = [
      '点击数:3587 发布时间:2009/11/17 15:05:57 发布者:admin',
      '地址:广州科学城揽月路80号广州科技创新基地综合服务楼709室',
      '主办单位: 广州火炬高新技术创业服务中心',
      '电话:86-20-32290810 传真:86-20-32299779 E-Mail:gz_torch@126.com',
      '粤ICP备16024033号粤公网安备 44011202000319号',
    ].join('\n\n');
    expect(errorOf(() => parse(page)).code).toBe('policy.no_articles');
  });

  it('finishes on pathological clause-like text with a parse or a clear refusal', () => {
    const cases = [
      `决定\n1.任务。${'('.repeat(50_000)}市科技局牵头`,
      `决定\n1.任务。(${'市科技局、'.repeat(20_000)}牵头)`,
      `决定\n1.任务。(${'牵头'.repeat(50_000)})`,
      `决定\n1.任务。${'超过1'.repeat(30_000)}`,
      `决定\n${'1.'.repeat(50_000)}`,
    ];
    for (const text of cases) {
      // A clear refusal is as good as a parse here; only a crash or a hang (the test timeout) is not.
      try {
        parse(text);
      } catch (error) {
        expect(isDubanError(error)).toBe(true);
      }
    }
  });
});
