export {
  classifyLarkFailure,
  hintForLarkCode,
  isRateLimitError,
  isServerError,
  isTokenInvalidError,
  LarkApiError,
  LarkNetworkError,
} from './errors.js';
export { createEventDispatcher, type LongConnection, startLongConnection } from './intake/long-connection.js';
export { normalizeEvent, SUBSCRIBED_EVENT_TYPES, toLarkCardResponse } from './intake/normalize.js';
export {
  createWebhookHandler,
  decryptLarkBody,
  larkSignature,
  type WebhookHandler,
  type WebhookOptions,
} from './intake/webhook.js';
export {
  type BotInfo,
  createLarkChat,
  DEFAULT_RETRY,
  type LarkChat,
  type LarkChatOptions,
  larkUuid,
  type RetryOptions,
} from './lark-chat.js';
export { createRateLimiter, DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.js';
