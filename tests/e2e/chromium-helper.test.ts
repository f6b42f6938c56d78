import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, locateChromium } from '../helpers/chromium.js';

describe('locating chromium for the browser tests', () => {
  it('uses the Debian chromium when it is installed', () => {
    const found = locateChromium({ env: {}, exists: (p) => p === CHROMIUM_PATH });
    expect(found).toEqual({ path: CHROMIUM_PATH, skipReason: null });
  });

  it('prefers DUBAN_CHROMIUM_PATH over the Debian path', () => {
    const found = locateChromium({ env: { DUBAN_CHROMIUM_PATH: '/opt/chrome/chrome' }, exists: () => true });
    expect(found.path).toBe('/opt/chrome/chrome');
  });

  it('gives a one-line skip reason when the browser is missing outside CI', () => {
    const found = locateChromium({ env: {}, exists: () => false });
    expect(found.path).toBeNull();
    expect(found.skipReason).toMatch(/^chromium not found at \/usr\/bin\/chromium/);
    expect(found.skipReason).not.toContain('\n');
  });

  it('fails instead of skipping when CI=true and the browser is missing', () => {
    expect(() => locateChromium({ env: { CI: 'true' }, exists: () => false })).toThrow(/CI=true/);
  });
});
