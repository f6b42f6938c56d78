import { describe, expect, it } from 'vitest';
import {
  classifyLarkFailure,
  errorFromBody,
  hintForLarkCode,
  isRateLimitError,
  isServerError,
  isTokenInvalidError,
  LarkApiError,
  LarkNetworkError,
} from '../../../src/chat/errors.js';
import { isDubanError } from '../../../src/core/errors.js';

/** The shape of the AxiosError the SDK rethrows for a non-2xx answer. */
function axiosAnswer(
  status: number,
  data: unknown,
  headers: Record<string, string> = {},
  url = 'http://x/open-apis/im/v1/messages',
) {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    isAxiosError: true,
    code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
    config: { url },
    response: { status, data, headers },
  });
}

describe('classifyLarkFailure', () => {
  it('turns a refused call into a LarkApiError with code, msg, status, log id and a hint', () => {
    const e = classifyLarkFailure(
      'im.message.create',
      axiosAnswer(
        400,
        { code: 230002, msg: 'The bot can not be outside the group.' },
        { 'x-tt-logid': 'log-1' },
      ),
    );
    expect(e).toBeInstanceOf(LarkApiError);
    const api = e as LarkApiError;
    expect(api.code).toBe('lark.api_error');
    expect(isDubanError(api, 'lark.api_error')).toBe(true);
    expect(api.larkCode).toBe(230002);
    expect(api.msg).toBe('The bot can not be outside the group.');
    expect(api.httpStatus).toBe(400);
    expect(api.logId).toBe('log-1');
    expect(api.hint).toMatch(/add the bot to the group/);
    expect(api.message).toContain('230002');
  });

  it('reads the rate-limit reset header of a 429', () => {
    const e = classifyLarkFailure(
      'im.message.create',
      axiosAnswer(
        429,
        { code: 99991400, msg: 'request trigger frequency limit' },
        { 'x-ogw-ratelimit-reset': '2' },
      ),
    ) as LarkApiError;
    expect(isRateLimitError(e)).toBe(true);
    expect(e.retryAfterSeconds).toBe(2);
  });

  it('counts the per-chat and system message limits as rate limits too', () => {
    for (const code of [230020, 11232]) {
      const e = classifyLarkFailure(
        'im.message.create',
        axiosAnswer(400, { code, msg: 'limit' }),
      ) as LarkApiError;
      expect(isRateLimitError(e)).toBe(true);
      expect(e.retryAfterSeconds).toBeUndefined();
    }
  });

  it('marks a rejected token on an API call as one to refetch, but not on the token fetch itself', () => {
    const onCall = classifyLarkFailure(
      'im.message.create',
      axiosAnswer(400, { code: 99991663, msg: 'invalid token' }),
    );
    expect(isTokenInvalidError(onCall as LarkApiError)).toBe(true);
    const onFetch = classifyLarkFailure(
      'im.message.create',
      axiosAnswer(
        400,
        { code: 99991663, msg: 'x' },
        {},
        'http://x/open-apis/auth/v3/tenant_access_token/internal',
      ),
    ) as LarkApiError;
    expect(onFetch.duringTokenFetch).toBe(true);
    expect(isTokenInvalidError(onFetch)).toBe(false);
    expect(onFetch.hint).toMatch(/LARK_APP_SECRET/);
  });

  it('reads the code out of the error the SDK throws when the token endpoint answers 200 without a token', () => {
    const e = classifyLarkFailure(
      'im.chat.list',
      new Error('failed to get tenant_access_token, code: 10014, msg: app secret invalid'),
    ) as LarkApiError;
    expect(e).toBeInstanceOf(LarkApiError);
    expect(e.larkCode).toBe(10014);
    expect(e.msg).toBe('app secret invalid');
    expect(e.duringTokenFetch).toBe(true);
    expect(e.hint).toMatch(/LARK_APP_ID and LARK_APP_SECRET/);
  });

  it('keeps a 5xx without Lark envelope as an answer that is worth retrying', () => {
    const e = classifyLarkFailure(
      'im.message.create',
      axiosAnswer(502, '<html>bad gateway</html>'),
    ) as LarkApiError;
    expect(e).toBeInstanceOf(LarkApiError);
    expect(e.larkCode).toBe(-1);
    expect(isServerError(e)).toBe(true);
  });

  it('calls a reset, refused or timed-out connection a LarkNetworkError', () => {
    const reset = Object.assign(new Error('socket hang up'), {
      isAxiosError: true,
      code: 'ECONNRESET',
      config: {},
    });
    const timeout = Object.assign(new Error('timeout of 100ms exceeded'), {
      isAxiosError: true,
      code: 'ECONNABORTED',
    });
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND open.feishu.cn'), { code: 'ENOTFOUND' });
    for (const [error, reason] of [
      [reset, 'ECONNRESET'],
      [timeout, 'ECONNABORTED'],
      [dns, 'ENOTFOUND'],
    ] as const) {
      const e = classifyLarkFailure('im.message.create', error);
      expect(e).toBeInstanceOf(LarkNetworkError);
      expect(e.code).toBe('lark.network_error');
      expect((e as LarkNetworkError).reason).toBe(reason);
      expect(e.hint).toBeDefined();
    }
  });

  it('leaves an already classified error as it is', () => {
    const api = new LarkApiError({ operation: 'x', code: 1, msg: 'm' });
    expect(classifyLarkFailure('y', api)).toBe(api);
  });
});

describe('errorFromBody', () => {
  it('turns an HTTP 200 answer with code != 0 into an error and lets code 0 pass', () => {
    const e = errorFromBody('im.message.patch', {
      code: 230099,
      msg: 'Failed to create card content, ext=ErrCode: 200621',
    });
    expect(e?.larkCode).toBe(230099);
    expect(e?.httpStatus).toBe(200);
    expect(e?.hint).toMatch(/200621 JSON parse/);
    expect(errorFromBody('x', { code: 0, data: {} })).toBeUndefined();
    expect(errorFromBody('x', null)).toBeUndefined();
  });
});

describe('hintForLarkCode', () => {
  it.each([
    [99991672, /Permissions & Scopes/],
    [230027, /Permissions & Scopes/],
    [230002, /add the bot/],
    [232009, /dissolved/],
    [230025, /30 KB/],
    [230099, /card/],
    [99991400, /rate-limited/],
  ])('has a fix-it hint for code %i', (code, pattern) => {
    expect(hintForLarkCode(code)).toMatch(pattern);
  });

  it('has no hint for a code it does not know', () => {
    expect(hintForLarkCode(123456)).toBeUndefined();
  });
});
