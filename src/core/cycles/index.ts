/** Prompt-cycle planning: pure functions of their inputs (`now` and the calendar are parameters). */
export * from './budget.js';
export * from './calendar.js';
export * from './china-calendar.js';
export * from './cron-expression.js';
export * from './cycle.js';
export * from './due-reminders.js';
export * from './escalation.js';
export * from './follow-ups.js';
export * from './jobs.js';
export * from './keys.js';
export * from './prompt.js';
export * from './schedule.js';
export * from './schedule-settings.js';
export * from './time.js';
export * from './types.js';
