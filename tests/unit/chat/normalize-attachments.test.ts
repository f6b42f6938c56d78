import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../../src/chat/intake/normalize.js';
import { silentLogger } from '../../../src/logger.js';
import { BOT_OPEN_ID, messageEnvelope } from '../../integration/chat/lark-events.js';

const normalize = (messageType: string, content: unknown) => {
  const env = messageEnvelope({ messageType, content: JSON.stringify(content), rootId: 'om_prompt' });
  return normalizeEvent(
    { eventType: env.header.event_type, eventId: env.header.event_id, event: env.event },
    { botOpenId: BOT_OPEN_ID, logger: silentLogger },
  );
};

describe('normalizeEvent: files and images', () => {
  it("keeps a file message's key and name, and where in the thread it was posted", () => {
    const event = normalize('file', { file_key: 'file_v3_00ab', file_name: '第13条 验收报告.pdf' });
    expect(event).toMatchObject({
      type: 'message',
      messageType: 'file',
      text: '',
      rootId: 'om_prompt',
      attachment: { kind: 'file', key: 'file_v3_00ab', name: '第13条 验收报告.pdf' },
    });
  });

  it("keeps an image message's key, with no name", () => {
    expect(normalize('image', { image_key: 'img_v3_01' })).toMatchObject({
      attachment: { kind: 'image', key: 'img_v3_01', name: '' },
    });
  });

  it('carries no attachment for text, or for a file without a key', () => {
    expect(normalize('text', { text: 'hi' })).not.toHaveProperty('attachment');
    expect(normalize('file', { file_name: 'x.pdf' })).not.toHaveProperty('attachment');
  });
});
