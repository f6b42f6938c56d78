// Tests talk only to servers they start on loopback; any other outbound connection is a bug.
import net from 'node:net';

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string | undefined;
  const host =
    typeof first === 'object' && first !== null
      ? first.host
      : typeof args[1] === 'string'
        ? args[1]
        : undefined;
  const isPipe = typeof first === 'object' && first !== null && typeof first.path === 'string';
  if (
    !isPipe &&
    host !== undefined &&
    !['127.0.0.1', 'localhost', '::1', '::ffff:127.0.0.1'].includes(host)
  ) {
    throw new Error(`Outbound connection to ${host} blocked in tests: use the Lark emulator on 127.0.0.1`);
  }
  // biome-ignore lint/suspicious/noExplicitAny: forwarding the overloaded signature unchanged
  return (originalConnect as any).apply(this, args);
} as typeof net.Socket.prototype.connect;
