import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { startTenantApp, stopTenantApps, until } from '../../helpers/tenant.js';

afterEach(stopTenantApps);

describe('structured logs', () => {
  it('tag every line logged while an event is handled, deep in the use cases too, with its event id and request id', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const { emulator, coordinator } = await startTenantApp({ logger, schedule: false });
    const group = emulator.createChat({ name: '督查室', members: [coordinator.open_id] });
    const before = lines.length;
    emulator.postAsUser({ chat_id: group.chat_id, open_id: coordinator.open_id, text: '@督办 /bind 督查室' });
    await until(
      () =>
        emulator.messages(group.chat_id).some((m) => m.sender.type === 'app') &&
        lines.slice(before).some((l) => l.msg === 'group members synced'),
    );
    const during = lines.slice(before);

    const received = during.find((l) => l.msg === 'message received');
    const eventId = received?.event_id;
    expect(typeof eventId).toBe('string');
    expect(during.length).toBeGreaterThan(1);
    // Loggers made at start-up (the bind use case's, the membership's), not only the event's child.
    expect(new Set(during.map((l) => l.component)).size).toBeGreaterThan(1);
    for (const line of during) {
      expect(line, String(line.msg)).toMatchObject({ event_id: eventId, request_id: expect.any(String) });
    }
  });
});
