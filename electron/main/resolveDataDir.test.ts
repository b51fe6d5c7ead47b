import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resolveDataDir } from './resolveDataDir';

const app = { getPath: vi.fn((_name: 'userData') => '/home/ada/.config/Keel') };

describe('resolveDataDir', () => {
  it('prefers KEEL_DATA_DIR', () => {
    expect(resolveDataDir({ KEEL_DATA_DIR: '/tmp/keel-test' }, app)).toBe(resolve('/tmp/keel-test'));
  });

  it('makes a relative KEEL_DATA_DIR absolute', () => {
    expect(resolveDataDir({ KEEL_DATA_DIR: 'data' }, app)).toBe(resolve('data'));
  });

  it("falls back to Electron's userData folder", () => {
    expect(resolveDataDir({}, app)).toBe('/home/ada/.config/Keel');
    expect(app.getPath).toHaveBeenLastCalledWith('userData');
  });

  it('treats an empty or blank KEEL_DATA_DIR as unset', () => {
    expect(resolveDataDir({ KEEL_DATA_DIR: '' }, app)).toBe('/home/ada/.config/Keel');
    expect(resolveDataDir({ KEEL_DATA_DIR: '   ' }, app)).toBe('/home/ada/.config/Keel');
  });
});
