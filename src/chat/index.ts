/** The Lark adapter's surface: what the composition root, the CLI and the tests use of it. */
export { LarkApiError } from './errors.js';
export { createEventDispatcher, type LongConnection, startLongConnection } from './intake/long-connection.js';
export { createWebhookHandler, createWebhookServer, type WebhookOptions } from './intake/webhook.js';
export { createLarkChat, type LarkChat, type LarkChatOptions } from './lark-chat.js';
