/**
 * Every numbered migration, upgrading a real file of the version before it: read as Keel reads it
 * (through the document adapter, migrated, then checked by the schema), and, for the search index,
 * through the engine on a data folder of that version.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { value } from '../../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../../tests/helpers/engineSession';
import { tempDataDir, removeDir } from '../../../../tests/helpers/tempDir';
import { DocumentAdapter, type DocumentSpec } from '../DocumentAdapter';
import { layout } from '../layout';
import { Vault } from '../Vault';

const fixtures = join(import.meta.dirname, '../../../../tests/fixtures');

/** Reads a fixture as Keel reads a document of this kind. */
async function readAs<T extends { version: number }>(fixture: string, spec: DocumentSpec<T>): Promise<T> {
  const folder = await tempDataDir();
  try {
    const path = join(folder, 'document.json');
    await writeFile(path, await readFile(join(fixtures, fixture)));
    const read = await new DocumentAdapter(path, spec).read();
    if (!read) throw new Error('nothing read');
    return read;
  } finally {
    await removeDir(folder);
  }
}

describe('loop migrations', () => {
  it('1 → 2: a version-1 loop gets no draft versions and no past decisions, and keeps its turns', async () => {
    const loop = await readAs('migrations/loopVersion1.json', layout.loop.spec('Acme pricing'));
    expect(loop.version).toBe(3);
    expect(loop.draftVersions).toEqual([]);
    expect(loop.pastDecisions).toEqual([]);
    expect(loop.decision).toBeUndefined();
    expect(loop.turns.map((turn) => turn.text)).toEqual(['Churn worries me more than price.']);
    expect(loop.draft).toBe('Raise by 6%.');
  });

  it('2 → 3: a decision’s prediction at its confidence becomes its one forecast', async () => {
    const loop = await readAs('loopVersion2.json', layout.loop.spec('Acme pricing'));
    expect(loop.version).toBe(3);
    expect(loop.decision!.forecasts).toMatchObject([
      { statement: 'Churn stays under 3%', probability: 70, resolveBy: '2027-03-31', updates: [] },
    ]);
  });
});

describe('settings migrations', () => {
  it('1 → 2: the defaults version 1 wrote in become "not chosen"; the rest is kept', async () => {
    const settings = await readAs('migrations/settingsVersion1.json', layout.settings.spec());
    expect(settings).toMatchObject({ chatModel: '', embeddingModel: '', theme: 'dark', backupKeep: 7 });
  });

  it('2 → 3: a file from before the runtime was a choice starts on automatic, keeping every choice', async () => {
    const settings = await readAs('migrations/settingsVersion2.json', layout.settings.spec());
    expect(settings).toMatchObject({
      version: 3,
      runtime: 'automatic',
      modelFiles: [],
      chatModel: 'qwen3:8b',
      theme: 'light',
      lockAfterMinutes: 15,
    });
  });
});

describe('memory migrations', () => {
  /** The version-1 file's items as version 2 holds them: `source` called `origin`, nothing else changed. */
  async function version1ItemsWithOrigin(): Promise<Record<string, unknown>[]> {
    const file = JSON.parse(await readFile(join(fixtures, 'migrations/memoriesVersion1.json'), 'utf8')) as {
      items: Record<string, unknown>[];
    };
    return file.items.map(({ source, ...rest }) => ({ ...rest, origin: source }));
  }
  const spaceId = 'sp-3550a810-2ef6-4139-adec-d80cfc63b2c3';
  // A cheap scrypt cost keeps the test quick; Keel's own default is 2^15.
  const t = engineForEachTest({ scryptCost: { N: 2 ** 10, r: 8, p: 1 } });

  it('1 → 2: each item’s source (said, learn, steering, pattern) is called origin, and everything else is kept', async () => {
    const shard = await readAs('migrations/memoriesVersion1.json', layout.memories.spec(`space-${spaceId}`));
    expect(shard.version).toBe(2);
    expect(shard.items).toEqual(await version1ItemsWithOrigin());
    expect(shard.items.map((item) => item.origin.type)).toEqual(['said', 'pattern', 'steering', 'learn']);
    expect(shard.items.some((item) => 'source' in item)).toBe(false);
  });

  it('1 → 2: an encrypted version-1 file opens, lists as it was, and is saved sealed as version 2', async () => {
    value(await t.engine.call('setPassphrase', { passphrase: 'memory passphrase' }));
    await t.engine.close();
    // Sealed as Keel 1 sealed it: the same file, through the vault's codec, bound to its place.
    const vault = await Vault.open(t.dataDir, { cost: { N: 2 ** 10, r: 8, p: 1 } });
    await vault.unlock('memory passphrase');
    const path = join(t.dataDir, layout.memories.path(`space-${spaceId}`));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(
      path,
      vault.codec.encode(await readFile(join(fixtures, 'migrations/memoriesVersion1.json'), 'utf8'), path),
    );
    expect((await readFile(path)).includes('Acme renews')).toBe(false);

    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase: 'memory passphrase' }));
    const expected = await version1ItemsWithOrigin();
    const listed = value(await t.engine.call('listMemories', { spaceId }));
    expect(listed).toEqual(expect.arrayContaining(expected));
    expect(listed).toHaveLength(expected.length);

    // The file is written again once something changes: sealed, as version 2, with nothing lost.
    const steering = listed.find((item) => item.origin.type === 'steering')!;
    value(await t.engine.call('updateMemory', { memoryId: steering.id, pinned: true }));
    await t.engine.close();
    const saved = JSON.parse(vault.codec.decode(await readFile(path), path)) as {
      version: number;
      items: Record<string, unknown>[];
    };
    expect(saved.version).toBe(2);
    expect(saved.items).toEqual(
      expected.map((item) => (item.id === steering.id ? { ...item, pinned: true } : item)),
    );
    t.engine = await t.open();
  });
});

describe('search index migrations', () => {
  const t = engineForEachTest();

  it('1 → 2: a version-1 index is used as it is, with no sources indexed yet, and saved as version 2', async () => {
    await t.engine.close();
    await cp(join(fixtures, 'migrations/searchIndexVersion1'), t.dataDir, { recursive: true });
    t.engine = await t.open();

    const hits = value(await t.engine.call('search', { query: 'zebra' }));
    expect(hits.map((hit) => hit.kind).sort()).toEqual(['loop', 'turn']);
    // The file is written again once something changes: then as version 2.
    const loopId = hits[0]!.loopId!;
    value(await t.engine.call('addTurn', { loopId, text: 'Zebra stripes on the box too.' }));
    expect(value(await t.engine.call('search', { query: 'stripes' }))).toHaveLength(1);
    await t.engine.close();
    const saved = JSON.parse(await readFile(join(t.dataDir, 'search/index.json'), 'utf8')) as {
      version: number;
      sources: unknown;
      memories: unknown;
    };
    expect(saved).toMatchObject({ version: 2, sources: {}, memories: {} });
    t.engine = await t.open();
  });

  it('1 → 2: a version-1 file that already listed indexed sources keeps the list', async () => {
    const upgraded = await readAs(
      'migrations/searchIndexVersion1/search/index.json',
      layout.searchIndex.spec(),
    );
    expect(upgraded.sources).toEqual({});
    const withSources = layout.searchIndex.spec().migrations[1]!({ version: 1, sources: { 'sr-1': ['a'] } });
    expect(withSources.sources).toEqual({ 'sr-1': ['a'] });
  });
});
