import { describe, expect, it } from 'vitest';
import { catalogKeys, t } from '../../src/core/render/catalog.js';

describe('message catalog', () => {
  it('has a non-empty zh-CN and en-US text for every key', () => {
    for (const key of catalogKeys()) {
      // biome-ignore lint/suspicious/noExplicitAny: iterating keys generically
      const zh = (t as any)(key, {}, 'zh-CN');
      // biome-ignore lint/suspicious/noExplicitAny: iterating keys generically
      const en = (t as any)(key, {}, 'en-US');
      expect(zh, key).toBeTruthy();
      expect(en, key).toBeTruthy();
    }
  });

  it('speaks Simplified Chinese by default', () => {
    expect(t('common.lead')).toBe('牵头');
    expect(t('common.lead', undefined, 'en-US')).toBe('lead');
  });
});
