import type { z } from 'zod';
import type { MessageKey } from '../../core/render/catalog.js';
import type { MessageContext } from '../context.js';
import type { Role } from '../ports.js';

/**
 * A command is data: /help and usage errors are generated from the registry.
 * `args` validates the ParsedCommand; its first error message is shown with the usage.
 */
export interface Command<A = unknown> {
  name: string;
  summary: MessageKey;
  usage: MessageKey;
  /** Who may run it; 'anyone' for everyone in a bound or unbound chat. */
  roles: readonly Role[] | 'anyone';
  args: z.ZodType<A>;
  handle(ctx: MessageContext, args: A): Promise<void>;
}

/** Keeps each command's argument type while storing them in one list. */
export function defineCommand<A>(command: Command<A>): Command<unknown> {
  return command as unknown as Command<unknown>;
}
