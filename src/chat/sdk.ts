import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../logger.js';

/** `'feishu'`, `'lark'` or a base URL (the emulator's); no trailing slash, or the SDK builds `//open-apis`. */
export type LarkDomain = string;

export function resolveDomain(domain: LarkDomain | undefined): string {
  if (domain === undefined || domain === '' || domain === 'feishu') return 'https://open.feishu.cn';
  if (domain === 'lark') return 'https://open.larksuite.com';
  return domain.replace(/\/+$/, '');
}

function summarize(args: unknown[]): string {
  const parts: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
    } else if (value instanceof Error) {
      parts.push(value.message);
    } else if (typeof value === 'string') {
      parts.push(value);
    } else {
      try {
        parts.push(JSON.stringify(value));
      } catch {
        parts.push(String(value));
      }
    }
  };
  visit(args);
  const text = parts.join(' ');
  return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
}

/**
 * Routes the SDK's own logs into pino. For `lark.Client` every error the SDK logs is also thrown
 * to the adapter, which classifies and logs it properly, so those go to debug to avoid a second,
 * unclassified copy; the WSClient's errors are not thrown anywhere and stay errors.
 */
export function sdkLogger(logger: Logger, options: { errorsAreRethrown: boolean }): lark.Logger {
  const child = logger.child({ component: 'lark-sdk' });
  return {
    error: (...args: unknown[]) =>
      options.errorsAreRethrown ? child.debug(summarize(args)) : child.error(summarize(args)),
    warn: (...args: unknown[]) => child.warn(summarize(args)),
    info: (...args: unknown[]) => child.info(summarize(args)),
    debug: (...args: unknown[]) => child.debug(summarize(args)),
    trace: (...args: unknown[]) => child.trace(summarize(args)),
  };
}

/**
 * The SDK's axios instance has no timeout, so a stalled connection would hang a send forever.
 * This wraps it (keeping its body-unwrapping interceptor, which token parsing relies on).
 */
export function httpInstanceWithTimeout(timeoutMs: number): lark.HttpInstance {
  const base = lark.defaultHttpInstance;
  // biome-ignore lint/suspicious/noExplicitAny: HttpInstance is generic per call; we only forward
  const request = (opts: any): Promise<any> => base.request({ timeout: timeoutMs, ...opts });
  return {
    request,
    get: (url, opts) => request({ ...opts, url, method: 'GET' }),
    delete: (url, opts) => request({ ...opts, url, method: 'DELETE' }),
    head: (url, opts) => request({ ...opts, url, method: 'HEAD' }),
    options: (url, opts) => request({ ...opts, url, method: 'OPTIONS' }),
    post: (url, data, opts) => request({ ...opts, url, data, method: 'POST' }),
    put: (url, data, opts) => request({ ...opts, url, data, method: 'PUT' }),
    patch: (url, data, opts) => request({ ...opts, url, data, method: 'PATCH' }),
  } as lark.HttpInstance;
}
