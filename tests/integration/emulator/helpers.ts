import * as lark from '@larksuiteoapi/node-sdk';
import {
  createLarkEmulator,
  type LarkEmulator,
  type LarkEmulatorOptions,
} from '../../../src/emulator/index.js';

export interface World {
  emulator: LarkEmulator;
  client: lark.Client;
  alice: string;
  bob: string;
  chatId: string;
}

/** An emulator on 127.0.0.1:0 with two users and one group that has the bot, plus an SDK client. */
export async function startWorld(options: LarkEmulatorOptions = {}): Promise<World> {
  const { webhookUrl, ...rest } = options;
  const emulator = createLarkEmulator({ port: 0, ...rest });
  await emulator.start();
  const alice = emulator.addUser({ name: '张三' }).open_id;
  const bob = emulator.addUser({ name: '李四' }).open_id;
  const chatId = emulator.createChat({ name: '市科技局', members: [alice, bob], bot: true }).chat_id;
  // The webhook is attached after setup so tests see only the events they cause.
  emulator.clearDeliveries();
  emulator.setWebhookUrl(webhookUrl);
  return { emulator, client: sdkClient(emulator), alice, bob, chatId };
}

export function sdkClient(emulator: LarkEmulator, overrides: { appSecret?: string } = {}): lark.Client {
  return new lark.Client({
    appId: emulator.appId,
    appSecret: overrides.appSecret ?? emulator.appSecret,
    domain: emulator.url,
    cache: new lark.DefaultCache(),
    loggerLevel: lark.LoggerLevel.error,
    logger: { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} },
  });
}

/** The Lark error an SDK call threw (AxiosError with the response body), for assertions. */
export async function larkError(promise: Promise<unknown>): Promise<{
  status: number | undefined;
  code: number | undefined;
  msg: string | undefined;
  headers: Record<string, string>;
  transport: string | undefined;
}> {
  try {
    await promise;
  } catch (error) {
    const e = error as {
      code?: string;
      response?: { status: number; data?: { code?: number; msg?: string }; headers?: Record<string, string> };
    };
    return {
      status: e.response?.status,
      code: e.response?.data?.code,
      msg: e.response?.data?.msg,
      headers: e.response?.headers ?? {},
      transport: e.response === undefined ? e.code : undefined,
    };
  }
  throw new Error('expected the call to fail');
}

export const text = (value: string) => JSON.stringify({ text: value });

export const card2 = (title: string, extra: Record<string, unknown>[] = []) => ({
  schema: '2.0',
  config: { update_multi: true },
  header: { title: { tag: 'plain_text', content: title }, template: 'blue' },
  body: {
    elements: [
      { tag: 'markdown', content: `**${title}**` },
      {
        tag: 'button',
        text: { tag: 'plain_text', content: 'OK' },
        behaviors: [{ type: 'callback', value: { action: 'ok' } }],
      },
      ...extra,
    ],
  },
});
