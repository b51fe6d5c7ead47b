import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumProfileDir } from './chromiumProfile';

const appData = resolve('/home/ada/.config');

describe('chromiumProfileDir', () => {
  it('gives each data folder its own profile, and the same folder always the same one', () => {
    const first = chromiumProfileDir('/work/client-a', appData);
    expect(first).toMatch(/Keel Chromium[\\/][0-9a-f]{16}$/);
    expect(chromiumProfileDir('/work/client-a', appData)).toBe(first);
    expect(chromiumProfileDir('/work/client-a/', appData)).toBe(first);
    expect(chromiumProfileDir('/work/client-b', appData)).not.toBe(first);
  });

  it('never puts the profile inside the data folder, the default one included', () => {
    for (const dataDir of [join(appData, 'Keel'), '/work/client-a']) {
      const inside = relative(resolve(dataDir), chromiumProfileDir(dataDir, appData));
      expect(inside.startsWith('..')).toBe(true);
    }
  });
});
