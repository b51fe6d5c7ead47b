/**
 * Checks the packaging config in electron-builder.yml, the one place the fuses are set. Read with a
 * tiny reader for the flat `key: value` mappings the file uses rather than a YAML library, which
 * the project does not depend on directly.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const text = readFileSync(fileURLToPath(new URL('../../electron-builder.yml', import.meta.url)), 'utf8');

/** The scalar entries of the top-level mapping (`key: value`), or of the mapping nested under `section`. */
function readMapping(source: string, section?: string): Map<string, string> {
  const entries = new Map<string, string>();
  let inside = section === undefined;
  for (const raw of source.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (line.trim() === '') continue;
    const indent = line.length - line.trimStart().length;
    if (section !== undefined) {
      if (indent === 0) {
        inside = line === `${section}:`;
        continue;
      }
      if (!inside || indent !== 2) continue;
    } else if (indent !== 0) {
      continue;
    }
    const match = /^\s*([A-Za-z][\w.-]*):\s*(.*)$/.exec(line);
    if (match?.[1] && match[2] !== undefined && match[2] !== '') entries.set(match[1], match[2]);
  }
  return entries;
}

/** The items of a block list (`- item`) under `key`, itself under `section`. */
function readList(source: string, section: string, key: string): string[] {
  const lines = source.split(/\r?\n/);
  const start = lines.findIndex((line) => line === `${section}:`);
  const items: string[] = [];
  let inKey = false;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    if (line.startsWith(`  ${key}:`)) {
      inKey = true;
      continue;
    }
    const item = /^\s{4}- (.+)$/.exec(line);
    if (inKey && item?.[1]) items.push(item[1].trim());
    else if (inKey && /^\s{2}\S/.test(line)) inKey = false;
  }
  return items;
}

describe('electron-builder.yml', () => {
  const top = readMapping(text);

  it('names the app', () => {
    expect(top.get('appId')).toBe('app.keel.desktop');
    expect(top.get('productName')).toBe('Keel');
  });

  it('packages the build output from an asar, with resources as build resources', () => {
    expect(text).toMatch(/^files:\n {2}- out\/\*\*$/m);
    expect(readMapping(text, 'directories').get('buildResources')).toBe('resources');
    expect(top.get('asar')).not.toBe('false');
  });

  it('builds AppImage and deb for Linux, dmg for macOS, NSIS for Windows', () => {
    expect(readList(text, 'linux', 'target')).toEqual(['AppImage', 'deb']);
    expect(readList(text, 'mac', 'target')).toEqual(['dmg']);
    expect(readList(text, 'win', 'target')).toEqual(['nsis']);
  });

  describe('electronFuses', () => {
    const fuses = readMapping(text, 'electronFuses');

    it.each([
      ['runAsNode', 'false'],
      ['enableNodeOptionsEnvironmentVariable', 'false'],
      ['enableNodeCliInspectArguments', 'false'],
      ['enableCookieEncryption', 'true'],
      ['onlyLoadAppFromAsar', 'true'],
      ['enableEmbeddedAsarIntegrityValidation', 'true'],
      ['grantFileProtocolExtraPrivileges', 'false'],
    ])('sets %s to %s', (fuse, value) => {
      expect(fuses.get(fuse)).toBe(value);
    });

    it('sets no fuse it does not mean to', () => {
      expect(fuses.size).toBe(7);
    });
  });

  it('unpacks the native binaries (the built-in runtime’s, sync’s LevelDB) from the asar and leaves the CUDA builds out', () => {
    const topList = (key: string) => {
      const lines = text.split(/\r?\n/);
      const start = lines.indexOf(`${key}:`);
      const items: string[] = [];
      for (const line of lines.slice(start + 1)) {
        const item = /^\s{2}- '?([^']+)'?$/.exec(line);
        if (!item?.[1]) break;
        items.push(item[1]);
      }
      return items;
    };
    expect(topList('asarUnpack')).toEqual([
      'node_modules/node-llama-cpp/**',
      'node_modules/@node-llama-cpp/**',
      'node_modules/leveldown/**',
    ]);
    expect(topList('files')).toEqual([
      'out/**',
      '!node_modules/@node-llama-cpp/*-cuda/**',
      '!node_modules/@node-llama-cpp/*-cuda-ext/**',
    ]);
    expect(top.get('npmRebuild')).toBe('false');
  });
});
